"""Find the legal documents, laws and programmes a document cites; resolve them to a registry.

``find(doc)`` returns a ``Citation`` for every

* số ký hiệu, in the four grammars of extractors/patterns/citations.yml (administrative
  ``95/KH-UBND``, công văn ``1436/UBND-VX``, legal ``125/2021/NĐ-CP``, Party ``21-CT/TW``),
  with the type word before it if any ("Kế hoạch số", "kế hoạch", "KH số", "Số:"), and the
  date ("ngày 28/12/2021") and issuer ("của Thủ tướng Chính phủ") after it;
* law cited by name ("Luật Bình đẳng giới", "Bộ luật Lao động năm 2019");
* programme ("Đề án 939", "Chương trình MTQG giảm nghèo bền vững") and programme component
  ("Dự án 8", which is not a document).

It never decides which document a citation means: the values are as written (squashed),
normalised only where the grammar says two spellings are one (spaces around "/" and "-").
``resolve`` (pure) maps citations to a registry of ``LegalDocument`` and records how: by
number, by name, as a near miss (with a note giving both values; never silently corrected),
or not at all. The document's own "Số: 95/KH-UBND" line is returned like any other number:
the caller drops it by span (``extractors.header`` finds that span).

All offsets are into ``doc.text``; matching runs on ``clean(doc.text)``, which has the same
length, so a citation's surface is exactly ``doc.text[span.start:span.end]``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process

from extractors import patterns
from gazetteer.registry import LegalDocument
from pipeline.core.models import SourceDoc, Span
from pipeline.core.textnorm import clean, fold, nfc, squash

P = "citations"

NAME_CUTOFF = 90.0       # fuzz.ratio on folded name keys: below it a name stays unresolved
CODE_CUTOFF = 80.0       # fuzz.ratio on the ký hiệu part when the number part is the same
DATE_MISMATCH_SCORE = 0.9


# ------------------------------------------------------------------ results
@dataclass(frozen=True)
class Citation:
    surface: str                    # exactly doc.text[span.start:span.end]
    span: Span
    kind: str                       # document | law | programme | component
    doc_type: str | None = None     # canonical type name: "Nghị định", "Kế hoạch", "Luật"
    number: str | None = None       # số ký hiệu, spaces around / and - removed: "21-CT/TW"
    grammar: str | None = None      # administrative | legal | party | cong_van
    type_code: str | None = None    # "KH", "NĐ", "CT" (None for a công văn)
    issuer_code: str | None = None  # the ký hiệu after the type code: "UBND", "TTg", "LĐTBXH-BĐG"
    year: int | None = None         # from a legal number, a law's "năm 2019", or the date
    issued_on: str | None = None    # ISO date written after the number (year from default_year if omitted)
    issuer: str | None = None       # the words after "của", as written, squashed
    name: str | None = None         # laws and programmes: "Luật Bình đẳng giới", "Đề án 939"


@dataclass(frozen=True)
class ResolvedCitation:
    citation: Citation
    legal_document_id: str | None
    score: float
    method: str                     # number | name | near_miss | none
    note: str | None = None         # "cited date 2023-04-14, registry 2023-04-18"


# ------------------------------------------------------------------ tables from the data file
@dataclass(frozen=True)
class _Types:
    by_word: dict      # folded type word -> canonical name
    by_code: dict      # type code (case-sensitive) -> canonical name
    by_short: dict     # abbreviation written as a type word -> canonical name
    kind: dict         # canonical name -> "law" | "document"
    generic: frozenset # folded generic words ("van ban")
    implied: tuple     # (compiled issuer regex, doc_type)


@lru_cache(maxsize=None)
def _types() -> _Types:
    data = patterns.load(P)
    by_word, by_code, by_short, kind = {}, {}, {}, {}
    for t in data["doc_types"]:
        for w in (t["name"], *(t.get("words") or [])):
            by_word[fold(w)] = t["name"]
        if t.get("code"):
            by_code[t["code"]] = t["name"]
        for s in t.get("short") or []:
            by_short[s] = t["name"]
        kind[t["name"]] = t.get("kind", "document")
    by_code.update(data.get("other_type_codes") or {})
    implied = tuple((re.compile(e["issuer"]), e["doc_type"]) for e in data.get("issuer_implies_type") or [])
    return _Types(by_word, by_code, by_short, kind, frozenset(fold(w) for w in data["generic_words"]), implied)


def type_codes() -> frozenset[str]:
    """Every ký hiệu code that names a document type (case-sensitive: QyĐ, TTr, CTr)."""
    return frozenset(_types().by_code)


def _phrase(words: str) -> str:
    return r"\s+".join(re.escape(w) for w in words.split())


@lru_cache(maxsize=None)
def prefix_regex() -> re.Pattern:
    """The type word and "số" before a number, anchored at the end of the text before it.

    Built from doc_types so the words are written once. Type words match in any case
    ("kế hoạch 147/KH-UBND"); abbreviations ("KH số") only as written; "luật" after
    "pháp" is "pháp luật", not a type.
    """
    data = patterns.load(P)
    words = {w for t in data["doc_types"] for w in (t["name"], *(t.get("words") or []))}
    words |= set(data["generic_words"])
    word_alt = "|".join(_phrase(w) for w in sorted(words, key=len, reverse=True))
    short_alt = "|".join(re.escape(s) for s in sorted(_types().by_short, key=len, reverse=True))
    return re.compile(
        r"(?:(?<![\w])(?<![Pp]háp\s)(?:(?P<word>(?i:" + word_alt + r"))|(?P<short>" + short_alt + r"))\s+)?"
        r"(?:(?<![\w])(?P<so>(?i:số))\s*:?\s*)?$")


def _prefix(before: str) -> re.Match | None:
    """The type word / "số" that ends ``before``, or None."""
    m = prefix_regex().search(before)
    return m if m and m.start() < len(before) else None


def _rx(key: str) -> re.Pattern:
    return patterns.regex(P, key)


@lru_cache(maxsize=None)
def _stops(key: str) -> tuple[tuple[str, ...], ...]:
    """Stop phrases as word tuples, longest first."""
    return tuple(sorted((tuple(s.split()) for s in patterns.load(P)[key]), key=len, reverse=True))


@lru_cache(maxsize=None)
def _titles(key: str) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted((tuple(fold(t).split()) for t in patterns.load(P)[key]), key=len, reverse=True))


# ------------------------------------------------------------------ words of a name
# A word (with inner "." or "&": "T.Ư", "SGD&ĐT") or one punctuation character.
_TOKEN = re.compile(r"\w+(?:[.&]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def _tokens(text: str, pos: int, limit: int) -> list[_Tok]:
    return [_Tok(m.group(), pos + m.start(), pos + m.end()) for m in _TOKEN.finditer(text[pos:limit])]


def _stop_at(toks: list[_Tok], i: int, stops) -> bool:
    for phrase in stops:
        seg = toks[i:i + len(phrase)]
        if len(seg) == len(phrase) and all(t.is_word for t in seg) and tuple(t.text for t in seg) == phrase:
            return True
    return False


def _title_at(toks: list[_Tok], titles) -> int:
    """Number of tokens a known title covers at the start of ``toks`` (0 if none)."""
    for title in titles:
        i = n = 0
        while i < len(toks) and n < len(title):
            t = toks[i]
            if t.is_word:
                if fold(t.text) != title[n]:
                    break
                n += 1
            elif t.text not in ",-":
                break
            i += 1
        if n == len(title):
            return i
    return 0


def _name_end(text: str, pos: int, limit: int, *, stops, max_words: int, titles=(), comma_continues=(),
              hyphen: bool = False, not_first=(), issuer: bool = False) -> int | None:
    """End offset of the name made of the words from ``pos``, or None if there is none.

    The name ends at punctuation (a comma goes on only before ``comma_continues``; a free
    "-" only when ``hyphen``), a stop phrase, a number (not in an issuer), ``limit`` or ``max_words``. A known
    title is taken whole first. For an issuer, "và" goes on only before a capital.
    """
    toks = _tokens(text, pos, min(limit, pos + 400))
    end, words, i = None, 0, _title_at(toks, titles)
    if i:
        end, words = toks[i - 1].end, sum(t.is_word for t in toks[:i])
    while i < len(toks) and words < max_words:
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.is_word:
            if _stop_at(toks, i, stops) or (t.text.isdigit() and not issuer):  # "Ban Chỉ đạo 138" is a name
                break
            if words == 0 and t.text.lower() in not_first:
                break
            if issuer and t.text == "và" and not (nxt and nxt.is_word and nxt.text[0].isupper()):
                break
            end, words = t.end, words + 1
        elif t.text == "," and nxt and nxt.is_word and nxt.text in comma_continues:
            pass
        elif t.text == "-" and hyphen and nxt and nxt.is_word and not nxt.text.isdigit():
            pass
        else:
            break
        i += 1
    return end


# ------------------------------------------------------------------ dates and issuers
def _date_after(text: str, pos: int, default_year: int | None, need_ngay: bool = False):
    """(end, iso or None) for a date right at ``pos``; None when there is none or it is impossible."""
    m = _rx("date_after").match(text[pos:pos + 48])
    if not m or (need_ngay and not m.group("ngay")):
        return None
    day, month, year = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else \
        (m.group("d2"), m.group("m2"), m.group("y2"))
    y = int(year) if year else default_year
    try:
        d = date(y or 2000, int(month), int(day))  # 2000: a leap year, so 29/02 passes without a year
    except ValueError:
        return None
    return pos + m.end(), (d.isoformat() if y else None)


def _issuer_after(text: str, pos: int, limit: int):
    """(end, issuer) for "của <issuer>" at ``pos``, or None."""
    m = _rx("issuer_lead").match(text[pos:limit])
    if not m:
        return None
    start = pos + m.end()
    if start >= limit or not text[start].isupper():
        return None
    data = patterns.load(P)
    end = _name_end(text, start, limit, stops=_stops("issuer_stops"), max_words=data["issuer_max_words"],
                    hyphen=True, issuer=True)
    return (end, squash(text[start:end])) if end else None


# ------------------------------------------------------------------ candidates
@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    doc_type: str | None = None
    number: str | None = None
    grammar: str | None = None
    type_code: str | None = None
    issuer_code: str | None = None
    year: int | None = None
    issued_on: str | None = None
    issuer: str | None = None
    name: str | None = None
    typed: bool = False        # a type word (or abbreviation) was written before the number


# Spaces around "/" and "-" in a number are line breaks or typing slips ("21- CT/TW",
# "745 /QĐ-UBND", "QĐ- TTg"): the normalised number drops them.
_SEPARATOR = re.compile(r"\s*([/-])\s*")
# The codes of a ký hiệu, split at hyphens (spaces allowed for the same reason).
_CODE_SPLIT = re.compile(r"\s*-\s*")


def _number_cands(text: str, default_year: int | None) -> list[_Cand]:
    types = _types()
    out: list[_Cand] = []
    for key in ("number_legal", "number_party", "number_admin"):
        for m in _rx(key).finditer(text):
            year = int(m.group("year")) if key == "number_legal" else None
            if key == "number_party":
                grammar, type_code = "party", m.group("type")
                issuer_code = _CODE_SPLIT.sub("-", m.group("issuer"))
            else:
                codes = _CODE_SPLIT.split(m.group("codes"))
                head, dot, tail = codes[0].partition(".")
                if dot and head in types.by_code:  # 17/KHPH.VHTT-LĐTBXH: a joint plan of VHTT and LĐTBXH [S]
                    codes = [head, tail, *codes[1:]]
                if codes[0] in types.by_code and (len(codes) > 1 or year):
                    type_code, issuer_code = codes[0], "-".join(codes[1:]) or None
                    grammar = "legal" if year else "administrative"
                else:  # a công văn (or a law: 73/2006/QH11): no type code, issuer first
                    type_code, issuer_code = None, "-".join(codes)
                    grammar = "legal" if year else "cong_van"
            start, end = m.start(), m.end()
            pre = _prefix(text[max(0, start - 60):start])
            word = short = None
            if pre:
                start -= len(text[max(0, m.start() - 60):m.start()]) - pre.start()
                word, short = pre.group("word"), pre.group("short")
            doc_type = _doc_type(word, short, type_code, issuer_code, grammar)
            c = _Cand(start, end, types.kind.get(doc_type, "document"), doc_type=doc_type,
                      number=_SEPARATOR.sub(r"\1", m.group().strip()), grammar=grammar, type_code=type_code,
                      issuer_code=issuer_code, year=year, typed=bool(word or short))
            d = _date_after(text, end, default_year)
            if d:
                c.end, c.issued_on = d
            if c.year is None and c.issued_on:
                c.year = int(c.issued_on[:4])
            out.append(c)
    return out


def _doc_type(word, short, type_code, issuer_code, grammar) -> str | None:
    types = _types()
    if word and fold(word) not in types.generic:
        return types.by_word.get(fold(word))
    if short:
        return types.by_short[short]
    if type_code:
        return types.by_code.get(type_code)
    for rx, doc_type in types.implied:
        if issuer_code and rx.match(issuer_code):
            return doc_type
    return "Công văn" if grammar == "cong_van" else None


def _programme_cands(text: str) -> list[_Cand]:
    data = patterns.load(P)
    out: list[_Cand] = []
    for m in _rx("programme_de_an").finditer(text):
        word = squash(m.group("word"))
        out.append(_Cand(m.start(), m.end(), "programme", doc_type="Đề án", name=squash(m.group())))
        pos = m.end()
        while more := _rx("programme_list_more").match(text[pos:pos + 40]):  # "Đề án 939, 938, 1893"
            s, e = pos + more.start("no"), pos + more.end("no")
            out.append(_Cand(s, e, "programme", doc_type="Đề án", name=f"{word} {more.group('no')}"))
            pos = e
    for m in _rx("programme_mtqg").finditer(text):
        end = _name_end(text, m.end(), len(text), stops=_stops("programme_stops"),
                        max_words=data["programme_max_words"], titles=_titles("programme_subjects"), hyphen=True)
        if end is None:  # "các Chương trình mục tiêu quốc gia giai đoạn 2021-2025": no particular one
            continue
        period = _rx("programme_period").match(text[end:end + 40])
        if period:
            end += period.end()
        out.append(_Cand(m.start(), end, "programme", doc_type="Chương trình", name=squash(text[m.start():end])))
    for m in _rx("component").finditer(text):
        out.append(_Cand(m.start(), m.end(), "component", doc_type="Dự án", name=squash(m.group())))
    out += _titled_programme_cands(text)
    return out


def _titled_programme_cands(text: str) -> list[_Cand]:
    """"Chương trình truyền thông về … đến năm 2030", "Chiến lược quốc gia về bình đẳng giới"."""
    data = patterns.load(P)
    out: list[_Cand] = []
    for m in _rx("programme_titled").finditer(text):
        doc_type = "Chiến lược" if fold(m.group("word")).startswith("chien") else "Chương trình"
        rest = text[m.end():m.end() + 400]
        end = None
        quoted = _rx("programme_title_quoted").match(rest)
        dated = _rx("programme_title_period").match(rest)
        if quoted:
            end = m.end() + quoted.end()
        elif dated and len(dated.group("title").split()) <= data["programme_title_max_words"]:
            end = m.end() + dated.end()
        elif _rx("programme_national").match(rest):
            end = _national_end(text, m.end())
        if end:
            out.append(_Cand(m.start(), end, "programme", doc_type=doc_type, name=squash(text[m.start():end])))
    return out


def _national_end(text: str, pos: int) -> int | None:
    """End of "quốc gia về <subject>": the subject runs to a stop word (not "về") or punctuation."""
    head = _rx("programme_national").match(text[pos:])
    start = pos + head.end()
    stops = tuple(s for s in _stops("programme_stops") if s != ("về",))
    return _name_end(text, start, len(text), stops=stops, max_words=patterns.load(P)["programme_max_words"],
                     hyphen=True)


def _law_cands(text: str, default_year: int | None, others: list[_Cand]) -> list[_Cand]:
    """Laws by name; a number right after the name ("… số 73/2006/QH11") joins the law."""
    types = _types()
    out: list[_Cand] = []
    for m in _rx("law_head").finditer(text):
        if out and m.start() < out[-1].end:  # a law named inside an amending law's name
            continue
        if any(o.start <= m.start() < o.end for o in others):  # "Luật số 73/2006/QH11": already a number
            continue
        limit = min((o.start for o in others if o.start > m.start()), default=len(text))
        end = _law_name_end(text, m, limit)
        if end is None:
            continue
        c = _Cand(m.start(), end, "law", doc_type=types.by_word[fold(m.group("head"))])
        year = _rx("law_year").match(text[end:limit])
        if year:
            c.end, c.year = end + year.end(), int(year.group("year"))
        c.name = squash(text[c.start:c.end])
        d = _date_after(text, c.end, default_year, need_ngay=True)
        if d and d[0] <= limit:
            c.end, c.issued_on = d
            c.year = c.year or (int(d[1][:4]) if d[1] else None)
        nxt = next((o for o in others if o.start >= c.end and o.number and not o.typed
                    and re.fullmatch(r"\s*", text[c.end:o.start])), None)
        if nxt:  # the number belongs to the law: take its fields and its extent
            for f in ("number", "grammar", "type_code", "issuer_code", "issued_on"):
                setattr(c, f, getattr(c, f) or getattr(nxt, f))
            c.year, c.end = c.year or nxt.year, nxt.end
            others.remove(nxt)
        out.append(c)
    return out


def _law_name_end(text: str, head: re.Match, limit: int) -> int | None:
    """End of a law's name after its head ("Luật", "Bộ luật"); None if the words are no title."""
    if fold(head.group("head")) == "hien phap":  # no name; the year that follows says which
        return head.end()
    data = patterns.load(P)
    name_end = lambda pos: _name_end(  # noqa: E731
        text, pos, limit, stops=_stops("law_stops"), max_words=data["law_max_words"], titles=_titles("law_titles"),
        comma_continues=tuple(data["law_comma_continues"]), not_first=tuple(data["law_not_names"]))
    amending = _rx("law_amending").match(text[head.start():limit])
    if not amending:
        return name_end(head.end())
    end, pos = None, head.start() + amending.end()
    while (inner := _rx("law_head").match(text, pos, limit)) and (inner_end := name_end(inner.end())):
        end = inner_end
        joiner = _rx("law_joiner").match(text[end:limit])
        if not joiner:
            break
        pos = end + joiner.end()
    return end


