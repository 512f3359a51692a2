"""A document of a place the gazetteer does not cover: its bodies are never credited to the
gazetteer's places (the Cao Bằng gazetteer reading a Vĩnh Long report)."""

from pipeline.extract import Extractor
from tests.conftest import text_doc

REPORT = """ỦY BAN NHÂN DÂN TỈNH VĨNH LONG
SỞ TƯ PHÁP
Số: 112/BC-STP
Vĩnh Long, ngày 05 tháng 6 năm 2024
BÁO CÁO
Kết quả công tác phổ biến pháp luật 6 tháng đầu năm 2024
I. KẾT QUẢ
1. Sở Tư pháp phối hợp với Công an tỉnh và Ủy ban nhân dân huyện Trà Ôn tổ chức 04 hội nghị.
2. Phòng Tư pháp các huyện đã tuyên truyền cho 1.200 lượt người; Chính phủ đã ban hành Nghị định số 15/2024/NĐ-CP.
"""


def test_a_document_of_another_province_credits_nothing_to_ours():
    ex = Extractor()
    x = ex.extract_doc(text_doc(REPORT, "vinh-long.txt"))
    assert x.header.issuer_body_id is None
    credited = {m.mention.surface: m.resolution.body_id for m in x.mentions if m.resolution.body_id}
    assert all(ex.gazetteer.get(b).level == "national" for b in credited.values()), credited
    assert credited.get("Chính phủ") == "chinh-phu"  # national bodies are everyone's
    unresolved = {m.mention.surface: m.resolution.note for m in x.mentions if not m.resolution.body_id}
    assert "Công an tỉnh" in unresolved
