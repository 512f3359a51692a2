"""Shared fixtures: the corpus, its gold, the gazetteer, and one database built from the
corpus for the whole session (a real SQLite file made by the real pipeline)."""

from __future__ import annotations

import json
from pathlib import Path

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
