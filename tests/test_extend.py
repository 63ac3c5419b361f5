"""Gia hạn: a later decision moves a task's deadline; the original is kept, the status follows the new date,
the history is in the audit trail and in every export."""
import csv
import datetime as dt
import json
import sqlite3

import pytest
from openpyxl import load_workbook

from pipeline.export import write_csv, write_json, write_xlsx
from pipeline.register import MIGRATIONS, FileState, InvalidChange, Register, UnknownTask
from pipeline.status import DONE_ON_TIME, OPEN_LATE, OPEN_ON_TIME
from tests.test_register import TASKS, make_notice, make_task
from tests.test_run_cli import cli
from tests.notice_factory import write_notices

D = dt.date


@pytest.fixture
def reg(tmp_path):
    with Register.open(tmp_path / "nhiemvu.db") as r:
        yield r


def test_extension_keeps_original_and_moves_status(reg):
    tid = reg.upsert(make_notice(), TASKS, FileState(1, 1, "h")).task_ids[0]  # due 20/7/2026
    assert reg.task(tid, as_of=D(2026, 8, 1)).status == OPEN_LATE
    extended = reg.extend(tid, D(2026, 8, 31), "Chờ số liệu của Chi cục Thống kê",
                          by_document="Công văn số 45/UBND-VP ngày 15/7/2026", actor="can-bo-vp")
    assert extended.extended_to == D(2026, 8, 31)
    t = reg.task(tid, as_of=D(2026, 8, 1))
    assert t.original_due == D(2026, 7, 20) and t.task.deadline.due == D(2026, 7, 20)
    assert t.current_due == D(2026, 8, 31) and t.status == OPEN_ON_TIME
    assert reg.task(tid, as_of=D(2026, 9, 1)).status == OPEN_LATE
    reg.mark_done(tid, D(2026, 8, 25))
    assert reg.task(tid, as_of=D(2026, 9, 1)).status == DONE_ON_TIME  # late against the original, not the new date


def test_second_extension_history_and_audit(reg):
    tid = reg.upsert(make_notice(), TASKS, FileState(1, 1, "h")).task_ids[0]
    reg.extend(tid, D(2026, 8, 31), "Chờ số liệu", actor="a")
    reg.extend(tid, D(2026, 9, 30), "Mưa bão kéo dài", by_document="Công văn số 60/UBND-VP", actor="b")
    t = reg.task(tid)
    assert [(e.previous, e.to) for e in t.extensions] == [(D(2026, 7, 20), D(2026, 8, 31)),
                                                          (D(2026, 8, 31), D(2026, 9, 30))]
    assert t.extensions[1].by_document == "Công văn số 60/UBND-VP" and t.extensions[1].who == "b"
    trail = [a for a in reg.audit(tid) if a["what"] == "gia hạn"]
    assert len(trail) == 2
    assert json.loads(trail[1]["old"]) == {"deadline": "2026-08-31"}
    assert json.loads(trail[1]["new"])["reason"] == "Mưa bão kéo dài"


def test_extension_refused_without_reason_or_to_an_earlier_date(reg):
    tid = reg.upsert(make_notice(), TASKS, FileState(1, 1, "h")).task_ids[0]
    with pytest.raises(InvalidChange):
        reg.extend(tid, D(2026, 8, 31), "  ")
    with pytest.raises(InvalidChange):
        reg.extend(tid, D(2026, 7, 10), "Sớm hơn")
    with pytest.raises(UnknownTask):
        reg.extend("T-000000", D(2026, 8, 31), "Không có")
    assert reg.audit(tid) == [] and reg.task(tid).extended_to is None


def test_task_without_deadline_can_be_given_one(reg):
    tid = reg.upsert(make_notice(), TASKS, FileState(1, 1, "h")).task_ids[2]
    t = reg.extend(tid, D(2026, 9, 15), "UBND huyện ấn định thời hạn")
    assert t.original_due is None and t.current_due == D(2026, 9, 15)
    assert reg.task(tid, as_of=D(2026, 9, 16)).status == OPEN_LATE


def test_extension_survives_a_changed_notice(reg):
    tid = reg.upsert(make_notice(), TASKS, FileState(1, 1, "h1")).task_ids[0]
    reg.extend(tid, D(2026, 8, 31), "Chờ số liệu")
    edited = [TASKS[0], make_task("Kiểm tra việc xây dựng trái phép", due=D(2026, 9, 1))]
    assert reg.upsert(make_notice(), edited, FileState(2, 2, "h2")).task_ids[0] == tid
    assert reg.task(tid).extended_to == D(2026, 8, 31)


