"""Resolve a written name to a gazetteer body: exact, then folded key, then fuzzy.

``resolve`` takes a whole name ("Phòng LĐ-TB&XH"); ``locate`` finds the best body name
inside a longer text and says where it sits (rapidfuzz's ``partial_ratio_alignment``
on a length-preserving fold, so its offsets are offsets into the given text).
Every answer records its method and score; an unmatched name keeps body_id None.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from gazetteer.model import Gazetteer
from pipeline.textnorm import fold, fold_keep_length, squash, unify_tones

FUZZY_CUTOFF = 90.0  # fuzz.ratio on folded keys; below this a name stays unmatched


@dataclass(frozen=True)
class Resolution:
    surface: str
    body_id: str | None
    score: float
    method: str  # exact | folded | fuzzy | ambiguous | none
    alias: str | None = None
    start: int = 0
    end: int = 0


class Matcher:
    def __init__(self, gazetteer: Gazetteer, fuzzy_cutoff: float = FUZZY_CUTOFF) -> None:
        self.gazetteer = gazetteer
        self.cutoff = fuzzy_cutoff
        self._exact: dict[str, set[str]] = {}
        self._folded: dict[str, set[str]] = {}
        self._alias_of_key: dict[str, str] = {}
        for body in gazetteer.bodies:
            for name in body.names:
                self._exact.setdefault(_exact_key(name), set()).add(body.id)
                key = fold(name)
                self._folded.setdefault(key, set()).add(body.id)
                self._alias_of_key.setdefault(key, name)
        self._keys = list(self._folded)

    def _answer(self, surface, ids, score, method, alias, start, end) -> Resolution:
        if len(ids) > 1:
            return Resolution(surface, None, score, "ambiguous", alias, start, end)
        return Resolution(surface, next(iter(ids)), score, method, alias, start, end)

    def resolve(self, surface: str) -> Resolution:
        """The body a whole name stands for."""
        n = len(surface)
        ids = self._exact.get(_exact_key(surface))
        if ids:
            return self._answer(surface, ids, 100.0, "exact", surface, 0, n)
        key = fold(surface)
        if key in self._folded:
            return self._answer(surface, self._folded[key], 100.0, "folded", self._alias_of_key[key], 0, n)
        hit = process.extractOne(key, self._keys, scorer=fuzz.ratio, score_cutoff=self.cutoff)
        if hit:
            k, score, _ = hit
            return self._answer(surface, self._folded[k], float(score), "fuzzy", self._alias_of_key[k], 0, n)
        return Resolution(surface, None, 0.0, "none", None, 0, n)

    def locate(self, text: str) -> Resolution:
        """The best body named somewhere inside ``text``, with where it is."""
        whole = self.resolve(text)
        if whole.body_id:
            return whole
        hay = fold_keep_length(text)
        best: Resolution | None = None
        for key in self._keys:
            if len(key) < 6 or len(key) > len(hay) + 2:
                continue
            al = fuzz.partial_ratio_alignment(key, hay, score_cutoff=self.cutoff)
            if al is None:
                continue
            better = (best is None or al.score > best.score
                      or (al.score == best.score and len(key) > len(fold(best.alias or ""))))
            if better:
                best = self._answer(text[al.dest_start:al.dest_end], self._folded[key], float(al.score),
                                    "fuzzy" if al.score < 100 else "folded", self._alias_of_key[key],
                                    al.dest_start, al.dest_end)
        return best or Resolution(text, None, 0.0, "none", None, 0, len(text))


def _exact_key(name: str) -> str:
    return squash(unify_tones(name)).casefold()
