"""Datasette serving the corpus database over real HTTP, as analysts and auditors use it."""

import httpx

from tests.conftest import ROOT, corpus_files, gold_files


def test_documents_json_lists_every_document_right(server):
    rows = httpx.get(server + "/plantrace/documents.json?_shape=array&_size=max", timeout=30).json()
    bodies = {b["id"]: b["name"] for b in httpx.get(server + "/plantrace/bodies.json?_shape=array&_size=max").json()}
    by_file = {r["filename"]: r for r in rows}
    for g in gold_files():
        r, h = by_file[g["file"]], g["header"]
        assert (r["kind"], r["number"], r["issued_on"], bodies[r["issuer_body_id"]]) == (
            h["kind"], h["number"], h["issued_on"], h["issuer"]), g["file"]


def test_search_without_diacritics_finds_vietnamese_text(server):
    rows = httpx.get(server + "/plantrace/document_text.json",
                     params={"_search": "nghi dinh", "_shape": "array", "_col": "document_id"}).json()
    assert len(rows) >= 3


def test_titles_are_vietnamese(server):
    meta = httpx.get(server + "/-/metadata.json").json()
    assert meta["title"] == "plantrace — Theo dõi thực hiện kế hoạch"
    assert meta["databases"]["plantrace"]["tables"]["documents"]["title"] == "Văn bản"
    page = httpx.get(server + "/plantrace/ingest_log").text
    assert "Nhật ký tiếp nhận" in page


def test_arbitrary_sql_cannot_write(server):
    r = httpx.get(server + "/plantrace.json", params={"sql": "delete from documents"})
    assert r.status_code == 400
    count = httpx.get(server + "/plantrace.json", params={"sql": "select count(*) as n from documents",
                                                          "_shape": "array"}).json()[0]["n"]
    assert count == len(corpus_files())


def test_canned_queries_answer_in_vietnamese(server):
    late = httpx.get(server + "/plantrace/bao_cao_thieu_muon.json", params={"_shape": "array"}).json()
    assert {r["Cơ quan"] for r in late if r["Tình trạng"] == "late"} == {
        "Phòng Tư pháp", "Trung tâm Y tế huyện Trùng Khánh", "Công an huyện Hà Quảng"}
    matrix = httpx.get(server + "/plantrace/ma_tran_thuc_hien.json",
                       params={"so_ky_hieu": "58/KH-UBND", "_shape": "array", "_size": "max"}).json()
    assert {r["Tình trạng"] for r in matrix} >= {"reported", "not_reported", "no_report_received"}
    for name in ("so_lieu_theo_co_quan", "hoat_dong_ngoai_ke_hoach", "bao_cao_theo_ky"):
        assert httpx.get(server + f"/plantrace/{name}.json").status_code == 200


def test_an_auditor_traces_a_task_to_sentence_and_page(server):
    task = httpx.get(server + "/plantrace.json", params={
        "sql": "select task_id from task_status where ref = 'IV.9' and status = 'reported'", "_shape": "array"}).json()
    rows = httpx.get(server + "/plantrace/truy_vet_nhiem_vu.json",
                     params={"task_id": task[0]["task_id"], "_shape": "array"}).json()
    assert rows and all(r["Báo cáo"] == "bc_congan_2023_nam.pdf" and r["Trang"] >= 1 for r in rows)
    assert any("vụ" in (r["Số liệu"] or "") for r in rows)


def test_document_page_highlights_what_was_found(server):
    doc = httpx.get(server + "/plantrace/documents.json", params={
        "filename": "bc_vhtt_2023_h1.pdf", "_shape": "array"}).json()[0]
    page = httpx.get(server + f"/-/van-ban/{doc['id']}")
    assert page.status_code == 200
    for label in ("CƠ QUAN", "VĂN BẢN", "SỐ LIỆU", "MINH CHỨNG"):
        assert label in page.text
    assert httpx.get(server + "/-/van-ban/khong-co").status_code == 404
