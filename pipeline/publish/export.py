"""Exports of one plan's world (``python -m pipeline export {xlsx,docx,json}``):

- ``xlsx``: the compliance matrix — one sheet per plan, tasks × responsible bodies, each
  cell the task's status for that body, plus a sheet "Báo cáo" with the reporting status;
- ``docx``: a draft synthesis report in Vietnamese administrative style (marked DỰ THẢO);
- ``json``: a full dump — the plan, its tasks and their bodies, obligations, reporting and
  task status, and the reports that answer it with their evidence and figures.

Functions take a sqlite-utils ``Database`` and plan ids (see :func:`resolve_plans`); they
raise :class:`ExportError` with a one-line Vietnamese message, which the CLI shows as is.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import sqlite_utils


class ExportError(Exception):
    """A one-line reason the export cannot be made (no database, unknown plan, …)."""


TASK_STATUS_VI = {
    "reported": "Đã báo cáo",
    "partly_reported": "Báo cáo một phần",
    "not_reported": "Chưa báo cáo nhiệm vụ",
    "no_report_received": "Chưa nhận báo cáo",
}
REPORT_STATUS_VI = {"received": "Đã nhận đúng hạn", "late": "Nộp muộn", "missing": "Chưa nhận"}
ROLE_VI = {"lead": "chủ trì", "requested": "được đề nghị", "coordinate": "phối hợp"}
# cell fills (ARGB-less hex): green, yellow, orange, red
TASK_FILLS = {"reported": "C6EFCE", "partly_reported": "FFEB9C", "not_reported": "F8CBAD",
              "no_report_received": "FFC7CE"}
REPORT_FILLS = {"received": "C6EFCE", "late": "FFEB9C", "missing": "FFC7CE"}
# when a body holds a task in two roles, the cell shows the best of its statuses
STATUS_RANK = {"reported": 3, "partly_reported": 2, "not_reported": 1, "no_report_received": 0}
MAX_QUOTES = 3


def nfc(s: Any) -> Any:
    return unicodedata.normalize("NFC", s) if isinstance(s, str) else s


# ----------------------------------------------------------------------------- database


def open_db(path: Path) -> sqlite_utils.Database:
    """The plantrace database at ``path``, never created by an export."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"no database at {path}: run 'python -m pipeline ingest corpus/documents' first")
    db = sqlite_utils.Database(path)
    missing = {"documents", "tasks", "task_status", "reporting_status"} - set(db.table_names() + db.view_names())
    if missing:
        raise ExportError(f"{path} is not a plantrace database (no {', '.join(sorted(missing))})")
    return db


def rows(db: sqlite_utils.Database, sql: str, params=()) -> list[dict]:
    return [dict(r) for r in db.query(sql, params)]


def resolve_plans(db: sqlite_utils.Database, plan: str | None = None) -> list[str]:
    """Plan document ids: the one named by ``plan`` (document id, or số ký hiệu such as
    ``95/KH-UBND``), else every plan whose status is 'ok', oldest first."""
    if plan is None:
        ids = [r["id"] for r in rows(db, "select id from documents where kind = 'plan' and status = 'ok' "
                                          "order by issued_on, number, id")]
        if not ids:
            raise ExportError("the database holds no plan yet")
        return ids
    key = nfc(plan.strip())
    found = rows(db, "select id, number, status from documents where kind = 'plan' and (id = ? or number = ? "
                     "collate nocase) order by status = 'ok' desc, ingested_at, id", (key, key))
    if not found:
        raise ExportError(f"no plan {plan} in the database")
    ok = [r for r in found if r["status"] == "ok"]
    if len(ok) > 1 and not any(r["id"] == key for r in ok):
        raise ExportError(f"{len(ok)} plans are numbered {plan}: name one by document id "
                          f"({', '.join(r['id'][:12] for r in ok)})")
    return [found[0]["id"]]


def plan_row(db: sqlite_utils.Database, plan_id: str) -> dict:
    return rows(db, "select * from documents where id = ?", (plan_id,))[0]


def plan_tasks(db, plan_id: str) -> list[dict]:
    return rows(db, "select * from tasks where document_id = ? order by char_start, id", (plan_id,))


def task_status_rows(db, plan_id: str) -> list[dict]:
    return rows(db, "select s.* from task_status s join tasks t on t.id = s.task_id where s.plan_id = ? "
                    "order by t.char_start, s.body_name, s.role", (plan_id,))


