"""The codes extraction records for its decisions, in the officer's words (data/vi/rules.toml).

A task's `rule` is "<shape>/<lead>" (how the work was written / where its lead unit came from); a
block that gave no task has one [no_task] code (`assignments.explain`). `nhiemvu explain` and
`nhiemvu eval --verbose` say them through this module only.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parent / "data" / "vi" / "rules.toml"
SECTIONS = ("shape", "lead", "no_task")


class UnknownRuleCode(ValueError):
    """A code the extractor recorded that rules.toml does not explain; the message says what to add."""


@lru_cache(maxsize=1)
def rule_words() -> dict[str, dict[str, str]]:
    """The three sections of rules.toml, checked: no other section, every explanation a text."""
    with open(RULES_FILE, "rb") as fh:
        data = tomllib.load(fh)
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise ValueError(f"{RULES_FILE}: mục lạ {unknown}; chỉ có {list(SECTIONS)}")
    for section in SECTIONS:
        words = data.get(section)
        if not isinstance(words, dict) or not all(isinstance(v, str) and v for v in words.values()):
            raise ValueError(f"{RULES_FILE}: mục [{section}] phải gồm các dòng mã = \"lời giải thích\"")
    return {section: dict(data[section]) for section in SECTIONS}


def _words(section: str, code: str) -> str:
    words = rule_words()[section].get(code)
    if words is None:
        raise UnknownRuleCode(
            f"mã quy tắc '{code}' chưa có lời giải thích trong mục [{section}] của {RULES_FILE}; thêm dòng "
            f"{code} = \"...\" vào đó")
    return words


def task_rule_words(rule: str) -> tuple[str, str]:
    """("<how the work was written>", "<where the lead came from>") for a Task.rule "<shape>/<lead>"."""
    shape, slash, lead = rule.partition("/")
    if not slash:
        raise UnknownRuleCode(f"quy tắc '{rule}' không có dạng '<shape>/<lead>' (xem {RULES_FILE})")
    return _words("shape", shape), _words("lead", lead)


def no_task_words(code: str) -> str:
    """Why a block gave no task, for a code of [no_task]."""
    return _words("no_task", code)
