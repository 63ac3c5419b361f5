import datetime as dt
import sqlite3

import pytest

from extractors.textnorm import fold

from extractors.models import Deadline, Notice, Task
from pipeline.register import (MIGRATIONS, SCHEMA_VERSION, FileState, Register, RegisterBusy, UnknownTask,
                               notice_identity)
from pipeline.status import DONE_LATE, OPEN_LATE, OPEN_ON_TIME

D = dt.date


def make_notice(source="tb-15.txt", number="15/TB-UBND", date=D(2026, 7, 1)):
    return Notice(source=source, format="txt", doc_type="TB", doc_number=number, doc_date=date,
                  issuer="Ủy ban nhân dân xã Tân Lập", signer="Trần Văn Bình")


def make_task(action, unit="Phòng Kinh tế", due=None, source="tb-15.txt"):
    return Task(source=source, assignee=unit, action=action,
                deadline=Deadline(due=due, phrase=f"trước ngày {due:%d/%m/%Y}") if due else None,
                block_path="II.1")


TASKS = [
    make_task("Rà soát, thống kê diện tích đất nông nghiệp bỏ hoang", due=D(2026, 7, 20)),
    make_task("Tổng hợp danh sách hộ nghèo, hộ cận nghèo năm 2026", unit="Phòng Văn hóa - Xã hội",
              due=D(2026, 8, 15)),
    make_task("Tuyên truyền phòng, chống dịch bệnh trên đàn gia súc", unit="Trạm Y tế xã"),
]


@pytest.fixture
def reg(tmp_path):
    with Register.open(tmp_path / "nhiemvu.db") as r:
        yield r


def test_upsert_new_then_unchanged(reg):
    state = FileState(100, 1, "h1")
    first = reg.upsert(make_notice(), TASKS, state)
    assert (first.kind, first.added) == ("new", 3)
    assert all(t.startswith("T-") and len(t) == 8 for t in first.task_ids)
    again = reg.upsert(make_notice(), TASKS, state)
    assert again.kind == "unchanged" and again.task_ids == first.task_ids
    assert reg.counts() == {"notices": 1, "files": 1, "tasks": 3}


def test_changed_notice_keeps_status_of_unchanged_task(reg):
    first = reg.upsert(make_notice(), TASKS, FileState(100, 1, "h1"))
    kept_id = first.task_ids[0]
    reg.mark_done(kept_id, D(2026, 7, 25), note="Đã báo cáo bằng văn bản")
    edited = [TASKS[0], make_task("Kiểm tra việc xây dựng trái phép trên đất nông nghiệp", due=D(2026, 9, 1))]
    result = reg.upsert(make_notice(), edited, FileState(120, 2, "h2"))
    assert (result.kind, result.added, result.removed) == ("changed", 1, 2)
    assert result.task_ids[0] == kept_id
    t = reg.task(kept_id, as_of=D(2026, 10, 1))
    assert t.completed_on == D(2026, 7, 25) and t.status == DONE_LATE
    assert t.note == "Đã báo cáo bằng văn bản"
    assert reg.counts()["tasks"] == 2


def test_removed_task_with_officer_record_leaves_audit(reg):
    ids = reg.upsert(make_notice(), TASKS, FileState(100, 1, "h1")).task_ids
    reg.mark_done(ids[2], D(2026, 7, 3), note="Đã tuyên truyền trên loa truyền thanh")
    reg.upsert(make_notice(), TASKS[:2], FileState(90, 2, "h2"))
    trail = reg.audit(ids[2])
    assert trail[-1]["what"] == "bỏ do văn bản thay đổi" and "loa truyền thanh" in trail[-1]["old"]
    with pytest.raises(UnknownTask):
        reg.task(ids[2])


def test_other_notice_untouched_by_change(reg):
    other = make_notice(source="kh-40.txt", number="40/KH-UBND")
    o = reg.upsert(other, [make_task("Tổ chức Ngày hội đại đoàn kết toàn dân tộc", source="kh-40.txt")],
                   FileState(50, 1, "k1"))
    reg.upsert(make_notice(), TASKS, FileState(100, 1, "h1"))
    reg.upsert(make_notice(), TASKS[:1], FileState(100, 2, "h2"))
    assert [t.id for t in reg.tasks() if t.notice.source == "kh-40.txt"] == o.task_ids


def test_ids_stable_across_fresh_registers(tmp_path):
    ids = []
    for name in ("a.db", "b.db"):
        with Register.open(tmp_path / name) as r:
            ids.append(r.upsert(make_notice(), TASKS, FileState(1, 1, "h")).task_ids)
    assert ids[0] == ids[1]


