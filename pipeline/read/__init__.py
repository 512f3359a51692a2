"""Stage 1, read: sniff the file's real type from its bytes and hand it to its reader."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.read import convert, docx, pdf, txt
from pipeline.core.errors import ReadError
from pipeline.core.models import SourceDoc

_MAGIC = [
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
]
_NAMES = {"png": "a PNG image", "jpeg": "a JPEG image", "gif": "a GIF image", "html": "an HTML page",
          "doc": "a legacy Word .doc file", "rtf": "an RTF file"}


def sniff(head: bytes) -> str:
    """The format the bytes say, whatever the file name says."""
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            return fmt
    if b"%PDF" in head[:1024]:
        return "pdf"  # PDFs may carry junk before the header
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    if b"\x00" in head:
        return "binary"
    return "txt"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read(path: Path, doc_id: str | None = None, filename: str | None = None) -> SourceDoc:
    """Read any supported file into a SourceDoc; ReadError with a one-line reason otherwise."""
    path = Path(path)
    if path.is_dir():
        raise ReadError("is a directory, not a file")
    size = path.stat().st_size
    if size == 0:
        raise ReadError("empty file (0 bytes)")
    with open(path, "rb") as f:
        head = f.read(2048)
    fmt = sniff(head)
    doc_id = doc_id or sha256_file(path)
    suffix = path.suffix.lower().lstrip(".")
    if fmt == "pdf":
        return pdf.parse(path, doc_id, filename)
    if fmt == "docx":
        return docx.parse(path, doc_id, filename)
    if fmt in ("doc", "rtf"):  # converted to DOCX by LibreOffice
        return convert.parse(path, doc_id, filename, fmt)
    if fmt == "txt":
        if suffix in ("pdf", "docx", "doc"):
            raise ReadError(f"named .{suffix} but holds plain text, not a {suffix.upper()} file")
        return txt.parse(path, doc_id, filename)
    what = _NAMES.get(fmt, "binary data of an unknown type")
    if suffix and suffix != fmt:
        raise ReadError(f"named .{suffix} but is {what}")
    raise ReadError(f"unsupported file type: {what}")
