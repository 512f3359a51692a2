"""Normalisation: cleaning keeps offsets; folding unifies what matching should not tell apart."""

import unicodedata

import pytest

from pipeline.core.textnorm import clean, fold, fold_keep_length, unify_tones


@pytest.mark.parametrize("text", [
    "Nghị định\nsố 125/2021/NĐ-CP",
    "Lao động –\u00a0Thương binh\tvà Xã hội",
    "“Tháng hành động” — Ðàm Thủy",
    "dòng 1\r\ndòng 2\fdòng 3",
    "",
])
def test_clean_keeps_length(text):
    assert len(clean(text)) == len(text)


def test_clean_maps_whitespace_and_lookalikes():
    assert clean("a\nb\u00a0c–d Ð") == "a b c-d Đ"


@pytest.mark.parametrize("old, new", [
    ("Uỷ ban", "Ủy ban"), ("hoà", "hòa"), ("Thuỷ", "Thủy"), ("khoẻ", "khỏe"), ("toà", "tòa"),
    ("quý", "quý"), ("thuỷ lợi", "thủy lợi"), ("Hoà An", "Hòa An"),
])
def test_unify_tones_moves_old_placement(old, new):
    assert unify_tones(old) == new


@pytest.mark.parametrize("a, b", [
    ("Nghị định", "nghi dinh"), ("Uỷ ban nhân dân", "Ủy ban nhân dân"), ("Đàm Thuỷ", "dam thuy"),
    ("Phòng Tài chính - Kế hoạch", "Phòng Tài chính Kế hoạch"), ("Phòng dân tộc", "PHÒNG DÂN TỘC"),
])
def test_fold_equates_spellings(a, b):
    assert fold(a) == fold(b)


def test_fold_of_nfd_equals_fold_of_nfc():
    s = "Trùng Khánh"
    assert fold(unicodedata.normalize("NFD", s)) == fold(s) == "trung khanh"


@pytest.mark.parametrize("text", ["Đàm Thuỷ, ngày 09 tháng 6", "LĐ-TB&XH", "Nghị định\nsố"])
def test_fold_keep_length_keeps_offsets(text):
    assert len(fold_keep_length(text)) == len(text)
    assert len(fold_keep_length(text, lower=False)) == len(text)
