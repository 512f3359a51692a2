"""The PDF reader: layout-aware lines, the two-column header and footer, page map."""

import re

import pytest
import yaml

from pipeline.read.pdf import parse
from pipeline.core.textnorm import squash
from tests.conftest import CORPUS, ROOT

PDFS = sorted(CORPUS.glob("*.pdf"))


@pytest.fixture(scope="module", params=PDFS, ids=lambda p: p.name)
def pdf_doc(request):
    return parse(request.param, "id-" + request.param.stem)


def _source(doc):
    stem = doc.filename.rsplit(".", 1)[0]
    return yaml.safe_load((ROOT / "corpus" / "src" / f"{stem}.yml").read_text(encoding="utf-8"))


def test_parse_splits_header_columns_instead_of_interleaving(pdf_doc):
    left = [squash(pdf_doc.block_text(b)) for b in pdf_doc.blocks if b.region == "left"]
    right = [squash(pdf_doc.block_text(b)) for b in pdf_doc.blocks if b.region == "right"]
    src = _source(pdf_doc)["header"]
    assert squash(src["number"]) in left
    assert squash(src["place_date"]) in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert not any("CỘNG HÒA" in line for line in left)


def test_parse_puts_signature_in_the_right_column(pdf_doc):
    src = _source(pdf_doc)
    right = [squash(pdf_doc.block_text(b)) for b in pdf_doc.blocks if b.region == "right"]
    assert [s for s in src["signature"] if s][-1] in right  # the signer's name


def test_parse_drops_running_page_numbers(pdf_doc):
    lines = [ln for b in pdf_doc.blocks if b.region != "cell" for ln in pdf_doc.block_text(b).split("\n")]
    assert not any(re.fullmatch(r"\s*\d{1,3}\s*", ln) for ln in lines)


def test_page_map_covers_the_text_in_order(pdf_doc):
    pages = pdf_doc.pages
    assert pages[0].start == 0 and pages[-1].end == len(pdf_doc.text)
    assert all(a.end == b.start for a, b in zip(pages, pages[1:]))
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))


def test_parse_rejoins_wrapped_lines_into_paragraphs(pdf_doc):
    """Every body paragraph of the source is one block of the PDF (wrapping undone)."""
    src = _source(pdf_doc)
    blocks = {squash(pdf_doc.block_text(b)) for b in pdf_doc.blocks if b.region == "body"}
    paragraphs = [ln.strip() for ln in src["body"].splitlines()
                  if ln.strip() and not ln.strip().startswith("[") and "|" not in ln]
    found = sum(squash(p) in blocks for p in paragraphs)
    if pdf_doc.ocr:  # recognised text: a paragraph is rebuilt when a block differs from it by OCR slips only
        from rapidfuzz.distance import Levenshtein

        found = sum(any(Levenshtein.normalized_distance(squash(p), b) <= 0.1 for b in blocks) for p in paragraphs)
    assert found / len(paragraphs) >= 0.97, f"{found}/{len(paragraphs)} paragraphs rebuilt"


def test_text_is_nfc(pdf_doc):
    import unicodedata

    assert unicodedata.is_normalized("NFC", pdf_doc.text)


def test_parse_drops_heads_and_feet_repeated_on_every_page(tmp_path):
    """A running head and a 'Trang n/3' foot printed on each page are not document text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    path = tmp_path / "running.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(1, 4):
        c.setFont("DejaVuSerif", 10)
        c.drawString(85, 810, "UBND huyện Trùng Khánh - Báo cáo công tác bình đẳng giới")
        c.drawString(280, 30, f"Trang {n}/3")
        c.setFont("DejaVuSerif", 12)
        for i in range(5):
            c.drawString(85, 700 - 20 * i, f"Nội dung trang {n}, dòng {i + 1}: đã tổ chức 0{i + 1} hội nghị.")
        c.showPage()
    c.save()
    doc = parse(path, "running")
    assert "Báo cáo công tác bình đẳng giới" not in doc.text
    assert "Trang" not in doc.text
    assert doc.text.count("Nội dung trang") == 15
    assert [p.number for p in doc.pages] == [1, 2, 3]
