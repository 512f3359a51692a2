"""Deadlines: before-words move the date back a day; quarters, months and years end their period."""

import pytest

from extractors.deadlines import find, recurrence


@pytest.mark.parametrize("text, year, strict, due", [
    ("báo cáo trước ngày 15/6", 2023, True, "2023-06-14"),
    ("hoàn thành trước ngày 15/4/2024.", 2023, True, "2024-04-14"),
    ("chậm nhất ngày 30/9/2024", None, True, "2024-09-30"),
    ("trước ngày 15 tháng 12 năm 2023", None, True, "2023-12-14"),
    ("(từ ngày 15/11 đến 15/12/2023)", 2023, True, None),      # an event's dates, not a deadline
    ("Quý II/2024", None, False, "2024-06-30"),
    ("Quý IV", 2024, False, "2024-12-31"),
    ("quý 3 năm 2024", None, False, "2024-09-30"),
    ("Tháng 6/2024", None, False, "2024-06-30"),
    ("Tháng 2/2024", None, False, "2024-02-29"),
    ("Trước 30/9/2024", None, False, "2024-09-29"),
    ("Năm 2024", None, False, "2024-12-31"),
    ("30/6/2024", None, False, "2024-06-30"),
    ("Thường xuyên", 2024, False, None),
    ("trước ngày 31/2", 2023, True, None),                      # no such day
])
def test_find(text, year, strict, due):
    d = find(text, year, strict)
    assert (d.due_on if d else None) == due


@pytest.mark.parametrize("text, rec", [
    ("Thường xuyên", "thường xuyên"), ("Hằng quý", "hằng quý"), ("kế hoạch hàng năm", "hằng năm"),
    ("định kỳ báo cáo", "định kỳ"), ("Quý II/2024", None),
])
def test_recurrence(text, rec):
    assert recurrence(text) == rec
