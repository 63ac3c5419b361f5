"""Exports of the register: CSV (opens in Excel), XLSX (one sheet per unit + summary), JSON (scorer's keys).

Each writer takes the registered tasks, already with their state as of a date, and a path.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
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
        "note": rt.note,
        "provenance": {"block_path": rt.task.block_path, "span": list(rt.task.span) if rt.task.span else None},
    })
    return record


def table_row(index: int, rt: RegisteredTask) -> dict:
    """One row of the officer's table, values typed (dates stay dates)."""
    t = rt.task
    return {
        "stt": index,
        "id": rt.id,
        "action": t.action,
        "assignee": t.assignee,
        "co_assignees": "; ".join(t.co_assignees),
        "deadline": rt.next_due or t.due,
        "recurrence": RECURRENCE_VI.get(t.recurrence or "", ""),
        "status": rt.status,
        "completed_on": rt.completed_on,
        "doc_number": _doc_label(rt),
        "doc_date": rt.notice.doc_date,
        "source": rt.notice.source,
    }


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
    """All tasks, one sheet per lead unit, and a 'Tổng hợp' sheet of counts by unit × state."""
    from openpyxl import Workbook

    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    by_unit: dict[str, list[RegisteredTask]] = {}
    for rt in tasks:
        by_unit.setdefault(rt.task.assignee, []).append(rt)
    _fill_summary(summary, by_unit)
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


def write_all(tasks: list[RegisteredTask], out_dir: Path, stem: str = "nhiemvu") -> list[Path]:
    return [write(tasks, fmt, Path(out_dir) / f"{stem}.{fmt}") for fmt in FORMATS]


def _parent(path: Path) -> Path:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return Path(path)


# ---------------------------------------------------------------- xlsx details
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_WIDTHS = {"stt": 5, "id": 11, "action": 60, "assignee": 28, "co_assignees": 28, "deadline": 12,
           "recurrence": 11, "status": 24, "completed_on": 12, "doc_number": 18, "doc_date": 12, "source": 30}
_DATE_KEYS = {"deadline", "completed_on", "doc_date"}


def sheet_name(unit: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not blank, unique (case-insensitive)."""
    base = _BAD_SHEET_CHARS.sub("-", unit).strip(" '") or "Không rõ"
    base = base[:31]
    name, n = base, 1
    while name.lower() in used:
        n += 1
        suffix = f" ({n})"
        name = base[:31 - len(suffix)] + suffix
    used.add(name.lower())
    return name


def _fill_tasks(ws, tasks: list[RegisteredTask], keys: bool) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    overdue_fill = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
    ws.append([k if keys else h for k, h in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, rt in enumerate(tasks, 1):
        row = table_row(i, rt)
        ws.append([row[k] if row[k] not in ("", None) else None for k, _ in COLUMNS])
        r = ws.max_row
        for col, (k, _) in enumerate(COLUMNS, 1):
            cell = ws.cell(row=r, column=col)
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text, never a formula (no visible quote needed in xlsx)
            if k in _DATE_KEYS and cell.value is not None:
                cell.number_format = "dd/mm/yyyy"
            if k == "action":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if is_overdue(rt.status):
                cell.fill = overdue_fill
    for col, (k, _) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS[k]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{ws.max_row}"


def _fill_summary(ws, by_unit: dict[str, list[RegisteredTask]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append(["Đơn vị chủ trì", *STATES, "Tổng số"])
    totals: Counter = Counter()
    for unit in sorted(by_unit, key=lambda u: u.lower()):
        counts = Counter(rt.status for rt in by_unit[unit])
        totals.update(counts)
        ws.append([unit, *(counts[s] for s in STATES), len(by_unit[unit])])
    ws.append(["Tổng cộng", *(totals[s] for s in STATES), sum(totals.values())])
    for cell in ws["A"]:
        if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
            cell.data_type = "s"
    for cell in (*ws[1], *ws[ws.max_row]):
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 36
    for col in range(2, len(STATES) + 3):
        ws.column_dimensions[get_column_letter(col)].width = 18
    ws.freeze_panes = "B2"


def summary_counts(tasks: list[RegisteredTask]) -> dict[str, Optional[int]]:
    counts = Counter(rt.status for rt in tasks)
    return {s: counts[s] for s in STATES}
