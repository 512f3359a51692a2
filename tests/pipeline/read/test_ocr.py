"""Scanned pages: skew found and corrected, text recognised by Tesseract (Vietnamese), with
page provenance and confidence; the corpus scan read within 5% character error rate."""

import io
import time
import unicodedata

import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from devtools import evaluate

from pipeline.read import ocr
from pipeline.core.errors import ReadError
from pipeline.read import read
from pipeline.read.pdf import OCR_UNAVAILABLE
from tests.conftest import CORPUS, ROOT

SCAN = CORPUS / "bc_tckh_2023_nam_scan.pdf"
TRUTH = ROOT / "corpus" / "gold" / "bc_tckh_2023_nam_scan.txt"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LINES = ["Thực hiện Kế hoạch số 95/KH-UBND ngày 18/4/2023 của Ủy ban nhân dân",
         "huyện Trùng Khánh, Phòng Tài chính - Kế hoạch báo cáo kết quả",
         "thực hiện công tác bình đẳng giới năm 2023 như sau:"]


def character_error_rate(text: str, truth: str) -> float:
    norm = lambda s: " ".join(unicodedata.normalize("NFC", s).split())
    return Levenshtein.distance(norm(text), norm(truth)) / len(norm(truth))


def page_image(lines=LINES, size=(2480, 1200), angle=0.0) -> Image.Image:
    """Lines of 12 pt text on a 300 dpi page, turned ``angle`` degrees counter-clockwise."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 50)
    for i, line in enumerate(lines):
        draw.text((240, 200 + 90 * i), line, font=font, fill=0)
    return img.rotate(angle, resample=Image.BICUBIC, fillcolor=255) if angle else img


@pytest.fixture(scope="module")
def scan_doc():
    start = time.perf_counter()
    doc = read(SCAN)
    print(f"\nOCR of {SCAN.name}: {time.perf_counter() - start:.1f} s")
    return doc


def test_ocr_page_cer_of_the_scanned_report_is_at_most_5_percent(scan_doc):
    rate = character_error_rate(scan_doc.text, TRUTH.read_text(encoding="utf-8"))
    print(f"\ncharacter error rate of {SCAN.name}: {rate:.2%}")
    assert rate <= 0.05


def test_evaluate_ocr_cer_is_the_same_measure(scan_doc):
    assert evaluate.ocr_cer() == pytest.approx(character_error_rate(scan_doc.text, TRUTH.read_text(encoding="utf-8")))


def test_read_scan_carries_page_provenance_and_confidence(scan_doc):
    assert scan_doc.ocr and scan_doc.format == "pdf"
    assert [p.number for p in scan_doc.pages] == [1, 2]
    assert all(p.ocr and 80 <= p.ocr_confidence <= 100 for p in scan_doc.pages)
    assert scan_doc.pages[0].start == 0 and scan_doc.pages[-1].end == len(scan_doc.text)
    assert {b.page for b in scan_doc.blocks} == {1, 2}
    assert unicodedata.is_normalized("NFC", scan_doc.text)
    # the two-column header comes out as columns, the signature in the right one
    right = [scan_doc.block_text(b) for b in scan_doc.blocks if b.region == "right"]
    assert "Trùng Khánh, ngày 13 tháng 12 năm 2023" in right and "Nông Văn Thắng" in right


@pytest.mark.parametrize("angle", [-2.5, -0.8, 0.0, 1.1, 3.0])
def test_estimate_skew_finds_the_angle(angle):
    assert ocr.estimate_skew(page_image(angle=angle)) == pytest.approx(angle, abs=0.15)


def test_estimate_skew_of_a_blank_page_is_zero():
    assert ocr.estimate_skew(Image.new("L", (800, 1000), 255)) == 0.0


@pytest.mark.parametrize("angle", [0.0, 1.3])
def test_ocr_page_reads_vietnamese_lines(angle):
    lines, confidence = ocr.ocr_page(page_image(angle=angle))
    assert character_error_rate("\n".join(ln.text for ln in lines), "\n".join(LINES)) <= 0.03
    assert confidence > 80
    for ln in lines:  # boxes in pixels of the page, words left to right
        assert all(0 <= w.x0 < w.x1 <= 2480 and 0 <= w.top < w.bottom <= 1200 for w in ln.words)
        assert [w.x0 for w in ln.words] == sorted(w.x0 for w in ln.words)


def test_ocr_page_of_a_blank_page_reads_nothing():
    assert ocr.ocr_page(Image.new("L", (1240, 1754), 255)) == ([], None)


TSV_HEAD = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"


@pytest.mark.parametrize("rows, expected", [
    (["5\t1\t1\t1\t1\t1\t10\t20\t30\t15\t95.5\tBáo", "5\t1\t1\t1\t1\t2\t50\t20\t30\t15\t91\tcáo"], ["Báo cáo"]),
    (["5\t1\t1\t1\t1\t1\t50\t20\t30\t15\t95\tcáo", "5\t1\t1\t1\t1\t2\t10\t20\t30\t15\t95\tBáo"], ["Báo cáo"]),
    (["5\t1\t1\t1\t1\t1\t10\t20\t30\t15\t95\tBáo", "5\t1\t2\t1\t1\t1\t500\t20\t30\t15\t95\tSố:"], ["Báo", "Số:"]),
    (["5\t1\t1\t1\t1\t1\t10\t20\t3\t3\t8.5\t.", "5\t1\t1\t1\t1\t2\t50\t20\t30\t15\t12\tx1"], ["x1"]),  # a speck
    (["4\t1\t1\t1\t1\t0\t10\t20\t300\t15\t-1\t", "5\t1\t1\t1\t1\t1\t10\t20\t30\t15\t-1\t "], []),
])
def test_parse_tsv_groups_words_into_lines(rows, expected):
    assert [ln.text for ln in ocr.parse_tsv(TSV_HEAD + "\n".join(rows) + "\n")] == expected


def _mixed_pdf(path):
    """Page 1 with a text layer, page 2 only a picture of text (a scanned page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVuSerif", 12)
    c.drawString(85, 760, "Trang có lớp chữ: Phòng Dân tộc báo cáo kết quả.")
    c.showPage()
    buf = io.BytesIO()
    page_image(angle=0.9).save(buf, "PNG")
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, A4[1] - 1200 * 72 / 300, 2480 * 72 / 300,
                1200 * 72 / 300)
    c.showPage()
    c.save()


