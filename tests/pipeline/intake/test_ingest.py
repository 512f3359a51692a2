"""Ingesting the corpus into a real SQLite file: idempotent, provenance everywhere, bad files logged."""

import json
import shutil
import sqlite3

import sqlite_utils

from pipeline.intake.ingest import Pipeline, collect
from pipeline.intake.walk import is_ignored
from pipeline.core.textnorm import squash
from tests.conftest import CORPUS, corpus_files, gold_files


def test_every_corpus_document_is_ingested(corpus_db):
    db = sqlite_utils.Database(corpus_db)
    assert db["documents"].count == len(corpus_files())
    rows = {r["filename"]: r for r in db["documents"].rows}
    for g in gold_files():
        row, h = rows[g["file"]], g["header"]
        issuer = db["bodies"].get(row["issuer_body_id"])["name"]
        assert (row["kind"], row["number"], row["issued_on"], issuer) == (
            h["kind"], h["number"], h["issued_on"], h["issuer"])


def test_reingesting_the_same_bytes_adds_nothing(corpus_db, tmp_path):
    db_path = tmp_path / "plantrace.db"
    with sqlite3.connect(corpus_db) as src, sqlite3.connect(db_path) as dst:
        src.backup(dst)
    db = sqlite_utils.Database(db_path)
    before = {t: db[t].count for t in ("documents", "document_text", "sections", "mentions", "header_fields")}
    summary = Pipeline(db_path).ingest(corpus_files())
    assert summary.count("ingested") == 0 and summary.count("duplicate") == db["documents"].count
    after = {t: db[t].count for t in before}
    assert after == before
    assert db.execute("select count(*) from ingest_log where outcome = 'duplicate'").fetchone()[0] == db["documents"].count


def test_every_extracted_row_points_at_its_text(corpus_db):
    db = sqlite_utils.Database(corpus_db)
    texts = {r["document_id"]: r["text"] for r in db["document_text"].rows}
    pages = {}
    for p in db["pages"].rows:
        pages.setdefault(p["document_id"], []).append(p)
    for table, surface in [("mentions", "surface"), ("header_fields", "surface")]:
        for r in db[table].rows:
            assert texts[r["document_id"]][r["char_start"]:r["char_end"]] == r[surface], (table, r)
            page = next(p["number"] for p in pages[r["document_id"]] if p["char_start"] <= r["char_start"] < p["char_end"])
            assert page == r["page"]
    for s in db["sections"].rows:
        assert squash(texts[s["document_id"]][s["char_start"]:s["char_end"]]).endswith(s["heading"])


def test_full_text_search_ignores_diacritics_and_d_stroke(corpus_db):
    db = sqlite_utils.Database(corpus_db)
    for query in ["nghi dinh", "Nghị định", "dam thuy", "Đàm Thuỷ", "binh dang gioi"]:
        hits = db.execute("select count(*) from document_text_fts where document_text_fts match ?",
                          [f'"{query}"']).fetchone()[0]
        assert hits > 0, query


def test_bad_files_are_logged_quarantined_and_the_batch_goes_on(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(CORPUS / "bc_noivu_2023_h1.pdf", inbox / "good.pdf")
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "fake.pdf").write_text("<html><body>không phải PDF</body></html>", encoding="utf-8")
    (inbox / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (inbox / "~$lock.docx").write_bytes(b"lock")
    (inbox / "x.pdf").mkdir()
    out = tmp_path / "outputs"
    summary = Pipeline(out / "plantrace.db").ingest([inbox])
    outcomes = {o.path.name: o for o in summary.outcomes}
    assert "~$lock.docx" not in outcomes  # Word lock files are not documents
    assert "x.pdf" not in outcomes  # a folder is walked (here: empty), never taken as a file
    assert outcomes["good.pdf"].outcome == "ingested"
    for name in ["empty.pdf", "fake.pdf", "broken.docx"]:
        assert outcomes[name].outcome == "failed" and outcomes[name].stage == "read", name
        assert "\n" not in outcomes[name].error
    db = sqlite_utils.Database(out / "plantrace.db")
    log = {r["filename"]: r for r in db["ingest_log"].rows}
    assert log["fake.pdf"]["error"] == "named .pdf but is an HTML page"
    assert log["empty.pdf"]["error"] == "empty file (0 bytes)"
    quarantined = sorted(p.name for p in (out / "quarantine").iterdir())
    assert any(n.endswith("-fake.pdf") for n in quarantined)
    assert any(n.endswith("-fake.pdf.error.txt") for n in quarantined)
    assert (inbox / "fake.pdf").exists()  # ingest copies to quarantine; it never deletes the original


def test_collect_skips_temporary_and_system_files(tmp_path):
    for name in ["a.pdf", "~$b.docx", "c.tmp", "d.part", ".hidden.pdf", "Thumbs.db", "e.docx"]:
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in collect([tmp_path])] == ["a.pdf", "e.docx"]
    assert is_ignored(tmp_path / "x.crdownload")


def test_header_values_are_stored_as_json_lists(corpus_db):
    db = sqlite_utils.Database(corpus_db)
    row = next(db["documents"].rows_where("filename = ?", ["bc_gddt_2023_h1.docx"]))
    assert json.loads(row["kinh_gui"]) == ["Ủy ban nhân dân huyện Trùng Khánh", "Phòng Lao động - Thương binh và Xã hội"]
    assert json.loads(row["noi_nhan"])[-1].startswith("Lưu")
