"""Render the corpus sources (``corpus/src/*.yml``) into real PDF and DOCX files.

    .venv/bin/python corpus/build.py [STEM ...]

PDF: reportlab platypus, DejaVu Serif (a font with full Vietnamese coverage), A4 with
ND 30/2020 margins, the header and the Nơi nhận/signature block as borderless two-column
tables, body paragraphs justified with a first-line indent, page numbers at the top or
bottom. DOCX: python-docx, the header as a borderless table or as flat paragraphs, outline
labels typed or drawn by Word numbering (numbering.xml), data tables with a grid.
The outputs are committed; tests never need this script.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LABEL = re.compile(r"^(?P<label>[IVXLC]+\.|\d+\.|[a-zđ]\)|[-+])\s+(?P<rest>.*)$")


def load(path: Path) -> dict:
    """A source; ``same_as: STEM`` takes another source's content and overrides keys."""
    src = yaml.safe_load(path.read_text(encoding="utf-8"))
    if src.get("same_as"):
        base = load(path.parent / f"{src.pop('same_as')}.yml")
        src = {**base, **src}
    return src


def body_items(body: str):
    """Yield ('para', text) | ('table', rows) | ('pagebreak', None) from the body markup."""
    lines = body.splitlines()
    i = 0
    while i < len(lines):
        ln = lines[i].strip()
        if ln == "[table]":
            rows = []
            i += 1
            while i < len(lines) and lines[i].strip() != "[/table]":
                if lines[i].strip():
                    rows.append([c.strip() for c in lines[i].split("|")])
                i += 1
            yield "table", rows
        elif ln == "[pagebreak]":
            yield "pagebreak", None
        elif ln:
            yield "para", ln
        i += 1


