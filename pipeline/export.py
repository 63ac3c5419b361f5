"""Exports of the register: CSV (opens in Excel), XLSX (one sheet per unit + summary), JSON (scorer's keys).

Each writer takes the registered tasks, already with their state as of a date, and a path. Tasks are
consumed as a stream (any iterable, best in unit order as `Register.iter_tasks` gives them): rows go to
disk as they come, so memory does not grow with the register.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from extractors.models import RegisteredTask, task_record
from pipeline.status import DUE_SOON_DAYS, STATES, due_soon_text, is_overdue
from pipeline.wording import capitalised, recurrence_word, unit_key

TaskSource = Union[Iterable[RegisteredTask], Callable[[], Iterable[RegisteredTask]]]

# (machine key, Vietnamese header) in column order
COLUMNS: list[tuple[str, str]] = [
    ("stt", "STT"),
    ("id", "Mã"),
    ("action", "Nội dung nhiệm vụ"),
    ("assignee", "Đơn vị chủ trì"),
    ("co_assignees", "Đơn vị phối hợp"),
    ("deadline", "Thời hạn"),
    ("recurrence", "Định kỳ"),
    ("original_deadline", "Thời hạn ban đầu"),
    ("extension", "Gia hạn"),
    ("missed", "Kỳ quá hạn chưa báo cáo"),
    ("status", "Trạng thái"),
    ("due_soon", "Sắp đến hạn"),
    ("completed_on", "Ngày hoàn thành"),
    ("doc_number", "Văn bản giao"),
    ("doc_date", "Ngày văn bản"),
    ("source", "Tệp nguồn"),
]
FORMATS = ("csv", "xlsx", "json")
SUMMARY_SHEET = "Tổng hợp"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def json_record(rt: RegisteredTask) -> dict:
    """The scorer's record (task_record) plus what the register adds."""
    record = task_record(rt.notice, rt.task)  # NoticeRef carries the notice fields task_record reads
    record.update({
        "id": rt.id,
        "status": rt.status,
        "completed_on": rt.completed_on.isoformat() if rt.completed_on else None,
        "next_due": rt.next_due.isoformat() if rt.next_due else None,
        "current_deadline": rt.current_due.isoformat() if rt.current_due else None,
        "extended_to": rt.extended_to.isoformat() if rt.extended_to else None,
        "extensions": [e.model_dump(mode="json") for e in rt.extensions],
        "missed_periods": [d.isoformat() for d in rt.missed],
        "periods": [p.model_dump(mode="json") for p in rt.periods],
        "note": rt.note,
        "sources": list(rt.notice.sources),
        "scan_review_pages": list(rt.notice.review_pages),
        "superseded": rt.notice.superseded,
        "provenance": {"block_path": rt.task.block_path, "span": list(rt.task.span) if rt.task.span else None},
    })
    return safe_values(record)


def table_row(index: int, rt: RegisteredTask, due_soon_days: int = DUE_SOON_DAYS) -> dict:
    """One row of the officer's table, values typed (dates stay dates)."""
    t = rt.task
    return safe_values({
        "stt": index,
        "id": rt.id,
        "action": t.action,
        "assignee": capitalised(t.assignee),
        "co_assignees": "; ".join(t.co_assignees),
        "deadline": rt.current_due,
        "recurrence": recurrence_word(t.recurrence),
        "original_deadline": t.due if rt.extensions else None,
        "extension": extension_text(rt),
        "missed": ", ".join(f"{d:%d/%m/%Y}" for d in rt.missed),
        "status": rt.status,
        "due_soon": due_soon_text(rt, due_soon_days),
        "completed_on": rt.completed_on,
        "doc_number": _doc_label(rt),
        "doc_date": rt.notice.doc_date,
        "source": _sources(rt),
    })


