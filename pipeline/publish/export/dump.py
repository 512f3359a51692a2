"""The full dump of a plan's world as JSON."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from pipeline.publish.export.common import (nfc, plan_row, plan_tasks, reporting_rows, rows, task_status_rows)


# ----------------------------------------------------------------------------- JSON


def dump(db: sqlite_utils.Database, plan_id: str) -> dict:
    """Everything about one plan, as plain data."""
    plan = plan_row(db, plan_id)
    tasks = plan_tasks(db, plan_id)
    tb: dict[str, list[dict]] = {}
    for r in rows(db, "select * from task_bodies where task_id in (select id from tasks where document_id = ?) "
                      "order by id", (plan_id,)):
        tb.setdefault(r["task_id"], []).append(r)
    for t in tasks:
        t["task_bodies"] = tb.get(t["id"], [])
    reports = rows(db, "select pr.period as report_period, pr.basis, d.* from plan_reports pr "
                       "join documents d on d.id = pr.report_id where pr.plan_id = ? "
                       "order by d.issued_on, d.filename", (plan_id,))
    for rep in reports:
        figures = rows(db, "select * from figures where document_id = ? order by char_start", (rep["id"],))
        by_statement: dict[str, list[dict]] = {}
        for f in figures:
            by_statement.setdefault(f["statement_id"], []).append(f)
        rep["evidence"] = []
        for e in rows(db, "select e.id, e.task_id, t.ref as task_ref, e.body_id, e.score, e.method, "
                          "v.verdict, e.statement_id, s.text, s.part, s.page, s.char_start, s.char_end "
                          "from evidence e join statements s on s.id = e.statement_id "
                          "left join tasks t on t.id = e.task_id "
                          "left join evidence_verdicts v on v.evidence_id = e.id "
                          "where e.report_id = ? and e.plan_id = ? order by s.char_start, e.task_id",
                          (rep["id"], plan_id)):
            e["figures"] = [f["surface"] for f in by_statement.get(e["statement_id"], [])]
            rep["evidence"].append(e)
        rep["figures"] = figures
    return {
        "plan": plan,
        "tasks": tasks,
        "reporting_obligations": rows(db, "select * from reporting_obligations where plan_id = ? order by id",
                                      (plan_id,)),
        "reporting_status": reporting_rows(db, plan_id),
        "task_status": task_status_rows(db, plan_id),
        "reports": reports,
    }


def export_json(db: sqlite_utils.Database, plan_ids: list[str], single: bool) -> str:
    data: Any = dump(db, plan_ids[0]) if single else [dump(db, p) for p in plan_ids]
    return nfc(json.dumps(data, ensure_ascii=False, indent=1))
