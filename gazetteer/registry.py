"""The registry of citable legal documents: the bundled file (data/legal_documents.yml) plus any
files the settings name. Citations are resolved against it (``extractors.citations.resolve``);
after each batch every ingested document with a số ký hiệu joins it (``pipeline.db.link``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from pipeline.core.textnorm import nfc

BUNDLED = Path(__file__).resolve().parent / "data" / "legal_documents.yml"


@dataclass(frozen=True)
class LegalDocument:
    id: str
    doc_type: str
    number: str | None = None
    issued_on: str | None = None
    issuer: str | None = None
    title: str | None = None
    names: tuple[str, ...] = ()


def load_registry(*paths: Path | str) -> tuple[LegalDocument, ...]:
    """The legal documents of the registry files (the bundled one when none is named)."""
    docs = []
    for path in paths or (BUNDLED,):
        entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
        for e in entries:
            on = e.get("issued_on")
            docs.append(LegalDocument(
                id=e["id"], doc_type=nfc(e["doc_type"]), number=nfc(e["number"]) if e.get("number") else None,
                issued_on=on.isoformat() if isinstance(on, date) else on,
                issuer=nfc(e["issuer"]) if e.get("issuer") else None,
                title=nfc(e["title"]) if e.get("title") else None, names=tuple(nfc(n) for n in e.get("names") or ())))
    ids = [d.id for d in docs]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"legal documents: duplicate ids {dupes}")
    return tuple(docs)
