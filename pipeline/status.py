"""The four states of the Government's task-tracking system, and the next due date of a recurring duty.

A state is derived, never stored: it depends on the completion date the officer records,
the deadline and the day we look at the register (`as_of`).
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Optional

from extractors.models import Deadline, TaskStatus

DONE_ON_TIME: TaskStatus = "hoàn thành đúng hạn"
DONE_LATE: TaskStatus = "hoàn thành quá hạn"
OPEN_ON_TIME: TaskStatus = "chưa hoàn thành trong hạn"
OPEN_LATE: TaskStatus = "chưa hoàn thành quá hạn"
STATES: tuple[TaskStatus, ...] = (DONE_ON_TIME, DONE_LATE, OPEN_ON_TIME, OPEN_LATE)

# How a recurrence is said in a sheet cell or mid-sentence; capitalise for a table cell of its own.
RECURRENCE_WORDS: dict[str, str] = {"weekly": "hằng tuần", "monthly": "hằng tháng", "quarterly": "hằng quý",
                                    "yearly": "hằng năm"}
DUE_SOON_DAYS = 7  # default of nhiemvu.toml [theo_doi] due_soon_days
MAX_PERIODS = 600  # occurrences looked at per duty (a weekly duty over eleven years); older ones are not listed


@dataclass(frozen=True)
class PeriodRecord:
    """What the officer recorded for one occurrence of a recurring duty (its due date is the key)."""

    completed_on: Optional[dt.date] = None
    extended_to: Optional[dt.date] = None
    note: Optional[str] = None


@dataclass(frozen=True)
class RecurringState:
    status: TaskStatus
    next_due: Optional[dt.date]  # the earliest occurrence still to do that is not overdue
    missed: tuple[dt.date, ...]  # occurrences past their (extended) due date and not done, oldest first
    current: Optional[dt.date]  # the occurrence a "done" today would record: the oldest missed, else the next


def status_of(due: Optional[dt.date], completed_on: Optional[dt.date], as_of: dt.date) -> TaskStatus:
    """State of a task as of a date. A task with no deadline is never overdue."""
    if completed_on is not None:
        return DONE_LATE if due is not None and completed_on > due else DONE_ON_TIME
    return OPEN_LATE if due is not None and as_of > due else OPEN_ON_TIME


def is_overdue(status: str) -> bool:
    return status in (DONE_LATE, OPEN_LATE)


def is_open(status: str) -> bool:
    return status in (OPEN_ON_TIME, OPEN_LATE)


def days_left(rt, days: int = DUE_SOON_DAYS) -> Optional[int]:
    """Days until the deadline of an open task due within `days` of the register's date; else None."""
    due, as_of = rt.current_due, rt.as_of
    if rt.status != OPEN_ON_TIME or due is None or as_of is None:
        return None
    left = (due - as_of).days
    return left if 0 <= left <= days else None


def due_soon_text(rt, days: int = DUE_SOON_DAYS) -> str:
    """'Hôm nay', 'Còn 3 ngày' for a task due soon (a cell an officer filters on); '' otherwise."""
    left = days_left(rt, days)
    if left is None:
        return ""
    return "Hôm nay" if left == 0 else f"Còn {left} ngày"


def effective_due(deadline: Optional[Deadline], as_of: dt.date,
                  extended_to: Optional[dt.date] = None) -> Optional[dt.date]:
    """The date the task is measured against: an extension (gia hạn) when there is one, the next
    occurrence for a recurring duty, else `due`."""
    if extended_to is not None:
        return extended_to
    if deadline is None:
        return None
    if deadline.recurrence:
        return next_due(deadline, as_of)
    return deadline.due


