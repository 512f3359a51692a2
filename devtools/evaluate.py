"""Score the extractors against the hand-checked gold in corpus/gold/.

    python -m pipeline eval        (make eval)

Gold gives each item's surface text, in text order; each is located in the document's
text (white space and dashes compared loosely, searching on from the previous item), and
a prediction counts when its span overlaps a gold item's and its value agrees:
citations by number (documents) or kind (laws, programmes, components), figures by
value, mentions by body. Tasks are matched by their outline or annex reference and the
first words of their text; lead and coordinating bodies are scored as (task, body)
pairs. Floors are the quality the project promises; ``check`` says which are unmet.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.core.settings import Evidence
from pipeline.extract import Extractor
from pipeline.core.textnorm import clean, fold

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "corpus" / "gold"
DOCS = ROOT / "corpus" / "documents"

FLOORS = {  # extractor: (measure, floor)
    "tasks": [("f1", 0.95)],
    "task lead bodies": [("f1", 0.97)],
    "citations": [("precision", 0.95), ("recall", 0.95)],
    "figures": [("f1", 0.93)],
}
SCAN = DOCS / "bc_tckh_2023_nam_scan.pdf"  # an image-only PDF, read by OCR
SCAN_TRUTH = GOLD / "bc_tckh_2023_nam_scan.txt"  # its text as printed (corpus/make_scan.py)
HEADER_FIELDS = ["kind", "doc_type", "number", "title", "issuer", "parent", "place", "issued_on", "kinh_gui",
                 "signing_authority", "signer_title", "signer"]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def locate(text: str, surfaces: list[str]) -> list[tuple[int, int] | None]:
    """Spans of gold surfaces in a document's text, in order."""
    hay = clean(text)
    out, pos = [], 0
    for s in surfaces:
        words = clean(s).split()
        rx = re.compile(r"\s*".join(re.escape(w) for w in words) if len(words) == 1 else
                        r"\s+".join(re.escape(w) for w in words))
        m = rx.search(hay, pos) or rx.search(hay)
        out.append((m.start(), m.end()) if m else None)
        if m:
            pos = m.start() + 1
    return out


def _match(gold: list[tuple[tuple[int, int] | None, object]], pred: list[tuple[tuple[int, int], object]], agree,
           score: Score, label: str) -> None:
    used = set()
    for gspan, g in gold:
        hit = None
        if gspan is not None:
            for i, (pspan, p) in enumerate(pred):
                if i not in used and pspan[0] < gspan[1] and gspan[0] < pspan[1] and agree(g, p):
                    hit = i
                    break
        if hit is None:
            score.fn += 1
            score.misses.append(f"{label}: missed {g}")
        else:
            used.add(hit)
            score.tp += 1
    for i, (_, p) in enumerate(pred):
        if i not in used:
            score.fp += 1
            score.misses.append(f"{label}: extra {p}")


def _ref(label: str) -> str:
    return label.replace(".-", ".").replace(".+", ".")


FIRST_SET = "cao-bang"  # gold files without a "set" key belong to the first corpus set
FLOORED_SETS = {FIRST_SET}  # sets whose figures must meet the floors (make eval fails below them)


def golds(gold_dir: Path = GOLD, corpus_set: str | None = FIRST_SET) -> list[dict]:
    """The gold files of one corpus set (all of them for None), in file-name order."""
    out = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))]
    return [g for g in out if corpus_set is None or g.get("set", FIRST_SET) == corpus_set]


def corpus_sets(gold_dir: Path = GOLD) -> list[str]:
    return sorted({g.get("set", FIRST_SET) for g in golds(gold_dir, None)}, key=lambda s: (s != FIRST_SET, s))


