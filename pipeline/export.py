"""Exports of the register: CSV (opens in Excel), XLSX (one sheet per unit + summary), JSON (scorer's keys).

Each writer takes the registered tasks, already with their state as of a date, and a path.
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
from typing import Optional

from extractors.models import RegisteredTask, task_record
from pipeline.status import STATES, is_overdue

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
    ("status", "Trạng thái"),
    ("completed_on", "Ngày hoàn thành"),
    ("doc_number", "Văn bản giao"),
    ("doc_date", "Ngày văn bản"),
    ("source", "Tệp nguồn"),
]
RECURRENCE_VI = {"weekly": "hằng tuần", "monthly": "hằng tháng", "quarterly": "hằng quý", "yearly": "hằng năm"}
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
        "note": rt.note,
        "sources": list(rt.notice.sources),
        "provenance": {"block_path": rt.task.block_path, "span": list(rt.task.span) if rt.task.span else None},
    })
    return safe_values(record)


def table_row(index: int, rt: RegisteredTask) -> dict:
    """One row of the officer's table, values typed (dates stay dates)."""
    t = rt.task
    return safe_values({
        "stt": index,
        "id": rt.id,
        "action": t.action,
        "assignee": t.assignee,
        "co_assignees": "; ".join(t.co_assignees),
        "deadline": rt.current_due,
        "recurrence": RECURRENCE_VI.get(t.recurrence or "", ""),
        "original_deadline": t.due if rt.extensions else None,
        "extension": extension_text(rt),
        "status": rt.status,
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
    """The file the tasks were read from; every copy's name when the notice arrived as several files."""
    if len(rt.notice.sources) < 2:
        return rt.notice.source
    return "; ".join(Path(p).name for p in rt.notice.sources)


def _doc_label(rt: RegisteredTask) -> str:
    n = rt.notice
    return n.doc_number or (f"{n.doc_type} (chưa số)" if n.doc_type else "")


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
def write_json(tasks: list[RegisteredTask], path: Path) -> Path:
    _parent(path).write_text(
        json.dumps([json_record(t) for t in tasks], ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_csv(tasks: list[RegisteredTask], path: Path, keys: bool = False) -> Path:
    """UTF-8 with BOM so Excel shows Vietnamese; Vietnamese headers unless `keys`."""
    with open(_parent(path), "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([k if keys else h for k, h in COLUMNS])
        for i, rt in enumerate(tasks, 1):
            row = table_row(i, rt)
            writer.writerow([safe_cell(_text(row[k])) for k, _ in COLUMNS])
    return path


def write_xlsx(tasks: list[RegisteredTask], path: Path, keys: bool = False) -> Path:
    """All tasks, one sheet per lead unit, and a 'Tổng hợp' sheet of counts by unit × state.

    Written in openpyxl's streaming (write-only) mode: rows go to disk as they are made.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    by_unit = group_by_unit(tasks)
    _fill_summary(wb, wb.create_sheet(SUMMARY_SHEET), by_unit)
    _fill_tasks(wb.create_sheet("Tất cả"), tasks, keys)
    used = {SUMMARY_SHEET.lower(), "tất cả"}
    for unit in sorted(by_unit, key=lambda u: u.lower()):
        _fill_tasks(wb.create_sheet(sheet_name(unit, used)), by_unit[unit], keys)
    wb.save(_parent(path))
    return path


def write(tasks: list[RegisteredTask], fmt: str, path: Path, keys: bool = False) -> Path:
    if fmt == "json":
        return write_json(tasks, path)
    if fmt == "csv":
        return write_csv(tasks, path, keys)
    if fmt == "xlsx":
        return write_xlsx(tasks, path, keys)
    raise ValueError(fmt)


def group_by_unit(tasks: list[RegisteredTask]) -> dict[str, list[RegisteredTask]]:
    """Tasks per lead unit; spellings that fold alike ("Văn hoá"/"văn hóa") share the first one's name."""
    from extractors.textnorm import fold

    names: dict[str, str] = {}
    groups: dict[str, list[RegisteredTask]] = {}
    for rt in tasks:
        name = names.setdefault(fold(rt.task.assignee), rt.task.assignee)
        groups.setdefault(name, []).append(rt)
    return groups


STAMP_NAME = ".nhiemvu-xuat.sha256"
_LAYOUT = "2"  # bump when the exported files change shape, so old exports are rewritten


def write_all(tasks: list[RegisteredTask], out_dir: Path, stem: str = "nhiemvu") -> tuple[list[Path], bool]:
    """Write the three exports; skipped (False) when they already hold exactly these records.

    The check costs one JSON serialisation; rewriting a large XLSX costs seconds, and a re-run of an
    unchanged folder should be quick.
    """
    paths = [Path(out_dir) / f"{stem}.{fmt}" for fmt in FORMATS]
    records = [json_record(t) for t in tasks]
    payload = json.dumps([_LAYOUT, COLUMNS, records], ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    stamp = Path(out_dir) / STAMP_NAME
    if all(p.is_file() for p in paths) and stamp.is_file() and stamp.read_text().strip() == digest:
        return paths, False
    with contextlib.suppress(OSError):
        stamp.unlink()  # a run killed while writing must not leave a stamp over half-written files
    for fmt, path in zip(FORMATS, paths):
        write(tasks, fmt, path)
    stamp.write_text(digest + "\n")
    return paths, True


def _parent(path: Path) -> Path:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return Path(path)


# ---------------------------------------------------------------- xlsx details
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_WIDTHS = {"stt": 5, "id": 11, "action": 60, "assignee": 28, "co_assignees": 28, "deadline": 12,
           "recurrence": 11, "original_deadline": 12, "extension": 30, "status": 24, "completed_on": 12, "doc_number": 18, "doc_date": 12, "source": 30}
_DATE_KEYS = {"deadline", "original_deadline", "completed_on", "doc_date"}


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


def _fill_tasks(ws, tasks: list[RegisteredTask], keys: bool) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    overdue_fill = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
    wrap_top = Alignment(wrap_text=True, vertical="top")
    for col, (k, _) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS[k]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(tasks) + 1}"
    header = []
    for k, h in COLUMNS:
        cell = WriteOnlyCell(ws, k if keys else h)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    ws.append(header)
    styles: dict = {}
    for r, rt in enumerate(tasks, 1):
        row, overdue = table_row(r, rt), is_overdue(rt.status)
        cells = []
        for k, _ in COLUMNS:
            value = row[k] if row[k] not in ("", None) else None
            cell = WriteOnlyCell(ws, value)
            if isinstance(value, str) and value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text, never a formula (no visible quote needed in xlsx)
            key = (k, value is not None and k in _DATE_KEYS, overdue)
            if key not in styles:  # openpyxl's style setters are slow: style once, copy after
                if key[1]:
                    cell.number_format = "dd/mm/yyyy"
                if k == "action":
                    cell.alignment = wrap_top
                if overdue:
                    cell.fill = overdue_fill
                styles[key] = copy(cell._style)
            cell._style = copy(styles[key])
            cells.append(cell)
        ws.append(cells)


def _fill_summary(wb, ws, by_unit: dict[str, list[RegisteredTask]]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def bold_row(values):
        cells = [WriteOnlyCell(ws, v) for v in values]
        for c in cells:
            c.font = Font(bold=True)
        return cells

    ws.column_dimensions["A"].width = 36
    for col in range(2, len(STATES) + 3):
        ws.column_dimensions[get_column_letter(col)].width = 18
    ws.freeze_panes = "B2"
    ws.append(bold_row(["Đơn vị chủ trì", *STATES, "Tổng số"]))
    totals: Counter = Counter()
    for unit in sorted(by_unit, key=lambda u: u.lower()):
        counts = Counter(rt.status for rt in by_unit[unit])
        totals.update(counts)
        name = WriteOnlyCell(ws, safe_values(unit))
        name.data_type = "s"  # a unit name is text even if it starts with '='
        ws.append([name, *(counts[s] for s in STATES), len(by_unit[unit])])
    ws.append(bold_row(["Tổng cộng", *(totals[s] for s in STATES), sum(totals.values())]))


def summary_counts(tasks: list[RegisteredTask]) -> dict[str, Optional[int]]:
    counts = Counter(rt.status for rt in tasks)
    return {s: counts[s] for s in STATES}