def test_read_mixed_pdf_ocrs_only_the_page_without_text(tmp_path):
    _mixed_pdf(tmp_path / "mixed.pdf")
    doc = read(tmp_path / "mixed.pdf")
    assert doc.ocr and [(p.number, p.ocr) for p in doc.pages] == [(1, False), (2, True)]
    assert doc.pages[0].ocr_confidence is None and doc.pages[1].ocr_confidence > 80
    first, second = (doc.text[p.start:p.end] for p in doc.pages)
    assert first.strip() == "Trang có lớp chữ: Phòng Dân tộc báo cáo kết quả."
    assert character_error_rate(second, " ".join(LINES)) <= 0.03


def _image_only_pdf(path):
    page_image().save(path, "PDF", resolution=300)


@pytest.mark.parametrize("configured", ["/nonexistent/bin/tesseract", "/dev/null"])
def test_read_image_only_pdf_without_tesseract_gives_a_clear_reason(tmp_path, monkeypatch, configured):
    monkeypatch.setenv(ocr.ENV_COMMAND, configured)  # as on a machine without tesseract
    _image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ReadError) as e:
        read(tmp_path / "scan.pdf")
    assert str(e.value) == OCR_UNAVAILABLE
    assert str(e.value) == ("image-only PDF and OCR is unavailable "
                            "(install tesseract-ocr and tesseract-ocr-vie)")


def test_read_mixed_pdf_without_tesseract_keeps_the_text_and_warns(tmp_path, monkeypatch):
    monkeypatch.setenv(ocr.ENV_COMMAND, str(tmp_path / "missing"))
    _mixed_pdf(tmp_path / "mixed.pdf")
    doc = read(tmp_path / "mixed.pdf")
    assert not doc.ocr and "Phòng Dân tộc" in doc.text
    assert doc.warnings == ("page 2: no text layer and OCR is unavailable (tesseract is not installed)",)


def test_ocr_page_without_the_vietnamese_model_is_unavailable(tmp_path, monkeypatch):
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'List of available languages (1):'\necho eng\n")
    fake.chmod(0o755)
    monkeypatch.setenv(ocr.ENV_COMMAND, str(fake))
    assert not ocr.available()
    with pytest.raises(ocr.OcrUnavailable, match="no 'vie' model"):
        ocr.ocr_page(page_image())
