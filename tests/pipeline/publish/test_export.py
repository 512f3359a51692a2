"""Exports of the corpus database: the compliance matrix (XLSX), the draft synthesis report
(DOCX), the full dump (JSON), as library calls and through the command line."""

import json
import sqlite3
import subprocess
import sys
import unicodedata

import docx
import openpyxl
import pytest
import sqlite_utils

from pipeline.publish import export as ex
from tests.conftest import ROOT

PLAN = "95/KH-UBND"


def run(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", "export", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def db(corpus_db):
    return sqlite_utils.Database(corpus_db)


@pytest.fixture(scope="module")
def plan_id(db):
    return ex.resolve_plans(db, PLAN)[0]


@pytest.fixture(scope="module")
def xlsx(db, plan_id, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "matrix.xlsx"
    ex.export_xlsx(db, [plan_id], out)
    return openpyxl.load_workbook(out)


@pytest.fixture(scope="module")
def docx_text(db, plan_id, tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "bao-cao.docx"
    ex.export_docx(db, [plan_id], out)
    return "\n".join(p.text for p in docx.Document(out).paragraphs)


def test_plan_is_found_by_number_or_id_and_the_duplicate_file_is_not_chosen(db, plan_id):
    assert db["documents"].get(plan_id)["status"] == "ok"
    assert ex.resolve_plans(db, plan_id) == [plan_id]
    assert plan_id in ex.resolve_plans(db, None) and len(ex.resolve_plans(db, None)) == 2
    with pytest.raises(ex.ExportError, match="no plan 1/KH-XYZ"):
        ex.resolve_plans(db, "1/KH-XYZ")


def cell_of(ws, ref, body):
    header = [c.value for c in ws[1]]
    col = header.index(body) + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == ref:
            return ws.cell(row[0].row, col)
    raise AssertionError(f"no row {ref}")


def test_xlsx_matrix_has_the_tasks_as_rows_and_the_bodies_as_columns(xlsx, db, plan_id):
    assert xlsx.sheetnames == ["KH 95-KH-UBND", "Báo cáo"]
    ws = xlsx["KH 95-KH-UBND"]
    assert [c.value for c in ws[1]][:2] == ["Nhiệm vụ", "Nội dung nhiệm vụ"]
    refs = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    tasks = list(db.query("select ref from tasks where document_id = ? order by char_start", [plan_id]))
    assert refs == [t["ref"] for t in tasks] and len(refs) == 30
    bodies = {r["body_name"] for r in db.query("select body_name from task_status where plan_id = ?", [plan_id])}
    assert set([c.value for c in ws[1]][2:]) == bodies

    stat = cell_of(ws, "IV.10", "Chi cục Thống kê huyện Trùng Khánh")
    assert stat.value == "Chưa nhận báo cáo" and stat.fill.fgColor.rgb.endswith(ex.TASK_FILLS["no_report_received"])
    police = cell_of(ws, "IV.9", "Công an huyện Trùng Khánh")
    assert police.value == "Đã báo cáo" and police.fill.fgColor.rgb.endswith(ex.TASK_FILLS["reported"])
    # a body not responsible for a task leaves its cell empty
    assert cell_of(ws, "IV.9", "Chi cục Thống kê huyện Trùng Khánh").value is None
    values = {c.value for row in ws.iter_rows(min_row=2, min_col=3) for c in row} - {None}
    assert values <= set(ex.TASK_STATUS_VI.values())
    # every task × body of the view is in the matrix, with its Vietnamese status
    n = sum(1 for row in ws.iter_rows(min_row=2, min_col=3) for c in row if c.value)
    assert n == db.execute("select count(distinct task_id || body_id) from task_status where plan_id = ?",
                           [plan_id]).fetchone()[0]


def test_xlsx_reporting_sheet(xlsx, db, plan_id):
    ws = xlsx["Báo cáo"]
    header = [c.value for c in ws[1]]
    assert header[:8] == ["Kế hoạch", "Cơ quan", "Báo cáo", "Kỳ", "Hạn", "Ngày báo cáo", "Số ngày muộn", "Tình trạng"]
    data = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(data) == db.execute("select count(*) from reporting_status where plan_id = ?", [plan_id]).fetchone()[0]
    tuphap = [r for r in data if r["Cơ quan"] == "Phòng Tư pháp" and r["Tình trạng"] == "Nộp muộn"]
    assert len(tuphap) == 1 and tuphap[0]["Số ngày muộn"] == 6 and tuphap[0]["Ngày báo cáo"] == "20/12/2023"
    assert sum(r["Tình trạng"] == "Chưa nhận" for r in data) == 62


def test_docx_draft_report(docx_text):
    text = docx_text
    assert unicodedata.is_normalized("NFC", text)
    assert "DỰ THẢO" in text
    assert "BÁO CÁO\nTổng hợp kết quả thực hiện Kế hoạch số 95/KH-UBND ngày 18/4/2023" in text
    parts = ["I. TÌNH HÌNH BÁO CÁO", "II. KẾT QUẢ THỰC HIỆN THEO NHIỆM VỤ", "III. NHIỆM VỤ CHƯA ĐƯỢC BÁO CÁO",
             "IV. HOẠT ĐỘNG NGOÀI KẾ HOẠCH"]
    positions = [text.index(p) for p in parts]
    assert positions == sorted(positions)
    reporting = text[positions[0]:positions[1]]
    late = reporting[reporting.index("2. Báo cáo gửi muộn"):reporting.index("3. Cơ quan")]
    assert "Phòng Tư pháp" in late and "muộn 6 ngày" in late
    assert "Trung tâm Y tế huyện Trùng Khánh" in late and "muộn 13 ngày" in late
    missing = reporting[reporting.index("3. Cơ quan"):]
    assert "chưa nhận báo cáo của 29 cơ quan, đơn vị" in missing and "Chi cục Thống kê huyện Trùng Khánh" in missing
    tasks = text[positions[1]:positions[2]]
    assert "IV.9." in tasks and "Công an huyện Trùng Khánh (chủ trì): Đã báo cáo." in tasks
    assert "(Báo cáo bc_congan_2023_nam.pdf, trang " in tasks
    assert "IV.10." in text[positions[2]:positions[3]]


def test_docx_quotes_at_most_three_statements_per_body(db, plan_id):
    s = ex.synthesis(db, plan_id)
    assert all(len(b["evidence"]) <= ex.MAX_QUOTES for x in s["tasks"] for b in x["bodies"])
    assert any(len(b["evidence"]) == ex.MAX_QUOTES for x in s["tasks"] for b in x["bodies"])


def test_json_dump_matches_the_database(db, plan_id, tmp_path, corpus_db):
    r = run("json", "--plan", PLAN, "--db", str(corpus_db), "-o", str(tmp_path / "k.json"))
    assert r.returncode == 0, r.stderr
    raw = (tmp_path / "k.json").read_text(encoding="utf-8")
    assert "Trùng Khánh" in raw and "\\u" not in raw  # UTF-8, not escaped
    data = json.loads(raw)
    q = lambda sql: db.execute(sql, [plan_id]).fetchone()[0]  # noqa: E731
    assert data["plan"]["id"] == plan_id and data["plan"]["number"] == PLAN
    assert len(data["tasks"]) == q("select count(*) from tasks where document_id = ?")
    assert sum(len(t["task_bodies"]) for t in data["tasks"]) == q(
        "select count(*) from task_bodies where task_id in (select id from tasks where document_id = ?)")
    assert len(data["reporting_obligations"]) == q("select count(*) from reporting_obligations where plan_id = ?")
    assert len(data["reporting_status"]) == q("select count(*) from reporting_status where plan_id = ?")
    assert len(data["task_status"]) == q("select count(*) from task_status where plan_id = ?")
    assert len(data["reports"]) == q("select count(*) from plan_reports where plan_id = ?") == 14
    assert sum(len(r["evidence"]) for r in data["reports"]) == q("select count(*) from evidence where plan_id = ?")
    e = next(e for r in data["reports"] for e in r["evidence"])
    assert {"text", "page", "char_start", "char_end", "score", "task_ref", "figures"} <= set(e)
    police = next(r for r in data["reports"] if r["filename"] == "bc_congan_2023_nam.pdf")
    assert len(police["figures"]) == db.execute("select count(*) from figures where document_id = ?",
                                                [police["id"]]).fetchone()[0] > 0


def test_cli_exports_every_format_and_fails_in_one_line(corpus_db, tmp_path):
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"all.{fmt}"
        r = run(fmt, "--db", str(corpus_db), "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 0
    assert openpyxl.load_workbook(tmp_path / "all.xlsx").sheetnames == ["KH 95-KH-UBND", "KH 58-KH-UBND", "Báo cáo"]
    both = json.loads(run("json", "--db", str(corpus_db)).stdout)
    assert [d["plan"]["number"] for d in both] == ["95/KH-UBND", "58/KH-UBND"]
    # without -o, the file goes beside the database
    r = run("xlsx", "--plan", PLAN, "--db", str(corpus_db))
    assert r.returncode == 0 and (corpus_db.parent / "ke-hoach-95-KH-UBND.xlsx").exists()

    r = run("docx", "--plan", "12/KH-XYZ", "--db", str(corpus_db), "-o", str(tmp_path / "x.docx"))
    assert r.returncode != 0 and not (tmp_path / "x.docx").exists()
    assert r.stderr.strip() == "Error: no plan 12/KH-XYZ in the database"
    r = run("json", "--db", str(tmp_path / "none.db"))
    assert r.returncode != 0 and len(r.stderr.strip().splitlines()) == 1
    assert "no database" in r.stderr and not (tmp_path / "none.db").exists()
    r = run("pdf", "--db", str(corpus_db))
    assert r.returncode == 2


def test_an_empty_file_is_not_a_plantrace_database(tmp_path):
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("create table x (a)").connection.close()
    with pytest.raises(ex.ExportError, match="is not a plantrace database"):
        ex.open_db(path)
