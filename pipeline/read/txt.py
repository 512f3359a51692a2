"""Read plain text: wrapped lines rejoined into paragraphs, page numbers as page breaks.

The text is UTF-8, or TCVN3/VNI/Windows-1258 converted to Unicode (``pipeline.read.legacy``).

Text pasted out of a PDF (like the seed plan) has one line per printed line, blank lines
between them and bare page numbers: a line starts a paragraph after a short line, after
a line ending a sentence, or when it begins with an outline label.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.read import legacy
from pipeline.read.assemble import TextBuilder
from pipeline.core.errors import ReadError
from pipeline.core.models import SourceDoc

LABEL = re.compile(r"^\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ][.)]|[-+•])\s", re.I)
PAGE_NUMBER = re.compile(r"^\s*-?\s*(\d{1,4})\s*-?\s*$")


LEGACY_NAMES = {"tcvn3": "TCVN3", "vni": "VNI", "cp1258": "Windows-1258"}


def decode(data: bytes) -> tuple[str, str | None]:
    """The text of a file, and how it was read when that was not plain Unicode.

    UTF-8 first, converted by table when it reads as TCVN3 or VNI (legacy text re-saved as
    UTF-8). Other bytes are read as TCVN3, VNI or Windows-1258 (tones as combining marks,
    composed later by NFC), whichever gives Vietnamese; anything else is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        found = legacy.decode_bytes(data)
        if found is None:
            raise ReadError("text is not UTF-8, and not in a Vietnamese legacy encoding "
                            "(TCVN3, VNI, Windows-1258)") from None
        return found[0], f"converted from {LEGACY_NAMES[found[1]]}"
    enc = legacy.detect(text)
    if enc:
        return legacy.to_unicode(text, enc), f"converted from {LEGACY_NAMES[enc]}"
    return text, None


def parse(path: Path, doc_id: str, filename: str | None = None) -> SourceDoc:
    text, how = decode(Path(path).read_bytes())
    return parse_text(text, doc_id, filename or Path(path).name, warnings=(how,) if how else ())


def parse_text(text: str, doc_id: str, filename: str, warnings: tuple[str, ...] = ()) -> SourceDoc:
    raw = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    widths = sorted(len(ln.strip()) for ln in raw if len(ln.strip()) > 1)
    full = widths[int(len(widths) * 0.8)] if widths else 80
    # A blank line ends a paragraph, unless the text has one after nearly every line (as
    # text pasted out of a PDF does), where it says nothing.
    nonblank = [i for i, ln in enumerate(raw) if ln.strip()]
    gaps = sum(1 for a, b in zip(nonblank, nonblank[1:]) if b > a + 1)
    blank_breaks = not nonblank or gaps < 0.6 * max(len(nonblank) - 1, 1)
    tb = TextBuilder()
    prev: str | None = None
    blank_before = False
    for ln in raw:
        if "\f" in ln:
            tb.end_page()
            prev = None
            ln = ln.replace("\f", "")
        s = ln.strip()
        if not s:
            blank_before = prev is not None
            continue
        m = PAGE_NUMBER.match(s)
        if m:
            tb.end_page()
            tb.page = max(tb.page, int(m.group(1)))
            continue
        starts = (prev is None or LABEL.match(s) is not None or len(prev) < 0.75 * full
                  or (prev.endswith((".", ":", ";", "./", "!", "?")) and s[:1].isupper())
                  or s.isupper() or prev.isupper() or (blank_breaks and blank_before))
        blank_before = False
        if starts:
            tb.add(s, region="body")
        else:
            tb.extend_last(s)
        prev = s
    return tb.build(doc_id, filename, "txt", warnings=warnings)
