"""Legacy Word .doc and RTF files, converted by LibreOffice and read as DOCX."""

import os

import pytest

from pipeline.read import convert
from pipeline.core.errors import ReadError
from pipeline.read import read
from tests.conftest import CORPUS

DOC = CORPUS / "bc_ttvhtt_2023_nam.doc"


@pytest.fixture(scope="module")
def doc_doc():
    return read(DOC)


def test_read_doc_is_converted_and_keeps_its_format_and_name(doc_doc):
    assert (doc_doc.format, doc_doc.filename) == ("doc", "bc_ttvhtt_2023_nam.doc")
    assert doc_doc.text.startswith("UBND HUYỆN TRÙNG KHÁNH\nTRUNG TÂM VĂN HÓA\nVÀ TRUYỀN THÔNG\n")
    assert "Thử nghiệm nhóm Zalo \"Phụ nữ Trùng Khánh\" do Trung tâm quản lý" in doc_doc.text


def test_read_doc_keeps_the_header_and_signature_tables(doc_doc):
    cells = {(b.table, b.row, b.col, doc_doc.block_text(b)) for b in doc_doc.blocks if b.region == "cell"}
    assert (1, 1, 0, "Số: 165/BC-TTVHTT") in cells
    assert (1, 1, 1, "Trùng Khánh, ngày 08 tháng 12 năm 2023") in cells
    assert (2, 0, 1, "GIÁM ĐỐC") in cells and (2, 0, 1, "Hoàng Văn Chung") in cells


def test_read_rtf_is_converted(tmp_path):
    path = tmp_path / "bao_cao.rtf"
    path.write_text(r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0\pard B\u193?O C\u193?O\par"
                    r"\pard K\u7871?t qu\u7843? th\u7921?c hi\u7879?n n\u259?m 2023.\par}", encoding="ascii")
    doc = read(path)
    assert (doc.format, doc.filename) == ("rtf", "bao_cao.rtf")
    assert doc.text.splitlines() == ["BÁO CÁO", "Kết quả thực hiện năm 2023."]


@pytest.mark.parametrize("name, make", [
    ("junk.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096)),
    ("cut.doc", lambda: DOC.read_bytes()[:6000]),
    ("junk.rtf", lambda: b"{\\rtf1 " + bytes(range(256)) * 4),
])
def test_read_corrupt_legacy_file_gives_one_line_reason(tmp_path, name, make):
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(ReadError) as e:
        read(path)
    message = str(e.value)
    assert "\n" not in message
    assert "could not be converted by LibreOffice" in message or "converted to DOCX, but" in message


def test_to_docx_past_its_time_limit_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match=r"conversion by LibreOffice took more than 0\.01 s"):
        convert.to_docx(DOC, tmp_path, "doc", timeout=0.01)


def test_read_doc_without_libreoffice_gives_a_clear_reason(monkeypatch):
    monkeypatch.setenv(convert.ENV_COMMAND, "/nonexistent/bin/soffice")
    with pytest.raises(ReadError, match=r"^legacy Word \.doc file needs LibreOffice to be converted"):
        read(DOC)
