"""Find the figures in a document: counts, percentages, money and ratios.

``find(doc)`` returns one ``Figure`` per figure, holding the exact surface, its span, the
number as a float, the unit as canonical lower-case text and the kind:

* ``count``   — a number with a count noun: "05 hội nghị" (5, "hội nghị"), "412 lượt người".
* ``percent`` — "36,5%" (36.5, "%"). The value is the percentage, not a fraction.
* ``money``   — "12,5 triệu đồng" (12 500 000, "đồng"); scales are multiplied out.
* ``ratio``   — "21/21 xã" (21 of 21, "xã"), "38/112 cán bộ", and rates with a noun on each
  side: "112 bé trai/100 bé gái" (112 per 100, "bé trai/bé gái"). The value is the
  numerator and ``denominator`` the other side, so value/denominator is the quotient.
* ``other``   — a number with a measure: "dưới 16 tuổi" (16, "tuổi"), "120 ha".

A bare number is never a figure: it needs a unit, a % sign, a money word or a ratio
with a unit. Dates, periods, số ký hiệu, programme and article numbers, clock times,
outline labels and STT cells are masked before matching (see ``figures.yml``).

The qualifier written before the number ("hơn", "trên", "đạt", "tăng", "giảm", …) is kept
in the surface and returned as ``qualifier``; up to two may stack ("đạt trên 90%").
``counted`` is a short noun phrase after a count's unit ("05 hội nghị tuyên truyền" →
"tuyên truyền"), at most two syllables: a hint, not an analysis.

find never decides what a figure measures (which indicator, which agency): that belongs
to a later step. The one assumption it makes is that a bare "tỷ" is money in đồng.

The number convention is Vietnamese: "." groups thousands ("12.500.000"), "," is the
decimal mark ("36,5", "106,811 tỷ" = 106.811 billion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from extractors import patterns
from pipeline.core.models import SourceDoc, Span
from pipeline.core.textnorm import fold, clean, squash, unify_tones

P = "figures"

KINDS = ("count", "percent", "money", "ratio", "other")


@dataclass(frozen=True)
class Figure:
    surface: str  # exactly doc.text[span.start:span.end], qualifier included
    span: Span
    value: float
    unit: str | None  # canonical lower case: "hội nghị", "lượt người", "%", "đồng", "xã"
    kind: str  # one of KINDS
    qualifier: str | None  # "hơn", "trên", "đạt trên", … lower case
    denominator: float | None  # ratios only
    counted: str | None  # counts and ratios: the noun phrase after the unit, if short


def parse_number(text: str) -> float:
    """'1.250' → 1250.0, '36,5' → 36.5, '05' → 5.0, '106,811' → 106.811 (Vietnamese style)."""
    return float(_decimal(text))


def _decimal(text: str) -> Decimal:
    whole, _, frac = re.sub(r"\s+", "", text).partition(",")
    return Decimal(whole.replace(".", "") + ("." + frac if frac else ""))


def canonical(words: str) -> str:
    """A unit or qualifier as returned: lower case, single spaces, new tone placement."""
    t = unify_tones(squash(words).lower())
    return re.sub(r"\s*,\s*", ", ", t)


# ------------------------------------------------------------------ the compiled table
@dataclass(frozen=True)
class _Template:
    name: str
    kind: str
    regex: re.Pattern


@dataclass(frozen=True)
class _Rules:
    templates: tuple[_Template, ...]
    exclusions: tuple[re.Pattern, ...]
    outline_label: re.Pattern
    stt_cell: re.Pattern
    stt_row: re.Pattern
    scale_pair: re.Pattern  # a number and its scale word, for "1 nghìn 676,2 tỷ"
    scales: dict[str, Decimal]
    big_factors: frozenset[Decimal]
    measures: frozenset[str]
    money_unit: str
    stop_words: tuple[str, ...]
    counted_max: int


def _phrase(words: str) -> str:
    """A word list entry as a regex: any run of white space between words, and a comma
    with or without spaces around it ("tin, bài", "tin,bài")."""
    parts = re.findall(r",|[^\s,]+", words)
    out = ""
    for i, part in enumerate(parts):
        if i:
            out += r"\s*" if part == "," or parts[i - 1] == "," else r"\s+"
        out += re.escape(part)
    return out


def _alternation(words) -> str:
    """Longest first, so that Python's first-match alternation keeps the longest word."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?i:" + "|".join(_phrase(w) for w in unique) + ")"


