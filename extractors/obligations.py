"""Reporting obligations a plan sets: which report, for which period, due when, sent to whom.

"… trước ngày 15/6 đối với báo cáo sơ kết 6 tháng và trước ngày 15/12 đối với báo cáo
tổng kết năm cho UBND huyện (qua Phòng Lao động - Thương binh và Xã hội)" gives two
obligations: 2023-H1 due 2023-06-14 and 2023 due 2023-12-14, received by the UBND huyện
through the Phòng. Who owes them is decided on storing: every body the plan assigns a
task to, unless the sentence names bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors import deadlines, patterns
from extractors.agencies import Mention
from extractors.outline import Section
from pipeline.core.models import SourceDoc, Span
from pipeline.core.result import ObligationBodies
from pipeline.core.textnorm import clean, fold

P = "tasks"


@dataclass(frozen=True)
class Obligation:
    what: str
    period: str
    due_on: str | None
    recipient: Mention | None
    via: Mention | None
    span: Span


def _parts(sections: tuple[Section, ...]) -> list[Section]:
    words = [fold(w) for w in patterns.load(P)["reporting_headings"]]
    return [s for s in sections if any(fold(s.heading).startswith(w) for w in words)]


def find(doc: SourceDoc, sections: tuple[Section, ...], mentions: tuple[Mention, ...],
         year: int | None) -> tuple[Obligation, ...]:
    if year is None:
        return ()
    out: list[Obligation] = []
    for part in _parts(sections):
        s, e = part.span.end, part.body_end
        text = clean(doc.text[s:e])
        # each "trước ngày DD/MM … <report words>" pairs a due date with the report named next to it
        rec = re.search(patterns.load(P)["recipient"]["regex"], text)
        recipient = via = None
        if rec:
            def mention_in(group):
                a, b = s + rec.start(group), s + rec.end(group)
                inside = [m for m in mentions if a <= m.span.start and m.span.end <= b]
                return inside[0] if inside else None
            recipient = mention_in("to")
            via = mention_in("via") if rec.group("via") else None
        clauses = re.split(r"\s*;\s*|(?<=\S)\s+và\s+(?=trước|chậm nhất)", text)
        pos = 0
        for clause in clauses:
            offset = text.find(clause, pos)
            pos = offset + len(clause)
            dl = deadlines.find(clause, year, strict=True)
            key = fold(clause)
            for r in patterns.load(P)["reports"]:
                if any(fold(w) in key for w in r["words"]):
                    periods = ([f"{year}-Q{q}" for q in range(1, 5)] if r["period"].endswith("-Q")
                               else [r["period"].format(y=year)])
                    for period in periods:
                        out.append(Obligation(r["what"], period, dl.due_on if dl else None, recipient, via,
                                              doc.span(s + offset, s + pos)))
                    break
    return tuple(out)


def resolve(obligations: tuple[Obligation, ...], task_bodies, matcher,
            district: str | None) -> tuple[ObligationBodies, ...]:
    """For each obligation, its recipient, the body it goes through and the bodies that owe it:
    that owe every report are those given a task as lead or by request, collectives counted
    through their members (the matcher's gazetteer says which bodies are collectives)."""
    gz = matcher.gazetteer
    owing: list[str] = []
    for b in task_bodies:
        body = gz.find(b.body_id)
        if body and b.role in ("lead", "requested") and body.kind not in ("collective", "catch_all"):
            if b.body_id not in owing:
                owing.append(b.body_id)
    out = []
    for i, o in enumerate(obligations):
        rid = matcher.resolve(o.recipient.surface, district).body_id if o.recipient else None
        vid = matcher.resolve(o.via.surface, district).body_id if o.via else None
        out.append(ObligationBodies(i, rid, vid, tuple(owing)))
    return tuple(out)
