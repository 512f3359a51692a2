"""Tasks from the TỔ CHỨC THỰC HIỆN items and from annex tables, with their bodies."""

import pytest

from extractors import agencies, header, obligations, outline, tasks
from pipeline.read import read
from tests.conftest import CORPUS, text_doc

PLAN = """KẾ HOẠCH
Phòng chống thiên tai năm 2024
Thực hiện chỉ đạo của tỉnh, Ủy ban nhân dân huyện ban hành Kế hoạch như sau:
I. MỤC ĐÍCH
Bảo đảm an toàn.
II. TỔ CHỨC THỰC HIỆN
1. Phòng Nông nghiệp và Phát triển nông thôn
- Chủ trì, phối hợp với Phòng Tài chính - Kế hoạch và UBND các xã, thị trấn rà soát các điểm sạt lở, hoàn thành trước ngày 30/5.
- Thường xuyên theo dõi tình hình mưa lũ.
2. Phòng Nội vụ: chủ trì tập huấn cho lực lượng xung kích.
3. Đề nghị Hội Liên hiệp Phụ nữ huyện
Tuyên truyền hội viên chủ động phòng tránh.
4. Phòng Quản lý thiên tai huyện
Xây dựng phương án sơ tán.
III. CHẾ ĐỘ BÁO CÁO
Các cơ quan báo cáo kết quả trước ngày 15/6 đối với báo cáo 6 tháng và trước ngày 15/12 đối với báo cáo năm cho UBND huyện (qua Phòng Nông nghiệp và Phát triển nông thôn).
"""


@pytest.fixture(scope="module")
def plan(gazetteer, matcher):
    doc = text_doc(PLAN, "plan.txt")
    h = header.find(doc)
    secs = outline.find(doc, h.body_start, h.body_end)
    found = agencies.find(doc, gazetteer)
    ts = tasks.find(doc, secs, found, 2024)
    return doc, secs, found, ts, tasks.resolve(ts, matcher, "trung-khanh")


def _bodies(plan, ref):
    _, _, _, ts, tb = plan
    t = next(t for t in ts if t.ref == ref)
    return {(b.body_id, b.role) for b in tb if b.task_id == t.id and b.via_body_id is None}


def test_find_takes_bullets_inline_items_and_paragraph_items(plan):
    assert [t.ref for t in plan[3]] == ["II.1.-1", "II.1.-2", "II.2", "II.3", "II.4"]


def test_coordinators_follow_phoi_hop_voi(plan):
    assert _bodies(plan, "II.1.-1") == {("phong-nnptnt", "lead"), ("phong-tckh", "coordinate"),
                                       ("ubnd-cac-xa", "coordinate")}


def test_collective_expands_to_every_commune(plan):
    _, _, _, ts, tb = plan
    members = [b for b in tb if b.task_id == ts[0].id and b.via_body_id == "ubnd-cac-xa"]
    assert len(members) == 21 and all(b.role == "coordinate" for b in members)


def test_requested_items_and_unknown_bodies(plan):
    assert _bodies(plan, "II.3") == {("hoi-lhpn-huyen", "requested")}
    assert _bodies(plan, "II.4") == {(None, "lead")}  # kept as written, for the gazetteer to grow
    t = next(t for t in plan[3] if t.ref == "II.4")
    assert t.assignees[0].mention.surface == "Phòng Quản lý thiên tai huyện"


def test_deadline_and_recurrence(plan):
    by_ref = {t.ref: t for t in plan[3]}
    assert by_ref["II.1.-1"].deadline == "2024-05-29"
    assert by_ref["II.1.-2"].recurrence == "thường xuyên"
    assert by_ref["II.2"].text == "chủ trì tập huấn cho lực lượng xung kích."


def test_task_ids_are_stable(plan, gazetteer):
    again = tasks.find(plan[0], plan[1], plan[2], 2024)
    assert [t.id for t in again] == [t.id for t in plan[3]]


def test_obligations(plan):
    doc, secs, found, _, _ = plan
    obs = obligations.find(doc, secs, found, 2024)
    assert [(o.period, o.due_on, o.recipient.surface, o.via.surface) for o in obs] == [
        ("2024-H1", "2024-06-14", "UBND huyện", "Phòng Nông nghiệp và Phát triển nông thôn"),
        ("2024", "2024-12-14", "UBND huyện", "Phòng Nông nghiệp và Phát triển nông thôn")]


@pytest.mark.parametrize("name", ["kh_58_2024_haquang.pdf", "kh_58_2024_haquang.docx"])
def test_annex_table_rows_are_tasks_in_pdf_and_word(name, gazetteer, matcher):
    doc = read(CORPUS / name)
    h = header.find(doc)
    secs = outline.find(doc, h.body_start, h.body_end)
    ts = [t for t in tasks.find(doc, secs, agencies.find(doc, gazetteer), 2024) if t.source == "table"]
    assert [t.ref for t in ts] == [f"PL.{n}" for n in range(1, 18)]  # group heading rows are not tasks
    tb = tasks.resolve(tuple(ts), matcher, "ha-quang")
    pl2 = {(b.body_id, b.role) for b in tb if b.task_id == ts[1].id and not b.via_body_id}
    assert pl2 == {("hq-phong-vhtt", "lead"), ("hq-phong-noi-vu", "coordinate"), ("hq-vp-hdnd-ubnd", "coordinate")}
    assert (ts[1].deadline, ts[0].recurrence) == ("2024-06-30", "thường xuyên")
