"""The one folder walker: which files under a folder may be documents.

Used by ``ingest`` (folders named on the command line) and by the watcher (the inbox), so
both take the same files: regular files only — a folder is walked, never taken, whatever its
name (``x.pdf/``); a symbolic link is never followed, to a file or to a folder — and never
temporary, lock or system files, nor anything under a hidden folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

IGNORED_PREFIXES = ("~$", ".", "._")
IGNORED_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".filepart", ".error.txt", ".swp",
                    "~")
IGNORED_NAMES = {"Thumbs.db", "desktop.ini", ".DS_Store"}


def is_ignored(path: Path) -> bool:
    """Temporary, lock and system files that are never documents."""
    name = Path(path).name
    return (name in IGNORED_NAMES or name.startswith(IGNORED_PREFIXES)
            or name.lower().endswith(IGNORED_SUFFIXES))


def is_regular_file(path: Path) -> bool:
    """A regular file, not reached through a symbolic link (lstat: the link itself)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def walk(root: Path) -> list[Path]:
    """The files under ``root`` that may be documents, in a stable order."""
    out: list[Path] = []
    for folder, dirs, names in os.walk(root):  # followlinks=False: linked folders are not entered
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
        for name in sorted(names):
            p = Path(folder) / name
            if not is_ignored(p) and is_regular_file(p):
                out.append(p)
    return out
