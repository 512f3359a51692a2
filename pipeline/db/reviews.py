"""Analysts' verdicts on evidence links, kept where a rebuild cannot lose them.

Every verdict is appended to ``reviews.jsonl`` beside the database (one JSON object per
line) and inserted into the ``reviews`` table. Evidence ids are derived from the task's
and the statement's content, so after the database is deleted and rebuilt from the same
files, ``load`` puts every verdict back on the same link.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import sqlite_utils

from pipeline.db.schema import connect
from pipeline.db.store import now


class ReviewError(Exception):
    pass


def journal(db_path: Path) -> Path:
    return Path(db_path).with_name("reviews.jsonl")


def record(db_path: Path, evidence_id: str, verdict: str, note: str | None = None,
           reviewer: str | None = None) -> dict:
    if verdict not in ("confirmed", "rejected"):
        raise ReviewError(f"verdict must be confirmed or rejected, not {verdict!r}")
    if not Path(db_path).exists():
        raise ReviewError(f"no database at {db_path}")
    db = connect(db_path)
    if not db.execute("select 1 from evidence where id = ?", [evidence_id]).fetchone():
        raise ReviewError(f"no evidence link with id {evidence_id}")
    row = {"evidence_id": evidence_id, "verdict": verdict, "note": note,
           "reviewer": reviewer or os.environ.get("PLANTRACE_REVIEWER") or getpass.getuser(), "at": now()}
    with open(journal(db_path), "a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    db["reviews"].insert(row)
    return row


def load(db: sqlite_utils.Database, db_path: Path) -> int:
    """Replay the journal into the reviews table (after a rebuild); returns the rows loaded."""
    path = journal(db_path)
    if not path.exists():
        return 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with db.atomic():
        db.execute("DELETE FROM reviews")
        db["reviews"].insert_all(rows)
    return len(rows)
