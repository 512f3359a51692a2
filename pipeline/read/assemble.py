"""Build a SourceDoc's text, page map and blocks from the pieces a reader finds.

Readers append paragraphs, lines and cells; the builder NFC-normalises each piece as it
is added, so offsets are into the final normalised text from the start.
"""

from __future__ import annotations

from pipeline.core.models import Block, Page, SourceDoc
from pipeline.core.textnorm import nfc


class TextBuilder:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self._blocks: list[Block] = []
        self._pages: list[Page] = []
        self._page_start = 0
        self.page = 1

    def add(self, text: str, **block_attrs) -> Block | None:
        """Append one block of text followed by a newline; returns its Block."""
        text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            return None
        start = self._len
        self._parts.append(text + "\n")
        self._len += len(text) + 1
        block = Block(start=start, end=start + len(text), page=self.page, **block_attrs)
        self._blocks.append(block)
        return block

    def extend_last(self, text: str) -> None:
        """Continue the last block on a new line (a wrapped line of the same paragraph)."""
        text = nfc(text)
        last = self._blocks[-1]
        self._parts[-1] = self._parts[-1][:-1] + "\n" + text + "\n"
        self._len += len(text) + 1
        self._blocks[-1] = Block(**{**last.__dict__, "end": last.end + 1 + len(text)})

    def end_page(self, ocr: bool = False, ocr_confidence: float | None = None) -> None:
        self._pages.append(Page(self.page, self._page_start, self._len, ocr, ocr_confidence))
        self._page_start = self._len
        self.page += 1

    def build(self, doc_id: str, filename: str, fmt: str, warnings=(), ocr: bool = False) -> SourceDoc:
        if self._len > self._page_start or not self._pages:
            self.end_page()
        return SourceDoc(id=doc_id, filename=filename, format=fmt, text="".join(self._parts),
                         pages=tuple(self._pages), blocks=tuple(self._blocks), ocr=ocr,
                         warnings=tuple(warnings))
