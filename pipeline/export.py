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
from copy import copy
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
    if isinstance(value, dict):
        return {k: safe_values(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_values(v) for v in value]
    return value


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


def write_json(tasks: TaskSource, path: Path, due_soon_days: int = DUE_SOON_DAYS) -> Path:
    """A JSON array, one record per line, written record by record."""
    with open(_parent(path), "w", encoding="utf-8") as fh:
        fh.write("[")
        for i, rt in enumerate(tasks_of(tasks)):
            fh.write(",\n" if i else "\n")
            fh.write(json.dumps(json_record(rt), ensure_ascii=False))
        fh.write("\n]\n")
    return path


def write_csv(tasks: TaskSource, path: Path, keys: bool = False, due_soon_days: int = DUE_SOON_DAYS) -> Path:
    """UTF-8 with BOM so Excel shows Vietnamese; Vietnamese headers unless `keys`."""
    with open(_parent(path), "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([k if keys else h for k, h in COLUMNS])
        for i, rt in enumerate(tasks_of(tasks), 1):
            row = table_row(i, rt, due_soon_days)
            writer.writerow([safe_cell(_text(row[k])) for k, _ in COLUMNS])
    return path


def write_xlsx(tasks: TaskSource, path: Path, keys: bool = False, due_soon_days: int = DUE_SOON_DAYS) -> Path:
    """All tasks, one sheet per lead unit, and a 'Tổng hợp' sheet of counts by unit × state.

    Written in openpyxl's streaming (write-only) mode: each row goes to its sheets' files as it comes; only
    the counts are kept. Sheets follow the units' order in the stream (alphabetical from the register).
    Every sheet prints landscape, one page wide, with its header row repeated on each page.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    summary = wb.create_sheet(SUMMARY_SHEET)
    everything = _TaskSheet(wb, "Tất cả", keys, due_soon_days)
    used = {SUMMARY_SHEET.lower(), "tất cả"}
    sheets: dict[str, _TaskSheet] = {}
    names: dict[str, str] = {}
    counts: dict[str, Counter] = {}
    for rt in tasks_of(tasks):
        key = unit_key(rt.task.assignee)
        if key not in sheets:
            names[key] = capitalised(rt.task.assignee)
            sheets[key] = _TaskSheet(wb, sheet_name(names[key], used), keys, due_soon_days)
            counts[key] = Counter()
        everything.append(rt)
        sheets[key].append(rt)
        counts[key][rt.status] += 1
    for sheet in (everything, *sheets.values()):
        sheet.close()
    _fill_summary(summary, [(names[k], counts[k]) for k in sorted(names, key=lambda k: names[k].lower())])
    wb.save(_parent(path))
    return path


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
    for fmt, path in zip(FORMATS, paths):
        write(tasks, fmt, path, due_soon_days=due_soon_days)
    from pipeline.failures import write_text_atomic

    write_text_atomic(stamp, digest + "\n")
    return paths, True


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


def _print_setup(ws, header_rows: str = "1:1") -> None:
    """Landscape A4, one page wide (as many tall as needed), header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 (ECMA-376 paper size code)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.horizontalCentered = True


class _TaskSheet:
    """A sheet of task rows written as they come (openpyxl write-only): header first, filter range at the end."""

    def __init__(self, wb, title: str, keys: bool, due_soon_days: int):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.ws = ws = wb.create_sheet(title)
        self.due_soon_days = due_soon_days
        self.rows = 0
        self._cell = WriteOnlyCell
        self._overdue_fill = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
        self._soon_fill = PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C")
        self._wrap_top = Alignment(wrap_text=True, vertical="top")
        self._styles: dict = {}
        for col, (k, _) in enumerate(COLUMNS, 1):
            ws.column_dimensions[get_column_letter(col)].width = _WIDTHS[k]
        ws.freeze_panes = "A2"
        _print_setup(ws)
        header = []
        for k, h in COLUMNS:
            cell = WriteOnlyCell(ws, k if keys else h)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        ws.append(header)

    def append(self, rt: RegisteredTask) -> None:
        self.rows += 1
        row, overdue = table_row(self.rows, rt, self.due_soon_days), is_overdue(rt.status)
        soon = bool(row["due_soon"])
        cells = []
        for k, _ in COLUMNS:
            value = row[k] if row[k] not in ("", None) else None
            cell = self._cell(self.ws, value)
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text, never a formula (no visible quote needed in xlsx)
            key = (k, value is not None and k in _DATE_KEYS, overdue, soon)
            if key not in self._styles:  # openpyxl's style setters are slow: style once, copy after
                if key[1]:
                    cell.number_format = "dd/mm/yyyy"
                if k in _WRAPPED:
                    cell.alignment = self._wrap_top
                if overdue:
                    cell.fill = self._overdue_fill
                elif soon:
                    cell.fill = self._soon_fill
                self._styles[key] = copy(cell._style)
            cell._style = copy(self._styles[key])
            cells.append(cell)
        self.ws.append(cells)

    def close(self) -> None:
        from openpyxl.utils import get_column_letter

        self.ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{self.rows + 1}"


def _fill_summary(ws, units: list[tuple[str, Counter]]) -> None:
    """Counts by unit × state, with totals; the unit names come capitalised, in alphabetical order."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    def bold_row(values):
        cells = [WriteOnlyCell(ws, v) for v in values]
        for c in cells:
            c.font = Font(bold=True)
            c.alignment = Alignment(wrap_text=True, vertical="center")
        return cells

    ws.column_dimensions["A"].width = 36
    for col in range(2, len(STATES) + 3):
        ws.column_dimensions[get_column_letter(col)].width = 18
    ws.freeze_panes = "B2"
    _print_setup(ws)
    ws.append(bold_row(["Đơn vị chủ trì", *(capitalised(s) for s in STATES), "Tổng số"]))
    totals: Counter = Counter()
    for unit, counts in units:
        totals.update(counts)
        name = WriteOnlyCell(ws, safe_values(unit))
        name.data_type = "s"  # a unit name is text even if it starts with '='
        ws.append([name, *(counts[s] for s in STATES), sum(counts.values())])
    ws.append(bold_row(["Tổng cộng", *(totals[s] for s in STATES), sum(totals.values())]))


def summary_counts(tasks: TaskSource) -> dict[str, Optional[int]]:
    counts = Counter(rt.status for rt in tasks_of(tasks))
    return {s: counts[s] for s in STATES}
