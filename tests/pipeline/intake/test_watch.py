"""The drop folder as the secretariat uses it: real watcher processes, real files.

- a watcher SIGKILLed again and again while dozens of files arrive loses nothing and
  duplicates nothing: the result equals a clean ingest of the same files;
- hostile and broken files each get a one-line reason (or a documented handling) and the
  batch goes on;
- a file over its time or memory limit fails alone;
- the start-up reconciliation repairs each state a crash can leave.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
import sqlite_utils

from pipeline.core.errors import PlantraceError
from pipeline.read import sha256_file
from pipeline.intake.sandbox import Limits, Sandbox
from pipeline.intake.watch import Watcher, WatchError
from tests.conftest import CORPUS, ROOT

PASSWD_MARKERS = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:")


# --------------------------------------------------------------------------- helpers
def watch_cmd(inbox: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "watch", str(inbox), "--db", str(db), "--settle", "0.3", *extra]


def run_once(inbox: Path, db: Path, *extra: str, timeout: float = 240) -> subprocess.CompletedProcess:
    r = subprocess.run(watch_cmd(inbox, db, "--once", *extra), cwd=ROOT, capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def inbox_files(inbox: Path) -> list[Path]:
    return sorted(p for p in inbox.rglob("*") if p.is_file())


def wait_for(log: Path, text: str, seconds: float = 30, times: int = 1) -> bool:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if log.read_text(errors="replace").count(text) >= times:
            return True
        time.sleep(0.05)
    return False


def resave_pdf(src: Path, dst: Path, n: int) -> None:
    """Same document, other bytes: a comment after %%EOF, as some tools append."""
    dst.write_bytes(src.read_bytes() + f"\n% re-saved copy {n}\n".encode())


def resave_docx(src: Path, dst: Path, n: int, replace: tuple[tuple[str, str], ...] = ()) -> None:
    """A DOCX written again (other compression, a zip comment), optionally with text replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        zout.comment = f"re-saved {n}".encode()
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml" and replace:
                text = data.decode("utf-8")
                for a, b in replace:
                    assert a in text, a
                    text = text.replace(a, b)
                data = text.encode("utf-8")
            zout.writestr(item.filename, data)


REVISION = (("57/BC-PTP", "63/BC-PTP"), ("ngày 20 tháng 12 năm 2023", "ngày 28 tháng 12 năm 2023"))


def corpus_files() -> list[Path]:
    """The corpus reports that read in about a second (scans, which need OCR, left out), and
    the plan they answer (as DOCX, the faster of its two files)."""
    reports = [p for p in CORPUS.glob("bc_*") if p.suffix in (".pdf", ".docx") and p.stat().st_size < 300_000]
    return sorted(reports) + [CORPUS / "kh_95_2023_trungkhanh.docx"]


def snapshot(db_path: Path) -> dict:
    """What must not depend on crashes: documents, their statuses, and what each produced."""
    db = sqlite_utils.Database(db_path)
    docs = {r["id"]: r for r in db.query("select id, kind, number, issued_on, pages, "
                                         "status = 'superseded' as superseded from documents")}
    # which of two files of one document stays 'ok' and which becomes 'duplicate' follows
    # arrival order (crosscheck.mark_copies); how many there are of each does not
    copies = {}
    for r in db.query("select kind, number, issued_on, status, count(*) n from documents "
                      "group by kind, number, issued_on, status"):
        copies[(r["kind"], r["number"], r["issued_on"], r["status"])] = r["n"]
    counts = {}
    for table in ("tasks", "mentions", "citations", "sections", "figures"):
        for r in db.query(f"select document_id, count(*) n from {table} group by document_id"):
            counts[(table, r["document_id"])] = r["n"]
    supersedes = {(r["source_id"], r["target_id"]) for r in
                  db.query("select source_id, target_id from document_links where relation = 'supersedes'")}
    return {"docs": docs, "counts": counts, "supersedes": supersedes, "copies": copies}


