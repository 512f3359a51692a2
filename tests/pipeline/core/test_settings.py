"""One settings object: defaults, a TOML file, command-line overrides, and one-line errors."""

from pathlib import Path

import pytest

from pipeline.core.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[3]


def test_settings_defaults_are_the_documented_ones():
    s = Settings()
    assert (s.db, s.limits.seconds, s.limits.memory_mb, s.evidence.context) == (
        Path("outputs/plantrace.db"), 120.0, 2048, 0.16)


def test_settings_example_file_states_exactly_the_defaults():
    """plantrace.example.toml documents every key with its default: reading it changes nothing."""
    s = Settings.load(ROOT / "plantrace.example.toml")
    assert s.limits == Settings().limits and s.evidence == Settings().evidence
    assert s.watch == Settings().watch and s.serve == Settings().serve and s.matching == Settings().matching
    assert s.db == ROOT / "outputs/plantrace.db"  # relative to the file's folder


def test_settings_load_reads_a_file_and_resolves_paths_beside_it(tmp_path):
    cfg = tmp_path / "conf" / "plantrace.toml"
    cfg.parent.mkdir()
    cfg.write_text('db = "data/x.db"\ngazetteer = ["packs/a"]\n[evidence]\ncontext = 0.3\n', encoding="utf-8")
    s = Settings.load(cfg)
    assert s.db == cfg.parent / "data/x.db"
    assert s.gazetteer == (cfg.parent / "packs/a",)
    assert s.evidence.context == 0.3 and s.evidence.assign == Settings().evidence.assign
    assert s.source == str(cfg)


def test_settings_environment_names_the_file(tmp_path, monkeypatch):
    cfg = tmp_path / "p.toml"
    cfg.write_text("[limits]\nseconds = 5\n", encoding="utf-8")
    monkeypatch.setenv("PLANTRACE_CONFIG", str(cfg))
    assert Settings.load().limits.seconds == 5.0


def test_settings_command_line_overrides_the_file(tmp_path):
    cfg = tmp_path / "p.toml"
    cfg.write_text("[limits]\nseconds = 5\nmemory_mb = 512\n", encoding="utf-8")
    s = Settings.load(cfg).with_overrides(limits__seconds=9.5, limits__memory_mb=None, db=Path("y.db"))
    assert (s.limits.seconds, s.limits.memory_mb, s.db) == (9.5, 512, Path("y.db"))


@pytest.mark.parametrize("text, words", [
    ("colour = 1\n", "unknown setting 'colour'"),
    ("[limits]\nsecond = 1\n", "unknown setting 'limits.second'"),
    ("[limits]\nseconds = 'fast'\n", "setting 'limits.seconds' must be a number"),
    ("[watch]\npolling = 1\n", "setting 'watch.polling' must be true or false"),
    ("[evidence]\ncontext = -0.1\n", "must not be negative"),
    ("limits = 3\n", "is a table of settings"),
    ("db = [\n", "is not valid TOML"),
])
def test_settings_load_refuses_bad_values_in_one_line(tmp_path, text, words):
    cfg = tmp_path / "p.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as e:
        Settings.load(cfg)
    assert words in str(e.value) and "\n" not in str(e.value)


def test_settings_missing_file_is_one_line(tmp_path):
    with pytest.raises(SettingsError, match="cannot read settings file"):
        Settings.load(tmp_path / "nope.toml")