def evaluate(gold_dir: Path = GOLD, docs_dir: Path = DOCS, corpus_set: str | None = FIRST_SET,
             extract=None) -> dict:
    """``extract(path)``: how a file becomes an Extraction (default: a new Extractor's; the
    tests pass the session's, so the corpus is processed once)."""
    ex = Extractor()
    extract = extract or ex.extract
    name = lambda body_id: ex.gazetteer.get(body_id).name if body_id else None
    scores: dict[str, Score] = defaultdict(Score)
    header_right: dict[str, int] = defaultdict(int)
    header_total: dict[str, int] = defaultdict(int)
    accuracy: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong_place: list[str] = []  # mentions and issuers credited to a body of another place
    for gold in golds(gold_dir, corpus_set):
        x = extract(docs_dir / gold["file"])
        doc, h, rh = x.doc, x.header.header, x.header
        label = gold["file"]
        v = lambda f: f.value if f is not None else None
        got = {"kind": h.kind, "doc_type": v(h.doc_type), "number": v(h.number), "title": v(h.title),
               "issuer": name(rh.issuer_body_id), "parent": name(rh.parent_body_id), "place": v(h.place),
               "issued_on": v(h.issued_on), "kinh_gui": [f.value for f in h.kinh_gui] or None,
               "signing_authority": v(h.signing_authority), "signer_title": v(h.signer_title), "signer": v(h.signer)}
        for f in HEADER_FIELDS:
            header_total[f] += 1
            if got[f] == gold["header"].get(f):
                header_right[f] += 1
            else:
                scores["header"].misses.append(f"{label}: {f}: got {got[f]!r}, gold {gold['header'].get(f)!r}")

        if "citations" in gold:
            spans = locate(doc.text, [c["surface"] for c in gold["citations"]])
            agree = lambda g, p: (p.number == g["number"]) if g.get("number") and g["kind"] == "document" \
                else p.kind == g["kind"]
            _match(list(zip(spans, gold["citations"])), [((c.span.start, c.span.end), c) for c in x.citations],
                   agree, scores["citations"], label)
        if "figures" in gold:
            spans = locate(doc.text, [f["surface"] for f in gold["figures"]])
            agree = lambda g, p: abs(p.value - g["value"]) <= 1e-6 * max(1.0, abs(g["value"]))
            _match(list(zip(spans, gold["figures"])), [((f.span.start, f.span.end), f) for f in x.figures],
                   agree, scores["figures"], label)
        if "mentions" in gold:
            spans = locate(doc.text, [m["surface"] for m in gold["mentions"]])
            _match(list(zip(spans, gold["mentions"])),
                   [((m.mention.span.start, m.mention.span.end), m) for m in x.mentions],
                   lambda g, p: p.resolution.body_id == g["body"], scores["agency mentions"], label)
            for span, g in zip(spans, gold["mentions"]):
                for m in x.mentions:
                    if span and m.mention.span.start < span[1] and span[0] < m.mention.span.end and \
                            _another_place(ex, g["body"], m.resolution.body_id):
                        wrong_place.append(f"{label}: {m.mention.surface!r} → {m.resolution.body_id}, gold {g['body']}")
        issuer_gold = gold["header"].get("issuer_id")
        if issuer_gold and _another_place(ex, issuer_gold, rh.issuer_body_id):
            wrong_place.append(f"{label}: issuer → {rh.issuer_body_id}, gold {issuer_gold}")
        if "tasks" in gold:
            _score_tasks(gold, x, scores, accuracy, label)
        if "reporting_obligations" in gold:
            want = {(o["period"], o["due_on"], o["recipient"], o.get("via")) for o in gold["reporting_obligations"]}
            have = set()
            for i, o in enumerate(x.obligations):
                ob = x.owing(i)
                rid, vid = (ob.recipient_id, ob.via_id) if ob else (None, None)
                have.add((o.period, o.due_on, rid, vid))
            s = scores["reporting obligations"]
            s.tp += len(want & have)
            s.fp += len(have - want)
            s.fn += len(want - have)
            s.misses += [f"{label}: missed {w}" for w in want - have] + [f"{label}: extra {w}" for w in have - want]
    return {"scores": dict(scores), "header": {f: (header_right[f], header_total[f]) for f in HEADER_FIELDS},
            "wrong_place": wrong_place,
            "accuracy": dict(accuracy), "ocr_cer": ocr_cer() if docs_dir == DOCS and any(g["file"] == SCAN.name for g in golds(gold_dir, corpus_set)) else None}


