"""Resolve a written name to a gazetteer body: exact, then folded key, then fuzzy.

``resolve`` takes a whole name ("Phòng LĐ-TB&XH"); ``locate`` finds the best body name
inside a longer text and says where it sits (rapidfuzz's ``partial_ratio_alignment``
on a length-preserving fold, so its offsets are offsets into the given text).
Every answer records its method and score; an unmatched name keeps body_id None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml
from rapidfuzz import fuzz, process

from gazetteer.model import Gazetteer
from pathlib import Path

from pipeline.core.textnorm import fold, fold_keep_length, squash, unify_tones

FUZZY_CUTOFF = 90.0  # fuzz.ratio on folded keys; below this a name stays unmatched
# The jurisdiction of a document whose place this gazetteer does not cover ("ỦY BAN NHÂN DÂN
# TỈNH QUẢNG NAM" read with a Cao Bằng gazetteer): only national bodies, and bodies a name
# states the place of, are candidates; "Công an tỉnh" there is not Cao Bằng's.
ELSEWHERE = "@elsewhere"
LEVEL_WORDS = Path(__file__).resolve().parent / "data" / "place_words.yml"


@lru_cache(maxsize=1)
def level_words() -> tuple[str, ...]:
    """The words that put a place name after them (data: place_words.yml), longest first."""
    words = yaml.safe_load(LEVEL_WORDS.read_text(encoding="utf-8"))["level_words"]
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern:
    """A level word (data: place_words.yml) followed by a capitalised place name."""
    words = level_words()
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    cap = r"[A-ZĐÀ-ỸÂÊÔƠƯĂ][^\s,.;:()/]*"
    return re.compile(rf"(?i:\b(?:{alt}))\s+((?:{cap})(?:\s+{cap})*)")


@lru_cache(maxsize=1)
def _not_place_words() -> frozenset[str]:
    data = yaml.safe_load(LEVEL_WORDS.read_text(encoding="utf-8"))
    return frozenset(fold(w) for w in data.get("not_place_words") or ())


def places_named(text: str) -> tuple[str, ...]:
    """Folded names of the places a text states with a level word: "UBND xã Đàm Thủy" →
    ("dam thuy",); "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM" → ("quang nam",); "UBND huyện" → ();
    "XÃ HỘI" → () (not_place_words)."""
    out = []
    for m in _place_pattern().finditer(text):
        name = fold(m.group(1))
        if name.split()[0] not in _not_place_words():
            out.append(name)
    return tuple(out)


def covered(place: str, places) -> bool:
    """Whether a stated place is one of ``places``; an upper-case line may run on after the
    name ("HÀ QUẢNG PHÒNG NỘI VỤ"), so a known name followed by more words counts."""
    return any(place == k or place.startswith(k + " ") for k in places)


@dataclass(frozen=True)
class Resolution:
    surface: str
    body_id: str | None
    score: float
    method: str  # exact | folded | fuzzy | ambiguous | none
    alias: str | None = None
    start: int = 0
    end: int = 0
    note: str | None = None  # why a name stayed unresolved (another place, ambiguous, …)


class Matcher:
    def __init__(self, gazetteer: Gazetteer, fuzzy_cutoff: float = FUZZY_CUTOFF) -> None:
        self.gazetteer = gazetteer
        self.cutoff = fuzzy_cutoff
        self._exact: dict[str, set[str]] = {}
        self._folded: dict[str, set[str]] = {}
        self._alias_of_key: dict[str, str] = {}
        self._district = {b.id: b.district for b in gazetteer.bodies}
        self._level = {b.id: b.level for b in gazetteer.bodies}
        # the places each body's own names state ("Ủy ban nhân dân xã Đàm Thủy" → dam thuy), and
        # every place this gazetteer covers (a name stating any other place is never one of ours)
        # and the places it belongs to (its district's and province's names), so that
        # "Văn phòng UBND tỉnh Cao Bằng" may be a body whose own names say only "tỉnh"
        district_names = {d.get("id"): fold(d["name"]) for d in gazetteer.districts if d.get("name")}
        provinces = {fold(d["province"]) for d in gazetteer.districts if d.get("province")}
        self._places = {}
        for b in gazetteer.bodies:
            own = {p for n in b.names for p in places_named(n)}
            if b.level != "national":
                own |= provinces
            if b.district in district_names:
                own.add(district_names[b.district])
            self._places[b.id] = own
        self.known_places = set().union(*self._places.values())
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
        stated = places_named(surface)
        if stated and not any(covered(p, self.known_places) for p in stated):
            return Resolution(surface, None, 0.0, "none", None, 0, n,
                              f"names a place this gazetteer does not cover: {', '.join(stated)}")

        def scope(ids):
            if stated:  # a name that states its place is that place's body, whatever the document's
                return {i for i in ids if all(covered(p, self._places[i]) for p in stated)}
            if district == ELSEWHERE:
                return {i for i in ids if self._level[i] == "national"}
            return {i for i in ids if district is None or self._district[i] in (district, None)}

        ids = scope(self._exact.get(_exact_key(surface), ()))
        if ids:
            return self._answer(surface, ids, 100.0, "exact", surface, 0, n, district)
        key = fold(surface)
        ids = scope(self._folded.get(key, ()))
        if ids:
            return self._answer(surface, ids, 100.0, "folded", self._alias_of_key[key], 0, n, district)
        for k, score, _ in process.extract(key, self._keys, scorer=fuzz.ratio, score_cutoff=self.cutoff, limit=8):
            if _crosses_place(self._alias_of_key[k], key) or k.split()[:1] != key.split()[:1]:
                continue  # "xã Dân Lực" is not "xã Đức Hồng", nor "Sở Tư pháp" "Bộ Tư pháp"
            ids = scope(self._folded[k])
            if ids:
                return self._answer(surface, ids, float(score), "fuzzy", self._alias_of_key[k], 0, n, district)
        note = "not a body of this document's place" if district == ELSEWHERE else None
        return Resolution(surface, None, 0.0, "none", None, 0, n, note)

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
            if al is None or _crosses_place(self._alias_of_key[key], fold(text[al.dest_start:al.dest_end])):
                continue
            better = (best is None or al.score > best.score
                      or (al.score == best.score and len(key) > len(fold(best.alias or ""))))
            if better:
                best = self._answer(text[al.dest_start:al.dest_end], self._folded[key], float(al.score),
                                    "fuzzy" if al.score < 100 else "folded", self._alias_of_key[key],
                                    al.dest_start, al.dest_end, district)
        return best or Resolution(text, None, 0.0, "none", None, 0, len(text))


def _crosses_place(alias: str, folded_surface: str) -> bool:
    """Whether matching ``alias`` to a surface would bridge two place names: the alias states
    a place (``places_named``) that the surface does not contain."""
    return any(p not in folded_surface for p in places_named(alias))


def _exact_key(name: str) -> str:
    return squash(unify_tones(name)).casefold()
