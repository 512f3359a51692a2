"""Legal citations: find() on texts written like the corpus and the seed, resolve() against the
seed registry (gazetteer/data/legal_documents.yml) and against small purpose-made registries."""

from __future__ import annotations

import re
from pathlib import Path

import json

import pytest
import yaml

from extractors import citations, header, patterns
from extractors.citations import Citation, find, resolve
from gazetteer.registry import LegalDocument, load_registry
from pipeline.read import read
from pipeline.read.txt import parse, parse_text
from tests.conftest import CORPUS, ROOT, SEED


def doc(text: str):
    return parse_text(text, "test-citations", "citations.txt")


def found(text: str, default_year: int | None = None) -> tuple[Citation, ...]:
    d = doc(text)
    cs = find(d, default_year=default_year)
    for c in cs:
        assert c.surface == d.text[c.span.start:c.span.end]
    return cs


def row(c: Citation) -> tuple:
    return (c.surface, c.kind, c.doc_type, c.number, c.issued_on, c.issuer, c.name)


# ------------------------------------------------------------------ find: one row per case
# (text, default_year, expected citations as (surface, kind, doc_type, number, issued_on, issuer, name))
FIND_CASES = [
    pytest.param(
        "Thực hiện Kế hoạch số 762/KH-UBND ngày 04 tháng 4 năm 2023 của Ủy ban nhân dân tỉnh Cao Bằng về việc "
        "triển khai công tác bình đẳng giới",
        None,
        [("Kế hoạch số 762/KH-UBND ngày 04 tháng 4 năm 2023 của Ủy ban nhân dân tỉnh Cao Bằng", "document",
          "Kế hoạch", "762/KH-UBND", "2023-04-04", "Ủy ban nhân dân tỉnh Cao Bằng", None)],
        id="plan_long_date_issuer_ends_at_ve_viec"),
    pytest.param(
        "Nghị định số 125/2021/NĐ-CP ngày 28/12/2021 quy định xử phạt vi phạm hành chính",
        None,
        [("Nghị định số 125/2021/NĐ-CP ngày 28/12/2021", "document", "Nghị định", "125/2021/NĐ-CP", "2021-12-28",
          None, None)],
        id="decree_legal_number_no_issuer"),
    pytest.param(
        "Quyết định số 2282/QĐ-TTg ngày 31/12/2020 của Thủ\ntướng Chính phủ về phê duyệt Chương trình",
        None,
        [("Quyết định số 2282/QĐ-TTg ngày 31/12/2020 của Thủ\ntướng Chính phủ", "document", "Quyết định",
          "2282/QĐ-TTg", "2020-12-31", "Thủ tướng Chính phủ", None)],
        id="decision_issuer_broken_over_a_line"),
    pytest.param(
        "Luật phòng, chống bạo lực gia đình; Chỉ thị số 21-\nCT/TW ngày 20/01/2018 của Ban Bí thư về tiếp tục",
        None,
        [("Luật phòng, chống bạo lực gia đình", "law", "Luật", None, None, None, "Luật phòng, chống bạo lực gia đình"),
         ("Chỉ thị số 21-\nCT/TW ngày 20/01/2018 của Ban Bí thư", "document", "Chỉ thị", "21-CT/TW", "2018-01-20",
          "Ban Bí thư", None)],
        id="party_number_broken_after_hyphen"),
    pytest.param(
        "gắn với Chỉ thị số 21- CT/TW ngày 20/01/2018 của Ban Bí thư tại các xóm",
        None,
        [("Chỉ thị số 21- CT/TW ngày 20/01/2018 của Ban Bí thư", "document", "Chỉ thị", "21-CT/TW", "2018-01-20",
          "Ban Bí thư", None)],
        id="party_number_space_after_hyphen"),
    pytest.param(
        "Phòng ban hành Công văn số 212/LĐTBXH ngày 26/4/2023 hướng dẫn UBND các xã",
        None,
        [("Công văn số 212/LĐTBXH ngày 26/4/2023", "document", "Công văn", "212/LĐTBXH", "2023-04-26", None, None)],
        id="cong_van_issuer_only"),
    pytest.param(
        "Kế hoạch số 95/KH-UBND và Công văn số 1436/UBND-VX ngày 05/5/2023 của UBND huyện về việc đôn đốc",
        None,
        [("Kế hoạch số 95/KH-UBND", "document", "Kế hoạch", "95/KH-UBND", None, None, None),
         ("Công văn số 1436/UBND-VX ngày 05/5/2023 của UBND huyện", "document", "Công văn", "1436/UBND-VX",
          "2023-05-05", "UBND huyện", None)],
        id="two_numbers_joined_by_va"),
    pytest.param(
        "Thực hiện kế hoạch 147/KH-UBND của UBND tỉnh",
        None,
        [("kế hoạch 147/KH-UBND của UBND tỉnh", "document", "Kế hoạch", "147/KH-UBND", None, "UBND tỉnh", None)],
        id="lower_case_type_word_no_so"),
    pytest.param(
        "Thực hiện KH số 95/KH-UBND ngày 18/4/2023 của UBND huyện về triển khai",
        None,
        [("KH số 95/KH-UBND ngày 18/4/2023 của UBND huyện", "document", "Kế hoạch", "95/KH-UBND", "2023-04-18",
          "UBND huyện", None)],
        id="abbreviated_type_word"),
    pytest.param(
        "Thực hiện KH 95/KH-UBND, phân công cụ thể",
        None,
        [("KH 95/KH-UBND", "document", "Kế hoạch", "95/KH-UBND", None, None, None)],
        id="abbreviated_type_word_no_so"),
    pytest.param(
        "xử phạt theo 125/2021/NĐ-CP trong 38 buổi họp",
        None,
        [("125/2021/NĐ-CP", "document", "Nghị định", "125/2021/NĐ-CP", None, None, None)],
        id="bare_legal_number_type_from_code"),
    pytest.param(
        "Quyết định 424/QĐ-TTg ngày 7/4/2017 của Thủ tướng Chính phủ phê duyệt Đề án",
        None,
        [("Quyết định 424/QĐ-TTg ngày 7/4/2017 của Thủ tướng Chính phủ", "document", "Quyết định", "424/QĐ-TTg",
          "2017-04-07", "Thủ tướng Chính phủ", None)],
        id="no_so_short_date_without_zero"),
    pytest.param(
        "Tờ trình số 1167/TTr-SLĐTBXH 13 tháng 5 năm 2021 của Sở Lao động - Thương binh và Xã hội",
        None,
        [("Tờ trình số 1167/TTr-SLĐTBXH 13 tháng 5 năm 2021 của Sở Lao động - Thương binh và Xã hội", "document",
          "Tờ trình", "1167/TTr-SLĐTBXH", "2021-05-13", "Sở Lao động - Thương binh và Xã hội", None)],
        id="date_without_ngay_issuer_with_hyphen_and_va"),
    pytest.param(
        "theo Thông tư số 31/2017/TT-BGDĐT ngày 18/12/2017 của Bộ Giáo dục và Đào tạo.",
        None,
        [("Thông tư số 31/2017/TT-BGDĐT ngày 18/12/2017 của Bộ Giáo dục và Đào tạo", "document", "Thông tư",
          "31/2017/TT-BGDĐT", "2017-12-18", "Bộ Giáo dục và Đào tạo", None)],
        id="circular_issuer_va_capital_goes_on"),
    pytest.param(
        "(Kèm theo Quyết định số 745 /QĐ-UBND ngày 07/5/2013 của Chủ tịch UBNDtỉnh Vĩnh Long)",
        None,
        [("Quyết định số 745 /QĐ-UBND ngày 07/5/2013 của Chủ tịch UBNDtỉnh Vĩnh Long", "document", "Quyết định",
          "745/QĐ-UBND", "2013-05-07", "Chủ tịch UBNDtỉnh Vĩnh Long", None)],
        id="space_before_slash_issuer_ends_at_paren"),
    pytest.param(
        "Căn cứ Quyết định số 1790/QĐ- TTg của Thủ tướng Chính phủ;",
        None,
        [("Quyết định số 1790/QĐ- TTg của Thủ tướng Chính phủ", "document", "Quyết định", "1790/QĐ-TTg", None,
          "Thủ tướng Chính phủ", None)],
        id="space_after_hyphen_removed_from_number"),
    pytest.param(
        "Nghị quyết số: 653/2019/UBTVQH14 ngày 12/3/2019",
        None,
        [("Nghị quyết số: 653/2019/UBTVQH14 ngày 12/3/2019", "document", "Nghị quyết", "653/2019/UBTVQH14",
          "2019-03-12", None, None)],
        id="legal_number_without_type_token"),
    pytest.param(
        "thực hiện theo Hướng dẫn số 04/HD-ĐCT ngày 28/7/2022 của Trung ương Hội Liên hiệp phụ nữ Việt Nam hướng "
        "dẫn triển khai Dự án 8, các văn bản của UBND huyện",
        None,
        [("Hướng dẫn số 04/HD-ĐCT ngày 28/7/2022 của Trung ương Hội Liên hiệp phụ nữ Việt Nam", "document",
          "Hướng dẫn", "04/HD-ĐCT", "2022-07-28", "Trung ương Hội Liên hiệp phụ nữ Việt Nam", None),
         ("Dự án 8", "component", "Dự án", None, None, None, "Dự án 8")],
        id="guidance_then_component"),
    pytest.param(
        "Căn cứ Nghị quyết số 05-NQ/HU ngày 28/02/2022 của Ban Chấp hành Đảng bộ huyện Hà Quảng về chuyển đổi số",
        None,
        [("Nghị quyết số 05-NQ/HU ngày 28/02/2022 của Ban Chấp hành Đảng bộ huyện Hà Quảng", "document",
          "Nghị quyết", "05-NQ/HU", "2022-02-28", "Ban Chấp hành Đảng bộ huyện Hà Quảng", None)],
        id="party_resolution_of_huyen_uy"),
    pytest.param(
        "Trên cơ sở Kế hoạch số 95/KH-UBND ngày 18/4 của UBND huyện",
        2023,
        [("Kế hoạch số 95/KH-UBND ngày 18/4 của UBND huyện", "document", "Kế hoạch", "95/KH-UBND", "2023-04-18",
          "UBND huyện", None)],
        id="date_without_year_takes_default_year"),
    pytest.param(
        "Trên cơ sở Kế hoạch số 95/KH-UBND ngày 18/4 của UBND huyện",
        None,
        [("Kế hoạch số 95/KH-UBND ngày 18/4 của UBND huyện", "document", "Kế hoạch", "95/KH-UBND", None,
          "UBND huyện", None)],
        id="date_without_year_and_no_default_stays_unknown"),
    pytest.param(
        "Kế hoạch số 95/KH-UBND ngày 31/02/2023 của UBND huyện",
        None,
        [("Kế hoạch số 95/KH-UBND", "document", "Kế hoạch", "95/KH-UBND", None, None, None)],
        id="impossible_date_is_not_taken"),
    pytest.param(
        "Theo Quyết định số 66-QĐ/TW ngày 01-10-1997",
        None,
        [("Quyết định số 66-QĐ/TW ngày 01-10-1997", "document", "Quyết định", "66-QĐ/TW", "1997-10-01", None, None)],
        id="party_date_with_hyphens"),
    pytest.param(
        "Căn cứ văn bản số 10114/VPCP-KGVX của Văn phòng Chính phủ;",
        None,
        [("văn bản số 10114/VPCP-KGVX của Văn phòng Chính phủ", "document", "Công văn", "10114/VPCP-KGVX", None,
          "Văn phòng Chính phủ", None)],
        id="generic_word_van_ban_type_from_grammar"),
    pytest.param(
        "Kế hoạch phối hợp số 17/KHPH.VHTT-LĐTBXH ngày 03/3/2023",
        None,
        [("Kế hoạch phối hợp số 17/KHPH.VHTT-LĐTBXH ngày 03/3/2023", "document", "Kế hoạch phối hợp",
          "17/KHPH.VHTT-LĐTBXH", "2023-03-03", None, None)],
        id="joint_plan_dotted_code"),
    pytest.param(
        "Kế hoạch số 95/KH-UBND - Phòng Tư pháp chủ trì",
        None,
        [("Kế hoạch số 95/KH-UBND", "document", "Kế hoạch", "95/KH-UBND", None, None, None)],
        id="prose_dash_after_number_not_swallowed"),
    pytest.param(
        "xây dựng Kế hoạch số 41/KH-BCĐ ngày 20/02/2023 của Ban Chỉ đạo 138 huyện về phòng, chống tội phạm",
        None,
        [("Kế hoạch số 41/KH-BCĐ ngày 20/02/2023 của Ban Chỉ đạo 138 huyện", "document", "Kế hoạch", "41/KH-BCĐ",
          "2023-02-20", "Ban Chỉ đạo 138 huyện", None)],
        id="issuer_name_with_a_number"),
    pytest.param(
        "KẾ HOẠCH SỐ 95/KH-UBND NGÀY 18/4/2023",
        None,
        [("KẾ HOẠCH SỐ 95/KH-UBND NGÀY 18/4/2023", "document", "Kế hoạch", "95/KH-UBND", "2023-04-18", None, None)],
        id="upper_case_title_line"),
    # laws by name
    pytest.param(
        "Căn cứ Hiến pháp năm 2013;",
        None,
        [("Hiến pháp năm 2013", "law", "Hiến pháp", None, None, None, "Hiến pháp năm 2013")],
        id="constitution_by_year"),
    pytest.param(
        "tuyên truyền Luật Bình đẳng giới và Bộ luật Lao động năm 2019 tại các doanh nghiệp",
        None,
        [("Luật Bình đẳng giới", "law", "Luật", None, None, None, "Luật Bình đẳng giới"),
         ("Bộ luật Lao động năm 2019", "law", "Bộ luật", None, None, None, "Bộ luật Lao động năm 2019")],
        id="laws_joined_by_va_code_with_year"),
    pytest.param(
        "pháp luật của Đảng, Nhà nước: Luật bình đẳng\ngiới; Bộ Luật lao động; Luật phòng, chống bạo lực gia đình;",
        None,
        [("Luật bình đẳng\ngiới", "law", "Luật", None, None, None, "Luật bình đẳng giới"),
         ("Bộ Luật lao động", "law", "Bộ luật", None, None, None, "Bộ Luật lao động"),
         ("Luật phòng, chống bạo lực gia đình", "law", "Luật", None, None, None, "Luật phòng, chống bạo lực gia đình")],
        id="seed_law_list_lower_case_titles"),
    pytest.param(
        "theo quy định của Luật Ngân sách Nhà nước và các quy định pháp luật liên quan",
        None,
        [("Luật Ngân sách Nhà nước", "law", "Luật", None, None, None, "Luật Ngân sách Nhà nước")],
        id="law_name_ends_at_va_lower_case"),
    pytest.param(
        "Luật Phòng, chống bạo lực gia đình năm 2022 (có hiệu lực từ ngày 01/7/2023) đến 14/14 xóm",
        None,
        [("Luật Phòng, chống bạo lực gia đình năm 2022", "law", "Luật", None, None, None,
          "Luật Phòng, chống bạo lực gia đình năm 2022")],
        id="law_with_year_then_parenthesis_and_ratio"),
    pytest.param(
        "khi soạn thảo văn bản theo Điều 21 Luật Bình đẳng giới ngày 29/11/2006.",
        None,
        [("Luật Bình đẳng giới ngày 29/11/2006", "law", "Luật", None, "2006-11-29", None, "Luật Bình đẳng giới")],
        id="law_with_article_and_date"),
    pytest.param(
        "Luật Hôn nhân và gia đình năm 2014 tại các xã Tri Phương",
        None,
        [("Luật Hôn nhân và gia đình năm 2014", "law", "Luật", None, None, None, "Luật Hôn nhân và gia đình năm 2014")],
        id="law_title_with_va_from_known_titles"),
    pytest.param(
        "Luật Bình đẳng giới số 73/2006/QH11 của Quốc hội quy định",
        None,
        [("Luật Bình đẳng giới số 73/2006/QH11 của Quốc hội", "law", "Luật", "73/2006/QH11", None, "Quốc hội",
          "Luật Bình đẳng giới")],
        id="law_name_then_number"),
    pytest.param(
        "Căn cứ Luật số 73/2006/QH11;",
        None,
        [("Luật số 73/2006/QH11", "law", "Luật", "73/2006/QH11", None, None, None)],
        id="law_by_number_only"),
    pytest.param(
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật "
        "Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
        None,
        [("Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015", "law", "Luật", None, "2015-06-19", None,
          "Luật Tổ chức chính quyền địa phương"),
         ("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày "
          "22 tháng 11 năm 2019", "law", "Luật", None, "2019-11-22", None,
          "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương")],
        id="amending_law_is_one_citation"),
    # programmes and components
    pytest.param(
        "- Tiếp tục thực hiện Đề án 939, 938, 1893; đẩy mạnh tuyên truyền",
        None,
        [("Đề án 939", "programme", "Đề án", None, None, None, "Đề án 939"),
         ("938", "programme", "Đề án", None, None, None, "Đề án 938"),
         ("1893", "programme", "Đề án", None, None, None, "Đề án 1893")],
        id="programme_number_list"),
    pytest.param(
        "b) Đề án 938 và Đề án 1893 “Bồi dưỡng cán bộ”",
        None,
        [("Đề án 938", "programme", "Đề án", None, None, None, "Đề án 938"),
         ("Đề án 1893", "programme", "Đề án", None, None, None, "Đề án 1893")],
        id="programmes_each_named"),
    pytest.param(
        "Đối với Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn\n2021-2025: Căn cứ",
        None,
        [("Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn\n2021-2025", "programme", "Chương trình",
          None, None, None, "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025")],
        id="national_target_programme_with_period"),
    pytest.param(
        "về việc triển khai thực hiện Chương trình MTQG xây dựng nông thôn mới năm 2023 trên địa bàn huyện",
        None,
        [("Chương trình MTQG xây dựng nông thôn mới", "programme", "Chương trình", None, None, None,
          "Chương trình MTQG xây dựng nông thôn mới")],
        id="national_target_programme_abbreviated_year_left_out"),
    pytest.param(
        "Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng dân tộc thiểu số và miền núi giai đoạn "
        "2021-2025: thực hiện",
        None,
        [("Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng dân tộc thiểu số và miền núi giai đoạn "
          "2021-2025", "programme", "Chương trình", None, None, None,
          "Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng dân tộc thiểu số và miền núi giai đoạn "
          "2021-2025")],
        id="national_target_programme_known_subject_with_va"),
    pytest.param(
        "Tổng kinh phí Dự án 8 năm 2023 được phân bổ là 2.150 triệu đồng",
        None,
        [("Dự án 8", "component", "Dự án", None, None, None, "Dự án 8")],
        id="component_not_document_money_ignored"),
]


