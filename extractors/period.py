"""The period a document covers, from its title: "6 tháng đầu năm 2023" → "2023-H1",
"năm 2023" → "2023", "quý II/2024" → "2024-Q2"."""

from __future__ import annotations

import re

from extractors import patterns

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def find(title: str | None) -> str | None:
    if not title:
        return None
    for entry in patterns.load("period")["periods"]:
        m = re.search(entry["regex"], title)
        if not m:
            continue
        g = m.groupdict()
        values = {"y": g["y"]}
        if g.get("q"):
            values["q"] = _ROMAN.get(g["q"].upper(), None) or int(g["q"])
        if g.get("m"):
            values["m"] = int(g["m"])
        return entry["period"].format(**values)
    return None
