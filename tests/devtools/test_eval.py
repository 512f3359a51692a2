"""The extractors scored against the hand-checked gold of the whole corpus (both plans and
every report). Prints the same table as ``make eval``; fails below the promised floors."""

import pytest

from devtools.evaluate import FLOORS, check, evaluate, report


@pytest.fixture(scope="module")
def result(corpus_extract):
    r = evaluate(extract=corpus_extract)  # the session's extractions: the corpus is processed once
    print("\n" + report(r))
    return r


@pytest.mark.parametrize("extractor, measure, floor", [(e, m, f) for e, fl in FLOORS.items() for m, f in fl])
def test_floor(result, extractor, measure, floor):
    s = result["scores"][extractor]
    assert getattr(s, measure) >= floor, s.misses[:20]


def test_every_header_field_is_right_on_the_whole_corpus(result):
    wrong = {f: (right, total) for f, (right, total) in result["header"].items() if right != total}
    assert not wrong, [m for m in result["scores"]["header"].misses]


def test_reporting_obligations_are_exact(result):
    s = result["scores"]["reporting obligations"]
    assert (s.fp, s.fn) == (0, 0), s.misses


def test_check_names_unmet_floors(result):
    assert check(result) == []


@pytest.fixture(scope="module")
def cross(corpus_db):
    from devtools.evaluate import evaluate_crosscheck, report_crosscheck

    r = evaluate_crosscheck(thresholds=[0.16], db_path=corpus_db)  # the session's database, not a new ingest
    print(report_crosscheck(r))
    return r


def test_evidence_links_meet_the_floor(cross):
    assert cross["links"].f1 >= 0.85, cross["links"].misses[:20]


def test_task_status_accuracy_meets_the_floor(cross):
    right, total, misses = cross["status"]
    assert right / total >= 0.90, misses


def test_missing_and_late_reports_are_flagged_exactly(cross):
    missing, extra, _ = cross["reporting"]
    assert (missing, extra) == ([], [])