def test_duplicate_task_text_gets_distinct_ids(reg):
    twice = [TASKS[0], TASKS[0]]
    ids = reg.upsert(make_notice(), twice, FileState(1, 1, "h")).task_ids
    assert len(set(ids)) == 2


def test_draft_number_identified_by_path():
    assert notice_identity(make_notice(number="/TB-UBND")).startswith("tep:")
    assert notice_identity(make_notice()).startswith("so:")


def test_status_and_audit_trail(reg):
    tid = reg.upsert(make_notice(), TASKS, FileState(1, 1, "h")).task_ids[0]
    assert reg.task(tid, as_of=D(2026, 7, 1)).status == OPEN_ON_TIME
    assert reg.task(tid, as_of=D(2026, 7, 21)).status == OPEN_LATE
    reg.mark_done(tid, D(2026, 7, 19), who="can-bo-vp")
    reg.reopen(tid.lower(), who="can-bo-vp")
    trail = reg.audit(tid)
    assert [a["what"] for a in trail] == ["hoàn thành", "mở lại"]
    assert trail[0]["who"] == "can-bo-vp" and "2026-07-19" in trail[0]["new"]
    assert reg.task(tid).completed_on is None
    with pytest.raises(UnknownTask):
        reg.mark_done("T-000000", D(2026, 1, 1))


def test_second_writer_refused(tmp_path):
    with Register.open(tmp_path / "r.db"):
        with pytest.raises(RegisterBusy):
            Register.open(tmp_path / "r.db", lock_timeout=0.2)


def test_version_1_register_is_upgraded(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT);"
                       + MIGRATIONS[0] + "; INSERT INTO schema_version VALUES (1, '2026-01-01');")
    conn.execute("INSERT INTO notices VALUES (1, 'so:x', 'so:x', 'a.txt', 'h', '{}', 'now', 'now')")
    conn.execute("INSERT INTO tasks VALUES ('T-abcdef', 1, 'fp', 0, ?, NULL, NULL)",
                 (make_task("Báo cáo kết quả", unit="Văn phòng HĐND và UBND").model_dump_json(),))
    conn.commit()
    conn.close()
    with Register.open(path) as r:
        assert r.version == SCHEMA_VERSION >= 2
        assert r.conn.execute("SELECT unit_key FROM tasks").fetchone()[0] == fold("Văn phòng HĐND và UBND")
        r.mark_done("T-abcdef", D(2026, 2, 1))
        assert len(r.audit()) == 1


def test_same_number_in_another_file_replaces_the_notice(reg):
    first = reg.upsert(make_notice(source="tb-15.txt"), TASKS, FileState(100, 1, "h1"))
    # the office saves the signed version under another name: same number, same issuer
    signed = reg.upsert(make_notice(source="tb-15-ban-ky.txt"), TASKS[:2], FileState(110, 5, "h2"))
    assert signed.kind == "changed" and signed.task_ids == first.task_ids[:2] and signed.removed == 1
    assert reg.counts()["notices"] == 1
    assert {t.notice.source for t in reg.tasks()} == {"tb-15-ban-ky.txt"}


def test_same_number_from_another_issuer_is_another_notice(reg):
    reg.upsert(make_notice(), TASKS, FileState(100, 1, "h1"))
    other = make_notice(source="xa-ben.txt").model_copy(update={"issuer": "Ủy ban nhân dân xã Hòa Bình"})
    assert reg.upsert(other, TASKS, FileState(100, 1, "h9")).kind == "new"
    assert reg.counts() == {"notices": 2, "files": 2, "tasks": 6}


def test_id_collision_takes_a_longer_id(reg):
    ids = reg.upsert(make_notice(), TASKS[:1], FileState(1, 1, "h")).task_ids
    fingerprint = ids[0][2:] + "0" * 34  # same first 6 hex, different task
    with reg.transaction() as c:
        assert reg._free_id(c, fingerprint) == ids[0] + "0"


def test_reread_does_not_let_an_old_version_win_back(reg):
    reg.upsert(make_notice(source="tb-15.txt"), TASKS[:1], FileState(100, 1, "old"))
    signed = reg.upsert(make_notice(source="tb-15-ban-ky.txt"), TASKS, FileState(110, 5, "new")).task_ids
    reg.mark_done(signed[2], D(2026, 7, 30))
    # a newer extractor reads both files again, the old one first
    assert reg.upsert(make_notice(source="tb-15.txt"), TASKS[:1], FileState(100, 1, "old"),
                      reextracted=True).kind == "unchanged"
    again = reg.upsert(make_notice(source="tb-15-ban-ky.txt"), TASKS, FileState(110, 5, "new"), reextracted=True)
    assert again.task_ids == signed and again.kind == "unchanged"
    assert reg.task(signed[2]).completed_on == D(2026, 7, 30)
