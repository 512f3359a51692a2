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

from gazetteer.model import Gazetteer
from pipeline import link, store
from pipeline.errors import PlantraceError
from pipeline.extract import Extractor
from pipeline.read import sha256_file
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
        self.extractor = Extractor(gazetteer)
        self.gazetteer, self.matcher = self.extractor.gazetteer, self.extractor.matcher
        store.sync_gazetteer(self.db, self.gazetteer)
        self.quarantine = self.db_path.parent / "quarantine"

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
            x = self.extractor.extract(path, sha or "")
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
        if summary.count("ingested"):
            link.relink(self.db, self.matcher)
        summary.seconds = time.perf_counter() - t0
        self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return summary


def _error(stage: str, message: str) -> PlantraceError:
    e = PlantraceError(message)
    e.stage = stage
    return e
