"""The command line as a user runs it: a real process, real files, exit codes and messages."""

import re
import shutil
import subprocess
import sys

from tests.conftest import CORPUS, ROOT


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_ingest_reports_each_failure_in_one_line_and_goes_on(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(CORPUS / "bc_tuphap_2023_nam.docx", inbox / "Báo cáo Tư pháp.docx")
    (inbox / "-scan lỗi.pdf").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    db = tmp_path / "out" / "plantrace.db"
    r = run("ingest", str(inbox), "--db", str(db), "--quiet")
    assert r.returncode == 1
    assert r.stdout.strip() .startswith("2 files: 1 ingested, 0 duplicates, 1 failed")
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("failed:")]
    assert len(errors) == 1 and errors[0].endswith("read: named .pdf but is a PNG image")
    again = run("ingest", str(inbox / "Báo cáo Tư pháp.docx"), "--db", str(db), "--quiet")
    assert again.returncode == 0 and again.stdout.startswith("1 files: 0 ingested, 1 duplicates")


def test_serve_without_a_database_says_what_to_do(tmp_path):
    r = run("serve", "--db", str(tmp_path / "none.db"))
    assert r.returncode != 0
    assert "no database" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_every_command_is_documented_in_the_readme():
    from pipeline.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"pipeline {name}\b", readme), name
