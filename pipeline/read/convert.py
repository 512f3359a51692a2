"""Legacy Word (.doc) and RTF files: converted to DOCX by LibreOffice, then read as DOCX.

    soffice --headless --infilter="MS Word 97" --convert-to "docx:MS Word 2007 XML" --outdir TMP FILE

(the Word 2007 export filter: the default OOXML one writes alignments python-docx rejects).

Each call gets its own LibreOffice profile (``-env:UserInstallation``) in a temporary
folder, so conversions never share or lock a profile, and a time limit; the whole process
group is killed when it is exceeded. The SourceDoc keeps the original format ("doc",
"rtf") and file name. The command is ``$PLANTRACE_SOFFICE`` if set, else ``soffice`` (or
``libreoffice``) on the PATH.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from pipeline.read import docx
from pipeline.core.errors import ReadError
from pipeline.core.models import SourceDoc

ENV_COMMAND = "PLANTRACE_SOFFICE"
ENV_TIMEOUT = "PLANTRACE_CONVERT_TIMEOUT"
TIMEOUT = 120.0  # seconds; a first run also builds the fresh profile (a few seconds)
NAMES = {"doc": "legacy Word .doc", "rtf": "RTF"}
# The import filter is named: left to guess, LibreOffice reads a damaged .doc as plain text.
IMPORT_FILTERS = {"doc": "MS Word 97", "rtf": "Rich Text Format"}


def command() -> str | None:
    configured = os.environ.get(ENV_COMMAND)
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(path: Path, workdir: Path, fmt: str = "doc", timeout: float | None = None) -> Path:
    """Convert ``path`` into ``workdir``; the DOCX's path, or ReadError with a one-line reason."""
    what = NAMES.get(fmt, fmt)
    cmd = command()
    if cmd is None:
        raise ReadError(f"{what} file needs LibreOffice to be converted (install libreoffice-writer-nogui)")
    timeout = timeout or float(os.environ.get(ENV_TIMEOUT) or TIMEOUT)
    source = workdir / f"source.{fmt}"  # a plain name: LibreOffice names its output after the input
    shutil.copyfile(path, source)
    outdir = workdir / "out"
    outdir.mkdir()
    args = [cmd, f"-env:UserInstallation={(workdir / 'profile').as_uri()}", "--headless", "--norestore",
            "--nologo", "--nolockcheck", f"--infilter={IMPORT_FILTERS.get(fmt, IMPORT_FILTERS['doc'])}",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(source)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            start_new_session=True, env={**os.environ, "HOME": str(workdir)})
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise ReadError(f"{what} conversion by LibreOffice took more than {timeout:g} s") from None
    finally:
        _kill(proc)  # soffice may leave a child behind
    result = outdir / "source.docx"
    if proc.returncode != 0 or not result.exists() or result.stat().st_size == 0:
        said = " ".join((out + err).decode("utf-8", "replace").split())
        reason = next((s.strip() for s in said.split("Error:")[1:2]), "") or said[:160] or f"exit code {proc.returncode}"
        raise ReadError(f"{what} file could not be converted by LibreOffice ({reason.rstrip('.')})")
    return result


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def parse(path: Path, doc_id: str, filename: str | None = None, fmt: str = "doc") -> SourceDoc:
    """Read a .doc or .rtf file through a DOCX converted from it."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="plantrace-convert-") as tmp:
        converted = to_docx(path, Path(tmp), fmt)
        try:
            doc = docx.parse(converted, doc_id, filename or path.name)
        except ReadError as e:
            raise ReadError(f"{NAMES.get(fmt, fmt)} file converted to DOCX, but: {e}") from e
    return replace(doc, format=fmt)
