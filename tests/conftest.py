"""Shared fixtures: the corpus, its gold, the gazetteer, and one database built from the
corpus for the whole session (a real SQLite file made by the real pipeline)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "documents"
GOLD = ROOT / "corpus" / "gold"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "seed_plan_95.txt"


def gold_files(corpus_set: str = "cao-bang") -> list[dict]:
    """The gold of one corpus set (``"set"`` in each gold file; the first set has none)."""
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]
    return [g for g in golds if g.get("set", "cao-bang") == corpus_set]


def corpus_files(corpus_set: str = "cao-bang") -> list[Path]:
    return [CORPUS / g["file"] for g in gold_files(corpus_set)]


@pytest.fixture(scope="session")
def gazetteer():
    from gazetteer import load

    return load()


@pytest.fixture(scope="session")
def matcher(gazetteer):
    from gazetteer import Matcher

    return Matcher(gazetteer)


@pytest.fixture(scope="session")
def corpus_extract():
    """Extract a corpus file once per test session (OCR, LibreOffice and all): the session's
    database and the scoring against the gold both use these extractions."""
    from pipeline.extract import Extractor

    ex, done = Extractor(), {}

    def extract(path, sha=None):
        key = Path(path).resolve()
        if key not in done:
            done[key] = ex.extract(path, sha)
        return done[key]

    return extract


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory, corpus_extract):
    """outputs-like folder with plantrace.db ingested from the corpus (its first set)."""
    from pipeline.intake.ingest import Pipeline

    out = tmp_path_factory.mktemp("outputs")
    pipe = Pipeline(out / "plantrace.db", extract=corpus_extract)
    summary = pipe.ingest(corpus_files())
    assert summary.count("failed") == 0, [o.error for o in summary.outcomes if o.outcome == "failed"]
    return out / "plantrace.db"


# Tests that need the ingested corpus, a server, OCR, LibreOffice, a browser or a watcher take
# seconds each: marked slow here, in one place, so `make test-fast` can leave them out while
# `make test` runs everything.
SLOW_FIXTURES = {"corpus_db", "corpus_extract", "server", "hostile"}
SLOW_MODULES = {"test_browser", "test_watch", "test_watch_slow_copy", "test_concurrency", "test_ocr",
                "test_convert", "test_eval", "test_crosscheck", "test_install"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def text_doc(text: str, name: str = "snippet.txt"):
    """A SourceDoc made from a string by the plain-text reader."""
    from pipeline.read.txt import parse_text

    return parse_text(text, "test-" + name, name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(corpus_db):
    """A real Datasette serving the corpus database on a free loopback port."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--db", str(corpus_db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("datasette did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=20)
