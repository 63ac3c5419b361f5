"""The dashboard's figures, counted by SQLite over the register's dashboard columns (migration 7: unit, due,
recurrence copied from each task's JSON by triggers) so that a register of 10,000 notices answers quickly.

A task's state follows pipeline.status exactly (tests compare with Register.tasks()): the date measured against
is the extension when there is one, the next occurrence of a recurring duty (computed in Python, once per
distinct recurrence), else the notice's deadline; ISO dates compare as text.
"""
from __future__ import annotations

import datetime as dt
import json
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from extractors.models import Deadline
from pipeline.status import (DONE_LATE, DONE_ON_TIME, OPEN_LATE, OPEN_ON_TIME, STATES, PeriodRecord,
                             next_due, recurring_state)

STATE_CLASS = {DONE_ON_TIME: "done", DONE_LATE: "done-late", OPEN_ON_TIME: "open", OPEN_LATE: "late"}
LIST_LIMIT = 100  # rows shown in the due-soon and overdue lists; the rest are counted


@dataclass
class Row:
    id: str
    notice_id: int
    unit: str
    action: str
    due: Optional[dt.date]  # the date the state is measured against
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


@dataclass
class Figures:
    lines: list[UnitLine]
    total: UnitLine
    soon: list[Row]
    n_soon: int
    late: list[Row]
    listed: list[Row]


def _plain_table() -> dict[int, str]:
    """Each Latin letter with marks (U+00C0..U+1EFF) to its bare lower-case letter; đ to d."""
    import unicodedata

    table = {}
    for code in range(0xC0, 0x1F00):
        base = "".join(c for c in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(c))
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base.lower()
    table.update({ord("đ"): "d", ord("Đ"): "d"})
    # punctuation (ASCII, general punctuation, quotes and dashes) separates words
    table.update({c: " " for c in [*range(0x80), *range(0x2010, 0x2070)] if not chr(c).isalnum()})
    return table


_PLAIN = _plain_table()


def loose(text: str) -> str:
    """Lower case, without vowel marks, đ → d, punctuation as spaces: an officer may type "ra soat" for
    "rà soát". One str.translate, so 70,000 actions fold in well under a second (textnorm.fold is richer and
    slower; the search only needs both sides folded alike)."""
    return " " + " ".join((text or "").lower().translate(_PLAIN).split()) + " "


@lru_cache(maxsize=4096)
def _next_due(rec: str, day: Optional[int], due: Optional[str], as_of: str) -> Optional[str]:
    """A recurring duty closed for good is measured against its next occurrence (pipeline.status.effective_due)."""
    deadline = Deadline(recurrence=rec, day_of_period=day, due=dt.date.fromisoformat(due) if due else None)
    found = next_due(deadline, dt.date.fromisoformat(as_of))
    return found.isoformat() if found else None


@lru_cache(maxsize=8192)
def _recurring(rec: str, day: Optional[int], due: Optional[str], start: Optional[str], as_of: str) -> str:
    """'state index|date' of an open recurring duty whose occurrences carry no record: every such duty with the
    same rule and start date is in the same state (pipeline.status.recurring_state)."""
    deadline = Deadline(recurrence=rec, day_of_period=day, due=dt.date.fromisoformat(due) if due else None)
    state = recurring_state(deadline, dt.date.fromisoformat(start) if start else None, {},
                            dt.date.fromisoformat(as_of))
    return _state_text(state)


def _state_text(state) -> str:
    shown = state.current if state.missed else state.next_due
    return f"{STATES.index(state.status)}|{shown.isoformat() if shown else ''}"


class _Duties:
    """The SQL function nv_recurring(task id, notice id, recurrence, day, due): state and date of an open
    recurring duty, with the officer's records of its occurrences where it has any."""

    def __init__(self, conn, as_of: dt.date):
        self.as_of, self.as_of_text = as_of, as_of.isoformat()
        self.starts = dict(conn.execute("SELECT id, json_extract(meta, '$.doc_date') FROM notices"))
        self.records: dict[str, dict] = {}
        try:
            rows = conn.execute("SELECT task_id, due, completed_on, extended_to, note FROM periods").fetchall()
        except Exception:  # a register without per-occurrence records
            rows = []
        for tid, due, done, extended, note in rows:
            self.records.setdefault(tid, {})[dt.date.fromisoformat(due)] = PeriodRecord(
                _date(done), _date(extended), note)

    def __call__(self, tid, nid, rec, day, due) -> str:
        start = self.starts.get(nid)
        if tid not in self.records:
            return _recurring(rec, day, due, start, self.as_of_text)
        deadline = Deadline(recurrence=rec, day_of_period=day, due=_date(due))
        return _state_text(recurring_state(deadline, _date(start), self.records[tid], self.as_of))


# ---------------------------------------------------------------- search: folded actions, refreshed task by task
_search_lock = threading.Lock()
_search_cache: dict = {"db": None, "versions": {}, "texts": {}}


