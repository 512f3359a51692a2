"""Finding body names in text (patterns generated from the gazetteer), then resolving them."""

import pytest

from extractors import agencies
from tests.conftest import text_doc


def found(text, gazetteer, matcher):
    doc = text_doc(text)
    return [(m.mention.surface, m.resolution.body_id) for m in agencies.resolve(agencies.find(doc, gazetteer), matcher, "trung-khanh")]


@pytest.mark.parametrize("text, expected", [
    ("Phối hợp với Phòng Lao động - Thương binh và Xã hội tổ chức.",
     [("Phòng Lao động - Thương binh và Xã hội", "phong-ldtbxh")]),
    ("Phòng LĐ-TB&XH chủ trì; Phòng VH&TT phối hợp.",
     [("Phòng LĐ-TB&XH", "phong-ldtbxh"), ("Phòng VH&TT", "phong-vhtt")]),
    ("báo cáo UBND huyện (qua Phòng Lao động –\nThương binh và Xã hội)",
     [("UBND huyện", "ubnd-huyen"), ("Phòng Lao động –\nThương binh và Xã hội", "phong-ldtbxh")]),
    ("4. Phòng Tài chính Kế hoạch", [("Phòng Tài chính Kế hoạch", "phong-tckh")]),
    ("11. Phòng dân tộc", [("Phòng dân tộc", "phong-dan-toc")]),
    ("Uỷ ban nhân dân xã Đàm Thuỷ báo cáo", [("Uỷ ban nhân dân xã Đàm Thuỷ", "ubnd-xa-dam-thuy")]),
    ("- Lưu: VT, LĐTBXH.", [("LĐTBXH", "phong-ldtbxh")]),
])
def test_find_and_resolve(gazetteer, matcher, text, expected):
    assert found(text, gazetteer, matcher) == expected


@pytest.mark.parametrize("text", [
    "Nghị định số 125/2021/NĐ-CP ngày 28/12/2021",   # CP inside a số ký hiệu is a code
    "Quyết định số 2282/QĐ-TTg",
    "cấp huyện, Uỷ ban các cấp",                       # not "Huyện ủy" across a comma
    "ldtbxh viết thường không phải viết tắt",
])
def test_find_ignores_codes_and_false_friends(gazetteer, text):
    assert agencies.find(text_doc(text), gazetteer) == ()


def test_mention_surface_is_the_text_at_its_span(gazetteer):
    doc = text_doc("Công an huyện phối hợp với Hội LHPN huyện và UBND các xã, thị trấn.")
    for m in agencies.find(doc, gazetteer):
        assert doc.text[m.span.start:m.span.end] == m.surface