@pytest.fixture
def reap():
    """Processes a test started; whatever still runs at its end is killed."""
    procs: list[subprocess.Popen] = []
    yield procs.append
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait(10)


# --------------------------------------------------------------------------- crash safety
def test_sigkill_at_random_moments_loses_nothing_and_duplicates_nothing(tmp_path, reap):
    seed = int(os.environ.get("PLANTRACE_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    print("seed", seed)
    staging, inbox, out = tmp_path / "staging", tmp_path / "inbox", tmp_path / "out"
    staging.mkdir()
    inbox.mkdir()
    originals = corpus_files()
    for f in originals:
        shutil.copy(f, staging / f.name)
    for i, f in enumerate(originals[::4]):  # re-saved copies: other bytes, same document
        (resave_pdf if f.suffix == ".pdf" else resave_docx)(f, staging / f"{f.stem} (bản lưu lại {i}){f.suffix}", i)
    for f in originals[1:7:2]:  # exact copies under other names: duplicates
        shutil.copy(f, staging / f"Copy of {f.name}")
    resave_docx(CORPUS / "bc_tuphap_2023_nam.docx", staging / "bc_tuphap_2023_nam - sửa đổi.docx", 0, REVISION)
    (staging / "scan lỗi.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    staged = sorted(staging.iterdir())
    assert len(staged) >= 24  # two dozen and more

    # the reference: a clean ingest of the same files, in parallel on the other core
    clean_db = tmp_path / "clean" / "plantrace.db"
    clean = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(staging), "--db", str(clean_db),
                              "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    reap(clean)

    db = out / "plantrace.db"
    logs = tmp_path / "logs"
    logs.mkdir()
    waves = [staged[i::4] for i in range(4)]
    rng.shuffle(waves)
    runs = 0

    def start(polling: bool) -> tuple[subprocess.Popen, Path]:
        nonlocal runs
        runs += 1
        log = logs / f"run{runs}.log"
        extra = ["--rescan", "1"] + (["--polling"] if polling else [])
        with open(log, "w") as fh:
            proc = subprocess.Popen(watch_cmd(inbox, db, *extra), cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
        reap(proc)
        return proc, log

    def drop(wave: list[Path]) -> None:
        for f in wave:  # plain copies, not atomic renames: the watcher must wait for each to settle
            shutil.copyfile(f, inbox / f.name)

    deadline = time.monotonic() + 150
    t0 = time.monotonic()
    proc, log = start(polling=False)
    drop(waves.pop())
    kills = 0
    while kills < 5 and time.monotonic() < deadline:
        if kills % 2:  # half the kills land after a file is stored, somewhere in the next one
            wait_for(log, "stored:", 30)
            time.sleep(rng.uniform(0, 1.2))
        else:  # the others anywhere, start-up and reconciliation included
            time.sleep(rng.uniform(0.2, 4.0))
        if waves and rng.random() < 0.6:
            drop(waves.pop())
        assert proc.poll() is None, log.read_text()[-3000:]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        print(f"kill {kills} at {time.monotonic() - t0:.1f} s; inbox {len(inbox_files(inbox))}")
        kills += 1
        proc, log = start(polling=kills % 3 == 0)
        if kills == 1:  # one database, one watcher
            wait_for(log, "watching")
            second = subprocess.run(watch_cmd(inbox, db, "--once"), cwd=ROOT, capture_output=True, text=True,
                                    timeout=60)
            assert second.returncode != 0 and "another watcher" in second.stderr, second.stderr[-2000:]
    for wave in waves:
        drop(wave)
    # a polite stop: SIGTERM ends the run within seconds, killing an in-flight worker
    wait_for(log, "watching")
    time.sleep(rng.uniform(0, 3))
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0, log.read_text()[-3000:]
    t_final = time.monotonic()
    final = run_once(inbox, db)
    print(f"{runs} runs, {kills} SIGKILLs; final run {time.monotonic() - t_final:.0f} s")

    # nothing is left in the inbox; every staged file is a document (stored) or quarantined
    assert inbox_files(inbox) == [], final.stderr[-3000:]
    d = sqlite_utils.Database(db)
    docs = {r["id"]: r for r in d.query("select id, stored_path from documents")}
    quarantined = {p.name for p in (out / "quarantine").iterdir()}
    for f in staged:
        sha = sha256_file(f)
        if sha in docs:
            stored = out / docs[sha]["stored_path"]
            assert stored.is_file() and sha256_file(stored) == sha, f.name
        else:
            assert f"{sha[:12]}-{f.name}" in quarantined and f"{sha[:12]}-{f.name}.error.txt" in quarantined, f.name
    # the store and the database agree, and no partial copy is left behind
    stored = sorted(p for p in (out / "store").rglob("*") if p.is_file())
    assert sorted(p.stem for p in stored) == sorted(docs)
    # each document was ingested exactly once
    ingested = [r[0] for r in d.execute("select sha256 from ingest_log where outcome = 'ingested'").fetchall()]
    assert sorted(ingested) == sorted(docs)
    assert d.execute("select count(*) from ingest_log where outcome = 'duplicate'").fetchone()[0] >= 3

    # and the database equals a clean ingest of the same files
    assert clean.wait(180) == 1, clean.stderr.read()[-2000:]  # 1: the PNG failed, the batch went on
    got, want = snapshot(db), snapshot(clean_db)
    assert set(got["docs"]) == set(want["docs"])
    assert got["docs"] == want["docs"]
    assert got["counts"] == want["counts"]
    assert got["copies"] == want["copies"]
    assert got["supersedes"] == want["supersedes"] and len(got["supersedes"]) == 1
    revised = sha256_file(staging / "bc_tuphap_2023_nam - sửa đổi.docx")
    older = sha256_file(CORPUS / "bc_tuphap_2023_nam.docx")
    assert got["supersedes"] == {(revised, older)}
    assert got["docs"][older]["superseded"] and not got["docs"][revised]["superseded"]


# --------------------------------------------------------------------------- hostile and broken input
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# 240 characters; 244 bytes in UTF-8, under the usual 255-byte limit of a file name
LONG_NAME = ("Báo cáo " + "ket qua thuc hien ke hoach rat dai " * 7)[:235] + ".docx"


def pdf_with_text(path: Path, lines: list[str], encrypt=None, pagesize=(300, 200)) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=pagesize, encrypt=encrypt)
    y = pagesize[1] - 30
    for line in lines:
        c.setFont("Helvetica", 10)
        c.drawString(20, y, line)
        y -= 14
    c.showPage()
    c.save()


def thousand_five_hundred_pages(path: Path) -> None:
    """1,500 tiny pages, each with two different lines (so no line repeats as a running head)."""
    from reportlab.pdfgen import canvas

    words = ["kế hoạch", "báo cáo", "nhiệm vụ", "kết quả", "cơ quan", "phối hợp", "triển khai", "tổng hợp"]
    c = canvas.Canvas(str(path), pagesize=(160, 50))
    for i in range(1500):
        c.setFont("Helvetica", 7)
        c.drawString(6, 32, f"Muc {i} {words[i % 8]} {words[(i // 8) % 8]}".encode("ascii", "ignore").decode())
        c.drawString(6, 20, f"{words[(i * 3) % 8]} so {i * 7}".encode("ascii", "ignore").decode())
        c.showPage()
    c.save()


def image_only_pdf(path: Path) -> None:
    """A 'scan': one page that is a picture of text, with no text layer."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (1200, 400), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 40) if FONT.exists() else ImageFont.load_default()
    draw.text((40, 60), "BÁO CÁO KẾT QUẢ THỰC HIỆN", fill=0, font=font)
    draw.text((40, 160), "Kế hoạch số 95/KH-UBND năm 2023", fill=0, font=font)
    c = canvas.Canvas(str(path), pagesize=(432, 144))
    c.drawImage(ImageReader(img), 0, 0, width=432, height=144)
    c.showPage()
    c.save()


def docx_with(src: Path, dst: Path, edit) -> None:
    """Copy a DOCX, passing word/document.xml through ``edit``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item.filename, data)


def with_doctype(xml: str, doctype: str, paragraph: str) -> str:
    decl_end = xml.index("?>") + 2
    body = xml.index("<w:body>") + len("<w:body>")
    return (xml[:decl_end] + doctype + xml[decl_end:body]
            + f"<w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p>" + xml[body:])


BILLION_LAUGHS = ('<!DOCTYPE w:document [<!ENTITY lol0 "lol">'
                  + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)) + "]>")
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

