"""The compliance matrix as XLSX: tasks × responsible bodies, and the reporting status."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from pipeline.publish.export.common import (REPORT_FILLS, REPORT_STATUS_VI, STATUS_RANK, TASK_FILLS, TASK_STATUS_VI, nfc, plan_label, plan_row, plan_tasks, reporting_rows, sheet_title, task_status_rows, vi_date, vi_period)


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
