"""The country's administrative units in both eras (vietnamadminunits' data, read offline)."""

import pytest

from gazetteer.divisions import NEW, OLD, Divisions


@pytest.fixture(scope="module")
def divisions():
    return Divisions()


def test_divisions_hold_both_eras(divisions):
    count = lambda era, level: sum(u.era == era and u.level == level for u in divisions.units)
    assert (count(OLD, "province"), count(NEW, "province"), count(NEW, "commune")) == (63, 34, 3321)
    assert count(OLD, "district") > 680 and count(OLD, "commune") > 10000


def test_paths_are_unique_within_an_era_even_where_folded_names_collide(divisions):
    for era in (OLD, NEW):
        paths = [u.path for u in divisions.units if u.era == era]
        assert len(paths) == len(set(paths))
    (van_lang,) = divisions.find("Văn Lang", "xã", NEW, "Thái Nguyên")  # "Văn Lăng" folds alike
    assert van_lang.name == "Văn Lang" and van_lang.path.endswith(van_lang.code)


def test_find_a_commune_of_each_era(divisions):
    (new,) = divisions.find("Bảo Yên", "xã", NEW, "Lào Cai")
    assert new.path == "tinh-lao-cai/xa-bao-yen"
    (old,) = divisions.find("Xuân Thượng", "xã", OLD, "Lào Cai")
    assert (old.path, old.district) == ("tinh-lao-cai/huyen-bao-yen/xa-xuan-thuong", "Bảo Yên")


def test_old_communes_lead_to_the_new_one_and_back(divisions):
    (old,) = divisions.find("Xuân Thượng", "xã", OLD, "Lào Cai")
    (new,) = divisions.successors(old)
    assert new.path == "tinh-lao-cai/xa-bao-yen"
    assert {u.name for u in divisions.predecessors(new)} == {"Phố Ràng", "Xuân Thượng", "Yên Sơn", "Lương Sơn"}


def test_a_province_merged_in_2025_has_no_unit_of_its_own_afterwards(divisions):
    assert divisions.find("Yên Bái", "tỉnh", OLD) and not divisions.find("Yên Bái", "tỉnh", NEW)
