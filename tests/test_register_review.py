"""The officer's corrections in the register (what the review page writes): they are audited, refused when
stale, and survive a re-reading of the notice."""
import datetime as dt

import pytest

from extractors.models import Deadline
from pipeline.register import FileState, Register, StaleTask
from tests.test_register import TASKS, make_notice, make_task

D = dt.date


@pytest.fixture
def reg(tmp_path):
    with Register.open(tmp_path / "nhiemvu.db") as r:
        yield r


def reread(reg, tasks=TASKS, digest="h2"):
    """The notice's file changed (new bytes): the extractor's tasks replace the old ones."""
    return reg.upsert(make_notice(), tasks, FileState(120, 2, digest))


def test_edited_unit_and_deadline_survive_rereading(reg):
    ids = reg.upsert(make_notice(), TASKS, FileState(100, 1, "h1")).task_ids
    version = reg.review_state(ids[0])["version"]
    new_version = reg.edit_task(ids[0], {"assignee": "Phòng Văn hóa - Xã hội",
                                         "deadline": Deadline(due=D(2026, 7, 31), phrase="trước ngày 31/7/2026")},
                                expected_version=version, who="Nguyễn Văn A")
    assert new_version == version + 1
    result = reread(reg)
    assert result.task_ids[0] == ids[0]
    t = reg.task(ids[0], as_of=D(2026, 7, 1))
    assert t.task.assignee == "Phòng Văn hóa - Xã hội" and t.task.due == D(2026, 7, 31)
    assert t.task.action == TASKS[0].action  # what the officer did not touch still follows the notice
    assert reg.review_state(ids[0])["edited"] == ["assignee", "deadline"]
    trail = [a for a in reg.audit(ids[0]) if a["what"] == "sửa"]
    assert trail and trail[0]["who"] == "Nguyễn Văn A" and "Phòng Kinh tế" in trail[0]["old"]


def test_second_save_with_an_old_version_is_refused(reg):
    tid = reg.upsert(make_notice(), TASKS, FileState(100, 1, "h1")).task_ids[1]
    version = reg.review_state(tid)["version"]
    reg.edit_task(tid, {"action": "Tổng hợp danh sách hộ nghèo"}, expected_version=version)
    with pytest.raises(StaleTask):
        reg.edit_task(tid, {"action": "Nội dung khác"}, expected_version=version)
    assert reg.task(tid).task.action == "Tổng hợp danh sách hộ nghèo"


def test_dismissed_task_stays_out_and_added_task_stays_in(reg):
    ids = reg.upsert(make_notice(), TASKS, FileState(100, 1, "h1")).task_ids
    reg.dismiss_task(ids[2], reason="chỉ là tuyên truyền")
    notice_id = reg.task(ids[0]).notice.id
    added = reg.add_task(notice_id, make_task("Lập danh sách hộ chưa kê khai", unit="Công an xã"))
    reread(reg)
    live = {t.id for t in reg.tasks()}
    assert ids[2] not in live and added in live and ids[0] in live
    assert reg.review_state(added)["origin"] == "officer"
    whats = [a["what"] for a in reg.audit()]
    assert "xóa (không phải nhiệm vụ)" in whats and "thêm (bỏ sót khi đọc)" in whats


def test_completion_with_reply_document_and_reopen(reg):
    tid = reg.upsert(make_notice(), TASKS, FileState(100, 1, "h1")).task_ids[0]
    reg.complete(tid, D(2026, 7, 15), reply_number="45/BC-KT", reply_date=D(2026, 7, 15), who="B")
    state = reg.review_state(tid)
    assert state["reply_number"] == "45/BC-KT" and reg.task(tid).completed_on == D(2026, 7, 15)
    reread(reg)
    assert reg.task(tid).completed_on == D(2026, 7, 15)
    reg.reopen_checked(tid, expected_version=reg.review_state(tid)["version"])
    assert reg.task(tid).completed_on is None and reg.review_state(tid)["reply_number"] is None


def test_notice_text_is_kept_for_the_review_page(reg):
    notice = make_notice().model_copy(update={"text": "Giao Phòng Kinh tế rà soát."})
    tid = reg.upsert(notice, TASKS, FileState(100, 1, "h1")).task_ids[0]
    body = reg.notice_body(reg.task(tid).notice.id)
    assert body["text"] == "Giao Phòng Kinh tế rà soát."


def test_unknown_field_is_refused(reg):
    tid = reg.upsert(make_notice(), TASKS, FileState(100, 1, "h1")).task_ids[0]
    with pytest.raises(ValueError):
        reg.edit_task(tid, {"id": "T-000000"})