# name → (how to make it, what must happen: "ingested", "failed", "either" or "ignored", reason or None)
CASES = {
    "empty.pdf": (lambda p: p.write_bytes(b""), "failed", "empty file (0 bytes)"),
    "truncated.pdf": (lambda p: p.write_bytes((CORPUS / "bc_noivu_2023_h1.pdf").read_bytes()[:30_000]), "either",
                      None),
    "encrypted.pdf": (lambda p: pdf_with_text(p, ["Bao cao mat"], encrypt=_encryption("user-secret", "owner")),
                      "failed", "PDF is encrypted with a password"),
    "owner password only.pdf": (lambda p: pdf_with_text(p, ["Bao cao ket qua thuc hien ke hoach nam 2023"],
                                                        encrypt=_encryption("", "owner-only")), "ingested", None),
    "scan.pdf": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300)), "failed",
                 "named .pdf but is a PNG image"),
    "saved page.pdf": (lambda p: p.write_text("<!DOCTYPE html><html><body><p>Báo cáo</p></body></html>",
                                              encoding="utf-8"), "failed", "named .pdf but is an HTML page"),
    "random.docx": (lambda p: p.write_bytes(random.Random(7).randbytes(4096).replace(b"PK", b"QK")), "failed",
                    None),
    "no document.docx": (lambda p: _zip(p, {"[Content_Types].xml": "<Types/>", "hello.txt": "xin chào"}), "failed",
                         "not a Word document (zip without word/document.xml)"),
    "bomb.docx": (lambda p: _bomb(p), "failed", None),
    "billion laughs.docx": (lambda p: docx_with(CORPUS / "bc_tuphap_2023_nam.docx", p,
                                                lambda x: with_doctype(x, BILLION_LAUGHS, "LAUGH &lol9;")), "either",
                            None),
    "xxe.docx": (lambda p: docx_with(CORPUS / "bc_hlhpn_2023_nam.docx", p,
                                     lambda x: with_doctype(x, XXE, "SECRET &xxe; END")), "either", None),
    "image only.pdf": (image_only_pdf, "either", None),
    "1500 pages.pdf": (thousand_five_hundred_pages, "ingested", None),
    "Báo cáo quý 2 (bản cuối).docx": (lambda p: resave_docx(CORPUS / "bc_gddt_2023_h1.docx", p, 1), "ingested",
                                      None),
    "-rf --help.pdf": (lambda p: resave_pdf(CORPUS / "bc_vhtt_2023_h1.pdf", p, 1), "ingested", None),
    LONG_NAME: (lambda p: resave_docx(CORPUS / "bc_ldtbxh_2023_nam.docx", p, 2), "ingested", None),
    "x.pdf/trong thư mục.docx": (lambda p: resave_docx(CORPUS / "bc_hq_vhtt_2024_nam.docx", p, 3), "ingested",
                                 None),
    "ghi chú cp1258.txt": (lambda p: p.write_bytes(_cp1258(
        "BÁO CÁO\nKết quả thực hiện kế hoạch năm 2023 của Phòng Tư pháp.\n")), "either", None),
    "~$nháp.docx": (lambda p: p.write_bytes(b"lock"), "ignored", None),
    "Thumbs.db": (lambda p: p.write_bytes(b"\0" * 64), "ignored", None),
    ".DS_Store": (lambda p: p.write_bytes(b"\0Bud1"), "ignored", None),
    ".hidden.pdf": (lambda p: resave_pdf(CORPUS / "bc_congan_2023_nam.pdf", p, 9), "ignored", None),
    "download.pdf.crdownload": (lambda p: p.write_bytes(b"%PDF-1.4 half"), "ignored", None),
    "copy.docx.part": (lambda p: p.write_bytes(b"PK"), "ignored", None),
    "save.tmp": (lambda p: p.write_bytes(b"x"), "ignored", None),
}


