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


def gold_files() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]


@pytest.fixture(scope="session")
def gazetteer():
    from gazetteer import load

    return load()


@pytest.fixture(scope="session")
def matcher(gazetteer):
    from gazetteer import Matcher

    return Matcher(gazetteer)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """outputs-like folder with plantrace.db ingested from corpus/documents."""
    from pipeline.ingest import Pipeline

    out = tmp_path_factory.mktemp("outputs")
    pipe = Pipeline(out / "plantrace.db")
    summary = pipe.ingest([CORPUS])
    assert summary.count("failed") == 0, [o.error for o in summary.outcomes if o.outcome == "failed"]
    return out / "plantrace.db"


def text_doc(text: str, name: str = "snippet.txt"):
    """A SourceDoc made from a string by the plain-text reader."""
    from pipeline.read_txt import parse_text

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
