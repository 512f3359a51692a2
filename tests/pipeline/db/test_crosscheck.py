"""Reports to plans, tasks to evidence, and the status views, on the whole corpus."""

import sqlite3
import subprocess
import sys

import pytest
import sqlite_utils

from tests.conftest import ROOT, corpus_files


@pytest.fixture(scope="module")
def db(corpus_db):
    return sqlite_utils.Database(corpus_db)


def _doc(db, filename):
    return next(db.query("select * from documents where filename = ?", [filename]))


def test_every_report_answers_its_plan(db):
    plans = {r["id"]: r["number"] for r in db.query("select id, number from documents where kind = 'plan'")}
    links = {r["filename"]: plans[r["plan_id"]] for r in db.query(
        "select d.filename, l.target_id as plan_id from document_links l join documents d on d.id = l.source_id "
        "where l.relation = 'responds_to'")}
    reports = [r["filename"] for r in db.query("select filename from documents where kind = 'report'")]
    assert set(links) == set(reports)
    for name, number in links.items():
        assert number == ("58/KH-UBND" if name.startswith("bc_hq_") else "95/KH-UBND"), name


def test_a_wrong_date_in_the_citation_is_kept_and_noted(db):
    row = next(db.query("select c.method, c.note, c.issued_on from citations c join documents d on d.id = c.document_id "
                        "where d.filename = 'bc_vhtt_2023_h1.pdf' and c.number = '95/KH-UBND'"))
    assert (row["method"], row["issued_on"]) == ("near_miss", "2023-04-14")
    assert "2023-04-18" in row["note"]


def test_a_plan_in_two_files_counts_once(db):
    statuses = sorted(r["status"] for r in db.query("select status from documents where number = '95/KH-UBND'"))
    assert statuses == ["duplicate", "ok"]


@pytest.mark.parametrize("body, period, status, days", [
    ("phong-tu-phap", "2023", "late", 6),
    ("ttyt-huyen", "2023", "late", 13),
    ("hq-cong-an-huyen", "2024-H1", "late", 9),
    ("ubnd-thi-tran-trung-khanh", "2023", "received", 0),  # sent on the last allowed day
    ("phong-noi-vu", "2023-H1", "received", 0),
    ("phong-noi-vu", "2023", "missing", 0),
    ("chi-cuc-thong-ke", "2023", "missing", 0),
    ("hq-phong-tckh", "2024", "missing", 0),
])
def test_reporting_status(db, body, period, status, days):
    row = next(db.query("select status, days_late from reporting_status where body_id = ? and period = ?", [body, period]))
    assert (row["status"], row["days_late"]) == (status, days)


def test_task_status_tells_unreported_from_missing(db):
    rows = {(r["ref"], r["body_id"]): r["status"] for r in db.query("select ref, body_id, status from task_status")}
    assert rows[("IV.10", "chi-cuc-thong-ke")] == "no_report_received"
    assert rows[("IV.3.-3", "phong-tu-phap")] == "not_reported"
    assert rows[("IV.9", "cong-an-huyen")] == "reported"
    assert rows[("PL.8", "hq-vp-hdnd-ubnd")] == "not_reported"
    assert all(rows[(f"IV.15.-{k}", "ubnd-xa-quang-han")] == "no_report_received" for k in range(1, 6))


def test_future_plans_and_other_bodies_work_are_never_evidence(db):
    bad = db.execute("select count(*) from evidence e join statements s on s.id = e.statement_id "
                     "where s.future = 1 or s.part in ('direction', 'proposals', 'shortcomings') "
                     "or (s.about_body_id is not null and s.about_body_id != e.body_id)").fetchone()[0]
    assert bad == 0


def test_the_standing_office_summary_is_not_evidence_for_others(db):
    """LĐTBXH's annual report describes what other bodies did: that is not their evidence."""
    ldtbxh = _doc(db, "bc_ldtbxh_2023_nam.docx")["id"]
    bodies = {r["body_id"] for r in db.query("select body_id from evidence where report_id = ?", [ldtbxh])}
    assert bodies == {"phong-ldtbxh"}
    about = db.execute("select count(*) from statements where document_id = ? and about_body_id is not null",
                       [ldtbxh]).fetchone()[0]
    assert about >= 3


