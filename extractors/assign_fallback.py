"""Minimal stand-ins for extractors.units / extractors.deadlines, used by assignments.py
only while those modules are absent (they are written alongside). Same API, far less knowledge.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from extractors.models import Deadline


@dataclass
class UnitMention:
    start: int
    end: int
    text: str
    canonical: str
    known: bool
    collective: bool


_COLLECTIVE = re.compile(r"(?i)^(?:tất cả )?các (?:phòng|bộ phận|cơ quan|đơn vị|ban|ngành)[\w\s,]*?(?=\s+(?:tập trung|thực hiện|chủ động|nghiêm túc|triển khai|căn cứ)|[:.;]|$)")


class UnitRegistry:
    @classmethod
    def default(cls) -> "UnitRegistry":
        return cls()

    def canonical(self, name: str) -> str:
        return re.sub(r"\s+", " ", name).strip(" ,;:.")

    def lookup(self, name: str) -> Optional[str]:
        return None

    def is_collective(self, name: str) -> bool:
        return bool(_COLLECTIVE.match(name))

    def find(self, text: str) -> list[UnitMention]:
        return []  # no unit knowledge: assignments.py cuts names at head nouns and verbs itself

    def match_prefix(self, text: str) -> Optional[UnitMention]:
        return None


@dataclass
class DateContext:
    notice_date: Optional[dt.date] = None
    year: Optional[int] = None
    meeting_date: Optional[dt.date] = None

    def default_year(self) -> int:
        for d in (self.notice_date, self.meeting_date):
            if d:
                return d.year
        return self.year or dt.date.today().year


_DATE = re.compile(r"(?i)(?:trước|chậm nhất|trong|hoàn thành|xong)[^.;]{0,20}?ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?")
_MONTH = re.compile(r"(?i)trong tháng\s+(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?")
_RECUR = [(re.compile(r"(?i)(hằng|hàng) tuần"), "weekly"), (re.compile(r"(?i)(hằng|hàng) tháng"), "monthly"),
          (re.compile(r"(?i)(hằng|hàng) quý|định kỳ quý"), "quarterly"), (re.compile(r"(?i)(hằng|hàng) năm"), "yearly")]


def find_deadlines(text: str, ctx: DateContext):
    out = []
    for m in _DATE.finditer(text):
        year = int(m.group(3)) if m.group(3) else ctx.default_year()
        try:
            out.append(((m.start(), m.end()), Deadline(due=dt.date(year, int(m.group(2)), int(m.group(1))), phrase=m.group(0))))
        except ValueError:
            pass
    for m in _MONTH.finditer(text):
        year, month = int(m.group(2)) if m.group(2) else ctx.default_year(), int(m.group(1))
        if 1 <= month <= 12:
            day = calendar.monthrange(year, month)[1]
            out.append(((m.start(), m.end()), Deadline(due=dt.date(year, month, day), phrase=m.group(0))))
    for pattern, rec in _RECUR:
        m = pattern.search(text)
        if m:
            out.append(((m.start(), m.end()), Deadline(phrase=m.group(0), recurrence=rec)))
    return sorted(out, key=lambda x: x[0])


def find_deadline(text: str, ctx: DateContext) -> Optional[Deadline]:
    found = find_deadlines(text, ctx)
    recurring = [d for _, d in found if d.recurrence]
    if recurring:
        return recurring[0]
    return found[0][1] if found else None


def is_deadline_sentence(sentence: str) -> bool:
    return bool(_DATE.search(sentence) or _MONTH.search(sentence))


def opening_date(text: str) -> Optional[dt.date]:
    m = re.search(r"(?i)ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", text[:300])
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None
