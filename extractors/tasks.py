"""Tasks a plan assigns, and to whom.

Two shapes are read:
- the "TỔ CHỨC THỰC HIỆN" part: one numbered item per body (its heading names the body;
  "Đề nghị …" makes it a request), its dash bullets are tasks, an item without bullets is
  one task;
- annex task tables (STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
  Thời gian hoàn thành | Sản phẩm), from Word or PDF tables, split across pages or not.

Inside a task, bodies named after "phối hợp với …" coordinate. ``find`` keeps every
assignee as the mention it was found as; ``resolve`` maps them to gazetteer bodies and
expands a collective ("UBND các xã, thị trấn") to its members.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from extractors import deadlines, patterns
from extractors.agencies import Mention
from extractors.outline import Section
from gazetteer.match import Matcher
from pipeline.core.models import Block, SourceDoc, Span
from pipeline.core.textnorm import fold, squash

P = "tasks"


@dataclass(frozen=True)
class Assignee:
    mention: Mention
    role: str  # lead | coordinate | requested


@dataclass(frozen=True)
class Task:
    id: str
    ref: str
    section_id: str | None
    text: str
    span: Span
    assignees: tuple[Assignee, ...]
    deadline: str | None
    recurrence: str | None
    product: str | None = None
    source: str = "outline"  # outline | table


@dataclass(frozen=True)
class TaskBody:
    task_id: str
    body_id: str | None
    role: str
    surface: str
    method: str
    score: float
    via_body_id: str | None = None  # the collective this member was expanded from


def task_id(doc_id: str, ref: str, text: str) -> str:
    """Stable across re-ingests: the document, the task's place and its words."""
    return hashlib.sha1(f"{doc_id}|{ref}|{fold(text)}".encode()).hexdigest()[:16]


def _mentions_in(mentions, start: int, end: int) -> list[Mention]:
    return [m for m in mentions if start <= m.span.start and m.span.end <= end]


def _coordinators(doc: SourceDoc, mentions, start: int, end: int, lead_keys: set[str]) -> list[Mention]:
    """Bodies named right after "phối hợp với", chained by commas and "và"."""
    rx = re.compile(patterns.load(P)["coordination"]["regex"])
    joiners = re.compile(patterns.load(P)["joiners"])
    text = doc.text
    out: list[Mention] = []
    for m in rx.finditer(text, start, end):
        pos = m.end()
        for men in sorted(_mentions_in(mentions, pos, end), key=lambda x: x.span.start):
            if not joiners.match(text[pos:men.span.start]):
                break
            if fold(men.surface) not in lead_keys and men not in out:
                out.append(men)
            pos = men.span.end
    return out


def _implementation_part(sections: tuple[Section, ...]) -> list[Section]:
    words = [fold(w) for w in patterns.load(P)["implementation_headings"]]
    return [s for s in sections if s.level == 1 and any(fold(s.heading).startswith(w) for w in words)]


def find(doc: SourceDoc, sections: tuple[Section, ...], mentions: tuple[Mention, ...],
         default_year: int | None) -> tuple[Task, ...]:
    out: list[Task] = []
    request = re.compile(patterns.load(P)["request_prefix"])
    children: dict[str | None, list[Section]] = {}
    for s in sections:
        children.setdefault(s.parent_id, []).append(s)
    for part in _implementation_part(sections):
        for item in children.get(part.id, []):
            head_start, head_end = item.span.start, item.span.end
            heading = doc.text[head_start:head_end]
            colon = heading.find(":")
            assignee_end = head_start + colon if 0 < colon < 160 else head_end
            role = "requested" if request.search(squash(item.heading)) else "lead"
            who = _mentions_in(mentions, head_start, assignee_end)
            if not who:  # keep an unknown assignee as written, so analysts can extend the gazetteer
                words = request.sub("", squash(item.heading.split(":")[0]))
                s = doc.text.find(words[:10], head_start, head_end)
                who = [Mention(words, doc.span(s, s + len(words)))] if s >= 0 and words else []
            leads = [Assignee(m, role) for m in who]
            lead_keys = {fold(m.surface) for m in who}
            bullets = [c for c in children.get(item.id, []) if c.kind in ("dash", "letter", "arabic", "decimal")]
            units: list[tuple[str, str | None, int, int]] = []
            if bullets:
                units = [(b.label, b.id, b.span.start, b.body_end) for b in bullets]
            elif assignee_end < head_end:  # "1. Phòng Nội vụ: chủ trì …" — the task is inline
                units = [(item.label, item.id, assignee_end + 1, item.body_end)]
            elif item.body_end > head_end:
                units = [(item.label, item.id, head_end, item.body_end)]
            pointer = re.compile(patterns.load(P)["annex_pointer"]["regex"])
            for ref, sid, s, e in units:
                raw = doc.text[s:e]
                text = re.sub(r"^\s*(?:[-–•+*]|[a-zđ]\)|\d+[.)])\s*", "", squash(raw))
                if not text or pointer.search(re.split(r"[;.]", text, maxsplit=1)[0]):
                    continue
                s += len(raw) - len(raw.lstrip())
                coords = [Assignee(m, "coordinate") for m in _coordinators(doc, mentions, s, e, lead_keys)]
                dl = deadlines.find(raw, default_year, strict=True)
                out.append(Task(task_id(doc.id, ref, text), ref, sid, text, doc.span(s, e), tuple(leads + coords),
                                dl.due_on if dl else None, deadlines.recurrence(text)))
    out += _table_tasks(doc, mentions, default_year)
    return tuple(out)


