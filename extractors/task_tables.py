"""Task tables: "STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành" -> tasks.

The header row is found by its words (cues.toml [table]); group-heading rows
(one text across the row, or a Roman numeral with empty unit columns) set context
and are not tasks; every other row is one task.
"""
from __future__ import annotations

import re
from typing import Optional

from extractors.assignment_context import Lead, clean_action, task_deadline_of
from extractors.leads import group_heading, lead_of
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

    rows = block.rows or []
    tasks: list[Task] = []
    columns = None
    group_lead = ctx.lead
    above: list[str] = []  # the row above, for cells merged down (a PDF leaves them empty)
    for r, row in enumerate(rows):
        cells = [(c or "").strip() for c in row]
        if columns is None:
            columns = header_columns(env, cells)
            continue
        if len({c for c in cells if c}) <= 1 or _is_group_row(cells, columns):
            above = []
            group_lead = _group_lead(env, cells, columns) or group_lead
            continue
        cells = _fill_merged(cells, above, columns)
        above = cells
        action = clean_action(cells[columns["action"]]) if columns["action"] < len(cells) else ""
        if not action or fold(action) in ("1", "2", "3", "4", "5", "6"):
            continue
        lead = group_lead
        if "lead" in columns and columns["lead"] < len(cells) and cells[columns["lead"]]:
            names = cell_units(env, cells[columns["lead"]])
            lead = Lead(names[0], tuple(names[1:]), how="cell") if names else group_lead
        if lead is None or not lead.assignee.strip():
            continue
        co = list(lead.co)
        if "co" in columns and columns["co"] < len(cells) and cells[columns["co"]]:
            co += cell_units(env, cells[columns["co"]])
        deadline = None
        if "deadline" in columns and columns["deadline"] < len(cells):
            deadline = task_deadline_of(env, _as_deadline_phrase(cells[columns["deadline"]]))
        deadline = deadline or task_deadline_of(env, action) or ctx.deadline
        tasks.append(Task(source=env.notice.source, assignee=lead.assignee, co_assignees=co, action=action,
                          deadline=deadline, block_path=f"{block.path}.r{r + 1}",
                          rule=f"table-row/{lead.how if lead.how in ('cell', 'plan-fields') else 'group'}"))
    return tasks


def _group_lead(env, cells: list[str], columns: dict[str, int]):
    """A group row that names a unit ("II | Phòng Tư pháp") leads the rows under it."""

    i = columns.get("index")
    text = next((c for j, c in enumerate(cells) if c and j != i), "")
    found = lead_of(env, text) or group_heading(env, text)
    if found and len(text.split()) <= 12 and found[2] >= len(text.rstrip(" :.")) - 1:
        return found[0]
    return None


def cell_units(env, cell: str) -> list[str]:
    """The units a table cell names, the whole cell being names: "Công an xã; Trạm Y tế xã",
    "Phòng Kinh tế, Hạ tầng và Đô thị" (a comma inside one name), "UBND các thôn".
    A piece after a comma starts a new name only if it opens like one."""
    names: list[str] = []
    for piece in re.split(r"\s*(?:[;\n]|,)\s*", _join_wrapped_lines(env, cell.strip())):
        piece = piece.strip(" .-+•")
        if not piece:
            continue
        continues_group = names and env.cues.collective.match(names[-1]) and piece[:1].islower() \
            and not re.match(r"(?i)các\s", piece)  # "Các sở, ban, ngành tỉnh": one group
        if names and (continues_group or not _opens_a_name(env, piece)):
            names[-1] += ", " + piece
        else:
            names.append(piece)
    return [env.units.canonical(n) if not env.cues.collective.match(n) else n for n in names]


def _join_wrapped_lines(env, cell: str) -> str:
    """A PDF wraps a long name inside its cell ("Văn phòng" / "UBND tỉnh"): a line that is only a
    head noun, or that a lower-case line continues, is joined to the next instead of ending a name."""
    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        head_only = prev and (m := env.cues.unit_head.match(prev)) and not prev[m.end():].strip()
        if prev and not prev.endswith((";", ",")) and (head_only or line[:1].islower()):
            out[-1] = f"{prev} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def _opens_a_name(env, piece: str) -> bool:
    return bool(env.cues.collective.match(piece) or env.cues.unit_head.match(piece)
                or env.units.match_prefix(piece) or re.match(r"(?i)(?:và\s+)?(?:các|UBND|Ủy ban)\s", piece))


def _fill_merged(cells: list[str], above: list[str], columns: dict[str, int]) -> list[str]:
    """A unit or time cell merged over several rows is read once; the rows below repeat it."""
    if not above:
        return cells
    filled = list(cells)
    # an empty unit cell is merged with the one above; an empty time cell only when the whole row's
    # unit and time cells are empty (a block of rows merged together), else it means "no deadline"
    cols = [columns[k] for k in ("lead", "co", "deadline") if k in columns and columns[k] < min(len(filled), len(above))]
    whole_row = all(not filled[i] for i in cols)
    lead = columns.get("lead")
    if lead in cols and not filled[lead]:
        for i in cols:
            if not filled[i] and (whole_row or i != columns.get("deadline")):
                filled[i] = above[i]
    return filled


def _as_deadline_phrase(cell: str) -> str:
    # a bare "30/7/2026" or "Tháng 8/2026" in a deadline column means "by then"
    cell = cell.strip()
    if re.match(r"^\d{1,2}\s*/\s*\d{1,2}", cell):
        return "trước ngày " + cell
    if re.match(r"(?i)^(quý|tháng|năm)\s", cell):
        return "trong " + cell[:1].lower() + cell[1:]
    return cell


def _is_group_row(cells: list[str], columns: dict[str, int]) -> bool:
    """A heading row inside the table: one text merged across the row ("A | LĨNH VỰC Y TẾ | LĨNH VỰC Y TẾ"),
    or a Roman numeral / capital letter numbering with the unit and time columns empty."""
    i = columns.get("index")
    index = cells[i] if i is not None and i < len(cells) else ""
    filled = [c for j, c in enumerate(cells) if c and j != i]
    if len(filled) >= 2 and len(set(filled)) == 1:  # merged across the row
        return True
    if len(filled) <= 1 and not index[:1].isdigit():
        return True
    unit_cols = [columns[k] for k in ("lead", "co", "deadline") if k in columns and columns[k] < len(cells)]
    empty_units = all(not cells[j] for j in unit_cols)
    return empty_units and bool(_ROMAN.match(index) or re.fullmatch(r"[A-ZĐ]\.?", index))