def reporting_rows(db, plan_id: str) -> list[dict]:
    return rows(db, "select * from reporting_status where plan_id = ? order by due_on, period, body_name",
                (plan_id,))


def evidence_for(db, task_id: str, body_id: str | None = None) -> list[dict]:
    """Evidence of a task (for one body, or all), rejected links left out, best first."""
    sql = ("select e.id as evidence_id, e.task_id, e.body_id, e.score, e.method, e.report_id, "
           "coalesce(v.verdict, '') as verdict, s.id as statement_id, s.text, s.page, s.char_start, s.char_end, "
           "d.filename from evidence e join statements s on s.id = e.statement_id "
           "join documents d on d.id = e.report_id "
           "left join evidence_verdicts v on v.evidence_id = e.id "
           "where e.task_id = ? and coalesce(v.verdict, '') != 'rejected'")
    params: tuple = (task_id,)
    if body_id is not None:
        sql += " and e.body_id = ?"
        params += (body_id,)
    return rows(db, sql + " order by v.verdict = 'confirmed' desc, e.score desc, s.char_start", params)


# ----------------------------------------------------------------------------- wording


def vi_date(iso: str | None) -> str:
    """2023-12-20 → 20/12/2023 (as written in Vietnamese administrative documents)."""
    if not iso:
        return ""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso[:10])
    return f"{m[3]}/{m[2]}/{m[1]}" if m else iso


def issuer_name(db, plan: dict) -> str | None:
    """The plan's issuer as the gazetteer names it (not the upper-case header line)."""
    if plan.get("issuer_body_id"):
        found = rows(db, "select name from bodies where id = ?", (plan["issuer_body_id"],))
        if found:
            return found[0]["name"]
    return plan.get("issuer_text")


def quote(text: str) -> str:
    """A statement as a quotation: without its bullet."""
    return "“" + re.sub(r"^\s*[-–•+*]\s*", "", text.strip()) + "”"


def vi_period(period: str | None) -> str:
    if not period:
        return ""
    if m := re.fullmatch(r"(\d{4})-H1", period):
        return f"6 tháng đầu năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-H2", period):
        return f"6 tháng cuối năm {m[1]}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        return f"quý {m[2]} năm {m[1]}"
    if re.fullmatch(r"\d{4}", period):
        return f"năm {period}"
    return period


def plan_label(plan: dict) -> str:
    """Kế hoạch số 95/KH-UBND ngày 18/4/2023 (the way reports cite it)."""
    label = f"Kế hoạch số {plan['number']}" if plan.get("number") else f"Kế hoạch {plan['filename']}"
    if plan.get("issued_on"):
        y, m, d = plan["issued_on"][:10].split("-")
        label += f" ngày {int(d)}/{int(m)}/{y}"
    return label