# ------------------------------------------------------------------ annex tables
def _column_roles(cells: list[str]) -> dict[str, int]:
    spec = patterns.load(P)["table_columns"]
    roles: dict[str, int] = {}
    for role in ("number", "task", "lead", "coordinate", "deadline", "product"):
        words = sorted((fold(w) for w in spec[role]), key=len, reverse=True)
        for i, cell in enumerate(cells):
            key = fold(cell)
            if i not in roles.values() and key and any(key == w or key.startswith(w) for w in words):
                roles[role] = i
                break
    return roles if {"task", "lead"} <= roles.keys() else {}


def _table_tasks(doc: SourceDoc, mentions, default_year) -> list[Task]:
    tables: dict[int, dict[int, dict[int, list[Block]]]] = {}
    for b in doc.blocks:
        if b.region == "cell" and b.table is not None:
            tables.setdefault(b.table, {}).setdefault(b.row, {}).setdefault(b.col, []).append(b)
    out: list[Task] = []
    roles: dict[str, int] = {}
    header_key = None
    for t in sorted(tables):
        rows = tables[t]
        ncols = max(len(r) for r in rows.values())
        cell = lambda r, c: " ".join(squash(doc.block_text(b)) for b in rows[r].get(c, []))
        first = [cell(min(rows), c) for c in range(ncols)]
        found = _column_roles(first)
        start_row = min(rows) + 1
        if found:
            roles, header_key = found, [fold(x) for x in first]
        elif not roles or max(roles.values()) >= ncols:
            roles = {}
            continue  # not a task table, and not the continuation of one
        else:
            start_row = min(rows)  # a task table continued on the next page
        for r in sorted(rows):
            if r < start_row:
                continue
            values = [cell(r, c) for c in range(ncols)]
            if [fold(x) for x in values] == header_key:
                continue  # the header row repeated on a new page
            text = values[roles["task"]]
            lead_text = values[roles["lead"]]
            if not text or len(text) < 8 or not lead_text.strip(" -"):
                continue  # a group heading row ("II | PHÁT TRIỂN CHÍNH QUYỀN SỐ | | |"), not a task
            number = values[roles["number"]] if "number" in roles else str(r)
            ref = f"PL.{number.strip('. ') or r}"
            span_blocks = [b for blocks in rows[r].values() for b in blocks]
            s, e = min(b.start for b in span_blocks), max(b.end for b in span_blocks)

            def col_mentions(role):
                bl = rows[r].get(roles[role], []) if role in roles else []
                return [m for b in bl for m in _mentions_in(mentions, b.start, b.end)] or (
                    [Mention(squash(doc.block_text(bl[0])), doc.span(bl[0].start, bl[0].end))]
                    if bl and squash(doc.block_text(bl[0])) and squash(doc.block_text(bl[0])) != "-" else [])

            leads = [Assignee(m, "lead") for m in col_mentions("lead")]
            coords = [Assignee(m, "coordinate") for m in col_mentions("coordinate")]
            when = values[roles["deadline"]] if "deadline" in roles else ""
            dl = deadlines.find(when, default_year, strict=False) if when else None
            rec = deadlines.recurrence(when) if when else None
            product = values[roles["product"]] if "product" in roles else None
            out.append(Task(task_id(doc.id, ref, text), ref, None, text, doc.span(s, e), tuple(leads + coords),
                            dl.due_on if dl else None, rec or None, product or None, "table"))
    return out


# ------------------------------------------------------------------ resolve
def resolve(tasks: tuple[Task, ...], matcher: Matcher, district: str | None = None) -> tuple[TaskBody, ...]:
    gz = matcher.gazetteer
    out: list[TaskBody] = []
    for t in tasks:
        seen: set[tuple[str | None, str]] = set()
        for a in t.assignees:
            r = matcher.resolve(a.mention.surface, district)
            key = (r.body_id or a.mention.surface, a.role)
            if key in seen:
                continue
            seen.add(key)
            out.append(TaskBody(t.id, r.body_id, a.role, a.mention.surface, r.method, r.score))
            if r.body_id:
                for member in gz.members(gz.get(r.body_id)):
                    if (member.id, a.role) not in seen:
                        seen.add((member.id, a.role))
                        out.append(TaskBody(t.id, member.id, a.role, a.mention.surface, r.method, r.score, r.body_id))
    return tuple(out)
