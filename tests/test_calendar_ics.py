"""Calendars: deadlines and recurring duties as .ics, parsed back with icalendar."""
import datetime as dt

from icalendar import Calendar

from extractors.models import Deadline, NoticeRef, Period, RegisteredTask, Task
from pipeline.calendar_ics import write_ics
from pipeline.status import DONE_ON_TIME, OPEN_LATE, OPEN_ON_TIME

AS_OF = dt.date(2026, 8, 5)
TB = NoticeRef(id=1, source="tb-15.txt", content_hash="a", doc_type="TB", doc_number="15/TB-UBND",
               doc_date=dt.date(2026, 7, 1))


def rt(i, unit, action, deadline, status=OPEN_ON_TIME, **extra):
    task = Task(source="tb-15.txt", assignee=unit, action=action, deadline=deadline)
    return RegisteredTask(id=f"T-{i:06x}", task=task, notice=TB, status=status, as_of=AS_OF, **extra)


TASKS = [
    rt(1, "Phòng Kinh tế", "Rà soát đất nông nghiệp bỏ hoang", Deadline(due=dt.date(2026, 7, 20)), OPEN_LATE,
       extended_to=dt.date(2026, 8, 31)),
    rt(2, "Công an xã", "Báo cáo tình hình an ninh trật tự",
       Deadline(recurrence="monthly", day_of_period=18, phrase="trước ngày 18 hằng tháng"), OPEN_LATE,
       periods=[Period(due=dt.date(2026, 7, 18), completed_on=dt.date(2026, 7, 17))]),
    rt(3, "Ban Chỉ huy Quân sự xã", "Báo cáo huấn luyện dân quân",
       Deadline(recurrence="weekly", day_of_period=6, phrase="thứ Sáu hằng tuần")),
    rt(4, "Phòng Kinh tế", "Việc đã xong", Deadline(due=dt.date(2026, 7, 2)), DONE_ON_TIME,
       completed_on=dt.date(2026, 7, 1)),
    rt(5, "Trạm Y tế xã", "Tuyên truyền phòng dịch", Deadline(ongoing=True)),
]


def events(path):
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}, cal


def test_deadlines_and_recurring_duties_read_back(tmp_path):
    path = tmp_path / "nhiemvu.ics"
    assert write_ics(TASKS, path, due_soon_days=5) == 3
    found, cal = events(path)
    assert str(cal["x-wr-calname"]) == "Nhiệm vụ được giao"
    assert set(found) == {"T-000001@nhiemvu", "T-000002@nhiemvu", "T-000003@nhiemvu"}  # done/undated left out

    extended = found["T-000001@nhiemvu"]
    assert extended.decoded("dtstart") == dt.date(2026, 8, 31)  # measured against the extension
    assert str(extended["summary"]).startswith("Phòng Kinh tế: Rà soát đất")
    assert "Văn bản giao: Thông báo số 15/TB-UBND ngày 1/7/2026" in str(extended["description"])
    [alarm] = extended.walk("VALARM")
    assert alarm.decoded("trigger") == -dt.timedelta(days=5)

    monthly = found["T-000002@nhiemvu"]
    assert monthly.decoded("dtstart") == dt.date(2026, 7, 18)  # the first occurrence after the notice
    rule = monthly["rrule"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYMONTHDAY"] == [18]
    assert [d.dt for d in monthly["exdate"].dts] == [dt.date(2026, 7, 18)]  # done occurrence excluded

    weekly = found["T-000003@nhiemvu"]
    assert weekly["rrule"]["FREQ"] == ["WEEKLY"] and weekly["rrule"]["BYDAY"] == ["FR"]
    assert weekly.decoded("dtstart").weekday() == 4


def test_quarter_end_duty_repeats_on_the_last_day(tmp_path):
    duty = rt(6, "Văn phòng", "Báo cáo quý", Deadline(recurrence="quarterly", phrase="định kỳ hằng quý"))
    write_ics([duty], tmp_path / "q.ics")
    found, _ = events(tmp_path / "q.ics")
    event = found["T-000006@nhiemvu"]
    assert event.decoded("dtstart") == dt.date(2026, 9, 30)
    assert event["rrule"]["FREQ"] == ["MONTHLY"] and event["rrule"]["INTERVAL"] == [3]
    assert event["rrule"]["BYMONTHDAY"] == [-1]


def test_export_command_writes_one_calendar_per_unit(tmp_path, capsys):
    from pipeline.register import FileState, Register
    from pipeline.run_cmd import export_ics
    from tests.test_register import TASKS, make_notice

    db = tmp_path / "nv.db"
    with Register.open(db) as r:
        r.upsert(make_notice(), TASKS, FileState(1, 1, "h"))
    export_ics(db, tmp_path / "all.ics", dt.date(2026, 7, 1), [])
    found, _ = events(tmp_path / "all.ics")
    assert len(found) == 2  # the third task has no deadline
    export_ics(db, tmp_path / "lich", dt.date(2026, 7, 1), ["phong kinh te"])
    found, cal = events(tmp_path / "lich" / "phong-kinh-te.ics")
    assert str(cal["x-wr-calname"]) == "Nhiệm vụ được giao: Phòng Kinh tế"
    assert [e.decoded("dtstart") for e in found.values()] == [dt.date(2026, 7, 20)]
    assert "phong-kinh-te.ics" in capsys.readouterr().out