def _fill(template: str, parts: dict[str, str]) -> str:
    """Replace {name} placeholders (not regex quantifiers like {1,3}) until none is left."""
    for _ in range(5):
        filled = re.sub(r"\{([a-z_]+)\}", lambda m: parts[m.group(1)], template)
        if filled == template:
            return filled
        template = filled
    return template


@lru_cache(maxsize=None)
def _parts() -> dict[str, str]:
    t = patterns.load(P)
    units = list(t["count_units"]) + list(t["measure_units"])
    per_visit = ["lượt " + u for u in t["count_units"]] + ["lượt"]
    not_after = "(?!\\s+" + _alternation(t["not_after_money_word"]) + "(?!\\w))"
    quals = _alternation(t["qualifiers"])
    parts = {
        "digits": t["digits"]["regex"],
        "qualifier": rf"(?:(?<!\w)(?P<qualifier>{quals}(?:\s+{quals})?)\s+)?",
        "unit": _alternation(units + per_visit) + r"(?!\w)",
        "scale": _alternation(s["word"] for s in t["scales"]) + r"(?!\w)",
        "big_scale": _alternation(t["big_scales"]) + r"(?!\w)" + not_after,
        "money_unit": _alternation(t["money_units"]) + r"(?!\w)" + not_after,
    }
    parts["number"] = _fill(t["number"]["template"], parts)
    return parts


def pattern(name: str) -> re.Pattern:
    """The filled-in regex of a template in figures.yml ("number", "count", "money", …)."""
    t = patterns.load(P)
    if name in t and isinstance(t[name], dict):
        entry = t[name]
        return re.compile(entry["regex"] if "regex" in entry else _fill(entry["template"], _parts()))
    entry = next(e for e in t["templates"] if e["name"] == name)
    return re.compile(_fill(entry["template"], _parts()))


def template_examples() -> list[tuple[str, str, bool]]:
    """(template name, text, should_match) for every example of a template entry."""
    t = patterns.load(P)
    entries = [dict(v, name=k) for k, v in t.items() if isinstance(v, dict) and "template" in v]
    entries += list(t["templates"])
    out = []
    for e in entries:
        out += [(e["name"], ex, True) for ex in e.get("examples", [])]
        out += [(e["name"], ex, False) for ex in e.get("counter_examples", [])]
    return out


@lru_cache(maxsize=None)
def _rules() -> _Rules:
    t = patterns.load(P)
    parts = _parts()
    scales = {canonical(s["word"]): Decimal(s["factor"]) for s in t["scales"]}
    return _Rules(
        templates=tuple(_Template(e["name"], e["kind"], re.compile(_fill(e["template"], parts)))
                        for e in t["templates"]),
        exclusions=tuple(re.compile(e["regex"]) for e in t["exclusions"]),
        outline_label=re.compile(t["outline_label"]["regex"]),
        stt_cell=re.compile(t["stt_cell"]["regex"]),
        stt_row=re.compile(t["stt_row"]["regex"]),
        scale_pair=re.compile(rf"(?P<n>{parts['digits']})\s*(?P<s>{parts['scale']})"),
        scales=scales,
        big_factors=frozenset(scales[canonical(w)] for w in t["big_scales"]),
        measures=frozenset(canonical(u) for u in t["measure_units"]),
        money_unit=t["money_unit"],
        stop_words=tuple(sorted((canonical(w) for w in t["counted_stop_words"]), key=len, reverse=True)),
        counted_max=int(t["counted_max_syllables"]),
    )


