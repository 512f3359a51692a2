"""The plain-text reader on the seed plan as it was extracted from its PDF."""

from pipeline.read.txt import parse
from pipeline.core.textnorm import squash
from tests.conftest import SEED


def test_seed_page_number_becomes_a_page_break():
    doc = parse(SEED, "seed")
    assert [p.number for p in doc.pages] == [1, 4]
    assert "\n4\n" not in doc.text
    assert doc.text[doc.pages[1].start:].startswith("- Tổ chức các lớp tập huấn")


def test_seed_wrapped_lines_become_paragraphs():
    doc = parse(SEED, "seed")
    paras = [squash(doc.block_text(b)) for b in doc.blocks]
    assert "12. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam huyện và các tổ chức chính trị - xã hội" in paras
    assert "5. Phòng Văn hóa và Thông tin" in paras
    assert any(p.startswith("- Hướng dẫn địa phương") and p.endswith("trên địa bàn huyện.") for p in paras)
