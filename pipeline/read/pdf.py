"""Read a PDF with pdfplumber: lines from word positions, side-by-side regions split by x,
tables from ruling lines, running page numbers and repeated headers/footers dropped.

Layout facts used (ND 30/2020 presentation, but nothing language-specific):
- the header and the Nơi nhận/signature footer are two columns side by side; plain
  ``extract_text`` interleaves them line by line, so a line with one wide gap starts a
  *region* and the lines below it are sorted into the left or right column;
- body paragraphs start with a first-line indent, or after a short last line.

A page with an image and (almost) no text layer is a scan: it is rendered with pypdfium2
and read by OCR (``pipeline.read.ocr``); the recognised words, with their boxes, go through the
same line and column logic. Text typed in TCVN3 or VNI fonts is converted to Unicode
(``pipeline.read.legacy``) word by word as it is extracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from pipeline.read import legacy, ocr
from pipeline.read.assemble import TextBuilder
from pipeline.core.errors import ReadError
from pipeline.core.models import SourceDoc, WordBox
from pipeline.core.textnorm import nfc

COLUMN_GAP = 24.0  # points: a gap this wide inside a line separates two columns
LINE_TOLERANCE = 3.0  # points: words whose tops differ less are on one line
INDENT = 8.0  # points: first-line indent that starts a paragraph
SHORT_LINE = 40.0  # points short of the right margin: the last line of a paragraph
CENTRE_SLACK = 12.0

MIN_TEXT_CHARS = 20  # a page with an image and fewer characters than this in its text layer is OCR'd
OCR_UNAVAILABLE = "image-only PDF and OCR is unavailable (install tesseract-ocr and tesseract-ocr-vie)"

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?\s*$", re.I)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool
    segments: list[tuple[float, float, str]]
    words: list[tuple[float, float, str]]


def _lines(words: list[dict]) -> list[Line]:
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= LINE_TOLERANCE:
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        segments: list[list[dict]] = [[row[0]]]
        for prev, w in zip(row, row[1:]):
            if w["x0"] - prev["x1"] > COLUMN_GAP:
                segments.append([w])
            else:
                segments[-1].append(w)
        segs = [(s[0]["x0"], s[-1]["x1"], " ".join(w["text"] for w in s)) for s in segments]
        bold = sum("bold" in w.get("fontname", "").lower() for w in row) > len(row) / 2
        out.append(Line(" ".join(s[2] for s in segs), row[0]["x0"], row[-1]["x1"],
                        min(w["top"] for w in row), max(w["bottom"] for w in row), bold, segs,
                        [(w["x0"], w["x1"], w["text"]) for w in row]))
    return out


@dataclass
class PageContent:
    """What one page gave: lines and tables; ``ocr`` when they were read from its image."""

    lines: list[Line]
    tables: list[tuple[float, list[list[str]]]]
    width: float
    height: float
    needs_ocr: bool = False
    ocr: bool = False
    ocr_confidence: float | None = None


def _page_lines(page, convert=None) -> tuple[list[Line], list[tuple[float, list[list[str]]]]]:
    tables = []
    try:
        found = page.find_tables()
    except Exception:  # a malformed drawing must not lose the page's text
        found = []
    boxes = []
    for t in found:
        rows = t.extract()
        if rows and len(rows) >= 1 and max(len(r) for r in rows) >= 2:
            boxes.append(t.bbox)
            tables.append((t.bbox[1], [[convert(c, "") if convert and c else c or "" for c in r] for r in rows]))

    def outside(w):
        return not any(b[0] - 1 <= w["x0"] and w["x1"] <= b[2] + 1 and b[1] - 1 <= w["top"]
                       and w["bottom"] <= b[3] + 1 for b in boxes)

    words = [w for w in page.extract_words(extra_attrs=["fontname"]) if outside(w)]
    if convert:
        words = [{**w, "text": convert(w["text"], w.get("fontname", ""))} for w in words]
    return _lines(words), tables


def _legacy_converter(pdf):
    """A function (text, fontname) -> Unicode when the PDF's text is TCVN3 or VNI, else None.

    Fonts named .VnTime… or VNI-… say so word by word (and .VnTimeH draws capitals);
    without them, the text of the first pages is tested as a whole."""
    chars = [c for page in pdf.pages[:3] for c in page.chars]
    by_font = {legacy.font_encoding(c.get("fontname")) for c in chars} - {None}
    if by_font:
        def convert(text: str, fontname: str) -> str:
            enc = legacy.font_encoding(fontname)
            if enc is None:
                return text
            out = legacy.to_unicode(text, enc)
            return out.upper() if legacy.is_upper_font(fontname) else out
        return convert
    enc = legacy.detect("".join(c["text"] for c in chars))
    return (lambda text, fontname: legacy.to_unicode(text, enc)) if enc else None


def _needs_ocr(page, lines: list[Line], tables) -> bool:
    """No text layer (or a handful of characters) over an image: a scanned page."""
    chars = sum(len(ln.text.replace(" ", "")) for ln in lines)
    chars += sum(len(c) for _, rows in tables for r in rows for c in r)
    return chars < MIN_TEXT_CHARS and bool(page.images)


def _ocr_words(lines: list[ocr.OcrLine], scale: float) -> list[dict]:
    """OCR lines as pdfplumber-like words (points): the lines Tesseract found side by side
    (the two columns of a header row) share one top and bottom, so they form one row."""
    rows: list[list] = []  # [top, bottom, words]
    for ln in sorted(lines, key=lambda l: (min(w.top for w in l.words) + max(w.bottom for w in l.words)) / 2):
        top, bottom = min(w.top for w in ln.words), max(w.bottom for w in ln.words)
        centre = (top + bottom) / 2
        row = next((r for r in rows if r[0] <= centre <= r[1] and top <= (r[0] + r[1]) / 2 <= bottom), None)
        if row is None:
            rows.append([top, bottom, list(ln.words)])
        else:
            row[0], row[1] = min(row[0], top), max(row[1], bottom)
            row[2].extend(ln.words)
    return [{"text": w.text, "x0": w.x0 * scale, "x1": w.x1 * scale, "top": top * scale,
             "bottom": bottom * scale, "fontname": ""} for top, bottom, words in rows for w in words]


def _recognise(path: Path, pages: list[PageContent]) -> tuple[list[PageContent], list[str]]:
    """OCR the pages that need it; without Tesseract an image-only PDF is a ReadError."""
    try:
        ocr.require()
    except ocr.OcrUnavailable as e:
        if all(p.needs_ocr or not (p.lines or p.tables) for p in pages):
            raise ReadError(OCR_UNAVAILABLE) from e
        return pages, [f"page {i}: no text layer and OCR is unavailable ({e})"
                       for i, p in enumerate(pages, 1) if p.needs_ocr]
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as e:  # pdfium refuses what pdfminer accepted
        raise ReadError(f"PDF pages could not be rendered for OCR ({type(e).__name__})") from e
    out = []
    try:
        for i, p in enumerate(pages):
            if not p.needs_ocr:
                out.append(p)
                continue
            try:
                image = pdf[i].render(scale=ocr.DPI / 72, grayscale=True).to_pil()
            except Exception as e:  # a page pdfium cannot draw
                raise ReadError(f"page {i + 1} could not be rendered for OCR ({type(e).__name__})") from e
            try:
                lines, confidence = ocr.ocr_page(image)
            except ocr.OcrUnavailable as e:
                raise ReadError(f"OCR failed on page {i + 1}: {e}") from e
            out.append(replace(p, lines=_lines(_ocr_words(lines, 72 / ocr.DPI)) if lines else [], tables=[],
                               ocr=True, ocr_confidence=confidence))
    finally:
        pdf.close()
    return out, []


def _is_running(line: Line, key: str, repeated: set[str]) -> bool:
    return bool(_PAGE_NUMBER.match(line.text)) or key in repeated


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def parse(path: Path, doc_id: str, filename: str | None = None) -> SourceDoc:
    """Read a PDF into a SourceDoc. Raises ReadError for anything that is not a readable PDF."""
    try:
        pdf = pdfplumber.open(path)
    except PDFPasswordIncorrect as e:
        raise ReadError("PDF is encrypted with a password") from e
    except (PDFSyntaxError, Exception) as e:  # pdfminer raises many types for broken files
        if "password" in repr(e).lower() or "encrypt" in repr(e).lower():
            raise ReadError("PDF is encrypted with a password") from e
        raise ReadError(f"not a readable PDF ({type(e).__name__})") from e
    with pdf:
        try:
            page_count = len(pdf.pages)
        except Exception as e:
            raise ReadError(f"PDF page tree is damaged ({type(e).__name__})") from e
        try:
            convert = _legacy_converter(pdf)
        except Exception as e:
            raise ReadError(f"PDF text could not be read ({type(e).__name__})") from e
        pages: list[PageContent] = []
        for page in pdf.pages:
            try:
                lines, tables = _page_lines(page, convert)
                pages.append(PageContent(lines, tables, float(page.width), float(page.height),
                                         needs_ocr=_needs_ocr(page, lines, tables)))
            except Exception as e:
                raise ReadError(f"page {page.page_number} could not be read ({type(e).__name__})") from e
            finally:
                page.close()
    if page_count == 0:
        raise ReadError("PDF has no pages")
    warnings: list[str] = []
    if any(p.needs_ocr for p in pages):
        pages, warnings = _recognise(Path(path), pages)
    return _build(pages, doc_id, filename or Path(path).name, warnings)


def _repeated_edges(pages) -> set[str]:
    """Texts that stand first or last on at least half the pages (2 or more): running heads."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in (p.lines for p in pages):
        edge = {_running_key(line.text) for line in (lines[:1] + lines[-1:])}
        for k in edge:
            counts[k] = counts.get(k, 0) + 1
    return {k for k, n in counts.items() if n >= max(2, len(pages) / 2) and k.strip("# ")}