# ------------------------------------------------------------------ find
def find(doc: SourceDoc) -> tuple[Figure, ...]:
    """Every figure in the document, in text order, none overlapping another."""
    rules = _rules()
    found: list[Figure] = []
    for start, end, stt_cell in _regions(doc):
        raw = doc.text[start:end]
        if stt_cell and rules.stt_cell.match(raw):
            continue
        found.extend(_find_in(doc, raw, start, rules))
    taken = [(f.span.start, f.span.end) for f in found]
    found += [f for f in _table_cells(doc) if all(f.span.end <= s or e <= f.span.start for s, e in taken)]
    return tuple(sorted(found, key=lambda f: (f.span.start, f.span.end)))


def _table_cells(doc: SourceDoc) -> list[Figure]:
    """Bare numbers in table cells, with the unit their row or column header gives."""
    t = patterns.load(P)
    heads = {k: [fold(w) for w in v] for k, v in t["table_headers"].items()}
    number = re.compile(t["table_number"]["regex"])
    unit_rx = re.compile(r"(?<!\w)(?:" + _parts()["unit"] + ")", re.I)
    scale_rx = re.compile(r"(?<!\w)(?P<s>" + _parts()["scale"] + r")?\s*" + _alternation(t["money_units"]) + r"(?!\w)",
                          re.I)
    tables: dict[int, dict[int, dict[int, list]]] = {}
    for b in doc.blocks:
        if b.region == "cell" and b.table is not None:
            tables.setdefault(b.table, {}).setdefault(b.row, {}).setdefault(b.col, []).append(b)
    out: list[Figure] = []
    for rows in tables.values():
        first = min(rows)
        header = {c: clean(" ".join(doc.block_text(b) for b in bl)) for c, bl in rows[first].items()}
        fheader = {c: fold(h) for c, h in header.items()}
        is_col = lambda c, kind: any(fheader.get(c, "") == w or fheader.get(c, "").startswith(w + " ")
                                     for w in heads[kind])
        unit_col = next((c for c in header if is_col(c, "unit_column")), None)
        for r, cols in rows.items():
            if r == first:
                continue
            for c, bl in cols.items():
                if c == unit_col or is_col(c, "stt_column") or len(bl) != 1:
                    continue
                b = bl[0]
                raw = doc.text[b.start:b.end]
                m = number.match(clean(raw))
                if not m:
                    continue
                value, unit, kind = parse_number(m.group("value")), None, "count"
                # the row's "Đơn vị tính" cell wins; else the column header names the unit
                where = (clean(" ".join(doc.block_text(x) for x in cols[unit_col]))
                         if unit_col is not None and unit_col in cols else header.get(c, ""))
                money = scale_rx.search(where)
                if "%" in where or any(w in fold(where) for w in heads["percent_column"][1:]):
                    unit, kind = "%", "percent"
                elif money:
                    factor = _rules().scales.get(canonical(money.group("s")), 1) if money.group("s") else 1
                    value = float(Decimal(m.group("value").replace(".", "").replace(",", ".")) * factor)
                    unit, kind = _rules().money_unit, "money"
                elif where is not header.get(c, "") and where.strip(" -"):
                    unit = canonical(where)
                else:
                    found_unit = unit_rx.search(where)
                    unit = canonical(found_unit.group()) if found_unit else None
                if not unit:
                    continue
                s = b.start + m.start("value")
                e = b.start + m.end("value")
                out.append(Figure(surface=doc.text[s:e], span=doc.span(s, e), value=value, unit=unit,
                                  kind=kind, qualifier=None, denominator=None, counted=None))
    return out


def _regions(doc: SourceDoc) -> list[tuple[int, int, bool]]:
    """(start, end, is the first cell of a table row) for each block; figures never cross
    a block (a paragraph, a cell), so an STT cell "1" never meets the next cell's noun."""
    if doc.blocks:
        return [(b.start, b.end, b.region == "cell" and b.col == 0) for b in doc.blocks]
    return [(m.start(), m.end(), False) for m in re.finditer(r"[^\n]+", doc.text)]


