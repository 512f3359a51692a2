"""The country's administrative units in both eras, from a maintained package.

Data: ``vietnamadminunits`` (pinned in pyproject.toml), which ships the official lists as a
SQLite file (``data/dataset.db``: ``admin_units_legacy`` — 63 provinces, their districts and
10,040 communes as they stood until 30/6/2025; ``admin_units`` — the 34 provinces and 3,321
communes from 1/7/2025) and the old→new conversion (``data/converter_2025.json``). Read
only; nothing is downloaded.

A unit's ``path`` is how gazetteer ids name it: the type and name of each level, folded
(lower case, no marks, đ→d, spaces→"-"), from the province down — "tinh-lao-cai",
"tinh-lao-cai/xa-bao-yen" (2025), "tinh-lao-cai/huyen-bao-yen/xa-xuan-thuong" (2020).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

from gazetteer.match import level_words
from pipeline.core.textnorm import fold, unify_tones

OLD, NEW = "2020", "2025"  # the three-level system (to 30/6/2025) and the two-level one


@dataclass(frozen=True)
class Unit:
    era: str  # 2020 | 2025
    level: str  # province | district | commune
    type: str  # tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn, đặc khu (lower case)
    name: str  # "Bảo Yên"
    code: str  # the official code
    path: str
    province: str  # the province's name
    district: str | None = None  # 2020 communes and districts: the district's name

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}"


def slug(type_: str, name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(f"{type_} {name}")).strip("-")


def _split(full: str) -> tuple[str, str]:
    """"Tỉnh Lào Cai" → ("tỉnh", "Lào Cai"): the unit type is a level word (place_words.yml),
    the longest that fits ("Thị trấn" before "Thị xã" before "Xã")."""
    for t in level_words():
        if full.lower().startswith(t.lower() + " "):
            return t.lower(), full[len(t) + 1:]
    return "", full


class _Paths:
    """Paths of units under their parents, with the code added where folded names collide."""

    def __init__(self) -> None:
        self._codes: dict[tuple[str, str], set[str]] = {}

    def add(self, era: str, parent: str, full: str, code: str) -> str:
        self._codes.setdefault((era, self._raw(parent, full)), set()).add(code)
        return self.path(era, parent, full, code) if len(self._codes[(era, self._raw(parent, full))]) > 1 \
            else self._raw(parent, full)

    def path(self, era: str, parent: str, full: str, code: str) -> str:
        raw = self._raw(parent, full)
        return f"{raw}-{code}" if len(self._codes.get((era, raw), ())) > 1 else raw

    @staticmethod
    def _raw(parent: str, full: str) -> str:
        t, n = _split(full)
        return f"{parent}/{slug(t, n)}" if parent else slug(t, n)


class Divisions:
    """Look-ups over the package's data; rows are read once, on first use."""

    def __init__(self) -> None:
        root = resources.files("vietnamadminunits") / "data"
        self._db = str(root / "dataset.db")
        self._converter = root / "converter_2025.json"

    def _rows(self, sql: str) -> list[sqlite3.Row]:
        conn = sqlite3.connect(f"file:{self._db}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    @cached_property
    def units(self) -> tuple[Unit, ...]:
        """Every unit of both eras. Folding can make two names of one parent alike ("Văn Lang"
        and "Vân Lãng"): their paths then end with the official code, so ids never merge them."""
        legacy = self._rows("select province, district, ward, provinceCode, districtCode, wardCode "
                            "from admin_units_legacy")
        new = self._rows("select province, ward, provinceCode, wardCode from admin_units")
        paths = _Paths()
        for r in legacy:
            p = paths.add(OLD, "", r["province"], r["provinceCode"])
            d = paths.add(OLD, p, r["district"], r["districtCode"])
            if r["ward"]:
                paths.add(OLD, d, r["ward"], r["wardCode"])
        for r in new:
            paths.add(NEW, paths.add(NEW, "", r["province"], r["provinceCode"]), r["ward"], r["wardCode"])
        out: dict[tuple, Unit] = {}
        for r in legacy:
            (pt, pn), (dt, dn) = _split(r["province"]), _split(r["district"])
            p = paths.path(OLD, "", r["province"], r["provinceCode"])
            d = paths.path(OLD, p, r["district"], r["districtCode"])
            out.setdefault((OLD, p), Unit(OLD, "province", pt, pn, r["provinceCode"], p, pn))
            out.setdefault((OLD, d), Unit(OLD, "district", dt, dn, r["districtCode"], d, pn, dn))
            if r["ward"]:
                wt, wn = _split(r["ward"])
                w = paths.path(OLD, d, r["ward"], r["wardCode"])
                out.setdefault((OLD, w), Unit(OLD, "commune", wt, wn, r["wardCode"], w, pn, dn))
        for r in new:
            (pt, pn), (wt, wn) = _split(r["province"]), _split(r["ward"])
            p = paths.path(NEW, "", r["province"], r["provinceCode"])
            w = paths.path(NEW, p, r["ward"], r["wardCode"])
            out.setdefault((NEW, p), Unit(NEW, "province", pt, pn, r["provinceCode"], p, pn))
            out.setdefault((NEW, w), Unit(NEW, "commune", wt, wn, r["wardCode"], w, pn))
        return tuple(out.values())

    @cached_property
    def _by_name(self) -> dict[str, list[Unit]]:
        idx: dict[str, list[Unit]] = {}
        for u in self.units:
            idx.setdefault(fold(u.name), []).append(u)
        return idx

    def find(self, name: str, type_: str | None = None, era: str | None = None,
             province: str | None = None) -> tuple[Unit, ...]:
        """Units called ``name``, narrowed by type, era and province. Names are compared folded,
        but where some units carry exactly the name as written (marks included), only those."""
        hits = [u for u in self._by_name.get(fold(name), []) if (type_ is None or fold(u.type) == fold(type_))
                and (era is None or u.era == era) and (province is None or fold(u.province) == fold(province))]
        exact = [u for u in hits if unify_tones(u.name).casefold() == unify_tones(name).casefold()]
        return tuple(exact or hits)

    @cached_property
    def _legacy_key(self) -> dict[str, Unit]:
        """The converter's key of every 2020 commune ("tinhlaocai_huyenbaoyen_xaxuanthuong")."""
        by_code = {u.code: u for u in self.units if u.era == OLD and u.level == "commune"}
        return {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": by_code[r["wardCode"]]
                for r in self._rows("select provinceKey, districtKey, wardKey, wardCode from admin_units_legacy "
                                    "where ward is not null") if r["wardCode"] in by_code}

    @cached_property
    def _new_key(self) -> dict[tuple[str, str], Unit]:
        by_code = {u.code: u for u in self.units if u.era == NEW and u.level == "commune"}
        return {(r["provinceKey"], r["wardKey"]): by_code[r["wardCode"]]
                for r in self._rows("select provinceKey, wardKey, wardCode from admin_units")}

    @cached_property
    def successors_map(self) -> dict[str, tuple[Unit, ...]]:
        """2020 commune path → the 2025 communes it became part of."""
        data = json.loads(self._converter.read_text(encoding="utf-8"))
        out: dict[str, list[Unit]] = {}
        for prov, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for new_ward, olds in wards.items():
                new = self._new_key.get((prov, new_ward))
                for old in olds:
                    unit = self._legacy_key.get(old)
                    if unit and new:
                        out.setdefault(unit.path, []).append(new)
        for prov, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old, news in olds.items():
                unit = self._legacy_key.get(old)
                for n in news:
                    new = self._new_key.get((prov, n["newWardKey"]))
                    if unit and new and new not in out.get(unit.path, []):
                        out.setdefault(unit.path, []).append(new)
        return {k: tuple(v) for k, v in out.items()}

    def successors(self, unit: Unit) -> tuple[Unit, ...]:
        """The 2025 communes a 2020 commune became (part of)."""
        return self.successors_map.get(unit.path, ())

    def predecessors(self, unit: Unit) -> tuple[Unit, ...]:
        """The 2020 communes a 2025 commune was formed from."""
        return tuple(sorted((self._unit_by_path[old] for old, news in self.successors_map.items() if unit in news),
                            key=lambda u: u.path))

    @cached_property
    def _unit_by_path(self) -> dict[str, Unit]:
        return {u.path: u for u in self.units if u.era == OLD}