def _another_place(ex, gold_body: str | None, got: str | None) -> bool:
    """Whether ``got`` is a body of another place than the gold's: a local body where the gold
    names a body the gazetteer does not know (another province), or one of another district."""
    if not got or got == gold_body:
        return False
    body = ex.gazetteer.find(got)
    if body is None or body.level == "national":
        return False
    known = ex.gazetteer.find(gold_body) if gold_body else None
    if gold_body and known is None:
        return True
    return bool(known and known.district and body.district and known.district != body.district)


def _score_tasks(gold, x, scores, accuracy, label) -> None:
    pred = {_ref(t.ref): t for t in x.tasks}
    bodies = defaultdict(lambda: defaultdict(set))
    for b in x.task_bodies:
        if b.via_body_id is None and b.body_id:
            role = "lead" if b.role in ("lead", "requested") else "coordinate"
            bodies[b.task_id][role].add(b.body_id)
    matched = {}
    for g in gold["tasks"]:
        t = pred.get(g["ref"])
        first = fold(" ".join(g["text_start"].split()[:5]))
        if t is not None and fold(t.text).startswith(first):
            matched[g["ref"]] = t
            scores["tasks"].tp += 1
        else:
            scores["tasks"].fn += 1
            scores["tasks"].misses.append(f"{label}: missed task {g['ref']} {g['text_start'][:40]}")
    for ref, t in pred.items():
        if ref not in matched:
            scores["tasks"].fp += 1
            scores["tasks"].misses.append(f"{label}: extra task {ref} {t.text[:40]}")
    for role, key in (("lead", "task lead bodies"), ("coordinate", "task coordinating bodies")):
        want = {(g["ref"], b) for g in gold["tasks"] for b in g.get(role) or []}
        have = {(ref, b) for ref, t in pred.items() for b in bodies[t.id][role]}
        s = scores[key]
        s.tp += len(want & have)
        s.fp += len(have - want)
        s.fn += len(want - have)
        s.misses += [f"{label}: missed {w}" for w in sorted(want - have)] + [f"{label}: extra {w}" for w in sorted(have - want)]
    for g in gold["tasks"]:
        t = matched.get(g["ref"])
        if t is None:
            continue
        for fld, got in (("task deadline", t.deadline), ("task recurrence", t.recurrence)):
            want = g.get(fld.split()[1])
            accuracy[fld][1] += 1
            if got == want:
                accuracy[fld][0] += 1
            else:
                scores[fld].misses.append(f"{label}: {g['ref']}: got {got!r}, gold {want!r}")
        accuracy["task requested"][1] += 1
        roles = {b.role for b in x.task_bodies if b.task_id == t.id and b.via_body_id is None}
        if ("requested" in roles) == bool(g.get("requested")):
            accuracy["task requested"][0] += 1


def cer(text: str, truth: str) -> float:
    """Character error rate: edit distance over the truth's length, white space collapsed, NFC."""
    from rapidfuzz.distance import Levenshtein

    from pipeline.core.textnorm import nfc

    got, want = " ".join(nfc(text).split()), " ".join(nfc(truth).split())
    return Levenshtein.distance(got, want) / max(len(want), 1)


def ocr_cer(scan: Path = SCAN, truth: Path = SCAN_TRUTH) -> float | None:
    """The CER of the scanned corpus report as read by OCR; None when OCR is unavailable."""
    from pipeline.read import ocr
    from pipeline.read import read

    if not ocr.available():
        return None
    return cer(read(scan).text, truth.read_text(encoding="utf-8"))