def _masked(raw: str, text: str, rules: _Rules) -> list[tuple[int, int]]:
    spans = [m.span() for rx in rules.exclusions for m in rx.finditer(text)]
    label = rules.outline_label.match(text)
    if label:
        spans.append(label.span())
    for line in re.finditer(r"[^\n]+", raw):  # raw: cleaning would turn the tab into a space
        m = rules.stt_row.match(line.group())
        if m:
            spans.append((line.start() + m.start(), line.start() + m.end()))
    return spans


def _find_in(doc: SourceDoc, raw: str, offset: int, rules: _Rules) -> list[Figure]:
    text = clean(raw)
    masked = _masked(raw, text, rules)
    candidates = []
    for order, tpl in enumerate(rules.templates):
        for m in tpl.regex.finditer(text):
            core = (m.start("value"), m.end())
            if any(s < core[1] and core[0] < e for s, e in masked):
                continue
            built = _build(tpl, m, text, rules)
            if built is not None:
                candidates.append((m.start(), m.end(), order, built))
    kept: list[tuple[int, int, int, dict]] = []
    for c in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        if all(c[1] <= k[0] or k[1] <= c[0] for k in kept):
            kept.append(c)
    out = []
    for s, e, _, fields in kept:
        start, end = offset + s, offset + e
        out.append(Figure(surface=doc.text[start:end], span=doc.span(start, end), **fields))
    return out


def _build(tpl: _Template, m: re.Match, text: str, rules: _Rules) -> dict | None:
    g = m.groupdict()
    value = _decimal(g["value"])
    unit = canonical(g["unit"]) if g.get("unit") else None
    kind, denominator, counted = tpl.kind, None, None
    if tpl.name == "money_compound":
        pairs = [(_decimal(p.group("n")), rules.scales[canonical(p.group("s"))])
                 for p in rules.scale_pair.finditer(text, m.start("value"), m.end())]
        if unit is None and not any(f in rules.big_factors for _, f in pairs):
            return None
        value = Decimal(0)
        for i, (n, factor) in enumerate(pairs):
            if i + 1 < len(pairs) and factor < pairs[i + 1][1]:  # "1 nghìn" of "676,2 tỷ"
                factor *= pairs[i + 1][1]
            value += n * factor
        unit = rules.money_unit
    elif kind == "percent":
        unit = "%"  # "phần trăm" too
    elif kind == "money":
        if g.get("scale"):
            value *= rules.scales[canonical(g["scale"])]
        unit = rules.money_unit
    elif tpl.name == "per_unit_ratio":
        denominator = float(_decimal(g["denominator"]))
        unit = f"{unit}/{canonical(g['unit2'])}"
    elif kind == "ratio":
        denominator = float(_decimal(g["denominator"]))
        counted = _counted(text, m.end(), rules) if unit else None
    elif kind == "count":
        if g.get("scale"):
            value *= rules.scales[canonical(g["scale"])]
        if unit in rules.measures:
            kind = "other"
        else:
            counted = _counted(text, m.end(), rules)
    qualifier = canonical(g["qualifier"]) if g.get("qualifier") else None
    return {"value": float(value), "unit": unit, "kind": kind, "qualifier": qualifier,
            "denominator": denominator, "counted": counted}


_WORD = re.compile(r"[ ]+(?P<w>[^\W\d_]+(?:&[^\W\d_]+)*)")


def _counted(text: str, end: int, rules: _Rules) -> str | None:
    """Up to counted_max syllables after the unit, stopping at punctuation, a digit, a
    proper noun (a Title-case word; acronyms like THCS pass) or a stop word."""
    words: list[str] = []
    pos = end
    while len(words) < rules.counted_max:
        m = _WORD.match(text, pos)
        if not m:
            break
        w = m.group("w")
        if w[:1].isupper() and not w.isupper():
            break
        rest = canonical(text[m.start("w"):m.start("w") + 40])
        if any(rest.startswith(s) and not rest[len(s):len(s) + 1].isalpha() for s in rules.stop_words):
            break
        words.append(w)
        pos = m.end()
        if pos < len(text) and not text[pos].isspace():  # "tuyên truyền," — the phrase ends
            break
    return " ".join(words) or None
