"""Pre-Unicode Vietnamese text (TCVN3, VNI, Windows-1258, NFD) read into NFC Unicode."""

import unicodedata

import pytest
import yaml

from extractors import agencies, header
from pipeline.read import legacy
from pipeline.read import read
from pipeline.read.txt import decode, parse_text
from pipeline.core.textnorm import clean
from tests.conftest import CORPUS, text_doc

LOWER = [r[0] for r in yaml.safe_load(legacy.TABLES.read_text(encoding="utf-8"))["letters"] if r[0].islower()]
UPPER = [c.upper() for c in LOWER]
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
UNTONED_UPPER = [c for c in UPPER if not TONES & set(unicodedata.normalize("NFD", c))]

SENTENCES = [
    "Kế hoạch số 95/KH-UBND ngày 18 tháng 4 năm 2023 của Uỷ ban nhân dân huyện Trùng Khánh",
    "Phòng Lao động - Thương binh và Xã hội phối hợp tuyên truyền bình đẳng giới",
    "Độc lập - Tự do - Hạnh phúc",
    "nghiêng ngả khuya khoắt người ươm tơ, quyết định hướng dẫn",
]


def test_tables_hold_the_134_letter_forms():
    rows = yaml.safe_load(legacy.TABLES.read_text(encoding="utf-8"))["letters"]
    assert len(rows) == 134 and len({r[0] for r in rows}) == 134
    assert len(LOWER) == 67
    assert len({r[2] for r in rows}) == 134  # VNI spells every letter differently
    assert len({r[1] for r in rows if r[0].islower()}) == 67  # TCVN3: every lower-case letter has its own code


@pytest.mark.parametrize("encoding, text", [
    ("tcvn3", "".join(LOWER) + " " + "".join(UNTONED_UPPER)),
    ("vni", "".join(LOWER) + " " + "".join(UPPER)),
    *[(enc, s) for enc in legacy.ENCODINGS for s in SENTENCES],
])
def test_to_unicode_round_trips_from_unicode(encoding, text):
    encoded = legacy.from_unicode(text, encoding)
    assert encoded != text
    encoded.encode("cp1252")  # a legacy text is Windows-1252 bytes
    assert legacy.to_unicode(encoded, encoding) == text


def test_to_unicode_tcvn3_gives_toned_capitals_in_lower_case():
    """TCVN3 has no code for a toned capital: .VnTimeH draws the lower-case code as one."""
    assert legacy.to_unicode(legacy.from_unicode("Ủ Ấ Ở", "tcvn3"), "tcvn3") == "ủ ấ ở"


