"""Header extraction checked against the hand-written gold of every corpus document."""



from extractors import header
from pipeline.read import read
from pipeline.read.txt import parse
from tests.conftest import CORPUS, SEED, gold_files

# Header fields against the gold of the whole corpus: tests/devtools/test_eval.py
# (test_every_header_field_is_right_on_the_whole_corpus), on the same extraction as make eval.


def test_every_header_field_points_at_its_text():
    for g in gold_files():
        doc = read(CORPUS / g["file"])
        h = header.find(doc)
        for name, f in h.fields().items():
            assert f.surface == doc.text[f.span.start:f.span.end], (g["file"], name)
            assert doc.page_at(f.span.start) == f.span.page


def test_lost_header_falls_back_on_the_text(matcher):
    """The seed plan as extracted from its PDF has no header block at all."""
    doc = parse(SEED, "seed")
    h = header.find(doc)
    r = header.resolve(h, matcher)
    assert h.kind == "plan" and h.doc_type.value == "Kế hoạch"
    assert h.number is None and h.issued_on is None
    assert r.issuer_body_id == "ubnd-huyen"  # "… Ủy ban nhân dân huyện ban hành Kế hoạch …"
    assert (h.signing_authority.value, h.signer_title.value, h.signer.value) == ("KT.", "Phó Chủ tịch", "Chu Thị Vinh")
    assert h.title.value == "Triển khai công tác Bình đẳng giới và Vì sự tiến bộ của phụ nữ huyện Trùng Khánh năm 2023"
    assert [f.value for f in h.noi_nhan][-1] == "Lưu: VT, LĐTBXH"
    assert h.archive.value == "Lưu: VT, LĐTBXH"


def test_flattened_header_text(matcher):
    text = ("UBND HUYỆN TRÙNG KHÁNH\nPHÒNG NỘI VỤ\nSố: 12 / BC-PNV\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nTrùng Khánh, ngày 05 tháng 01 năm 2024\n\nBÁO CÁO\n"
            "Kết quả công tác năm 2023\n\nThực hiện Kế hoạch số 95/KH-UBND, Phòng báo cáo như sau:\n"
            "I. KẾT QUẢ\n- Đã tổ chức 02 lớp.\n\nNơi nhận:\n- UBND huyện;\n- Lưu: VT.\n"
            "TRƯỞNG PHÒNG\n\nHoàng Văn Bình\n")
    from pipeline.read.txt import parse_text

    h = header.find(parse_text(text, "flat", "flat.txt"))
    r = header.resolve(h, matcher)
    assert h.number.value == "12/BC-PNV" and h.issued_on.value == "2024-01-05"
    assert (r.parent_body_id, r.issuer_body_id) == ("ubnd-huyen", "phong-noi-vu")
    assert h.kind == "report" and h.title.value == "Kết quả công tác năm 2023"
    assert (h.signing_authority, h.signer_title.value, h.signer.value) == (None, "Trưởng phòng", "Hoàng Văn Bình")


def test_a_number_left_blank_for_the_clerk_stays_empty_but_still_tells_the_kind():
    from tests.conftest import text_doc

    doc = text_doc("ỦY BAN NHÂN DÂN\nXÃ THỬ NGHIỆM\nSố:      /KH-UBND\nThử Nghiệm, ngày 02 tháng 3 năm 2026\n"
                   "KẾ HOẠCH\nPhòng, chống thiên tai năm 2026\nI. MỤC ĐÍCH\nNội dung.\n", "nhap.txt")
    h = header.find(doc)
    assert h.number is None and h.kind == "plan"