@pytest.mark.parametrize("text, default_year, expected", FIND_CASES)
def test_find_extracts_citation_fields(text, default_year, expected):
    assert [row(c) for c in found(text, default_year)] == expected


# ------------------------------------------------------------------ find: the grammar of the number
# (text, number, grammar, type_code, issuer_code, year)
GRAMMAR_CASES = [
    pytest.param("Kế hoạch số 762/KH-UBND", "762/KH-UBND", "administrative", "KH", "UBND", None, id="administrative"),
    pytest.param("Nghị định số 125/2021/NĐ-CP", "125/2021/NĐ-CP", "legal", "NĐ", "CP", 2021, id="legal"),
    pytest.param("Chỉ thị số 21-CT/TW", "21-CT/TW", "party", "CT", "TW", None, id="party"),
    pytest.param("Công văn số 5645/LĐTBXH-BĐG", "5645/LĐTBXH-BĐG", "cong_van", None, "LĐTBXH-BĐG", None,
                 id="cong_van_with_unit"),
    pytest.param("Kế hoạch số 483/KH-UBQG-BCA", "483/KH-UBQG-BCA", "administrative", "KH", "UBQG-BCA", None,
                 id="joint_issuers"),
    pytest.param("Quy định số 01/QyĐ-UBND", "01/QyĐ-UBND", "administrative", "QyĐ", "UBND", None,
                 id="mixed_case_type_code"),
    pytest.param("Thông tư liên tịch số 01/2010/TTLT-BLĐTBXH-BYT", "01/2010/TTLT-BLĐTBXH-BYT", "legal", "TTLT",
                 "BLĐTBXH-BYT", 2010, id="joint_circular"),
    pytest.param("Công văn số 2180/SGD&ĐT-KTKĐCLGD", "2180/SGD&ĐT-KTKĐCLGD", "cong_van", None, "SGD&ĐT-KTKĐCLGD",
                 None, id="ampersand_in_code"),
    pytest.param("Số 36-HD/VPTW", "36-HD/VPTW", "party", "HD", "VPTW", None, id="party_so_without_colon"),
    pytest.param("Nghị quyết số 04-NQ/T.Ư", "04-NQ/T.Ư", "party", "NQ", "T.Ư", None, id="party_dotted_issuer"),
    pytest.param("Thanh tra huyện có văn bản số 25/TTr", "25/TTr", "cong_van", None, "TTr", None,
                 id="type_code_alone_is_an_issuer"),
    pytest.param("Số: /KH-UBND", "/KH-UBND", "administrative", "KH", "UBND", None, id="blank_number"),
    pytest.param("Quyết định số 2282/QĐ-TTg ngày 31/12/2020", "2282/QĐ-TTg", "administrative", "QĐ", "TTg", 2020,
                 id="year_from_date"),
]


