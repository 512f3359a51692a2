"""The secretariat copies a report into inbox/ slowly (a network share): the running
watcher takes it only once the copy is complete, ingests it once, and stores the original."""

import hashlib
import signal
import subprocess
import sys
import time

import sqlite_utils

from tests.conftest import CORPUS, ROOT


def test_a_file_copied_slowly_is_taken_once_complete(tmp_path):
    inbox, db_path = tmp_path / "inbox", tmp_path / "outputs" / "plantrace.db"
    inbox.mkdir()
    watcher = subprocess.Popen([sys.executable, "-m", "pipeline", "watch", str(inbox), "--db", str(db_path),
                                "--settle", "1.5", "--rescan", "0.5"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        data = (CORPUS / "bc_noivu_2023_h1.pdf").read_bytes()
        target = inbox / "Báo cáo Nội vụ 6 tháng.pdf"
        chunk = len(data) // 8 + 1
        with open(target, "wb") as f:  # eight pieces, 0.6 s apart: 4 s of copying, never 1.5 s quiet
            for i in range(0, len(data), chunk):
                f.write(data[i:i + chunk])
                f.flush()
                time.sleep(0.6)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and target.exists():
            time.sleep(0.3)
        assert not target.exists(), "the complete file was never taken"
        time.sleep(1)
    finally:
        watcher.send_signal(signal.SIGTERM)
        log = watcher.communicate(timeout=60)[0].decode(errors="replace")
    db = sqlite_utils.Database(db_path)
    rows = list(db.query("select outcome, sha256 from ingest_log"))
    sha = hashlib.sha256(data).hexdigest()
    assert rows == [{"outcome": "ingested", "sha256": sha}], log[-2000:]
    doc = db["documents"].get(sha)
    assert doc["number"] == "86/BC-PNV"
    stored = tmp_path / "outputs" / doc["stored_path"]
    assert stored.read_bytes() == data