def _encryption(user: str, owner: str):
    from reportlab.lib.pdfencrypt import StandardEncryption

    return StandardEncryption(user, ownerPassword=owner, canPrint=1, canModify=0, canCopy=0, canAnnotate=0)


def _cp1258(text: str) -> bytes:
    """Windows-1258, the legacy Vietnamese code page: a letter with a tone mark is its base
    letter (â, ê, ô, ơ, ư, ă are single bytes) followed by a combining tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            shape = "".join(c for c in nfd[1:] if c in "\u0302\u0306\u031b")  # â ă ơ ư: one byte
            tones = "".join(c for c in nfd[1:] if c not in shape)
            out += (unicodedata.normalize("NFC", nfd[0] + shape) + tones).encode("cp1258")
    return out


def _zip(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)


def _bomb(path: Path) -> None:
    """A valid-looking DOCX whose media inflates to 256 MiB (from ~250 KB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/media/image1.bin", "w", force_zip64=True) as fh:
            zeros = bytes(1 << 20)
            for _ in range(256):
                fh.write(zeros)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One watcher run over an inbox of hostile, broken, odd and ignorable files."""
    root = tmp_path_factory.mktemp("hostile")
    inbox, db = root / "inbox", root / "out" / "plantrace.db"
    for name, (make, _, _) in CASES.items():
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        make(path)
    t0 = time.monotonic()
    # 768 MiB: about 400 MiB above what a worker starts with; the 1,500-page PDF must fit
    run = run_once(inbox, db, "--timeout", "60", "--memory-mb", "768", timeout=300)
    seconds = time.monotonic() - t0
    d = sqlite_utils.Database(db)
    log = {}
    for r in d.query("select * from ingest_log order by id"):
        log.setdefault(Path(r["path"]).relative_to(inbox.resolve()).as_posix(), []).append(r)
    return {"inbox": inbox, "out": db.parent, "db": d, "log": log, "stderr": run.stderr, "seconds": seconds}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_gets_a_clear_outcome_and_the_batch_goes_on(hostile, name):
    _, expected, reason = CASES[name]
    rows = hostile["log"].get(name, [])
    if expected == "ignored":
        assert rows == [] and (hostile["inbox"] / name).exists(), name  # left alone, never a document
        return
    assert len(rows) == 1, (name, rows)  # taken exactly once
    row = rows[0]
    assert not (hostile["inbox"] / name).exists()  # moved out of the inbox either way
    if expected != "either":
        assert row["outcome"] == expected, (name, row)
    if row["outcome"] == "ingested":
        doc = hostile["db"]["documents"].get(row["sha256"])
        assert doc["filename"] == Path(name).name
        stored = hostile["out"] / doc["stored_path"]
        assert stored.is_file() and sha256_file(stored) == row["sha256"]
    else:
        assert row["outcome"] == "failed" and row["stage"] and row["error"]
        assert "\n" not in row["error"] and len(row["error"]) < 300
        if reason:
            assert row["error"] == reason
        quarantined = hostile["out"] / "quarantine" / f"{row['sha256'][:12]}-{Path(name).name[-120:]}"
        assert quarantined.is_file()
        note = quarantined.with_name(quarantined.name + ".error.txt").read_text(encoding="utf-8")
        assert note == f"{row['stage']}: {row['error']}\n"
        assert f"failed: inbox/{name}: {row['stage']}: {row['error']}" in hostile["stderr"]


def test_hostile_batch_is_bounded_in_time(hostile):
    assert hostile["seconds"] < 200, hostile["stderr"][-3000:]
    assert "Traceback" not in hostile["stderr"], hostile["stderr"][-3000:]


def test_xxe_entity_never_reads_local_files(hostile):
    dump = "\n".join(str(v) for table in ("document_text", "ingest_log", "documents", "statements")
                     if hostile["db"][table].exists() for r in hostile["db"][table].rows for v in r.values())
    for marker in PASSWD_MARKERS:
        assert marker not in dump
    row = hostile["log"]["xxe.docx"][0]
    if row["outcome"] == "ingested":
        text = hostile["db"]["document_text"].get(row["sha256"])["text"]
        assert "SECRET" in text  # the paragraph is read; the entity stays unexpanded


def test_billion_laughs_is_not_expanded(hostile):
    row = hostile["log"]["billion laughs.docx"][0]
    if row["outcome"] == "ingested":
        text = hostile["db"]["document_text"].get(row["sha256"])["text"]
        assert "lol" * 100 not in text and len(text) < 100_000


def test_owner_password_only_pdf_is_read(hostile):
    row = hostile["log"]["owner password only.pdf"][0]
    text = hostile["db"]["document_text"].get(row["sha256"])["text"]
    assert "Bao cao ket qua thuc hien ke hoach nam 2023" in text


def test_fifteen_hundred_pages_are_all_there_within_the_memory_limit(hostile):
    row = hostile["log"]["1500 pages.pdf"][0]  # pdfplumber pages are closed as they are read
    assert hostile["db"]["documents"].get(row["sha256"])["pages"] == 1500


def test_a_folder_named_like_a_file_is_walked_not_failed(hostile):
    assert "x.pdf" not in hostile["log"]  # a folder is never a document, whatever its name
    assert (hostile["inbox"] / "x.pdf").is_dir() and not any((hostile["inbox"] / "x.pdf").iterdir())


def test_legacy_encoded_text_is_decoded(hostile):
    row = hostile["log"]["ghi chú cp1258.txt"][0]
    assert row["outcome"] == "ingested", row["error"]
    text = hostile["db"]["document_text"].get(row["sha256"])["text"]
    assert "Kết quả thực hiện kế hoạch năm 2023" in text  # decoded, not mojibake


def test_image_only_pdf_is_read_by_ocr(hostile):
    """Tesseract is installed by make setup: a picture of text is recognised, not refused."""
    row = hostile["log"]["image only.pdf"][0]
    assert row["outcome"] == "ingested", row["error"]
    assert hostile["db"]["documents"].get(row["sha256"])["ocr"] == 1
    text = hostile["db"]["document_text"].get(row["sha256"])["text"]
    assert "95/KH-UBND" in text


def test_image_only_pdf_without_ocr_fails_in_one_line(tmp_path):
    """Tesseract made unavailable (``PLANTRACE_TESSERACT`` pointing nowhere): a clear refusal."""
    image_only_pdf(tmp_path / "scan.pdf")
    env = {**os.environ, "PLANTRACE_TESSERACT": str(tmp_path / "no-tesseract")}
    r = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(tmp_path / "scan.pdf"), "--db",
                        str(tmp_path / "out" / "plantrace.db"), "--quiet"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 1, r.stderr[-2000:]
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("failed:")]
    assert len(lines) == 1 and ": read: " in lines[0] and "OCR" in lines[0], r.stderr[-2000:]


# --------------------------------------------------------------------------- limits
@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "1500 pages.pdf"
    thousand_five_hundred_pages(path)
    return path


def test_a_worker_over_its_memory_limit_fails_with_that_reason():
    with pytest.raises(PlantraceError) as e:
        Sandbox(Limits(seconds=60, memory_mb=150)).extract(CORPUS / "bc_tuphap_2023_nam.docx", "x")
    assert str(e.value) == "exceeded memory limit (150 MiB)" and e.value.stage == "read"


def test_a_file_over_its_time_limit_fails_alone_and_the_batch_goes_on(tmp_path, big_pdf):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(big_pdf, inbox / "a slow one.pdf")
    (inbox / "b quick one.txt").write_text("BÁO CÁO\nPhòng Tư pháp báo cáo kết quả thực hiện năm 2023.\n",
                                           encoding="utf-8")
    w = Watcher(inbox, tmp_path / "out" / "plantrace.db", settle=0.05, limits=Limits(seconds=1.0))
    try:
        w.run(once=True)
    finally:
        w.close()
    d = sqlite_utils.Database(tmp_path / "out" / "plantrace.db")
    rows = {r["filename"]: r for r in d["ingest_log"].rows}
    assert (rows["a slow one.pdf"]["outcome"], rows["a slow one.pdf"]["error"]) == ("failed", "exceeded 1 s")
    assert rows["b quick one.txt"]["outcome"] == "ingested"
    note = next((tmp_path / "out" / "quarantine").glob("*-a slow one.pdf.error.txt")).read_text(encoding="utf-8")
    assert note.endswith(": exceeded 1 s\n")
    assert inbox_files(inbox) == []


# --------------------------------------------------------------------------- reconciliation
def watch_once(inbox: Path, out: Path) -> None:
    w = Watcher(inbox, out / "plantrace.db", settle=0.05)
    try:
        w.run(once=True)
    finally:
        w.close()


def log_rows(out: Path) -> list[dict]:
    return list(sqlite_utils.Database(out / "plantrace.db").query("select * from ingest_log order by id"))


def committed_not_moved(tmp_path: Path) -> tuple[Path, Path, Path, str]:
    """The state a kill leaves between the commit and the move: a document, its file still
    in the inbox, no stored_path."""
    from pipeline.intake.ingest import Pipeline

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    f = inbox.resolve() / "bc_tuphap_2023_nam.docx"
    shutil.copy(CORPUS / f.name, f)
    sha = sha256_file(f)
    pipe = Pipeline(out / "plantrace.db")
    assert pipe.ingest_new(f, sha, log_path=str(f)).outcome == "ingested"
    pipe.db.close()
    return inbox, out, f, sha


def test_reconcile_finishes_a_move_the_crash_interrupted(tmp_path):
    inbox, out, f, sha = committed_not_moved(tmp_path)
    watch_once(inbox, out)
    doc = sqlite_utils.Database(out / "plantrace.db")["documents"].get(sha)
    assert doc["stored_path"] == f"store/{sha[:2]}/{sha}.docx" and (out / doc["stored_path"]).is_file()
    assert not f.exists()
    assert [r["outcome"] for r in log_rows(out)] == ["ingested"]  # not counted as its own duplicate


def test_reconcile_records_a_stored_file_whose_path_was_not_written(tmp_path):
    from pipeline.intake.filestore import FileStore

    inbox, out, f, sha = committed_not_moved(tmp_path)
    FileStore(out / "store").put(f, sha, "docx")  # moved, then killed before the UPDATE
    watch_once(inbox, out)
    doc = sqlite_utils.Database(out / "plantrace.db")["documents"].get(sha)
    assert doc["stored_path"] == f"store/{sha[:2]}/{sha}.docx"
    assert [r["outcome"] for r in log_rows(out)] == ["ingested"]


def test_reconcile_ingests_a_stored_file_the_database_lacks_and_drops_partial_copies(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    src = CORPUS / "bc_hlhpn_2023_nam.docx"
    sha = sha256_file(src)
    stored = out / "store" / sha[:2] / f"{sha}.docx"
    stored.parent.mkdir(parents=True)
    shutil.copy(src, stored)
    partial = stored.with_name(stored.name + ".partial-4242")
    partial.write_bytes(src.read_bytes()[:1000])
    watch_once(inbox, out)
    d = sqlite_utils.Database(out / "plantrace.db")
    assert d["documents"].get(sha)["stored_path"] == f"store/{sha[:2]}/{sha}.docx"
    assert [(r["outcome"], r["path"]) for r in log_rows(out)] == [("ingested", str(stored))]
    assert not partial.exists() and stored.is_file()


def test_a_true_duplicate_is_logged_and_removed_once_the_stored_copy_is_checked(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(CORPUS / "bc_tuphap_2023_nam.docx", inbox / "first.docx")
    watch_once(inbox, out)
    shutil.copy(CORPUS / "bc_tuphap_2023_nam.docx", inbox / "second copy.docx")
    watch_once(inbox, out)
    rows = log_rows(out)
    assert [(r["outcome"], r["filename"]) for r in rows] == [("ingested", "first.docx"),
                                                             ("duplicate", "second copy.docx")]
    assert inbox_files(inbox) == []
    assert len([p for p in (out / "store").rglob("*") if p.is_file()]) == 1


def test_a_second_watcher_on_the_same_database_is_refused(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    first = Watcher(inbox, out / "plantrace.db", settle=0.05)
    try:
        with pytest.raises(WatchError, match="another watcher"):
            Watcher(inbox, out / "plantrace.db")
    finally:
        first.close()


# --------------------------------------------------------------------------- revised reports
def test_a_revised_report_supersedes_the_earlier_one_and_both_stay(corpus_db, tmp_path):
    from pipeline.intake.ingest import Pipeline

    db_path = tmp_path / "plantrace.db"
    with sqlite3.connect(corpus_db) as src, sqlite3.connect(db_path) as dst:
        src.backup(dst)
    pipe = Pipeline(db_path)
    latest, middle = tmp_path / "bc_tuphap v3.docx", tmp_path / "bc_tuphap v2.docx"
    resave_docx(CORPUS / "bc_tuphap_2023_nam.docx", latest, 0, REVISION)
    resave_docx(CORPUS / "bc_tuphap_2023_nam.docx", middle, 0,
                (("57/BC-PTP", "61/BC-PTP"), ("ngày 20 tháng 12 năm 2023", "ngày 22 tháng 12 năm 2023")))
    pipe.ingest([latest])
    pipe.ingest([middle])  # arrives last, dated in between: the chain is by date, not by arrival
    first, v2, v3 = (sha256_file(p) for p in (CORPUS / "bc_tuphap_2023_nam.docx", middle, latest))
    d = sqlite_utils.Database(db_path)
    status = {i: d["documents"].get(i)["status"] for i in (first, v2, v3)}
    assert status == {first: "superseded", v2: "superseded", v3: "ok"}
    links = {(r["source_id"], r["target_id"]) for r in d.query(
        "select source_id, target_id from document_links where relation = 'supersedes'")}
    assert links == {(v2, first), (v3, v2)}
    basis = d.execute("select basis from document_links where relation = 'supersedes' and source_id = ?",
                      [v3]).fetchone()[0]
    assert basis.startswith("63/BC-PTP (2023-12-28) replaces 61/BC-PTP (2023-12-22)")
    # every version stays queryable, with its text
    assert d.execute("select count(*) from document_text where document_id in (?, ?, ?)", [first, v2, v3]).fetchone()[0] == 3
    # reports of other bodies are untouched
    assert d.execute("select count(*) from documents where status = 'superseded'").fetchone()[0] == 2
