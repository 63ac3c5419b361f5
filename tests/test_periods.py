"""Recurring duties as periods: one occurrence per period from the notice's date, each done or overdue on its
own; and the 'sắp đến hạn' warning."""
import csv
import datetime as dt
import json
import sqlite3

import pytest
from openpyxl import load_workbook

from extractors.models import Deadline, Task
from pipeline.config import load_tracking
from pipeline.export import write_csv, write_json, write_xlsx
from pipeline.register import MIGRATIONS, FileState, Register
from pipeline.status import (DONE_LATE, DONE_ON_TIME, OPEN_LATE, OPEN_ON_TIME, PeriodRecord, days_left,
                             period_dues, recurring_state)
from tests.test_register import make_notice, make_task

D = dt.date
MONTHLY = Deadline(recurrence="monthly", day_of_period=18, phrase="trước ngày 18 hằng tháng")


def monthly_task(action="Báo cáo tình hình an ninh trật tự", unit="Công an xã"):
    return Task(source="tb-15.txt", assignee=unit, action=action, deadline=MONTHLY, block_path="II.3")


@pytest.mark.parametrize("start, until, expected", [
    (D(2026, 7, 1), D(2026, 9, 20), [D(2026, 7, 18), D(2026, 8, 18), D(2026, 9, 18), D(2026, 10, 18)]),
    (D(2026, 7, 20), D(2026, 8, 1), [D(2026, 8, 18)]),  # the notice came after this month's 18th
    (D(2026, 7, 1), D(2026, 7, 18), [D(2026, 7, 18)]),
])
def test_occurrences_from_the_notice_date(start, until, expected):
    assert period_dues(MONTHLY, start, until) == expected


def test_each_occurrence_overdue_and_done_on_its_own():
    start = D(2026, 7, 1)
    state = recurring_state(MONTHLY, start, {}, D(2026, 9, 20))
    assert state.status == OPEN_LATE and state.missed == (D(2026, 7, 18), D(2026, 8, 18), D(2026, 9, 18))
    assert state.next_due == D(2026, 10, 18) and state.current == D(2026, 7, 18)
    done = {d: PeriodRecord(completed_on=d) for d in state.missed}
    caught_up = recurring_state(MONTHLY, start, done, D(2026, 9, 20))
    assert caught_up.status == OPEN_ON_TIME and caught_up.missed == () and caught_up.next_due == D(2026, 10, 18)
    ahead = {**done, D(2026, 10, 18): PeriodRecord(completed_on=D(2026, 9, 30))}
    assert recurring_state(MONTHLY, start, ahead, D(2026, 9, 20)).next_due == D(2026, 11, 18)
    assert recurring_state(MONTHLY, start, ahead, D(2026, 9, 20)).status == DONE_ON_TIME


@pytest.fixture
def reg(tmp_path):
    with Register.open(tmp_path / "nhiemvu.db") as r:
        yield r


def test_register_done_records_one_period_not_the_duty(reg):
    tid = reg.upsert(make_notice(), [monthly_task()], FileState(1, 1, "h")).task_ids[0]
    t = reg.task(tid, as_of=D(2026, 9, 20))
    assert t.status == OPEN_LATE and t.missed == [D(2026, 7, 18), D(2026, 8, 18), D(2026, 9, 18)]
    assert t.next_due == D(2026, 10, 18)
    assert reg.mark_done(tid, D(2026, 9, 21), note="BC số 12") == D(2026, 7, 18)  # the oldest missed one
    assert reg.mark_done(tid, D(2026, 8, 17), period=D(2026, 8, 18)) == D(2026, 8, 18)
    t = reg.task(tid, as_of=D(2026, 9, 22))
    assert t.missed == [D(2026, 9, 18)] and t.status == OPEN_LATE and t.completed_on is None
    assert {(p.due, p.completed_on) for p in t.periods} == {(D(2026, 7, 18), D(2026, 9, 21)),
                                                            (D(2026, 8, 18), D(2026, 8, 17))}
    assert reg.reopen(tid) == D(2026, 8, 18)  # the latest occurrence done
    assert reg.task(tid, as_of=D(2026, 9, 22)).missed == [D(2026, 8, 18), D(2026, 9, 18)]
    assert [a["what"] for a in reg.audit(tid)] == ["hoàn thành kỳ 18/07/2026", "hoàn thành kỳ 18/08/2026",
                                                   "mở lại kỳ 18/08/2026"]


def test_extension_of_a_recurring_duty_moves_one_occurrence(reg):
    tid = reg.upsert(make_notice(), [monthly_task()], FileState(1, 1, "h")).task_ids[0]
    reg.mark_done(tid, D(2026, 7, 10))  # July on time; the next one is 18/8
    reg.extend(tid, D(2026, 8, 28), "Chờ số liệu của huyện", as_of=D(2026, 8, 10))
    t = reg.task(tid, as_of=D(2026, 8, 25))
    assert t.status == OPEN_ON_TIME and t.missed == [] and t.next_due == D(2026, 8, 28)
    assert reg.task(tid, as_of=D(2026, 8, 29)).missed == [D(2026, 8, 18)]


