"""Figures: counts, percentages, money and ratios, and the numbers that are not figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from extractors import figures, patterns
from pipeline.read.assemble import TextBuilder
from pipeline.read.txt import parse_text
from tests.conftest import ROOT
from tests.conftest import text_doc as doc_of

SOURCES = sorted((ROOT / "corpus" / "src").glob("*.yml"))


def rows(doc):
    return [(f.surface, f.value, f.unit, f.kind, f.qualifier, f.denominator) for f in figures.find(doc)]


# ------------------------------------------------------------------ find: what is a figure
# (text, [(surface, value, unit, kind, qualifier, denominator), ...])
FIND_CASES = [
    ("Tổ chức 05 hội nghị tuyên truyền", [("05 hội nghị", 5.0, "hội nghị", "count", None, None)]),
    ("05 hội nghị với 412 lượt người tham gia",
     [("05 hội nghị", 5.0, "hội nghị", "count", None, None),
      ("412 lượt người", 412.0, "lượt người", "count", None, None)]),
    ("với 1.250 lượt người tham gia", [("1.250 lượt người", 1250.0, "lượt người", "count", None, None)]),
    ("102.133 lượt người", [("102.133 lượt người", 102133.0, "lượt người", "count", None, None)]),
    ("hơn 60 đại biểu dự", [("hơn 60 đại biểu", 60.0, "đại biểu", "count", "hơn", None)]),
    ("trên 100 phụ nữ", [("trên 100 phụ nữ", 100.0, "phụ nữ", "count", "trên", None)]),
    ("hơn 2200 người", [("hơn 2200 người", 2200.0, "người", "count", "hơn", None)]),
    ("tổng số 126 phụ nữ", [("126 phụ nữ", 126.0, "phụ nữ", "count", None, None)]),
    ("khoảng 350 người tham dự", [("khoảng 350 người", 350.0, "người", "count", "khoảng", None)]),
    ("1.835 doanh nghiệp sử dụng 56.554 lao động",
     [("1.835 doanh nghiệp", 1835.0, "doanh nghiệp", "count", None, None),
      ("56.554 lao động", 56554.0, "lao động", "count", None, None)]),
    ("09 luật, 08 Quyết định", [("09 luật", 9.0, "luật", "count", None, None),
                               ("08 Quyết định", 8.0, "quyết định", "count", None, None)]),
    ("thành lập 07 Câu lạc bộ", [("07 Câu lạc bộ", 7.0, "câu lạc bộ", "count", None, None)]),
    ("Tổ chức 04 TOẠ ĐÀM", [("04 TOẠ ĐÀM", 4.0, "tọa đàm", "count", None, None)]),
    ("phát 24 tin, bài về bình đẳng giới", [("24 tin, bài", 24.0, "tin, bài", "count", None, None)]),
    ("phát 46 lượt tin, bài", [("46 lượt tin, bài", 46.0, "lượt tin, bài", "count", None, None)]),
    ("phát sóng 46 lượt", [("46 lượt", 46.0, "lượt", "count", None, None)]),
    ("phân công 01 đồng chí Phó Chủ tịch", [("01 đồng chí", 1.0, "đồng chí", "count", None, None)]),
    ("ít nhất 02 lớp tập huấn", [("ít nhất 02 lớp", 2.0, "lớp", "count", "ít nhất", None)]),
    ("tiếp cận 1,5 triệu lượt người", [("1,5 triệu lượt người", 1500000.0, "lượt người", "count", None, None)]),
    ("05\u00a0hội nghị", [("05\u00a0hội nghị", 5.0, "hội nghị", "count", None, None)]),
    ("1. Tổ chức 05 hội nghị", [("05 hội nghị", 5.0, "hội nghị", "count", None, None)]),
    ("nữ chiếm 36,5%", [("36,5%", 36.5, "%", "percent", None, None)]),
    ("Trên 90% hộ gia đình", [("Trên 90%", 90.0, "%", "percent", "trên", None)]),
    ("đạt 100% kế hoạch", [("đạt 100%", 100.0, "%", "percent", "đạt", None)]),
    ("tăng 7,92% so với cùng kỳ", [("tăng 7,92%", 7.92, "%", "percent", "tăng", None)]),
    ("giảm 3,92%", [("giảm 3,92%", 3.92, "%", "percent", "giảm", None)]),
    ("ước đạt 75,3% kế hoạch", [("ước đạt 75,3%", 75.3, "%", "percent", "ước đạt", None)]),
    ("phấn đấu đạt trên 90% kế hoạch vốn", [("đạt trên 90%", 90.0, "%", "percent", "đạt trên", None)]),
    ("không dưới 40%", [("không dưới 40%", 40.0, "%", "percent", "không dưới", None)]),
    ("50 phần trăm", [("50 phần trăm", 50.0, "%", "percent", None, None)]),
    ("từ 123,5% - 530%", [("123,5%", 123.5, "%", "percent", None, None),
                          ("530%", 530.0, "%", "percent", None, None)]),
    ("bố trí 12.500.000 đồng", [("12.500.000 đồng", 12500000.0, "đồng", "money", None, None)]),
    ("hỗ trợ 12,5 triệu đồng", [("12,5 triệu đồng", 12500000.0, "đồng", "money", None, None)]),
    ("giải ngân 1,2 tỷ đồng", [("1,2 tỷ đồng", 1.2e9, "đồng", "money", None, None)]),
    ("thưởng 5.000.000đ mỗi suất", [("5.000.000đ", 5000000.0, "đồng", "money", None, None)]),
    ("200.000 VNĐ", [("200.000 VNĐ", 200000.0, "đồng", "money", None, None)]),
    ("thu ngân sách 106,811 tỷ", [("106,811 tỷ", 106.811e9, "đồng", "money", None, None)]),
    ("14.759,03 tỷ đồng", [("14.759,03 tỷ đồng", 14759.03e9, "đồng", "money", None, None)]),
    ("4,6 nghìn tỷ đồng", [("4,6 nghìn tỷ đồng", 4.6e12, "đồng", "money", None, None)]),
    ("1 nghìn 676,2 tỷ đồng", [("1 nghìn 676,2 tỷ đồng", 1.6762e12, "đồng", "money", None, None)]),
    ("2 tỷ 500 triệu đồng", [("2 tỷ 500 triệu đồng", 2.5e9, "đồng", "money", None, None)]),
    ("khoảng 25.000.000 đồng", [("khoảng 25.000.000 đồng", 25000000.0, "đồng", "money", "khoảng", None)]),
    ("Công an 21/21 xã, thị trấn", [("21/21 xã", 21.0, "xã", "ratio", None, 21.0)]),
    ("có 38/112 cán bộ chủ chốt là nữ", [("38/112 cán bộ", 38.0, "cán bộ", "ratio", None, 112.0)]),
    ("đã xử lý 3/3 vụ (đạt 100%)", [("3/3 vụ", 3.0, "vụ", "ratio", None, 3.0),
                                     ("đạt 100%", 100.0, "%", "percent", "đạt", None)]),
    ("tăng từ 15/21 xã lên 17/21 xã", [("15/21 xã", 15.0, "xã", "ratio", None, 21.0),
                                       ("17/21 xã", 17.0, "xã", "ratio", None, 21.0)]),
    ("103/103 = 100%", [("103/103", 103.0, None, "ratio", None, 103.0),
                        ("100%", 100.0, "%", "percent", None, None)]),
    ("đã số hóa 1.497/1.846 hồ sơ", [("1.497/1.846 hồ sơ", 1497.0, "hồ sơ", "ratio", None, 1846.0)]),
    ("9.481/9.440ha", [("9.481/9.440ha", 9481.0, "ha", "ratio", None, 9440.0)]),
    ("tỷ số giới tính khi sinh 112 bé trai/100 bé gái",
     [("112 bé trai/100 bé gái", 112.0, "bé trai/bé gái", "ratio", None, 100.0)]),
    ("xuống dưới 110 bé trai/100 bé gái",
     [("dưới 110 bé trai/100 bé gái", 110.0, "bé trai/bé gái", "ratio", "dưới", 100.0)]),
    ("người từ đủ 13 tuổi đến dưới 16 tuổi", [("13 tuổi", 13.0, "tuổi", "other", None, None),
                                               ("dưới 16 tuổi", 16.0, "tuổi", "other", "dưới", None)]),
]


@pytest.mark.parametrize("text, expected", FIND_CASES, ids=[c[0][:40] for c in FIND_CASES])
def test_find_reads_figure(text, expected):
    doc = doc_of(text)
    found = figures.find(doc)
    assert rows(doc) == [tuple(pytest.approx(v) if isinstance(v, float) else v for v in e) for e in expected]
    for f in found:
        assert f.surface == doc.text[f.span.start:f.span.end]
        assert isinstance(f.value, float)


# ------------------------------------------------------------------ find: what is not
NOT_FIGURES = [
    "ngày 28/12/2021",
    "ngày 15/11/2023",
    "trước ngày 15/6 đối với báo cáo sơ kết",
    "Ngày Gia đình Việt Nam 28/6 và",
    "16/7/2021",
    "01-10-1997",
    "tháng 6/2023",
    "tháng 10/2023 xã Quang Hán",
    "năm 2023",
    "quý II/2024",
    "6 tháng đầu năm",
    "giai đoạn 2021 - 2030",
    "giai đoạn 2021-2025",
    "nhiệm kỳ 2026 - 2031",
    "Kế hoạch số 95/KH-UBND ngày 18/4/2023",
    "Nghị định số 125/2021/NĐ-CP",
    "Luật số 73/2006/QH11",
    "Chỉ thị số 21-CT/TW",
    "Chỉ thị số 21- CT/TW",
    "Dự án 8 năm 2023",
    "Đề án 939, 938, 1893",
    "Chương trình 135 xã",
    "Điều 21 Luật Bình đẳng giới",
    "Điều 150 Bộ luật Hình sự",
    "Ban Chỉ đạo 138 huyện",
    "07h00 ngày 15/6",
    "lúc 08:00 hội nghị",
    "1. Công tác tuyên truyền",
    "IV. TỔ CHỨC THỰC HIỆN",
    "Cộng | 14 | 861 | 690 | 80,1",
    "thời hạn 03 ngày",
    "kỷ niệm 93 năm Ngày thành lập",
    "học sinh lớp 6, lớp 7",
    "tổ dân phố 3 và xóm Bản Khuông",
    "Tổng đài 111 bảo vệ trẻ em",
    "12.5 triệu đồng",
    "3 tỷ lệ",
    "tài khoản định danh điện tử mức độ 2 được kích hoạt",
    "phủ sóng 4G",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_find_ignores_non_figure(text):
    assert figures.find(doc_of(text)) == ()


# ------------------------------------------------------------------ STT cells and rows
def _table_doc(cells: list[list[str]]):
    tb = TextBuilder()
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            tb.add(cell, region="cell", group=1, table=1, row=r, col=c)
    return tb.build("test-table", "table.docx", "docx")


STT_CASES = [
    (doc_of("1\tHội nghị tuyên truyền\t05 hội nghị"), ["05 hội nghị"]),
    (doc_of("1 | Hội nghị tuyên truyền | 05 hội nghị, 412 lượt người"), ["05 hội nghị", "412 lượt người"]),
    (doc_of("2   Tờ rơi   400 tờ rơi"), ["400 tờ rơi"]),
    (_table_doc([["STT", "Nội dung", "Kết quả"], ["1", "Hội nghị tuyên truyền", "05"]]), []),
    (_table_doc([["1", "Hội nghị tuyên truyền", "05 hội nghị, 412 lượt người"]]), ["05 hội nghị", "412 lượt người"]),
]


@pytest.mark.parametrize("doc, surfaces", STT_CASES, ids=["tab", "pipe", "spaces", "cells-bare", "cells-units"])
def test_find_skips_stt_cells(doc, surfaces):
    assert [f.surface for f in figures.find(doc)] == surfaces


# ------------------------------------------------------------------ counted
COUNTED_CASES = [
    ("05 hội nghị tuyên truyền", "tuyên truyền"),
    ("05 hội nghị tuyên truyền về bình đẳng giới", "tuyên truyền"),
    ("412 lượt người tham gia", None),
    ("03 buổi truyền thông tại các xóm", "truyền thông"),
    ("06 trường THCS trên địa bàn", "THCS"),
    ("07 Câu lạc bộ “Thủ lĩnh của sự thay đổi”", None),
    ("12 Tổ truyền thông cộng đồng", "truyền thông"),
    ("06 xã: Cao Chương, Quang Vinh", None),
    ("38/112 cán bộ chủ chốt là nữ", "chủ chốt"),
    ("02 gia đình tiêu biểu, ", "tiêu biểu"),
]


@pytest.mark.parametrize("text, counted", COUNTED_CASES, ids=[c[0][:30] for c in COUNTED_CASES])
def test_find_counted_phrase(text, counted):
    (f,) = figures.find(doc_of(text))
    assert f.counted == counted


# ------------------------------------------------------------------ parse_number
NUMBER_CASES = [("1.250", 1250.0), ("12.500.000", 12500000.0), ("36,5", 36.5), ("05", 5.0),
                ("106,811", 106.811), ("14.759,03", 14759.03), ("2200", 2200.0)]


@pytest.mark.parametrize("text, value", NUMBER_CASES)
def test_parse_number_vietnamese_separators(text, value):
    assert figures.parse_number(text) == pytest.approx(value)


# ------------------------------------------------------------------ the pattern file
REGEX_CASES = [c for c in patterns.examples(figures.P)]
REGEX_CASES += [(figures.P, f"exclusions.{e['name']}", ex, ok)
                for e in patterns.load(figures.P)["exclusions"]
                for ex, ok in [(x, True) for x in e.get("examples", [])]
                + [(x, False) for x in e.get("counter_examples", [])]]


@pytest.mark.parametrize("table, key, text, should_match", REGEX_CASES,
                         ids=[f"{c[1]}:{c[2][:30]}" for c in REGEX_CASES])
def test_figures_yml_regex_examples(table, key, text, should_match):
    if key.startswith("exclusions."):
        entry = next(e for e in patterns.load(table)["exclusions"] if e["name"] == key.split(".", 1)[1])
    else:
        entry = patterns.load(table)[key]
    assert bool(re.search(entry["regex"], text)) == should_match


TEMPLATE_CASES = figures.template_examples()


@pytest.mark.parametrize("name, text, should_match", TEMPLATE_CASES,
                         ids=[f"{c[0]}:{c[1][:30]}" for c in TEMPLATE_CASES])
def test_figures_yml_template_examples(name, text, should_match):
    assert bool(figures.pattern(name).search(text)) == should_match


def test_figures_yml_every_template_has_examples():
    table = patterns.load(figures.P)
    for entry in table["templates"] + table["exclusions"]:
        assert entry.get("examples"), entry["name"]
    assert {e["kind"] for e in table["templates"]} <= set(figures.KINDS)


# ------------------------------------------------------------------ the corpus
DATE_LIKE = re.compile(r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}|(?i:ngày|tháng|năm|quý)\s+\d|\d{1,2}-\d{1,2}-\d{4}")
KY_HIEU_LIKE = re.compile(r"\d+\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ]|\d+\s*-\s*[A-ZĐ]{1,5}\s*/")


def _body_doc(path: Path):
    body = yaml.safe_load(path.read_text(encoding="utf-8")).get("body")
    return parse_text(body, path.stem, path.name) if body else None


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_find_on_corpus_bodies_is_clean(path):
    doc = _body_doc(path)
    if doc is None:
        pytest.skip("no body (same_as another source)")
    found = figures.find(doc)
    for f in found:
        assert f.surface == doc.text[f.span.start:f.span.end]
        assert f.kind in figures.KINDS
        assert not DATE_LIKE.search(f.surface), f.surface
        assert not KY_HIEU_LIKE.search(f.surface), f.surface
        assert (f.denominator is not None) == (f.kind == "ratio")
    for a, b in zip(found, found[1:]):
        assert a.span.end <= b.span.start, (a.surface, b.surface)


DAMTHUY = [
    ("14 xóm", 14, "xóm", "count", None, None),
    ("1.247 hộ", 1247, "hộ", "count", None, None),
    ("5.318 nhân khẩu", 5318, "nhân khẩu", "count", None, None),
    ("49,6%", 49.6, "%", "percent", None, None),
    ("07 thành viên", 7, "thành viên", "count", None, None),
    ("8.000.000 đồng", 8000000, "đồng", "money", None, None),
    ("15.600.000 đồng", 15600000, "đồng", "money", None, None),
    ("03 buổi", 3, "buổi", "count", None, None),
    ("236 lượt người", 236, "lượt người", "count", None, None),
    ("41,1%", 41.1, "%", "percent", None, None),
    ("24 tin, bài", 24, "tin, bài", "count", None, None),
    ("400 tờ rơi", 400, "tờ rơi", "count", None, None),
    ("02 gia đình", 2, "gia đình", "count", None, None),
    ("15 trưởng xóm", 15, "trưởng xóm", "count", None, None),
    ("01 lớp", 1, "lớp", "count", None, None),
    ("42 học viên", 42, "học viên", "count", None, None),
    ("01 vụ", 1, "vụ", "count", None, None),
    ("14/14 xóm", 14, "xóm", "ratio", None, 14.0),
]


def test_find_on_damthuy_report_body():
    doc = _body_doc(ROOT / "corpus" / "src" / "bc_xa_damthuy_2023_h1.yml")
    assert rows(doc) == [tuple(pytest.approx(float(v)) if isinstance(v, (int, float)) and not isinstance(v, bool)
                               else v for v in e) for e in DAMTHUY]
