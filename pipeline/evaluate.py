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
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.extract import Extractor
from pipeline.textnorm import clean, fold

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "corpus" / "gold"
DOCS = ROOT / "corpus" / "documents"

FLOORS = {  # extractor: (measure, floor)
    "tasks": [("f1", 0.95)],
    "task lead bodies": [("f1", 0.97)],
    "citations": [("precision", 0.95), ("recall", 0.95)],
    "figures": [("f1", 0.93)],
}
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


def evaluate(gold_dir: Path = GOLD, docs_dir: Path = DOCS) -> dict:
    ex = Extractor()
    name = lambda body_id: ex.gazetteer.get(body_id).name if body_id else None
    scores: dict[str, Score] = defaultdict(Score)
    header_right: dict[str, int] = defaultdict(int)
    header_total: dict[str, int] = defaultdict(int)
    accuracy: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for gpath in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        x = ex.extract(docs_dir / gold["file"])
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
        if "tasks" in gold:
            _score_tasks(gold, x, scores, accuracy, label)
        if "reporting_obligations" in gold:
            want = {(o["period"], o["due_on"], o["recipient"], o.get("via")) for o in gold["reporting_obligations"]}
            have = set()
            for i, o in enumerate(x.obligations):
                rid, vid, _ = (x.obligation_bodies or {}).get(i, (None, None, ()))
                have.add((o.period, o.due_on, rid, vid))
            s = scores["reporting obligations"]
            s.tp += len(want & have)
            s.fp += len(have - want)
            s.fn += len(want - have)
            s.misses += [f"{label}: missed {w}" for w in want - have] + [f"{label}: extra {w}" for w in have - want]
    return {"scores": dict(scores), "header": {f: (header_right[f], header_total[f]) for f in HEADER_FIELDS},
            "accuracy": dict(accuracy)}


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


def check(result: dict) -> list[str]:
    """The floors that are not met, as sentences."""
    unmet = []
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
    if verbose:
        lines.append("")
        for name, s in sorted(result["scores"].items()):
            lines += [f"  [{name}] {m}" for m in s.misses]
    unmet = check(result)
    lines.append("")
    lines.append("floors met" if not unmet else "FLOORS NOT MET: " + "; ".join(unmet))
    return "\n".join(lines)