def _build(pages: list[PageContent], doc_id: str, filename: str, warnings=()) -> SourceDoc:
    tb = TextBuilder()
    repeated = _repeated_edges(pages)
    all_lines = [ln for p in pages for ln in p.lines if len(ln.segments) == 1]
    left = min((ln.x0 for ln in all_lines), default=0.0)
    right = max((ln.x1 for ln in all_lines), default=0.0)
    mid = (left + right) / 2
    prev_body: Line | None = None
    group = 0
    for page in pages:
        lines, tables = page.lines, page.tables
        # drop running page numbers and repeated heads/feet at the page edges
        while lines and _is_running(lines[0], _running_key(lines[0].text), repeated):
            lines = lines[1:]
        while lines and _is_running(lines[-1], _running_key(lines[-1].text), repeated):
            lines = lines[:-1]
        regions = {r.first: r for r in _regions(lines)}
        items = [(ln.top, "line", i) for i, ln in enumerate(lines)] + [(t[0], "table", t[1]) for t in tables]
        items.sort(key=lambda it: it[0])
        skip_until = -1
        for _, kind, item in items:
            if kind == "table":
                group += 1
                for r, row in enumerate(item):
                    for c, cell in enumerate(row):
                        tb.add(cell, region="cell", group=group, table=group, row=r, col=c)
                prev_body = None
                continue
            i = item
            if i <= skip_until:
                continue
            if i in regions:
                reg = regions[i]
                group += 1
                for side in ("left", "right"):
                    for text, bold in reg.column(side):
                        tb.add(text, region=side, group=group, bold=bold)
                skip_until = reg.last
                prev_body = None
                continue
            ln = lines[i]
            # a body line: new paragraph or continuation of the previous one
            centred = (ln.x0 > left + 10 and ln.x1 < right - 10
                       and abs((ln.x0 + ln.x1) / 2 - mid) < CENTRE_SLACK)
            starts = (prev_body is None or ln.x0 > left + INDENT or centred
                      or prev_body.x1 < right - SHORT_LINE or prev_body.bold != ln.bold)
            if starts:
                tb.add(ln.text, region="body", align="center" if centred else None, bold=ln.bold)
            else:
                tb.extend_last(ln.text)
            prev_body = ln
        tb.end_page(ocr=page.ocr, ocr_confidence=page.ocr_confidence)
    warnings = list(warnings) + ([] if any(tb._blocks) else ["no text layer"])
    doc = tb.build(doc_id, filename, "pdf", warnings=warnings, ocr=any(p.ocr for p in pages))
    return replace(doc, word_boxes=_word_boxes(doc, pages))


