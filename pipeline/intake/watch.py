"""The drop folder: ``python -m pipeline watch [INBOX]``.

The secretariat drops files into ``inbox/``; each one is taken once it is completely
written (size and mtime unchanged for ``settle`` seconds: ``pipeline.intake.stability``), and

- **ingested**: extracted in a bounded worker (``pipeline.intake.sandbox``), saved with its
  ``ingest_log`` row in one transaction, and only after that commit moved out of the inbox
  into the content-addressed store ``outputs/store/<sha[:2]>/<sha>.<ext>``
  (``documents.stored_path``);
- **duplicate** (its SHA-256 is a document already): an ``ingest_log`` row ``duplicate``,
  then removed from the inbox once the stored copy has been read back and found identical
  (or moved into the store, if the store did not have those bytes yet);
- **failed**: an ``ingest_log`` row with the stage and a one-line reason, then moved to
  ``outputs/quarantine/`` with a ``.error.txt`` beside it.

After each batch the whole-database passes run (citations, revised reports, cross-check).
Filesystem events (watchdog; polling where events are unavailable) say where to look, and
a full rescan every ``rescan`` seconds catches whatever events missed.

Killed at any moment, a restart loses and duplicates nothing: a file leaves the inbox only
after its outcome is committed, so an interrupted file is simply taken again; the
database rolls back a half-written document; and the start-up reconciliation makes the
store and the database agree (a stored file that is not a document is ingested again, a
document whose stored copy is there but not recorded gets its ``stored_path``, and an
inbox file that is already a document is moved into the store, without a new row if it is
the very file whose move was interrupted).
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import queue
import sqlite3
import threading
import time
from pathlib import Path

from pipeline.db import store
from pipeline.intake.filestore import FileStore
from pipeline.intake.ingest import Pipeline
from pipeline.intake.walk import is_ignored, is_regular_file, walk
from pipeline.read import sha256_file
from pipeline.core.settings import Settings
from pipeline.intake.sandbox import Cancelled, Limits
from pipeline.intake.stability import StabilityTracker

log = logging.getLogger("plantrace.watch")

DEFAULT_SETTLE = Settings().watch.settle
DEFAULT_RESCAN = Settings().watch.rescan


class WatchError(Exception):
    """The watcher cannot start (another one holds the database, the inbox is not a folder)."""


class Watcher:
    def __init__(self, inbox: Path, db_path: Path, *, settle: float = DEFAULT_SETTLE,
                 rescan: float = DEFAULT_RESCAN, polling: bool = False, limits: Limits = Limits(),
                 gazetteer=None, stop: threading.Event | None = None, settings: Settings | None = None) -> None:
        self.inbox = Path(inbox).resolve()
        if self.inbox.exists() and not self.inbox.is_dir():
            raise WatchError(f"{inbox} is not a folder")
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.db_path = Path(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fd = _lock(self.db_path)
        self.pipe = Pipeline(self.db_path, gazetteer, limits, settings)
        self.pipe.sandbox.start()  # warms up while we reconcile
        self.db = self.pipe.db
        self.outputs = self.pipe.db_path.parent.resolve()
        self.files = FileStore(self.outputs / "store")
        self.tracker = StabilityTracker(settle)
        self.rescan = rescan
        self.polling = polling
        self.tick = min(0.5, max(0.05, settle / 4))
        self.events: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._stop = stop or threading.Event()
        self._stuck: dict[Path, tuple[int, int]] = {}  # could not be taken: skipped while unchanged

    # ------------------------------------------------------------------ running
    def stop(self) -> None:
        self._stop.set()

    def run(self, once: bool = False) -> None:
        """Reconcile, then take files as they settle until ``stop()`` (with ``once``: until
        the inbox holds nothing more to take)."""
        if self._stop.is_set():
            return
        self.reconcile()
        observer = None if once else self._start_observer()
        last_scan = float("-inf")
        try:
            while not self._stop.is_set():
                if once or time.monotonic() - last_scan >= self.rescan:
                    found = self.candidates()
                    self.tracker.observe_all(found)
                    last_scan = time.monotonic()
                    if once and not found and not len(self.tracker):
                        break
                self._drain_events()
                ready = self.tracker.ready()
                if ready:
                    self.take_batch(ready)
                    continue
                try:
                    self._note_event(self.events.get(timeout=self.tick))
                except queue.Empty:
                    pass
        finally:
            if observer is not None:
                observer.stop()
                observer.join(5)
            self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            log.info("stopped")

    def close(self) -> None:
        self.db.close()
        os.close(self._lock_fd)

    def _start_observer(self):
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        events = self.events

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if event.event_type in ("created", "modified", "moved", "closed"):
                    events.put(os.fsdecode(getattr(event, "dest_path", "") or event.src_path))

        how = "polling"
        observer = None
        if not self.polling:
            try:
                observer = Observer()
                observer.schedule(Handler(), str(self.inbox), recursive=True)
                observer.start()
                how = "filesystem events"
            except Exception as e:  # inotify limits, network filesystems
                log.warning("filesystem events unavailable (%s): polling instead", e)
                observer = None
        if observer is None:
            observer = PollingObserver(timeout=max(1.0, self.tracker.delay))
            observer.schedule(Handler(), str(self.inbox), recursive=True)
            observer.start()
        log.info("watching %s (%s; a file is taken %g s after its last change; full rescan every %g s)",
                 self.inbox, how, self.tracker.delay, self.rescan)
        return observer

    def _drain_events(self) -> None:
        while True:
            try:
                self._note_event(self.events.get_nowait())
            except queue.Empty:
                return

    def _note_event(self, name: str) -> None:
        path = Path(name)
        if path.is_dir():  # a folder moved in arrives as one event
            if not self._skipped(path):
                self.tracker.observe_all(self.candidates(path))
        elif self._is_candidate(path):
            self.tracker.observe(path)

    # ------------------------------------------------------------------ what is in the inbox
    def _skipped(self, path: Path) -> bool:
        try:
            rel = path.relative_to(self.inbox)
        except ValueError:
            return True
        return any(part.startswith(".") or is_ignored(Path(part)) for part in rel.parts)

    def _is_candidate(self, path: Path) -> bool:
        if self._skipped(path) or not is_regular_file(path):
            return False
        stuck = self._stuck.get(path)
        if stuck is not None:
            try:
                st = path.stat()
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns) == stuck:
                return False
            del self._stuck[path]
        return True

    def candidates(self, under: Path | None = None) -> list[Path]:
        """Files that may be documents, under the inbox (sub-folders included; a folder is
        never a document, whatever its name: ``x.pdf/`` is walked like any folder)."""
        return [p for p in walk(under or self.inbox) if self._is_candidate(p)]

    # ------------------------------------------------------------------ taking files
    def take_batch(self, paths: list[Path]) -> None:
        changed = False
        for p in paths:
            if self._stop.is_set():
                return  # the rest stay in the inbox for the next start
            try:
                outcome = self.take(p)
            except Cancelled:
                log.info("stopping: %s stays in the inbox", self._rel(p))
                return
            except OSError as e:
                self._stick(p, e)
                continue
            except sqlite3.OperationalError as e:  # another writer held the database too long
                log.warning("database busy (%s): %s stays in the inbox and is taken again", e, self._rel(p))
                self.tracker.observe(p)
                continue
            changed |= outcome in ("ingested", "stored")
        if changed:
            t0 = time.perf_counter()
            self.pipe.link_batch()
            log.info("linked: citations, revised reports and evidence updated in %.1f s",
                     time.perf_counter() - t0)
        self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def take(self, path: Path) -> str:
        """Take one settled file; returns ingested | stored | duplicate | failed | changed | gone."""
        started = store.now()
        try:
            before = path.stat()
            sha = sha256_file(path)
            after = path.stat()
        except FileNotFoundError:
            return "gone"
        if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
            self.tracker.observe(path)  # still being written after all
            return "changed"
        doc = self._document(sha)
        if doc is not None:
            return self._known(path, sha, doc, started)
        log.info("taken: %s (%s, sha256 %s…)", self._rel(path), _size(after.st_size), sha[:12])
        t0 = time.perf_counter()
        out = self.pipe.ingest_new(path, sha, log_path=str(path), cancel=self._stop.is_set)
        if out.outcome == "ingested":
            doc = self._document(sha)
            target = self.files.put(path, sha, doc["format"])
            self._set_stored(sha, target)
            log.info("stored: %s → %s (%s %s, %.1f s)", self._rel(path), self._rel(target),
                     doc["kind"] or "document", doc["number"] or doc["title"] or "", time.perf_counter() - t0)
            return "ingested"
        target = self.pipe.quarantine_file(path, sha, out.stage, out.error, move=True)
        log.warning("failed: %s: %s: %s → %s", self._rel(path), out.stage, out.error, self._rel(target))
        return "failed"

    def _known(self, path: Path, sha: str, doc: dict, started: str) -> str:
        """A file whose bytes are already a document."""
        if doc["stored_path"] is None and self._ingested_from(sha) == str(path):
            # the very file we ingested: the run died between the commit and the move
            target = self.files.put(path, sha, doc["format"])
            self._set_stored(sha, target)
            log.info("stored: %s → %s (finishing an interrupted move)", self._rel(path), self._rel(target))
            return "stored"
        store.log(self.db, path=str(path), filename=path.name, sha256=sha, started_at=started,
                  outcome="duplicate", stage="dedupe", document_id=sha)
        target = self.files.put(path, sha, doc["format"])
        if doc["stored_path"] is None:
            self._set_stored(sha, target)
        log.info("duplicate: %s is document %s… (first received as %s); removed from the inbox, "
                 "the original is kept at %s", self._rel(path), sha[:12], doc["filename"], self._rel(target))
        return "duplicate"

    def _stick(self, path: Path, e: OSError) -> None:
        try:
            st = path.stat()
            self._stuck[path] = (st.st_size, st.st_mtime_ns)
        except OSError:
            pass
        log.error("cannot take %s: %s (left in the inbox; retried when it changes or on restart)",
                  self._rel(path), e.strerror or e)

    # ------------------------------------------------------------------ reconciliation
    def reconcile(self) -> None:
        """Make the store and the database agree after whatever happened before this start."""
        for p in self.files.clean_partials():
            log.info("removed a half-copied file left by an interrupted move: %s", self._rel(p))
        changed = False
        for sha, path in list(self.files.files()):
            if self._document(sha) is not None:
                continue
            changed = True
            if sha256_file(path) != sha:
                reason = "stored file is damaged: its bytes do not match its name"
                store.log(self.db, path=str(path), filename=path.name, sha256=sha, started_at=store.now(),
                          outcome="failed", stage="store", error=reason)
                target = self.pipe.quarantine_file(path, sha, "store", reason, move=True)
                log.warning("failed: %s: store: %s → %s", self._rel(path), reason, self._rel(target))
                continue
            log.info("re-ingesting %s: in the store but not in the database", self._rel(path))
            out = self.pipe.ingest_new(path, sha, log_path=str(path), stored_path=self._stored_name(path))
            if out.outcome == "failed":
                target = self.pipe.quarantine_file(path, sha, out.stage, out.error, move=True)
                log.warning("failed: %s: %s: %s → %s", self._rel(path), out.stage, out.error, self._rel(target))
        for row in list(self.db.query("select id, stored_path from documents")):
            found = self.files.find(row["id"])
            if found is not None and row["stored_path"] != self._stored_name(found):
                self._set_stored(row["id"], found)
            elif found is None and row["stored_path"] is not None:
                log.warning("document %s… is recorded at %s, which is missing from the store",
                            row["id"][:12], row["stored_path"])
        if changed or self.db["documents"].count:
            self.pipe.link_batch()

    # ------------------------------------------------------------------ helpers
    def _document(self, sha: str) -> dict | None:
        rows = list(self.db.query("select id, filename, format, kind, number, title, stored_path "
                                  "from documents where id = ?", [sha]))
        return rows[0] if rows else None

    def _ingested_from(self, sha: str) -> str | None:
        row = self.db.execute("select path from ingest_log where sha256 = ? and outcome = 'ingested' "
                              "order by id desc limit 1", [sha]).fetchone()
        return row[0] if row else None

    def _stored_name(self, target: Path) -> str:
        return os.path.relpath(target, self.outputs)

    def _set_stored(self, sha: str, target: Path) -> None:
        with self.db.atomic():
            self.db.execute("UPDATE documents SET stored_path = ? WHERE id = ?", [self._stored_name(target), sha])

    def _rel(self, path: Path | None) -> str:
        if path is None:
            return "-"
        for base in (self.inbox, self.outputs):
            try:
                return f"{base.name}/{Path(path).relative_to(base)}"
            except ValueError:
                continue
        return str(path)


def _lock(db_path: Path) -> int:
    """One watcher per database: an exclusive lock the kernel drops when the process dies."""
    lock = db_path.with_name(db_path.name + ".watch.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        if e.errno in (errno.EAGAIN, errno.EACCES):
            raise WatchError(f"another watcher (pid {holder or '?'}) is already using {db_path}") from None
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"
