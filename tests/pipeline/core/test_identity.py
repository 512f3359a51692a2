"""One notion of "the same document": issuer, số ký hiệu and year."""

import pytest

from pipeline.core.identity import document_key, number_key


def test_document_key_same_number_same_issuer_same_year_is_one_document():
    assert document_key("95/KH-UBND", "2023-04-18", "ubnd-a") == document_key("95 / KH-UBND", "2023-12-01", "ubnd-a")


@pytest.mark.parametrize("other", [
    ("95/KH-UBND", "2023-04-18", "ubnd-b"),   # another district's People's Committee
    ("95/KH-UBND", "2024-04-18", "ubnd-a"),   # numbering restarts every year
    ("59/KH-UBND", "2023-04-18", "ubnd-a"),
])
def test_document_key_differs_by_issuer_year_or_number(other):
    assert document_key("95/KH-UBND", "2023-04-18", "ubnd-a") != document_key(*other)


def test_document_key_falls_back_to_the_issuer_as_written_folded():
    assert document_key("12/BC-UBND", "2024-01-05", None, "UBND xã Đàm Thủy") == \
        document_key("12/BC-UBND", "2024-01-05", None, "ubnd  xa dam thuy")


@pytest.mark.parametrize("number", [None, "", "/KH-UBND", "   /KH-UBND"])
def test_document_key_none_without_a_number(number):
    assert document_key(number, "2026-01-01", "ubnd-a") is None


def test_number_key_ignores_spacing_and_case():
    assert number_key("21- CT/TW") == number_key("21-ct/tw")
