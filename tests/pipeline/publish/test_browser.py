"""The analysts' and auditors' pages in a real headless Chromium, against the real server."""

import shutil
import subprocess

import httpx

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium(tmp_path, *args):
    assert CHROMIUM, "Debian's chromium is needed (make setup installs it)"
    out = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                         capture_output=True, text=True, timeout=120)
    return out.stdout


def test_task_trace_page_renders_in_a_browser(server, tmp_path):
    task = httpx.get(server + "/plantrace.json", params={
        "sql": "select task_id from task_status where ref = 'IV.9'", "_shape": "array"}).json()[0]["task_id"]
    url = f"{server}/plantrace/truy_vet_nhiem_vu?task_id={task}"
    dom = chromium(tmp_path, "--dump-dom", url)
    assert "Truy vết một nhiệm vụ đến minh chứng" in dom
    assert "bc_congan_2023_nam.pdf" in dom and "Nội dung báo cáo" in dom
    shot = tmp_path / "trace.png"
    chromium(tmp_path, "--window-size=1400,1000", f"--screenshot={shot}", url)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_document_page_renders_highlights_in_a_browser(server, tmp_path):
    doc = httpx.get(server + "/plantrace/documents.json", params={
        "filename": "bc_xa_damthuy_2023_h1.pdf", "_shape": "array"}).json()[0]
    dom = chromium(tmp_path, "--dump-dom", f"{server}/-/van-ban/{doc['id']}")
    assert "Sơ kết công tác bình đẳng giới" in dom
    for label in ("CƠ QUAN", "SỐ LIỆU", "MINH CHỨNG"):
        assert label in dom
