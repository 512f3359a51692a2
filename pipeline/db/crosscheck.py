"""Stage "cross-check": reports to plans, tasks to the statements that evidence them.

After every batch (it needs the whole database):
1. copies — the same document in two files (a plan as PDF and as DOCX: same number, date
   and issuer) keeps one ``ok`` row; the others become ``duplicate`` with a link to it;
2. responds_to — a report answers the plan it cites (a ``cites`` link to a plan); failing
   that, the plan of its district whose title is closest to its own, if close enough;
3. evidence — for each task assigned to the reporting body (or, when the plan does not
   name it, to the plan's catch-all item), the report's statements that evidence it:
   only statements of the results and context parts, not about the future, not about
   another body; scored by TF-IDF cosine over folded syllables and syllable pairs, the
   words that say nothing struck out (extractors/patterns/reports.yml). A sentence of
   the results part goes to the body's task it is closest to (all of them to a body's only
   task); context statements and table rows need a clear match. The thresholds are
   settings (``Settings.evidence``).
Evidence ids come from the task and statement ids (both from content), so analysts'
verdicts in ``reviews`` keep pointing at the same link after a rebuild.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict

import sqlite_utils
from rapidfuzz import fuzz

from extractors import patterns
from pipeline.core.identity import key_of
from pipeline.core.settings import Evidence
from pipeline.core.textnorm import fold



def _stop() -> frozenset[str]:
    return frozenset(fold(w) for w in patterns.load("reports")["stopwords"])


def terms(text: str) -> list[str]:
    """Folded syllables and syllable pairs, stop words struck out (pairs span them)."""
    stop = _stop()
    syl = [w for w in re.findall(r"[a-z0-9]+", fold(text))]
    keep = [w for w in syl if w not in stop and not w.isdigit()]
    pairs = [f"{a}_{b}" for a, b in zip(syl, syl[1:]) if a not in stop or b not in stop]
    return keep + pairs


class Scorer:
    """TF-IDF cosine between tasks and statements of one plan and its reports."""

    def __init__(self, texts: list[str]) -> None:
        df: Counter = Counter()
        for t in texts:
            df.update(set(terms(t)))
        n = max(len(texts), 1)
        self.idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}

    def vector(self, text: str) -> dict[str, float]:
        tf = Counter(terms(text))
        v = {w: (1 + math.log(c)) * self.idf.get(w, math.log(2)) for w, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / norm for w, x in v.items()}

    @staticmethod
    def cosine(a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(x * b.get(w, 0.0) for w, x in a.items())


FORMAT_RANK = {"pdf": 0, "docx": 1, "doc": 2, "txt": 3}


def evidence_id(task_id: str, statement_id: str) -> str:
    return hashlib.sha1(f"{task_id}|{statement_id}".encode()).hexdigest()[:16]


def mark_copies(db: sqlite_utils.Database) -> None:
    groups = defaultdict(list)
    for r in db.query("select id, kind, format, number, issued_on, issuer_body_id, issuer_text, ingested_at from documents "
                      "where status in ('ok', 'duplicate') and number is not null"):
        key = key_of(r)
        if key is not None:
            groups[(r["kind"], key)].append(r)
    db.execute("DELETE FROM document_links WHERE relation = 'duplicates'")
    for (_, key), rows in groups.items():
        # the copy that stays "ok" must not depend on arrival order or timing (a rebuild from the
        # same files must give the same evidence ids, so that analysts' verdicts stay attached):
        # a born-digital PDF first, then Word, then the rest; between equals, the smaller id
        rows.sort(key=lambda r: (FORMAT_RANK.get(r["format"], 9), r["id"]))
        keep, *copies = rows
        db.execute("UPDATE documents SET status = 'ok' WHERE id = ?", [keep["id"]])
        for c in copies:
            db.execute("UPDATE documents SET status = 'duplicate' WHERE id = ?", [c["id"]])
            db["document_links"].insert({"source_id": c["id"], "target_id": keep["id"], "relation": "duplicates",
                                         "basis": f"the same document in another file: {key}", "score": 100.0})


def link_reports(db: sqlite_utils.Database, district_of, title_match: float = Evidence().title_match) -> None:
    db.execute("DELETE FROM document_links WHERE relation = 'responds_to'")
    plans = list(db.query("select id, title, issuer_body_id, issued_on, number from documents "
                          "where kind = 'plan' and status = 'ok'"))
    canonical = {}
    for r in db.query("select source_id, target_id from document_links where relation = 'duplicates'"):
        canonical[r["source_id"]] = r["target_id"]
    plan_ids = {p["id"] for p in plans}
    for rep in db.query("select id, title, issuer_body_id, issued_on from documents "
                        "where kind = 'report' and status in ('ok', 'superseded')"):
        cited = Counter()
        basis = {}
        for l in db.query("select target_id, basis from document_links where relation = 'cites' and source_id = ?",
                          [rep["id"]]):
            target = canonical.get(l["target_id"], l["target_id"])
            plan = next((p for p in plans if p["id"] == target), None)
            # a số ký hiệu is unique only within its issuer and year: "95/KH-UBND" of another
            # district's People's Committee is another plan
            other_place = plan is not None and district_of(plan["issuer_body_id"]) not in (
                None, district_of(rep["issuer_body_id"]))
            if target in plan_ids and not other_place:
                cited[target] += 1
                basis.setdefault(target, l["basis"])
        if cited:
            target = cited.most_common(1)[0][0]
            db["document_links"].insert({"source_id": rep["id"], "target_id": target, "relation": "responds_to",
                                         "basis": f"citation {basis[target]}", "score": 100.0})
            continue
        best, score = None, 0.0
        for p in plans:
            same_place = district_of(p["issuer_body_id"]) == district_of(rep["issuer_body_id"])
            if not same_place or (p["issued_on"] or "") > (rep["issued_on"] or "9999"):
                continue
            s = fuzz.token_set_ratio(fold(p["title"] or ""), fold(rep["title"] or ""))
            if s > score:
                best, score = p, s
        if best and score >= title_match:
            db["document_links"].insert({"source_id": rep["id"], "target_id": best["id"], "relation": "responds_to",
                                         "basis": f"topic: title similarity {score:.0f}", "score": score})


def find_evidence(db: sqlite_utils.Database, settings: Evidence = Evidence(), gaps: list | None = None) -> list[dict]:
    """Evidence rows for every report that answers a plan (and, into ``gaps``, the
    shortcomings statements that say a task was not fully done)."""
    rows = []
    not_done = [w.casefold() for w in patterns.load("reports")["not_done_markers"]]
    kinds = set(patterns.load("reports")["evidence_kinds"])
    context_floor = settings.context
    for link in db.query("select l.source_id as report_id, l.target_id as plan_id, d.issuer_body_id "
                         "from document_links l join documents d on d.id = l.source_id "
                         "where l.relation = 'responds_to' and d.status = 'ok'"):
        body = link["issuer_body_id"]
        tasks = list(db.query(
            "select distinct t.id, t.text from tasks t join task_bodies b on b.task_id = t.id "
            "where t.document_id = ? and b.body_id = ? and b.role in ('lead', 'requested')",
            [link["plan_id"], body]))
        if not tasks:  # a body the plan does not name answers its catch-all item
            tasks = list(db.query(
                "select distinct t.id, t.text from tasks t join task_bodies b on b.task_id = t.id "
                "join bodies c on c.id = b.body_id where t.document_id = ? and c.kind = 'catch_all'",
                [link["plan_id"]]))
        stmts = [s for s in db.query(
            "select s.id, s.text, s.part, s.future, s.about_body_id, s.source, coalesce(c.heading, '') as heading "
            "from statements s left join sections c on c.id = s.section_id and c.kind not in ('dash', 'plus') "
            "where s.document_id = ?", [link["report_id"]])]
        usable = [s for s in stmts if s["part"] in kinds and not s["future"]
                  and (s["about_body_id"] is None or s["about_body_id"] == body)]
        short = [s for s in stmts if s["part"] == "shortcomings" and s["about_body_id"] in (None, body)
                 and any(w in f" {s['text'].casefold()} " for w in not_done)]
        all_tasks = [t["text"] for t in db.query("select text from tasks where document_id = ?", [link["plan_id"]])]
        scorer = Scorer(all_tasks + [s["text"] for s in stmts])
        tv = {t["id"]: scorer.vector(t["text"]) for t in tasks}
        for s in usable:
            # the statement read with the heading it stands under ("2. Công tác tuyên truyền")
            sv = scorer.vector(f"{s['heading']} {s['text']}")
            scores = {t["id"]: scorer.cosine(tv[t["id"]], sv) for t in tasks}
            best = max(scores.values(), default=0.0)
            # a sentence of the results part speaks of the body's assigned work: it evidences the
            # task it is closest to; elsewhere (context, table rows) only a clear match counts
            results_text = s["part"] == "results" and s["source"] == "text"
            floor = settings.assign if results_text else context_floor
            for t in tasks:
                score = scores[t["id"]]
                only = len(tasks) == 1
                if (score >= floor or (only and results_text)) and score >= best:  # its closest task only
                    rows.append({"id": evidence_id(t["id"], s["id"]), "plan_id": link["plan_id"],
                                 "report_id": link["report_id"], "task_id": t["id"], "statement_id": s["id"],
                                 "body_id": body, "score": round(score, 4),
                                 "method": "only-task" if only else "tfidf-best"})
        for s in short if gaps is not None else ():
            sv = scorer.vector(s["text"])
            scores = {t["id"]: scorer.cosine(tv[t["id"]], sv) for t in tasks}
            best = max(scores, key=scores.get, default=None)
            if best and scores[best] >= context_floor:
                gaps.append({"id": evidence_id(best, s["id"]), "plan_id": link["plan_id"],
                             "report_id": link["report_id"], "task_id": best, "statement_id": s["id"],
                             "body_id": body, "score": round(scores[best], 4)})
    return rows


def crosscheck(db: sqlite_utils.Database, district_of, settings: Evidence = Evidence()) -> None:
    with db.atomic():
        mark_copies(db)
        link_reports(db, district_of, settings.title_match)
        db.execute("DELETE FROM evidence")
        db.execute("DELETE FROM task_gaps")
        gaps: list[dict] = []
        db["evidence"].insert_all(find_evidence(db, settings, gaps), pk="id")
        db["task_gaps"].insert_all(gaps, pk="id", replace=True)
