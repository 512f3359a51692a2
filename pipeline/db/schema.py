"""The database schema, in one place: a sqlite-utils Migrations set.

Every extracted row carries its provenance: ``document_id``, ``page``, ``char_start``,
``char_end`` (offsets into ``document_text.text``). Dates are ISO 8601 text.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("plantrace")

PROVENANCE = {"document_id": str, "page": int, "char_start": int, "char_end": int}


@migrations()
def m001_spine(db: sqlite_utils.Database) -> None:
    db["documents"].create({
        "id": str, "filename": str, "format": str, "kind": str, "doc_type": str, "number": str,
        "title": str, "issuer_body_id": str, "issuer_text": str, "issuer_method": str,
        "issuer_score": float, "parent_body_id": str, "parent_text": str, "place": str,
        "issued_on": str, "signing_authority": str, "signer": str, "signer_title": str,
        "kinh_gui": str, "noi_nhan": str, "pages": int, "chars": int, "ocr": int, "period": str,
        "status": str, "stored_path": str, "ingested_at": str,
    }, pk="id", not_null={"filename", "format", "status"})
    db["document_text"].create({"document_id": str, "text": str, "text_folded": str},
                               pk="document_id", foreign_keys=[("document_id", "documents", "id")])
    db["document_text"].enable_fts(["text", "text_folded"], tokenize="unicode61 remove_diacritics 2",
                                    create_triggers=True)
    db["pages"].create({"document_id": str, "number": int, "char_start": int, "char_end": int, "ocr": int},
                       pk=("document_id", "number"), foreign_keys=[("document_id", "documents", "id")])
    db["header_fields"].create({"document_id": str, "field": str, "value": str, "surface": str,
                                "page": int, "char_start": int, "char_end": int},
                               pk=("document_id", "field", "char_start"),
                               foreign_keys=[("document_id", "documents", "id")])
    db["sections"].create({"id": str, "document_id": str, "parent_id": str, "label": str, "heading": str,
                           "level": int, "kind": str, "page": int, "char_start": int, "char_end": int,
                           "body_end": int}, pk="id",
                          foreign_keys=[("document_id", "documents", "id")])
    db["bodies"].create({"id": str, "name": str, "short_name": str, "kind": str, "level": str,
                         "parent_id": str, "members_kind": str}, pk="id")
    db["body_aliases"].create({"body_id": str, "alias": str}, pk=("body_id", "alias"),
                              foreign_keys=[("body_id", "bodies", "id")])
    db["mentions"].create({"id": str, "document_id": str, "body_id": str, "surface": str, "score": float,
                           "method": str, "page": int, "char_start": int, "char_end": int}, pk="id",
                          foreign_keys=[("document_id", "documents", "id"), ("body_id", "bodies", "id")])
    db["ingest_log"].create({"id": int, "path": str, "filename": str, "sha256": str, "started_at": str,
                             "finished_at": str, "outcome": str, "stage": str, "error": str,
                             "document_id": str}, pk="id")
    for table, cols in [("sections", ["document_id"]), ("mentions", ["document_id"]), ("mentions", ["body_id"]),
                        ("header_fields", ["document_id"]), ("ingest_log", ["sha256"])]:
        db[table].create_index(cols, if_not_exists=True)


@migrations()
def m002_tasks(db: sqlite_utils.Database) -> None:
    db["tasks"].create({"id": str, "document_id": str, "section_id": str, "ref": str, "text": str,
                        "deadline": str, "recurrence": str, "product": str, "source": str, "page": int,
                        "char_start": int, "char_end": int}, pk="id",
                       foreign_keys=[("document_id", "documents", "id")])
    db["task_bodies"].create({"id": int, "document_id": str, "task_id": str, "body_id": str, "role": str,
                              "surface": str, "method": str, "score": float, "via_body_id": str}, pk="id",
                             foreign_keys=[("task_id", "tasks", "id"), ("body_id", "bodies", "id")])
    db["reporting_obligations"].create({
        "id": int, "document_id": str, "plan_id": str, "obligation_id": str, "body_id": str, "what": str,
        "period": str, "due_on": str, "recipient_body_id": str, "via_body_id": str, "page": int,
        "char_start": int, "char_end": int}, pk="id", foreign_keys=[("body_id", "bodies", "id")])
    for table, cols in [("tasks", ["document_id"]), ("task_bodies", ["task_id"]), ("task_bodies", ["body_id"]),
                        ("task_bodies", ["document_id"]), ("reporting_obligations", ["document_id"])]:
        db[table].create_index(cols, if_not_exists=True)


@migrations()
def m003_citations_figures(db: sqlite_utils.Database) -> None:
    db["legal_documents"].create({"id": str, "doc_type": str, "number": str, "issued_on": str, "issuer": str,
                                  "title": str, "names": str, "source": str, "document_id": str}, pk="id")
    db["citations"].create({
        "id": str, "document_id": str, "surface": str, "kind": str, "doc_type": str, "number": str,
        "grammar": str, "type_code": str, "issuer_code": str, "year": int, "issued_on": str, "issuer": str,
        "name": str, "legal_document_id": str, "score": float, "method": str, "note": str, "section_id": str,
        "page": int, "char_start": int, "char_end": int}, pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("legal_document_id", "legal_documents", "id")])
    db["figures"].create({
        "id": str, "document_id": str, "surface": str, "value": float, "unit": str, "kind": str,
        "qualifier": str, "denominator": float, "counted": str, "section_id": str, "statement_id": str,
        "page": int, "char_start": int, "char_end": int}, pk="id",
        foreign_keys=[("document_id", "documents", "id")])
    db["document_links"].create({"id": int, "source_id": str, "target_id": str, "relation": str, "basis": str,
                                 "score": float}, pk="id")
    for table, cols in [("citations", ["document_id"]), ("citations", ["legal_document_id"]),
                        ("figures", ["document_id"]), ("document_links", ["source_id"]),
                        ("document_links", ["target_id"])]:
        db[table].create_index(cols, if_not_exists=True)


@migrations()
def m004_crosscheck(db: sqlite_utils.Database) -> None:
    db["statements"].create({
        "id": str, "document_id": str, "section_id": str, "part": str, "future": int, "source": str,
        "about_body_id": str, "text": str, "text_folded": str, "page": int, "char_start": int, "char_end": int},
        pk="id", foreign_keys=[("document_id", "documents", "id")])
    db["statements"].enable_fts(["text", "text_folded"], tokenize="unicode61 remove_diacritics 2",
                                create_triggers=True)
    db["evidence"].create({"id": str, "plan_id": str, "report_id": str, "task_id": str, "statement_id": str,
                           "body_id": str, "score": float, "method": str}, pk="id",
                          foreign_keys=[("task_id", "tasks", "id"), ("statement_id", "statements", "id")])
    db["reviews"].create({"id": int, "evidence_id": str, "verdict": str, "note": str, "reviewer": str, "at": str},
                         pk="id")
    for table, cols in [("statements", ["document_id"]), ("evidence", ["task_id"]), ("evidence", ["statement_id"]),
                        ("evidence", ["report_id"]), ("reviews", ["evidence_id"])]:
        db[table].create_index(cols, if_not_exists=True)


@migrations()
def m005_gaps(db: sqlite_utils.Database) -> None:
    db["task_gaps"].create({"id": str, "plan_id": str, "report_id": str, "task_id": str, "statement_id": str,
                            "body_id": str, "score": float}, pk="id")


@migrations()
def m006_ocr_confidence(db: sqlite_utils.Database) -> None:
    db["pages"].add_column("ocr_confidence", float)


@migrations()
def m007_ocr_words(db: sqlite_utils.Database) -> None:
    db["ocr_words"].create({"document_id": str, "page": int, "char_start": int, "char_end": int,
                            "x0": float, "top": float, "x1": float, "bottom": float},
                           pk=("document_id", "char_start"), foreign_keys=[("document_id", "documents", "id")])


# Tables holding what one document produced; replaced as a whole when it is re-ingested.
@migrations()
def m008_mention_jurisdiction(db: sqlite_utils.Database) -> None:
    """Why a mention stayed unresolved, and the jurisdiction its name was resolved in."""
    db["mentions"].add_column("note", str)
    db["mentions"].add_column("jurisdiction", str)


DOCUMENT_TABLES = ("document_text", "pages", "header_fields", "sections", "mentions", "tasks", "task_bodies",
                   "reporting_obligations", "citations", "figures", "statements", "ocr_words")


# A task with evidence is reported, unless the report's shortcomings part says it was not
# fully done and at most this many statements evidence it: then it is partly reported.
PARTLY_MAX = 1

VIEWS = {
    # the latest verdict an analyst gave each evidence link
    "evidence_verdicts": """
        SELECT r.evidence_id, r.verdict, r.note, r.reviewer, r.at FROM reviews r
        WHERE r.id = (SELECT max(id) FROM reviews x WHERE x.evidence_id = r.evidence_id)""",
    # reports that answer a plan, with the period they cover
    "plan_reports": """
        SELECT l.target_id AS plan_id, d.id AS report_id, d.issuer_body_id AS body_id, d.period, d.issued_on,
               d.filename, l.basis
        FROM document_links l JOIN documents d ON d.id = l.source_id
        WHERE l.relation = 'responds_to' AND d.status = 'ok'""",
    "task_status": """
        WITH responsible AS (
            SELECT DISTINCT t.document_id AS plan_id, t.id AS task_id, t.ref, t.text AS task_text,
                   tb.body_id, tb.role, b.name AS body_name, b.kind AS body_kind, t.deadline
            FROM tasks t JOIN documents p ON p.id = t.document_id AND p.status = 'ok'
            JOIN task_bodies tb ON tb.task_id = t.id JOIN bodies b ON b.id = tb.body_id
            WHERE tb.role IN ('lead', 'requested') AND b.kind != 'collective'),
        ev AS (
            SELECT e.task_id, e.body_id, count(*) AS n, max(e.score) AS best,
                   sum(v.verdict = 'confirmed') AS confirmed
            FROM evidence e LEFT JOIN evidence_verdicts v ON v.evidence_id = e.id
            WHERE coalesce(v.verdict, '') != 'rejected' GROUP BY e.task_id, e.body_id),
        gaps AS (SELECT DISTINCT task_id, body_id FROM task_gaps),
        latest AS (
            SELECT pr.*, o.due_on FROM plan_reports pr
            LEFT JOIN (SELECT DISTINCT plan_id, period, due_on FROM reporting_obligations) o
                   ON o.plan_id = pr.plan_id AND o.period = pr.period
            WHERE pr.issued_on = (SELECT max(issued_on) FROM plan_reports x
                                  WHERE x.plan_id = pr.plan_id AND x.body_id = pr.body_id))
        SELECT r.plan_id, r.task_id, r.ref, r.task_text, r.body_id, r.body_name, r.role,
               l.report_id, l.filename AS report_file, (l.report_id IS NOT NULL) AS report_received,
               CASE WHEN l.report_id IS NULL OR l.due_on IS NULL THEN NULL ELSE l.issued_on <= l.due_on END AS on_time,
               coalesce(ev.n, 0) AS evidence_count, ev.best AS best_score, coalesce(ev.confirmed, 0) AS confirmed,
               (g.task_id IS NOT NULL) AS gap_reported,
               CASE WHEN l.report_id IS NULL AND r.body_kind != 'catch_all' AND ev.n IS NULL THEN 'no_report_received'
                    WHEN ev.n IS NULL THEN 'not_reported'
                    WHEN g.task_id IS NOT NULL AND coalesce(ev.confirmed, 0) = 0 AND ev.n <= {partly_max}
                         THEN 'partly_reported'
                    ELSE 'reported' END AS status
        FROM responsible r
        LEFT JOIN latest l ON l.plan_id = r.plan_id AND l.body_id = r.body_id
        LEFT JOIN ev ON ev.task_id = r.task_id AND (ev.body_id = r.body_id OR r.body_kind = 'catch_all')
        LEFT JOIN gaps g ON g.task_id = r.task_id AND g.body_id = r.body_id""",
    "reporting_status": """
        SELECT o.plan_id, o.obligation_id, o.what, o.body_id, b.name AS body_name, o.period, o.due_on,
               pr.report_id, pr.filename AS report_file, pr.issued_on AS received_on,
               CASE WHEN pr.issued_on > o.due_on THEN CAST(julianday(pr.issued_on) - julianday(o.due_on) AS INTEGER)
                    ELSE 0 END AS days_late,
               CASE WHEN pr.report_id IS NULL THEN 'missing' WHEN pr.issued_on > o.due_on THEN 'late'
                    ELSE 'received' END AS status
        FROM reporting_obligations o JOIN documents p ON p.id = o.plan_id AND p.status = 'ok'
        JOIN bodies b ON b.id = o.body_id
        LEFT JOIN plan_reports pr ON pr.plan_id = o.plan_id AND pr.body_id = o.body_id AND pr.period = o.period""",
    # what reports say they did that no task of their plan asked for
    "unassigned_activities": """
        SELECT s.id AS statement_id, d.id AS report_id, d.filename, d.issuer_body_id AS body_id, s.text, s.page,
               s.char_start, s.char_end
        FROM statements s JOIN documents d ON d.id = s.document_id AND d.status = 'ok'
        WHERE s.part = 'results' AND s.future = 0 AND s.about_body_id IS NULL
          AND s.id NOT IN (SELECT statement_id FROM evidence)""",
}


def create_views(db: sqlite_utils.Database) -> None:
    for name, sql in VIEWS.items():
        db.create_view(name, sql.format(partly_max=PARTLY_MAX), replace=True)


def connect(path) -> sqlite_utils.Database:
    """Open (creating if needed) a plantrace database in WAL mode, schema up to date."""
    db = sqlite_utils.Database(path)
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    migrations.apply(db)
    create_views(db)
    return db
