"""Report statements: the future is told by its words with their tone marks."""

import pytest

from extractors.period import find as period
from extractors.statements import _is_future


@pytest.mark.parametrize("text, future", [
    ("Phòng sẽ tổ chức 02 lớp tập huấn trong quý IV.", True),
    ("Dự kiến hoàn thành trong tháng 12.", True),
    ("Các thành viên đã chia sẻ kinh nghiệm tại hội nghị.", False),  # "sẻ" (share) is not "sẽ" (will)
    ("Đã tổ chức 05 hội nghị với 412 lượt người.", False),
])
def test_is_future_reads_tone_marks(text, future):
    assert _is_future(text) is future


@pytest.mark.parametrize("title, expected", [
    ("Kết quả thực hiện công tác bình đẳng giới 6 tháng đầu năm 2023", "2023-H1"),
    ("Báo cáo 6 tháng cuối năm 2024", "2024-H2"),
    ("Kết quả quý II/2024", "2024-Q2"),
    ("Tình hình tháng 9/2025", "2025-09"),
    ("Tổng kết công tác năm 2026", "2026"),
    ("Về việc triển khai kế hoạch", None),
    (None, None),
])
def test_period_find_from_title(title, expected):
    assert period(title) == expected
