"""Views over a SourceDoc's blocks that the extractors share: side-by-side units (the
two-column header and footer, from a PDF region or a two-column Word table) and the
running body paragraphs."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.models import Block, SourceDoc


@dataclass(frozen=True)
class SideBySide:
    left: tuple[Block, ...]
    right: tuple[Block, ...]

    @property
    def start(self) -> int:
        return min(b.start for b in self.left + self.right)

    @property
    def end(self) -> int:
        return max(b.end for b in self.left + self.right)


def side_by_side(doc: SourceDoc) -> list[SideBySide]:
    groups: dict[tuple[str, int], list[Block]] = {}
    for b in doc.blocks:
        if b.region in ("left", "right"):
            groups.setdefault(("region", b.group), []).append(b)
        elif b.region == "cell" and b.table is not None:
            groups.setdefault(("table", b.table), []).append(b)
    units = []
    for (kind, _), blocks in groups.items():
        if kind == "region":
            left = tuple(b for b in blocks if b.region == "left")
            right = tuple(b for b in blocks if b.region == "right")
        else:
            if {b.col for b in blocks} != {0, 1} or max(b.row or 0 for b in blocks) > 3:
                continue
            left = tuple(sorted((b for b in blocks if b.col == 0), key=lambda b: b.start))
            right = tuple(sorted((b for b in blocks if b.col == 1), key=lambda b: b.start))
        if left and right:
            units.append(SideBySide(left, right))
    return sorted(units, key=lambda u: u.start)


def body_blocks(doc: SourceDoc) -> list[Block]:
    return [b for b in doc.blocks if b.region == "body"]