def search_hits(conn, db: Path, query: str) -> set[str]:
    """Ids of the tasks whose action holds every word of the query (folded alike). The folded actions are kept
    between requests; a task whose version changed (an edit, a run that re-read it) or that is new is folded
    again, so a search after one change costs one pass over the ids, not over every action's text."""
    words = loose(unicodedata.normalize("NFC", query)).split()  # the register's text is NFC already
    with _search_lock:
        if _search_cache["db"] != str(db):
            _search_cache.update(db=str(db), versions={}, texts={})
        versions, texts = _search_cache["versions"], _search_cache["texts"]
        current = dict(conn.execute("SELECT id, version FROM tasks"))
        stale = [tid for tid, version in current.items() if versions.get(tid) != version]
        for tid in set(versions) - set(current):
            versions.pop(tid, None)
            texts.pop(tid, None)
        if len(stale) > 2000:
            rows = conn.execute("SELECT id, json_extract(data, '$.action') FROM tasks").fetchall()
        else:
            rows = [row for i in range(0, len(stale), 500) for row in conn.execute(
                f"SELECT id, json_extract(data, '$.action') FROM tasks WHERE id IN ({','.join('?' * len(stale[i:i + 500]))})",
                stale[i:i + 500])]
        for tid, action in rows:
            texts[tid] = loose(action)
        versions.update((tid, current[tid]) for tid in stale)
        return {tid for tid, text in texts.items() if all(w in text for w in words)}


def _register_state(db: Path, conn) -> tuple:
    """Changes whenever the register's content changes: every change by the officer writes an audit entry, a new
    task takes a new rowid, and a run that changes a notice's tasks stamps the notice. (The files' timestamps
    are no guide: each reader's open and close of a WAL database touches them.)"""
    return (str(db), *conn.execute("SELECT (SELECT MAX(id) FROM audit), (SELECT MAX(rowid) FROM tasks),"
                                   " (SELECT MAX(updated_at) FROM notices)").fetchone())


# ---------------------------------------------------------------- the figures
_STATE_SQL = ("CASE WHEN done IS NOT NULL THEN (CASE WHEN due IS NOT NULL AND done > due THEN 1 ELSE 0 END)"
              " ELSE (CASE WHEN due IS NOT NULL AND :as_of > due THEN 3 ELSE 2 END) END")


def _prepare(conn, db: Path, as_of: dt.date, f: Filters) -> None:
    """A temporary table `dash` of the tasks the filters keep, with their measured date and state."""
    where, args = [], {"as_of": as_of.isoformat()}
    if f.unit:
        where.append("v_unit = :unit")
        args["unit"] = f.unit
    if f.notice_id is not None:
        where.append("notice_id = :notice_id")
        args["notice_id"] = f.notice_id
    if f.notice.strip():
        where.append("notice_id IN (SELECT id FROM notices WHERE json_extract(meta, '$.doc_number') LIKE :notice"
                     " OR source LIKE :notice)")
        args["notice"] = f"%{f.notice.strip()}%"
    if f.q.strip():
        hits = search_hits(conn, db, f.q)
        conn.create_function("nv_hit", 1, lambda tid: tid in hits, deterministic=True)
        where.append("nv_hit(id)")
    outer = []
    if f.due_from:
        outer.append("due >= :due_from")
        args["due_from"] = f.due_from.isoformat()
    if f.due_to:
        outer.append("due <= :due_to")
        args["due_to"] = f.due_to.isoformat()
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("DROP TABLE IF EXISTS temp.dash")
    # an open recurring duty is measured occurrence by occurrence (nv_recurring); a closed one, an extended one
    # and a one-off task against one date
    conn.create_function("nv_recurring", 5, _Duties(conn, as_of), deterministic=True)
    conn.create_function("nv_next_due", 4, _next_due, deterministic=True)
    conn.execute(
        f"CREATE TEMP TABLE dash AS SELECT id, notice_id, ordinal, unit, due, rec, done,"
        f" CASE WHEN rs IS NULL THEN {_STATE_SQL} ELSE CAST(substr(rs, 1, 1) AS INTEGER) END AS st FROM ("
        " SELECT id, notice_id, ordinal, unit, rec, done, rs,"
        "  CASE WHEN rs IS NULL THEN due ELSE nullif(substr(rs, 3), '') END AS due FROM ("
        "   SELECT id, notice_id, ordinal, v_unit AS unit, v_rec AS rec, completed_on AS done,"
        "    CASE WHEN extended_to IS NOT NULL THEN extended_to WHEN v_rec IS NULL THEN v_due"
        "     ELSE nv_next_due(v_rec, v_day, v_due, :as_of) END AS due,"
        "    CASE WHEN v_rec IS NOT NULL AND completed_on IS NULL"
        "     THEN nv_recurring(id, notice_id, v_rec, v_day, v_due) END AS rs"
        f"   FROM tasks INDEXED BY tasks_dashboard {'WHERE ' + ' AND '.join(where) if where else ''}))"
        f" {'WHERE ' + ' AND '.join(outer) if outer else ''}", args)
    if f.status in STATES:
        conn.execute("DELETE FROM temp.dash WHERE st <> ?", (STATES.index(f.status),))


