"""Extract one file in a worker process with a wall-clock and a memory limit.

A pathological file — a zip bomb that lies about its sizes, a PDF that makes pdfminer loop,
an XML entity expansion — must not hang or kill the process that owns the database. So
``Sandbox.extract`` runs ``Extractor.extract`` in a child process:

- the child gets ``RLIMIT_AS`` (address space) of ``Limits.memory_mb``: past it allocations
  fail and the file fails with "exceeded memory limit (N MiB)";
- the parent waits at most ``Limits.seconds``, then kills the child: "exceeded N s";
- a child that dies any other way gives "worker process died (SIGSEGV)" and the like;
- the child dies with its parent (``PR_SET_PDEATHSIG`` on Linux), so killing the watcher
  leaves no orphan working on.

The child only extracts; the parent writes the database. Children are forked from a
``forkserver`` that has imported the stages and run them once on a small text (see
``pipeline.intake._sandbox_preload``), so each file pays milliseconds, not seconds, to start.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.core.errors import PlantraceError
from pipeline.core.settings import Limits, Settings

POLL = 0.2  # seconds between checks of the cancel flag while a worker runs
MEMORY_SLACK_MB = 32  # a failure with the address space this close to the limit is the limit's doing

PR_SET_PDEATHSIG = 1

_default_extractor = None  # built once in the forkserver by warm(), inherited by every worker


class Cancelled(Exception):
    """The caller asked to stop while a worker was running (the worker has been killed)."""


def failure(stage: str, reason: str) -> PlantraceError:
    e = PlantraceError(reason)
    e.stage = stage
    return e


class Sandbox:
    """Runs ``Extractor.extract`` for one file at a time in a bounded child process."""

    def __init__(self, limits: Limits = Limits(), gazetteer=None, settings: Settings | None = None) -> None:
        self.limits = limits
        self.gazetteer = gazetteer  # None: the settings' gazetteer (the default one is prebuilt in the forkserver)
        self.settings = settings or Settings()
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            # BLAS thread pools in a process that forks are trouble, and useless here
            os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
            self._ctx.set_forkserver_preload(["pipeline.intake._sandbox_preload"])

    def start(self) -> None:
        """Start (and warm) the forkserver now, in the background, rather than at the first file."""
        if self._ctx.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()

    def extract(self, path: Path, doc_id: str, cancel: Callable[[], bool] | None = None):
        """The file's Extraction; PlantraceError (with ``stage``) if it fails or exceeds a
        limit; Cancelled if ``cancel()`` turned true meanwhile."""
        parent, child = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_work, name="plantrace-worker", daemon=True,
                                 args=(child, str(path), doc_id, self.gazetteer, self.settings, self.limits.memory_mb))
        proc.start()
        child.close()
        stage = "read"
        answered = False  # the child sent its result and is on its way out
        deadline = time.monotonic() + self.limits.seconds
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise failure(stage, f"exceeded {self.limits.seconds:g} s")
                if cancel is not None and cancel():
                    raise Cancelled(str(path))
                if not parent.poll(min(left, POLL)):
                    continue
                try:
                    msg = parent.recv()
                except (EOFError, OSError):
                    proc.join(5)
                    raise failure(stage, _death(proc.exitcode, self.limits.memory_mb)) from None
                if msg[0] == "stage":
                    stage = msg[1]
                    continue
                answered = True
                if msg[0] == "ok":
                    return msg[1]
                raise failure(msg[1], msg[2])
        finally:
            parent.close()
            proc.join(5 if answered else 0)
            if proc.exitcode is None:
                _kill_group(proc)
                proc.join(10)
            proc.close()


def _kill_group(proc) -> None:
    """Kill the worker and whatever it started (tesseract, …): it leads its own group."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        proc.kill()


def _death(code: int | None, memory_mb: int) -> str:
    if code is None:
        return "worker process stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if -code == signal.SIGKILL:
            return f"worker process was killed (SIGKILL; over the {memory_mb} MiB memory limit?)"
        return f"worker process died ({name})"
    return f"worker process exited with status {code}"


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass  # a limit lower than what is already mapped: run unbounded rather than not at all


