"""Stages that turn one file into an Extraction, without touching the database:
read → header → outline → agencies → tasks and obligations (plans) → citations → figures."""

from __future__ import annotations

from collections.abc import Callable
import re
from pathlib import Path

from extractors import agencies, citations, figures, header, obligations, outline, patterns, period, statements, tasks
from gazetteer import Matcher, load
from gazetteer.model import Gazetteer
from pipeline.errors import PlantraceError
from pipeline.read import read
from pipeline.store import Extraction


class Extractor:
    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load()
        self.matcher = Matcher(self.gazetteer)

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
            h = header.find(doc)
            rh = header.resolve(h, self.matcher)
            sections = outline.find(doc, h.body_start, h.body_end)
            found = agencies.find(doc, self.gazetteer)
            mentions = agencies.resolve(found, self.matcher, rh.district, rh.issuer_body_id)
            doc_period = period.find(h.title.value if h.title else None)
            year = _year(h, doc_period)
            plan_tasks = plan_bodies = obls = ()
            owing: dict = {}
            if h.kind == "plan":
                plan_tasks = tasks.find(doc, sections, found, year)
                plan_bodies = tasks.resolve(plan_tasks, self.matcher, rh.district)
                obls = obligations.find(doc, sections, found, year)
                owing = self._owing(obls, plan_bodies, rh.district)
            cites = _own_citations_removed(citations.find(doc, year), doc, h)
            stmts = statements.find(doc, sections, h.body_start, h.body_end) if h.kind == "report" else ()
            about = _about(stmts, mentions, rh.issuer_body_id)
            return Extraction(doc, rh, sections, mentions, doc_period, plan_tasks, plan_bodies, obls, owing,
                              cites, figures.find(doc), stmts, about)
        except PlantraceError:
            raise
        except Exception as e:  # an extractor bug must not stop the batch: record it
            err = PlantraceError(f"{type(e).__name__}: {e}".splitlines()[0][:300])
            err.stage = stage
            raise err from e

    def _owing(self, obls, plan_bodies, district: str | None) -> dict:
        """Recipient, via and the bodies that owe each report: every body given a task (as lead
        or by request), collectives counted through their members."""
        gz = self.gazetteer
        assigned = []
        for b in plan_bodies:
            if b.body_id and b.role in ("lead", "requested") and gz.get(b.body_id).kind not in ("collective", "catch_all"):
                if b.body_id not in assigned:
                    assigned.append(b.body_id)
        out = {}
        for i, o in enumerate(obls):
            rid = self.matcher.resolve(o.recipient.surface, district).body_id if o.recipient else None
            vid = self.matcher.resolve(o.via.surface, district).body_id if o.via else None
            out[i] = (rid, vid, tuple(assigned))
        return out



def _about(stmts, mentions, issuer_id) -> dict:
    """Statements whose subject is another body ("Phòng Văn hóa và Thông tin đã phối hợp …")
    speak of that body's work, not the issuer's."""
    lead = re.compile(patterns.load("reports")["subject_lead"]["regex"])
    out = {}
    for st in stmts:
        first = next((m for m in mentions if st.span.start <= m.mention.span.start < st.span.end), None)
        if first is None or not lead.match(st.text[: max(0, first.mention.span.start - st.span.start)]):
            continue
        if first.resolution.body_id and first.resolution.body_id != issuer_id:
            out[st.id] = first.resolution.body_id
    return out


def _own_citations_removed(found, doc, h):
    """Citations less the document naming itself (its "Số:" line, "Kèm theo Kế hoạch số …" on
    its own annex) and less any match that runs out of a table cell into the next one."""
    own = h.number.value if h.number else None
    cells = [b for b in doc.blocks if b.region == "cell"]
    keep = []
    for c in found:
        if own and c.number == own:
            continue
        if any(b.start <= c.span.start < b.end < c.span.end for b in cells):
            continue
        keep.append(c)
    return tuple(keep)


def _year(h, doc_period: str | None) -> int | None:
    """The year a document speaks of: its date's, else its period's."""
    if h.issued_on is not None:
        return int(h.issued_on.value[:4])
    if doc_period:
        return int(doc_period[:4])
    return None
