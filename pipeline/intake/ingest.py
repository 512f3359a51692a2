"""The ordered stages for one file, and a batch over many.

read → header → outline → agencies → period → store. A file that fails at any stage gets
one ingest_log row naming the stage and a one-line reason, a copy in the quarantine
folder with a ``.error.txt`` beside it, and the batch goes on. Identical bytes are
recognised by sha256 before any work and recorded as a duplicate.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gazetteer.model import Gazetteer
from gazetteer.registry import load_registry
from pipeline.core.result import Extraction
from pipeline.core.settings import Settings
from pipeline.db import passes, reviews, store
from pipeline.intake import filestore
from pipeline.intake.walk import walk
from pipeline.core.errors import PlantraceError
from pipeline.extract import Extractor
from pipeline.read import sha256_file
from pipeline.intake.sandbox import Limits, Sandbox
from pipeline.db.schema import connect

def collect(paths: list[Path]) -> list[Path]:
    """The files to ingest: a named file as it is, a folder walked (``pipeline.intake.walk``)."""
    out: list[Path] = []
    for p in map(Path, paths):
        out += walk(p) if p.is_dir() else [p]
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
    """``limits``: extract each file in a worker process bounded in time and memory
    (``pipeline.intake.sandbox``); None extracts in this process."""

    def __init__(self, db_path: Path, gazetteer: Gazetteer | None = None, limits: Limits | None = None,
                 settings: Settings | None = None,
                 extract: Callable[[Path, str], Extraction] | None = None) -> None:
        self.settings = settings or Settings()
        self.db_path = Path(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.db = connect(self.db_path)
        self.extractor = Extractor(gazetteer, self.settings)
        self.registry = load_registry(*self.settings.registry) if self.settings.registry else load_registry()
        self.gazetteer, self.matcher = self.extractor.gazetteer, self.extractor.matcher
        store.sync_gazetteer(self.db, self.gazetteer)
        reviews.load(self.db, self.db_path)  # analysts' verdicts survive a rebuild
        self.quarantine = self.db_path.parent / "quarantine"
        self.sandbox = Sandbox(limits, gazetteer, self.settings) if limits is not None else None
        self._extract = extract  # another way to extract a file (e.g. extractions already made)

    def extract(self, path: Path, sha: str, cancel=None) -> Extraction:
        if self._extract is not None:
            return self._extract(path, sha)
        if self.sandbox is not None:
            return self.sandbox.extract(path, sha, cancel)
        return self.extractor.extract(path, sha)

    def ingest_new(self, path: Path, sha: str, *, log_path: str | None = None, stored_path: str | None = None,
                   cancel=None) -> Outcome:
        """Extract a file whose bytes are not in the database yet and save it: the document
        and its ``ingested`` ingest_log row in one transaction. A failure gets a ``failed``
        row; no file is touched either way (the caller copies or moves it)."""
        path = Path(path)
        started = store.now()
        log_path = log_path or str(path)
        try:
            x = self.extract(path, sha, cancel)
            try:
                with self.db.atomic():
                    store.save_document(self.db, x, path.name, stored_path)
                    store.log(self.db, path=log_path, filename=path.name, sha256=sha, started_at=started,
                              outcome="ingested", stage="done", document_id=sha)
            except sqlite3.OperationalError:
                raise  # busy or locked: rolled back, nothing wrong with the file; the caller may retry
            except Exception as e:
                raise _error("store", f"{type(e).__name__}: {e}".splitlines()[0]) from e
            return Outcome(path, "ingested", sha)
        except PlantraceError as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            store.log(self.db, path=log_path, filename=path.name, sha256=sha, started_at=started,
                      outcome="failed", stage=e.stage, error=reason)
            return Outcome(path, "failed", None, e.stage, reason)

    def link_batch(self) -> None:
        """What needs the whole database, after a batch: citations (``link``), revised
        reports (``supersede``), then reports to plans and evidence (``crosscheck``)."""
        passes.run(self.db, self.registry, self.matcher, self.settings.evidence)

    def ingest_file(self, path: Path) -> Outcome:
        """One file, left where it is (a failed one is copied to the quarantine folder)."""
        path = Path(path)
        started = store.now()
        try:
            sha = sha256_file(path) if path.is_file() else None
        except OSError as e:
            sha, problem = None, f"cannot read the file ({e.strerror or type(e).__name__})"
        else:
            problem = None if path.exists() else "file not found"
        if problem:
            store.log(self.db, path=str(path), filename=path.name, sha256=sha, started_at=started,
                      outcome="failed", stage="read", error=problem)
            return Outcome(path, "failed", None, "read", problem)
        if sha and store.has_document(self.db, sha):
            store.log(self.db, path=str(path), filename=path.name, sha256=sha, started_at=started,
                      outcome="duplicate", stage="dedupe", document_id=sha)
            return Outcome(path, "duplicate", sha)
        outcome = self.ingest_new(path, sha)
        if outcome.outcome == "failed":
            self.quarantine_file(path, sha, outcome.stage, outcome.error)
        return outcome

    def quarantine_path(self, path: Path, sha: str | None) -> Path:
        return self.quarantine / f"{(sha or 'nosha')[:12]}-{Path(path).name[-120:]}"

    def quarantine_file(self, path: Path, sha: str | None, stage: str, reason: str,
                        move: bool = False) -> Path | None:
        """Copy (or, for the watcher, move) a failed file to the quarantine folder, with a
        ``.error.txt`` beside it saying the stage and the reason."""
        if not path.is_file():
            return None
        self.quarantine.mkdir(parents=True, exist_ok=True)
        target = self.quarantine_path(path, sha)
        target.with_name(target.name + ".error.txt").write_text(f"{stage}: {reason}\n", encoding="utf-8")
        if move:
            filestore.move(path, target)
        else:
            shutil.copy2(path, target)
        return target

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
        if summary.count("ingested"):
            self.link_batch()
        summary.seconds = time.perf_counter() - t0
        self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return summary


def _error(stage: str, message: str) -> PlantraceError:
    e = PlantraceError(message)
    e.stage = stage
    return e
