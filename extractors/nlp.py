"""The spaCy pipeline for plantrace's text work.

``pipeline(gazetteer)`` is a blank multi-language pipeline (``spacy.blank("xx")``: it splits
punctuation, which ``spacy.blank("vi")`` without pyvi does not) with one registered
component, ``plantrace_bodies``: a SpanRuler whose token patterns are generated from the
gazetteer it is given at initialise (every canonical name, short name and alias, the body id
as the pattern id) and from the generic
body-name patterns in extractors/patterns/agencies.yml, with a longest-first filter.

It runs on a length-preserving fold of the document text (tone marks stripped, đ→d, case
kept), so spaCy's character offsets are the document's offsets. Names match on the
lower-case form; all-capital abbreviations ("LĐTBXH", "TTg") match case-sensitively and
are dropped where they are part of a số ký hiệu ("NĐ-CP", "QĐ-TTg").
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span

from extractors import patterns
from gazetteer.model import Gazetteer
from pipeline.core.textnorm import fold_keep_length

ABBREVIATION = re.compile(r"^(?=(?:.*[A-ZĐ]){2})[A-ZĐ][A-Za-zĐđ&\-.]{1,7}$")  # LĐTBXH, TTg, VH&TT
SPANS_KEY = "bodies"
_SPACE = {"IS_SPACE": True, "OP": "*"}
_SEPARATOR = {"ORTH": {"IN": ["-", ","]}, "OP": "?"}


def _tokens(nlp: Language, text: str) -> list[str]:
    return [t.text for t in nlp.make_doc(text) if not t.is_space]


def alias_pattern(nlp: Language, alias: str) -> list[dict]:
    """Token pattern for one gazetteer name: words by lower case (by exact form for an
    abbreviation); a hyphen or comma may be written, swapped or left out; any spacing."""
    exact = bool(ABBREVIATION.match(alias))
    out: list[dict] = []
    for tok in _tokens(nlp, fold_keep_length(alias, lower=not exact)):
        if out:
            out.append(_SPACE)
        if tok in ("-", ","):
            out.append(_SEPARATOR)
        elif exact:
            out.append({"ORTH": tok})
        elif not out and alias[:1].isupper():
            # a proper name starts with a capital: "cơ sở y tế" (a clinic) is not "Sở Y tế"
            out.append({"LOWER": tok, "IS_LOWER": False})
        else:
            out.append({"LOWER": tok})
    return out


def generic_patterns(nlp: Language) -> list[list[dict]]:
    data = patterns.load("agencies")
    code = {"TEXT": {"REGEX": r"^(?=.*\d)[A-Z0-9]{2,6}$|^\d{2,4}$"}}
    level = {"LOWER": {"IN": sorted({t.lower() for w in data["level_words"]
                                     for t in _tokens(nlp, fold_keep_length(w))})}}
    place = {"IS_TITLE": True, "OP": "*"}
    tail_dash = [{"ORTH": "-"}, {"IS_TITLE": True}, {"IS_LOWER": True, "OP": "?"}, {**level, "OP": "?"}, place]
    out = []
    for head in data["generic_heads"]:
        head_toks = [{"ORTH": t} for t in _tokens(nlp, fold_keep_length(head, lower=False))]
        out.append(head_toks + [code, {**level, "OP": "?"}, place])
        out.append(head_toks + [code] + tail_dash)
        out.append(head_toks + [level, {"IS_TITLE": True, "OP": "+"}])
        if len(head_toks) >= 2:  # a specific head names a body with a level word or a place alone
            out.append(head_toks + [level])
            out.append(head_toks + [{"IS_TITLE": True, "OP": "+"}])
    return out


def _longest_gazetteer_first(existing, matches):
    """Longest spans win; between equal ones a gazetteer name beats a generic pattern.
    (SpanRuler calls a spans filter with the spans already set and the new matches.)"""
    spans = list(existing) + list(matches)
    chosen: list[Span] = []
    taken: set[int] = set()
    for s in sorted(spans, key=lambda s: (-(s.end_char - s.start_char), s.label_ != "BODY", s.start_char)):
        if not taken.intersection(range(s.start, s.end)):
            chosen.append(s)
            taken.update(range(s.start, s.end))
    return sorted(chosen, key=lambda s: s.start_char)


@spacy.registry.misc("plantrace.longest_gazetteer_first.v1")
def make_filter():
    return _longest_gazetteer_first


def body_patterns(nlp: Language, gazetteer: Gazetteer) -> list[dict]:
    """Span-ruler patterns generated from a gazetteer: every body name (its id as the pattern
    id), the words bodies use for themselves, and the generic body-name patterns (data)."""
    out = [{"label": "BODY", "pattern": alias_pattern(nlp, n), "id": b.id} for b in gazetteer.bodies for n in b.names]
    selves = sorted({w for _, words in gazetteer.self_references for w in words})
    out += [{"label": "BODY_SELF", "pattern": alias_pattern(nlp, w)} for w in selves]
    out += [{"label": "BODY_GENERIC", "pattern": p} for p in generic_patterns(nlp)]
    return out


class BodyRuler:
    """SpanRuler over gazetteer names and generic body names, then the code guard. Empty until
    ``initialize(patterns=…)`` gives it the patterns of a gazetteer; ``to_disk``/``from_disk``
    keep them."""

    def __init__(self, nlp: Language, name: str):
        self.ruler = SpanRuler(nlp, name=f"{name}_ruler", spans_key=SPANS_KEY,
                               spans_filter=_longest_gazetteer_first, overwrite=True)

    def initialize(self, get_examples=None, *, nlp: Language | None = None, patterns=None) -> None:
        self.ruler.initialize(get_examples or (lambda: []), nlp=nlp, patterns=patterns)

    def to_disk(self, path, *, exclude=()) -> None:
        self.ruler.to_disk(path, exclude=exclude)

    def from_disk(self, path, *, exclude=()) -> "BodyRuler":
        self.ruler.from_disk(path, exclude=exclude)
        return self

    @property
    def patterns(self) -> list[dict]:
        return self.ruler.patterns

    def __call__(self, doc: Doc) -> Doc:
        doc = self.ruler(doc)
        text = doc.text
        keep = []
        for s in doc.spans[SPANS_KEY]:
            before = text[s.start_char - 1] if s.start_char else " "
            after = text[s.end_char] if s.end_char < len(text) else " "
            if before in "-/" or after in "/" or (after == "-" and ABBREVIATION.match(s.text)):
                continue  # part of a số ký hiệu: "NĐ-CP", "QĐ-TTg", "LĐTBXH-BĐG"
            keep.append(s)
        doc.spans[SPANS_KEY] = keep
        return doc


@Language.factory("plantrace_bodies")
def make_body_ruler(nlp: Language, name: str):
    return BodyRuler(nlp, name)


@lru_cache(maxsize=4)
def pipeline(gazetteer: Gazetteer) -> Language:
    """The pipeline for a loaded gazetteer (built once per gazetteer object): patterns given at
    initialise from that gazetteer, never read from disk here."""
    nlp = spacy.blank("xx")
    ruler = nlp.add_pipe("plantrace_bodies")
    ruler.initialize(nlp=nlp, patterns=body_patterns(nlp, gazetteer))
    return nlp


def bodies(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """(start, end, label) of every body name in a text, on the text's own offsets."""
    nlp = pipeline(gazetteer)
    doc = nlp(fold_keep_length(text, lower=False))
    return [(s.start_char, s.end_char, s.label_) for s in doc.spans[SPANS_KEY]]