def _work(conn, path: str, doc_id: str, gazetteer, settings, memory_mb: int) -> None:
    """The child: extract, send ("ok", extraction) or ("error", stage, reason)."""
    _die_with_parent()
    try:
        os.setpgrp()  # a group of its own: a kill on timeout takes its helpers too
    except OSError:
        pass
    _limit_memory(memory_mb)
    stage = "read"
    too_big = f"exceeded memory limit ({memory_mb} MiB)"

    def on_stage(name: str) -> None:
        nonlocal stage
        stage = name
        send(("stage", name))

    def send(msg) -> None:
        try:
            conn.send(msg)
        except (BrokenPipeError, ConnectionError):
            os._exit(1)  # the parent is gone: nobody to answer

    try:
        try:
            x = extractor(gazetteer, settings).extract(Path(path), doc_id, on_stage=on_stage)
            send(("ok", x))
        except PlantraceError as e:
            reason = too_big if _out_of_memory(e, memory_mb) else (str(e).splitlines() or [type(e).__name__])[0]
            send(("error", getattr(e, "stage", stage), reason))
        except MemoryError:
            send(("error", stage, too_big))
        except RecursionError:
            send(("error", stage, "structure nested too deeply (RecursionError)"))
        except Exception as e:
            reason = too_big if _out_of_memory(e, memory_mb) else f"{type(e).__name__}: {e}".splitlines()[0][:300]
            send(("error", stage, reason))
    except MemoryError:  # pickling a huge result
        send(("error", stage, too_big))
    finally:
        conn.close()


def _out_of_memory(e: BaseException, memory_mb: int) -> bool:
    """Whether a failure came from the memory limit: a MemoryError anywhere in the chain of
    causes (readers wrap errors), or — for C libraries that report a refused allocation
    their own way (lxml, pdfminer's zlib) — an address space that reached the limit."""
    seen = 0
    while e is not None and seen < 20:
        if isinstance(e, MemoryError):
            return True
        e = e.__cause__ or e.__context__
        seen += 1
    return _peak_mb() >= memory_mb - MEMORY_SLACK_MB


def _peak_mb() -> float:
    """The largest address space this process has had (VmPeak), in MiB; 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def extractor(gazetteer=None, settings=None):
    """The Extractor for a gazetteer and settings: the prebuilt default one when they are the
    defaults (built in the forkserver by ``warm``, inherited by every worker)."""
    global _default_extractor
    from pipeline.core.settings import Settings
    from pipeline.extract import Extractor

    settings = settings or Settings()
    if gazetteer is not None or _extraction_settings(settings) != _extraction_settings(Settings()):
        return Extractor(gazetteer, settings)
    if _default_extractor is None:
        _default_extractor = Extractor(settings=settings)
    return _default_extractor


def _extraction_settings(s) -> tuple:
    """What of the settings changes an extraction (the rest is the parent's business)."""
    return (s.gazetteer, s.registry, s.matching)


WARM_UP = Path(__file__).resolve().parent / "warm_up.txt"


def warm_text(gazetteer) -> str:
    """A small report (warm_up.txt, no corpus text) headed and closed by the gazetteer's own
    names, touching every stage: header, outline, a body name, a citation, figures, a statement."""
    names = [b.name for b in gazetteer.bodies[:2]] or ["Ủy ban nhân dân"]
    return WARM_UP.read_text(encoding="utf-8").format(first=names[0].upper(), last=names[-1])


def warm() -> None:
    """Build the default Extractor and run every stage once (spaCy, patterns, caches), so
    processes forked afterwards start ready. Never raises: a cold start is only slower."""
    try:
        ex = extractor()
        with tempfile.TemporaryDirectory(prefix="plantrace-warm-") as tmp:
            sample = Path(tmp) / "warm.txt"
            sample.write_text(warm_text(ex.gazetteer), encoding="utf-8")
            ex.extract(sample, "warm")
    except Exception:
        pass