@pytest.mark.parametrize("encoding, legacy_text, unicode_text", [
    ("tcvn3", "KÕ ho¹ch sè 762/KH-UBND ngµy 04 th¸ng 4 n¨m 2023", "Kế hoạch số 762/KH-UBND ngày 04 tháng 4 năm 2023"),
    ("tcvn3", "§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("tcvn3", "Phßng Lao ®éng - Th\xad¬ng binh vµ X· héi", "Phòng Lao động - Thương binh và Xã hội"),
    ("tcvn3", "B×nh ®¼ng giíi", "Bình đẳng giới"),
    ("tcvn3", "Uû ban nh©n d©n", "Uỷ ban nhân dân"),
    ("vni", "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("vni", "Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("vni", "UÛy ban nhaân daân huyeän Truøng Khaùnh", "Ủy ban nhân dân huyện Trùng Khánh"),
    ("vni", "Xin chaøo caùc baïn", "Xin chào các bạn"),
    ("vni", "Uûy ban", "Ủy ban"),  # a capital with a lower-case mark
])
def test_to_unicode_published_examples(encoding, legacy_text, unicode_text):
    assert legacy.to_unicode(legacy_text, encoding) == unicode_text


@pytest.mark.parametrize("text, expected", [
    ("KÕ ho¹ch sè 762/KH-UBND ngµy 04 th¸ng 4 n¨m 2023", "tcvn3"),
    ("b¸o c¸o kÕt qu¶ thùc hiÖn", "tcvn3"),  # .VnTimeH capitals: the lower-case codes
    ("Phßng Lao ®éng - Th\xad¬ng binh vµ X· héi", "tcvn3"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "vni"),
    ("Keá hoaïch soá 95/KH-UBND cuûa UÛy ban nhaân daân huyeän", "vni"),
])
def test_detect_names_the_encoding(text, expected):
    assert legacy.detect(text) == expected


@pytest.mark.parametrize("text", [
    "Kế hoạch số 762/KH-UBND ngày 04 tháng 4 năm 2023 của Ủy ban nhân dân huyện",
    unicodedata.normalize("NFD", "Kế hoạch số 762/KH-UBND ngày 04 tháng 4 năm 2023 của Ủy ban nhân dân huyện"),
    "Uỷ ban nhân dân xã Đàm Thuỷ, Trung tâm Văn hoá, hoà giải ở cơ sở",
    "The district committee approved the plan on 18 April 2023 © UNDP",
    "La poésie française a été créée près de l'aéroport; le Noël naïf, où tout est goûté.",
    "El niño y el señor pasaron un año en España con la piña.",
    "Über die Brücke gehen Mädchen und Jungen schön.",
    "STT | 1 | 2 | 3 | 45,6% | 1.200",
    "",
])
def test_detect_does_not_fire_on_unicode_or_other_languages(text):
    assert legacy.detect(text) is None


def test_soft_hyphen_is_the_tcvn3_letter_u_horn_and_is_kept():
    tcvn3 = "Th\xad¬ng binh, ng\xadêi d©n"
    assert legacy.to_unicode(tcvn3, "tcvn3") == "Thương binh, người dân"
    assert clean(tcvn3) == tcvn3 and len(clean("a\xadb")) == 3  # cleaning never drops U+00AD
    doc = read_bytes_as_txt("\n".join([tcvn3] * 3).encode("cp1252"))
    assert doc.text.count("Thương binh, người dân") == 3 and "\xad" not in doc.text


def read_bytes_as_txt(data: bytes):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "legacy.txt"
        p.write_bytes(data)
        return read(p)


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: ă â ê ô ơ ư đ precomposed, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


TEXT = "Ủy ban nhân dân huyện Trùng Khánh ban hành Kế hoạch số 95/KH-UBND về bình đẳng giới."
TEXT_OLD = TEXT.replace("Ủy", "Uỷ")  # TCVN3 has no toned capitals: typists wrote "Uỷ"


@pytest.mark.parametrize("data, text, how", [
    (TEXT.encode("utf-8"), TEXT, None),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT, None),
    (legacy.from_unicode(TEXT_OLD, "tcvn3").encode("cp1252"), TEXT_OLD, "converted from TCVN3"),
    (legacy.from_unicode(TEXT_OLD, "tcvn3").encode("utf-8"), TEXT_OLD, "converted from TCVN3"),  # mojibake saved as UTF-8
    (legacy.from_unicode(TEXT, "vni").encode("cp1252"), TEXT, "converted from VNI"),
    (legacy.from_unicode(TEXT, "vni").encode("utf-8"), TEXT, "converted from VNI"),
    (_cp1258(TEXT), TEXT, "converted from Windows-1258"),
])
def test_decode_reads_legacy_text_files(data, text, how):
    got, note = decode(data)
    assert unicodedata.normalize("NFC", got) == text and note == how


def test_decode_refuses_other_bytes_with_one_line_reason():
    from pipeline.core.errors import ReadError

    with pytest.raises(ReadError, match="not UTF-8, and not in a Vietnamese legacy encoding"):
        decode(b"Hello \x93world\x94, caf\xe9 cr\xe8me")


@pytest.mark.parametrize("data", [
    unicodedata.normalize("NFD", TEXT).encode("utf-8"),  # macOS and PDF extractors give NFD
    _cp1258(TEXT),  # tones as combining marks
])
def test_read_txt_composes_decomposed_text(data):
    doc = read_bytes_as_txt(data)
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.text.strip() == TEXT


def test_parse_text_composes_nfd():
    doc = parse_text(unicodedata.normalize("NFD", "Trùng Khánh"), "nfd", "nfd.txt")
    assert doc.text == "Trùng Khánh\n" and len(doc.text) == 12


# ------------------------------------------------------------------ documents in the corpus
def test_read_vni_text_report():
    doc = read(CORPUS / "bc_dantoc_2023_h1_vni.txt")
    assert doc.warnings == ("converted from VNI",)
    assert "Kết quả tuyên truyền hạn chế tảo hôn và hôn nhân cận huyết thống" in doc.text
    assert legacy.detect(doc.text) is None and unicodedata.is_normalized("NFC", doc.text)


def test_read_docx_tcvn3_report_by_its_fonts():
    doc = read(CORPUS / "bc_xa_ngocon_2023_nam_tcvn3.docx")
    lines = doc.text.splitlines()
    assert "UỶ BAN NHÂN DÂN" in lines and "XÃ NGỌC CÔN" in lines  # .VnTimeH: capitals
    assert "Độc lập - Tự do - Hạnh phúc" in lines
    assert "Kính gửi: Uỷ ban nhân dân huyện Trùng Khánh" in lines
    assert "Thương binh" in doc.text and "\xad" not in doc.text
    assert legacy.detect(doc.text) is None


@pytest.mark.parametrize("font, typed, expected", [
    ("VNI-Times", "Keá hoaïch soá 95/KH-UBND", "Kế hoạch số 95/KH-UBND"),
    (".VnTime", "KÕ ho¹ch sè 95/KH-UBND", "Kế hoạch số 95/KH-UBND"),
    (".VnTimeH", "kÕ ho¹ch", "KẾ HOẠCH"),
    ("Times New Roman", "Kế hoạch số 95/KH-UBND", "Kế hoạch số 95/KH-UBND"),  # a Unicode run among legacy ones
])
def test_read_docx_converts_each_run_by_its_font(tmp_path, font, typed, expected):
    import docx

    d = docx.Document()
    d.add_paragraph().add_run("B¸o c¸o").font.name = ".VnTime"  # the document uses a legacy font
    d.add_paragraph().add_run(typed).font.name = font
    d.save(str(tmp_path / "fonts.docx"))
    doc = read(tmp_path / "fonts.docx")
    assert doc.text.splitlines() == ["Báo cáo", expected]


def test_read_docx_detects_legacy_text_without_legacy_fonts(tmp_path):
    import docx

    d = docx.Document()
    for s in SENTENCES:
        d.add_paragraph(legacy.from_unicode(s, "vni"))
    d.save(str(tmp_path / "vni.docx"))
    assert read(tmp_path / "vni.docx").text.splitlines() == SENTENCES


def test_read_pdf_converts_tcvn3_text(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    path = tmp_path / "tcvn3.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("DejaVuSerif", 12)
    for i, s in enumerate(SENTENCES):
        c.drawString(72, 700 - 30 * i, legacy.from_unicode(s, "tcvn3"))
    c.save()
    doc = read(path)
    assert [ln for ln in doc.text.splitlines()] == SENTENCES


# ------------------------------------------------------------------ old tone placement
def test_resolve_old_tone_placement_document_finds_its_bodies(gazetteer, matcher):
    """Uỷ/Thuỷ/hoá are kept as written for display and matched on unified keys."""
    text = ("Uỷ ban nhân dân xã Đàm Thuỷ phối hợp với Trung tâm Văn hoá và Truyền thông huyện "
            "và Uỷ ban nhân dân xã Ngọc Côn tổ chức hoà giải.")
    doc = text_doc(text)
    got = [(m.mention.surface, m.resolution.body_id)
           for m in agencies.resolve(agencies.find(doc, gazetteer), matcher, "trung-khanh")]
    assert got == [("Uỷ ban nhân dân xã Đàm Thuỷ", "ubnd-xa-dam-thuy"),
                   ("Trung tâm Văn hoá và Truyền thông huyện", "ttvhtt"),
                   ("Uỷ ban nhân dân xã Ngọc Côn", "ubnd-xa-ngoc-con")]


def test_resolve_old_tone_placement_header(matcher):
    h = header.find(read(CORPUS / "bc_xa_ngocon_2023_nam_tcvn3.docx"))
    assert h.issuer.value == "UỶ BAN NHÂN DÂN XÃ NGỌC CÔN"
    assert header.resolve(h, matcher).issuer_body_id == "ubnd-xa-ngoc-con"
