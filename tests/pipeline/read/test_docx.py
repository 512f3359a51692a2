"""The DOCX reader: body order, Word numbering rebuilt into visible labels, tables."""

import pytest

from pipeline.read.docx import format_number, parse
from pipeline.core.textnorm import squash
from tests.conftest import CORPUS


@pytest.mark.parametrize("n, fmt, out", [
    (4, "upperRoman", "IV"), (9, "lowerRoman", "ix"), (1, "lowerLetter", "a"), (27, "lowerLetter", "aa"),
    (3, "upperLetter", "C"), (5, "decimalZero", "05"), (12, "decimal", "12"), (2, "bullet", ""),
])
def test_format_number(n, fmt, out):
    assert format_number(n, fmt) == out


@pytest.fixture(scope="module")
def plan():
    return parse(CORPUS / "kh_95_2023_trungkhanh.docx", "plan-docx")


def test_automatic_numbering_becomes_visible_labels(plan):
    labelled = [(b.label, squash(plan.block_text(b))) for b in plan.blocks if b.label]
    labels = [lab for lab, _ in labelled]
    assert labels.count("I.") == 1 and "IV." in labels and "V." in labels
    assert ("15.", "15. Ủy ban nhân các xã, thị trấn") in labelled
    assert ("1.", "1. Phòng Lao động - Thương binh và Xã hội") in labelled
    assert ("-", "- Hướng dẫn địa phương triển khai thực hiện kế hoạch; kiểm tra, đôn đốc việc thực hiện "
                 "các chính sách, pháp luật về bình đẳng giới trên địa bàn huyện.") in labelled


def test_numbering_restarts_under_each_roman_part(plan):
    seq = [b.label for b in plan.blocks if b.label and b.label[0].isalnum()]
    # after "IV." the arabic items run 1..15 again
    iv = seq.index("IV.")
    assert seq[iv + 1] == "1." and "15." in seq[iv:]


def test_header_table_cells_keep_their_columns(plan):
    cells = [(b.table, b.row, b.col, squash(plan.block_text(b))) for b in plan.blocks if b.region == "cell"]
    assert (1, 1, 0, "Số: 95/KH-UBND") in cells
    assert (1, 0, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") in cells


def test_body_order_is_kept(plan):
    text = plan.text
    assert text.index("KẾ HOẠCH") < text.index("I. MỤC ĐÍCH") < text.index("IV. TỔ CHỨC") < text.index("Nơi nhận")


def test_data_table_cells_are_read():
    doc = parse(CORPUS / "bc_gddt_2023_h1.docx", "gddt")
    data_tables = {b.table for b in doc.blocks if b.region == "cell" and b.col is not None and b.col >= 2}
    assert data_tables, "the report's table of training sessions has 3+ columns"