def _without_overlaps(cands: list[_Cand]) -> list[_Cand]:
    kept: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.start, -(c.end - c.start))):
        if not kept or c.start >= kept[-1].end:
            kept.append(c)
    return kept


# ------------------------------------------------------------------ find
def find(doc: SourceDoc, default_year: int | None = None) -> tuple[Citation, ...]:
    """Every citation in the document, in text order, none overlapping another."""
    text = clean(doc.text)
    others = _number_cands(text, default_year) + _programme_cands(text)
    others = _without_overlaps(others)
    laws = _law_cands(text, default_year, others)  # takes the numbers that follow a law's name
    cands = _without_overlaps(others + laws)
    for i, c in enumerate(cands):
        if c.kind in ("document", "law"):
            limit = cands[i + 1].start if i + 1 < len(cands) else len(text)
            found = _issuer_after(text, c.end, limit)
            if found:
                c.end, c.issuer = found
    return tuple(_citation(doc, c) for c in cands)


def _citation(doc: SourceDoc, c: _Cand) -> Citation:
    return Citation(surface=doc.text[c.start:c.end], span=doc.span(c.start, c.end), kind=c.kind,
                    doc_type=c.doc_type, number=c.number, grammar=c.grammar, type_code=c.type_code,
                    issuer_code=c.issuer_code, year=c.year, issued_on=c.issued_on, issuer=c.issuer, name=c.name)


