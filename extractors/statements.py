"""Split a report into statements: the units that can evidence a task.

A statement is a sentence of a body paragraph (a bullet is a paragraph), or a table row.
Each carries the top-level part of the report it stands in (results, shortcomings,
direction, proposals, context) from extractors/patterns/reports.yml, whether it speaks
of the future, its section and span. Statement ids come from the document and the
statement's words, so they survive re-ingesting the same file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from extractors import patterns
from extractors.layout import body_blocks
from extractors.outline import Section
from pipeline.core.models import SourceDoc, Span
from pipeline.core.result import StatementSubject
from pipeline.core.textnorm import clean, fold, squash

P = "reports"
SPLIT_SENTENCES = False  # a paragraph (a bullet) is one statement; see the README on this choice


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    span: Span
    section_id: str | None
    part: str  # results | shortcomings | direction | proposals | context | other
    future: bool
    source: str = "text"  # text | table


def part_of(heading: str) -> str:
    key = fold(heading)
    for entry in patterns.load(P)["section_kinds"]:
        if any(fold(w) in key for w in entry["words"]):
            return entry["kind"]
    return "other"


def statement_id(doc_id: str, text: str, start: int) -> str:
    return hashlib.sha1(f"{doc_id}|{fold(text)}|{start}".encode()).hexdigest()[:16]


def _is_future(text: str) -> bool:
    # compared with tone marks: folded, "sẽ" (will) would be "chia sẻ" (share)
    key = f" {squash(text).casefold()} "
    return any(f" {w.casefold()} " in key for w in patterns.load(P)["future_markers"])


def find(doc: SourceDoc, sections: tuple[Section, ...], start: int, end: int) -> tuple[Statement, ...]:
    ends = re.compile(patterns.load(P)["sentence_end"]["regex"])
    tops = [s for s in sections if s.level == 1]
    headings = {s.span.start: s for s in sections}

    def where(offset: int) -> tuple[str | None, str]:
        top = next((s for s in tops if s.span.start <= offset < s.body_end), None)
        inner = None
        for s in sections:
            if s.span.start <= offset < s.body_end and (inner is None or s.level >= inner.level):
                inner = s
        return (inner.id if inner else None), (part_of(top.heading) if top else "other")

    closing = [re.compile(c) for c in patterns.load("header")["closing"]]
    out: list[Statement] = []
    for b in body_blocks(doc):
        if b.start < start or b.start >= end:
            continue
        raw = doc.text[b.start:b.end]
        if any(c.match(squash(raw)) for c in closing):
            continue  # "Trên đây là báo cáo …" closes the report, it reports nothing
        sec = headings.get(b.start)
        if sec and sec.kind not in ("dash", "plus") and len(sec.heading) < 240 and not sec.heading.endswith("."):
            continue  # a heading ("1. Công tác tuyên truyền"), not a statement
        sid, part = where(b.start)
        label = len(raw) - len(sec.heading) if sec and raw.endswith(sec.heading[-5:]) and len(sec.heading) <= len(raw) else 0
        pieces = []
        pos = 0
        for m in (ends.finditer(clean(raw)) if SPLIT_SENTENCES else ()):
            if m.start() < label + 2:
                continue  # the full stop of an outline label ("1. ", "IV. ") ends no sentence
            if not raw[m.end():m.end() + 1].isupper() and raw[m.end():m.end() + 1] not in "“\"(":
                continue
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(raw)))
        for a, z in pieces:
            seg = raw[a:z]
            s = b.start + a + (len(seg) - len(seg.lstrip()))
            e = b.start + a + len(seg.rstrip())
            t = squash(doc.text[s:e])
            if len(t) < 12:
                continue
            out.append(Statement(statement_id(doc.id, t, s), t, doc.span(s, e), sid, part, _is_future(t)))
    # table rows: the cells of a row read as one statement
    rows: dict[tuple[int, int], list] = {}
    for b in doc.blocks:
        if b.region == "cell" and b.table is not None and start <= b.start < end:
            rows.setdefault((b.table, b.row), []).append(b)
    for (table, row), blocks in sorted(rows.items(), key=lambda kv: kv[1][0].start):
        if row == min(r for (t, r) in rows if t == table):
            continue  # the header row
        s, e = min(b.start for b in blocks), max(b.end for b in blocks)
        t = " | ".join(squash(doc.block_text(b)) for b in sorted(blocks, key=lambda b: b.start))
        sid, part = where(s)
        out.append(Statement(statement_id(doc.id, t, s), t, doc.span(s, e), sid, part, _is_future(t), "table"))
    return tuple(sorted(out, key=lambda x: x.span.start))


def subjects(statements: tuple[Statement, ...], mentions,
             issuer_body_id: str | None) -> tuple[StatementSubject, ...]:
    """The statements whose subject is another body than the issuer:
    a body named first, after at most a bullet, a date, a connective or a topic
    (reports.yml ``subject_lead``: "- Ngày 23/5/2023, Phòng Văn hóa và Thông tin tổ chức …"),
    tells that body's work, not the issuer's. ``mentions`` are resolved mentions."""
    lead = re.compile(patterns.load("reports")["subject_lead"]["regex"])
    out = []
    for st in statements:
        first = next((m for m in mentions if st.span.start <= m.mention.span.start < st.span.end), None)
        if first is None or not lead.match(st.text[: max(0, first.mention.span.start - st.span.start)]):
            continue
        if first.resolution.body_id and first.resolution.body_id != issuer_body_id:
            out.append(StatementSubject(st.id, first.resolution.body_id))
    return tuple(out)
