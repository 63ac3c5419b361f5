"""The state the assignment walk carries: who leads a block's work (Lead), what the enclosing blocks
set (Context), and the notice-wide facts (Env). Shared by the paragraph walk and the task tables."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from extractors.cues import Cues
from extractors.deadlines import DateContext, task_deadline
from extractors.models import Block, Deadline, Notice, Task
from extractors.units import UnitRegistry


# ---------------------------------------------------------------- context
@dataclass(frozen=True)
class Lead:
    """Who a block's work goes to: the lead unit (or person) and the co-operating units."""

    assignee: str
    co: tuple[str, ...] = ()
    how: str = "named"  # where the lead came from: named, heading, plan-fields, recipients, visited, ...


@dataclass(frozen=True)
class Context:
    lead: Optional[Lead] = None
    deadline: Optional[Deadline] = None
    skip: bool = False  # under "Đánh giá chung", "Kết quả", a report's past work...
    criteria: bool = False  # items of "... thực hiện các Tiêu chí:": each names a criterion, not a unit
    directing: bool = False  # under "Nhiệm vụ, giải pháp", "Kết luận", "Tổ chức thực hiện": items are directives


@dataclass
class Env:
    notice: Notice
    units: UnitRegistry
    dates: DateContext
    cues: Cues
    is_report: bool
    issuer_lead: Optional[Lead]
    recipients_lead: Optional[Lead]
    addressee: Optional[Lead] = None  # "... yêu cầu các phòng, đơn vị thực hiện các nhiệm vụ sau:"
    visited_lead: Optional[Lead] = None  # the body a working visit's conclusions are for
    closing_lead: Optional[Lead] = None  # "... thông báo để <body> biết, thực hiện"
    tasks: list[Task] = field(default_factory=list)
    stopped: bool = False
    trace: dict[str, str] = field(default_factory=dict)  # block path → why it gave no task (rules.toml code)


def note(env: Env, block: Block, code: str) -> None:
    env.trace.setdefault(block.path, code)


def clean_action(text: str) -> str:
    # markdown emphasis ("*Lưu ý*", "**đậm**") and heading marks go; a '*' inside words or spaces stays ("7*7", "3 * 4")
    text = re.sub(r"(?<!\S)\*+(?=\S)|(?<=\S)\*+(?!\S)|(?<!\S)#+\s", "", text)
    text = re.sub(r"\s*\./\.?\s*$", ".", text)  # the closing "./." of a notice's last sentence
    text = re.sub(r"\s+", " ", text).strip(" -+•:;")
    return text[:1].upper() + text[1:] if text else text


def task_deadline_of(env: Env, text: str) -> Optional[Deadline]:
    try:
        return task_deadline(text, env.dates)
    except Exception:  # a date the deadline module cannot place is no deadline, not a crash
        return None