# ------------------------------------------------------------------ keys
def number_key(number: str) -> str:
    """Matching key of a số ký hiệu: no spaces, marks stripped, Đ→D, leading zeros dropped; case kept."""
    t = re.sub(r"\s+", "", clean(nfc(number)))
    t = "".join(ch for ch in unicodedata.normalize("NFD", t) if not unicodedata.combining(ch))
    t = t.replace("Đ", "D").replace("đ", "d")
    return re.sub(r"^0+(?=\d)", "", t)


def name_key(name: str) -> str:
    """Matching key of a law or programme name: folded, abbreviations expanded, period dropped."""
    data = patterns.load(P)
    abbr = data["name_abbreviations"]
    key = " ".join(abbr.get(w, w) for w in fold(name).split())
    period = _rx("name_period")
    while (shorter := period.sub("", key)) != key:
        key = shorter
    return key


def _split_number(key: str) -> tuple[str, str]:
    m = re.match(r"(\d*)(.*)", key)
    return m.group(1), m.group(2)


def _digits(key: str) -> str:
    return "".join(sorted(ch for ch in key if ch.isdigit()))


# ------------------------------------------------------------------ resolve
@dataclass(frozen=True)
class _Index:
    by_number: dict
    by_name: dict
    docs: dict


def _index(registry: tuple[LegalDocument, ...]) -> _Index:
    by_number: dict[str, list[LegalDocument]] = {}
    by_name: dict[str, list[LegalDocument]] = {}
    for d in registry:
        if d.number:
            by_number.setdefault(number_key(d.number), []).append(d)
        for key in {name_key(n) for n in d.names}:
            by_name.setdefault(key, []).append(d)
    return _Index(by_number, by_name, {d.id: d for d in registry})