def safe_values(value):
    """Strings made writable (no control character, noncharacter or lone surrogate), in dicts and lists too.
    Readers already remove them; a register written by an older release, or a file name, may still hold them."""
    from extractors.textnorm import safe_text

    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):  # plain values are passed over without a call: records are mostly None and dates
        return {k: v if type(v) in _PLAIN else safe_values(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _PLAIN else safe_values(v) for v in value]
    return value


_PLAIN = {type(None), int, float, bool, dt.date, dt.datetime}


def extension_text(rt: RegisteredTask) -> str:
    """'Gia hạn đến 30/09/2026 theo Công văn số 45/UBND-VP (lý do: ...)'; each extension on its own line."""
    lines = []
    for k, e in enumerate(rt.extensions, 1):
        line = f"Lần {k}: đến {e.to:%d/%m/%Y}" if len(rt.extensions) > 1 else f"Đến {e.to:%d/%m/%Y}"
        if e.by_document:
            line += f" theo {e.by_document}"
        lines.append(f"{line} ({e.reason})")
    return "\n".join(lines)


def _sources(rt: RegisteredTask) -> str:
    """The file the tasks were read from; every copy's name when the notice arrived as several files;
    a scan whose OCR may have misread pages says so."""
    names = rt.notice.source if len(rt.notice.sources) < 2 else "; ".join(Path(p).name for p in rt.notice.sources)
    if rt.notice.review_pages:
        names += f" (cần kiểm tra lại bản quét: trang {', '.join(map(str, rt.notice.review_pages))})"
    return names


def _doc_label(rt: RegisteredTask) -> str:
    n = rt.notice
    label = n.doc_number or (f"{n.doc_type} (chưa số)" if n.doc_type else "")
    return f"{label} ({n.superseded})" if n.superseded else label  # revoked/replaced: kept, shown as such


def safe_cell(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# ---------------------------------------------------------------- writers
def tasks_of(source: TaskSource) -> Iterable[RegisteredTask]:
    """The tasks of a source: a callable is called (a fresh stream each time), an iterable used as is."""
    return source() if callable(source) else source


class _JsonSink:
    """A JSON array, one record per line, written record by record."""

    def __init__(self, path: Path, keys: bool = False, due_soon_days: int = DUE_SOON_DAYS):
        self.fh = open(_parent(path), "w", encoding="utf-8")
        self.fh.write("[")
        self.n = 0

    def add(self, rt: RegisteredTask, record: Optional[dict] = None) -> None:
        self.fh.write(",\n" if self.n else "\n")
        self.fh.write(json.dumps(record if record is not None else json_record(rt), ensure_ascii=False))
        self.n += 1

    def close(self) -> None:
        with self.fh:
            self.fh.write("\n]\n")


class _CsvSink:
    """UTF-8 with BOM so Excel shows Vietnamese; Vietnamese headers unless `keys`."""

    def __init__(self, path: Path, keys: bool = False, due_soon_days: int = DUE_SOON_DAYS):
        self.fh = open(_parent(path), "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.fh)
        self.writer.writerow([k if keys else h for k, h in COLUMNS])
        self.due_soon_days, self.n = due_soon_days, 0

    def add(self, rt: RegisteredTask, row: Optional[dict] = None) -> None:
        self.n += 1
        row = {**row, "stt": self.n} if row is not None else table_row(self.n, rt, self.due_soon_days)
        self.writer.writerow([safe_cell(_text(row[k])) for k, _ in COLUMNS])

    def close(self) -> None:
        self.fh.close()


def _write_one(sink_type, tasks: TaskSource, path: Path, **options) -> Path:
    sink = sink_type(path, **options)
    try:
        for rt in tasks_of(tasks):
            sink.add(rt)
    finally:
        sink.close()
    return path


def write_json(tasks: TaskSource, path: Path, due_soon_days: int = DUE_SOON_DAYS) -> Path:
    return _write_one(_JsonSink, tasks, path, due_soon_days=due_soon_days)


def write_csv(tasks: TaskSource, path: Path, keys: bool = False, due_soon_days: int = DUE_SOON_DAYS) -> Path:
    return _write_one(_CsvSink, tasks, path, keys=keys, due_soon_days=due_soon_days)


def write_xlsx(tasks: TaskSource, path: Path, keys: bool = False, due_soon_days: int = DUE_SOON_DAYS) -> Path:
    """All tasks, one sheet per lead unit, and a 'Tổng hợp' sheet of counts by unit × state."""
    return _write_one(_XlsxSink, tasks, path, keys=keys, due_soon_days=due_soon_days)


class _XlsxSink:
    """Written with XlsxWriter in constant-memory mode: each row goes to its sheets' files as it comes; only
    the counts are kept (XlsxWriter writes a large register about four times faster than openpyxl's
    write-only mode). Sheets follow the units' order in the stream (alphabetical from the register).
    Every sheet prints landscape, one page wide, with its header row repeated on each page.
    """

    def __init__(self, path: Path, keys: bool = False, due_soon_days: int = DUE_SOON_DAYS):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(_parent(path)), {"constant_memory": True})
        self.styles = _Styles(self.wb)
        self.summary = self.wb.add_worksheet(SUMMARY_SHEET)  # the first tab; filled once the counts are known
        self.used = {SUMMARY_SHEET.lower(), "tất cả", "history"}  # Excel reserves "History"
        self.keys, self.due_soon_days = keys, due_soon_days
        self.everything = self._sheet("Tất cả")
        self.sheets: dict[str, _TaskSheet] = {}
        self.names: dict[str, str] = {}
        self.counts: dict[str, Counter] = {}

    def _sheet(self, title: str) -> "_TaskSheet":
        return _TaskSheet(self.wb.add_worksheet(title), self.styles, self.keys, self.due_soon_days)

    def add(self, rt: RegisteredTask, row: Optional[dict] = None) -> None:
        key = unit_key(rt.task.assignee)
        if key not in self.sheets:
            self.names[key] = capitalised(rt.task.assignee)
            self.sheets[key] = self._sheet(sheet_name(self.names[key], self.used))
            self.counts[key] = Counter()
        row = row if row is not None else table_row(0, rt, self.due_soon_days)
        self.everything.append(rt, row)
        self.sheets[key].append(rt, row)
        self.counts[key][rt.status] += 1

    def close(self) -> None:
        for sheet in (self.everything, *self.sheets.values()):
            sheet.close()
        names = self.names
        _fill_summary(self.summary, self.styles, [(names[k], self.counts[k])
                                                  for k in sorted(names, key=lambda k: names[k].lower())])
        _close(self.wb)


def _close(wb) -> None:
    """XlsxWriter wraps the OS error of a full disk or a locked file: callers expect the OSError itself."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        wb.close()
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args else None
        raise cause if isinstance(cause, OSError) else OSError(str(exc)) from exc


def write(tasks: TaskSource, fmt: str, path: Path, keys: bool = False, due_soon_days: int = DUE_SOON_DAYS) -> Path:
    """Written under a temporary name and renamed when complete: a full disk leaves no truncated file."""
    from pipeline.failures import write_atomically

    writers = {"json": lambda tmp: write_json(tasks, tmp, due_soon_days),
               "csv": lambda tmp: write_csv(tasks, tmp, keys, due_soon_days),
               "xlsx": lambda tmp: write_xlsx(tasks, tmp, keys, due_soon_days)}
    if fmt not in writers:
        raise ValueError(fmt)
    return write_atomically(path, writers[fmt])


def group_by_unit(tasks: Iterable[RegisteredTask]) -> dict[str, list[RegisteredTask]]:
    """Tasks per lead unit; spellings that fold alike ("Văn hoá"/"văn hóa") share the first one's name."""
    from pipeline.wording import group_by_unit as grouped

    return grouped(tasks)


STAMP_NAME = ".nhiemvu-xuat.sha256"
_LAYOUT = "3"  # bump when the exported files change shape, so old exports are rewritten


def write_all(tasks: TaskSource, out_dir: Path, stem: str = "nhiemvu",
              due_soon_days: int = DUE_SOON_DAYS) -> tuple[list[Path], bool]:
    """Write the three exports; skipped (False) when they already hold exactly these records.

    The check streams the records through a hash; rewriting a large XLSX costs seconds, and a re-run of an
    unchanged folder should be quick. `tasks` may be a callable giving a fresh stream per pass; a one-shot
    iterator is kept in memory.
    """
    if not callable(tasks) and not isinstance(tasks, (list, tuple)):
        tasks = list(tasks)
    paths = [Path(out_dir) / f"{stem}.{fmt}" for fmt in FORMATS]
    h = hashlib.sha256(json.dumps([_LAYOUT, COLUMNS, due_soon_days], ensure_ascii=False).encode("utf-8"))
    for rt in tasks_of(tasks):
        record = {**json_record(rt), "due_soon": due_soon_text(rt, due_soon_days)}
        h.update(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    digest = h.hexdigest()
    stamp = Path(out_dir) / STAMP_NAME
    if all(p.is_file() for p in paths) and stamp.is_file() and stamp.read_text().strip() == digest:
        return paths, False
    with contextlib.suppress(OSError):
        stamp.unlink()  # a run killed while writing must not leave a stamp over half-written files
    _write_together(tasks, paths, due_soon_days)
    from pipeline.failures import write_text_atomic

    write_text_atomic(stamp, digest + "\n")
    return paths, True


_SINKS = {"csv": _CsvSink, "xlsx": _XlsxSink, "json": _JsonSink}


def _write_together(tasks: TaskSource, paths: list[Path], due_soon_days: int) -> None:
    """The three formats in one pass over the register: each task's row and record are made once.
    All are written under temporary names and renamed only when all are complete."""
    from pipeline.failures import write_all_atomically

    def write(tmps: list[Path]) -> None:
        sinks = [_SINKS[p.suffix[1:]](tmp, due_soon_days=due_soon_days) for p, tmp in zip(paths, tmps)]
        try:
            for rt in tasks_of(tasks):
                row, record = table_row(0, rt, due_soon_days), json_record(rt)
                for sink in sinks:
                    sink.add(rt, record if isinstance(sink, _JsonSink) else row)
        finally:
            for sink in sinks:
                sink.close()

    write_all_atomically(paths, write)


def _parent(path: Path) -> Path:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return Path(path)


# ---------------------------------------------------------------- xlsx details
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_WIDTHS = {"stt": 5, "id": 11, "action": 60, "assignee": 28, "co_assignees": 28, "deadline": 12,
           "recurrence": 11, "original_deadline": 12, "extension": 30, "missed": 16, "due_soon": 12, "status": 24, "completed_on": 12, "doc_number": 18, "doc_date": 12, "source": 30}
_DATE_KEYS = {"deadline", "original_deadline", "completed_on", "doc_date"}
_WRAPPED = {"action", "assignee", "co_assignees", "extension", "missed", "doc_number", "source"}


def sheet_name(unit: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not blank, unique (case-insensitive)."""
    base = _BAD_SHEET_CHARS.sub("-", safe_values(unit)).strip(" '") or "Không rõ"
    base = base[:31]
    name, n = base, 1
    while name.lower() in used:
        n += 1
        suffix = f" ({n})"
        name = base[:31 - len(suffix)] + suffix
    used.add(name.lower())
    return name


def _print_setup(ws, header_rows: int = 1) -> None:
    """Landscape A4, one page wide (as many tall as needed), header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, header_rows - 1)
    ws.set_margins(left=0.4, right=0.4)
    ws.center_horizontally()


_LINE_POINTS = 15  # one line of the default 11 pt font


def _row_height(row: dict, wrapped=_WRAPPED) -> float:
    """Points for the row's tallest wrapped cell, at its column's width."""
    return max((_lines(value, _WIDTHS[k]) for k in wrapped if isinstance(value := row.get(k), str)),
               default=1) * _LINE_POINTS


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell takes: a column's width counts digits of the default font, and Vietnamese letters
    average a little narrower (1.1 characters a unit)."""
    per_line = max(int(width * 1.1) - 1, 1)
    return max(1, sum(-(-len(part) // per_line) or 1 for part in text.split("\n")))


class _Styles:
    """The workbook's cell formats, each made once (a format per cell would bloat the file)."""

    def __init__(self, wb):
        self.wb = wb
        self.header = wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
        self._made: dict[tuple, object] = {}

    def cell(self, is_date: bool, wrapped: bool, overdue: bool, soon: bool):
        key = (is_date, wrapped, overdue, soon)
        if key not in self._made:
            spec: dict = {"valign": "top", **({"num_format": "dd/mm/yyyy"} if is_date else {})}
            if wrapped:
                spec.update(text_wrap=True)
            if overdue or soon:
                spec.update(pattern=1, bg_color="#FFC7CE" if overdue else "#FFEB9C")
            self._made[key] = self.wb.add_format(spec)
        return self._made[key]


class _TaskSheet:
    """A sheet of task rows written as they come: header first, filter range at the end."""

    def __init__(self, ws, styles: _Styles, keys: bool, due_soon_days: int):
        self.ws, self.styles, self.due_soon_days = ws, styles, due_soon_days
        self.rows = 0
        for col, (k, _) in enumerate(COLUMNS):
            ws.set_column(col, col, _WIDTHS[k])
        ws.freeze_panes(1, 0)
        _print_setup(ws)
        ws.set_row(0, _row_height({k: k if keys else h for k, h in COLUMNS}, wrapped=_WIDTHS))
        for col, (k, h) in enumerate(COLUMNS):
            ws.write_string(0, col, k if keys else h, styles.header)

    def append(self, rt: RegisteredTask, row: dict) -> None:
        """`row` is the task's table_row; its STT is this sheet's own count."""
        self.rows += 1
        row, overdue = {**row, "stt": self.rows}, is_overdue(rt.status)
        soon = bool(row["due_soon"])
        self.ws.set_row(self.rows, _row_height(row))  # neither Excel nor Calc grows a row for wrapped text on opening
        for col, (k, _) in enumerate(COLUMNS):
            value = row[k]
            if value in ("", None):
                if overdue or soon:  # the row's colour runs across its empty cells too
                    self.ws.write_blank(self.rows, col, None, self.styles.cell(False, False, overdue, soon))
            elif isinstance(value, dt.date):
                self.ws.write_datetime(self.rows, col, value, self.styles.cell(True, False, overdue, soon))
            elif isinstance(value, str):  # always text: "=..." is never run as a formula
                self.ws.write_string(self.rows, col, value, self.styles.cell(False, k in _WRAPPED, overdue, soon))
            else:
                self.ws.write_number(self.rows, col, value, self.styles.cell(False, False, overdue, soon))

    def close(self) -> None:
        self.ws.autofilter(0, 0, self.rows, len(COLUMNS) - 1)


_UNIT_WIDTH, _COUNT_WIDTH = 36, 18


def _fill_summary(ws, styles: _Styles, units: list[tuple[str, Counter]]) -> None:
    """Counts by unit × state, with totals; the unit names come capitalised, in alphabetical order, wrapped
    in their column (a long group such as "Các phòng chuyên môn và người đứng đầu ..." is read whole)."""
    ws.set_column(0, 0, _UNIT_WIDTH)
    ws.set_column(1, len(STATES) + 1, _COUNT_WIDTH)
    ws.freeze_panes(1, 1)
    _print_setup(ws)
    header = ["Đơn vị chủ trì", *(capitalised(s) for s in STATES), "Tổng số"]
    ws.set_row(0, max(_lines(h, _COUNT_WIDTH) for h in header) * _LINE_POINTS)
    bold_row = lambda r, values: [ws.write(r, c, v, styles.header) for c, v in enumerate(values)]  # noqa: E731
    bold_row(0, header)
    name_style, count_style = styles.cell(False, True, False, False), styles.cell(False, False, False, False)
    totals: Counter = Counter()
    for r, (unit, counts) in enumerate(units, 1):
        totals.update(counts)
        name = safe_values(unit)
        ws.set_row(r, _lines(name, _UNIT_WIDTH) * _LINE_POINTS)
        ws.write_string(r, 0, name, name_style)  # a unit name is text even if it starts with '='
        for c, n in enumerate([*(counts[s] for s in STATES), sum(counts.values())], 1):
            ws.write_number(r, c, n, count_style)
    bold_row(len(units) + 1, ["Tổng cộng", *(totals[s] for s in STATES), sum(totals.values())])


def summary_counts(tasks: TaskSource) -> dict[str, Optional[int]]:
    counts = Counter(rt.status for rt in tasks_of(tasks))
    return {s: counts[s] for s in STATES}
