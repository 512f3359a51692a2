"""The per-document result: everything the stages found in one file, before it is stored.

Built by ``pipeline.extract.Extractor``, written by ``pipeline.db.store.save_document``.
Only type names of the extractors appear here (for the checker); nothing is imported at run
time, so ``pipeline.core`` stays free of the rest of the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from extractors.agencies import ResolvedMention
    from extractors.citations import Citation
    from extractors.figures import Figure
    from extractors.header import ResolvedHeader
    from extractors.obligations import Obligation
    from extractors.outline import Section
    from extractors.statements import Statement
    from extractors.tasks import Task, TaskBody
    from pipeline.core.models import SourceDoc


@dataclass(frozen=True)
class ObligationBodies:
    """Who receives one reporting obligation, through whom, and which bodies owe it."""

    obligation: int  # index into Extraction.obligations
    recipient_id: str | None
    via_id: str | None
    owing: tuple[str, ...]


@dataclass(frozen=True)
class StatementSubject:
    """A report statement that tells another body's work ("Phòng Văn hóa … đã phối hợp …")."""

    statement_id: str
    body_id: str


@dataclass(frozen=True)
class Extraction:
    """Everything the stages found in one document."""

    doc: SourceDoc
    header: ResolvedHeader
    sections: tuple[Section, ...]
    mentions: tuple[ResolvedMention, ...]
    period: str | None
    tasks: tuple[Task, ...] = ()
    task_bodies: tuple[TaskBody, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    obligation_bodies: tuple[ObligationBodies, ...] = ()
    citations: tuple[Citation, ...] = ()
    figures: tuple[Figure, ...] = ()
    statements: tuple[Statement, ...] = ()
    subjects: tuple[StatementSubject, ...] = ()

    def owing(self, index: int) -> ObligationBodies | None:
        return next((o for o in self.obligation_bodies if o.obligation == index), None)

    def subject_of(self, statement_id: str) -> str | None:
        return next((s.body_id for s in self.subjects if s.statement_id == statement_id), None)