def _rows(conn, picked: list[tuple]) -> list[Row]:
    """Rows for display: (id, notice_id, unit, due, rec, done, st) with their action and notice label."""
    if not picked:
        return []
    ids = [p[0] for p in picked]
    marks = ",".join("?" * len(ids))
    extra = {tid: (action, _doc_label(json.loads(meta), source)) for tid, action, meta, source in conn.execute(
        f"SELECT t.id, json_extract(t.data, '$.action'), n.meta, n.source FROM tasks t JOIN notices n"
        f" ON n.id = t.notice_id WHERE t.id IN ({marks})", ids)}
    out = []
    for tid, nid, unit, due, rec, done, st in picked:
        action, label = extra.get(tid, ("", ""))
        out.append(Row(tid, nid, unit, action, _date(due), rec, _date(done), STATES[st], label))
    return out


_figures_lock = threading.Lock()
_figures_cache: dict = {"state": None, "entries": {}}


def figures(conn, db: Path, as_of: dt.date, f: Filters, days: int, page: int, page_size: int) -> Figures:
    """The dashboard's figures; kept while the register file is unchanged (a reload, going back and forth
    between filters), counted again after any change to the register by the page or by `nhiemvu run`."""
    key = (as_of, f.unit, f.status, f.notice, f.notice_id, f.due_from, f.due_to, f.q, days, page, page_size)
    state = _register_state(db, conn)
    with _figures_lock:
        if _figures_cache["state"] != state:
            _figures_cache.update(state=state, entries={})
        found = _figures_cache["entries"].get(key)
    if found is not None:
        return found
    result = _count(conn, db, as_of, f, days, page, page_size)
    with _figures_lock:
        if _figures_cache["state"] == state and len(_figures_cache["entries"]) < 64:
            _figures_cache["entries"][key] = result
    return result


def _count(conn, db: Path, as_of: dt.date, f: Filters, days: int, page: int, page_size: int) -> Figures:
    _prepare(conn, db, as_of, f)
    lines: dict[str, UnitLine] = {}
    total = UnitLine("Tổng cộng")
    cols = "id, notice_id, unit, due, rec, done, st"
    window = {"a": as_of.isoformat(), "b": (as_of + dt.timedelta(days=days)).isoformat()}
    soon_where = "done IS NULL AND due IS NOT NULL AND due >= :a AND due <= :b"
    n_soon = 0
    for unit, st, n, due_soon in conn.execute(
            f"SELECT unit, st, COUNT(*), SUM({soon_where}) FROM temp.dash GROUP BY unit, st", window):
        lines.setdefault(unit, UnitLine(unit)).counts[STATES[st]] += n
        total.counts[STATES[st]] += n
        n_soon += due_soon or 0
    soon = conn.execute(f"SELECT {cols} FROM temp.dash WHERE {soon_where} ORDER BY due, unit LIMIT {LIST_LIMIT}",
                        window).fetchall() if n_soon else []
    late = conn.execute(f"SELECT {cols} FROM temp.dash WHERE st = 3 ORDER BY due, unit LIMIT {LIST_LIMIT}"
                        ).fetchall() if total.counts[OPEN_LATE] else []
    listed = []
    if f.active():
        listed = conn.execute(f"SELECT {cols} FROM temp.dash ORDER BY notice_id, ordinal LIMIT ? OFFSET ?",
                              (page_size, (page - 1) * page_size)).fetchall()
    shown = {r[0]: r for r in [*soon, *late, *listed]}
    rows = {r.id: r for r in _rows(conn, list(shown.values()))}
    conn.execute("DROP TABLE IF EXISTS temp.dash")
    return Figures(lines=sorted(lines.values(), key=lambda u: (-u.total, u.unit)), total=total,
                   soon=[rows[r[0]] for r in soon], n_soon=n_soon, late=[rows[r[0]] for r in late],
                   listed=[rows[r[0]] for r in listed])


def units(conn, open_only: bool = False) -> list[str]:
    where = " WHERE completed_on IS NULL" if open_only else ""
    found = [u for (u,) in conn.execute(f"SELECT DISTINCT v_unit FROM tasks{where}") if u]
    return sorted(found, key=str.lower)


def _date(text) -> Optional[dt.date]:
    return dt.date.fromisoformat(text) if text else None


def _doc_label(meta: dict, source: str) -> str:
    if meta.get("doc_number") and any(c.isdigit() for c in meta["doc_number"]):
        return meta["doc_number"]
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{meta.get('doc_type') or 'Văn bản'} (chưa số) · {name}"
