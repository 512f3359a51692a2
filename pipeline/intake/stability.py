"""Is this file finished being written?

A file dropped into the inbox may still be growing: a copy over the network, a browser
download, a scanner writing page after page. ``StabilityTracker`` answers "yes" only once a
file's size and modification time have stayed the same for ``delay`` seconds, measured on
a monotonic clock. It stats files only when asked (``observe`` and ``ready``), so one
tracker serves filesystem events and polling alike.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Seen:
    """What a file looked like, and since when it has looked like that."""

    size: int
    mtime_ns: int
    since: float


class StabilityTracker:
    """Files under watch, each with the (size, mtime) it had and since when."""

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic) -> None:
        if delay < 0:
            raise ValueError("delay must be >= 0")
        self.delay = delay
        self.clock = clock
        self._seen: dict[Path, Seen] = {}

    def __len__(self) -> int:
        return len(self._seen)

    def __contains__(self, path: Path) -> bool:
        return Path(path) in self._seen

    def observe(self, path: Path) -> None:
        """Look at a file now: a new size or mtime restarts its quiet period; a file that is
        gone (or is not a regular file) is forgotten."""
        path = Path(path)
        try:
            st = os.stat(path)
        except OSError:
            self._seen.pop(path, None)
            return
        if not stat.S_ISREG(st.st_mode):
            self._seen.pop(path, None)
            return
        old = self._seen.get(path)
        if old is None or (old.size, old.mtime_ns) != (st.st_size, st.st_mtime_ns):
            self._seen[path] = Seen(st.st_size, st.st_mtime_ns, self.clock())

    def observe_all(self, paths: Iterable[Path]) -> None:
        for p in paths:
            self.observe(p)

    def forget(self, path: Path) -> None:
        self._seen.pop(Path(path), None)

    def ready(self) -> list[Path]:
        """Re-stat every tracked file; return (and stop tracking) those unchanged for
        ``delay`` seconds, oldest first."""
        for path in list(self._seen):
            self.observe(path)
        now = self.clock()
        done = sorted((s.since, str(p), p) for p, s in self._seen.items() if now - s.since >= self.delay)
        for _, _, p in done:
            del self._seen[p]
        return [p for _, _, p in done]

    def next_due(self) -> float | None:
        """Seconds until the earliest tracked file could be ready (None if none tracked)."""
        if not self._seen:
            return None
        now = self.clock()
        return max(0.0, min(s.since for s in self._seen.values()) + self.delay - now)