CROSSCHECK_FLOORS = {"evidence link F1": 0.85, "task status accuracy": 0.90}


def check_crosscheck(r: dict) -> list[str]:
    unmet = []
    if r["links"].f1 < CROSSCHECK_FLOORS["evidence link F1"]:
        unmet.append(f"evidence link F1 {r['links'].f1:.3f} < 0.85")
    right, total, _ = r["status"]
    if right / max(total, 1) < CROSSCHECK_FLOORS["task status accuracy"]:
        unmet.append(f"task status accuracy {right / max(total, 1):.3f} < 0.9")
    missing, extra, _ = r["reporting"]
    if missing or extra:
        unmet.append(f"reporting status flags: {len(missing)} wrong, {len(extra)} unexpected")
    return unmet


def check(result: dict) -> list[str]:
    """The floors that are not met, as sentences."""
    unmet = []
    if result.get("wrong_place"):
        unmet.append(f"{len(result['wrong_place'])} mentions or issuers credited to a body of another place")
    for extractor, floors in FLOORS.items():
        s = result["scores"].get(extractor)
        for measure, floor in floors:
            value = getattr(s, measure) if s else 0.0
            if value < floor:
                unmet.append(f"{extractor} {measure} {value:.3f} < {floor}")
    return unmet


def report(result: dict, verbose: bool = False) -> str:
    lines = [f"{'extractor':28s} {'precision':>9s} {'recall':>7s} {'F1':>6s} {'TP':>5s} {'FP':>5s} {'FN':>5s}"]
    for name, s in sorted(result["scores"].items()):
        if s.tp + s.fp + s.fn == 0:
            continue
        lines.append(f"{name:28s} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}")
    lines.append("")
    lines.append(f"{'accuracy':28s} {'right':>9s} {'of':>7s}")
    for f, (right, total) in result["header"].items():
        lines.append(f"{'header ' + f:28s} {right:9d} {total:7d}  {right / total:.3f}")
    for f, (right, total) in sorted(result["accuracy"].items()):
        lines.append(f"{f:28s} {right:9d} {total:7d}  {right / total:.3f}")
    if result.get("ocr_cer") is not None:
        value = result["ocr_cer"]
        lines.append(f"{'ocr CER (' + SCAN.name + ')':28s} " + ("unavailable" if value is None else f"{value:.4f}"))
    if verbose:
        lines.append("")
        for name, s in sorted(result["scores"].items()):
            lines += [f"  [{name}] {m}" for m in s.misses]
    wrong = result.get("wrong_place", [])
    lines.append(f"{'credited to another place':28s} {len(wrong):9d}  (mentions and issuers; must be 0)")
    if verbose:
        lines += [f"  [another place] {w}" for w in wrong]
    unmet = check(result)
    lines.append("")
    lines.append("floors met" if not unmet else "FLOORS NOT MET: " + "; ".join(unmet))
    return "\n".join(lines)