def resolve(citations, registry: tuple[LegalDocument, ...]) -> tuple[ResolvedCitation, ...]:
    """Each citation mapped to a registry document, with the method, score and any mismatch."""
    idx = _index(tuple(registry))
    return tuple(_resolve_one(c, idx) for c in citations)


def _resolve_one(c: Citation, idx: _Index) -> ResolvedCitation:
    if c.number:
        key = number_key(c.number)
        hits = idx.by_number.get(key)
        if hits:
            return _check_date(c, hits, "number")
        near = _number_near_miss(c, key, idx)
        if near:
            return near
    if c.name:
        key = name_key(c.name)
        hits = idx.by_name.get(key)
        if hits:
            return _check_date(c, hits, "name")
        near = _name_near_miss(c, key, idx)
        if near:
            return near
    note = "a programme component, not a document" if c.kind == "component" else None
    return ResolvedCitation(c, None, 0.0, "none", note)


def _year_of(d: LegalDocument) -> int | None:
    return int(d.issued_on[:4]) if d.issued_on else None


def _check_date(c: Citation, hits: list[LegalDocument], method: str) -> ResolvedCitation:
    """One registry document for the citation, or none if the number/name is ambiguous.

    Several documents share a number across issuers and years (22/KH-UBND): the cited
    date, then the cited year, chooses. A cited date or year that differs from the
    registry's makes a near miss with both values in the note.
    """
    if len(hits) > 1:
        narrowed = [d for d in hits if c.issued_on and d.issued_on == c.issued_on] or \
                   [d for d in hits if c.year and _year_of(d) == c.year]
        if len(narrowed) != 1:
            return ResolvedCitation(c, None, 0.0, "none",
                                    "ambiguous: " + ", ".join(sorted(d.id for d in hits)))
        hits = narrowed
    d = hits[0]
    if c.issued_on and d.issued_on and c.issued_on != d.issued_on:
        return ResolvedCitation(c, d.id, DATE_MISMATCH_SCORE, "near_miss",
                                f"cited date {c.issued_on}, registry {d.issued_on}")
    if c.year and _year_of(d) and c.year != _year_of(d) and not (c.number and method == "number"):
        return ResolvedCitation(c, d.id, DATE_MISMATCH_SCORE, "near_miss",
                                f"cited year {c.year}, registry {_year_of(d)}")
    note = "registry date unknown" if c.issued_on and not d.issued_on else None
    return ResolvedCitation(c, d.id, 1.0, method, note)