@pytest.mark.parametrize("text, number, grammar, type_code, issuer_code, year", GRAMMAR_CASES)
def test_find_number_grammar(text, number, grammar, type_code, issuer_code, year):
    (c,) = found(text)
    assert (c.number, c.grammar, c.type_code, c.issuer_code, c.year) == (number, grammar, type_code, issuer_code, year)


# ------------------------------------------------------------------ find: not citations
NOT_CITATIONS = [
    pytest.param("từ ngày 15/11/2023 đến ngày 15/12/2023", id="dates"),
    pytest.param("trước ngày 15/6 và 01-10-1997", id="short_and_party_dates"),
    pytest.param("giai đoạn 2021- 2030 và 2021 - 2025", id="periods"),
    pytest.param("ghép 15.600.000 đồng, đạt 186,4 tỷ đồng; 50,5 triệu đồng/năm", id="money"),
    pytest.param("đạt 75,3% kế hoạch, tăng 7,92% so với cùng kỳ; 103/103 = 100%", id="percentages"),
    pytest.param("đạt 38/54 chỉ tiêu; 21/21 Trạm Y tế; 9.481/9.440ha", id="ratios"),
    pytest.param("quý I/2024 và tháng 5/2023", id="quarter_and_month"),
    pytest.param("V/v báo cáo kết quả; Đ/c Nguyễn Văn A", id="vv_and_dong_chi"),
    pytest.param("tuyên truyền pháp luật về bình đẳng giới; Pháp luật hiện hành", id="phap_luat"),
    pytest.param("mời Luật sư tư vấn; theo quy định của Luật.", id="luat_su_and_bare_luat"),
    pytest.param("các chương trình, đề án khác; chương trình, dự án,… cho cán bộ", id="generic_programmes"),
    pytest.param("trong các Chương trình mục tiêu quốc gia giai đoạn 2021-2025, cụ thể:", id="generic_mtqg"),
    pytest.param("Phòng PC02 - Công an tỉnh; Tiểu dự án 2 của dự án", id="unit_code_and_sub_component"),
    pytest.param("Số liệu thống kê năm 2023", id="so_lieu"),
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_find_ignores_non_citations(text):
    assert found(text) == ()


def test_find_du_an_is_a_component_not_a_document():
    (c,) = found("Hội LHPN huyện triển khai Dự án 8 “Thực hiện bình đẳng giới”")
    assert (c.kind, c.doc_type, c.number, c.name) == ("component", "Dự án", None, "Dự án 8")


def test_find_header_number_line_is_returned_and_filterable_by_span():
    d = read(CORPUS / "kh_95_2023_trungkhanh.pdf")
    own = header.find(d).number.span
    cs = find(d)
    overlapping = [c for c in cs if c.span.start < own.end and own.start < c.span.end]
    assert [(c.surface, c.number, c.kind) for c in overlapping] == [("Số: 95/KH-UBND", "95/KH-UBND", "document")]
    assert all(c.number != "95/KH-UBND" for c in cs if c not in overlapping)


def test_find_on_nfd_text_after_reader_normalises():
    import unicodedata

    text = unicodedata.normalize("NFD", "Kế hoạch số 762/KH-UBND ngày 04/4/2023 của Ủy ban nhân dân tỉnh Cao Bằng")
    (c,) = found(text)
    assert (c.doc_type, c.number, c.issuer) == ("Kế hoạch", "762/KH-UBND", "Ủy ban nhân dân tỉnh Cao Bằng")


# ------------------------------------------------------------------ pattern data
def _regex_examples():
    for key, entry in patterns.load("citations").items():
        if isinstance(entry, dict) and "regex" in entry:
            for ex in entry.get("examples", []):
                yield pytest.param(key, ex, True, id=f"{key}:{ex[:30]}")
            for ex in entry.get("counter_examples", []):
                yield pytest.param(key, ex, False, id=f"{key}:not:{ex[:30]}")


@pytest.mark.parametrize("key, text, should_match", list(_regex_examples()))
def test_regex_citations_yml_examples(key, text, should_match):
    assert bool(patterns.regex("citations", key).search(text)) == should_match


def _type_word_examples():
    entry = patterns.load("citations")["type_word"]
    yield from (pytest.param(ex, True, id=f"type_word:{ex}") for ex in entry["examples"])
    yield from (pytest.param(ex, False, id=f"type_word:not:{ex}") for ex in entry["counter_examples"])


@pytest.mark.parametrize("text, whole", list(_type_word_examples()))
def test_prefix_regex_type_word_examples(text, whole):
    m = citations.prefix_regex().search(text)
    assert (m is not None and m.start() == 0) == whole


@pytest.mark.parametrize("code, is_type", [("KH", True), ("QyĐ", True), ("TTr", True), ("CTr", True), ("TTLT", True),
                                            ("CV", True), ("TTg", False), ("UBND", False), ("QYĐ", False)])
def test_type_codes_are_case_sensitive(code, is_type):
    assert (code in citations.type_codes()) == is_type


# ------------------------------------------------------------------ whole documents
def _corpus_bodies():
    for p in sorted((ROOT / "corpus" / "src").glob("*.yml")):
        src = yaml.safe_load(p.read_text(encoding="utf-8"))
        if isinstance(src, dict) and src.get("body"):
            yield pytest.param(p.stem, src["body"], id=p.stem)
    yield pytest.param("seed", Path(SEED).read_text(encoding="utf-8"), id="seed")


@pytest.mark.parametrize("name, body", list(_corpus_bodies()))
def test_find_corpus_surfaces_exact_and_no_overlaps(name, body):
    d = parse_text(body, name, name + ".txt")
    cs = find(d, default_year=2023)
    gold = ROOT / "corpus" / "gold" / f"{name}.json"
    if gold.exists() and json.loads(gold.read_text(encoding="utf-8")).get("citations"):
        assert cs, name  # the gold says this body cites something
    for c in cs:
        assert c.surface == d.text[c.span.start:c.span.end]
        assert c.kind in {"document", "law", "programme", "component"}
        assert c.surface.strip() == c.surface
    for a, b in zip(cs, cs[1:]):
        assert a.span.end <= b.span.start, (a.surface, b.surface)


def test_find_seed_plan_citations():
    cs = find(parse(SEED, "seed"), default_year=2023)
    numbers = [c.number for c in cs if c.number]
    assert numbers == ["762/KH-UBND", "249/KH-UBND", "55/KH-UBND", "264/KH-UBND", "50/KH-UBND", "04/HD-ĐCT",
                       "21-CT/TW", "2282/QĐ-TTg", "125/2021/NĐ-CP"]
    names = [c.name for c in cs if c.kind in ("law", "programme")]
    assert {"Luật bình đẳng giới", "Bộ Luật lao động", "Luật phòng, chống bạo lực gia đình", "Luật Ngân sách Nhà nước",
            "Đề án 939", "Đề án 938", "Đề án 1893", "Bộ luật Lao động năm 2019"} <= set(names)


# ------------------------------------------------------------------ resolve
@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _one(text: str) -> Citation:
    (c,) = found(text)
    return c


# (cited text, expected id, method, note)
RESOLVE_CASES = [
    pytest.param("Nghị định số 125/2021/NĐ-CP ngày 28/12/2021", "nd-125-2021-nd-cp", "number", None,
                 id="exact_number_and_date"),
    pytest.param("Quyết định số 2282/QĐ-TTg của Thủ tướng Chính phủ", "qd-2282-qd-ttg-2020", "number", None,
                 id="exact_number_no_date"),
    pytest.param("Chỉ thị số 21- CT/TW ngày 20/01/2018", "chi-thi-21-ct-tw-2018", "number", None, id="party_number"),
    pytest.param("Quyết định số 2282/QD-TTg", "qd-2282-qd-ttg-2020", "number", None, id="number_without_d_stroke"),
    pytest.param("Hướng dẫn số 4/HD-ĐCT ngày 28/7/2022", "hd-04-hd-dct-2022", "number", None,
                 id="number_without_leading_zero"),
    pytest.param("Luật số 73/2006/QH11", "luat-73-2006-qh11", "number", None, id="law_by_number"),
    pytest.param("Luật phòng, chống bạo lực gia đình", "luat-13-2022-qh15", "name", None, id="law_name_case_folded"),
    pytest.param("Luật Phòng, chống bạo lực gia đình năm 2022", "luat-13-2022-qh15", "name", None,
                 id="law_name_with_its_year"),
    pytest.param("Bộ luật Lao động năm 2019", "bo-luat-45-2019-qh14", "name", None, id="code_with_year"),
    pytest.param("Luật lao động", "bo-luat-45-2019-qh14", "name", None, id="law_alias"),
    pytest.param("Luật Bình đẳng giới ngày 29/11/2006", "luat-73-2006-qh11", "name", None, id="law_name_and_date"),
    pytest.param("Đề án 939", "qd-939-qd-ttg-2017", "name", None, id="programme_by_decision_number"),
    pytest.param("Chương trình MTQG giảm nghèo bền vững", "qd-90-qd-ttg-2022", "name", None,
                 id="programme_abbreviation_expanded"),
    pytest.param("Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng dân tộc thiểu số và miền núi giai "
                 "đoạn 2021-2025", "qd-1719-qd-ttg-2021", "name", None, id="programme_variant_name_with_period"),
    pytest.param("Kế hoạch số 762/KH-UBND ngày 14/4/2023", "kh-762-kh-ubnd-cao-bang-2023", "near_miss",
                 "cited date 2023-04-14, registry 2023-04-04", id="near_miss_wrong_date"),
    pytest.param("Quyết định số 2282/QĐ-TT ngày 31/12/2020", "qd-2282-qd-ttg-2020", "near_miss",
                 "cited 2282/QĐ-TT, registry 2282/QĐ-TTg", id="near_miss_typo_in_issuer_code"),
    pytest.param("Bộ luật Lao động năm 2012", "bo-luat-45-2019-qh14", "near_miss", "cited year 2012, registry 2019",
                 id="near_miss_law_year"),
    pytest.param("Chương trình MTQG xây dựng nông thôn", "qd-263-qd-ttg-2022", "near_miss",
                 "cited name 'Chương trình MTQG xây dựng nông thôn', registry "
                 "'Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2021-2025'",
                 id="near_miss_programme_name"),
    pytest.param("Quyết định số 1790/QĐ-TTg ngày 25/10/2021", "qd-1790-qd-ttg-2021", "number",
                 "registry date unknown", id="registry_without_date_says_so"),
    pytest.param("Kế hoạch số 55/KH-UBND ngày 28/02/2023", None, "none", None, id="none_district_plan"),
    pytest.param("Đề án 06", None, "none", None, id="none_unknown_programme"),
    pytest.param("Dự án 8", None, "none", "a programme component, not a document", id="none_component"),
    pytest.param("Luật Phòng, chống mua bán người năm 2011", "luat-66-2011-qh12", "name", None, id="law_2011"),
]


@pytest.mark.parametrize("text, doc_id, method, note", RESOLVE_CASES)
def test_resolve_against_seed_registry(registry, text, doc_id, method, note):
    (r,) = resolve((_one(text),), registry)
    assert (r.legal_document_id, r.method, r.note) == (doc_id, method, note)
    assert (r.score == 1.0) == (method in ("number", "name"))
    assert (r.score == 0.0) == (method == "none")


def _reg(*docs: tuple[str, str, str | None]) -> tuple[LegalDocument, ...]:
    return tuple(LegalDocument(id=i, doc_type="Kế hoạch", number=n, issued_on=on) for i, n, on in docs)


# (cited text, purpose-made registry, expected id, method, note)
RESOLVE_SMALL_CASES = [
    pytest.param("Quyết định số 1521/QĐ-TT ngày 14/7/2015", _reg(("qd-1521", "1521/QĐ-TTg", "2015-07-14")),
                 "qd-1521", "near_miss", "cited 1521/QĐ-TT, registry 1521/QĐ-TTg", id="typo_from_kon_tum"),
    pytest.param("Kế hoạch số 483/KH-UBQG-BCA", _reg(("kh-438", "438/KH-UBQG-BCA", None)),
                 "kh-438", "near_miss", "cited 483/KH-UBQG-BCA, registry 438/KH-UBQG-BCA", id="digits_transposed"),
    pytest.param("Kế hoạch số 95/KH-UBND", _reg(("kh-55", "55/KH-UBND", None)),
                 None, "none", None, id="other_digits_are_another_document"),
    pytest.param("Kế hoạch số 95/KH-UBND", _reg(("bc-95", "95/BC-UBND", None)),
                 None, "none", None, id="other_type_is_another_document"),
    pytest.param("Kế hoạch số 22/KH-UBND", _reg(("hue", "22/KH-UBND", "2020-02-03"), ("ca-mau", "22/KH-UBND", "2020-05-04")),
                 None, "none", "ambiguous: ca-mau, hue", id="same_number_two_provinces_ambiguous"),
    pytest.param("Kế hoạch số 22/KH-UBND ngày 04/5/2020",
                 _reg(("hue", "22/KH-UBND", "2020-02-03"), ("ca-mau", "22/KH-UBND", "2020-05-04")),
                 "ca-mau", "number", None, id="same_number_date_chooses"),
    pytest.param("Kế hoạch số 95/KH-UBND ngày 14/4/2023", _reg(("kh-95", "95/KH-UBND", "2023-04-18")),
                 "kh-95", "near_miss", "cited date 2023-04-14, registry 2023-04-18", id="corpus_vhtt_wrong_date"),
]


@pytest.mark.parametrize("text, reg, doc_id, method, note", RESOLVE_SMALL_CASES)
def test_resolve_small_registry(text, reg, doc_id, method, note):
    (r,) = resolve((_one(text),), reg)
    assert (r.legal_document_id, r.method, r.note) == (doc_id, method, note)


def test_resolve_is_pure_and_keeps_order(registry):
    cs = found("Luật Bình đẳng giới; Dự án 8; Nghị định số 125/2021/NĐ-CP")
    first, second = resolve(cs, registry), resolve(cs, registry)
    assert first == second
    assert [r.citation for r in first] == list(cs)


def test_resolve_seed_national_citations(registry):
    cs = find(parse(SEED, "seed"), default_year=2023)
    got = {r.citation.number or r.citation.name: (r.legal_document_id, r.method) for r in resolve(cs, registry)
           if r.method != "none"}
    assert got["762/KH-UBND"] == ("kh-762-kh-ubnd-cao-bang-2023", "number")
    assert got["21-CT/TW"] == ("chi-thi-21-ct-tw-2018", "number")
    assert got["125/2021/NĐ-CP"] == ("nd-125-2021-nd-cp", "number")
    assert got["Luật bình đẳng giới"] == ("luat-73-2006-qh11", "name")
    assert got["Bộ Luật lao động"] == ("bo-luat-45-2019-qh14", "name")
    assert got["Đề án 1893"] == ("qd-1893-qd-ttg-2019", "name")


# ------------------------------------------------------------------ registry
def test_load_registry_entries_are_well_formed(registry):
    ids = [d.id for d in registry]
    assert len(ids) == len(set(ids)) and len(ids) >= 20
    type_names = {t["name"] for t in patterns.load("citations")["doc_types"]}
    for d in registry:
        assert d.doc_type in type_names, d.id
        assert d.issued_on is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.issued_on), d.id
        assert d.number or d.names, d.id
        # a name split by an unquoted comma in YAML ("[Luật Phòng, chống …]") would start in lower case
        assert all(n[:1].isupper() for n in d.names), d.id
        if d.doc_type in ("Luật", "Bộ luật"):
            assert d.title in d.names, d.id


def test_load_registry_numbers_read_back_through_find(registry):
    for d in registry:
        if d.number:
            (c,) = found(f"Căn cứ {d.doc_type} số {d.number};")
            assert c.number == d.number and c.doc_type == d.doc_type, d.id


def test_load_registry_every_entry_has_an_honesty_flag():
    raw = yaml.safe_load((ROOT / "gazetteer" / "data" / "legal_documents.yml").read_text(encoding="utf-8"))
    for e in raw:
        assert e.get("source") in {"seed", "corpus", "recalled"}, e["id"]
        assert isinstance(e.get("checked"), bool), e["id"]  # true once someone compares it with the official text


def test_load_registry_rejects_duplicate_ids(tmp_path):
    p = tmp_path / "dupes.yml"
    p.write_text("- {id: a, doc_type: Luật}\n- {id: a, doc_type: Luật}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        load_registry(p)
