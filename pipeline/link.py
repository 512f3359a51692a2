"""Stage "link": what needs the whole database rather than one document.

The legal-documents registry is the seed file (gazetteer/data/legal_documents.yml) plus
every ingested document that has a số ký hiệu; each citation is resolved against it
again after every batch, so a report ingested before its plan still finds the plan.
A citation that resolves to an ingested document becomes a ``cites`` document link.
"""

from __future__ import annotations

import json

import sqlite_utils

from extractors.citations import Citation, LegalDocument, load_registry, resolve
from pipeline.models import Span


def registry(db: sqlite_utils.Database) -> tuple[LegalDocument, ...]:
    docs = list(load_registry())
    seen = {(d.number, (d.issued_on or "")[:4]) for d in docs if d.number}
    for row in db.query("select d.id, d.doc_type, d.number, d.issued_on, d.title, b.name as issuer "
                        "from documents d left join bodies b on b.id = d.issuer_body_id "
                        "where d.number is not null and d.status = 'ok' order by d.ingested_at, d.id"):
        key = (row["number"], (row["issued_on"] or "")[:4])
        if key in seen:  # the same document in another file (a PDF and its DOCX)
            continue
        seen.add(key)
        docs.append(LegalDocument(id=f"doc-{row['id'][:16]}", doc_type=row["doc_type"] or "", number=row["number"],
                                  issued_on=row["issued_on"], issuer=row["issuer"], title=row["title"]))
    return tuple(docs)


def relink(db: sqlite_utils.Database) -> None:
    reg = registry(db)
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
    same = {}
    for row in db.query("select id, number, issued_on from documents where number is not null and status = 'ok'"):
        same.setdefault((row["number"], (row["issued_on"] or "")[:4]), []).append(row["id"])
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
            number = db["documents"].get(target)["number"]
            issued = db["documents"].get(target)["issued_on"] or ""
            if r["document_id"] in same.get((number, issued[:4]), []):
                continue  # a document naming itself ("Kèm theo Kế hoạch số …" on its own annex)
            for t in same.get((number, issued[:4]), [target]):
                if t != r["document_id"]:
                    links.append({"source_id": r["document_id"], "target_id": t, "relation": "cites",
                                  "basis": f"{rc.method}: {r['surface']}" + (f" ({rc.note})" if rc.note else ""),
                                  "score": rc.score})
        unique = {(l["source_id"], l["target_id"]): l for l in links}
        db["document_links"].insert_all(unique.values())
