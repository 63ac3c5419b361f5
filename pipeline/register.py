"""The task register: an embedded SQLite file that remembers notices, their tasks and what the officer did.

One writer at a time (an OS lock on `<db>.lock`), every notice written in one transaction
(WAL journal), so an interrupted run leaves a consistent register and the next run finishes the job.
The schema grows by an ordered list of migrations applied when the register is opened.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from extractors.models import Deadline, Extension, Notice, NoticeRef, Period, RegisteredTask, Task
from extractors.textnorm import fold
from pipeline import duplicates
from pipeline.duplicates import TextPrint
from pipeline.status import PeriodRecord, effective_due, next_due, recurring_state, status_of

DEFAULT_DB = "nhiemvu.db"

# Ordered: migration i brings the register from version i to version i+1. Never edit a released one.
MIGRATIONS: list[str] = [
    # 1: notices, the files they were read from, their tasks
    """
    CREATE TABLE notices (
        id INTEGER PRIMARY KEY,
        identity TEXT NOT NULL UNIQUE,   -- doc number + issuer + year, or the file path for a draft
        seed TEXT NOT NULL,              -- identity at first registration; task ids derive from it
        source TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        meta TEXT NOT NULL,              -- NoticeRef fields as JSON
        registered_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX notices_hash ON notices(content_hash);
    CREATE TABLE files (
        path TEXT PRIMARY KEY,           -- absolute path
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        notice_id INTEGER REFERENCES notices(id) ON DELETE SET NULL
    );
    CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        data TEXT NOT NULL,              -- the Task as JSON
        completed_on TEXT,
        note TEXT,
        UNIQUE (notice_id, fingerprint)
    );
    """,
    # 2: audit trail of the officer's changes, folded unit for filtering
    """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        what TEXT NOT NULL,
        old TEXT,
        new TEXT
    );
    CREATE INDEX audit_task ON audit(task_id);
    ALTER TABLE tasks ADD COLUMN unit_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX tasks_unit ON tasks(unit_key);
    """,
    # 3: bookkeeping, e.g. which version of the extractor read the notices
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 4: gia hạn: the current (extended) deadline and the history of extensions, JSON list oldest first
    """
    ALTER TABLE tasks ADD COLUMN extended_to TEXT;
    ALTER TABLE tasks ADD COLUMN extensions TEXT;
    """,
    # 5: the officer's corrections from the review page (pipeline/web): a version per task for optimistic
    # concurrency, the fields the officer edited (kept over a re-reading of the notice), tasks the officer
    # added or dismissed, the reply document and evidence files of a completion, each notice's text
    """
    ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE tasks ADD COLUMN edited TEXT;                         -- JSON {field: value} set by the officer
    ALTER TABLE tasks ADD COLUMN origin TEXT NOT NULL DEFAULT 'extracted';  -- 'officer': added by hand
    ALTER TABLE tasks ADD COLUMN reply_number TEXT;                   -- số văn bản báo cáo hoàn thành
    ALTER TABLE tasks ADD COLUMN reply_date TEXT;
    CREATE TABLE dismissed (
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        task_id TEXT NOT NULL,
        data TEXT NOT NULL,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        PRIMARY KEY (notice_id, fingerprint)
    );
    CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        task_id TEXT NOT NULL,
        stored_name TEXT NOT NULL UNIQUE,  -- generated; the file lives under <register folder>/<db stem>-kiem-chung/
        original_name TEXT NOT NULL,
        size INTEGER NOT NULL,
        at TEXT NOT NULL,
        who TEXT NOT NULL
    );
    CREATE INDEX evidence_task ON evidence(task_id);
    CREATE TABLE notice_texts (
        notice_id INTEGER PRIMARY KEY REFERENCES notices(id) ON DELETE CASCADE,
        body TEXT NOT NULL               -- JSON {"text": ..., "blocks": [[path, kind, label, start, end], ...]}
    );
    """,
    # 6: what recognises another copy of a notice (pipeline/duplicates.py): header facts, text MinHash, LSH bands
    """
    CREATE TABLE notice_prints (
        notice_id INTEGER PRIMARY KEY REFERENCES notices(id) ON DELETE CASCADE,
        number_key TEXT,                 -- folded số ký hiệu when it carries digits
        issuer_key TEXT,
        doc_type TEXT,
        doc_date TEXT,
        year INTEGER,
        minhash BLOB,
        figures TEXT NOT NULL DEFAULT '[]',
        words INTEGER NOT NULL DEFAULT 0,
        source_rank INTEGER NOT NULL DEFAULT 0  -- how good a copy the tasks were read from
    );
    CREATE INDEX notice_prints_number ON notice_prints(number_key);
    CREATE TABLE notice_bands (
        band TEXT NOT NULL,
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE
    );
    CREATE INDEX notice_bands_band ON notice_bands(band);
    """,
    # 7: recurring duties: what the officer recorded for each occurrence (keyed by its due date)
    """
    CREATE TABLE periods (
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        due TEXT NOT NULL,
        completed_on TEXT,
        extended_to TEXT,
        note TEXT,
        PRIMARY KEY (task_id, due)
    );
    """,
    # 8: the dashboard's columns (pipeline/web/dashboard.py), copied from the task JSON by triggers on every
    # write whichever code writes it, and a covering index, so that a 10,000-notice register is counted
    # without parsing 70,000 JSON documents per page; the triggers are in MIGRATION_TRIGGERS
    """
    ALTER TABLE tasks ADD COLUMN v_unit TEXT;
    ALTER TABLE tasks ADD COLUMN v_due TEXT;
    ALTER TABLE tasks ADD COLUMN v_rec TEXT;
    ALTER TABLE tasks ADD COLUMN v_day INTEGER;
    UPDATE tasks SET v_unit=json_extract(data, '$.assignee'), v_due=json_extract(data, '$.deadline.due'),
        v_rec=json_extract(data, '$.deadline.recurrence'), v_day=json_extract(data, '$.deadline.day_of_period');
    CREATE INDEX tasks_dashboard ON tasks(v_unit, v_due, v_rec, v_day, completed_on, extended_to, notice_id, ordinal, id);
    """,
    # 9: công văn đôn đốc drafted with `nhiemvu draft`, so a second letter on the same tasks says "lần 2"
    """
    CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        unit_key TEXT NOT NULL,
        unit TEXT NOT NULL,
        on_date TEXT NOT NULL,
        round INTEGER NOT NULL,
        task_ids TEXT NOT NULL,          -- JSON list of the tasks the letter listed
        number TEXT,                     -- số ký hiệu, when the officer records it
        path TEXT,
        UNIQUE (unit_key, on_date)
    );
    """,
    # 10: a drafted letter is sent once the officer records the number and date the văn thư gave it
    # (`nhiemvu sent`); only sent letters make the next one "đôn đốc lần 2" and are cited by it
    """
    ALTER TABLE reminders ADD COLUMN sent_on TEXT;
    ALTER TABLE reminders ADD COLUMN recorded_by TEXT;
    ALTER TABLE reminders ADD COLUMN recorded_at TEXT;
    """,
    # 11: a notice's bands are replaced (and cascade-deleted) by notice: without this index each register
    # write scanned every band of the register, quadratic in its size (10,000 notices: 90 s of a run)
    """
    CREATE INDEX IF NOT EXISTS notice_bands_notice ON notice_bands(notice_id);
    """,
]
EXTENSIONS_VERSION = 4  # registers older than this (opened read-only, not migrated) have no extension columns
PERIODS_VERSION = 7
REMINDERS_VERSION = 9
SENT_VERSION = 10
SCHEMA_VERSION = len(MIGRATIONS)
_DASHBOARD_COLUMNS = ("UPDATE tasks SET v_unit=json_extract(NEW.data, '$.assignee'),"
                      " v_due=json_extract(NEW.data, '$.deadline.due'),"
                      " v_rec=json_extract(NEW.data, '$.deadline.recurrence'),"
                      " v_day=json_extract(NEW.data, '$.deadline.day_of_period') WHERE rowid=NEW.rowid;")
# Statements that hold ";" themselves (trigger bodies), run whole after the migration of that index.
MIGRATION_TRIGGERS: dict[int, list[str]] = {
    7: [f"CREATE TRIGGER tasks_dashboard_insert AFTER INSERT ON tasks BEGIN {_DASHBOARD_COLUMNS} END",
        f"CREATE TRIGGER tasks_dashboard_update AFTER UPDATE OF data ON tasks BEGIN {_DASHBOARD_COLUMNS} END"],
}


class RegisterBusy(Exception):
    """Another run holds the register."""


class NewerRegister(Exception):
    """The register was written by a newer release (a schema version this one does not know)."""

    def __init__(self, found: int, known: int):
        super().__init__(f"schema version {found} > {known}")
        self.found, self.known = found, known


class UnknownTask(KeyError):
    pass


class InvalidChange(ValueError):
    """A change the register refuses (an extension with no reason, ...); the message is Vietnamese."""


class StaleTask(Exception):
    """The task changed since the officer opened it (another tab, another officer, a run)."""

    def __init__(self, task_id: str, current: int):
        super().__init__(task_id)
        self.task_id, self.current = task_id, current


# Task fields the officer may correct; re-reading the notice keeps the corrected values.
EDITABLE_FIELDS = ("assignee", "co_assignees", "action", "deadline")


@dataclass(frozen=True)
class ReminderLetter:
    """A đôn đốc letter drafted for one unit (`draft`, `run`, the review page); sent once it has a number."""

    id: int
    unit: str
    on: dt.date                      # the day it was drafted: the date printed on it
    round: int
    task_ids: tuple[str, ...]
    path: Optional[str] = None
    number: Optional[str] = None     # số ký hiệu the văn thư gave it
    sent_on: Optional[dt.date] = None

    @property
    def sent(self) -> bool:
        return bool(self.number)


@dataclass
class FileState:
    size: int
    mtime_ns: int
    content_hash: str


@dataclass
class UpsertResult:
    kind: str  # "new" | "changed" | "unchanged" | "duplicate" (another copy of a registered notice)
    added: int = 0
    updated: int = 0
    removed: int = 0
    task_ids: list[str] = field(default_factory=list)
    # tasks whose text the corrected notice changed, matched to their old version: what was kept, per task
    carried: list[str] = field(default_factory=list)


def _readable(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """A register in a folder this user may not write to: SQLite cannot make the WAL's shared-memory
    file beside it, so the file is read as immutable (no writer can be at work there either)."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        if os.access(path.parent, os.W_OK) or not path.is_file():
            raise
        conn.close()
        from urllib.parse import quote

        return sqlite3.connect(f"file:{quote(str(path.absolute()))}?immutable=1", uri=True, timeout=30,
                               isolation_level=None)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def notice_identity(notice: Notice) -> str:
    """What makes two files the same notice: its number and symbol (with issuer and year), else its path.

    A draft number such as "/TB-UBND" carries no digits and identifies nothing.
    """
    package = notice.package
    if package and package.business in ("revoke", "replace"):  # another document than the one it supersedes
        return f"goi:{package.business}:{package.document_id or os.path.abspath(notice.source)}"
    number = (notice.doc_number or "").strip()
    if any(c.isdigit() for c in number.split("/")[0]):
        year = notice.doc_date.year if notice.doc_date else (notice.year or "")
        return f"so:{fold(number)}|{fold(notice.issuer or '')}|{year}"
    return f"tep:{os.path.abspath(notice.source)}"


