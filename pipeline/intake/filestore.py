"""The content-addressed store of originals: ``outputs/store/<sha[:2]>/<sha>.<ext>``.

Each ingested original is kept once, named by the SHA-256 of its bytes, so the name says
what the file must contain and a second copy of the same bytes has nowhere to go. Moves
are crash-safe: a file is either still at its source or complete at its target, never
half-written under its final name (a copy goes to a ``.partial-*`` name first, is synced
to disk, then renamed; a rename on one filesystem is atomic).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from pipeline.read import sha256_file

PARTIAL = ".partial-"
_NAME = re.compile(r"^([0-9a-f]{64})\.([a-z0-9]{1,8})$")


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha: str, ext: str) -> Path:
        return self.root / sha[:2] / f"{sha}.{ext.lower().lstrip('.') or 'bin'}"

    def find(self, sha: str) -> Path | None:
        """The stored file for a sha, whatever its extension."""
        folder = self.root / sha[:2]
        if not folder.is_dir():
            return None
        for p in folder.iterdir():
            m = _NAME.match(p.name)
            if m and m.group(1) == sha and p.is_file():
                return p
        return None

    def files(self) -> Iterator[tuple[str, Path]]:
        """(sha, path) of every complete stored file."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and len(folder.name) == 2:
                for p in sorted(folder.iterdir()):
                    m = _NAME.match(p.name)
                    if m and p.is_file():
                        yield m.group(1), p

    def clean_partials(self) -> list[Path]:
        """Remove copies a crash left half-done (their sources are still where they were)."""
        removed = []
        if self.root.is_dir():
            for p in self.root.glob(f"*/*{PARTIAL}*"):
                p.unlink(missing_ok=True)
                removed.append(p)
        return removed

    def put(self, src: Path, sha: str, ext: str) -> Path:
        """Move ``src`` (whose bytes hash to ``sha``) into the store and return where it is.

        If the store already holds these bytes, ``src`` is removed only after the stored
        copy has been read back and found to hash to ``sha``; a damaged stored copy is
        replaced by ``src``."""
        target = self.path_for(sha, ext)
        existing = self.find(sha)
        if existing is not None:
            if sha256_file(existing) == sha:
                Path(src).unlink()
                return existing
            existing.unlink()  # damaged: the new copy takes its place
        move(Path(src), target)
        return target


def move(src: Path, target: Path) -> None:
    """Move a file crash-safely: the target appears complete or not at all, and the
    source disappears only after the target is on disk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        _fsync_file(src)
        os.replace(src, target)  # same filesystem: atomic
    except OSError as e:
        if e.errno != errno.EXDEV:  # another filesystem: copy instead
            raise
        tmp = target.with_name(target.name + PARTIAL + str(os.getpid()))
        shutil.copyfile(src, tmp)
        shutil.copystat(src, tmp)
        _fsync_file(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
        src.unlink()
        _fsync_dir(src.parent)
        return
    _fsync_dir(target.parent)
    _fsync_dir(src.parent)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
