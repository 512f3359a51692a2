"""Typed results shared by the stages. Every result carries provenance.

Offsets are character offsets into ``SourceDoc.text``: the NFC-normalised text of the
document, which later cleaning never changes in length.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """Where a thing was found: document, page (1-based) and character range."""

    doc_id: str
    start: int
    end: int
    page: int


@dataclass(frozen=True)
class Page:
    """A page's character range; ``ocr`` when its text was recognised from an image, with the
    mean Tesseract word confidence (0-100) in ``ocr_confidence``."""

    number: int
    start: int
    end: int
    ocr: bool = False
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class Block:
    """A unit of layout: a paragraph, or a column of a two-column region, or a table cell.

    ``region`` is ``body`` for running text, ``left``/``right`` for the two sides of a
    side-by-side region (the ND 30 header, the Nơi nhận / signature footer), ``cell``
    for table cells (with ``table``, ``row``, ``col``).
    ``label`` is the outline label Word drew from its numbering (already part of the text).
    ``align`` is ``center`` when the layout says so, else None.
    """

    start: int
    end: int
    page: int
    region: str = "body"
    group: int = 0
    table: int | None = None
    row: int | None = None
    col: int | None = None
    label: str | None = None
    align: str | None = None
    bold: bool | None = None


@dataclass(frozen=True)
class WordBox:
    """Where an OCR'd word stands on its page (PDF points, origin top left) and in the text."""

    start: int
    end: int
    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class SourceDoc:
    """A document read from a file: its normalised text, page map and layout blocks."""

    id: str
    filename: str
    format: str
    text: str
    pages: tuple[Page, ...]
    blocks: tuple[Block, ...]
    ocr: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)
    word_boxes: tuple[WordBox, ...] = field(default_factory=tuple)  # OCR'd pages only

    def page_at(self, offset: int) -> int:
        for p in self.pages:
            if p.start <= offset < p.end:
                return p.number
        return self.pages[-1].number if self.pages else 1

    def span(self, start: int, end: int) -> Span:
        return Span(self.id, start, end, self.page_at(start))

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]
