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


# Tables holding what one document produced; replaced as a whole when it is re-ingested.
DOCUMENT_TABLES = ("document_text", "pages", "header_fields", "sections", "mentions", "tasks", "task_bodies",
                   "reporting_obligations", "citations", "figures")


def connect(path) -> sqlite_utils.Database:
    """Open (creating if needed) a plantrace database in WAL mode, schema up to date."""
    db = sqlite_utils.Database(path)
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    migrations.apply(db)
    return db