def test_version_4_completion_of_a_duty_becomes_one_period(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT);"
                       + ";".join(MIGRATIONS[:4]) + "; INSERT INTO schema_version VALUES (4, '2026-01-01');")
    conn.execute("INSERT INTO notices VALUES (1, 'so:x', 'so:x', 'a.txt', 'h', ?, 'now', 'now')",
                 (json.dumps({"doc_date": "2026-07-01"}),))
    conn.execute("INSERT INTO tasks (id, notice_id, fingerprint, ordinal, data, completed_on, note)"
                 " VALUES ('T-abcdef', 1, 'fp', 0, ?, '2026-08-10', 'BC tháng 7')", (monthly_task().model_dump_json(),))
    conn.commit()
    conn.close()
    with Register.open(path) as r:
        t = r.task("T-abcdef", as_of=D(2026, 8, 20))
        assert t.completed_on is None and [(p.due, p.note) for p in t.periods] == [(D(2026, 7, 18), "BC tháng 7")]
        assert t.missed == [D(2026, 8, 18)]


def test_exports_show_next_occurrence_missed_ones_and_due_soon(reg, tmp_path):
    ids = reg.upsert(make_notice(), [monthly_task(), make_task("Rà soát hộ nghèo", due=D(2026, 9, 24)),
                                     make_task("Kiểm tra đê điều", due=D(2026, 10, 30))],
                     FileState(1, 1, "h")).task_ids
    tasks = list(reg.iter_tasks(as_of=D(2026, 9, 20)))
    rows = {r["Mã"]: r for r in csv.DictReader(
        write_csv(tasks, tmp_path / "a.csv").read_text("utf-8-sig").splitlines())}
    duty = rows[ids[0]]
    assert duty["Thời hạn"] == "18/10/2026" and duty["Định kỳ"] == "hằng tháng"
    assert duty["Kỳ quá hạn chưa báo cáo"] == "18/07/2026, 18/08/2026, 18/09/2026"
    assert rows[ids[1]]["Sắp đến hạn"] == "Còn 4 ngày" and rows[ids[2]]["Sắp đến hạn"] == ""
    wider = {r["Mã"]: r for r in csv.DictReader(
        write_csv(tasks, tmp_path / "b.csv", due_soon_days=60).read_text("utf-8-sig").splitlines())}
    assert wider[ids[2]]["Sắp đến hạn"] == "Còn 40 ngày"
    assert days_left(tasks[0]) is None  # an overdue duty is not "due soon"

    record = next(r for r in json.loads(write_json(tasks, tmp_path / "a.json").read_text("utf-8"))
                  if r["id"] == ids[0])
    assert record["next_due"] == "2026-10-18" and len(record["missed_periods"]) == 3

    ws = load_workbook(write_xlsx(tasks, tmp_path / "a.xlsx"))["Tất cả"]
    header = [c.value for c in ws[1]]
    soon = next(r for r in ws.iter_rows(min_row=2) if r[1].value == ids[1])
    assert soon[header.index("Sắp đến hạn")].value == "Còn 4 ngày"
    assert soon[0].fill.fgColor.rgb.endswith("FFEB9C")


def test_due_soon_days_from_nhiemvu_toml(tmp_path):
    assert load_tracking().due_soon_days == 7
    (tmp_path / "nv.toml").write_text("[tracking]\ndue_soon_days = 3\n", encoding="utf-8")
    assert load_tracking(tmp_path / "nv.toml").due_soon_days == 3
    (tmp_path / "bad.toml").write_text("[tracking]\ndue_soon_days = -1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="due_soon_days"):
        load_tracking(tmp_path / "bad.toml")


def test_done_command_names_the_period_it_recorded(tmp_path, capsys):
    from pipeline.run_cmd import reopen, set_done

    db = tmp_path / "nv.db"
    with Register.open(db) as r:
        tid = r.upsert(make_notice(), [monthly_task()], FileState(1, 1, "h")).task_ids[0]
    set_done(db, tid, D(2026, 8, 20), "BC số 3")
    said = capsys.readouterr().out
    assert "kỳ 18/07/2026" in said and "hoàn thành quá hạn" in said and "còn 1 kỳ quá hạn" in said
    set_done(db, tid, D(2026, 8, 21), None, period=D(2026, 8, 18))
    assert "kỳ 18/08/2026" in capsys.readouterr().out
    reopen(db, tid, D(2026, 8, 22), period=D(2026, 7, 18))
    assert "đã mở lại kỳ 18/07/2026" in capsys.readouterr().out
