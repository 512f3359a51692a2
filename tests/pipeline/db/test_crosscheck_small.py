"""The cross-check on a small database made for the purpose: one plan, one report, the
purpose-made gazetteer (tests/fixtures/gazetteer-mini)."""

from pathlib import Path

import pytest
import sqlite_utils

from gazetteer import load
from pipeline.intake.ingest import Pipeline

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    out = tmp_path_factory.mktemp("small")
    pipe = Pipeline(out / "p.db", gazetteer=load(FIXTURES / "gazetteer-mini"))
    summary = pipe.ingest([FIXTURES / "small-plan"])
    assert summary.count("ingested") == 2, [o.error for o in summary.outcomes]
    return sqlite_utils.Database(out / "p.db")


def _status(db):
    return {(r["ref"], r["body_id"]): r["status"] for r in db.query("select ref, body_id, status from task_status")}


def test_the_report_answers_the_plan_it_cites(db):
    (link,) = db.query("select d.filename, l.basis from document_links l join documents d on d.id = l.source_id "
                       "where l.relation = 'responds_to'")
    assert link["filename"] == "bao-cao.txt" and "07/KH-UBND" in link["basis"]


def test_done_work_evidences_its_task_and_the_future_does_not(db):
    ev = {(r["ref"], r["text"][:20]) for r in db.query(
        "select t.ref, s.text from evidence e join tasks t on t.id = e.task_id "
        "join statements s on s.id = e.statement_id")}
    assert ("II.1.-1", "1. Phòng đã tổ chức ") in ev
    assert all(not text.startswith("Phòng sẽ") for _, text in ev)
    st = _status(db)
    assert st[("II.1.-1", "bk-phong-nong-nghiep")] == "reported"
    assert st[("II.1.-2", "bk-phong-nong-nghiep")] == "not_reported"  # only promised for next year


def test_a_body_that_sent_nothing_is_flagged_missing(db):
    st = _status(db)
    assert st[("II.2.-1", "bk-ubnd-xa-nam-thu")] == "no_report_received"
    missing = {r["body_id"] for r in db.query("select body_id from reporting_status where status = 'missing'")}
    assert {"bk-ubnd-xa-nam-thu", "bk-ubnd-xa-pa-mau"} <= missing
    assert "bk-phong-nong-nghiep" not in missing
