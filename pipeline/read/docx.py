"""Read a DOCX with python-docx: paragraphs and tables in body order, Word's automatic
numbering rebuilt into visible labels ("I.", "1.", "a)", "-"), explicit page breaks as pages.

Word keeps list labels out of ``paragraph.text``: they live in ``numbering.xml`` as a
format (decimal, upperRoman, lowerLetter, bullet…) and a level text ("%1.", "%2)").
``Numberer`` replays the counters in document order, as Word draws them.
Documents typed in the pre-Unicode TCVN3 or VNI fonts are converted run by run (``LegacyText``).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.read import legacy
from pipeline.read.assemble import TextBuilder
from pipeline.core.errors import ReadError
from pipeline.core.models import SourceDoc

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a DOCX that inflates past this is refused (zip bomb)


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letter(n: int) -> str:
    # Word: a..z, then aa..zz, aaa..
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class Numberer:
    """Replays Word list counters: one set of counters per w:num instance."""

    def __init__(self, document) -> None:
        self.abstract: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for an in numbering.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl")))
                get = lambda tag: (lvl.find(qn(tag)).get(qn("w:val")) if lvl.find(qn(tag)) is not None else None)
                levels[ilvl] = {"start": int(get("w:start") or 1), "fmt": get("w:numFmt") or "decimal",
                                "text": get("w:lvlText") or ""}
            self.abstract[an.get(qn("w:abstractNumId"))] = levels
        for num in numbering.findall(qn("w:num")):
            aid = num.find(qn("w:abstractNumId")).get(qn("w:val"))
            overrides = {}
            for ov in num.findall(qn("w:lvlOverride")):
                so = ov.find(qn("w:startOverride"))
                if so is not None:
                    overrides[int(ov.get(qn("w:ilvl")))] = int(so.get(qn("w:val")))
            self.nums[num.get(qn("w:numId"))] = (aid, overrides)

    def label(self, paragraph: Paragraph) -> str | None:
        num_id, ilvl = _num_pr(paragraph)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        aid, overrides = self.nums[num_id]
        levels = self.abstract.get(aid, {})
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(num_id, {})
        start = lambda lv: overrides.get(lv, levels.get(lv, {}).get("start", 1))
        counters[ilvl] = counters.get(ilvl, start(ilvl) - 1) + 1
        for deeper in [lv for lv in counters if lv > ilvl]:
            del counters[deeper]
        lvl = levels[ilvl]
        if lvl["fmt"] == "bullet":
            return lvl["text"].strip() or None
        text = lvl["text"]
        for k in range(ilvl + 1):
            value = counters.get(k, start(k))
            text = text.replace(f"%{k + 1}", format_number(value, levels.get(k, {}).get("fmt", "decimal")))
        return text.strip() or None


def _num_pr(paragraph: Paragraph) -> tuple[str | None, int]:
    ppr = paragraph._p.pPr
    sources = [ppr] if ppr is not None else []
    style = paragraph.style
    while style is not None:  # numbering may come from the paragraph style chain
        if style.element.pPr is not None:
            sources.append(style.element.pPr)
        style = style.base_style
    for src in sources:
        numpr = src.find(qn("w:numPr"))
        if numpr is not None:
            nid = numpr.find(qn("w:numId"))
            lvl = numpr.find(qn("w:ilvl"))
            return (nid.get(qn("w:val")) if nid is not None else None,
                    int(lvl.get(qn("w:val"))) if lvl is not None else 0)
    return None, 0


def _has_page_break(paragraph: Paragraph) -> tuple[bool, bool]:
    """(break before the paragraph, break inside/after it)."""
    ppr = paragraph._p.pPr
    before = ppr is not None and ppr.find(qn("w:pageBreakBefore")) is not None
    inside = any(br.get(qn("w:type")) == "page" for br in paragraph._p.iter(qn("w:br")))
    return before, inside


def _align(paragraph: Paragraph) -> str | None:
    try:
        a = paragraph.alignment
        if a is None and paragraph.style is not None:
            a = paragraph.style.paragraph_format.alignment
    except ValueError:  # ISO OOXML "start"/"end" have no python-docx value: not centred
        return None
    return "center" if a is not None and int(a) == 1 else None


def _style_font(style) -> str | None:
    while style is not None:
        if style.font.name:
            return style.font.name
        style = style.base_style
    return None


class LegacyText:
    """Paragraph text converted from TCVN3/VNI, run by run, when the document is typed in them.

    A run's font (its own, else its paragraph style's) decides: .VnTime… → TCVN3, .VnTimeH →
    TCVN3 drawn in capitals, VNI-… → VNI. Other runs take the encoding detected in the
    document's whole text, unless legacy fonts are in use and the run names a Unicode font."""

    def __init__(self, document) -> None:
        texts, fonts = [], set()
        for p in _all_paragraphs(document):
            texts.append(p.text)
            fonts.update(_run_font(r) for r in _runs(p))
            fonts.add(_style_font(p.style))
        self.by_font = bool({legacy.font_encoding(f) for f in fonts} - {None})
        self.default = legacy.detect("\n".join(texts))
        self.active = self.by_font or self.default is not None

    def text(self, paragraph: Paragraph) -> str:
        if not self.active:
            return paragraph.text
        style_font = _style_font(paragraph.style)
        out = []
        for run in _runs(paragraph):
            own = _run_font(run)
            font = own or style_font
            enc = legacy.font_encoding(font)
            if enc is None and not (self.by_font and own):
                enc = self.default
            t = run.text
            if enc:
                t = legacy.to_unicode(t, enc)
                if legacy.is_upper_font(font):
                    t = t.upper()
            out.append(t)
        return "".join(out)