def sheet_title(plan: dict, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, none of []:*?/\\) unique in the workbook."""
    base = "KH " + (plan.get("number") or plan["filename"])
    base = re.sub(r"[\[\]:*?/\\]", "-", base)[:28]
    name, n = base, 2
    while name in taken or name == "Báo cáo":
        name, n = f"{base[:26]} ({n})", n + 1
    taken.add(name)
    return name


# ----------------------------------------------------------------------------- XLSX


def matrix(db, plan_id: str) -> tuple[list[dict], list[tuple[str, str]], dict[tuple[str, str], str]]:
    """(tasks, bodies as (id, name) in order of first responsibility, {(task_id, body_id): status})."""
    tasks = plan_tasks(db, plan_id)
    bodies: dict[str, str] = {}
    cells: dict[tuple[str, str], str] = {}
    for r in task_status_rows(db, plan_id):
        bodies.setdefault(r["body_id"], r["body_name"])
        key = (r["task_id"], r["body_id"])
        if key not in cells or STATUS_RANK[r["status"]] > STATUS_RANK[cells[key]]:
            cells[key] = r["status"]
    return tasks, list(bodies.items()), cells


def export_xlsx(db: sqlite_utils.Database, plan_ids: list[str], out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    taken: set[str] = set()
    for plan_id in plan_ids:
        plan = plan_row(db, plan_id)
        ws = wb.create_sheet(sheet_title(plan, taken))
        tasks, bodies, cells = matrix(db, plan_id)
        ws.append(["Nhiệm vụ", "Nội dung nhiệm vụ", *[nfc(name) for _, name in bodies]])
        for t in tasks:
            ws.append([t["ref"], nfc(t["text"]),
                       *[TASK_STATUS_VI.get(cells.get((t["id"], b)), None) for b, _ in bodies]])
            row = ws.max_row
            for j, (b, _) in enumerate(bodies, start=3):
                status = cells.get((t["id"], b))
                cell = ws.cell(row, j)
                cell.border, cell.alignment = border, Alignment(wrap_text=True, vertical="center",
                                                                horizontal="center")
                if status:
                    cell.fill = PatternFill("solid", fgColor=TASK_FILLS[status])
            for j in (1, 2):
                ws.cell(row, j).alignment, ws.cell(row, j).border = wrap, border
        for cell in ws[1]:
            cell.font, cell.alignment, cell.border, cell.fill = bold, header_align, border, head_fill
        ws.column_dimensions["A"].width = 10
        ws.column_dimensions["B"].width = 70
        for j in range(3, len(bodies) + 3):
            ws.column_dimensions[get_column_letter(j)].width = 18
        ws.row_dimensions[1].height = 60
        ws.freeze_panes = "C2"
        ws.sheet_properties.tabColor = "4472C4"
        ws.oddHeader.center.text = nfc(f"Ma trận thực hiện {plan_label(plan)}")

    ws = wb.create_sheet("Báo cáo")
    ws.append(["Kế hoạch", "Cơ quan", "Báo cáo", "Kỳ", "Hạn", "Ngày báo cáo", "Số ngày muộn", "Tình trạng",
               "Tệp báo cáo"])
    for plan_id in plan_ids:
        number = plan_row(db, plan_id).get("number") or plan_id[:12]
        for r in reporting_rows(db, plan_id):
            ws.append([number, nfc(r["body_name"]), nfc(r["what"]), vi_period(r["period"]), vi_date(r["due_on"]),
                       vi_date(r["received_on"]), r["days_late"] if r["status"] == "late" else None,
                       REPORT_STATUS_VI[r["status"]], r["report_file"]])
            ws.cell(ws.max_row, 8).fill = PatternFill("solid", fgColor=REPORT_FILLS[r["status"]])
    for cell in ws[1]:
        cell.font, cell.alignment, cell.fill = bold, header_align, head_fill
    for col, width in zip("ABCDEFGHI", (14, 45, 28, 20, 12, 14, 13, 18, 34)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


# ----------------------------------------------------------------------------- DOCX


def _join(names: list[str]) -> str:
    return "; ".join(names)


def synthesis(db, plan_id: str) -> dict:
    """What the draft report says, as data (used by the DOCX writer and handy for tests)."""
    plan = plan_row(db, plan_id)
    rs = reporting_rows(db, plan_id)
    tasks, bodies, cells = matrix(db, plan_id)
    names = dict(bodies)
    ts = task_status_rows(db, plan_id)
    roles: dict[tuple[str, str], list[str]] = {}
    for r in ts:
        roles.setdefault((r["task_id"], r["body_id"]), []).append(r["role"])
    per_task = []
    for t in tasks:
        entries = []
        for (task_id, body_id), status in cells.items():
            if task_id != t["id"]:
                continue
            entries.append({"body_id": body_id, "body_name": names[body_id], "status": status,
                            "roles": roles.get((task_id, body_id), []),
                            "evidence": evidence_for(db, t["id"], body_id)[:MAX_QUOTES]})
        per_task.append({"task": t, "bodies": entries})
    unreported = [x for x in per_task
                  if x["bodies"] and all(b["status"] in ("not_reported", "no_report_received") for b in x["bodies"])]
    unassigned = rows(db, "select u.*, b.name as body_name from unassigned_activities u "
                          "left join bodies b on b.id = u.body_id "
                          "where u.report_id in (select report_id from plan_reports where plan_id = ?) "
                          "order by b.name, u.filename, u.char_start", (plan_id,))
    return {"plan": plan, "reporting": rs, "tasks": per_task, "unreported": unreported, "unassigned": unassigned}


def export_docx(db: sqlite_utils.Database, plan_ids: list[str], out: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt, RGBColor

    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    style.paragraph_format.space_after = Pt(4)

    def para(text: str = "", bold=False, italic=False, align=None, size=None, color=None, indent=True):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        elif indent:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Pt(28)
        if text:
            run = p.add_run(nfc(text))
            run.bold, run.italic = bold, italic
            if size:
                run.font.size = Pt(size)
            if color:
                run.font.color.rgb = RGBColor.from_string(color)
        return p

    center = WD_ALIGN_PARAGRAPH.CENTER
    doc.core_properties.title = "DỰ THẢO - Báo cáo tổng hợp kết quả thực hiện kế hoạch"
    doc.core_properties.language = "vi-VN"
    for k, plan_id in enumerate(plan_ids):
        s = synthesis(db, plan_id)
        plan = s["plan"]
        if k:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        para("DỰ THẢO", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=14, color="C00000")
        para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=center)
        para("Độc lập - Tự do - Hạnh phúc", bold=True, align=center)
        para("BÁO CÁO", bold=True, align=center, size=14)
        title = f"Tổng hợp kết quả thực hiện {plan_label(plan)}"
        issuer = issuer_name(db, plan)
        if issuer:
            title += f" của {issuer}"
        if plan.get("title"):
            title += f" về {plan['title'][0].lower() + plan['title'][1:]}"
        para(title, bold=True, align=center)
        para("(Dự thảo do plantrace tổng hợp tự động từ các báo cáo đã tiếp nhận; cần rà soát, đối chiếu "
             "với văn bản gốc trước khi trình ký.)", italic=True, align=center, size=11)
        para(f"Thực hiện {plan_label(plan)}, trên cơ sở báo cáo của các cơ quan, đơn vị, địa phương, "
             "kết quả thực hiện được tổng hợp như sau:")

        # I. reporting
        rs = s["reporting"]
        para("I. TÌNH HÌNH BÁO CÁO", bold=True, indent=False)
        on_time = [r for r in rs if r["status"] == "received"]
        late = [r for r in rs if r["status"] == "late"]
        missing = [r for r in rs if r["status"] == "missing"]
        para(f"Theo kế hoạch có {len(rs)} lượt báo cáo phải gửi; đã nhận {len(on_time) + len(late)} "
             f"(đúng hạn {len(on_time)}, muộn {len(late)}); chưa nhận {len(missing)}.")
        para("1. Báo cáo đã nhận đúng hạn", bold=True, indent=False)
        if not on_time:
            para("Không có.")
        for r in on_time:
            para(f"- {r['body_name']}: {r['what'] or 'báo cáo'} (kỳ {vi_period(r['period'])}), "
                 f"ngày {vi_date(r['received_on'])} (hạn {vi_date(r['due_on'])}).")
        para("2. Báo cáo gửi muộn", bold=True, indent=False)
        if not late:
            para("Không có.")
        for r in late:
            para(f"- {r['body_name']}: {r['what'] or 'báo cáo'} (kỳ {vi_period(r['period'])}), "
                 f"ngày {vi_date(r['received_on'])}, hạn {vi_date(r['due_on'])}, muộn {r['days_late']} ngày "
                 f"(tệp {r['report_file']}).")
        para("3. Cơ quan, đơn vị chưa gửi báo cáo", bold=True, indent=False)
        if not missing:
            para("Không có.")
        groups: dict[tuple, list[str]] = {}
        for r in missing:
            groups.setdefault((r["due_on"] or "", r["period"], r["what"]), []).append(r["body_name"])
        for (due, period, what), bodies in groups.items():
            para(f"- {(what or 'Báo cáo').capitalize()}, kỳ {vi_period(period)} (hạn {vi_date(due)}): "
                 f"chưa nhận báo cáo của {len(bodies)} cơ quan, đơn vị: {_join(bodies)}.")

        # II. per task
        para("II. KẾT QUẢ THỰC HIỆN THEO NHIỆM VỤ", bold=True, indent=False)
        for x in s["tasks"]:
            t = x["task"]
            para(f"{t['ref']}. {t['text']}", bold=True, indent=False)
            if not x["bodies"]:
                para("Chưa xác định được cơ quan chịu trách nhiệm.", italic=True)
            for b in x["bodies"]:
                role = ", ".join(ROLE_VI.get(r, r) for r in b["roles"])
                para(f"- {b['body_name']} ({role}): {TASK_STATUS_VI[b['status']]}.")
                for e in b["evidence"]:
                    p = para(quote(e["text"]), italic=True)
                    p.paragraph_format.left_indent = Pt(28)
                    p.add_run(nfc(f" (Báo cáo {e['filename']}, trang {e['page']})"))
        # III. unreported tasks
        para("III. NHIỆM VỤ CHƯA ĐƯỢC BÁO CÁO", bold=True, indent=False)
        if not s["unreported"]:
            para("Tất cả nhiệm vụ đều đã có cơ quan báo cáo kết quả.")
        for x in s["unreported"]:
            t = x["task"]
            who = "; ".join(f"{b['body_name']} ({TASK_STATUS_VI[b['status']].lower()})" for b in x["bodies"])
            para(f"- {t['ref']}. {t['text']} — {who}.")
        # IV. unassigned
        para("IV. HOẠT ĐỘNG NGOÀI KẾ HOẠCH", bold=True, indent=False)
        if not s["unassigned"]:
            para("Không có.")
        current = object()
        for u in s["unassigned"]:
            if u["body_name"] != current:
                current = u["body_name"]
                para(f"{current or 'Cơ quan chưa xác định'}:", bold=True, indent=False)
            p = para("- " + quote(u["text"]))
            p.add_run(nfc(f" (Báo cáo {u['filename']}, trang {u['page']})"))
        para("Trên đây là dự thảo báo cáo tổng hợp kết quả thực hiện kế hoạch./.", italic=True)

    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


# ----------------------------------------------------------------------------- JSON


def dump(db: sqlite_utils.Database, plan_id: str) -> dict:
    """Everything about one plan, as plain data."""
    plan = plan_row(db, plan_id)
    tasks = plan_tasks(db, plan_id)
    tb: dict[str, list[dict]] = {}
    for r in rows(db, "select * from task_bodies where task_id in (select id from tasks where document_id = ?) "
                      "order by id", (plan_id,)):
        tb.setdefault(r["task_id"], []).append(r)
    for t in tasks:
        t["task_bodies"] = tb.get(t["id"], [])
    reports = rows(db, "select pr.period as report_period, pr.basis, d.* from plan_reports pr "
                       "join documents d on d.id = pr.report_id where pr.plan_id = ? "
                       "order by d.issued_on, d.filename", (plan_id,))
    for rep in reports:
        figures = rows(db, "select * from figures where document_id = ? order by char_start", (rep["id"],))
        by_statement: dict[str, list[dict]] = {}
        for f in figures:
            by_statement.setdefault(f["statement_id"], []).append(f)
        rep["evidence"] = []
        for e in rows(db, "select e.id, e.task_id, t.ref as task_ref, e.body_id, e.score, e.method, "
                          "v.verdict, e.statement_id, s.text, s.part, s.page, s.char_start, s.char_end "
                          "from evidence e join statements s on s.id = e.statement_id "
                          "left join tasks t on t.id = e.task_id "
                          "left join evidence_verdicts v on v.evidence_id = e.id "
                          "where e.report_id = ? and e.plan_id = ? order by s.char_start, e.task_id",
                          (rep["id"], plan_id)):
            e["figures"] = [f["surface"] for f in by_statement.get(e["statement_id"], [])]
            rep["evidence"].append(e)
        rep["figures"] = figures
    return {
        "plan": plan,
        "tasks": tasks,
        "reporting_obligations": rows(db, "select * from reporting_obligations where plan_id = ? order by id",
                                      (plan_id,)),
        "reporting_status": reporting_rows(db, plan_id),
        "task_status": task_status_rows(db, plan_id),
        "reports": reports,
    }


def export_json(db: sqlite_utils.Database, plan_ids: list[str], single: bool) -> str:
    data: Any = dump(db, plan_ids[0]) if single else [dump(db, p) for p in plan_ids]
    return nfc(json.dumps(data, ensure_ascii=False, indent=1))


def default_output(db_path: Path, fmt: str, plan_ids: list[str], db: sqlite_utils.Database) -> Path:
    """outputs/ke-hoach-95-KH-UBND.xlsx (one plan) or outputs/ke-hoach.xlsx (all), beside the database."""
    if len(plan_ids) == 1:
        number = plan_row(db, plan_ids[0]).get("number") or plan_ids[0][:12]
        stem = "ke-hoach-" + re.sub(r"[^0-9A-Za-z]+", "-", unicodedata.normalize("NFKD", number)
                                    .encode("ascii", "ignore").decode()).strip("-")
    else:
        stem = "ke-hoach"
    return Path(db_path).parent / f"{stem}.{fmt}"
