"""What every export shares: the database reads, the wording in Vietnamese, the names of files."""


from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import sqlite_utils


class ExportError(Exception):
    """A one-line reason the export cannot be made (no database, unknown plan, …)."""


TASK_STATUS_VI = {
    "reported": "Đã báo cáo",
    "partly_reported": "Báo cáo một phần",
    "not_reported": "Chưa báo cáo nhiệm vụ",
    "no_report_received": "Chưa nhận báo cáo",
}
REPORT_STATUS_VI = {"received": "Đã nhận đúng hạn", "late": "Nộp muộn", "missing": "Chưa nhận"}
ROLE_VI = {"lead": "chủ trì", "requested": "được đề nghị", "coordinate": "phối hợp"}
# cell fills (ARGB-less hex): green, yellow, orange, red
TASK_FILLS = {"reported": "C6EFCE", "partly_reported": "FFEB9C", "not_reported": "F8CBAD",
              "no_report_received": "FFC7CE"}
REPORT_FILLS = {"received": "C6EFCE", "late": "FFEB9C", "missing": "FFC7CE"}
# when a body holds a task in two roles, the cell shows the best of its statuses
STATUS_RANK = {"reported": 3, "partly_reported": 2, "not_reported": 1, "no_report_received": 0}
MAX_QUOTES = 3


def nfc(s: Any) -> Any:
    return unicodedata.normalize("NFC", s) if isinstance(s, str) else s


# ----------------------------------------------------------------------------- database


def open_db(path: Path) -> sqlite_utils.Database:
    """The plantrace database at ``path``, never created by an export."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"no database at {path}: run 'python -m pipeline ingest corpus/documents' first")
    db = sqlite_utils.Database(path)
    missing = {"documents", "tasks", "task_status", "reporting_status"} - set(db.table_names() + db.view_names())
    if missing:
        raise ExportError(f"{path} is not a plantrace database (no {', '.join(sorted(missing))})")
    return db


def rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    return [dict(r) for r in db.query(sql, params)]


def resolve_plans(db: sqlite_utils.Database, plan: str | None = None) -> list[str]:
    """Plan document ids: the one named by ``plan`` (document id, or số ký hiệu such as
    ``95/KH-UBND``), else every plan whose status is 'ok', oldest first."""
    if plan is None:
        ids = [r["id"] for r in rows(db, "select id from documents where kind = 'plan' and status = 'ok' "
                                          "order by issued_on, number, id")]
        if not ids:
            raise ExportError("the database holds no plan yet")
        return ids
    key = nfc(plan.strip())
    found = rows(db, "select id, number, status from documents where kind = 'plan' and (id = ? or number = ? "
                     "collate nocase) order by status = 'ok' desc, ingested_at, id", (key, key))
    if not found:
        raise ExportError(f"no plan {plan} in the database")
    ok = [r for r in found if r["status"] == "ok"]
    if len(ok) > 1 and not any(r["id"] == key for r in ok):
        raise ExportError(f"{len(ok)} plans are numbered {plan}: name one by document id "
                          f"({', '.join(r['id'][:12] for r in ok)})")
    return [found[0]["id"]]


def plan_row(db: sqlite_utils.Database, plan_id: str) -> dict:
    return rows(db, "select * from documents where id = ?", (plan_id,))[0]


def plan_tasks(db, plan_id: str) -> list[dict]:
    return rows(db, "select * from tasks where document_id = ? order by char_start, id", (plan_id,))


def task_status_rows(db, plan_id: str) -> list[dict]:
    return rows(db, "select s.* from task_status s join tasks t on t.id = s.task_id where s.plan_id = ? "
                    "order by t.char_start, s.body_name, s.role", (plan_id,))


def reporting_rows(db, plan_id: str) -> list[dict]:
    return rows(db, "select * from reporting_status where plan_id = ? order by due_on, period, body_name",
                (plan_id,))


def evidence_for(db, task_id: str, body_id: str | None = None) -> list[dict]:
    """Evidence of a task (for one body, or all), rejected links left out, best first."""
    sql = ("select e.id as evidence_id, e.task_id, e.body_id, e.score, e.method, e.report_id, "
           "coalesce(v.verdict, '') as verdict, s.id as statement_id, s.text, s.page, s.char_start, s.char_end, "
           "d.filename from evidence e join statements s on s.id = e.statement_id "
           "join documents d on d.id = e.report_id "
           "left join evidence_verdicts v on v.evidence_id = e.id "
           "where e.task_id = ? and coalesce(v.verdict, '') != 'rejected'")
    params: tuple = (task_id,)
    if body_id is not None:
        sql += " and e.body_id = ?"
        params += (body_id,)
    return rows(db, sql + " order by v.verdict = 'confirmed' desc, e.score desc, s.char_start", params)


# ----------------------------------------------------------------------------- wording


def vi_date(iso: str | None) -> str:
    """2023-12-20 → 20/12/2023 (as written in Vietnamese administrative documents)."""
    if not iso:
        return ""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso[:10])
    return f"{m[3]}/{m[2]}/{m[1]}" if m else iso


def issuer_name(db, plan: dict) -> str | None:
    """The plan's issuer as the gazetteer names it (not the upper-case header line)."""
    if plan.get("issuer_body_id"):
        found = rows(db, "select name from bodies where id = ?", (plan["issuer_body_id"],))
        if found:
            return found[0]["name"]
    return plan.get("issuer_text")


def quote(text: str) -> str:
    """A statement as a quotation: without its bullet."""
    return "“" + re.sub(r"^\s*[-–•+*]\s*", "", text.strip()) + "”"


def vi_period(period: str | None) -> str:
    if not period:
        return ""
    if m := re.fullmatch(r"(\d{4})-H1", period):
        return f"6 tháng đầu năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-H2", period):
        return f"6 tháng cuối năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        return f"quý {m[2]} năm {m[1]}"
    if re.fullmatch(r"\d{4}", period):
        return f"năm {period}"
    return period


def plan_label(plan: dict) -> str:
    """Kế hoạch số 95/KH-UBND ngày 18/4/2023 (the way reports cite it)."""
    label = f"Kế hoạch số {plan['number']}" if plan.get("number") else f"Kế hoạch {plan['filename']}"
    if plan.get("issued_on"):
        y, m, d = plan["issued_on"][:10].split("-")
        label += f" ngày {int(d)}/{int(m)}/{y}"
    return label


def sheet_title(plan: dict, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, none of []:*?/\\) unique in the workbook."""
    base = "KH " + (plan.get("number") or plan["filename"])
    base = re.sub(r"[\[\]:*?/\\]", "-", base)[:28]
    name, n = base, 2
    while name in taken or name == "Báo cáo":
        name, n = f"{base[:26]} ({n})", n + 1
    taken.add(name)
    return name



def default_output(db_path: Path, fmt: str, plan_ids: list[str], db: sqlite_utils.Database) -> Path:
    """outputs/ke-hoach-95-KH-UBND.xlsx (one plan) or outputs/ke-hoach.xlsx (all), beside the database."""
    if len(plan_ids) == 1:
        number = plan_row(db, plan_ids[0]).get("number") or plan_ids[0][:12]
        stem = "ke-hoach-" + re.sub(r"[^0-9A-Za-z]+", "-", unicodedata.normalize("NFKD", number)
                                    .encode("ascii", "ignore").decode()).strip("-")
    else:
        stem = "ke-hoach"
    return Path(db_path).parent / f"{stem}.{fmt}"
