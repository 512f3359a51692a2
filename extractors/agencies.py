"""Find mentions of bodies in a document's text, with patterns generated from the gazetteer.

``find`` returns where a body name is written (surface and span) and never which body it
is; ``resolve`` maps each mention through the gazetteer matcher (exact, folded, fuzzy).

Names are searched in a length-preserving fold of the text (marks stripped, đ→d, lower
case), so "Phòng dân tộc", "PHÒNG DÂN TỘC" and "Phòng Dân tộc" are one pattern and the
offsets are offsets into the document text. Hyphens and commas inside a name may be
written either way or left out ("Tài chính - Kế hoạch", "Tài chính Kế hoạch"). Short
all-capital abbreviations ("LĐTBXH", "MTTQ") match case-sensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gazetteer.match import Matcher, Resolution
from gazetteer.model import Gazetteer
from pipeline.models import SourceDoc, Span
from pipeline.textnorm import fold_keep_length

ABBREVIATION = re.compile(r"^(?=(?:.*[A-ZĐ]){2})[A-ZĐ][A-Za-zĐđ&\-.]{1,7}$")  # LĐTBXH, TTg, VH&TT


@dataclass(frozen=True)
class Mention:
    surface: str
    span: Span


@dataclass(frozen=True)
class ResolvedMention:
    mention: Mention
    resolution: Resolution


def _alias_regex(alias: str, lower: bool) -> str:
    """A plain space in a name is any white space in the text (a wrapped line); a hyphen or
    comma between words may be written as either, or left out."""
    parts = re.split(r"(\s*[-,]\s*|\s+)", fold_keep_length(alias, lower=lower).strip())
    out = []
    for i, p in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(p))
        else:
            out.append(r"\s+" if p.isspace() else r"(?:\s*[-,]\s*|\s+)")
    return "".join(out)


@lru_cache(maxsize=8)
def _patterns(gazetteer: Gazetteer) -> tuple[re.Pattern, re.Pattern | None]:
    names, abbrevs = set(), set()
    for body in gazetteer.bodies:
        for n in body.names:
            (abbrevs if ABBREVIATION.match(n) else names).add(n)
    by_len = lambda xs: sorted(xs, key=len, reverse=True)
    edge_l, edge_r = r"(?<![\w&/\-])", r"(?![\w&/\-])"
    rx_names = re.compile(edge_l + "(?:" + "|".join(_alias_regex(n, True) for n in by_len(names)) + ")" + edge_r)
    # an abbreviation inside a số ký hiệu ("NĐ-CP", "QĐ-TTg") is a code, not a mention
    code_l, code_r = r"(?<![\w&/\-])", r"(?![\w&/\-])"
    rx_abbr = (re.compile(code_l + "(?:" + "|".join(_alias_regex(a, False) for a in by_len(abbrevs)) + ")" + code_r)
               if abbrevs else None)
    return rx_names, rx_abbr


def find(doc: SourceDoc, gazetteer: Gazetteer) -> tuple[Mention, ...]:
    rx_names, rx_abbr = _patterns(gazetteer)
    hits: list[tuple[int, int]] = [(m.start(), m.end()) for m in rx_names.finditer(fold_keep_length(doc.text))]
    if rx_abbr is not None:
        taken = hits[:]
        for m in rx_abbr.finditer(fold_keep_length(doc.text, lower=False)):
            if not any(s <= m.start() < e or s < m.end() <= e for s, e in taken):
                hits.append((m.start(), m.end()))
    hits.sort()
    return tuple(Mention(doc.text[s:e], doc.span(s, e)) for s, e in hits)


def resolve(mentions: tuple[Mention, ...], matcher: Matcher, district: str | None = None) -> tuple[ResolvedMention, ...]:
    """Each mention's body; ``district`` (the document's) settles names districts share."""
    return tuple(ResolvedMention(m, matcher.resolve(m.surface, district)) for m in mentions)
