"""The forkserver's warm-up text really runs every stage (warm() swallows errors, so this is
where a broken warm-up would show)."""

from pipeline.extract import Extractor
from pipeline.intake.sandbox import warm_text
from tests.conftest import text_doc


def test_warm_text_reaches_every_stage():
    ex = Extractor()
    x = ex.extract_doc(text_doc(warm_text(ex.gazetteer), "warm.txt"))
    assert x.header.header.kind == "report" and x.sections and x.statements
    assert {c.number for c in x.citations} >= {"01/KH-UBND"}
    assert {f.kind for f in x.figures} >= {"count", "percent", "money"}
    assert any(m.resolution.body_id for m in x.mentions)