def _number_near_miss(c: Citation, key: str, idx: _Index) -> ResolvedCitation | None:
    """A registry number one typo away: same number with a near ký hiệu (1521/QĐ-TT for
    1521/QĐ-TTg), or the same ký hiệu with the digits transposed (483 for 438/KH-UBQG-BCA).
    Any other difference in the digits is another document (95/KH-UBND is not 55/KH-UBND)."""
    no, rest = _split_number(key)
    best: tuple[float, str] | None = None
    for other in idx.by_number:
        no2, rest2 = _split_number(other)
        if not no or not no2:
            continue
        same_no = no == no2 and fuzz.ratio(rest, rest2) >= CODE_CUTOFF
        swapped = rest == rest2 and no != no2 and sorted(no) == sorted(no2)
        if same_no or swapped:
            score = fuzz.ratio(key, other) / 100
            if best is None or score > best[0]:
                best = (score, other)
    if best is None:
        return None
    docs = idx.by_number[best[1]]
    if len(docs) > 1:
        return ResolvedCitation(c, None, 0.0, "none", "ambiguous: " + ", ".join(sorted(d.id for d in docs)))
    d = docs[0]
    note = f"cited {c.number}, registry {d.number}"
    if c.issued_on and d.issued_on and c.issued_on != d.issued_on:
        note += f"; cited date {c.issued_on}, registry {d.issued_on}"
    return ResolvedCitation(c, d.id, round(best[0], 3), "near_miss", note)


