"""Pass "link": what needs the whole database rather than one document.

The legal-documents registry is the one given (the gazetteer's registry files) plus every
ingested document that has a số ký hiệu, one entry per document identity
(``pipeline.core.identity``: issuer, number, year); each citation is resolved against it
again after every batch, so a report ingested before its plan still finds the plan.
A citation that resolves to an ingested document becomes a ``cites`` document link to
every file of that document.
"""

from __future__ import annotations

import json

import sqlite_utils

from extractors.citations import Citation, resolve
from gazetteer.registry import LegalDocument
from pipeline.core.identity import document_key, key_of
from pipeline.core.models import Span


def registry(db: sqlite_utils.Database, seed: tuple[LegalDocument, ...]) -> tuple[LegalDocument, ...]:
    """``seed`` (the registry files) and one entry per ingested document identity."""
    docs = list(seed)
    seen = {document_key(d.number, d.issued_on, None, d.issuer) for d in docs if d.number}
    for row in db.query("select d.id, d.doc_type, d.number, d.issued_on, d.title, d.issuer_body_id, "
                        "d.issuer_text, b.name as issuer "
                        "from documents d left join bodies b on b.id = d.issuer_body_id "
                        "where d.number is not null and d.status = 'ok' order by d.ingested_at, d.id"):
        key = key_of(row)
        if key is None or key in seen or document_key(row["number"], row["issued_on"], None, row["issuer"]) in seen:
            continue  # the same document in another file (a PDF and its DOCX), or already in the seed
        seen.add(key)
        docs.append(LegalDocument(id=f"doc-{row['id'][:16]}", doc_type=row["doc_type"] or "", number=row["number"],
                                  issued_on=row["issued_on"], issuer=row["issuer"], title=row["title"]))
    return tuple(docs)


def relink(db: sqlite_utils.Database, seed: tuple[LegalDocument, ...]) -> None:
    reg = registry(db, seed)
    doc_of = {}
    for row in db.query("select id, number, issued_on from documents where number is not null and status = 'ok' "
                        "order by ingested_at, id"):
        doc_of.setdefault(f"doc-{row['id'][:16]}", row["id"])
    rows = list(db.query("select * from citations"))
    cites = [Citation(surface=r["surface"], span=Span(r["document_id"], r["char_start"], r["char_end"], r["page"]),
                      kind=r["kind"], doc_type=r["doc_type"], number=r["number"], grammar=r["grammar"],
                      type_code=r["type_code"], issuer_code=r["issuer_code"], year=r["year"],
                      issued_on=r["issued_on"], issuer=r["issuer"], name=r["name"]) for r in rows]
    resolved = resolve(tuple(cites), reg)
    # documents that are the same text in two files all count as the registry entry's document
    same: dict = {}
    key_by_id = {}
    for row in db.query("select id, number, issued_on, issuer_body_id, issuer_text from documents "
                        "where number is not null and status = 'ok'"):
        key_by_id[row["id"]] = key_of(row)
        same.setdefault(key_by_id[row["id"]], []).append(row["id"])
    with db.atomic():
        # citations point at the registry being replaced: check their keys at commit, not row by row
        db.execute("PRAGMA defer_foreign_keys = ON")
        db.execute("DELETE FROM legal_documents")
        db["legal_documents"].insert_all(
            [{"id": d.id, "doc_type": d.doc_type, "number": d.number, "issued_on": d.issued_on, "issuer": d.issuer,
              "title": d.title, "names": json.dumps(list(d.names), ensure_ascii=False) if d.names else None,
              "source": "document" if d.id in doc_of else "registry", "document_id": doc_of.get(d.id)}
             for d in reg], pk="id")
        for r, rc in zip(rows, resolved):
            db["citations"].update(r["id"], {"legal_document_id": rc.legal_document_id, "score": rc.score,
                                             "method": rc.method, "note": rc.note})
        db.execute("DELETE FROM document_links WHERE relation = 'cites'")
        links = []
        for r, rc in zip(rows, resolved):
            target = doc_of.get(rc.legal_document_id or "")
            if not target:
                continue
            files = same.get(key_by_id.get(target), [target])
            if r["document_id"] in files:
                continue  # a document naming itself ("Kèm theo Kế hoạch số …" on its own annex)
            for t in files:
                if t != r["document_id"]:
                    links.append({"source_id": r["document_id"], "target_id": t, "relation": "cites",
                                  "basis": f"{rc.method}: {r['surface']}" + (f" ({rc.note})" if rc.note else ""),
                                  "score": rc.score})
        unique = {(l["source_id"], l["target_id"]): l for l in links}
        db["document_links"].insert_all(unique.values())
