"""Deadlines: "trước ngày 15/6" → the 14th of June of the plan's year, "Quý II/2024" →
2024-06-30, "Tháng 6/2024" → 2024-06-30, "Năm 2024" → 2024-12-31; recurrence words
("thường xuyên", "hằng năm", "định kỳ") are kept apart from dates.

``strict`` is for running prose, where a bare date is usually an event, not a deadline:
only a date behind a "before"/"by" word counts there. A table's deadline cell is read
leniently: a quarter, a month, a year or a bare date is its deadline.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from extractors import patterns
from pipeline.core.textnorm import clean, fold

P = "dates"
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class Deadline:
    due_on: str | None
    recurrence: str | None
    start: int  # offsets into the text that was read
    end: int


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _words(key: str) -> list[str]:
    return sorted(patterns.load(P)[key], key=len, reverse=True)


def recurrence(text: str) -> str | None:
    key = f" {fold(text)} "
    for name, words in patterns.load("tasks")["recurrence"].items():
        if any(f" {fold(w)} " in key for w in words):
            return name
    return None


def find(text: str, default_year: int | None, strict: bool = True) -> Deadline | None:
    """The deadline a piece of text sets, if any."""
    t = clean(text)
    dmy = patterns.load(P)["day_month_year"]["regex"]
    long = patterns.load(P)["long_date"]["regex"]
    lead = "|".join(re.escape(w) for w in _words("before") + _words("by"))
    for m in re.finditer(rf"(?i)(?P<lead>{lead})\s*(?:{long}|{dmy.replace('(?P<d>', '(?P<d2>').replace('(?P<m>', '(?P<m2>').replace('(?P<y>', '(?P<y2>')})", t):
        d = int(m.group("d") or m.group("d2"))
        mo = int(m.group("m") or m.group("m2"))
        y = m.group("y") or m.group("y2") or default_year
        if not y:
            continue
        when = _date(int(y), mo, d)
        if when is None:
            continue
        if fold(m.group("lead")) in {fold(w) for w in _words("before")}:
            when -= timedelta(days=1)
        return Deadline(when.isoformat(), None, m.start(), m.end())
    if strict:
        return None
    m = re.search(patterns.load(P)["quarter"]["regex"], t)
    if m and (m.group("y") or default_year):
        q = _ROMAN.get(m.group("q").upper()) or int(m.group("q"))
        y = int(m.group("y") or default_year)
        last = _date(y, q * 3, calendar.monthrange(y, q * 3)[1])
        return Deadline(last.isoformat(), None, m.start(), m.end())
    m = re.search(patterns.load(P)["month"]["regex"], t)
    if m:
        y, mo = int(m.group("y")), int(m.group("m"))
        if 1 <= mo <= 12:
            return Deadline(date(y, mo, calendar.monthrange(y, mo)[1]).isoformat(), None, m.start(), m.end())
    m = re.search(patterns.load(P)["year"]["regex"], t)
    if m:
        return Deadline(f"{m.group('y')}-12-31", None, m.start(), m.end())
    m = re.search(long, t) or re.search(dmy, t)
    if m and (m.group("y") or default_year):
        when = _date(int(m.group("y") or default_year), int(m.group("m")), int(m.group("d")))
        if when:
            return Deadline(when.isoformat(), None, m.start(), m.end())
    return None