def task_fingerprint(seed: str, task: Task, occurrence: int) -> str:
    key = "\x1f".join([seed, fold(task.assignee), fold(task.action), str(occurrence)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


class _Lock:
    """Exclusive OS lock on `<db>.lock`; released by the OS if the process dies."""

    def __init__(self, path: Path):
        self.path = path
        self.fh = None

    def acquire(self, timeout: float) -> None:
        self.fh = open(self.path, "a+b")
        deadline = time.monotonic() + timeout
        while True:
            try:
                _lock_file(self.fh)
                return
            except OSError:
                if time.monotonic() >= deadline:
                    self.fh.close()
                    self.fh = None
                    raise RegisterBusy(str(self.path))
                time.sleep(0.1)

    def release(self) -> None:
        if self.fh is not None:
            with contextlib.suppress(OSError):
                _unlock_file(self.fh)
            self.fh.close()
            self.fh = None


if os.name == "nt":  # pragma: no cover - Windows offices
    import msvcrt

    def _lock_file(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock_file(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock_file(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock_file(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class Register:
    """Open with `Register.open(path, write=True)`; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path, lock: Optional[_Lock]):
        self.conn = conn
        self.path = path
        self._lock = lock

    # ------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, write: bool = True, lock_timeout: float = 3.0) -> "Register":
        path = Path(path)
        lock = None
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = _Lock(path.with_name(path.name + ".lock"))
            lock.acquire(lock_timeout)
        try:
            conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            if not write:
                conn = _readable(conn, path)
            conn.execute("PRAGMA foreign_keys = ON")
            reg = cls(conn, path, lock)
            found = reg.version
            if found > SCHEMA_VERSION:  # its tables may mean what this release cannot know
                conn.close()
                raise NewerRegister(found, SCHEMA_VERSION)
            if write:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                reg._migrate()
            return reg
        except BaseException:
            if lock:
                lock.release()
            raise

    def close(self) -> None:
        self.conn.close()
        if self._lock:
            self._lock.release()

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def version(self) -> int:
        try:
            row = self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        except sqlite3.DatabaseError:  # no schema_version table, or not an SQLite file at all
            return 0
        return row[0] or 0

    def _migrate(self, target: int = SCHEMA_VERSION) -> None:
        with self.transaction():
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT)")
        current = self.version
        for number in range(current, target):
            with self.transaction():
                for statement in re.sub(r"--[^\n]*", "", MIGRATIONS[number]).split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                for statement in MIGRATION_TRIGGERS.get(number, ()):
                    self.conn.execute(statement)
                if number == 1:  # the unit column arrived in version 2: fill it for older rows
                    for tid, data in self.conn.execute("SELECT id, data FROM tasks").fetchall():
                        unit = fold(json.loads(data)["assignee"])
                        self.conn.execute("UPDATE tasks SET unit_key=? WHERE id=?", (unit, tid))
                if number + 1 == PERIODS_VERSION:
                    self._periods_from_old_completions()
                self.conn.execute("INSERT INTO schema_version VALUES (?, ?)", (number + 1, _now()))

    def _periods_from_old_completions(self) -> None:
        """Before version 7, 'done' on a recurring duty closed it for good; it now records the occurrence a
        'done' on that day records."""
        rows = self.conn.execute("SELECT t.id, t.data, t.completed_on, t.note, n.meta FROM tasks t"
                                 " JOIN notices n ON n.id=t.notice_id WHERE t.completed_on IS NOT NULL").fetchall()
        for tid, data, completed_on, note, meta in rows:
            task = _stored_task(data)
            if not task.recurrence:
                continue
            on = dt.date.fromisoformat(completed_on)
            state = recurring_state(task.deadline, _doc_date(meta), {}, on)
            self.conn.execute("INSERT OR REPLACE INTO periods (task_id, due, completed_on, note) VALUES (?,?,?,?)",
                              (tid, state.current.isoformat(), completed_on, note))
            self.conn.execute("UPDATE tasks SET completed_on=NULL, note=NULL WHERE id=?", (tid,))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # ------------------------------------------------------------ files
    def file_state(self, path: str | Path) -> Optional[FileState]:
        row = self.conn.execute(
            "SELECT size, mtime_ns, content_hash FROM files WHERE path=?", (os.path.abspath(path),)
        ).fetchone()
        return FileState(*row) if row else None

    def file_states(self) -> dict[str, FileState]:
        """Every known file, for the cheap stat check of a batch (one query, not one per file)."""
        return {p: FileState(s, m, h) for p, s, m, h in
                self.conn.execute("SELECT path, size, mtime_ns, content_hash FROM files")}

    def touch_file(self, path: str | Path, state: FileState, source: Optional[str] = None) -> None:
        """The file's bytes are known but its stat changed (copied, touched): remember the new stat."""
        apath = os.path.abspath(path)
        with self.transaction() as c:
            c.execute("UPDATE files SET size=?, mtime_ns=? WHERE path=?", (state.size, state.mtime_ns, apath))
            if source is not None:  # the notice follows its own file, not another copy of it
                c.execute("UPDATE notices SET source=? WHERE id=(SELECT notice_id FROM files WHERE path=?)"
                          " AND content_hash=(SELECT content_hash FROM files WHERE path=?)", (source, apath, apath))

    # ------------------------------------------------------------ notices and tasks
    def upsert(self, notice: Notice, tasks: list[Task], state: FileState, reextracted: bool = False,
               text_print: Optional[TextPrint] = None) -> UpsertResult:
        """Register one notice and its tasks in one transaction.

        Same bytes already known → unchanged (unless `reextracted`: a newer extractor read them again).
        Same identity or same file with new bytes → its tasks are replaced; a task whose assignee and text
        did not change keeps its id, completion and note.
        Another copy of a registered notice (PDF and .docx, a forwarded copy: pipeline/duplicates.py) →
        "duplicate": the file becomes one more source of that notice, whose tasks are read from the better copy.
        `text_print` is the notice's print when its text was dropped on the way (worker processes).
        """
        apath = os.path.abspath(notice.source)
        identity = notice_identity(notice)
        if text_print is None:
            text_print = duplicates.text_print(notice)
        with self.transaction() as c:
            row = c.execute("SELECT id, seed, source FROM notices WHERE content_hash=?",
                            (state.content_hash,)).fetchone()
            if row:
                notice_id, seed, known_source = row
                self._link_file(c, apath, state, notice_id)
                if os.path.abspath(known_source) == apath or not os.path.exists(known_source):
                    # same file seen under another spelling, or moved; a mere copy keeps the original
                    c.execute("UPDATE notices SET source=? WHERE id=?", (notice.source, notice_id))
                if reextracted and os.path.abspath(known_source) == apath:
                    return self._reread(c, notice_id, seed, notice, identity, tasks, text_print)
                return self._unchanged(c, notice_id)
            if reextracted:
                superseded = c.execute("SELECT notice_id FROM files WHERE path=? AND content_hash=?",
                                       (apath, state.content_hash)).fetchone()
                if superseded and superseded[0] is not None:
                    # an older version of a notice whose newer file is registered: it must not win back
                    return self._unchanged(c, superseded[0])
            row = c.execute("SELECT id, seed FROM notices WHERE identity=?", (identity,)).fetchone()
            if row is None:
                row = c.execute(
                    "SELECT n.id, n.seed FROM files f JOIN notices n ON n.id=f.notice_id WHERE f.path=?", (apath,)
                ).fetchone()
            meta = _notice_meta(notice)
            if row is None:
                superseding = notice.package is not None and notice.package.business in ("revoke", "replace")
                twin = None if superseding else self._find_copy(c, duplicates.header_key(notice), text_print)
                if twin is not None:
                    return self._add_copy(c, twin, notice, tasks, state, text_print)
                cur = c.execute(
                    "INSERT INTO notices (identity, seed, source, content_hash, meta, registered_at, updated_at)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (identity, identity, notice.source, state.content_hash, meta, _now(), _now()))
                notice_id, seed, result = cur.lastrowid, identity, UpsertResult("new")
            else:
                notice_id, seed, result = row[0], row[1], UpsertResult("changed")
                c.execute("UPDATE notices SET identity=?, source=?, content_hash=?, meta=?, updated_at=? WHERE id=?",
                          (identity, notice.source, state.content_hash, meta, _now(), notice_id))
            self._link_file(c, apath, state, notice_id)
            self._keep_text(c, notice_id, notice)
            self._save_print(c, notice_id, notice, text_print)
            self._replace_tasks(c, notice_id, seed, tasks, result)
            self._supersede(c, notice_id, notice)
            return result

    # ------------------------------------------------------------ revoked and replaced notices (edXML)
    @staticmethod
    def _supersede(c: sqlite3.Connection, notice_id: int, notice: Notice) -> None:
        """A package that revokes or replaces earlier documents marks them (whichever arrived first):
        their tasks stay in the register, shown as such, and leave the letters."""
        package = notice.package
        if package is None:
            return

        def notices_naming(value: str) -> list[tuple[int, dict]]:  # a LIKE narrows, the JSON decides
            rows = c.execute("SELECT id, meta FROM notices WHERE id<>? AND meta LIKE ?",
                             (notice_id, f"%{json.dumps(value, ensure_ascii=False)}%"))
            return [(nid, json.loads(meta)) for nid, meta in rows]

        marks: list[tuple[int, dict]] = []  # (notice superseded, superseding notice's meta)
        if package.business in ("revoke", "replace"):
            refs = set(package.refers_to) or ({package.document_id} if package.document_id else set())
            mine = json.loads(c.execute("SELECT meta FROM notices WHERE id=?", (notice_id,)).fetchone()[0])
            mine["supersedes"] = {"kind": package.business, "refs": sorted(refs)}
            c.execute("UPDATE notices SET meta=? WHERE id=?", (json.dumps(mine, ensure_ascii=False), notice_id))
            for ref in sorted(refs):
                marks += [(nid, mine) for nid, meta in notices_naming(ref)
                          if meta.get("document_id") == ref and "supersedes" not in meta]
        if package.document_id:  # this notice arrived after the package that revokes or replaces it
            marks += [(notice_id, meta) for _, meta in notices_naming(package.document_id)
                      if package.document_id in meta.get("supersedes", {}).get("refs", [])]
        for target, by in marks:
            meta = json.loads(c.execute("SELECT meta FROM notices WHERE id=?", (target,)).fetchone()[0])
            word = "thu hồi" if by["supersedes"]["kind"] == "revoke" else "thay thế"
            meta["superseded"] = f"đã bị {word}" + (f" theo {by['doc_number']}" if by.get("doc_number") else "")
            c.execute("UPDATE notices SET meta=? WHERE id=?", (json.dumps(meta, ensure_ascii=False), target))

    # ------------------------------------------------------------ one notice, one entry
    @staticmethod
    def _save_print(c: sqlite3.Connection, notice_id: int, notice: Notice, text_print: TextPrint) -> None:
        key = duplicates.header_key(notice)
        c.execute("INSERT OR REPLACE INTO notice_prints (notice_id, number_key, issuer_key, doc_type, doc_date, year,"
                  " minhash, figures, words, source_rank) VALUES (?,?,?,?,?,?,?,?,?,?)",
                  (notice_id, key.number, key.issuer, key.doc_type, key.date.isoformat() if key.date else None,
                   key.year, text_print.minhash or None, json.dumps(text_print.figures), text_print.words,
                   duplicates.source_rank(notice)))
        c.execute("DELETE FROM notice_bands WHERE notice_id=?", (notice_id,))
        c.executemany("INSERT INTO notice_bands (band, notice_id) VALUES (?,?)",
                      [(band, notice_id) for band in text_print.bands()])

    @staticmethod
    def _find_copy(c: sqlite3.Connection, key: duplicates.HeaderKey, text_print: TextPrint) -> Optional[int]:
        """The registered notice this one is another copy of, if any (the most alike when several)."""
        bands = text_print.bands()
        found = ["SELECT notice_id FROM notice_prints WHERE number_key=?"] if key.number else []
        found += [f"SELECT notice_id FROM notice_bands WHERE band IN ({','.join('?' * len(bands))})"] if bands else []
        if not found:
            return None
        # a notice whose number or date clashes is another notice (duplicates.headers_contradict): left out here,
        # so that a register of look-alike monthly notices is not compared notice by notice
        clash, clash_args = duplicates.clashing_prints_sql(key)
        rows = c.execute(
            "SELECT p.notice_id, p.number_key, p.issuer_key, p.doc_type, p.doc_date, p.year, p.minhash, p.figures,"
            f" p.words FROM notice_prints p JOIN notices n ON n.id=p.notice_id"
            f" WHERE p.notice_id IN ({' UNION '.join(found)}) AND NOT {clash}"
            # a package revoking or replacing a notice is another document, however alike
            " AND n.meta NOT LIKE '%\"supersedes\"%' ORDER BY p.notice_id",
            ([key.number] if key.number else []) + bands + clash_args).fetchall()
        best: Optional[tuple[float, int]] = None
        for nid, number, issuer, doc_type, doc_date, year, minhash, figures, words in rows:
            other_key = duplicates.HeaderKey(number, issuer, doc_type,
                                             dt.date.fromisoformat(doc_date) if doc_date else None, year)
            other = TextPrint(minhash or b"", json.loads(figures), words)
            if duplicates.same_notice(key, text_print, other_key, other):
                likeness = duplicates.text_likeness(text_print, other)
                if best is None or likeness > best[0]:
                    best = (likeness, nid)
        return best[1] if best else None

    def _add_copy(self, c: sqlite3.Connection, notice_id: int, notice: Notice, tasks: list[Task], state: FileState,
                  text_print: TextPrint) -> UpsertResult:
        """One more file of a registered notice: link it; its header fills what the notice lacked; when it is
        a better copy (a .docx after a scan) its tasks replace the ones read so far, keeping their ids."""
        result = UpsertResult("duplicate")
        self._link_file(c, os.path.abspath(notice.source), state, notice_id)
        seed, meta, rank = c.execute("SELECT n.seed, n.meta, p.source_rank FROM notices n JOIN notice_prints p"
                                     " ON p.notice_id=n.id WHERE n.id=?", (notice_id,)).fetchone()
        known = json.loads(meta)
        fresh = json.loads(_notice_meta(notice))
        if duplicates.source_rank(notice) > rank:
            merged = {**known, **{k: v for k, v in fresh.items() if v is not None}}
            if "review_pages" not in fresh:  # the scan's doubts do not outlive a better copy
                merged.pop("review_pages", None)
            c.execute("UPDATE notices SET source=?, content_hash=?, meta=?, updated_at=? WHERE id=?",
                      (notice.source, state.content_hash, json.dumps(merged, ensure_ascii=False), _now(), notice_id))
            self._keep_text(c, notice_id, notice)  # the tasks' spans point into the better copy's text
            self._save_print(c, notice_id, notice, text_print)
            self._replace_tasks(c, notice_id, seed, tasks, result)
            self._supersede(c, notice_id, notice)
        else:
            merged = {**{k: v for k, v in fresh.items() if k != "review_pages"},
                      **{k: v for k, v in known.items() if v is not None}}
            c.execute("UPDATE notices SET meta=? WHERE id=?", (json.dumps(merged, ensure_ascii=False), notice_id))
            result.task_ids = [r[0] for r in c.execute("SELECT id FROM tasks WHERE notice_id=? ORDER BY ordinal",
                                                       (notice_id,))]
        return result

    def notice_sources(self, notice_id: Optional[int] = None) -> dict[int, list[str]]:
        """Every file each notice was read from (a notice received as PDF and .docx has two)."""
        out: dict[int, list[str]] = {}
        where, args = ("notice_id=?", (notice_id,)) if notice_id is not None else ("notice_id IS NOT NULL", ())
        for nid, path in self.conn.execute(f"SELECT notice_id, path FROM files WHERE {where}"
                                           " ORDER BY notice_id, path", args):
            out.setdefault(nid, []).append(path)
        return out

    @staticmethod
    def _unchanged(c: sqlite3.Connection, notice_id: int) -> UpsertResult:
        ids = [r[0] for r in c.execute("SELECT id FROM tasks WHERE notice_id=? ORDER BY ordinal", (notice_id,))]
        return UpsertResult("unchanged", task_ids=ids)

    def _reread(self, c: sqlite3.Connection, notice_id: int, seed: str, notice: Notice, identity: str,
                tasks: list[Task], text_print: Optional[TextPrint] = None) -> UpsertResult:
        """Known bytes read by a newer extractor: refresh the header and tasks, keep the officer's records."""
        taken = c.execute("SELECT 1 FROM notices WHERE identity=? AND id<>?", (identity, notice_id)).fetchone()
        if not taken:
            c.execute("UPDATE notices SET identity=? WHERE id=?", (identity, notice_id))
        c.execute("UPDATE notices SET meta=? WHERE id=?", (_notice_meta(notice), notice_id))
        self._supersede(c, notice_id, notice)
        self._keep_text(c, notice_id, notice)
        if text_print is not None:
            self._save_print(c, notice_id, notice, text_print)
        result = UpsertResult("unchanged")
        self._replace_tasks(c, notice_id, seed, tasks, result)
        if result.added or result.updated or result.removed:
            result.kind = "changed"
            c.execute("UPDATE notices SET updated_at=? WHERE id=?", (_now(), notice_id))
        return result

    # ------------------------------------------------------------ bookkeeping
    def get_meta(self, key: str) -> Optional[str]:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                      " ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    @staticmethod
    def _link_file(c: sqlite3.Connection, apath: str, state: FileState, notice_id: int) -> None:
        c.execute("INSERT INTO files (path, size, mtime_ns, content_hash, notice_id) VALUES (?,?,?,?,?)"
                  " ON CONFLICT(path) DO UPDATE SET size=excluded.size, mtime_ns=excluded.mtime_ns,"
                  " content_hash=excluded.content_hash, notice_id=excluded.notice_id",
                  (apath, state.size, state.mtime_ns, state.content_hash, notice_id))

    def _replace_tasks(self, c: sqlite3.Connection, notice_id: int, seed: str, tasks: list[Task],
                       result: UpsertResult) -> None:
        # tasks the officer added by hand are not the extractor's to remove; those the officer dismissed stay out;
        # fields the officer corrected win over the new reading
        old = {fp: (tid, data, edited) for tid, fp, data, edited in
               c.execute("SELECT id, fingerprint, data, edited FROM tasks WHERE notice_id=? AND origin<>'officer'",
                         (notice_id,))}
        dismissed = {fp for (fp,) in c.execute("SELECT fingerprint FROM dismissed WHERE notice_id=?", (notice_id,))}
        seen: dict[tuple[str, str], int] = {}
        kept: set[str] = set()
        fresh: list[tuple[int, Task, str]] = []  # tasks no old task has the same text as
        for ordinal, task in enumerate(tasks):
            key = (fold(task.assignee), fold(task.action))
            seen[key] = seen.get(key, 0) + 1
            fp = task_fingerprint(seed, task, seen[key])
            if fp in dismissed:
                continue
            if fp in old:
                tid, old_data, edited = old[fp]
                task = _with_edits(task, edited)
                data = task.model_dump_json()
                c.execute("UPDATE tasks SET ordinal=?, data=?, unit_key=?, version=version+? WHERE id=?",
                          (ordinal, data, fold(task.assignee), int(old_data != data), tid))
                result.updated += old_data != data
            else:
                fresh.append((ordinal, task, fp))
                continue
            kept.add(fp)
            result.task_ids.append(tid)
        # a task whose text was corrected ("10/7" → "17/7") is its old self: same unit, most similar text
        gone = {fp: old[fp] for fp in old if fp not in kept}
        successors = _successors(fresh, {fp: json.loads(data) for fp, (_, data, _) in gone.items()})
        for ordinal, task, fp in fresh:
            if fp in successors:
                tid, old_data, edited = gone.pop(successors[fp])
                task = _with_edits(task, edited)
                c.execute("UPDATE tasks SET fingerprint=?, ordinal=?, data=?, unit_key=?, version=version+1 WHERE id=?",
                          (fp, ordinal, task.model_dump_json(), fold(task.assignee), tid))
                self._note_carried(c, tid, json.loads(old_data)["action"], task.action, result)
                result.updated += 1
            else:
                tid = self._free_id(c, fp)
                c.execute("INSERT INTO tasks (id, notice_id, fingerprint, ordinal, data, unit_key)"
                          " VALUES (?,?,?,?,?,?)", (tid, notice_id, fp, ordinal, task.model_dump_json(),
                                                    fold(task.assignee)))
                result.added += 1
            result.task_ids.append(tid)
        for tid, _, _ in gone.values():
            self._remove_task(c, tid)
            result.removed += 1

    @staticmethod
    def _note_carried(c: sqlite3.Connection, tid: str, old_action: str, new_action: str,
                      result: UpsertResult) -> None:
        """Say in the summary and the audit trail what the officer's records on a reworded task became."""
        on, note = c.execute("SELECT completed_on, note FROM tasks WHERE id=?", (tid,)).fetchone()
        periods = c.execute("SELECT count(*) FROM periods WHERE task_id=? AND completed_on IS NOT NULL",
                            (tid,)).fetchone()[0] if _has_table(c, "periods") else 0
        kept = ["trạng thái đã hoàn thành"] if on or periods else []
        kept += ["ghi chú"] if note else []
        message = f"nhiệm vụ {tid} đổi nội dung" + (f", giữ {' và '.join(kept)}" if kept else ", giữ mã")
        c.execute("INSERT INTO audit (task_id, at, who, what, old, new) VALUES (?,?,?,?,?,?)",
                  (tid, _now(), _os_user(), message, json.dumps({"action": old_action}, ensure_ascii=False),
                   json.dumps({"action": new_action}, ensure_ascii=False)))
        if kept:
            result.carried.append(message)

    @staticmethod
    def _remove_task(c: sqlite3.Connection, tid: str) -> None:
        """A task the new version of its notice no longer assigns; what the officer recorded is kept in the audit."""
        on, note = c.execute("SELECT completed_on, note FROM tasks WHERE id=?", (tid,)).fetchone()
        if on or note:
            c.execute("INSERT INTO audit (task_id, at, who, what, old, new) VALUES (?,?,?,?,?,?)",
                      (tid, _now(), _os_user(), "bỏ do văn bản thay đổi",
                       json.dumps({"completed_on": on, "note": note}, ensure_ascii=False), None))
        c.execute("DELETE FROM tasks WHERE id=?", (tid,))

    @staticmethod
    def _free_id(c: sqlite3.Connection, fingerprint: str) -> str:
        """'T-' + 6 hex of the fingerprint, lengthened until no other task holds it."""
        for width in range(6, len(fingerprint) + 1):
            candidate = "T-" + fingerprint[:width]
            if c.execute("SELECT 1 FROM tasks WHERE id=?", (candidate,)).fetchone() is None:
                return candidate
        raise RuntimeError("task id space exhausted")  # a full sha1 collision

    # ------------------------------------------------------------ reading back
    def _select(self) -> str:
        extra = "t.extended_to, t.extensions" if self.version >= EXTENSIONS_VERSION else "NULL, NULL"
        return ("SELECT t.id, t.data, t.completed_on, t.note, n.id, n.source, n.content_hash, n.meta, "
                f"{extra} FROM tasks t JOIN notices n ON n.id=t.notice_id")

    def _period_records(self, task_id: Optional[str] = None) -> dict[str, dict[dt.date, PeriodRecord]]:
        """What was recorded per occurrence of recurring duties, by task id (one query)."""
        if self.version < PERIODS_VERSION:
            return {}
        sql, args = "SELECT task_id, due, completed_on, extended_to, note FROM periods", ()
        if task_id:
            sql, args = sql + " WHERE task_id=?", (task_id,)
        out: dict[str, dict[dt.date, PeriodRecord]] = {}
        for tid, due, on, ext, note in self.conn.execute(sql, args):
            out.setdefault(tid, {})[dt.date.fromisoformat(due)] = PeriodRecord(
                dt.date.fromisoformat(on) if on else None, dt.date.fromisoformat(ext) if ext else None, note)
        return out

    def tasks(self, as_of: Optional[dt.date] = None) -> list[RegisteredTask]:
        """Every task, in a stable order (notice registration, then position in the notice)."""
        as_of = as_of or dt.date.today()
        periods = self._period_records()
        rows = self.conn.execute(self._select() + " ORDER BY n.id, t.ordinal")
        sources = self.notice_sources()
        return [_registered(row, as_of, sources, periods.get(row[0], {})) for row in rows]

    def iter_tasks(self, as_of: Optional[dt.date] = None) -> Iterator[RegisteredTask]:
        """Every task as a stream in unit order (folded lead unit, then notice, then position): exports and
        letters take one unit at a time, so memory stays flat as the register grows."""
        as_of = as_of or dt.date.today()
        periods = self._period_records()
        sources = self.notice_sources()
        cursor = self.conn.execute(self._select() + " ORDER BY t.unit_key, n.id, t.ordinal")
        for row in cursor:
            yield _registered(row, as_of, sources, periods.get(row[0], {}))

    def task(self, task_id: str, as_of: Optional[dt.date] = None) -> RegisteredTask:
        as_of = as_of or dt.date.today()
        row = self.conn.execute(self._select() + " WHERE t.id=?", (self._id(task_id),)).fetchone()
        if row is None:
            raise UnknownTask(task_id)
        return _registered(row, as_of, self.notice_sources(row[4]), self._period_records(row[0]).get(row[0], {}))

    # ------------------------------------------------------------ đôn đốc letters: drafted, then sent
    def record_reminder(self, unit: str, on: dt.date, round_: int, task_ids: list[str],
                        path: Optional[str] = None, number: Optional[str] = None) -> None:
        """A đôn đốc letter drafted for `unit` on `on`; a second draft the same day replaces the first, unless
        the first was already recorded as sent (a sent letter is what a later one cites: it is not rewritten)."""
        with self.transaction() as c:
            c.execute("INSERT INTO reminders (unit_key, unit, on_date, round, task_ids, number, path)"
                      " VALUES (?,?,?,?,?,?,?) ON CONFLICT(unit_key, on_date) DO UPDATE SET unit=excluded.unit,"
                      " round=excluded.round, task_ids=excluded.task_ids, path=excluded.path,"
                      " number=excluded.number WHERE reminders.number IS NULL",
                      (fold(unit), unit, on.isoformat(), round_, json.dumps(task_ids), number, path))

    def reminder_letters(self) -> list[ReminderLetter]:
        """Every letter drafted for a unit, oldest first (drafting day, then order of recording)."""
        if self.version < REMINDERS_VERSION:
            return []
        sent = "sent_on" if self.version >= SENT_VERSION else "NULL"
        rows = self.conn.execute(f"SELECT id, unit, on_date, round, task_ids, path, number, {sent} FROM reminders"
                                 " ORDER BY on_date, id").fetchall()
        return [ReminderLetter(id_, unit, dt.date.fromisoformat(on), round_, tuple(json.loads(ids)), path, number,
                               dt.date.fromisoformat(sent_on) if sent_on else None)
                for id_, unit, on, round_, ids, path, number, sent_on in rows]

    def unit_names(self) -> list[str]:
        """The lead units of the register's tasks, one name per unit (spellings that fold alike are one)."""
        rows = self.conn.execute("SELECT MIN(json_extract(data, '$.assignee')) FROM tasks GROUP BY unit_key")
        return [name for (name,) in rows if name]

    def record_sent(self, letter_id: int, number: str, sent_on: dt.date, who: Optional[str] = None) -> None:
        """The number and date the văn thư gave a drafted letter: from now on it is a sent reminder."""
        with self.transaction() as c:
            c.execute("UPDATE reminders SET number=?, sent_on=?, recorded_by=?, recorded_at=? WHERE id=?",
                      (number, sent_on.isoformat(), who or _os_user(), _now(), letter_id))

    def last_reminders(self, before: dt.date) -> dict:
        """unit key → the latest letter sent before `before` (pipeline.letters.PreviousReminder), dated as the
        văn thư dated it. A letter only drafted is not a reminder: the unit has not received it."""
        from pipeline.letters import PreviousReminder

        if self.version < REMINDERS_VERSION:
            return {}
        day = "COALESCE(sent_on, on_date)" if self.version >= SENT_VERSION else "on_date"
        out = {}
        for key, on, round_, ids, number in self.conn.execute(
                f"SELECT unit_key, {day}, round, task_ids, number FROM reminders"
                f" WHERE number IS NOT NULL AND {day}<? ORDER BY {day}, id", (before.isoformat(),)):
            out[key] = PreviousReminder(dt.date.fromisoformat(on), round_, frozenset(json.loads(ids)), number)
        return out

    def _id(self, task_id: str) -> str:
        """The stored id of an id as typed ("t-3F9A1C"): found by the primary key, not by a scan of every task
        (a comparison COLLATE NOCASE cannot use the key's index)."""
        typed = task_id.strip()
        for candidate in dict.fromkeys((typed, "T-" + typed[2:].lower() if typed[:2].upper() == "T-" else typed)):
            if self.conn.execute("SELECT 1 FROM tasks WHERE id=?", (candidate,)).fetchone():
                return candidate
        row = self.conn.execute("SELECT id FROM tasks WHERE id=? COLLATE NOCASE", (typed,)).fetchone()
        return row[0] if row else typed

    def counts(self) -> dict[str, int]:
        return {name: self.conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                for name in ("notices", "files", "tasks")}

    # ------------------------------------------------------------ the officer's changes
    def mark_done(self, task_id: str, on: dt.date, note: Optional[str] = None, who: Optional[str] = None,
                  period: Optional[dt.date] = None) -> Optional[dt.date]:
        """Record a task done. For a recurring duty one occurrence is done: `period` (its due date), else the
        oldest missed one, else the next; its due date is returned (None for a one-off task)."""
        recurring = self._recurring(task_id, on)
        if recurring is None:
            self._change(task_id, "hoàn thành", on.isoformat(), note, who)
            return None
        tid, state, _ = recurring
        due = period or state.current
        self._change_period(tid, due, "hoàn thành", {"completed_on": on.isoformat(), "note": note}, who)
        return due

    def reopen(self, task_id: str, who: Optional[str] = None, period: Optional[dt.date] = None) -> Optional[dt.date]:
        """Undo a completion; for a recurring duty, of `period` or else of the latest occurrence done."""
        recurring = self._recurring(task_id, dt.date.today())
        if recurring is None:
            self._change(task_id, "mở lại", None, None, who)
            return None
        tid, _, records = recurring
        done = sorted(d for d, r in records.items() if r.completed_on)
        due = period or (done[-1] if done else None)
        if due is None:
            raise InvalidChange("nhiệm vụ định kỳ này chưa có kỳ nào được ghi hoàn thành")
        self._change_period(tid, due, "mở lại", {"completed_on": None, "note": None}, who)
        return due

    def _recurring(self, task_id: str, as_of: dt.date):
        """(id, state, records) of a recurring duty as of a date; None for a one-off task."""
        row = self.conn.execute(self._select() + " WHERE t.id=?", (self._id(task_id),)).fetchone()
        if row is None:
            raise UnknownTask(task_id)
        task = _stored_task(row[1])
        if not task.recurrence or self.version < PERIODS_VERSION:
            return None
        records = self._period_records(row[0]).get(row[0], {})
        return row[0], recurring_state(task.deadline, _doc_date(row[7]), records, as_of), records

    def _change_period(self, tid: str, due: dt.date, what: str, fields: dict, who: Optional[str]) -> None:
        """Set fields of one occurrence's record, with the old and new values in the audit trail."""
        keys = ("completed_on", "extended_to", "note")
        with self.transaction() as c:
            row = c.execute("SELECT completed_on, extended_to, note FROM periods WHERE task_id=? AND due=?",
                            (tid, due.isoformat())).fetchone()
            old = dict(zip(keys, row or (None, None, None)))
            new = {**old, **fields}
            c.execute("INSERT INTO periods (task_id, due, completed_on, extended_to, note) VALUES (?,?,?,?,?)"
                      " ON CONFLICT(task_id, due) DO UPDATE SET completed_on=excluded.completed_on,"
                      " extended_to=excluded.extended_to, note=excluded.note",
                      (tid, due.isoformat(), *(new[k] for k in keys)))
            c.execute("INSERT INTO audit (task_id, at, who, what, old, new) VALUES (?,?,?,?,?,?)",
                      (tid, _now(), who or _os_user(), f"{what} kỳ {due:%d/%m/%Y}",
                       json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False)))

    def extend(self, task_id: str, new_deadline: dt.date, reason: str, by_document: Optional[str] = None,
               actor: Optional[str] = None, *, as_of: Optional[dt.date] = None) -> RegisteredTask:
        """Gia hạn: move the task's deadline to `new_deadline`, keeping the notice's original deadline.

        The status is measured against the new date from now on; every extension is kept on the task
        (exported) and in the audit trail (what="gia hạn", old/new deadline, reason, deciding document).
        Refused (InvalidChange) without a reason, or when the new date is not after the current deadline.
        A recurring duty is extended one occurrence at a time: the one due as of `as_of` (default today),
        i.e. the oldest missed one, else the next.
        """
        reason = (reason or "").strip()
        if not reason:
            raise InvalidChange("gia hạn phải ghi lý do")
        by_document = (by_document or "").strip() or None
        who = actor or _os_user()
        recurring = self._recurring(task_id, as_of or dt.date.today())
        if recurring is not None:  # a recurring duty: the occurrence now due (oldest missed, else the next)
            tid, state, records = recurring
            due = state.current
            current = records.get(due, PeriodRecord()).extended_to or due
            if new_deadline <= current:
                raise InvalidChange(f"thời hạn mới {new_deadline:%d/%m/%Y} phải sau thời hạn hiện tại "
                                    f"{current:%d/%m/%Y} (kỳ {due:%d/%m/%Y})")
            self._change_period(tid, due, "gia hạn", {"extended_to": new_deadline.isoformat(),
                                                     "reason": reason, "by_document": by_document}, who)
            return self.task(tid, as_of)
        with self.transaction() as c:
            row = c.execute("SELECT id, data, extended_to, extensions FROM tasks WHERE id=?",
                            (self._id(task_id),)).fetchone()
            if row is None:
                raise UnknownTask(task_id)
            tid, data, extended_to, history = row
            current = dt.date.fromisoformat(extended_to) if extended_to else _stored_task(data).due
            if current is not None and new_deadline <= current:
                raise InvalidChange(f"thời hạn mới {new_deadline:%d/%m/%Y} phải sau thời hạn hiện tại "
                                    f"{current:%d/%m/%Y}")
            entry = Extension(to=new_deadline, reason=reason, by_document=by_document, previous=current,
                              at=_now(), who=who)
            extensions = [*json.loads(history or "[]"), entry.model_dump(mode="json")]
            c.execute("UPDATE tasks SET extended_to=?, extensions=? WHERE id=?",
                      (new_deadline.isoformat(), json.dumps(extensions, ensure_ascii=False), tid))
            c.execute("INSERT INTO audit (task_id, at, who, what, old, new) VALUES (?,?,?,?,?,?)",
                      (tid, entry.at, who, "gia hạn",
                       json.dumps({"deadline": current.isoformat() if current else None}, ensure_ascii=False),
                       json.dumps({"deadline": new_deadline.isoformat(), "reason": reason,
                                   "by_document": by_document}, ensure_ascii=False)))
        return self.task(tid)

    def _change(self, task_id: str, what: str, completed_on: Optional[str], note: Optional[str],
                who: Optional[str]) -> None:
        with self.transaction() as c:
            row = c.execute("SELECT id, completed_on, note FROM tasks WHERE id=?",
                            (self._id(task_id),)).fetchone()
            if row is None:
                raise UnknownTask(task_id)
            tid, old_on, old_note = row
            new_note = note if note is not None else (old_note if completed_on else None)
            c.execute("UPDATE tasks SET completed_on=?, note=?, version=version+1 WHERE id=?",
                      (completed_on, new_note, tid))
            c.execute("INSERT INTO audit (task_id, at, who, what, old, new) VALUES (?,?,?,?,?,?)",
                      (tid, _now(), who or _os_user(), what,
                       json.dumps({"completed_on": old_on, "note": old_note}, ensure_ascii=False),
                       json.dumps({"completed_on": completed_on, "note": new_note}, ensure_ascii=False)))

    def audit(self, task_id: Optional[str] = None) -> list[dict]:
        sql = "SELECT task_id, at, who, what, old, new FROM audit"
        args: tuple = ()
        if task_id:
            sql, args = sql + " WHERE task_id=?", (self._id(task_id),)
        keys = ("task_id", "at", "who", "what", "old", "new")
        return [dict(zip(keys, r)) for r in self.conn.execute(sql + " ORDER BY id", args)]

    # ------------------------------------------------------------ the officer's corrections (review page)
    @staticmethod
    def _keep_text(c: sqlite3.Connection, notice_id: int, notice: Notice) -> None:
        """The notice's body text and block outline, for showing each task's source beside its tasks."""
        blocks: list[list] = []

        def walk(items) -> None:
            for b in items:
                if b.span:
                    blocks.append([b.path, b.kind, b.label, b.span[0], b.span[1]])
                walk(b.children)

        walk(notice.body)
        body = json.dumps({"text": notice.text, "blocks": blocks}, ensure_ascii=False)
        c.execute("INSERT INTO notice_texts (notice_id, body) VALUES (?, ?)"
                  " ON CONFLICT(notice_id) DO UPDATE SET body=excluded.body", (notice_id, body))

    def notice_body(self, notice_id: int) -> Optional[dict]:
        """{"text", "blocks"} as kept at the last reading; None for a notice registered before version 4."""
        row = self.conn.execute("SELECT body FROM notice_texts WHERE notice_id=?", (notice_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def review_state(self, task_id: str) -> dict:
        """What the review page needs beyond RegisteredTask: version, corrected fields, origin, reply, evidence."""
        row = self.conn.execute(
            "SELECT id, version, edited, origin, reply_number, reply_date, notice_id FROM tasks"
            " WHERE id=?", (self._id(task_id),)).fetchone()
        if row is None:
            raise UnknownTask(task_id)
        tid, version, edited, origin, reply_number, reply_date, notice_id = row
        return {"id": tid, "version": version, "edited": sorted(json.loads(edited or "{}")), "origin": origin,
                "reply_number": reply_number,
                "reply_date": dt.date.fromisoformat(reply_date) if reply_date else None,
                "notice_id": notice_id, "evidence": self.evidence(tid)}

    def _checked_row(self, c: sqlite3.Connection, task_id: str, expected_version: Optional[int]) -> tuple:
        row = c.execute("SELECT id, notice_id, fingerprint, data, edited, version, completed_on, note, reply_number,"
                        " reply_date FROM tasks WHERE id=?", (self._id(task_id),)).fetchone()
        if row is None:
            raise UnknownTask(task_id)
        if expected_version is not None and row[5] != expected_version:
            raise StaleTask(row[0], row[5])
        return row

    def _log(self, c: sqlite3.Connection, tid: str, what: str, old: Optional[dict], new: Optional[dict],
             who: Optional[str]) -> None:
        dump = (lambda d: None if d is None else json.dumps(d, ensure_ascii=False, default=str))
        c.execute("INSERT INTO audit (task_id, at, who, what, old, new) VALUES (?,?,?,?,?,?)",
                  (tid, _now(), who or _os_user(), what, dump(old), dump(new)))

    def edit_task(self, task_id: str, changes: dict, expected_version: Optional[int] = None,
                  who: Optional[str] = None) -> int:
        """Correct fields of a task (keys of EDITABLE_FIELDS; `deadline` a Deadline, its dict, or None).

        The corrected values are remembered as the officer's, so re-reading the notice keeps them.
        Returns the task's new version; raises StaleTask when `expected_version` is not the current one.
        """
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"không sửa được trường {', '.join(sorted(unknown))}")
        with self.transaction() as c:
            tid, _, _, data, edited, version, *_ = self._checked_row(c, task_id, expected_version)
            task = _stored_task(data)
            current = json.loads(task.model_dump_json())
            update = json.loads(Task.model_validate({**current, **changes}).model_dump_json())
            diff = {k: update[k] for k in changes if update[k] != current[k]}
            if not diff:
                return version
            marks = {**json.loads(edited or "{}"), **diff}
            new = Task.model_validate({**current, **diff})
            c.execute("UPDATE tasks SET data=?, unit_key=?, edited=?, version=version+1 WHERE id=?",
                      (new.model_dump_json(), fold(new.assignee), json.dumps(marks, ensure_ascii=False), tid))
            self._log(c, tid, "sửa", {k: current[k] for k in diff}, diff, who)
            return version + 1

    def dismiss_task(self, task_id: str, expected_version: Optional[int] = None, reason: str = "",
                     who: Optional[str] = None) -> None:
        """Remove a task that the notice does not assign; a later re-reading does not bring it back."""
        with self.transaction() as c:
            tid, notice_id, fp, data, *_ = self._checked_row(c, task_id, expected_version)
            c.execute("INSERT OR REPLACE INTO dismissed (notice_id, fingerprint, task_id, data, at, who)"
                      " VALUES (?,?,?,?,?,?)", (notice_id, fp, tid, data, _now(), who or _os_user()))
            c.execute("DELETE FROM tasks WHERE id=?", (tid,))
            self._log(c, tid, "xóa (không phải nhiệm vụ)", json.loads(data), {"reason": reason} if reason else None,
                      who)

    def add_task(self, notice_id: int, task: Task, who: Optional[str] = None) -> str:
        """A task the extractor missed, added by the officer; it stays whatever later readings find."""
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM notices WHERE id=?", (notice_id,)).fetchone() is None:
                raise KeyError(notice_id)
            fp = "officer:" + hashlib.sha1("\x1f".join(
                [str(notice_id), fold(task.assignee), fold(task.action), str(task.span), _now(),
                 str(time.monotonic_ns())]).encode("utf-8")).hexdigest()
            tid = self._free_id(c, fp[len("officer:"):])
            ordinal = c.execute("SELECT COALESCE(MAX(ordinal), -1) + 1 FROM tasks WHERE notice_id=?",
                                (notice_id,)).fetchone()[0]
            data = task.model_dump_json()
            c.execute("INSERT INTO tasks (id, notice_id, fingerprint, ordinal, data, unit_key, origin, edited)"
                      " VALUES (?,?,?,?,?,?,'officer',?)",
                      (tid, notice_id, fp, ordinal, data, fold(task.assignee), json.dumps(
                          {k: v for k, v in json.loads(data).items() if k in EDITABLE_FIELDS}, ensure_ascii=False)))
            self._log(c, tid, "thêm (bỏ sót khi đọc)", None, json.loads(data), who)
            return tid

    def complete(self, task_id: str, on: dt.date, reply_number: Optional[str] = None,
                 reply_date: Optional[dt.date] = None, note: Optional[str] = None,
                 expected_version: Optional[int] = None, who: Optional[str] = None) -> Optional[dt.date]:
        """Done on `on`, with the reply document (số, ngày văn bản báo cáo) as evidence. A recurring duty has one
        occurrence done (as `mark_done`), the reply written in its note; its due date is returned."""
        with self.transaction() as c:
            tid = self._checked_row(c, task_id, expected_version)[0]
        if self._recurring(tid, on) is not None:
            reply = " ".join(x for x in (f"Văn bản báo cáo số {reply_number}" if reply_number else "",
                                         f"ngày {reply_date:%d/%m/%Y}" if reply_date else "") if x)
            due = self.mark_done(tid, on, note="; ".join(x for x in (reply, note or "") if x) or None, who=who)
            self._bump(tid)
            return due
        with self.transaction() as c:
            tid, *_, version, old_on, old_note, old_number, old_date = self._checked_row(c, task_id, expected_version)
            new = {"completed_on": on.isoformat(), "note": note or old_note, "reply_number": reply_number or None,
                   "reply_date": reply_date.isoformat() if reply_date else None}
            c.execute("UPDATE tasks SET completed_on=?, note=?, reply_number=?, reply_date=?, version=version+1"
                      " WHERE id=?", (new["completed_on"], new["note"], new["reply_number"], new["reply_date"], tid))
            self._log(c, tid, "hoàn thành", {"completed_on": old_on, "note": old_note, "reply_number": old_number,
                                             "reply_date": old_date}, new, who)
        return None

    def reopen_checked(self, task_id: str, expected_version: Optional[int] = None, who: Optional[str] = None) -> None:
        with self.transaction() as c:
            tid = self._checked_row(c, task_id, expected_version)[0]
        if self._recurring(tid, dt.date.today()) is not None and not self.task(tid).completed_on:
            self.reopen(tid, who=who)  # the latest occurrence recorded done
            self._bump(tid)
            return
        with self.transaction() as c:
            tid, *_, version, old_on, old_note, old_number, old_date = self._checked_row(c, task_id, expected_version)
            c.execute("UPDATE tasks SET completed_on=NULL, reply_number=NULL, reply_date=NULL, version=version+1"
                      " WHERE id=?", (tid,))
            self._log(c, tid, "mở lại", {"completed_on": old_on, "note": old_note, "reply_number": old_number,
                                         "reply_date": old_date}, {"completed_on": None}, who)

    def _bump(self, tid: str) -> None:
        with self.transaction() as c:
            c.execute("UPDATE tasks SET version=version+1 WHERE id=?", (tid,))

    def extend_checked(self, task_id: str, new_deadline: dt.date, reason: str, by_document: Optional[str] = None,
                       expected_version: Optional[int] = None, who: Optional[str] = None,
                       as_of: Optional[dt.date] = None) -> None:
        """Gia hạn (see `extend`) from a form the officer opened at `expected_version`."""
        with self.transaction() as c:
            tid = self._checked_row(c, task_id, expected_version)[0]
        self.extend(tid, new_deadline, reason, by_document=by_document, actor=who, as_of=as_of)
        self._bump(tid)

    def add_evidence(self, task_id: str, stored_name: str, original_name: str, size: int,
                     who: Optional[str] = None) -> int:
        with self.transaction() as c:
            tid = self._checked_row(c, task_id, None)[0]
            cur = c.execute("INSERT INTO evidence (task_id, stored_name, original_name, size, at, who)"
                            " VALUES (?,?,?,?,?,?)", (tid, stored_name, original_name, size, _now(), who or _os_user()))
            self._log(c, tid, "thêm tài liệu kiểm chứng", None, {"file": original_name, "size": size}, who)
            return cur.lastrowid

    def evidence(self, task_id: str) -> list[dict]:
        keys = ("id", "task_id", "stored_name", "original_name", "size", "at", "who")
        return [dict(zip(keys, r)) for r in self.conn.execute(
            "SELECT id, task_id, stored_name, original_name, size, at, who FROM evidence WHERE task_id=?"
            " ORDER BY id", (self._id(task_id),))]

    def evidence_item(self, evidence_id: int) -> Optional[dict]:
        keys = ("id", "task_id", "stored_name", "original_name", "size", "at", "who")
        row = self.conn.execute("SELECT id, task_id, stored_name, original_name, size, at, who FROM evidence"
                                " WHERE id=?", (evidence_id,)).fetchone()
        return dict(zip(keys, row)) if row else None

    def evidence_dir(self) -> Path:
        """Where evidence files live: beside the register, one folder per register file."""
        return self.path.resolve().parent / f"{self.path.stem}-kiem-chung"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service contexts
        return "không rõ"


SAME_TASK_SIMILARITY = 0.6  # of the folded texts: a corrected date or word, not another task


def _successors(fresh: list[tuple[int, "Task", str]], gone: dict[str, dict]) -> dict[str, str]:
    """New fingerprint → the old one it rewords: same lead unit, the most similar text (at least
    SAME_TASK_SIMILARITY), each old task claimed once, best pairs first."""
    from difflib import SequenceMatcher

    if not fresh or not gone:
        return {}
    pairs = []
    for _, task, fp in fresh:
        unit, text = fold(task.assignee), fold(task.action)
        for old_fp, old in gone.items():
            if fold(old["assignee"]) != unit:
                continue
            matcher = SequenceMatcher(None, text, fold(old["action"]), autojunk=False)
            if matcher.real_quick_ratio() >= SAME_TASK_SIMILARITY and matcher.quick_ratio() >= SAME_TASK_SIMILARITY:
                ratio = matcher.ratio()
                if ratio >= SAME_TASK_SIMILARITY:
                    pairs.append((ratio, fp, old_fp))
    chosen: dict[str, str] = {}
    claimed: set[str] = set()
    for _, fp, old_fp in sorted(pairs, reverse=True):
        if fp not in chosen and old_fp not in claimed:
            chosen[fp] = old_fp
            claimed.add(old_fp)
    return chosen


def _has_table(c: sqlite3.Connection, name: str) -> bool:
    return c.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


def _with_edits(task: Task, edited: Optional[str]) -> Task:
    """A task as re-read, with the fields the officer corrected put back."""
    marks = json.loads(edited or "{}")
    if not marks:
        return task
    return Task.model_validate({**json.loads(task.model_dump_json()), **marks})


def _notice_meta(notice: Notice) -> str:
    return json.dumps({
        "doc_type": notice.doc_type, "doc_number": notice.doc_number,
        "doc_date": notice.doc_date.isoformat() if notice.doc_date else None,
        "issuer": notice.issuer, "signer": notice.signer, "title": notice.title,
        **({"review_pages": notice.review_pages} if notice.review_pages else {}),
        **({"document_id": notice.package.document_id} if notice.package and notice.package.document_id else {}),
    }, ensure_ascii=False)


def _stored_task(data: str) -> Task:
    """A task as stored by any release: fields a later model no longer has are dropped, not fatal."""
    try:
        return Task.model_validate_json(data)
    except ValueError:
        raw = json.loads(data)
        raw = {k: v for k, v in raw.items() if k in Task.model_fields}
        if isinstance(raw.get("deadline"), dict):
            raw["deadline"] = {k: v for k, v in raw["deadline"].items() if k in Deadline.model_fields}
        return Task.model_validate(raw)


def _doc_date(meta: str) -> Optional[dt.date]:
    text = json.loads(meta).get("doc_date")
    return dt.date.fromisoformat(text) if text else None


def _registered(row: tuple, as_of: dt.date, sources: Optional[dict[int, list[str]]] = None,
                records: Optional[dict[dt.date, PeriodRecord]] = None) -> RegisteredTask:
    tid, data, completed_on, note, nid, source, content_hash, meta, extended_to, extensions = row
    task = _stored_task(data)
    if task.source != source:  # the notice was last seen under this path
        task = task.model_copy(update={"source": source})
    done = dt.date.fromisoformat(completed_on) if completed_on else None
    extended = dt.date.fromisoformat(extended_to) if extended_to else None
    shown = {k: v for k, v in json.loads(meta).items() if k in NoticeRef.model_fields}  # bookkeeping keys stay
    notice = NoticeRef(id=nid, source=source, content_hash=content_hash, sources=(sources or {}).get(nid, []),
                       **shown)
    missed: tuple = ()
    periods = [Period(due=d, completed_on=r.completed_on, extended_to=r.extended_to, note=r.note)
               for d, r in sorted((records or {}).items())]
    if task.recurrence and done is None:
        state = recurring_state(task.deadline, notice.doc_date, records or {}, as_of)
        status, upcoming, missed = state.status, state.next_due, state.missed
    else:  # a one-off task, or a duty closed for good before version 7
        status = status_of(effective_due(task.deadline, as_of, extended), done, as_of)
        upcoming = next_due(task.deadline, as_of)
    return RegisteredTask(
        id=tid, task=task, notice=notice,
        completed_on=done, note=note, status=status, next_due=upcoming,
        missed=list(missed), periods=periods, as_of=as_of,
        extended_to=extended,
        extensions=[Extension.model_validate(e) for e in json.loads(extensions)] if extensions else [],
    )
