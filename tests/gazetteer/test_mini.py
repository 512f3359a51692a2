"""The gazetteer machinery on a small purpose-made gazetteer (tests/fixtures/gazetteer-mini):
two invented districts that share body names. Nothing here depends on the bundled data."""

from pathlib import Path

import pytest

from extractors import nlp
from gazetteer import Matcher, load
from pipeline.core.textnorm import fold_keep_length

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "gazetteer-mini"


@pytest.fixture(scope="module")
def mini():
    return load(MINI)


def test_load_reads_the_home_district_and_its_sub_folders(mini):
    assert [d["id"] for d in mini.districts] == ["ban-kho", "song-ma"]
    assert mini.get("bk-ubnd-xa-nam-thu").name == "Ủy ban nhân dân xã Nậm Thử"
    assert mini.get("bk-ubnd-xa-nam-thu").district == "ban-kho"


@pytest.mark.parametrize("district, expected", [("ban-kho", "bk-phong-nong-nghiep"), ("song-ma", "sm-phong-nong-nghiep")])
def test_resolve_a_shared_name_within_the_documents_district(mini, district, expected):
    assert Matcher(mini).resolve("Phòng Nông nghiệp", district).body_id == expected


def test_resolve_a_shared_name_without_a_district_is_ambiguous_never_guessed(mini):
    r = Matcher(mini).resolve("Phòng NN&PTNT")
    assert (r.body_id, r.method) == (None, "ambiguous")


def test_collective_stands_for_the_communes_of_its_district(mini):
    members = mini.members(mini.get("bk-ubnd-cac-xa"))
    assert sorted(b.id for b in members) == ["bk-ubnd-xa-nam-thu", "bk-ubnd-xa-pa-mau"]


def test_fuzzy_cutoff_comes_from_the_caller(mini):
    typo = "Phòng Nông nghiệp và Phát triển nông thông"
    assert Matcher(mini, fuzzy_cutoff=90).resolve(typo, "ban-kho").body_id == "bk-phong-nong-nghiep"
    assert Matcher(mini, fuzzy_cutoff=99.5).resolve(typo, "ban-kho").body_id is None


def test_spacy_patterns_come_from_the_gazetteer_given(mini):
    """The component is initialised with the given gazetteer's names: a body only the mini
    gazetteer knows is found; one only the bundled gazetteer knows is not a name here."""
    text = "UBND xã Pá Mẫu phối hợp với Phòng Lao động - Thương binh và Xã hội"
    found = [(text[s:e], label) for s, e, label in nlp.bodies(text, mini)]
    assert ("UBND xã Pá Mẫu", "BODY") in found
    assert all(label != "BODY" for surface, label in found if "Lao động" in surface)
    ruler = nlp.pipeline(mini).get_pipe("plantrace_bodies")
    assert {"bk-ubnd-xa-pa-mau", "sm-phong-nong-nghiep"} <= {p.get("id") for p in ruler.patterns}


def test_spacy_component_round_trips_to_disk(mini, tmp_path):
    import spacy

    nlp_a = nlp.pipeline(mini)
    nlp_a.get_pipe("plantrace_bodies").to_disk(tmp_path / "ruler")
    nlp_b = spacy.blank("xx")
    nlp_b.add_pipe("plantrace_bodies").from_disk(tmp_path / "ruler")
    text = fold_keep_length("Gửi UBND xã Nậm Thử.", lower=False)  # the component runs on folded text
    doc_a, doc_b = nlp_a(text), nlp_b(text)
    assert [s.text for s in doc_a.spans[nlp.SPANS_KEY]] == [s.text for s in doc_b.spans[nlp.SPANS_KEY]] != []


# ------------------------------------------------------------------ places are never crossed
@pytest.mark.parametrize("surface, why", [
    ("UBND xã Dân Lực", "dan luc"),                    # a commune this gazetteer does not know
    ("ỦY BAN NHÂN DÂN XÃ NẬM THỬA", "nam thua"),        # one letter more than xã Nậm Thử: another place
    ("Ủy ban nhân dân tỉnh Quảng Nam", "quang nam"),
])
def test_resolve_never_credits_a_body_of_another_place(mini, surface, why):
    r = Matcher(mini).resolve(surface, "ban-kho")
    assert r.body_id is None and why in r.note


def test_fuzzy_never_changes_the_kind_of_body(mini):
    """"Sở Nông nghiệp…" (a province department) is one letter from "Bộ …" or "Phòng …"-like
    names, but a fuzzy match keeps the head word: typos, not another body."""
    assert Matcher(mini).resolve("Ban Nông nghiệp và Phát triển nông thôn", "ban-kho").body_id is None
    assert Matcher(mini).resolve("Phòng Nông nghiệp và Phát triển nông thông", "ban-kho").method == "fuzzy"


def test_resolve_a_name_stating_its_place_finds_that_place_whatever_the_document(mini):
    assert Matcher(mini).resolve("UBND xã Pá Mẫu", "song-ma").body_id == "bk-ubnd-xa-pa-mau"


def test_resolve_generic_names_of_a_document_from_elsewhere_stay_unresolved(mini):
    from gazetteer.match import ELSEWHERE

    r = Matcher(mini).resolve("Phòng Nông nghiệp", ELSEWHERE)
    assert (r.body_id, r.note) == (None, "not a body of this document's place")


def test_places_named_reads_level_words_case_and_line_breaks():
    from gazetteer.match import places_named

    assert places_named("CÔNG AN HUYỆN TRÙNG\nKHÁNH") == ("trung khanh",)
    assert places_named("PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI") == ()  # "xã hội" is no place
    assert places_named("UBND huyện và các xã") == ()
