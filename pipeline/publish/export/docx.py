"""The draft synthesis report as DOCX."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from pipeline.publish.export.common import (MAX_QUOTES, ROLE_VI, TASK_STATUS_VI, evidence_for, issuer_name, nfc, plan_label, plan_row, quote, reporting_rows, rows, task_status_rows, vi_date, vi_period)
from pipeline.publish.export.xlsx import matrix


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