def _word_boxes(doc: SourceDoc, pages: list[PageContent]) -> tuple[WordBox, ...]:
    """Each recognised word of an OCR'd page found again in the page's text, with its box.
    Words are searched in reading order; one emitted elsewhere (the right column of a
    two-column region comes after the left) is searched from the page start; a word of a
    dropped running head is not in the text and has no box."""
    out: list[WordBox] = []
    for content, page in zip(pages, doc.pages):
        if not content.ocr:
            continue
        segment = doc.text[page.start:page.end]
        pos, used = 0, set()
        for ln in content.lines:
            for x0, x1, text in ln.words:
                w = nfc(text)
                i = segment.find(w, pos)
                if i < 0:
                    i = segment.find(w)
                while i >= 0 and i in used:
                    i = segment.find(w, i + 1)
                if i < 0 or not w:
                    continue
                used.add(i)
                pos = i + len(w)
                out.append(WordBox(page.start + i, page.start + i + len(w), page.number, x0, ln.top, x1, ln.bottom))
    return tuple(sorted(out, key=lambda b: b.start))


@dataclass
class Region:
    """Consecutive lines laid out as two columns side by side, split at a gutter."""

    first: int
    last: int
    gutter: tuple[float, float]
    parts: list[tuple[str, float, float, str, bool]]  # (side, x0, x1, text, bold)

    def spans(self, side: str) -> list[tuple[float, float]]:
        return [(a, z) for s, a, z, _, _ in self.parts if s == side]

    def column(self, side: str) -> list[tuple[str, bool]]:
        return [(t, b) for s, _, _, t, b in self.parts if s == side]


