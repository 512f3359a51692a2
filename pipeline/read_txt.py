"""Read plain text (UTF-8): wrapped lines rejoined into paragraphs, page numbers as page breaks.

Text pasted out of a PDF (like the seed plan) has one line per printed line, blank lines
between them and bare page numbers: a line starts a paragraph after a short line, after
a line ending a sentence, or when it begins with an outline label.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.assemble import TextBuilder
from pipeline.errors import ReadError
from pipeline.models import SourceDoc

LABEL = re.compile(r"^\s*(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ][.)]|[-+•])\s", re.I)
PAGE_NUMBER = re.compile(r"^\s*-?\s*(\d{1,4})\s*-?\s*$")


def decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReadError("text is not UTF-8 (a legacy Vietnamese encoding?)") from e


def parse(path: Path, doc_id: str, filename: str | None = None) -> SourceDoc:
    text = decode(Path(path).read_bytes())
    return parse_text(text, doc_id, filename or Path(path).name)


def parse_text(text: str, doc_id: str, filename: str) -> SourceDoc:
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
    return tb.build(doc_id, filename, "txt")
