"""The one module that writes the database.

``save_document`` replaces everything a document produced in one transaction, so a
re-ingest never leaves half of an old extraction behind.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import sqlite_utils

from gazetteer.model import Gazetteer
from gazetteer.match import ELSEWHERE
from pipeline.core.result import Extraction
from pipeline.db.schema import DOCUMENT_TABLES
from pipeline.core.textnorm import fold_keep_length


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def sync_gazetteer(db: sqlite_utils.Database, gz: Gazetteer) -> None:
    with db.atomic():
        db.execute("DELETE FROM body_aliases")
        db["bodies"].upsert_all(
            [{"id": b.id, "name": b.name, "short_name": b.short_name, "kind": b.kind, "level": b.level,
              "parent_id": b.parent_id, "members_kind": b.members_kind} for b in gz.bodies], pk="id")
        db["body_aliases"].insert_all(
            [{"body_id": b.id, "alias": a} for b in gz.bodies for a in b.names], pk=("body_id", "alias"),
            ignore=True)


def has_document(db: sqlite_utils.Database, doc_id: str) -> bool:
    return bool(db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone())


def _prov(f) -> dict:
    return {"page": f.span.page, "char_start": f.span.start, "char_end": f.span.end}


def save_document(db: sqlite_utils.Database, x: Extraction, filename: str, stored_path: str | None = None) -> None:
    doc, rh = x.doc, x.header
    h = rh.header
    v = lambda f: f.value if f is not None else None
    row = {
        "id": doc.id, "filename": filename, "format": doc.format, "kind": h.kind,
        "doc_type": v(h.doc_type), "number": v(h.number), "title": v(h.title),
        "issuer_body_id": rh.issuer_body_id, "issuer_text": v(h.issuer), "issuer_method": rh.issuer_method,
        "issuer_score": rh.issuer_score, "parent_body_id": rh.parent_body_id, "parent_text": v(h.parent),
        "place": v(h.place), "issued_on": v(h.issued_on), "signing_authority": v(h.signing_authority),
        "signer": v(h.signer), "signer_title": v(h.signer_title),
        "kinh_gui": json.dumps([f.value for f in h.kinh_gui], ensure_ascii=False) if h.kinh_gui else None,
        "noi_nhan": json.dumps([f.value for f in h.noi_nhan], ensure_ascii=False) if h.noi_nhan else None,
        "pages": len(doc.pages), "chars": len(doc.text), "ocr": int(doc.ocr), "period": x.period,
        "status": "ok", "stored_path": stored_path, "ingested_at": now(),
    }
    with db.atomic():
        for table in DOCUMENT_TABLES:
            db.execute(f"DELETE FROM [{table}] WHERE document_id = ?", [doc.id])
        db["documents"].upsert(row, pk="id")
        db["document_text"].insert({"document_id": doc.id, "text": doc.text,
                                    "text_folded": fold_keep_length(doc.text)}, pk="document_id")
        db["pages"].insert_all([{"document_id": doc.id, "number": p.number, "char_start": p.start,
                                 "char_end": p.end, "ocr": int(p.ocr), "ocr_confidence": p.ocr_confidence}
                                for p in doc.pages])
        db["ocr_words"].insert_all(
            [{"document_id": doc.id, "page": w.page, "char_start": w.start, "char_end": w.end, "x0": round(w.x0, 2),
              "top": round(w.top, 2), "x1": round(w.x1, 2), "bottom": round(w.bottom, 2)} for w in doc.word_boxes],
            ignore=True)
        fields = [(name, f) for name, f in h.fields().items()]
        fields += [("kinh_gui", f) for f in h.kinh_gui] + [("noi_nhan", f) for f in h.noi_nhan]
        db["header_fields"].insert_all(
            [{"document_id": doc.id, "field": name, "value": f.value, "surface": f.surface, **_prov(f)}
             for name, f in fields], ignore=True)
        db["sections"].insert_all(
            [{"id": s.id, "document_id": doc.id, "parent_id": s.parent_id, "label": s.label, "heading": s.heading,
              "level": s.level, "kind": s.kind, "page": s.span.page, "char_start": s.span.start,
              "char_end": s.span.end, "body_end": s.body_end} for s in x.sections])
        db["mentions"].insert_all(
            [{"id": hashlib.sha1(f"{doc.id}:{m.mention.span.start}:{m.mention.span.end}".encode()).hexdigest()[:16],
              "document_id": doc.id, "body_id": m.resolution.body_id, "surface": m.mention.surface,
              "score": m.resolution.score, "method": m.resolution.method, "note": m.resolution.note,
              "jurisdiction": "elsewhere" if rh.district == ELSEWHERE else rh.district, "page": m.mention.span.page,
              "char_start": m.mention.span.start, "char_end": m.mention.span.end} for m in x.mentions])
        db["tasks"].insert_all(
            [{"id": t.id, "document_id": doc.id, "section_id": t.section_id, "ref": t.ref, "text": t.text,
              "deadline": t.deadline, "recurrence": t.recurrence, "product": t.product, "source": t.source,
              "page": t.span.page, "char_start": t.span.start, "char_end": t.span.end} for t in x.tasks])
        db["task_bodies"].insert_all(
            [{"document_id": doc.id, "task_id": b.task_id, "body_id": b.body_id, "role": b.role, "surface": b.surface,
              "method": b.method, "score": b.score, "via_body_id": b.via_body_id} for b in x.task_bodies])
        rows = []
        for i, o in enumerate(x.obligations):
            ob = x.owing(i)
            recipient, via, owing = (ob.recipient_id, ob.via_id, ob.owing) if ob else (None, None, ())
            oid = hashlib.sha1(f"{doc.id}|{o.what}|{o.period}".encode()).hexdigest()[:16]
            rows += [{"document_id": doc.id, "plan_id": doc.id, "obligation_id": oid, "body_id": body_id,
                      "what": o.what, "period": o.period, "due_on": o.due_on, "recipient_body_id": recipient,
                      "via_body_id": via, "page": o.span.page, "char_start": o.span.start, "char_end": o.span.end}
                     for body_id in owing]
        db["reporting_obligations"].insert_all(rows)
        section_at = _section_finder(x.sections)
        db["citations"].insert_all(
            [{"id": _row_id(doc.id, c.span), "document_id": doc.id, "surface": c.surface, "kind": c.kind,
              "doc_type": c.doc_type, "number": c.number, "grammar": c.grammar, "type_code": c.type_code,
              "issuer_code": c.issuer_code, "year": c.year, "issued_on": c.issued_on, "issuer": c.issuer,
              "name": c.name, "method": "none", "score": 0.0, "section_id": section_at(c.span.start),
              "page": c.span.page, "char_start": c.span.start, "char_end": c.span.end} for c in x.citations])
        db["statements"].insert_all(
            [{"id": st.id, "document_id": doc.id, "section_id": st.section_id, "part": st.part,
              "future": int(st.future), "source": st.source, "about_body_id": x.subject_of(st.id),
              "text": st.text, "text_folded": fold_keep_length(st.text), "page": st.span.page,
              "char_start": st.span.start, "char_end": st.span.end} for st in x.statements], pk="id", replace=True)
        containing = _statement_finder(x.statements)
        db["figures"].insert_all(
            [{"id": _row_id(doc.id, f.span), "document_id": doc.id, "surface": f.surface, "value": f.value,
              "unit": f.unit, "kind": f.kind, "qualifier": f.qualifier, "denominator": f.denominator,
              "counted": f.counted, "section_id": section_at(f.span.start),
              "statement_id": containing(f.span.start), "page": f.span.page,
              "char_start": f.span.start, "char_end": f.span.end} for f in x.figures])


def _row_id(doc_id: str, span) -> str:
    return hashlib.sha1(f"{doc_id}:{span.start}:{span.end}".encode()).hexdigest()[:16]


def _statement_finder(statements):
    def at(offset: int) -> str | None:
        return next((st.id for st in statements if st.span.start <= offset < st.span.end), None)

    return at


def _section_finder(sections):
    """The innermost section whose content holds an offset."""
    ordered = sorted(sections, key=lambda s: (s.span.start, -s.level))

    def at(offset: int) -> str | None:
        best = None
        for s in ordered:
            if s.span.start <= offset < s.body_end and (best is None or s.level > best.level):
                best = s
        return best.id if best else None

    return at


def log(db: sqlite_utils.Database, **row) -> None:
    row.setdefault("finished_at", now())
    db["ingest_log"].insert(row)
