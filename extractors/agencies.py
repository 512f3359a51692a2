"""Find mentions of bodies in a document's text, with patterns generated from the gazetteer.

``find`` returns where a body name is written (surface and span) and never which body it
is; ``resolve`` maps each mention through the gazetteer matcher (exact, folded, fuzzy).

Names are found by the spaCy pipeline in extractors/nlp.py, whose span-ruler patterns are
generated from the gazetteer files, on a length-preserving fold of the text (marks
stripped, đ→d), so "Phòng dân tộc", "PHÒNG DÂN TỘC" and "Phòng Dân tộc" are one pattern
and the offsets are offsets into the document text. Hyphens and commas inside a name may
be written either way or left out ("Tài chính - Kế hoạch", "Tài chính Kế hoạch"). Short
all-capital abbreviations ("LĐTBXH", "MTTQ") match case-sensitively. Names of bodies
that are not in the gazetteer are found by generic patterns and kept unresolved.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors import nlp
from gazetteer.match import Matcher, Resolution
from gazetteer.model import Gazetteer
from pipeline.core.models import SourceDoc, Span
from pipeline.core.textnorm import fold



@dataclass(frozen=True)
class Mention:
    surface: str
    span: Span
    kind: str = "name"  # name (a gazetteer name) | generic (a generic body-name pattern) | self ("UBND xã")


@dataclass(frozen=True)
class ResolvedMention:
    mention: Mention
    resolution: Resolution


def find(doc: SourceDoc, gazetteer: Gazetteer) -> tuple[Mention, ...]:
    """Every body name in the document (spaCy pipeline: extractors.nlp), in text order.
    A table cell is searched on its own, so a name never runs from one cell into the next."""
    out: list[Mention] = []
    extents: dict[tuple, list[int]] = {}
    for b in doc.blocks:
        if b.region == "cell":
            ext = extents.setdefault((b.table, b.row, b.col), [b.start, b.end])
            ext[0], ext[1] = min(ext[0], b.start), max(ext[1], b.end)
    cells = list(extents.values())
    for s, e, label in nlp.bodies(doc.text, gazetteer):
        cell = next((c for c in cells if c[0] <= s < c[1]), None)
        if cell and e > cell[1]:
            e = cell[1]
        kind = {"BODY": "name", "BODY_SELF": "self"}.get(label, "generic")
        out.append(Mention(doc.text[s:e], doc.span(s, e), kind))
    return tuple(out)


def resolve(mentions: tuple[Mention, ...], matcher: Matcher, district: str | None = None,
            issuer_body_id: str | None = None) -> tuple[ResolvedMention, ...]:
    """Each mention's body; ``district`` (the document's) settles names districts share, and
    the issuer settles the words a body uses for itself ("UBND xã" in a commune's report)."""
    gz = matcher.gazetteer
    issuer = gz.get(issuer_body_id) if issuer_body_id else None
    own_words = {fold(w) for kind, words in gz.self_references if issuer and issuer.kind == kind for w in words}
    out = []
    for m in mentions:
        if m.kind == "self":
            own = fold(m.surface) in own_words
            r = Resolution(m.surface, issuer.id if own else None, 100.0 if own else 0.0, "self" if own else "none")
        else:
            r = matcher.resolve(m.surface, district)
        out.append(ResolvedMention(m, r))
    return tuple(out)