def _name_near_miss(c: Citation, key: str, idx: _Index) -> ResolvedCitation | None:
    """A registry name close to the cited one (fuzz.ratio ≥ NAME_CUTOFF on folded keys), whose
    numbers are the same digits ("Đề án 938" is not "Đề án 939")."""
    choices = [k for k in idx.by_name if _digits(k) == _digits(key)]
    hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF)
    if not hit:
        return None
    docs = idx.by_name[hit[0]]
    if len(docs) > 1:
        return ResolvedCitation(c, None, 0.0, "none", "ambiguous: " + ", ".join(sorted(d.id for d in docs)))
    d = docs[0]
    registry_name = next(n for n in d.names if name_key(n) == hit[0])
    return ResolvedCitation(c, d.id, round(hit[1] / 100, 3), "near_miss",
                            f"cited name {c.name!r}, registry {registry_name!r}")


def without_own(found: tuple[Citation, ...], doc: SourceDoc, own_number: str | None) -> tuple[Citation, ...]:
    """Citations less the document naming itself (its "Số:" line, "Kèm theo Kế hoạch số …" on
    its own annex) and less any match that runs out of a table cell into the next one."""
    cells = [b for b in doc.blocks if b.region == "cell"]
    keep = []
    for c in found:
        if own_number and c.number == own_number:
            continue
        if any(b.start <= c.span.start < b.end < c.span.end for b in cells):
            continue
        keep.append(c)
    return tuple(keep)
