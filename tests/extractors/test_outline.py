"""The outline tree of the seed plan, the same from its PDF, its DOCX and its text."""

import pytest

from extractors import header, outline
from pipeline.read import read
from pipeline.read.txt import parse
from tests.conftest import CORPUS, SEED


def sections_of(doc):
    h = header.find(doc)
    return outline.find(doc, h.body_start, h.body_end)


@pytest.fixture(scope="module", params=["kh_95_2023_trungkhanh.pdf", "kh_95_2023_trungkhanh.docx", "seed"])
def plan_sections(request):
    doc = parse(SEED, "seed") if request.param == "seed" else read(CORPUS / request.param)
    return sections_of(doc)


def test_outline_has_the_five_parts(plan_sections):
    parts = [(s.label, s.heading) for s in plan_sections if s.level == 1]
    assert parts == [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "NỘI DUNG HOẠT ĐỘNG"), ("III", "KINH PHÍ THỰC HIỆN"),
                     ("IV", "TỔ CHỨC THỰC HIỆN"), ("V", "CHẾ ĐỘ THÔNG TIN, BÁO CÁO")]


def test_outline_items_and_bullets_nest(plan_sections):
    by_label = {s.label: s for s in plan_sections}
    items = [s for s in plan_sections if s.parent_id == by_label["IV"].id]
    assert [s.label for s in items] == [f"IV.{n}" for n in range(1, 16)]
    assert [s.label for s in plan_sections if s.parent_id == by_label["IV.1"].id] == [f"IV.1.-{k}" for k in range(1, 6)]
    assert [s.label for s in plan_sections if s.parent_id == by_label["II.1.-2"].id] == ["II.1.-2.+1", "II.1.-2.+2", "II.1.-2.+3"]
    assert by_label["IV.1.-1"].level == 3


def test_outline_heading_that_wraps_is_whole(plan_sections):
    by_label = {s.label: s for s in plan_sections}
    assert by_label["IV.12"].heading == "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam huyện và các tổ chức chính trị - xã hội"


def test_section_content_runs_to_the_next_sibling(plan_sections):
    by_label = {s.label: s for s in plan_sections}
    assert by_label["IV.1"].body_end == by_label["IV.2"].span.start
    assert by_label["IV"].body_end == by_label["V"].span.start


def test_outline_stops_before_the_distribution_list(plan_sections):
    assert not any(s.heading.startswith(("UBND tỉnh", "Lưu:")) for s in plan_sections)
