"""`nhiemvu explain`: each block of a notice's body with the decision extraction made on it, and why.

A block that gave tasks shows each task (lead, co-operating units, deadline, the start of the work) and
the rule that found it (Task.rule "<shape>/<lead>"); a block without a task shows the [no_task] code
`api.explain` recorded; the words for every code come from extractors/data/vi/rules.toml.
"""
from __future__ import annotations

import json
import shutil
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Optional

from extractors.models import Block, Notice, Task, task_record
from extractors.rules import no_task_words, task_rule_words
from pipeline import api
from pipeline.wording import recurrence_word

SHOWN_CHARS = 100  # of a block's text; the whole text is in --json
ACTION_CHARS = 120


@dataclass
class BlockDecision:
    block: Block
    depth: int
    tasks: list[Task] = field(default_factory=list)
    code: Optional[str] = None  # [no_task] code when the block gave no task
    repeated: bool = False  # its path was already shown (odd documents): decision given on the first


def decisions(notice: Notice) -> tuple[list[BlockDecision], list[Task]]:
    """The body's blocks in reading order with their decisions, and any task no block holds."""
    tasks, trace = api.explain(notice)
    rows: list[BlockDecision] = []
    first: dict[str, BlockDecision] = {}

    def walk(blocks: list[Block], depth: int) -> None:
        for block in blocks:
            row = BlockDecision(block, depth, repeated=block.path in first)
            if not row.repeated:
                first[block.path] = row
                row.code = trace.get(block.path)
            rows.append(row)
            walk(block.children, depth + 1)

    walk(notice.body, 0)
    unplaced = []
    for task in tasks:
        holder = _holder(task.block_path, first)
        if holder is None:
            unplaced.append(task)
        else:
            holder.tasks.append(task)
    return rows, unplaced


def _holder(path: str, first: dict[str, BlockDecision]) -> Optional[BlockDecision]:
    """The block a task came from: its own path, else the nearest enclosing one (a table's row "t2.r8")."""
    while path:
        if path in first:
            return first[path]
        path = path.rpartition(".")[0]
    return None


# ---------------------------------------------------------------- words
def _date(task: Task) -> str:
    d = task.deadline
    if d is None:
        return "không ghi"
    parts = []
    if d.recurrence:
        parts.append(recurrence_word(d.recurrence) + (f", ngày {d.day_of_period}" if d.day_of_period else ""))
    if d.due:
        parts.append(d.due.strftime("%d/%m/%Y"))
    if d.ongoing and not parts:
        parts.append("thường xuyên")
    said = f" (“{d.phrase}”)" if d.phrase else ""
    return (", ".join(parts) or "không ghi") + said


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _block_text(block: Block) -> str:
    if block.kind == "table":
        return f"[bảng {len(block.rows or [])} dòng]"
    return " ".join(x for x in (block.label, block.text) if x)


def task_json(notice: Notice, task: Task) -> dict:
    shape, lead = task_rule_words(task.rule)
    record = {k: v for k, v in task_record(notice, task).items()
              if k in ("assignee", "co_assignees", "action", "deadline", "deadline_text", "recurrence",
                       "block_path", "rule")}
    return {**record, "why": {"shape": shape, "lead": lead}}


def as_json(notice: Notice) -> str:
    rows, unplaced = decisions(notice)
    blocks = []
    for row in rows:
        item = {"path": row.block.path, "label": row.block.label, "kind": row.block.kind, "depth": row.depth,
                "text": row.block.text}
        if row.block.kind == "table":
            item["rows"] = row.block.rows or []
        if row.repeated:
            item["decision"] = "repeated"
        elif row.tasks:
            item.update(decision="task", tasks=[task_json(notice, t) for t in row.tasks])
        elif row.code:
            item.update(decision="no_task", code=row.code, reason=no_task_words(row.code))
        else:
            item["decision"] = "none"
        blocks.append(item)
    return json.dumps({"source": notice.source, "doc_type": notice.doc_type, "doc_number": notice.doc_number,
                       "blocks": blocks, "unplaced_tasks": [task_json(notice, t) for t in unplaced]},
                      ensure_ascii=False, indent=1)


def as_text(notice: Notice, width: Optional[int] = None) -> list[str]:
    width = width or max(60, min(120, shutil.get_terminal_size((100, 24)).columns))
    rows, unplaced = decisions(notice)
    n_tasks = sum(len(r.tasks) for r in rows) + len(unplaced)
    header = " · ".join(x for x in (notice.doc_type, notice.doc_number,
                                    notice.doc_date.strftime("%d/%m/%Y") if notice.doc_date else None) if x)
    lines = [f"Tệp: {notice.source}" + (f"  ({header})" if header else ""),
             f"{n_tasks} nhiệm vụ; {sum(1 for r in rows if r.code)} đoạn không có nhiệm vụ (có lý do).", ""]
    for row in rows:
        indent = "  " * min(row.depth, 6)
        lines += _wrap(f"[{row.block.path or '-'}] {_short(_block_text(row.block), SHOWN_CHARS)}", width, indent)
        more = indent + "    "
        if row.repeated:
            lines += _wrap("= cùng vị trí với đoạn đã nêu ở trên; xem quyết định ở đó", width, more)
        elif row.tasks:
            for task in row.tasks:
                lines += _task_lines(task, width, more, row.block.path)
        elif row.code:
            lines += _wrap(f"→ không có nhiệm vụ: {no_task_words(row.code)} [{row.code}]", width, more)
        elif not row.block.children:
            lines += _wrap("→ không có nhiệm vụ (không ghi lý do)", width, more)
    if unplaced:
        lines += ["", "Nhiệm vụ không gắn với đoạn nào:"]
        for task in unplaced:
            lines += _task_lines(task, width, "    ")
    return lines


def _task_lines(task: Task, width: int, indent: str, block_path: str = "") -> list[str]:
    shape, lead = task_rule_words(task.rule)
    co = f"; phối hợp: {', '.join(task.co_assignees)}" if task.co_assignees else ""
    where = f"[{task.block_path}] " if task.block_path != block_path else ""  # a table's row
    lines = _wrap(f"→ NHIỆM VỤ: {where}{task.assignee} chủ trì{co}; thời hạn: {_date(task)}", width, indent)
    lines += _wrap(f"việc: {_short(task.action, ACTION_CHARS)}", width, indent + "  ")
    lines += _wrap(f"vì: {shape}; chủ trì: {lead} [{task.rule}]", width, indent + "  ")
    return lines


def _wrap(text: str, width: int, indent: str) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False) or [indent]


def explain_file(path, want_json: bool, echo: Callable[[str], None] = print) -> None:
    """Parse and explain one file; NoticeError (unreadable) and UnknownRuleCode reach the caller."""
    notice = api.parse(path)
    if want_json:
        echo(as_json(notice))
        return
    for line in as_text(notice):
        echo(line)
