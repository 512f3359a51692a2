"""Reading files: the real type comes from the bytes; bad input gives one clear reason."""

import io
import zipfile

import pytest

from pipeline.core.errors import ReadError
from pipeline.read import read, sniff
from tests.conftest import CORPUS


@pytest.mark.parametrize("head, fmt", [
    (b"%PDF-1.7\n", "pdf"), (b"PK\x03\x04rest", "docx"), (b"\x89PNG\r\n", "png"),
    (b"<!DOCTYPE html><html>", "html"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
    ("Kế hoạch số 95".encode(), "txt"), (b"\x00\x01\x02binary", "binary"),
])
def test_sniff_reads_the_bytes_not_the_name(head, fmt):
    assert sniff(head) == fmt


def _png_bytes():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, "PNG")
    return buf.getvalue()


def _encrypted_pdf(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt="secret-user-password")
    c.drawString(100, 700, "Bao cao")
    c.save()


@pytest.mark.parametrize("name, make, reason", [
    ("empty.pdf", lambda p: p.write_bytes(b""), "empty file"),
    ("image.pdf", lambda p: p.write_bytes(_png_bytes()), "named .pdf but is a PNG image"),
    ("page.pdf", lambda p: p.write_text("<!DOCTYPE html><html><body>x</body></html>"), "named .pdf but is an HTML page"),
    ("noise.docx", lambda p: p.write_bytes(bytes(range(256)) * 8), "named .docx but is binary data"),
    ("plain.docx", lambda p: p.write_text("chỉ là văn bản"), "holds plain text"),
    ("nodoc.docx", lambda p: _zip(p, {"hello.txt": "x"}), "zip without word/document.xml"),
    ("locked.pdf", _encrypted_pdf, "encrypted"),
    ("cut.pdf", lambda p: p.write_bytes((CORPUS / "bc_noivu_2023_h1.pdf").read_bytes()[:3000]), "PDF"),
])
def test_read_rejects_bad_files_with_one_line_reason(tmp_path, name, make, reason):
    path = tmp_path / name
    make(path)
    with pytest.raises(ReadError) as e:
        read(path)
    message = str(e.value)
    assert reason in message and "\n" not in message


def test_read_rejects_a_directory_named_like_a_pdf(tmp_path):
    (tmp_path / "x.pdf").mkdir()
    with pytest.raises(ReadError, match="directory"):
        read(tmp_path / "x.pdf")


def _zip(path, files):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)


def test_read_refuses_a_docx_zip_bomb(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/media/padding.bin", b"\0" * (210 * 1024 * 1024))
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ReadError, match="zip bomb"):
        read(path)


def test_document_id_is_the_sha256_of_the_bytes():
    import hashlib

    path = CORPUS / "bc_tuphap_2023_nam.docx"
    assert read(path).id == hashlib.sha256(path.read_bytes()).hexdigest()
