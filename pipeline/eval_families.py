"""Where `nhiemvu eval --verbose` places a miss or an extra, so the next miss is quick to place.

A missed gold key is placed at the most specific block whose text holds it (both folded as the scorer
folds): its family is the [no_task] code extraction recorded for that block, "task:<rule>" when the block
did give a task (whose work does not hold the key), or NOT_FOUND when no block holds the sentence (the
reader or the structure lost it). An extra is placed by the rule that made it (the record's "rule").
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional

from extractors.models import Block, Notice, Task
from extractors.rules import UnknownRuleCode, no_task_words, task_rule_words

NOT_FOUND = "không tìm thấy câu"
NO_REASON = "không ghi lý do"  # a block with neither task nor code
OVER_TASKS = "câu dẫn, các ý dưới thành nhiệm vụ"  # no decision of its own, the blocks under it gave tasks
NO_RULE = "không ghi quy tắc"


@dataclass(frozen=True)
class Place:
    path: str
    folded: str
    decision: Optional[str]  # a [no_task] code, "task:<rule>", or None
    tasks_below: bool = False  # a block under it gave a task


def places(notice: Notice, tasks: list[Task], trace: dict[str, str], fold: Callable[[str], str]) -> list[Place]:
    """Every block of the body (each table row on its own, "<table>.r<n>") with its decision."""
    rules: dict[str, str] = {}
    for task in tasks:
        rules.setdefault(task.block_path, task.rule)

    def decision(path: str) -> Optional[str]:
        if path in rules:
            return f"task:{rules[path]}"
        return trace.get(path)

    found: list[Place] = []

    def walk(blocks: list[Block]) -> bool:
        """Append the blocks' places; True when any of them, or a block under them, gave a task."""
        any_task = False
        for block in blocks:
            if block.kind == "table":
                for n, row in enumerate(block.rows or [], start=1):
                    path = f"{block.path}.r{n}"
                    found.append(Place(path, fold(" ".join(c or "" for c in row)),
                                       decision(path) or decision(block.path)))
                    any_task |= path in rules
                continue
            at = len(found)
            found.append(Place(block.path, fold(block.text), decision(block.path)))
            below = walk(block.children)
            if below:
                found[at] = Place(block.path, found[at].folded, found[at].decision, tasks_below=True)
            any_task |= below or block.path in rules
        return any_task

    walk(notice.body)
    return found


def locate(where: Optional[list[Place]], key, fold: Callable[[str], str]) -> tuple[str, str]:
    """(family, block path) of a missed gold key ("key" may be a list of alternatives)."""
    if where is None:
        return NOT_FOUND, ""
    keys = [fold(k) for k in (key if isinstance(key, list) else [key])]
    hits = [p for p in where if any(k and k in p.folded for k in keys)]
    if not hits:
        return NOT_FOUND, ""
    best = min(hits, key=lambda p: len(p.folded))
    return best.decision or (OVER_TASKS if best.tasks_below else NO_REASON), best.path


def extra_rules(preds: list[dict], extras: list[str]) -> list[str]:
    """The rule of each extra; the scorer lists extras as the first 90 characters of their work, in the
    order of the predictions."""
    rules, i = [], 0
    for text in extras:
        while i < len(preds) and preds[i].get("action", "")[:90] != text:
            i += 1
        rules.append((preds[i].get("rule") or NO_RULE) if i < len(preds) else NO_RULE)
        i += 1
    return rules


def words(family: str) -> str:
    """The family in the officer's words (data/vi/rules.toml); eval reports, it does not stop, on a
    code without words."""
    try:
        if family.startswith("task:"):
            shape, lead = task_rule_words(family[5:])
            return f"đoạn cho nhiệm vụ khác ({shape}; {lead})"
        if "/" in family:
            return "; ".join(task_rule_words(family))
        if family in (NOT_FOUND, NO_REASON, NO_RULE, OVER_TASKS):
            return ""
        return no_task_words(family)
    except UnknownRuleCode:
        return "(mã chưa có trong rules.toml)"


def family_table(title: str, families: Counter) -> list[str]:
    lines = [f"{title} ({sum(families.values())}):"]
    for family, count in sorted(families.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {family:<36} {count:>4}  {words(family)}".rstrip())
    return lines
