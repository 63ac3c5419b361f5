"""The four states of the Government's task-tracking system, and the next due date of a recurring duty.

A state is derived, never stored: it depends on the completion date the officer records,
the deadline and the day we look at the register (`as_of`).
"""
from __future__ import annotations

import calendar
import datetime as dt
from typing import Optional

from extractors.models import Deadline, TaskStatus

DONE_ON_TIME: TaskStatus = "hoàn thành đúng hạn"
DONE_LATE: TaskStatus = "hoàn thành quá hạn"
OPEN_ON_TIME: TaskStatus = "chưa hoàn thành trong hạn"
OPEN_LATE: TaskStatus = "chưa hoàn thành quá hạn"
STATES: tuple[TaskStatus, ...] = (DONE_ON_TIME, DONE_LATE, OPEN_ON_TIME, OPEN_LATE)


def status_of(due: Optional[dt.date], completed_on: Optional[dt.date], as_of: dt.date) -> TaskStatus:
    """State of a task as of a date. A task with no deadline is never overdue."""
    if completed_on is not None:
        return DONE_LATE if due is not None and completed_on > due else DONE_ON_TIME
    return OPEN_LATE if due is not None and as_of > due else OPEN_ON_TIME


def is_overdue(status: str) -> bool:
    return status in (DONE_LATE, OPEN_LATE)


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
