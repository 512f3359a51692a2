"""Find the ND 30/2020 header, title, recipients, distribution list and signature block.

``find(doc)`` returns a ``Header`` whose fields each carry the surface text, the
normalised value and the span. It never decides which body a name refers to: the
issuer is kept as written, and ``resolve`` (a separate, pure step) maps it through the
gazetteer matcher.

Where the header was lost (text pasted from a PDF, a flattened copy) the fields fall
back on what the rest of the document says: the opening sentence ("… Ủy ban nhân dân
huyện ban hành Kế hoạch …") for the issuer, the signature block for the signer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from extractors import patterns
from gazetteer.match import ELSEWHERE, covered, places_named
from extractors.layout import SideBySide, body_blocks, side_by_side
from pipeline.core.models import Block, SourceDoc, Span
from pipeline.core.textnorm import clean, fold, squash

P = "header"


@dataclass(frozen=True)
class Field:
    value: str
    surface: str
    span: Span


@dataclass(frozen=True)
class Header:
    kind: str
    doc_type: Field | None = None
    number: Field | None = None
    title: Field | None = None
    issuer: Field | None = None
    parent: Field | None = None
    place: Field | None = None
    issued_on: Field | None = None
    kinh_gui: tuple[Field, ...] = field(default_factory=tuple)
    noi_nhan: tuple[Field, ...] = field(default_factory=tuple)
    archive: Field | None = None
    signing_authority: Field | None = None
    collective: Field | None = None
    signer_title: Field | None = None
    signer: Field | None = None
    body_start: int = 0
    body_end: int = 0

    def fields(self) -> dict[str, Field]:
        """Every single-valued field that was found, by name."""
        names = ["doc_type", "number", "title", "issuer", "parent", "place", "issued_on", "archive",
                 "signing_authority", "collective", "signer_title", "signer"]
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}


@dataclass(frozen=True)
class ResolvedHeader:
    header: Header
    issuer_body_id: str | None
    parent_body_id: str | None
    issuer_method: str
    issuer_score: float
    district: str | None = None


def _elsewhere(header: Header, matcher, parent, issuer) -> bool:
    """A document of a place the gazetteer does not cover: its header names a place the
    gazetteer does not know ("UBND TỈNH QUẢNG NAM"), or, with no issuer found, its date line
    does ("Vĩnh Long, ngày …"). Its generic names ("Công an tỉnh") are then no body of ours."""
    named = [p for f in (header.parent, header.issuer) if f for p in places_named(f.value)]
    if named and not all(covered(p, matcher.known_places) for p in named):
        return True
    resolved = any(r is not None and r.body_id for r in (parent, issuer))
    return bool(not resolved and header.place and not covered(fold(header.place.value), matcher.known_places))


# ------------------------------------------------------------------ helpers
def _text(doc: SourceDoc, b: Block) -> str:
    return squash(doc.block_text(b))


def _field(doc: SourceDoc, value: str, start: int, end: int) -> Field:
    return Field(value, doc.text[start:end], doc.span(start, end))


def _is_motto(line: str) -> bool:
    key = fold(line)
    return bool(key) and any(key in fold(m) for m in patterns.load(P)["national_motto"])


def _is_rule(line: str) -> bool:
    return bool(re.match(patterns.load(P)["rule_line"], line))


def _doc_type_of(line: str) -> dict | None:
    if not line.isupper():
        return None
    key = fold(line)
    for t in patterns.load(P)["doc_types"]:
        if fold(t["name"]) == key:
            return t
    return None


def _starts_with_any(line: str, words) -> bool:
    low = line.casefold()
    return any(low.startswith(w.casefold()) for w in words)


_LABEL = re.compile(r"^(?:[IVXLC]+\.|\d+[.)]|[a-zđ]\))\s")


def _number_value(raw: str) -> str:
    return re.sub(r"\s*([/-])\s*", r"\1", raw.strip())


def _title_case(line: str) -> str:
    """'PHÓ TRƯỞNG CÔNG AN HUYỆN' → 'Phó Trưởng Công an huyện' using the title_words table."""
    out = line.lower()
    for w in sorted(patterns.load(P)["title_words"], key=len, reverse=True):
        out = re.sub(r"(?<!\w)" + re.escape(w.lower()) + r"(?!\w)", w, out)
    return out[:1].upper() + out[1:]


def _issuer_groups(lines: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    heads = patterns.load(P)["body_heads"]
    joiners = tuple(w.casefold() for w in patterns.load(P)["continued_after"])
    groups: list[list[tuple[str, int, int]]] = []
    for ln in lines:
        continued = bool(groups) and groups[-1][-1][0].casefold().rstrip().endswith(joiners)
        if not groups or (_starts_with_any(ln[0], heads) and not continued):
            groups.append([ln])
        else:
            groups[-1].append(ln)
    return groups


# ------------------------------------------------------------------ find
def find(doc: SourceDoc) -> Header:
    pat = patterns.load(P)
    body = body_blocks(doc)
    units = side_by_side(doc)

    # the document type line and the title under it
    doc_type_block, type_entry = None, None
    for b in body[:40]:
        entry = _doc_type_of(_text(doc, b))
        if entry:
            doc_type_block, type_entry = b, entry
            break
    limit = doc_type_block.start if doc_type_block else (body[0].start if body else len(doc.text))

    head_unit = next((u for u in units if u.start < max(limit, 1) and _has_header_marks(doc, u)), None)
    if head_unit:
        lines = [(b, "left") for b in head_unit.left] + [(b, "right") for b in head_unit.right]
    else:  # flattened or lost header: the body paragraphs above the type line
        lines = [(b, "flat") for b in body if b.end <= limit][:12]

    number = place = issued = subject = None
    issuer_lines: list[tuple[str, int, int]] = []
    seen_number = False
    for b, side in lines:
        t = _text(doc, b)
        if not t or _is_motto(t) or _is_rule(t):
            continue
        m = patterns.regex(P, "number").match(t)
        if m and number is None:
            raw = doc.text[b.start:b.end]
            s = raw.find(m.group("number").split()[0]) if m.group("number").split() else b.start
            number = _field(doc, _number_value(m.group("number")), b.start + max(s, 0), b.end)
            seen_number = True
            continue
        m = patterns.regex(P, "date_line").search(clean(doc.text[b.start:b.end]))
        if m and issued is None:
            try:
                iso = date(int(m.group("year")), int(m.group("month")), int(m.group("day"))).isoformat()
            except ValueError:
                iso = None
            if iso:
                issued = Field(iso, doc.text[b.start + m.start():b.start + m.end()],
                               doc.span(b.start + m.start(), b.start + m.end()))
                place = _field(doc, squash(m.group("place")), b.start + m.start("place"), b.start + m.end("place"))
            continue
        m = patterns.regex(P, "subject_line").match(t)
        if m:
            subject = _field(doc, squash(m.group("subject")), b.start, b.end)
            continue
        if side == "left" or (side == "flat" and not seen_number and not issued):
            issuer_lines.append((t, b.start, b.end))

    issuer = parent = None
    groups = _issuer_groups(issuer_lines)
    if groups:
        g = groups[-1]
        issuer = _field(doc, " ".join(x[0] for x in g), g[0][1], g[-1][2])
        if len(groups) > 1:
            p = groups[-2]
            parent = _field(doc, " ".join(x[0] for x in p), p[0][1], p[-1][2])

    doc_type = title = None
    body_start = lines[-1][0].end if lines else 0
    if doc_type_block:
        doc_type = _field(doc, type_entry["name"], doc_type_block.start, doc_type_block.end)
        title_blocks = []
        after = [b for b in body if b.start > doc_type_block.start]
        for b in after[:4]:
            t = _text(doc, b)
            layout_known = b.bold is not None or b.align is not None
            looks_like_title = (b.bold or b.align == "center") if layout_known else not _starts_with_any(t, pat["openers"])
            if (not looks_like_title or _LABEL.match(t) or len(t) > 300
                    or _starts_with_any(t, [pat["recipients_label"]])):
                break
            title_blocks.append(b)
        if title_blocks:
            title = _field(doc, " ".join(_text(doc, b) for b in title_blocks),
                           title_blocks[0].start, title_blocks[-1].end)
            body_start = title_blocks[-1].end
        else:
            body_start = doc_type_block.end
    elif subject:
        title = subject
    kind = type_entry["kind"] if type_entry else _kind_from_number(number)
    if doc_type is None and number is not None:
        entry = _type_from_number(number.value)
        if entry:
            kind = entry["kind"]
    if number is not None and not re.match(r"\d", number.value):
        number = None  # "Số:      /KH-UBND": left blank for the clerk — its code told the kind, it has no number

    kinh_gui, body_start = _recipients(doc, body, body_start)
    footer = _footer(doc, body, units, head_unit)
    noi_nhan, archive, sig_lines, body_end = footer
    authority, collective, signer_title, signer = _signature(doc, sig_lines)

    if issuer is None:
        issuer = _issuer_from_text(doc, body) or collective
    return Header(kind=kind or "other", doc_type=doc_type, number=number, title=title, issuer=issuer,
                  parent=parent, place=place, issued_on=issued, kinh_gui=kinh_gui, noi_nhan=noi_nhan,
                  archive=archive, signing_authority=authority, collective=collective,
                  signer_title=signer_title, signer=signer, body_start=body_start, body_end=body_end)


def _has_header_marks(doc: SourceDoc, u: SideBySide) -> bool:
    texts = [_text(doc, b) for b in u.left + u.right]
    return any(_is_motto(t) or patterns.regex(P, "number").match(t)
               or patterns.regex(P, "date_line").search(t) for t in texts)


def _type_from_number(number: str) -> dict | None:
    m = re.match(r"^\d*/(?:\d{4}/)?(?P<code>[^-/]+)-", number)
    if not m:
        return None
    for t in patterns.load(P)["doc_types"]:
        if t["code"] and t["code"] == m.group("code"):
            return t
    return None


def _kind_from_number(number: Field | None) -> str | None:
    entry = _type_from_number(number.value) if number else None
    return entry["kind"] if entry else None


def _recipients(doc: SourceDoc, body: list[Block], start: int) -> tuple[tuple[Field, ...], int]:
    label = patterns.load(P)["recipients_label"]
    after = [b for b in body if b.start >= start][:8]
    for i, b in enumerate(after):
        t = _text(doc, b)
        if not t.casefold().startswith(label.casefold()):
            continue
        raw = doc.text[b.start:b.end]
        colon = raw.find(":")
        rest = raw[colon + 1:] if colon >= 0 else ""
        items: list[Field] = []
        end = b.end
        if squash(rest):
            offset = b.start + colon + 1
            for part in re.finditer(r"[^;]+", rest):
                v = squash(part.group()).strip(" -.;")
                if v:
                    s = offset + part.start() + (len(part.group()) - len(part.group().lstrip(" -")))
                    items.append(_field(doc, v, s, s + len(part.group().strip(" -.;"))))
        else:
            for nb in after[i + 1:]:
                nt = _text(doc, nb)
                if not nt.startswith("-"):
                    break
                v = nt.strip(" -.;")
                s = nb.start + doc.text[nb.start:nb.end].find(v[:5])
                items.append(_field(doc, v, s, s + len(v)))
                end = nb.end
        return tuple(items), end
    return (), start


def _footer(doc, body, units, head_unit):
    pat = patterns.load(P)
    dist = pat["distribution_label"].casefold()
    archive_label = pat["archive_label"]
    foot = next((u for u in reversed(units) if u is not head_unit
                 and any(_text(doc, b).casefold().startswith(dist) for b in u.left)), None)
    sig_lines: list[Block] = []
    list_blocks: list[Block] = []
    body_end = len(doc.text)
    if foot:
        start = next(i for i, b in enumerate(foot.left) if _text(doc, b).casefold().startswith(dist))
        list_blocks = list(foot.left[start + 1:])
        sig_lines = list(foot.right)
        body_end = foot.start
    else:
        idx = next((i for i in range(len(body) - 1, -1, -1)
                    if _text(doc, body[i]).casefold().startswith(dist)), None)
        if idx is not None:
            body_end = body[idx].start
            rest = body[idx + 1:]
            k = 0
            while k < len(rest) and _text(doc, rest[k]).startswith("-"):
                k += 1
            list_blocks, sig_lines = rest[:k], rest[k:k + 8]
            if not sig_lines:  # signature typed above the list
                before = [b for b in body[:idx] if len(_text(doc, b)) < 60][-5:]
                sig_lines = before
        else:  # no Nơi nhận: the signature is the run of short title/name lines at the very end
            prefixes = tuple(p + " " for p in pat["signing_prefixes"])
            tail: list[Block] = []
            for b in reversed(body[-6:]):
                t = _text(doc, b)
                is_name = len(t.split()) <= 5 and all(w[:1].isupper() for w in t.split())
                if len(t) >= 60 or _LABEL.match(t) or not (t.isupper() or t.startswith(prefixes) or is_name):
                    break
                tail.insert(0, b)
            sig_lines = tail
            if sig_lines:
                body_end = sig_lines[0].start
    for pattern in pat["closing"]:
        for b in body:
            if b.start < body_end and re.match(pattern, _text(doc, b)):
                body_end = min(body_end, b.end)
    items: list[Field] = []
    archive = None
    for b in list_blocks:
        raw = doc.text[b.start:b.end]
        v = squash(raw).lstrip("-–• ").rstrip(" ;.")
        if not v:
            continue
        s = b.start + raw.find(v[:3])
        f = _field(doc, v, s, s + len(v))
        items.append(f)
        if v.startswith(archive_label):
            archive = f
    return tuple(items), archive, sig_lines, body_end


def _signature(doc: SourceDoc, blocks: list[Block]):
    pat = patterns.load(P)
    lines = []
    for b in blocks:
        raw = doc.text[b.start:b.end]
        t = squash(raw)
        for mark in pat["signature_marks"]:
            t = t.replace(mark, "").strip()
        if t:
            s = b.start + raw.find(t[:3])
            lines.append((t, s, s + len(t)))
    if not lines:
        return None, None, None, None
    prefixes = pat["signing_prefixes"]
    authority = collective = signer_title = signer = None
    last_prefix = -1
    for i, (t, s, e) in enumerate(lines):
        p = next((p for p in prefixes if t.startswith(p + " ") or t == p), None)
        if p:
            authority = _field(doc, p, s, s + len(p))
            last_prefix = i
            if p == "TM.":
                rest = t[len(p):].strip()
                collective = _field(doc, rest, e - len(rest), e)
    names = [(i, ln) for i, ln in enumerate(lines) if not ln[0].isupper()]
    name_i = names[-1][0] if names else None
    if name_i is not None:
        t, s, e = lines[name_i]
        signer = _field(doc, t, s, e)
    title_i = last_prefix + 1
    if title_i < len(lines) and title_i != name_i and lines[title_i][0].isupper():
        t, s, e = lines[title_i]
        signer_title = _field(doc, _title_case(t), s, e)
    elif last_prefix >= 0:  # the head signs: the prefix line itself names the post ("TM. UBND" aside)
        t, s, e = lines[last_prefix]
        post = t.split(" ", 1)[1] if " " in t else ""
        if authority and authority.value != "TM." and post:
            signer_title = _field(doc, _title_case(post), e - len(post), e)
    # a title line with no prefix before it is the head signing in person
    if authority is None and signer_title is None:
        caps = [ln for ln in lines if ln[0].isupper()]
        if caps:
            t, s, e = caps[0]
            signer_title = _field(doc, _title_case(t), s, e)
    return authority, collective, signer_title, signer


def _issuer_from_text(doc: SourceDoc, body: list[Block]) -> Field | None:
    rx = patterns.regex(P, "issuer_in_text")
    for b in body[:12]:
        t = clean(doc.text[b.start:b.end])
        m = rx.search(t)
        if m:
            s, e = b.start + m.start("issuer"), b.start + m.end("issuer")
            return _field(doc, squash(m.group("issuer")), s, e)
    return None


# ------------------------------------------------------------------ resolve
def resolve(header: Header, matcher) -> ResolvedHeader:
    """Map the issuer and parent names to gazetteer bodies (pure: the matcher is data).

    The document's district comes from whichever is unambiguous first: the parent body
    ("UBND HUYỆN HÀ QUẢNG"), the issuer itself, or the place in the date line, else the
    gazetteer's home district; names that several districts share ("PHÒNG NỘI VỤ") are
    then resolved within it.
    """
    parent = matcher.resolve(header.parent.value) if header.parent else None
    issuer = matcher.resolve(header.issuer.value) if header.issuer else None
    district = (matcher.district_of(parent.body_id if parent else None)
                or matcher.district_of(issuer.body_id if issuer else None)
                or (matcher.district_named(header.place.value) if header.place else None)
                or (ELSEWHERE if _elsewhere(header, matcher, parent, issuer) else None)
                or matcher.home_district)
    if district:
        parent = matcher.resolve(header.parent.value, district) if header.parent else None
        issuer = matcher.resolve(header.issuer.value, district) if header.issuer else None
    if issuer is not None and issuer.body_id is None and district != ELSEWHERE:
        issuer = matcher.locate(header.issuer.value, district)
    district = district or matcher.district_of(issuer.body_id if issuer else None)
    return ResolvedHeader(header=header,
                          issuer_body_id=issuer.body_id if issuer else None,
                          parent_body_id=parent.body_id if parent else None,
                          issuer_method=issuer.method if issuer else "none",
                          issuer_score=issuer.score if issuer else 0.0,
                          district=district)
