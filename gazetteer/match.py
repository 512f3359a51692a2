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
from pipeline.core.textnorm import fold, fold_keep_length, squash, unify_tones

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
        self._district = {b.id: b.district for b in gazetteer.bodies}
        for body in gazetteer.bodies:
            for name in body.names:
                self._exact.setdefault(_exact_key(name), set()).add(body.id)
                key = fold(name)
                self._folded.setdefault(key, set()).add(body.id)
                self._alias_of_key.setdefault(key, name)
        self._keys = list(self._folded)

    def _answer(self, surface, ids, score, method, alias, start, end, district=None) -> Resolution:
        if len(ids) > 1 and district:
            scoped = {i for i in ids if self._district[i] in (district, None)}
            ids = scoped or ids
        if len(ids) > 1:
            return Resolution(surface, None, score, "ambiguous", alias, start, end)
        return Resolution(surface, next(iter(ids)), score, method, alias, start, end)

    def resolve(self, surface: str, district: str | None = None) -> Resolution:
        """The body a whole name stands for; ``district`` settles names several districts share.

        With a district, bodies of other districts are not candidates at all: a name found
        only in another district falls through to the next, looser method.
        """
        n = len(surface)
        scope = lambda ids: {i for i in ids if district is None or self._district[i] in (district, None)}
        ids = scope(self._exact.get(_exact_key(surface), ()))
        if ids:
            return self._answer(surface, ids, 100.0, "exact", surface, 0, n, district)
        key = fold(surface)
        ids = scope(self._folded.get(key, ()))
        if ids:
            return self._answer(surface, ids, 100.0, "folded", self._alias_of_key[key], 0, n, district)
        for k, score, _ in process.extract(key, self._keys, scorer=fuzz.ratio, score_cutoff=self.cutoff, limit=8):
            ids = scope(self._folded[k])
            if ids:
                return self._answer(surface, ids, float(score), "fuzzy", self._alias_of_key[k], 0, n, district)
        return Resolution(surface, None, 0.0, "none", None, 0, n)

    @property
    def home_district(self) -> str | None:
        """The district of the gazetteer's own folder: the scope when a document names none."""
        return self.gazetteer.district.get("id")

    def district_of(self, body_id: str | None) -> str | None:
        return self._district.get(body_id) if body_id else None

    def district_named(self, place: str) -> str | None:
        """The district a place name belongs to: a district's own name or one of its communes'."""
        key = fold(place)
        for d in self.gazetteer.districts:
            if fold(d["name"]) == key:
                return d.get("id")
        hits = {b.district for b in self.gazetteer.bodies if b.kind == "ubnd_commune"
                and any(fold(a).endswith(" " + key) for a in b.names)}
        return hits.pop() if len(hits) == 1 else None

    def locate(self, text: str, district: str | None = None) -> Resolution:
        """The best body named somewhere inside ``text``, with where it is."""
        whole = self.resolve(text, district)
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
                                    al.dest_start, al.dest_end, district)
        return best or Resolution(text, None, 0.0, "none", None, 0, len(text))


def _exact_key(name: str) -> str:
    return squash(unify_tones(name)).casefold()
