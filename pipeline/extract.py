"""The stages that turn one file into an Extraction, without touching the database:
read → header → outline → agencies → tasks and obligations (plans) → citations → figures →
statements (reports).

Each extractor finds; resolving what it found against the gazetteer is a separate call that
receives the matcher. The gazetteer, the matcher and the settings are given to the
``Extractor``; nothing here opens a data file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractors import agencies, citations, figures, header, obligations, outline, period, statements, tasks
from gazetteer import Matcher, load
from gazetteer.model import Gazetteer
from pipeline.core.errors import PlantraceError
from pipeline.core.result import Extraction
from pipeline.core.settings import Settings
from pipeline.read import read


class Extractor:
    def __init__(self, gazetteer: Gazetteer | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.gazetteer = gazetteer or load(*self.settings.gazetteer)
        self.matcher = Matcher(self.gazetteer, self.settings.matching.fuzzy_cutoff)

    def extract(self, path: Path, doc_id: str | None = None,
                on_stage: Callable[[str], None] | None = None) -> Extraction:
        """``on_stage(name)`` is told when a stage after "read" starts (the sandbox reports it
        for a worker that runs out of time)."""
        stage = "read"
        try:
            doc = read(path, doc_id, Path(path).name)
            stage = "extract"
            if on_stage is not None:
                on_stage(stage)
            return self.extract_doc(doc)
        except PlantraceError:
            raise
        except Exception as e:  # an extractor bug must not stop the batch: record it
            err = PlantraceError(f"{type(e).__name__}: {e}".splitlines()[0][:300])
            err.stage = stage
            raise err from e

    def extract_doc(self, doc) -> Extraction:
        h = header.find(doc)
        rh = header.resolve(h, self.matcher)
        sections = outline.find(doc, h.body_start, h.body_end)
        found = agencies.find(doc, self.gazetteer)
        mentions = agencies.resolve(found, self.matcher, rh.district, rh.issuer_body_id)
        doc_period = period.find(h.title.value if h.title else None)
        year = _year(h, doc_period)
        plan_tasks = plan_bodies = obls = owing = ()
        if h.kind == "plan":
            plan_tasks = tasks.find(doc, sections, found, year)
            plan_bodies = tasks.resolve(plan_tasks, self.matcher, rh.district)
            obls = obligations.find(doc, sections, found, year)
            owing = obligations.resolve(obls, plan_bodies, self.matcher, rh.district)
        cites = citations.without_own(citations.find(doc, year), doc, h.number.value if h.number else None)
        stmts = statements.find(doc, sections, h.body_start, h.body_end) if h.kind == "report" else ()
        return Extraction(doc, rh, sections, mentions, doc_period, plan_tasks, plan_bodies, obls, owing,
                          cites, figures.find(doc), stmts, statements.subjects(stmts, mentions, rh.issuer_body_id))


def _year(h, doc_period: str | None) -> int | None:
    """The year a document speaks of: its date's, else its period's."""
    if h.issued_on is not None:
        return int(h.issued_on.value[:4])
    if doc_period:
        return int(doc_period[:4])
    return None