def test_register_before_extensions_reads_read_only(tmp_path):
    """A register written by the previous release, opened read-only (no migration), still lists its tasks."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT);"
                       + ";".join(MIGRATIONS[:3]) + "; INSERT INTO schema_version VALUES (3, '2026-01-01');")
    conn.execute("INSERT INTO notices VALUES (1, 'so:x', 'so:x', 'a.txt', 'h', '{}', 'now', 'now')")
    conn.execute("INSERT INTO tasks (id, notice_id, fingerprint, ordinal, data) VALUES ('T-abcdef', 1, 'fp', 0, ?)",
                 (make_task("Báo cáo kết quả", due=D(2026, 7, 20)).model_dump_json(),))
    conn.commit()
    conn.close()
    with Register.open(path, write=False) as r:
        assert [t.extended_to for t in r.tasks()] == [None]
    with Register.open(path) as r:
        r.extend("T-abcdef", D(2026, 8, 1), "Chờ số liệu")
        assert r.task("T-abcdef").extended_to == D(2026, 8, 1)


def test_exports_show_original_deadline_and_extension(reg, tmp_path):
    tid = reg.upsert(make_notice(), TASKS, FileState(1, 1, "h")).task_ids[0]
    reg.extend(tid, D(2026, 8, 31), "Chờ số liệu", by_document="Công văn số 45/UBND-VP")
    tasks = reg.tasks(as_of=D(2026, 8, 1))

    rows = list(csv.DictReader(write_csv(tasks, tmp_path / "a.csv").read_text("utf-8-sig").splitlines()))
    assert rows[0]["Thời hạn"] == "31/08/2026" and rows[0]["Thời hạn ban đầu"] == "20/07/2026"
    assert rows[0]["Gia hạn"] == "Đến 31/08/2026 theo Công văn số 45/UBND-VP (Chờ số liệu)"
    assert rows[0]["Trạng thái"] == OPEN_ON_TIME
    assert rows[1]["Thời hạn ban đầu"] == "" and rows[1]["Gia hạn"] == ""

    record = json.loads(write_json(tasks, tmp_path / "a.json").read_text("utf-8"))[0]
    assert record["deadline"] == "2026-07-20" and record["current_deadline"] == "2026-08-31"
    assert record["extensions"][0]["by_document"] == "Công văn số 45/UBND-VP"

    ws = load_workbook(write_xlsx(tasks, tmp_path / "a.xlsx"))["Tất cả"]
    header = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(header, ws[2])}
    assert row["Thời hạn"].date() == D(2026, 8, 31) and row["Thời hạn ban đầu"].date() == D(2026, 7, 20)
    assert "Công văn số 45/UBND-VP" in row["Gia hạn"]


def test_extend_command(tmp_path):
    write_notices(tmp_path / "vb", 3)
    db = tmp_path / "nv.db"
    assert cli("run", tmp_path / "vb", "--db", db, "--out", tmp_path / "o").returncode == 0
    with Register.open(db, write=False) as r:
        target = next(t for t in r.tasks() if t.task.due)
    new = target.task.due + dt.timedelta(days=30)
    done = cli("extend", target.id, "--to", f"{new:%d/%m/%Y}", "--reason", "Chờ hướng dẫn của huyện",
               "--by", "Công văn số 45/UBND-VP", "--db", db)
    assert done.returncode == 0, done.stderr
    assert f"đã gia hạn đến {new:%d/%m/%Y}" in done.stdout and f"{target.task.due:%d/%m/%Y}" in done.stdout
    with Register.open(db, write=False) as r:
        t = r.task(target.id)
        assert t.extended_to == new and t.extensions[0].by_document == "Công văn số 45/UBND-VP"
        assert r.audit(target.id)[-1]["what"] == "gia hạn"
    earlier = cli("extend", target.id, "--to", f"{target.task.due:%d/%m/%Y}", "--reason", "x", "--db", db)
    assert earlier.returncode == 2 and "phải sau thời hạn hiện tại" in earlier.stderr
    no_reason = cli("extend", target.id, "--to", "01/01/2030", "--reason", " ", "--db", db)
    assert no_reason.returncode == 2 and "lý do" in no_reason.stderr