def _split_at(ln: Line, gutter: tuple[float, float]) -> tuple[list, list] | None:
    """Split a line's words at the widest word boundary inside the gutter, if any."""
    g0, g1 = gutter
    best, best_gap = None, -1.0
    for k in range(1, len(ln.words)):
        a, b = ln.words[k - 1], ln.words[k]
        if a[1] <= g1 + 4 and b[0] >= g0 - 4 and b[0] - a[1] > best_gap:
            best, best_gap = k, b[0] - a[1]
    if best is None:
        return None
    return ln.words[:best], ln.words[best:]


def _accepts(ln: Line, spans: list[tuple[float, float]], near: bool) -> bool:
    """A column takes a line centred on it, or, if it is left-aligned, one starting at its edge."""
    if _centred_on(ln.x0, ln.x1, spans):
        return True
    x0s = [a for a, _ in spans]
    left_aligned = len(spans) == 1 or max(x0s) - min(x0s) <= 6
    return near and left_aligned and _aligned_with(ln.x0, spans)


def _centred_on(x0: float, x1: float, spans: list[tuple[float, float]]) -> bool:
    if not spans:
        return False
    centre = sum((a + z) / 2 for a, z in spans) / len(spans)
    return abs((x0 + x1) / 2 - centre) < CENTRE_SLACK