# ------------------------------------------------------------------ cross-check
def evaluate_crosscheck(docs_dir: Path = DOCS, gold_dir: Path = GOLD, thresholds=None,
                        corpus_set: str | None = FIRST_SET, db_path: Path | None = None) -> dict:
    """Ingest the corpus set into a scratch database (or use ``db_path``, a database already
    ingested from exactly that set), then score evidence links, statement recall and task
    status against the gold's evidence quotes and task lists."""
    import tempfile

    import sqlite_utils

    from pipeline.db import crosscheck
    from pipeline.intake.ingest import Pipeline

    with tempfile.TemporaryDirectory() as tmp:
        if db_path is None:
            pipe = Pipeline(Path(tmp) / "plantrace.db")
            pipe.ingest([docs_dir / g["file"] for g in golds(gold_dir, corpus_set)])
            db = pipe.db
        else:
            db = sqlite_utils.Database(db_path)
        docs = {r["filename"]: r for r in db.query("select id, filename, issuer_body_id from documents")}
        texts = {r["document_id"]: r["text"] for r in db.query("select document_id, text from document_text")}
        stmts = defaultdict(list)
        for s in db.query("select id, document_id, char_start, char_end from statements"):
            stmts[s["document_id"]].append(s)
        refs = {t["id"]: _ref(t["ref"]) for t in db.query("select id, ref from tasks")}
        gold_pairs, gold_status = set(), {}
        for g in golds(gold_dir, corpus_set):
            if "evidence" not in g or g["file"] not in docs:
                continue
            doc_id = docs[g["file"]]["id"]
            spans = locate(texts[doc_id], [e["quote"] for e in g["evidence"]])
            for e, span in zip(g["evidence"], spans):
                st = next((s for s in stmts[doc_id] if span and s["char_start"] <= span[0] < s["char_end"]), None)
                gold_pairs.add((doc_id, e["task"], st["id"] if st else f"unlocated:{e['quote'][:30]}"))
            partly = set(g.get("tasks_partly_reported") or [])
            for ref in {e["task"] for e in g["evidence"]}:
                gold_status[(doc_id, ref)] = "partly_reported" if ref in partly else "reported"
            for ref in g.get("tasks_not_reported") or []:
                gold_status[(doc_id, ref)] = "not_reported"

        def at(th):
            have = {(p["report_id"], refs[p["task_id"]], p["statement_id"])
                    for p in crosscheck.find_evidence(db, replace(Evidence(), context=th))}
            s = Score(tp=len(have & gold_pairs), fp=len(have - gold_pairs), fn=len(gold_pairs - have))
            s.misses = [f"missed {x}" for x in sorted(gold_pairs - have)] + [f"extra {x}" for x in sorted(have - gold_pairs)]
            return s, have

        curve = {th: at(th)[0] for th in (thresholds or [0.04, 0.08, 0.12, 0.16, 0.24])}
        links, have = at(Evidence().context)
        found_statements = {(d, s) for d, _, s in have}
        wanted_statements = {(d, s) for d, _, s in gold_pairs}
        sentence = Score(tp=len(found_statements & wanted_statements), fn=len(wanted_statements - found_statements),
                         fp=len(found_statements - wanted_statements))
        status = db_status(db)
        want_rep, have_rep = expected_reporting(gold_dir, corpus_set), actual_reporting(db)
        right = sum(status.get(k) == v for k, v in gold_status.items())
        status_misses = [f"{k}: got {status.get(k)}, gold {v}" for k, v in gold_status.items() if status.get(k) != v]
        return {"links": links, "curve": curve, "sentences": sentence,
                "status": (right, len(gold_status), status_misses),
                "reporting": (sorted(want_rep - have_rep, key=str), sorted(have_rep - want_rep, key=str), len(want_rep))}


def db_status(db) -> dict:
    """(report id, task ref) → status, from the task_status view of the reporting body."""
    out = {}
    for r in db.query("select s.report_id, t.ref, s.status from task_status s join tasks t on t.id = s.task_id "
                      "where s.report_id is not null"):
        out[(r["report_id"], _ref(r["ref"]))] = r["status"]
    return out


def report_crosscheck(r: dict, verbose: bool = False) -> str:
    lines = ["", f"{'cross-check':28s} {'precision':>9s} {'recall':>7s} {'F1':>6s} {'TP':>5s} {'FP':>5s} {'FN':>5s}"]
    for name, s in (("evidence links", r["links"]), ("evidence statements", r["sentences"])):
        lines.append(f"{name:28s} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}")
    right, total, _ = r["status"]
    lines.append(f"{'task status accuracy':28s} {right:9d} {total:7d}  {right / max(total, 1):.3f}")
    missing, extra, total = r["reporting"]
    lines.append(f"{'reporting status flags':28s} {total - len(missing):9d} {total:7d}  "
                 + ("exact" if not missing and not extra else f"{len(missing)} wrong, {len(extra)} unexpected"))
    lines.append("evidence threshold curve: " + ", ".join(f"{th:.2f}→F1 {s.f1:.3f}" for th, s in r["curve"].items()))
    if verbose:
        lines += [f"  [links] {m}" for m in r["links"].misses] + [f"  [status] {m}" for m in r["status"][2]]
        lines += [f"  [reporting] gold {m}" for m in missing] + [f"  [reporting] got {m}" for m in extra]
    return "\n".join(lines)


