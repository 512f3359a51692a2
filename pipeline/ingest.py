"""The ordered stages for one file, and a batch over many.

read → header → outline → agencies → period → store. A file that fails at any stage gets
one ingest_log row naming the stage and a one-line reason, a copy in the quarantine
folder with a ``.error.txt`` beside it, and the batch goes on. Identical bytes are
recognised by sha256 before any work and recorded as a duplicate.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from extractors import agencies, header, obligations, outline, period, tasks
from gazetteer import Matcher, load
from gazetteer.model import Gazetteer
from pipeline import store
from pipeline.errors import PlantraceError
from pipeline.read import read, sha256_file
from pipeline.schema import connect

IGNORED_PREFIXES = ("~$", ".", "._")
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".error.txt", ".swp")
IGNORED_NAMES = {"Thumbs.db", "desktop.ini", ".DS_Store"}


def is_ignored(path: Path) -> bool:
    """Temporary, lock and system files that are never documents."""
    name = path.name
    return (name in IGNORED_NAMES or name.startswith(IGNORED_PREFIXES)
            or name.lower().endswith(IGNORED_SUFFIXES))


def collect(paths: list[Path]) -> list[Path]:
    """Files under the given paths, in a stable order; directories are walked."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir() and not p.suffix.lower() in (".pdf", ".docx", ".doc", ".txt"):
            out += sorted(f for f in p.rglob("*") if (f.is_file() or (f.is_dir() and f.suffix))
                          and not is_ignored(f) and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            out.append(p)
    return out


@dataclass
class Outcome:
    path: Path
    outcome: str  # ingested | duplicate | failed
    document_id: str | None = None
    stage: str | None = None
    error: str | None = None


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outcomes)

    def line(self) -> str:
        return (f"{len(self.outcomes)} files: {self.count('ingested')} ingested, "
                f"{self.count('duplicate')} duplicates, {self.count('failed')} failed "
                f"in {self.seconds:.1f} s")


class Pipeline:
    def __init__(self, db_path: Path, gazetteer: Gazetteer | None = None) -> None:
        self.db_path = Path(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.db = connect(self.db_path)
        self.gazetteer = gazetteer or load()
        self.matcher = Matcher(self.gazetteer)
        store.sync_gazetteer(self.db, self.gazetteer)
        self.quarantine = self.db_path.parent / "quarantine"

    def extract(self, path: Path, doc_id: str) -> store.Extraction:
        stage = "read"
        try:
            doc = read(path, doc_id, path.name)
            stage = "extract"
            h = header.find(doc)
            rh = header.resolve(h, self.matcher)
            sections = outline.find(doc, h.body_start, h.body_end)
            found = agencies.find(doc, self.gazetteer)
            mentions = agencies.resolve(found, self.matcher, rh.district)
            doc_period = period.find(h.title.value if h.title else None)
            year = _year(h, doc_period)
            plan_tasks = plan_bodies = obls = ()
            owing: dict = {}
            if h.kind == "plan":
                plan_tasks = tasks.find(doc, sections, found, year)
                plan_bodies = tasks.resolve(plan_tasks, self.matcher, rh.district)
                obls = obligations.find(doc, sections, found, year)
                owing = self._owing(obls, plan_bodies, rh.district)
            return store.Extraction(doc, rh, sections, mentions, doc_period, plan_tasks, plan_bodies, obls, owing)
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

    def ingest_file(self, path: Path) -> Outcome:
        path = Path(path)
        started = store.now()
        sha = None
        try:
            if not path.exists():
                raise _error("read", "file not found")
            sha = sha256_file(path) if path.is_file() else None
            if sha and store.has_document(self.db, sha):
                store.log(self.db, path=str(path), filename=path.name, sha256=sha, started_at=started,
                          outcome="duplicate", stage="dedupe", document_id=sha)
                return Outcome(path, "duplicate", sha)
            x = self.extract(path, sha or "")
            stage = "store"
            try:
                store.save_document(self.db, x, path.name)
            except Exception as e:
                raise _error(stage, f"{type(e).__name__}: {e}") from e
            store.log(self.db, path=str(path), filename=path.name, sha256=sha, started_at=started,
                      outcome="ingested", stage="done", document_id=sha)
            return Outcome(path, "ingested", sha)
        except PlantraceError as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            self._quarantine(path, sha, e.stage, reason)
            store.log(self.db, path=str(path), filename=path.name, sha256=sha, started_at=started,
                      outcome="failed", stage=e.stage, error=reason)
            return Outcome(path, "failed", None, e.stage, reason)

    def _quarantine(self, path: Path, sha: str | None, stage: str, reason: str) -> None:
        if not path.is_file():
            return
        self.quarantine.mkdir(parents=True, exist_ok=True)
        target = self.quarantine / f"{(sha or 'nosha')[:12]}-{path.name[-120:]}"
        shutil.copy2(path, target)
        target.with_name(target.name + ".error.txt").write_text(f"{stage}: {reason}\n", encoding="utf-8")

    def ingest(self, paths: list[Path], progress: bool = False) -> Summary:
        files = collect(paths)
        summary = Summary()
        t0 = time.perf_counter()
        iterator = files
        if progress:
            from tqdm import tqdm

            iterator = tqdm(files, unit="file", desc="ingest", leave=False)
        for f in iterator:
            summary.outcomes.append(self.ingest_file(f))
        summary.seconds = time.perf_counter() - t0
        self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return summary


def _year(h, doc_period: str | None) -> int | None:
    """The year a document speaks of: its date's, else its period's."""
    if h.issued_on is not None:
        return int(h.issued_on.value[:4])
    if doc_period:
        return int(doc_period[:4])
    return None


def _error(stage: str, message: str) -> PlantraceError:
    e = PlantraceError(message)
    e.stage = stage
    return e