def _runs(paragraph: Paragraph):
    for item in paragraph.iter_inner_content():
        yield from (item.runs if hasattr(item, "runs") else [item])


def _run_font(run) -> str | None:
    rfonts = run._r.rPr.rFonts if run._r.rPr is not None else None
    if rfonts is None:
        return None
    return rfonts.get(qn("w:ascii")) or rfonts.get(qn("w:hAnsi")) or rfonts.get(qn("w:cs"))


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _bold(paragraph: Paragraph) -> bool | None:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return None
    return sum(bool(r.bold) for r in runs) > len(runs) / 2


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise ReadError("not a Word document (zip without word/document.xml)")
            total = sum(i.file_size for i in z.infolist())
            if total > MAX_UNCOMPRESSED:
                raise ReadError(f"DOCX inflates to {total // (1024 * 1024)} MB: refused as a zip bomb")
    except zipfile.BadZipFile as e:
        raise ReadError("not a Word document (not a zip file)") from e


def parse(path: Path, doc_id: str, filename: str | None = None) -> SourceDoc:
    path = Path(path)
    _check_zip(path)
    try:
        document = docx.Document(str(path))
    except ReadError:
        raise
    except Exception as e:
        raise ReadError(f"Word document could not be parsed ({type(e).__name__})") from e
    numberer = Numberer(document)
    texts = LegacyText(document)
    tb = TextBuilder()
    table_no = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, document)
            before, inside = _has_page_break(p)
            if before and tb._len > tb._page_start:
                tb.end_page()
            label = numberer.label(p)
            text = texts.text(p)
            if label:
                text = f"{label} {text}"
            tb.add(text, region="body", label=label, align=_align(p), bold=_bold(p))
            if inside:
                tb.end_page()
        elif child.tag == qn("w:tbl"):
            table_no += 1
            table = Table(child, document)
            for r, row in enumerate(table.rows):
                seen = set()
                for c, cell in enumerate(row.cells):
                    if id(cell._tc) in seen:  # a merged cell repeats in row.cells
                        continue
                    seen.add(id(cell._tc))
                    for p in cell.paragraphs:
                        label = numberer.label(p)
                        text = f"{label} {texts.text(p)}" if label else texts.text(p)
                        tb.add(text, region="cell", group=table_no, table=table_no, row=r, col=c,
                               label=label, align=_align(p), bold=_bold(p))
    return tb.build(doc_id, filename or path.name, "docx")
