"""Revised reports supersede earlier ones — on a small database made for the purpose."""

import pytest

from pipeline.db.schema import connect
from pipeline.db.supersede import find, supersede

PLAN = {"id": "plan", "filename": "kh.pdf", "format": "pdf", "kind": "plan", "number": "18/KH-UBND", "issued_on": "2026-01-15",
        "issuer_body_id": "ubnd", "status": "ok"}


@pytest.fixture
def db(tmp_path):
    db = connect(tmp_path / "t.db")
    db["documents"].insert(PLAN)
    return db


def report(db, id, number, issued_on, issuer="phong-a", period="2026-H1", ingested_at="2026-06-01T00:00:00",
           cites="plan"):
    db["documents"].insert({"id": id, "filename": f"{id}.pdf", "format": "pdf", "kind": "report", "number": number, "issued_on": issued_on,
                            "issuer_body_id": issuer, "period": period, "status": "ok", "ingested_at": ingested_at})
    if cites:
        db["document_links"].insert({"source_id": id, "target_id": cites, "relation": "cites", "basis": "t",
                                     "score": 1.0})


def test_supersede_later_version_replaces_earlier_whatever_the_arrival_order(db):
    report(db, "v2", "30/BC-A", "2026-06-12", ingested_at="2026-06-01T00:00:00")
    report(db, "v1", "22/BC-A", "2026-06-05", ingested_at="2026-06-20T00:00:00")
    assert [(s.newer, s.older) for s in find(db)] == [("v2", "v1")]
    assert supersede(db) is True
    assert {r["id"]: r["status"] for r in db["documents"].rows} == {"plan": "ok", "v1": "superseded", "v2": "ok"}
    assert supersede(db) is False  # nothing changes the second time


def test_supersede_one_document_in_two_files_is_one_version(db):
    report(db, "pdf", "30/BC-A", "2026-06-12")
    report(db, "docx", "30 / BC-A", "2026-06-12")
    assert find(db) == ()


@pytest.mark.parametrize("other", [
    {"issuer": "phong-b"},        # another body's report
    {"period": "2026"},           # another period
    {"cites": None},              # answers no plan
])
def test_supersede_needs_same_body_period_and_plan(db, other):
    report(db, "v1", "22/BC-A", "2026-06-05")
    report(db, "v2", "30/BC-A", "2026-06-12", **other)
    assert find(db) == ()