def test_figures_are_linked_to_their_statement(db):
    row = next(db.query("select f.surface, s.text from figures f join statements s on s.id = f.statement_id "
                        "where f.surface = '236 lượt người'"))
    assert "236 lượt người" in row["text"]


def test_evidence_ids_survive_a_rebuild_and_so_do_verdicts(corpus_db, tmp_path):
    db = sqlite_utils.Database(corpus_db)
    evidence_id = next(db.query("select id from evidence order by id limit 1"))["id"]
    before = {r["id"] for r in db.query("select id from evidence")}
    rebuilt = tmp_path / "plantrace.db"
    with sqlite3.connect(corpus_db) as src, sqlite3.connect(rebuilt) as dst:
        src.backup(dst)
    run = lambda *a: subprocess.run([sys.executable, "-m", "pipeline", *a], cwd=ROOT, capture_output=True, text=True,
                                    timeout=600)
    r = run("review", "reject", evidence_id, "--note", "không phải minh chứng", "--reviewer", "Kiểm toán viên",
            "--db", str(rebuilt))
    assert r.returncode == 0, r.stderr
    assert run("review", "confirm", "khong-co", "--db", str(rebuilt)).returncode != 0
    rebuilt.unlink()
    for suffix in ("-wal", "-shm"):
        rebuilt.with_name(rebuilt.name + suffix).unlink(missing_ok=True)
    assert run("ingest", *map(str, corpus_files()), "--db", str(rebuilt), "--quiet").returncode == 0
    again = sqlite_utils.Database(rebuilt)
    assert {r["id"] for r in again.query("select id from evidence")} == before
    verdict = next(again.query("select verdict, note, reviewer from evidence_verdicts where evidence_id = ?",
                               [evidence_id]))
    assert verdict == {"verdict": "rejected", "note": "không phải minh chứng", "reviewer": "Kiểm toán viên"}


@pytest.mark.parametrize("filename, body", [
    ("bc_tckh_2023_nam_scan.pdf", "phong-tckh"),          # scanned: OCR
    ("bc_ttvhtt_2023_nam.doc", "ttvhtt"),                 # Word 97, through LibreOffice
    ("bc_xa_ngocon_2023_nam_tcvn3.docx", "ubnd-xa-ngoc-con"),  # TCVN3 (.VnTime) text
    ("bc_dantoc_2023_h1_vni.txt", "phong-dan-toc"),       # VNI bytes
])
def test_scanned_and_legacy_reports_reach_the_evidence(db, filename, body):
    doc = _doc(db, filename)
    assert doc["issuer_body_id"] == body
    assert db.execute("select count(*) from document_links where source_id = ? and relation = 'responds_to'",
                      [doc["id"]]).fetchone()[0] == 1
    assert db.execute("select count(*) from evidence where report_id = ?", [doc["id"]]).fetchone()[0] >= 1


def test_ocr_pages_carry_their_confidence(db):
    doc = _doc(db, "bc_tckh_2023_nam_scan.pdf")
    assert doc["ocr"] == 1
    pages = list(db.query("select ocr, ocr_confidence from pages where document_id = ?", [doc["id"]]))
    assert pages and all(p["ocr"] == 1 and p["ocr_confidence"] > 80 for p in pages)


def test_ocr_words_keep_their_boxes_and_cover_the_text(db):
    """Every character an OCR'd page put in the text lies in a recognised word with its box."""
    doc = _doc(db, "bc_tckh_2023_nam_scan.pdf")
    text = db["document_text"].get(doc["id"])["text"]
    words = list(db.query("select * from ocr_words where document_id = ? order by char_start", [doc["id"]]))
    assert len(words) > 300
    for w in words:
        surface = text[w["char_start"]:w["char_end"]]
        assert surface and not any(c.isspace() for c in surface)
        assert 0 <= w["x0"] < w["x1"] <= 595.3 and 0 <= w["top"] < w["bottom"] <= 841.9
    covered = sum(w["char_end"] - w["char_start"] for w in words)
    assert covered / sum(not c.isspace() for c in text) >= 0.98
    # text from a born-digital PDF has no OCR words
    assert db.execute("select count(*) from ocr_words o join documents d on d.id = o.document_id "
                      "where d.ocr = 0").fetchone()[0] == 0
