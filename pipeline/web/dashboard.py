"""The dashboard's figures, computed from a light query (no task JSON parsed into models) so that a register
of 10,000 notices answers quickly. States follow pipeline.status exactly: tests compare with Register.tasks()."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Optional

from extractors.models import Deadline
from extractors.textnorm import bare, fold
from pipeline.status import DONE_LATE, DONE_ON_TIME, OPEN_LATE, OPEN_ON_TIME, STATES, effective_due, status_of


@dataclass
class Row:
    id: str
    notice_id: int
    unit: str
    action: str
    due: Optional[dt.date]  # the date the state is measured against (next occurrence of a recurring duty)
    recurrence: Optional[str]
    completed_on: Optional[dt.date]
    status: str
    doc_label: str


@dataclass
class Filters:
    unit: str = ""
    status: str = ""
    notice: str = ""  # number/symbol, substring
    notice_id: Optional[int] = None
    due_from: Optional[dt.date] = None
    due_to: Optional[dt.date] = None
    q: str = ""

    def active(self) -> bool:
        return any([self.unit, self.status, self.notice, self.notice_id, self.due_from, self.due_to, self.q])


@dataclass
class UnitLine:
    unit: str
    counts: dict = field(default_factory=lambda: {s: 0 for s in STATES})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def ratio(self, *states: str) -> str:
        if not self.total:
            return "-"
        return f"{100 * sum(self.counts[s] for s in states) / self.total:.1f}%".replace(".", ",")


def _date(text) -> Optional[dt.date]:
    return dt.date.fromisoformat(text) if text else None


def load_rows(conn, as_of: dt.date) -> list[Row]:
    notices = {nid: _doc_label(json.loads(meta), source) for nid, meta, source in
               conn.execute("SELECT id, meta, source FROM notices")}
    rows = []
    query = ("SELECT t.id, t.notice_id, json_extract(t.data, '$.assignee'), json_extract(t.data, '$.action'),"
             " json_extract(t.data, '$.deadline'), t.completed_on, t.extended_to FROM tasks t"
             " ORDER BY t.notice_id, t.ordinal")
    for tid, nid, unit, action, deadline, completed, extended_to in conn.execute(query):
        due, recurrence = _date(extended_to), None
        if deadline:
            d = json.loads(deadline)
            recurrence = d.get("recurrence")
            if due is None:
                due = effective_due(Deadline.model_validate(d), as_of) if recurrence else _date(d.get("due"))
        done = _date(completed)
        rows.append(Row(tid, nid, unit, action, due, recurrence, done, status_of(due, done, as_of), notices[nid]))
    return rows


def _doc_label(meta: dict, source: str) -> str:
    if meta.get("doc_number") and any(c.isdigit() for c in meta["doc_number"]):
        return meta["doc_number"]
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{meta.get('doc_type') or 'Văn bản'} (chưa số) · {name}"


def loose(text: str) -> str:
    return " " + bare(fold(text or "")) + " "


def apply(rows: list[Row], f: Filters) -> list[Row]:
    if f.unit:
        rows = [r for r in rows if r.unit == f.unit]
    if f.status:
        rows = [r for r in rows if r.status == f.status]
    if f.notice_id is not None:
        rows = [r for r in rows if r.notice_id == f.notice_id]
    if f.notice:
        wanted = f.notice.strip().lower()
        rows = [r for r in rows if wanted in r.doc_label.lower()]
    if f.due_from:
        rows = [r for r in rows if r.due and r.due >= f.due_from]
    if f.due_to:
        rows = [r for r in rows if r.due and r.due <= f.due_to]
    if f.q.strip():
        words = loose(f.q).split()
        rows = [r for r in rows if all(w in loose(r.action) for w in words)]
    return rows


def by_unit(rows: list[Row]) -> tuple[list[UnitLine], UnitLine]:
    lines: dict[str, UnitLine] = {}
    total = UnitLine("Tổng cộng")
    for r in rows:
        lines.setdefault(r.unit, UnitLine(r.unit)).counts[r.status] += 1
        total.counts[r.status] += 1
    return sorted(lines.values(), key=lambda u: (-u.total, u.unit)), total


def due_soon(rows: list[Row], as_of: dt.date, days: int) -> list[Row]:
    limit = as_of + dt.timedelta(days=days)
    soon = [r for r in rows if r.completed_on is None and r.due and as_of <= r.due <= limit]
    return sorted(soon, key=lambda r: (r.due, r.unit))


def overdue(rows: list[Row]) -> list[Row]:
    return sorted((r for r in rows if r.status == OPEN_LATE), key=lambda r: (r.due, r.unit))


STATE_CLASS = {DONE_ON_TIME: "done", DONE_LATE: "done-late", OPEN_ON_TIME: "open", OPEN_LATE: "late"}
