"""A displaCy view of one document: the bodies, citations, figures and tasks found in it,
highlighted in its normalised text, with the page each sits on. Used by ``python -m
pipeline show`` and by the Datasette page /-/van-ban/<document id>."""

from __future__ import annotations

from html import escape

import spacy
from spacy import displacy

LABELS = {"mentions": "CƠ QUAN", "citations": "VĂN BẢN", "figures": "SỐ LIỆU", "tasks": "NHIỆM VỤ",
          "evidence": "MINH CHỨNG"}
COLORS = {"CƠ QUAN": "#c6e2ff", "VĂN BẢN": "#ffe3a8", "SỐ LIỆU": "#c8f2c2", "NHIỆM VỤ": "#f7c6d9",
          "MINH CHỨNG": "#e2d4ff"}


def render(text: str, title: str, rows: dict[str, list[tuple[int, int]]]) -> str:
    """HTML for a text and, per kind, its (start, end) spans."""
    nlp = spacy.blank("xx")
    doc = nlp.make_doc(text)
    spans = []
    for kind, pairs in rows.items():
        for s, e in pairs:
            span = doc.char_span(s, e, label=LABELS[kind], alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.spans["sc"] = spans
    body = displacy.render(doc, style="span", page=False, options={"colors": COLORS})
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
            f"<body style='font-family: serif; max-width: 60em; margin: auto'><h1>{escape(title)}</h1>{body}"
            "</body></html>")


SQL = {
    "mentions": "select char_start, char_end from mentions where document_id = ?",
    "citations": "select char_start, char_end from citations where document_id = ?",
    "figures": "select char_start, char_end from figures where document_id = ?",
    "tasks": "select char_start, min(char_end, char_start + 400) from tasks where document_id = ?",
    "evidence": "select distinct s.char_start, s.char_end from evidence e join statements s on s.id = e.statement_id "
                "where s.document_id = ?",
}


def document_html(db, doc_id: str) -> str | None:
    """The view of a document in a sqlite-utils database (None if there is no such document)."""
    row = db.execute("select d.filename, coalesce(d.title, ''), t.text from documents d "
                     "join document_text t on t.document_id = d.id where d.id = ? or d.filename = ?",
                     [doc_id, doc_id]).fetchone()
    if row is None:
        return None
    filename, title, text = row
    real_id = db.execute("select id from documents where id = ? or filename = ?", [doc_id, doc_id]).fetchone()[0]
    rows = {k: [tuple(r) for r in db.execute(q, [real_id]).fetchall()] for k, q in SQL.items()}
    return render(text, f"{filename} — {title}", rows)
