import datetime as dt

from extractors.models import Deadline
from pipeline.status import (DONE_LATE, DONE_ON_TIME, OPEN_LATE, OPEN_ON_TIME, next_due, status_of)

D = dt.date


def test_four_states_from_completion_and_deadline():
    due = D(2026, 7, 10)
    assert status_of(due, D(2026, 7, 10), D(2026, 8, 1)) == DONE_ON_TIME
    assert status_of(due, D(2026, 7, 11), D(2026, 8, 1)) == DONE_LATE
    assert status_of(due, None, D(2026, 7, 10)) == OPEN_ON_TIME
    assert status_of(due, None, D(2026, 7, 11)) == OPEN_LATE


def test_no_deadline_is_never_overdue():
    assert status_of(None, None, D(2030, 1, 1)) == OPEN_ON_TIME
    assert status_of(None, D(2030, 1, 1), D(2030, 1, 1)) == DONE_ON_TIME


def test_monthly_day_of_period():
    # "trước ngày 18 hằng tháng"
    dl = Deadline(recurrence="monthly", day_of_period=18, phrase="trước ngày 18 hằng tháng")
    assert next_due(dl, D(2026, 7, 1)) == D(2026, 7, 18)
    assert next_due(dl, D(2026, 7, 18)) == D(2026, 7, 18)
    assert next_due(dl, D(2026, 7, 19)) == D(2026, 8, 18)
    assert next_due(dl, D(2026, 12, 20)) == D(2027, 1, 18)


def test_monthly_day_clamped_to_short_month():
    dl = Deadline(recurrence="monthly", day_of_period=31)
    assert next_due(dl, D(2026, 2, 2)) == D(2026, 2, 28)


def test_quarterly_without_day_is_quarter_end():
    dl = Deadline(recurrence="quarterly", phrase="định kỳ hằng quý")
    assert next_due(dl, D(2026, 5, 3)) == D(2026, 6, 30)
    assert next_due(dl, D(2026, 12, 31)) == D(2026, 12, 31)


def test_quarterly_with_day_in_last_month():
    dl = Deadline(recurrence="quarterly", day_of_period=15)
    assert next_due(dl, D(2026, 6, 16)) == D(2026, 9, 15)


def test_weekly_vietnamese_weekday_numbering():
    # "chiều thứ Sáu hằng tuần": thứ Sáu = Friday
    dl = Deadline(recurrence="weekly", day_of_period=6)
    assert next_due(dl, D(2026, 11, 23)) == D(2026, 11, 27)  # Monday → Friday
    assert next_due(dl, D(2026, 11, 27)) == D(2026, 11, 27)


def test_recurring_due_rolls_forward():
    dl = Deadline(recurrence="yearly", due=D(2025, 12, 15), phrase="trước ngày 15/12 hằng năm")
    assert next_due(dl, D(2026, 3, 1)) == D(2026, 12, 15)
    monthly = Deadline(recurrence="monthly", due=D(2026, 1, 31))
    assert next_due(monthly, D(2026, 2, 10)) == D(2026, 2, 28)


def test_one_off_has_no_next_due():
    assert next_due(Deadline(due=D(2026, 7, 10)), D(2026, 1, 1)) is None
    assert next_due(None, D(2026, 1, 1)) is None


def test_task_list_filters(tmp_path, capsys):
    from extractors.models import Notice, Task
    from pipeline.register import FileState, Register
    from pipeline.run_cmd import list_tasks

    notice = Notice(source="kh-7.txt", format="txt", doc_number="7/KH-UBND", issuer="UBND xã Kim Sơn")
    tasks = [
        Task(source="kh-7.txt", assignee="Phòng Kinh tế", action="Kiểm tra hệ thống thủy lợi nội đồng",
             deadline=Deadline(due=D(2026, 9, 10))),
        Task(source="kh-7.txt", assignee="Trạm Y tế xã", action="Phun thuốc phòng chống sốt xuất huyết",
             deadline=Deadline(due=D(2026, 10, 30))),
        Task(source="kh-7.txt", assignee="Công an xã", action="Tuần tra bảo đảm an ninh trật tự"),
    ]
    with Register.open(tmp_path / "nv.db") as reg:
        reg.upsert(notice, tasks, FileState(1, 1, "h"))
    db, as_of = tmp_path / "nv.db", D(2026, 9, 1)

    def shown(**filters):
        list_tasks(db, as_of, filters.get("unit"), filters.get("status"), filters.get("due_within"))
        return capsys.readouterr().out

    assert "Kiểm tra hệ thống" in shown(due_within=10) and "Phun thuốc" not in shown(due_within=10)
    assert "Trạm Y tế" in shown(unit="tram y te") and "Công an" not in shown(unit="tram y te")
    assert "Không có nhiệm vụ" in shown(status="quá hạn")
    assert "10/09/2026" in shown(unit="Phòng Kinh tế")