def expected_reporting(gold_dir: Path = GOLD, corpus_set: str | None = FIRST_SET) -> set[tuple]:
    """(plan number, body id, period, status) that the gold implies: every body a gold plan
    gives a task (collectives through their members) owes each obligation; a gold report of
    that body for that period is received, or late after the due date; else it is missing."""
    from extractors.period import find as period_of
    from gazetteer import Matcher, load

    m = Matcher(load())
    gold_list = golds(gold_dir, corpus_set)
    reports = []
    for g in gold_list:
        h = g["header"]
        if h["kind"] == "report":
            reports.append(h)
    out = set()
    seen_plans = set()
    for g in gold_list:
        h = g["header"]
        if h["kind"] != "plan" or "reporting_obligations" not in g or h["number"] in seen_plans:
            continue
        seen_plans.add(h["number"])
        district = m.district_of(m.resolve(h["issuer"]).body_id) or m.home_district
        bodies = set()
        for t in g["tasks"]:
            for b in t.get("lead") or []:
                body = m.gazetteer.find(b)
                if body is None:  # a body the gazetteer does not know yet (gold of a new place)
                    bodies.add(b)
                    continue
                if body.kind == "catch_all":
                    continue
                members = m.gazetteer.members(body)
                bodies |= {x.id for x in members} if members else {b}
        for o in g["reporting_obligations"]:
            for b in bodies:
                got = [r for r in reports if (r.get("issuer_id") or m.resolve(r["issuer"], district).body_id) == b
                       and (r.get("period") or period_of(r["title"])) == o["period"]]
                status = "missing" if not got else ("late" if got[0]["issued_on"] > o["due_on"] else "received")
                out.add((h["number"], b, o["period"], status))
    return out


def actual_reporting(db) -> set[tuple]:
    return {(r["number"], r["body_id"], r["period"], r["status"]) for r in db.query(
        "select p.number, s.body_id, s.period, s.status from reporting_status s join documents p on p.id = s.plan_id")}


def main(argv: list[str] | None = None) -> int:
    """``make eval``: every corpus set scored on its own; the floors hold for the sets that
    promise them (FLOORED_SETS); the others are printed so progress can be seen."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m devtools.evaluate", description=main.__doc__)
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and extra")
    ap.add_argument("--set", dest="sets", action="append", help="only this corpus set (repeatable)")
    args = ap.parse_args(argv)
    unmet_all = []
    for corpus_set in args.sets or corpus_sets():
        print(f"\n=== corpus set {corpus_set} ({len(golds(GOLD, corpus_set))} gold documents)")
        result = evaluate(corpus_set=corpus_set)
        print(report(result, args.verbose))
        cross = evaluate_crosscheck(corpus_set=corpus_set)
        print(report_crosscheck(cross, args.verbose))
        unmet = check(result) + check_crosscheck(cross)
        if corpus_set in FLOORED_SETS:
            unmet_all += [f"{corpus_set}: {u}" for u in unmet]
        else:
            print(f"(set {corpus_set} has no floors yet: its figures are reported, not enforced — except that "
                  f"nothing may be credited to a body of another place)")
            if result.get("wrong_place"):
                unmet_all.append(f"{corpus_set}: {len(result['wrong_place'])} credited to another place")
    print("\n" + ("all floors met" if not unmet_all else "FLOORS NOT MET: " + "; ".join(unmet_all)))
    return 1 if unmet_all else 0


if __name__ == "__main__":
    raise SystemExit(main())
