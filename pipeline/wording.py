"""How the register's facts are said in Vietnamese: recurrence words and unit names, in one place.

Words live in templates/tu_ngu.toml; the same fold groups unit names for letters, sheets and typed filters
("Văn hoá"/"văn hóa" are one unit; an officer may type "phong kinh te").
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, TypeVar

import templates
from extractors.textnorm import bare, fold

WORDS = Path(templates.__file__).parent / "tu_ngu.toml"
T = TypeVar("T")


@lru_cache(maxsize=1)
def _words() -> dict:
    with open(WORDS, "rb") as fh:
        return tomllib.load(fh)


def recurrence_word(recurrence: Optional[str], capital: bool = False) -> str:
    """'hằng tháng' (mid-sentence), 'Hằng tháng' (a cell of its own); '' for a one-off task."""
    word = _words()["recurrence"].get(recurrence or "", "")
    return capitalised(word) if capital else word


def recurrence_words() -> dict[str, str]:
    return dict(_words()["recurrence"])


# ---------------------------------------------------------------- unit names
def unit_key(name: str) -> str:
    """The one grouping key of a unit's name: case, tone placement and dashes do not matter."""
    return fold(name)


def matches(typed: str, name: str) -> bool:
    """An officer's typed filter (any diacritics or none) names this unit or part of its name."""
    return f" {bare(fold(typed))} " in f" {bare(fold(name))} "


def capitalised(text: str) -> str:
    """Capital initial, the rest as written: a unit's name heading a row, a sheet, a cell."""
    return text[:1].upper() + text[1:]


def in_sentence(name: str) -> str:
    """A unit's name inside a sentence: a common noun phrase ('Các phòng chuyên môn') in lower case,
    a proper name ('Phòng Kinh tế', 'UBND xã') as written."""
    lowered = name[:1].lower() + name[1:]
    if any(fold(lowered + " ").startswith(fold(head) + " ") for head in _words()["unit"]["common_heads"]):
        return lowered
    return name


def group_by_unit(tasks: Iterable[T], name_of=lambda t: t.task.assignee) -> dict[str, list[T]]:
    """Items per unit in first-seen order; spellings that fold alike share one name, capitalised."""
    names: dict[str, str] = {}
    groups: dict[str, list[T]] = {}
    for item in tasks:
        raw = name_of(item)
        name = names.setdefault(unit_key(raw), capitalised(raw))
        groups.setdefault(name, []).append(item)
    return groups