# --------------------------------------------------------------------------- PDF
def build_pdf(src: dict, out: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rl_config.invariant = 1  # reproducible bytes: fixed creation date and ids
    for name, file in [("Serif", "DejaVuSerif.ttf"), ("Serif-Bold", "DejaVuSerif-Bold.ttf"),
                       ("Serif-Italic", "DejaVuSerif-Italic.ttf"), ("Serif-BoldItalic", "DejaVuSerif-BoldItalic.ttf")]:
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily("Serif", normal="Serif", bold="Serif-Bold", italic="Serif-Italic",
                                  boldItalic="Serif-BoldItalic")
    style = src.get("style") or {}
    size = 12
    base = ParagraphStyle("base", fontName="Serif", fontSize=size, leading=size * 1.35)
    centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)
    head_c = ParagraphStyle("head_c", parent=centre, fontSize=11.5, leading=15)
    head_b = ParagraphStyle("head_b", parent=head_c, fontName="Serif-Bold")
    motto = ParagraphStyle("motto", parent=head_b, fontSize=10.5)
    centre_b = ParagraphStyle("centre_b", parent=centre, fontName="Serif-Bold")
    centre_i = ParagraphStyle("centre_i", parent=centre, fontName="Serif-Italic")
    small = ParagraphStyle("small", parent=base, fontSize=10.5, leading=13, alignment=TA_LEFT)
    body = ParagraphStyle("body", parent=base, alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=4)
    body_b = ParagraphStyle("body_b", parent=body, fontName="Serif-Bold")
    cell = ParagraphStyle("cell", parent=base, fontSize=10.5, leading=13)
    cell_small = ParagraphStyle("cell_small", parent=base, fontSize=8.5, leading=10.5)
    P = lambda text, st: Paragraph(escape(text), st)

    h = src.get("header") or {}
    left, right = [], []
    for line in str(h.get("parent") or "").splitlines():
        left.append(P(line, head_c))
    for line in str(h.get("issuer") or "").splitlines():
        left.append(P(line, head_b))
    left.append(P("-------", head_c))
    right.append(P("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto))
    right.append(P("Độc lập - Tự do - Hạnh phúc", head_b))
    right.append(P("---------------", head_c))
    num = [P(h["number"], centre)] if h.get("number") else []
    if h.get("subject"):  # trích yếu of a công văn ("V/v …"), under the số in the left column
        subj = ParagraphStyle("subj", parent=centre, fontSize=10.5, leading=13)
        num += [P(line.strip(), subj) for line in str(h["subject"]).strip().splitlines()]
    date = [P(h["place_date"], centre_i)] if h.get("place_date") else []
    story = []
    head = Table([[left, right], [num, date]], colWidths=[6 * cm, 10 * cm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story += [head, Spacer(1, 14)]
    if h.get("doc_type"):
        story.append(P(h["doc_type"], centre_b))
    for line in (h.get("title") or "").strip().splitlines():
        story.append(P(line.strip(), centre_b))
    story.append(Spacer(1, 10))
    kg = src.get("kinh_gui") or []
    if len(kg) == 1:
        story += [P(f"Kính gửi: {kg[0]}", centre), Spacer(1, 8)]
    elif kg:
        story.append(P("Kính gửi:", centre))
        story += [P(f"- {k};", centre) for k in kg]
        story.append(Spacer(1, 8))
    def render(markup: str) -> list:
        out = []
        for kind, item in body_items(markup):
            if kind == "pagebreak":
                out.append(PageBreak())
            elif kind == "table":
                wide = max(len(r) for r in item) >= 5  # annex task tables: a smaller type, as printed
                data = [[Paragraph(escape(c), cell_small if wide else cell) for c in row] for row in item]
                t = Table(data, colWidths=_col_widths(item, 16 * cm, 0.17 if wide else 0.23), repeatRows=1)
                t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                out += [Spacer(1, 4), t, Spacer(1, 6)]
            else:
                heading = bool(re.match(r"^[IVXLC]+\.\s", item)) or (item.isupper() and len(item) < 120)
                out.append(P(item, body_b if heading else body))
        return out

    story += render(src.get("body") or "")
    story.append(Spacer(1, 12))
    nn = [Paragraph("<b><i>Nơi nhận:</i></b>", small)] + [P(f"- {x}", small) for x in (src.get("noi_nhan") or [])]
    sig = []
    for line in src.get("signature") or []:
        sig.append(Spacer(1, 48) if line == "" else P(line, centre_b))
    foot = Table([[nn, sig]], colWidths=[7.5 * cm, 8.5 * cm])
    foot.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(foot)
    if src.get("annex"):  # PHỤ LỤC after the signature, on its own page, centred caption
        story.append(PageBreak())
        story += render(src["annex"])

    placement = style.get("page_numbers", "top")
    running = style.get("running_header")

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("Serif", 11)
        if running:
            canvas.drawString(3 * cm, A4[1] - 1.2 * cm, running)
        n = doc.page
        if placement == "top" and n > 1:
            canvas.drawCentredString(A4[0] / 2 + 0.5 * cm, A4[1] - 1.4 * cm, str(n))
        elif placement == "bottom":
            canvas.drawCentredString(A4[0] / 2 + 0.5 * cm, 1.2 * cm, str(n))
        canvas.restoreState()

    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=3 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm, title=(h.get("doc_type") or ""),
                            author=(h.get("issuer") or ""))
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)


def _col_widths(rows, total, per_char=0.23):
    """Column widths by content, each wide enough for its longest word (numbers never wrap)."""
    from reportlab.lib.units import cm

    ncol = max(len(r) for r in rows)
    weights = [max(sum(len(r[i]) if i < len(r) else 0 for r in rows) / len(rows), 2) for i in range(ncol)]
    longest = [max((len(w) for r in rows if i < len(r) for w in r[i].split()), default=1) for i in range(ncol)]
    floor = [0.5 * cm + per_char * cm * n for n in longest]
    spare = total - sum(floor)
    if spare <= 0:
        return [f * total / sum(floor) for f in floor]
    widths = [f + spare * w / sum(weights) for f, w in zip(floor, weights)]
    return widths


# -------------------------------------------------------------------------- DOCX
def build_docx(src: dict, out: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    style = src.get("style") or {}
    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    d.core_properties.author = (src.get("header") or {}).get("issuer", "")
    auto = style.get("numbering") == "auto"
    num_id = _add_numbering(d) if auto else None

    def para(text, align=None, bold=False, italic=False, container=None, indent=False):
        p = (container or d).add_paragraph()
        if text:
            r = p.add_run(text)
            r.bold, r.italic = bold, italic
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "justify":
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        return p

    h = src.get("header") or {}
    left = [(h.get("parent"), False), (h.get("issuer"), True)]
    right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True)]
    if style.get("header", "table") == "table":
        t = d.add_table(rows=2, cols=2)
        cells = t.rows[0].cells
        first = True
        for text, bold in left:
            for line in str(text or "").splitlines():
                p = cells[0].paragraphs[0] if first else cells[0].add_paragraph()
                first = False
                p.add_run(line).bold = bold
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para("-------", "center", container=cells[0])
        r0 = cells[1].paragraphs[0]
        r0.add_run(right[0][0]).bold = True
        r0.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para(right[1][0], "center", True, container=cells[1])
        para("---------------", "center", container=cells[1])
        low = t.rows[1].cells
        low[0].paragraphs[0].add_run(h.get("number") or "")
        low[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for line in _subject_lines(h):  # trích yếu of a công văn, under the số
            p = low[0].add_paragraph()
            p.add_run(line).font.size = Pt(12)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        low[1].paragraphs[0].add_run(h.get("place_date") or "").italic = True
        low[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:  # flattened: the header lines one under another, as a copy-paste leaves them
        for text, bold in left:
            for line in str(text or "").splitlines():
                para(line, None, bold)
        if h.get("number"):
            para(h["number"])
        for line in _subject_lines(h):
            para(line)
        for text, bold in right:
            para(text, None, bold)
        if h.get("place_date"):
            para(h["place_date"], None, italic=True)
    para("")
    if h.get("doc_type"):
        para(h["doc_type"], "center", True)
    title = " ".join(x.strip() for x in (h.get("title") or "").strip().splitlines())
    if title:
        para(title, "center", True)
    kg = src.get("kinh_gui") or []
    if len(kg) == 1:
        para(f"Kính gửi: {kg[0]}", "center")
    elif kg:
        para("Kính gửi:", "center")
        for k in kg:
            para(f"- {k};", "center")
    levels = {"roman": 0, "arabic": 1, "letter": 2, "-": 3, "+": 4}

    def render(markup: str) -> None:
        _docx_body(d, markup, auto, num_id, levels, para)

    render(src.get("body") or "")
    _docx_footer(d, src, para)
    if src.get("annex"):
        d.add_page_break()
        render(src["annex"])
    d.core_properties.created = d.core_properties.modified = _fixed_date()
    d.save(str(out))
    _fix_zip_times(out)


def _subject_lines(h: dict) -> list:
    """The lines of a công văn's trích yếu (header key ``subject``), or none."""
    return [line.strip() for line in str(h.get("subject") or "").strip().splitlines()]


def _fix_zip_times(path: Path) -> None:
    """Rewrite the DOCX zip with fixed entry times, so the same source gives the same bytes."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(fixed, data)


def _docx_body(d, markup, auto, num_id, levels, para) -> None:
    for kind, item in body_items(markup):
        if kind == "pagebreak":
            d.add_page_break()
        elif kind == "table":
            ncol = max(len(r) for r in item)
            t = d.add_table(rows=len(item), cols=ncol)
            t.style = "Table Grid"
            for r, row in enumerate(item):
                for c, text in enumerate(row):
                    t.cell(r, c).paragraphs[0].add_run(text).bold = (r == 0)
        else:
            m = LABEL.match(item)
            heading = bool(re.match(r"^[IVXLC]+\.\s", item)) or (item.isupper() and len(item) < 120)
            # Word's lowerLetter runs a, b, c, d, e: Vietnamese lists run a, b, c, d, đ, e,
            # so letter items keep typed labels even in auto-numbered documents.
            if auto and m and not m.group("label").endswith(")"):
                lab = m.group("label")
                kind_ = ("roman" if re.match(r"[IVXLC]+\.$", lab) else "arabic" if lab[0].isdigit()
                         else "letter" if lab.endswith(")") else lab)
                p = para(m.group("rest"), "justify", heading, indent=True)
                _set_num(p, num_id, levels[kind_])
            else:
                para(item, "justify", heading, indent=True)


def _docx_footer(d, src, para) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    para("")
    t = d.add_table(rows=1, cols=2)
    lc, rc = t.rows[0].cells
    run = lc.paragraphs[0].add_run("Nơi nhận:")
    run.bold = run.italic = True
    for x in src.get("noi_nhan") or []:
        p = lc.add_paragraph()
        p.add_run(f"- {x}").font.size = Pt(11)
    sig = src.get("signature") or []
    first = True
    for line in sig:
        p = rc.paragraphs[0] if first else rc.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if line:
            p.add_run(line).bold = True


def _fixed_date():
    import datetime

    return datetime.datetime(2024, 1, 1)


def _add_numbering(d) -> str:
    """Add one multi-level list to numbering.xml: I. / 1. / a) / - / + ; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = d.part.numbering_part.element
    levels = [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"), ("bullet", "-"), ("bullet", "+")]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels))
    abstract_id = "90"
    num_id = "90"
    an = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                   f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(an)
    else:
        numbering.append(an)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                               f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def _set_num(p, num_id: str, ilvl: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = p._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/>'
                            f'<w:numId w:val="{num_id}"/></w:numPr>'))


def build(path: Path) -> Path:
    src = load(path)
    fmt = src["format"]
    out = HERE / "documents" / f"{src['output']}.{fmt}"
    (build_pdf if fmt == "pdf" else build_docx)(src, out)
    return out


def main(argv: list[str]) -> None:
    stems = set(argv)
    for path in sorted((HERE / "src").glob("*.yml")):
        if stems and path.stem not in stems:
            continue
        if load(path).get("derive"):  # scans and legacy formats: corpus/make_scan.py, corpus/make_legacy.py
            continue
        print(build(path).relative_to(HERE.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