def next_due(deadline: Optional[Deadline], as_of: dt.date) -> Optional[dt.date]:
    """First due date on or after `as_of` of a recurring duty; None for a one-off task.

    A known `due` is rolled forward period by period; otherwise the day of the period
    is used (weekly: thứ 2..7 = Monday..Saturday, 1 or 8 = Sunday; monthly: day of the month;
    quarterly: day of the quarter's last month; yearly: day of December), and with no day the
    period's last day.
    """
    if deadline is None or deadline.recurrence is None:
        return None
    if deadline.due is not None:
        return _roll_forward(deadline.due, deadline.recurrence, as_of)
    rec, day = deadline.recurrence, deadline.day_of_period
    if rec == "weekly":
        weekday = 6 if day in (None, 1, 8) else min(max(day - 2, 0), 5)  # Python: Monday = 0
        return as_of + dt.timedelta(days=(weekday - as_of.weekday()) % 7)
    for year, month in _periods(rec, as_of):
        candidate = _day_in_month(year, month, day)
        if candidate >= as_of:
            return candidate
    raise AssertionError("unreachable: the period after as_of always qualifies")


def _periods(recurrence: str, as_of: dt.date):
    """(year, month) of the month that carries the due day, this period then the next."""
    if recurrence == "monthly":
        yield as_of.year, as_of.month
        yield _add_months(as_of.year, as_of.month, 1)
    elif recurrence == "quarterly":
        last = ((as_of.month - 1) // 3) * 3 + 3
        yield as_of.year, last
        yield _add_months(as_of.year, last, 3)
    else:  # yearly
        yield as_of.year, 12
        yield as_of.year + 1, 12


def _roll_forward(due: dt.date, recurrence: str, as_of: dt.date) -> dt.date:
    step = {"weekly": 0, "monthly": 1, "quarterly": 3, "yearly": 12}[recurrence]
    if step == 0:
        weeks = max(0, -(-(as_of - due).days // 7))
        return due + dt.timedelta(weeks=weeks)
    year, month, n = due.year, due.month, 0
    candidate = due
    while candidate < as_of:
        n += step
        year, month = _add_months(due.year, due.month, n)
        candidate = _day_in_month(year, month, due.day)
    return candidate


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _day_in_month(year: int, month: int, day: Optional[int]) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, last if day is None else min(max(day, 1), last))


def period_dues(deadline: Deadline, start: dt.date, until: dt.date) -> list[dt.date]:
    """Due dates of a recurring duty's occurrences from `start` (the notice's date) up to and including the
    first on or after `until`; at most MAX_PERIODS (the most recent ones)."""
    dues: list[dt.date] = []
    day = next_due(deadline, start)
    while day is not None:
        dues.append(day)
        if day >= until:
            break
        day = next_due(deadline, day + dt.timedelta(days=1))
    return dues[-MAX_PERIODS:]


def recurring_state(deadline: Deadline, start: Optional[dt.date], records: Mapping[dt.date, PeriodRecord],
                    as_of: dt.date) -> RecurringState:
    """Each occurrence is done or overdue on its own. The duty is 'chưa hoàn thành quá hạn' while any occurrence
    is missed; otherwise it takes the state of the next occurrence (done on time/late, or open in time)."""
    dues = period_dues(deadline, min(start, as_of) if start else as_of, as_of)
    missed, upcoming = [], []
    for due in dues:
        record = records.get(due, PeriodRecord())
        if record.completed_on is not None:
            continue
        (missed if as_of > (record.extended_to or due) else upcoming).append(due)
    if missed:
        status = OPEN_LATE
    else:
        this = dues[-1]
        record = records.get(this, PeriodRecord())
        status = status_of(record.extended_to or this, record.completed_on, as_of)
    if not upcoming:  # every occurrence so far is done: the next one is the one after
        after = next_due(deadline, dues[-1] + dt.timedelta(days=1))
        upcoming = [after] if after else []
    nxt = min(upcoming, key=lambda d: records.get(d, PeriodRecord()).extended_to or d, default=None)
    shown = (records.get(nxt, PeriodRecord()).extended_to or nxt) if nxt else None
    return RecurringState(status, shown, tuple(missed), missed[0] if missed else nxt)
