"""Load the gazetteer data files into typed, immutable bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipeline.core.textnorm import fold, nfc

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Body:
    id: str
    name: str
    kind: str
    level: str
    short_name: str | None = None
    parent_id: str | None = None
    members_kind: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)
    district: str | None = None  # the district a district- or commune-level body belongs to

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical name, short name and aliases, without repeats, canonical first."""
        seen: dict[str, None] = {}
        for n in (self.name, self.short_name, *self.aliases):
            if n:
                seen.setdefault(n, None)
        return tuple(seen)


@dataclass(frozen=True, eq=False)  # hashed by identity: a loaded gazetteer is a value
class Gazetteer:
    district: dict
    bodies: tuple[Body, ...]
    districts: tuple[dict, ...] = ()
    data_dir: str | None = None
    self_references: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (body kind, words it uses for itself)

    def __post_init__(self) -> None:
        ids = [b.id for b in self.bodies]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"gazetteer: duplicate body ids {sorted(dupes)}")

    def find(self, body_id: str | None) -> Body | None:
        """The body with this id, or None."""
        index = self.__dict__.get("_index")
        if index is None:
            index = {b.id: b for b in self.bodies}
            object.__setattr__(self, "_index", index)
        return index.get(body_id) if body_id else None

    def get(self, body_id: str) -> Body:
        body = self.find(body_id)
        if body is None:
            raise KeyError(body_id)
        return body

    def members(self, body: Body) -> tuple[Body, ...]:
        """The bodies a collective stands for, at its own level (empty for any other body)."""
        if not body.members_kind:
            return ()
        return tuple(b for b in self.bodies if b.kind == body.members_kind and b.level == body.level
                     and b.district == body.district)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _communes(units: list[dict], rule: dict, district: dict) -> list[Body]:
    out = []
    for u in units:
        names = [u["name"], *(u.get("variants") or []), *(u.get("former") or [])]
        fill = lambda t, n: t.format(type=u["type"], Type=u["type"][:1].upper() + u["type"][1:], name=n,
                                     ubnd=district.get("ubnd", ""))
        aliases = [fill(t, n) for n in names for t in rule["aliases"]]
        out.append(Body(id=rule["id"].format(slug=_slug(f"{u['type']} {u['name']}")),
                        name=nfc(fill(rule["name"], u["name"])),
                        short_name=nfc(fill(rule["short_name"], u["name"])), kind=rule["kind"],
                        level=rule["level"], parent_id=fill(rule["parent"], u["name"]) if rule.get("parent") else None,
                        aliases=tuple(nfc(a) for a in aliases), district=district.get("id")))
    return out


def _bodies(entries: list[dict], district: dict) -> list[Body]:
    return [Body(id=b["id"], name=nfc(b["name"]), kind=b["kind"], level=b["level"],
                 short_name=nfc(b["short_name"]) if b.get("short_name") else None,
                 parent_id=b.get("parent"), members_kind=b.get("members_kind"),
                 aliases=tuple(nfc(str(a)) for a in b.get("aliases") or ()),
                 district=district.get("id") if b["level"] in ("district", "commune") else None)
            for b in entries]


def load(*data_dirs: Path | str) -> Gazetteer:
    """The gazetteer of the given folders (the bundled one when none is given): the first is the
    home district's, with the alias rules; each folder's sub-folders with a district.yml add
    further districts, and so does every further folder."""
    dirs = [Path(d) for d in data_dirs] or [DATA_DIR]
    data_dir = dirs[0]
    read = lambda path: yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = read(data_dir / "alias_rules.yml")["commune_body"]
    folders = []
    for d in dirs:
        folders += [d] + sorted(s for s in d.iterdir() if s.is_dir() and (s / "district.yml").exists())
    bodies: list[Body] = []
    districts = []
    for folder in folders:
        district = read(folder / "district.yml")
        districts.append(district)
        if (folder / "bodies.yml").exists():
            bodies += _bodies(read(folder / "bodies.yml"), district)
        if (folder / "communes.yml").exists():
            bodies += _communes(read(folder / "communes.yml"), rule, district)
    selves = tuple((kind, tuple(nfc(w) for w in words))
                   for kind, words in (read(data_dir / "alias_rules.yml").get("self_references") or {}).items())
    return Gazetteer(district=districts[0], bodies=tuple(bodies), districts=tuple(districts), data_dir=str(data_dir),
                     self_references=selves)
