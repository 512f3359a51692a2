"""Every example and counter-example written beside a pattern in extractors/patterns/*.yml."""

import re

import pytest

from extractors import patterns

CASES = [c for name in sorted(p.stem for p in patterns.HERE.glob("*.yml")) for c in patterns.examples(name)]


@pytest.mark.parametrize("table, key, text, should_match", CASES, ids=[f"{c[0]}.{c[1]}:{c[2][:30]}" for c in CASES])
def test_pattern_examples(table, key, text, should_match):
    entry = patterns.load(table)[key]
    assert bool(re.search(entry["regex"], text)) == should_match


def _list_entries():
    for name in sorted(p.stem for p in patterns.HERE.glob("*.yml")):
        for key, entry in patterns.load(name).items():
            if isinstance(entry, list):
                for item in entry:
                    if isinstance(item, dict) and "regex" in item:
                        for ex in item.get("examples", []):
                            yield name, key, item["regex"], ex, True
                        for ex in item.get("counter_examples", []):
                            yield name, key, item["regex"], ex, False


LIST_CASES = list(_list_entries())


@pytest.mark.parametrize("table, key, rx, text, should_match", LIST_CASES,
                         ids=[f"{c[0]}.{c[1]}:{c[3][:30]}" for c in LIST_CASES])
def test_pattern_list_examples(table, key, rx, text, should_match):
    assert bool(re.search(rx, text)) == should_match
