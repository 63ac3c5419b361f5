"""Task tables: "STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành" -> tasks.

The header row is found by its words (cues.toml [table]); group-heading rows
(one text across the row, or a Roman numeral with empty unit columns) set context
and are not tasks; every other row is one task.
"""
from __future__ import annotations

import re
from typing import Optional

from extractors.models import Block, Task
from extractors.textnorm import fold

_ROMAN = re.compile(r"^[IVXL]+\.?$")


def header_columns(env, row: list[str]) -> Optional[dict[str, int]]:
    """Column index by meaning, when `row` is a task-table header."""
    table = env.cues.table
    columns: dict[str, int] = {}
    for i, cell in enumerate(row):
        f = fold(cell)
        if not f:
            continue
        for meaning in ("index", "co", "lead", "deadline", "product", "action"):
            if meaning in columns:
                continue
            words = table.get(meaning, ())
            if any(f == w or f.startswith(w + " ") or (" " in w and w in f) for w in words):
                columns[meaning] = i
                break
    return columns if "action" in columns and ("lead" in columns or "deadline" in columns) else None


def table_tasks(env, block: Block, ctx) -> list[Task]:
    from extractors.assignments import Lead, _deadline, _unit_list, _clean_action

    rows = block.rows or []
    tasks: list[Task] = []
    columns = None
    group_lead = ctx.lead
    for r, row in enumerate(rows):
        cells = [c.strip() for c in row]
        if columns is None:
            columns = header_columns(env, cells)
            continue
        if len({c for c in cells if c}) <= 1 or _is_group_row(cells, columns):
            continue
        action = _clean_action(cells[columns["action"]]) if columns["action"] < len(cells) else ""
        if not action or fold(action) in ("1", "2", "3", "4", "5", "6"):
            continue
        lead = group_lead
        if "lead" in columns and columns["lead"] < len(cells) and cells[columns["lead"]]:
            names = _unit_list(env, cells[columns["lead"]]) or [env.units.canonical(cells[columns["lead"]])]
            lead = Lead(names[0], tuple(names[1:]))
        if lead is None:
            continue
        co = list(lead.co)
        if "co" in columns and columns["co"] < len(cells) and cells[columns["co"]]:
            co += _unit_list(env, cells[columns["co"]]) or [env.units.canonical(cells[columns["co"]])]
        deadline = None
        if "deadline" in columns and columns["deadline"] < len(cells):
            deadline = _deadline(env, _as_deadline_phrase(cells[columns["deadline"]]))
        deadline = deadline or _deadline(env, action) or ctx.deadline
        tasks.append(Task(source=env.notice.source, assignee=lead.assignee, co_assignees=co, action=action,
                          deadline=deadline, block_path=f"{block.path}.r{r + 1}"))
    return tasks


def _as_deadline_phrase(cell: str) -> str:
    # a bare "30/7/2026" or "Tháng 8/2026" in a deadline column means "by then"
    cell = cell.strip()
    if re.match(r"^\d{1,2}\s*/\s*\d{1,2}", cell):
        return "trước ngày " + cell
    if re.match(r"(?i)^(quý|tháng)\s", cell):
        return "trong " + cell[:1].lower() + cell[1:]
    return cell


def _is_group_row(cells: list[str], columns: dict[str, int]) -> bool:
    index = cells[columns["index"]] if "index" in columns and columns["index"] < len(cells) else ""
    unit_cols = [columns[k] for k in ("lead", "co", "deadline") if k in columns and columns[k] < len(cells)]
    empty_units = all(not cells[i] for i in unit_cols)
    return bool(_ROMAN.match(index)) and empty_units or (index and not index[0].isdigit() and empty_units and len(index) <= 3)
