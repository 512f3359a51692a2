"""Find the outline of a document: numbered parts, items, lettered sub-items and bullets.

Sections come from the body paragraphs between the title and the closing block; each
carries its label path ("IV.1.-2"), its heading (the paragraph without its label), its
level in the tree, its span, and ``body_end``: where its content stops (the start of the
next section at the same or an outer level).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from extractors import patterns
from extractors.layout import body_blocks
from pipeline.core.models import SourceDoc, Span
from pipeline.core.textnorm import squash


@dataclass(frozen=True)
class Section:
    id: str
    parent_id: str | None
    label: str
    kind: str
    level: int
    heading: str
    span: Span
    body_end: int


def _labels():
    return [(e["kind"], float(e["rank"]), re.compile(e["regex"]), e["token"])
            for e in patterns.load("outline")["labels"]]


def section_id(doc_id: str, label: str, start: int) -> str:
    return hashlib.sha1(f"{doc_id}:{label}:{start}".encode()).hexdigest()[:16]


def find(doc: SourceDoc, start: int = 0, end: int | None = None) -> tuple[Section, ...]:
    end = len(doc.text) if end is None else end
    labels = _labels()
    stack: list[tuple[float, str, str, int]] = []  # (rank, path, id, index in out)
    counters: dict[tuple[str, str], int] = {}
    out: list[dict] = []
    for b in body_blocks(doc):
        if b.start < start or b.start >= end:
            continue
        text = doc.text[b.start:b.end]
        for kind, rank, rx, token in labels:
            m = rx.match(text)
            if not m:
                continue
            while stack and stack[-1][0] >= rank:
                stack.pop()
            parent_path = stack[-1][1] if stack else ""
            k = counters[(parent_path, kind)] = counters.get((parent_path, kind), 0) + 1
            tok = token.format(n=m.groupdict().get("n") or "", k=k)
            path = f"{parent_path}.{tok}" if parent_path else tok
            sid = section_id(doc.id, path, b.start)
            out.append({"id": sid, "parent_id": stack[-1][2] if stack else None, "label": path,
                        "kind": kind, "level": len(stack) + 1, "heading": squash(text[m.end():]),
                        "start": b.start, "end": b.end, "rank": rank})
            stack.append((rank, path, sid, len(out) - 1))
            break
    for i, s in enumerate(out):  # content runs to the next section at the same or an outer level
        nxt = next((t["start"] for t in out[i + 1:] if t["rank"] <= s["rank"]), end)
        s["body_end"] = max(nxt, s["end"])
    return tuple(Section(s["id"], s["parent_id"], s["label"], s["kind"], s["level"], s["heading"],
                         doc.span(s["start"], s["end"]), s["body_end"]) for s in out)
