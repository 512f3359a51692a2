"""The one settings object: every stage gets what it needs from here, none reads a fixed path.

Settings come, in order of precedence, from the command line, from a TOML file
(``--config FILE``, else ``$PLANTRACE_CONFIG``, else ``plantrace.toml`` in the working
folder when there is one), and from the defaults below. ``plantrace.example.toml`` in the
repository documents every key. ``Settings.resolve(mapping)`` checks a mapping (a parsed
file, or overrides) and raises ``SettingsError`` with a one-line reason naming the key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

CONFIG_ENV = "PLANTRACE_CONFIG"
CONFIG_NAME = "plantrace.toml"


class SettingsError(ValueError):
    """A settings file or value that cannot be used (one line, names the key)."""


@dataclass(frozen=True)
class Limits:
    """Bounds on one file's extraction in its worker process."""

    seconds: float = 120.0  # wall clock; past it the worker is killed and the file fails
    memory_mb: int = 2048  # address space of the worker


@dataclass(frozen=True)
class Watch:
    settle: float = 2.0  # seconds a file's size and mtime must stay unchanged before it is taken
    rescan: float = 30.0  # seconds between full rescans of the inbox
    polling: bool = False  # poll instead of filesystem events (network drives)


@dataclass(frozen=True)
class Matching:
    fuzzy_cutoff: float = 90.0  # rapidfuzz ratio on folded keys below which a name stays unmatched


@dataclass(frozen=True)
class Evidence:
    """How report statements become evidence of a plan's tasks (pipeline.db.crosscheck)."""

    assign: float = 0.02  # a results sentence goes to its closest task when it shares this much
    context: float = 0.16  # a context statement or a table row needs this much
    title_match: float = 72.0  # title similarity (0-100) that links a report citing no plan


@dataclass(frozen=True)
class Serve:
    host: str = "127.0.0.1"
    port: int = 8001


@dataclass(frozen=True)
class Settings:
    db: Path = Path("outputs/plantrace.db")
    inbox: Path = Path("inbox")
    # gazetteer: folders of packs used instead of the bundled ones (empty: the bundled packs)
    gazetteer: tuple[Path, ...] = ()
    # legal-documents registry files added to the bundled one
    registry: tuple[Path, ...] = ()
    limits: Limits = field(default_factory=Limits)
    watch: Watch = field(default_factory=Watch)
    matching: Matching = field(default_factory=Matching)
    evidence: Evidence = field(default_factory=Evidence)
    serve: Serve = field(default_factory=Serve)
    source: str | None = None  # the file these settings were read from, if any

    @classmethod
    def resolve(cls, data: dict[str, Any] | None = None, base: "Settings | None" = None,
                source: str | None = None) -> "Settings":
        """``base`` (default: the defaults) with the values of ``data`` checked and applied."""
        return _apply(base or cls(), data or {}, "", source)

    @classmethod
    def load(cls, path: Path | str | None = None) -> "Settings":
        """Defaults, overlaid with the settings file if there is one (see the module doc)."""
        if path is None:
            env = os.environ.get(CONFIG_ENV)
            path = Path(env) if env else (Path(CONFIG_NAME) if Path(CONFIG_NAME).is_file() else None)
        if path is None:
            return cls()
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as e:
            raise SettingsError(f"cannot read settings file {path}: {e.strerror or e}") from None
        except tomllib.TOMLDecodeError as e:
            raise SettingsError(f"settings file {path} is not valid TOML: {e}") from None
        settings = cls.resolve(data, source=str(path))
        # relative paths in a settings file are relative to the file's folder
        rel = lambda p: p if p.is_absolute() else (path.parent / p)
        return replace(settings, db=rel(settings.db) if "db" in data else settings.db,
                       inbox=rel(settings.inbox) if "inbox" in data else settings.inbox,
                       gazetteer=tuple(rel(p) for p in settings.gazetteer),
                       registry=tuple(rel(p) for p in settings.registry))

    def with_overrides(self, **values: Any) -> "Settings":
        """These settings with command-line values applied (None means "not given")."""
        nested: dict[str, Any] = {}
        for key, value in values.items():
            if value is None:
                continue
            section, _, name = key.partition("__")
            if name:
                nested.setdefault(section, {})[name] = value
            else:
                nested[key] = value
        return _apply(self, nested, "", self.source)


def _apply(obj, data: dict[str, Any], prefix: str, source: str | None):
    known = {f.name: f for f in fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key not in known or key == "source":
            raise SettingsError(f"unknown setting '{name}' (known: {', '.join(k for k in known if k != 'source')})")
        current = getattr(obj, key)
        if hasattr(current, "__dataclass_fields__"):
            if not isinstance(value, dict):
                raise SettingsError(f"setting '{name}' is a table of settings, not {value!r}")
            changes[key] = _apply(current, value, f"{name}.", source)
        else:
            changes[key] = _coerce(name, current, value)
    if "source" in known and source is not None:
        changes["source"] = source
    return replace(obj, **changes)


def _coerce(name: str, current: Any, value: Any) -> Any:
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise SettingsError(f"setting '{name}' must be true or false, not {value!r}")
        return value
    if isinstance(current, Path):
        if not isinstance(value, (str, Path)) or not str(value):
            raise SettingsError(f"setting '{name}' must be a path, not {value!r}")
        return Path(value)
    if isinstance(current, tuple):
        items = [value] if isinstance(value, (str, Path)) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(v, (str, Path)) for v in items):
            raise SettingsError(f"setting '{name}' must be a list of paths, not {value!r}")
        return tuple(Path(v) for v in items)
    if isinstance(current, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SettingsError(f"setting '{name}' must be a number, not {value!r}")
        if value < 0:
            raise SettingsError(f"setting '{name}' must not be negative ({value})")
        return type(current)(value)
    if isinstance(current, str):
        if not isinstance(value, str):
            raise SettingsError(f"setting '{name}' must be text, not {value!r}")
        return value
    return value