def _aligned_with(x0: float, spans: list[tuple[float, float]]) -> bool:
    return any(abs(x0 - a) < 6 for a, _ in spans)


def _regions(lines: list[Line]) -> list[Region]:
    """Find side-by-side regions: each starts at a line with a column-wide gap, takes the
    lines above it that split at the same gutter into two column-centred upper-case or bold
    halves, and the lines below it that sit in one column (centred on it, or starting at
    its edge close below) or split at the gutter."""
    regions: list[Region] = []
    taken = -1
    for i, ln in enumerate(lines):
        if i <= taken or len(ln.segments) < 2:
            continue
        k = max(range(1, len(ln.segments)), key=lambda j: ln.segments[j][0] - ln.segments[j - 1][1])
        lseg, rseg = ln.segments[:k], ln.segments[k:]
        gutter = (lseg[-1][1], rseg[0][0])
        reg = Region(i, i, gutter, [])
        reg.parts.append(("left", lseg[0][0], lseg[-1][1], " ".join(s[2] for s in lseg), ln.bold))
        reg.parts.append(("right", rseg[0][0], rseg[-1][1], " ".join(s[2] for s in rseg), ln.bold))
        # upwards: header lines whose halves nearly touch (a long parent name beside the motto)
        j = i - 1
        above = []
        while j > taken and j >= 0:
            up = lines[j]
            halves = _split_at(up, gutter)
            near = lines[j + 1].top - up.bottom < 2.0 * max(up.bottom - up.top, 1.0)
            if not (halves and near and (up.bold or up.text.isupper())):
                break
            lw, rw = halves
            if not (_centred_on(lw[0][0], lw[-1][1], reg.spans("left"))
                    and _centred_on(rw[0][0], rw[-1][1], reg.spans("right"))):
                break
            above.insert(0, (lw, rw, up.bold))
            j -= 1
        reg.first = j + 1
        reg.parts = [p for lw, rw, b in above for p in (
            ("left", lw[0][0], lw[-1][1], " ".join(w[2] for w in lw), b),
            ("right", rw[0][0], rw[-1][1], " ".join(w[2] for w in rw), b))] + reg.parts
        # downwards
        bottom = ln.bottom
        j = i + 1
        while j < len(lines):
            dn = lines[j]
            height = max(dn.bottom - dn.top, 1.0)
            near = dn.top - bottom < 2.5 * height
            if len(dn.segments) >= 2:
                k = max(range(1, len(dn.segments)), key=lambda j: dn.segments[j][0] - dn.segments[j - 1][1])
                cut = dn.segments[k][0]
                halves = ([w for w in dn.words if w[0] < cut], [w for w in dn.words if w[0] >= cut])
                if not (halves[0][-1][1] <= reg.gutter[1] + 4 and halves[1][0][0] >= reg.gutter[0] - 4):
                    break
                lw, rw = halves
                reg.parts.append(("left", lw[0][0], lw[-1][1], " ".join(w[2] for w in lw), dn.bold))
                reg.parts.append(("right", rw[0][0], rw[-1][1], " ".join(w[2] for w in rw), dn.bold))
            else:
                side = None
                if dn.x1 <= reg.gutter[1] + 4 and _accepts(dn, reg.spans("left"), near):
                    side = "left"
                elif dn.x0 >= reg.gutter[0] - 4 and _accepts(dn, reg.spans("right"), near):
                    side = "right"
                if side is None:
                    break
                reg.parts.append((side, dn.x0, dn.x1, dn.text, dn.bold))
            lx1 = max(z for s_, _, z, _, _ in reg.parts if s_ == "left")
            rx0 = min(a for s_, a, _, _, _ in reg.parts if s_ == "right")
            reg.gutter = (lx1, rx0) if lx1 < rx0 else reg.gutter
            bottom = dn.bottom
            j += 1
        reg.last = j - 1
        taken = reg.last
        regions.append(reg)
    return regions
