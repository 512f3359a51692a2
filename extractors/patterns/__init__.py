"""Pattern tables as data: YAML files beside this module, loaded by name.

Each regex entry may carry ``examples`` and ``counter_examples``; the test suite runs
them all, so a pattern and its documentation cannot drift apart.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    return yaml.safe_load((HERE / f"{name}.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def regex(name: str, key: str) -> re.Pattern:
    entry = load(name)[key]
    return re.compile(entry["regex"] if isinstance(entry, dict) else entry)


def examples(name: str) -> list[tuple[str, str, str, bool]]:
    """(table, key, text, should_match) for every example in a pattern file."""
    out = []
    for key, entry in load(name).items():
        if isinstance(entry, dict) and "regex" in entry:
            out += [(name, key, ex, True) for ex in entry.get("examples", [])]
            out += [(name, key, ex, False) for ex in entry.get("counter_examples", [])]
    return out
