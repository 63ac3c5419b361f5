"""Deadlines as a calendar (.ics, RFC 5545) an officer subscribes to in Outlook, Google or a phone.

Each open task with a deadline is an all-day event on the date it is measured against (an extension's date,
else the notice's); a recurring duty is one event repeating by RRULE from its first occurrence after the
notice, its recorded occurrences excluded (EXDATE). An alarm rings `due_soon_days` before each deadline.
Built with the icalendar library; tasks come as a stream (any iterable).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable, Optional

from extractors.models import RegisteredTask
from pipeline.letters import due_text, notice_phrase, status_text
from pipeline.status import DUE_SOON_DAYS, is_open, period_dues
from pipeline.wording import capitalised, recurrence_word

PRODID = "-//nhiemvu//So theo doi nhiem vu//VI"
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MAX_SUMMARY = 90  # characters of the task shown as the event's title


def recurrence_rule(rt: RegisteredTask, first: dt.date) -> dict:
    """The RRULE of a recurring duty whose first occurrence is `first` (the rule of pipeline.status.next_due)."""
    deadline = rt.task.deadline
    rec, day = deadline.recurrence, first.day
    # a day beyond the shortest month means "the last day" in next_due (clamped); RRULE says it with -1
    month_day = -1 if day >= 29 and (deadline.day_of_period is None or deadline.day_of_period >= 31) else day
    if rec == "weekly":
        return {"FREQ": "WEEKLY", "BYDAY": _WEEKDAYS[first.weekday()]}
    if rec == "monthly":
        return {"FREQ": "MONTHLY", "BYMONTHDAY": month_day}
    if rec == "quarterly":
        return {"FREQ": "MONTHLY", "INTERVAL": 3, "BYMONTHDAY": month_day}
    return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYMONTHDAY": month_day}


def _event(rt: RegisteredTask, due_soon_days: int, stamp: dt.datetime):
    from icalendar import Alarm, Event

    deadline = rt.task.deadline
    if deadline is None or not is_open(rt.status):
        return None
    event = Event()
    event.add("uid", f"{rt.id}@nhiemvu")
    event.add("dtstamp", stamp)
    if deadline.recurrence and rt.completed_on is None:
        start = rt.notice.doc_date or rt.as_of or dt.date.today()
        first = period_dues(deadline, start, start)[0]
        event.add("dtstart", first)
        event.add("rrule", recurrence_rule(rt, first))
        done = [p.due for p in rt.periods if p.completed_on]
        if done:
            event.add("exdate", done)
    elif rt.current_due:
        event.add("dtstart", rt.current_due)
        event.add("dtend", rt.current_due + dt.timedelta(days=1))
    else:
        return None
    action = rt.task.action if len(rt.task.action) <= MAX_SUMMARY else rt.task.action[:MAX_SUMMARY - 1] + "…"
    event.add("summary", f"{capitalised(rt.task.assignee)}: {action}")
    lines = [rt.task.action, f"Đơn vị chủ trì: {capitalised(rt.task.assignee)}"]
    if rt.task.co_assignees:
        lines.append("Phối hợp: " + "; ".join(rt.task.co_assignees))
    lines += [f"Thời hạn: {due_text(rt)}", f"Tình trạng: {status_text(rt, due_soon_days)}",
              f"Văn bản giao: {notice_phrase(rt)}", f"Mã nhiệm vụ: {rt.id}"]
    event.add("description", "\n".join(lines))
    event.add("categories", [capitalised(rt.task.assignee)])
    if deadline.recurrence:
        event.add("comment", recurrence_word(deadline.recurrence))
    if due_soon_days:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Sắp đến hạn: {action}")
        alarm.add("trigger", dt.timedelta(days=-due_soon_days))
        event.add_component(alarm)
    return event


def write_ics(tasks: Iterable[RegisteredTask], path: Path, name: str = "Nhiệm vụ được giao",
              due_soon_days: int = DUE_SOON_DAYS, now: Optional[dt.datetime] = None) -> int:
    """Write one calendar; the number of events written."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    written = 0
    for rt in tasks:
        event = _event(rt, due_soon_days, stamp)
        if event is not None:
            cal.add_component(event)
            written += 1
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(cal.to_ical())
    return written
