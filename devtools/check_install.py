"""Install plantrace from a wheel into a fresh virtual environment outside the checkout, ingest
the bundled corpus with it, and check that the database is the same as the checkout's.

    python -m devtools.check_install        (make check-install; CI runs it)

This is what a secretariat's machine does (``pip install plantrace-….whl``): every data file the
runtime reads (pattern tables, legacy-encoding tables, gazetteer packs, Datasette metadata and
plugin) must be inside the wheel. Compared: every table's row count, each document's header
fields and status, the evidence links. Exit status 1 with the differences, else 0.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpus" / "documents"
COMPARED = ["select id, filename, kind, doc_type, number, title, issuer_body_id, issued_on, signer, period, status "
            "from documents order by id",
            "select task_id, statement_id, body_id from evidence order by 1, 2, 3",
            "select d.filename, c.number, c.legal_document_id from citations c join documents d "
            "on d.id = c.document_id order by 1, c.char_start"]


def run(*cmd, cwd=None) -> None:
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(map(str, cmd))}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")


def snapshot(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%fts%' "
            "and name not in ('ingest_log', 'sqlite_stat1', '_sqlite_migrations') order by name")]
        out = {f"rows in {t}": conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in tables}
        for sql in COMPARED:
            out[sql] = conn.execute(sql).fetchall()
    return out


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="plantrace-install-") as tmp:
        tmp = Path(tmp)
        print("building the wheel …", flush=True)
        # from a copy: setuptools reuses a build/ folder and would carry removed modules along
        src = tmp / "src"
        shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "outputs", "inbox",
                                                                 "*.egg-info", "__pycache__", "corpus"))
        run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp / "dist", src)
        wheel = next((tmp / "dist").glob("plantrace-*.whl"))
        print(f"installing {wheel.name} into a fresh venv outside the checkout …", flush=True)
        run(sys.executable, "-m", "venv", tmp / "venv")
        py = tmp / "venv" / "bin" / "python"
        run(py, "-m", "pip", "install", "--quiet", wheel)
        work = tmp / "elsewhere"
        work.mkdir()
        print("ingesting the corpus with the installed package …", flush=True)
        run(tmp / "venv" / "bin" / "plantrace", "ingest", DOCS, "--db", work / "installed.db", "--quiet", cwd=work)
        print("ingesting the corpus from the checkout …", flush=True)
        run(sys.executable, "-m", "pipeline", "ingest", DOCS, "--db", tmp / "checkout.db", "--quiet", cwd=ROOT)
        a, b = snapshot(work / "installed.db"), snapshot(tmp / "checkout.db")
        diff = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
        # the installed package must not be importing the checkout
        where = subprocess.run([py, "-c", "import pipeline, gazetteer; print(pipeline.__file__, gazetteer.__file__)"],
                               cwd=work, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""}).stdout
        if str(ROOT) in where:
            diff.append(f"the installed package imports the checkout: {where.strip()}")
    for k in diff:
        print(f"DIFFERS: {k[:120]}")
    print(f"installed package and checkout give the same database ({len(a)} checks)" if not diff
          else f"{len(diff)} differences")
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main())
