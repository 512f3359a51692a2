"""When two records are the same document.

A số ký hiệu is unique only within its issuer and its year (ND 30/2020: numbering restarts
each year; "95/KH-UBND" of one district's People's Committee is another plan than the same
number of the next district's). So a document's identity is (issuer, number, year): the
issuer's gazetteer body when it is known, else its name as written (folded); the số ký hiệu
with spacing removed; the year of issue. A document without a number has no identity
beyond its bytes (``None``).

Used by every place that asks "is this the same document?": copies of one document in two
files, revised reports (supersede), the registry that citations resolve against, and the
link from a report to the plan it answers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.core.textnorm import fold


@dataclass(frozen=True, order=True)
class DocumentKey:
    issuer: str
    number: str
    year: str

    def __str__(self) -> str:
        return f"{self.number} ({self.year or 'undated'}, {self.issuer or 'issuer unknown'})"


def number_key(number: str) -> str:
    """A số ký hiệu compared without spaces or case ("95 / KH-UBND" is "95/KH-UBND")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", number)).upper()


def document_key(number: str | None, issued_on: str | None, issuer_body_id: str | None = None,
                 issuer_text: str | None = None) -> DocumentKey | None:
    if not number or not number_key(number).split("/", 1)[0]:
        return None  # no number, or a number left blank for the clerk ("/KH-UBND")
    issuer = issuer_body_id or (fold(issuer_text) if issuer_text else "")
    return DocumentKey(issuer, number_key(number), (issued_on or "")[:4])


def key_of(row: dict) -> DocumentKey | None:
    """The key of a ``documents`` row (number, issued_on, issuer_body_id, issuer_text)."""
    return document_key(row.get("number"), row.get("issued_on"), row.get("issuer_body_id"), row.get("issuer_text"))
