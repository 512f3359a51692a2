"""Analysts read while the watcher writes: a real Datasette and a real watcher on one
SQLite file (WAL), a thousand HTTP requests during the ingest, every one answered 200."""

import socket
import sqlite3
import subprocess
import sys
import time

import httpx

from tests.conftest import CORPUS, ROOT
from tests.pipeline.intake.test_watch import resave_docx, resave_pdf, wait_for

REQUESTS = 1000
PATHS = [
    "/plantrace/documents.json?_shape=array&_size=50",
    "/plantrace.json?sql=select+count(*)+as+n+from+documents&_shape=array",
    "/plantrace/document_text.json?_search=nghi+dinh&_col=document_id&_shape=array",
    "/plantrace/ingest_log.json?_shape=array&_sort_desc=id",
    "/plantrace/mentions.json?_shape=array&_size=100",
    "/plantrace/documents",
    "/plantrace/document_links.json?_shape=array",
    "/plantrace/citations.json?_shape=array&_size=100",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasette_answers_every_request_while_the_watcher_writes(corpus_db, tmp_path):
    db = tmp_path / "out" / "plantrace.db"
    db.parent.mkdir()
    with sqlite3.connect(corpus_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--db", str(db), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log = tmp_path / "watch.log"
    with open(log, "w") as fh:
        watcher = subprocess.Popen([sys.executable, "-m", "pipeline", "watch", str(inbox), "--db", str(db),
                                    "--settle", "0.1", "--rescan", "1"], cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if client.get("/-/versions.json").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            assert wait_for(log, "watching", 60), log.read_text()[-2000:]
            # new bytes, so each is a new document: real writes, one transaction per file
            reports = sorted(p for p in CORPUS.glob("bc_*") if p.suffix in (".pdf", ".docx")
                             and p.stat().st_size < 300_000)[:8]
            for i, f in enumerate(reports):
                (resave_pdf if f.suffix == ".pdf" else resave_docx)(f, inbox / f"ban moi {i}{f.suffix}", 100 + i)

            count = "/plantrace.json?sql=select+count(*)+as+n+from+documents&_shape=array"
            before = client.get(count).json()[0]["n"]
            assert wait_for(log, "taken:", 60), log.read_text()[-2000:]
            failures, t0 = [], time.monotonic()
            for i in range(REQUESTS):
                r = client.get(PATHS[i % len(PATHS)])
                if r.status_code != 200 or "database is locked" in r.text:
                    failures.append((r.status_code, PATHS[i % len(PATHS)], r.text[:200]))
            seconds = time.monotonic() - t0
            during = client.get(count).json()[0]["n"]
        assert failures == [], failures[:5]
        assert during > before, "the watcher wrote nothing while the requests ran"
        print(f"{REQUESTS} requests in {seconds:.1f} s while {during - before} documents were written")
    finally:
        watcher.terminate()
        server.terminate()
        assert watcher.wait(30) == 0, log.read_text()[-3000:]
        server.wait(30)
    assert "database is locked" not in log.read_text()
