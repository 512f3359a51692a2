"""The gazetteer data and the matcher: exact, then folded key, then fuzzy; unmatched stays None."""

import shutil

import pytest

from gazetteer import Matcher, load
from gazetteer.model import DATA_DIR


@pytest.mark.parametrize("surface, body_id, method", [
    ("Phòng Lao động - Thương binh và Xã hội", "phong-ldtbxh", "exact"),
    ("Phòng LĐ-TB&XH", "phong-ldtbxh", "exact"),
    ("Phòng LĐTBXH", "phong-ldtbxh", "exact"),
    ("PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "phong-ldtbxh", "exact"),
    ("Phòng Lao động, Thương binh và Xã hội", "phong-ldtbxh", "folded"),
    ("Phòng Tài chính Kế hoạch", "phong-tckh", "folded"),
    ("Phòng dân tộc", "phong-dan-toc", "exact"),
    ("Chi Cục thống kê huyện", "chi-cuc-thong-ke", "exact"),
    ("Phòng Văn hoá và Thông tin", "phong-vhtt", "exact"),
    ("ỦY BAN NHÂN DÂN XÃ ĐÀM THUỶ", "ubnd-xa-dam-thuy", "exact"),
    ("UBND xã Phong Nặm", "ubnd-xa-phong-nam", "exact"),
    ("Ủy ban nhân các xã, thị trấn", "ubnd-cac-xa", "exact"),
    ("Phong Lao dong Thuong binh Xa hoi", "phong-ldtbxh", "fuzzy"),
    ("Phòng Lao động Thương binh Xã hôi", "phong-ldtbxh", "fuzzy"),
    ("Phòng Kinh tế", None, "none"),
    ("Sở Khoa học và Công nghệ", None, "none"),
])
def test_resolve(matcher, surface, body_id, method):
    r = matcher.resolve(surface, "trung-khanh")
    assert (r.body_id, r.method) == (body_id, method)
    assert (r.score == 100.0) == (method in ("exact", "folded"))


def test_locate_says_where_the_body_is(matcher):
    text = "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam huyện và các tổ chức chính trị - xã hội"
    r = matcher.locate(text, "trung-khanh")
    assert r.body_id == "ubmttq-huyen"
    assert text[r.start:r.end] == "Ủy ban Mặt trận Tổ quốc Việt Nam huyện"


def test_the_district_has_21_communes(gazetteer):
    communes = [b for b in gazetteer.bodies if b.kind == "ubnd_commune" and b.district == "trung-khanh"]
    assert len(communes) == 21
    assert sum(b.name.startswith("Ủy ban nhân dân thị trấn") for b in communes) == 2


def test_collective_expands_to_every_commune(gazetteer):
    members = gazetteer.members(gazetteer.get("ubnd-cac-xa"))
    assert len(members) == 21 and all(m.level == "commune" for m in members)


def test_every_parent_exists(gazetteer):
    ids = {b.id for b in gazetteer.bodies}
    assert all(b.parent_id in ids for b in gazetteer.bodies if b.parent_id)


def test_no_alias_is_claimed_by_two_bodies_of_one_district(matcher):
    clashes = [(k, ids) for k, ids in matcher._folded.items()
               if len(ids) > 1 and len({matcher.district_of(i) for i in ids}) < len(ids)]
    assert not clashes


@pytest.mark.parametrize("surface, district, body_id", [
    ("Phòng Nội vụ", "trung-khanh", "phong-noi-vu"),
    ("Phòng Nội vụ", "ha-quang", "hq-phong-noi-vu"),
    ("UBND huyện", "ha-quang", "hq-ubnd-huyen"),
    ("Sở Y tế", "ha-quang", "so-y-te"),           # a province body is the same for every district
    ("UBND xã Cần Yên", None, "ubnd-xa-can-yen"),  # a commune's name is its own
])
def test_a_shared_name_resolves_within_the_document_district(matcher, surface, district, body_id):
    assert matcher.resolve(surface, district).body_id == body_id


def test_a_shared_name_without_a_district_is_ambiguous_not_guessed(matcher):
    r = matcher.resolve("Phòng Nội vụ")
    assert (r.body_id, r.method) == (None, "ambiguous")


def test_collective_members_stay_in_their_district(gazetteer):
    assert len(gazetteer.members(gazetteer.get("hq-ubnd-cac-xa"))) == 21
    assert all(m.district == "ha-quang" for m in gazetteer.members(gazetteer.get("hq-ubnd-cac-xa")))


def test_another_district_replaces_the_data_files(tmp_path):
    """A district that is not Trùng Khánh uses plantrace by replacing gazetteer/data only."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("ha-quang"))
    (data / "district.yml").write_text("name: Hạ Lang\nkind: huyện\nprovince: Cao Bằng\n", encoding="utf-8")
    (data / "communes.yml").write_text(
        "- {code: '01549', type: thị trấn, name: Thanh Nhật}\n- {code: '01552', type: xã, name: Minh Long}\n",
        encoding="utf-8")
    (data / "bodies.yml").write_text(
        "- {id: ubnd-huyen, name: Ủy ban nhân dân huyện Hạ Lang, kind: ubnd, level: district,"
        " aliases: [UBND huyện Hạ Lang, UBND huyện]}\n"
        "- {id: ubnd-cac-xa, name: Ủy ban nhân dân các xã, thị trấn, kind: collective,"
        " members_kind: ubnd_commune, level: commune, aliases: ['UBND các xã, thị trấn']}\n",
        encoding="utf-8")
    gz = load(data)
    m = Matcher(gz)
    assert m.resolve("UBND HUYỆN HẠ LANG").body_id == "ubnd-huyen"
    assert m.resolve("xã Minh Long").body_id == "ubnd-xa-minh-long"
    assert len(gz.members(gz.get("ubnd-cac-xa"))) == 2
    assert m.resolve("Phòng Lao động - Thương binh và Xã hội").body_id is None
