"""Stage "supersede": a revised report replaces the earlier one, and both stay queryable.

Two reports are versions of one report when they come from the same issuing body
(``documents.issuer_body_id``), for the same period (``documents.period``) and answer the
same plan (a ``cites`` link, written by ``link.relink``, to a document of kind ``plan``;
the plan's PDF and DOCX count as one plan). Files with the same số ký hiệu and date are
one version (a PDF and its DOCX): the same identity (``pipeline.core.identity``). Versions are ordered by
their date, then by when they arrived; every file of an older version gets
``status = 'superseded'`` (a ``duplicate`` copy of it too: it is as old) and a
``document_links`` row ``supersedes`` from each file of the next version to it. The whole relation is recomputed from the database each time, so
the result does not depend on the order the files came in (except for two versions with
one date, where the later arrival wins).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlite_utils

from pipeline.core.identity import key_of


@dataclass(frozen=True)
class Supersession:
    newer: str
    older: str
    basis: str


def find(db: sqlite_utils.Database) -> tuple[Supersession, ...]:
    """Which report files supersede which, from the documents and their ``cites`` links."""
    plans = {r["id"]: r for r in db.query("select id, number, issued_on, issuer_body_id, issuer_text "
                                          "from documents where kind = 'plan'")}
    plan_key = {pid: key_of(p) or pid for pid, p in plans.items()}
    cited: dict[str, set] = defaultdict(set)
    for r in db.query("select source_id, target_id from document_links where relation = 'cites'"):
        if r["target_id"] in plan_key:
            cited[r["source_id"]].add(plan_key[r["target_id"]])
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in db.query("select id, issuer_body_id, issuer_text, period, number, issued_on, ingested_at from documents "
                      "where kind = 'report' and status in ('ok', 'superseded', 'duplicate') "
                      "and issuer_body_id is not null and period is not null"):
        for plan in cited.get(r["id"], ()):
            groups[(r["issuer_body_id"], r["period"], plan)].append(r)
    out: list[Supersession] = []
    for (issuer, period, plan), reports in sorted(groups.items(), key=lambda kv: str(kv[0])):
        versions: dict[tuple, list[dict]] = defaultdict(list)
        for r in reports:
            versions[key_of(r) or r["id"]].append(r)
        if len(versions) < 2:
            continue
        ordered = sorted(versions.values(), key=lambda files: (
            max(f["issued_on"] or "" for f in files), min(f["ingested_at"] or "" for f in files),
            min(f["id"] for f in files)))
        for old, new in zip(ordered, ordered[1:]):
            basis = (f"{_label(new)} replaces {_label(old)}: same issuer ({issuer}), period {period}, "
                     f"plan {plan}")
            out += [Supersession(n["id"], o["id"], basis) for n in new for o in old]
    return tuple(sorted(set(out), key=lambda s: (s.newer, s.older)))


def supersede(db: sqlite_utils.Database) -> bool:
    """Bring ``documents.status`` and the ``supersedes`` links up to date; True if anything
    changed (the caller then relinks, since only ``ok`` documents enter the registry)."""
    found = find(db)
    want_links = {(s.newer, s.older) for s in found}
    want_old = {s.older for s in found}
    have_links = {(r["source_id"], r["target_id"]) for r in
                  db.query("select source_id, target_id from document_links where relation = 'supersedes'")}
    have_old = {r["id"] for r in db.query("select id from documents where status = 'superseded'")}
    if want_links == have_links and want_old == have_old:
        return False
    with db.atomic():
        db.execute("DELETE FROM document_links WHERE relation = 'supersedes'")
        for doc_id in sorted(have_old - want_old):  # cross-check sorts out copies among these
            db.execute("UPDATE documents SET status = 'ok' WHERE id = ?", [doc_id])
        for doc_id in sorted(want_old - have_old):
            db.execute("UPDATE documents SET status = 'superseded' WHERE id = ?", [doc_id])
        db["document_links"].insert_all(
            [{"source_id": s.newer, "target_id": s.older, "relation": "supersedes", "basis": s.basis, "score": 1.0}
             for s in found])
    return True


def _label(files: list[dict]) -> str:
    f = files[0]
    return f"{f['number'] or f['id'][:12]} ({f['issued_on'] or 'undated'})"
