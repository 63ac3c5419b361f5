"""Batch runs over a folder of real notice files, in process, with the stand-in extractor."""
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline import api
from pipeline.batch import run_batch
from pipeline.export import write_json
from pipeline.register import Register
from tests.notice_factory import fake_extract, write_notices

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
AS_OF = dt.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def stand_in_extractor(monkeypatch):
    monkeypatch.setattr(api, "extract", fake_extract)


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "van-ban"
    write_notices(root, 12)
    for f in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(f, root / f.name)
    return root


def run(folder, db, jobs=1):
    with Register.open(db) as reg:
        summary = run_batch([folder], reg, jobs=jobs)
        return summary, reg.tasks(AS_OF)


def export_json(tasks, path):
    write_json(tasks, path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_run_twice_changes_nothing(folder, tmp_path, monkeypatch):
    first, tasks1 = run(folder, tmp_path / "r.db")
    assert (first.files, first.new, first.errors) == (17, 17, [])
    assert first.added == len(tasks1) > 12

    def must_not_parse(path):
        raise AssertionError(f"unchanged file parsed again: {path}")

    monkeypatch.setattr(api, "parse", must_not_parse)
    second, tasks2 = run(folder, tmp_path / "r.db")
    assert (second.unchanged, second.new, second.added, second.removed) == (17, 0, 0, 0)
    assert export_json(tasks1, tmp_path / "a.json") == export_json(tasks2, tmp_path / "b.json")


def test_touched_file_is_hashed_not_parsed(folder, tmp_path, monkeypatch):
    run(folder, tmp_path / "r.db")
    target = next(folder.rglob("tb-0003.txt"))
    os.utime(target, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    monkeypatch.setattr(api, "parse", lambda p: (_ for _ in ()).throw(AssertionError("parsed")))
    summary, _ = run(folder, tmp_path / "r.db")
    assert summary.unchanged == 17 and not summary.errors


def test_editing_one_notice_updates_only_its_tasks(folder, tmp_path):
    _, before = run(folder, tmp_path / "r.db")
    target = next(folder.rglob("tb-0005.txt"))
    lines = target.read_text(encoding="utf-8").split("\n\n")
    first_task = next(i for i, line in enumerate(lines) if line.startswith("- "))
    kept = [t for t in before if t.notice.source == str(target)]
    lines.insert(first_task, "- Phòng Kinh tế: Kiểm tra việc chấp hành quy định về phòng cháy, chữa cháy tại "
                             "chợ trung tâm xã, hoàn thành trước ngày 15/10/2026.")
    target.write_text("\n\n".join(lines), encoding="utf-8")
    summary, after = run(folder, tmp_path / "r.db")
    assert (summary.changed, summary.unchanged, summary.added, summary.removed) == (1, 16, 1, 0)
    others_before = {t.id: t for t in before if t.notice.source != str(target)}
    others_after = {t.id: t for t in after if t.notice.source != str(target)}
    assert others_before == others_after
    now = [t for t in after if t.notice.source == str(target)]
    assert {t.id for t in kept} < {t.id for t in now} and len(now) == len(kept) + 1


def test_status_set_by_hand_survives_rerun_and_edit(folder, tmp_path):
    _, tasks = run(folder, tmp_path / "r.db")
    target = next(folder.rglob("tb-0002.txt"))
    mine = [t for t in tasks if t.notice.source == str(target)]
    with Register.open(tmp_path / "r.db") as reg:
        reg.mark_done(mine[0].id, dt.date(2026, 8, 1), note="Báo cáo số 12/BC-KT")
    # the officer adds a closing sentence; the task lines are unchanged
    target.write_text(target.read_text(encoding="utf-8") + "\nĐề nghị các đơn vị nghiêm túc thực hiện.\n",
                      encoding="utf-8")
    summary, after = run(folder, tmp_path / "r.db")
    assert summary.changed == 1 and summary.added == summary.removed == 0
    same = next(t for t in after if t.id == mine[0].id)
    assert same.completed_on == dt.date(2026, 8, 1) and same.note == "Báo cáo số 12/BC-KT"


def test_corrupt_files_reported_by_name_others_land(folder, tmp_path):
    (folder / "bien-ban-hong.docx").write_bytes(os.urandom(3000))
    (folder / "cong-van-cu.doc").write_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(500))
    (folder / "rong.txt").write_bytes(b"")
    summary, tasks = run(folder, tmp_path / "r.db")
    assert sorted(Path(e.path).name for e in summary.errors) == ["bien-ban-hong.docx", "cong-van-cu.doc",
                                                                  "rong.txt"]
    assert all(e.reason and "Traceback" not in e.reason for e in summary.errors)
    assert summary.new == 17
    report = "\n".join(summary.lines())
    assert "cong-van-cu.doc: " in report and ".docx" in report


def test_parallel_run_gives_the_same_register(tmp_path):
    root = tmp_path / "nhieu"
    write_notices(root, 60, seed=11)
    s1, serial = run(root, tmp_path / "a.db", jobs=1)
    s2, parallel = run(root, tmp_path / "b.db", jobs=2)
    assert (s1.new, s2.new) == (60, 60)
    assert export_json(serial, tmp_path / "a.json") == export_json(parallel, tmp_path / "b.json")


def test_copy_of_a_known_notice_adds_no_tasks(folder, tmp_path):
    _, before = run(folder, tmp_path / "r.db")
    shutil.copy(next(folder.rglob("tb-0007.txt")), folder / "ban-sao-tb-0007.txt")
    summary, after = run(folder, tmp_path / "r.db")
    assert summary.added == 0 and len(after) == len(before)


def test_moved_notice_keeps_its_tasks_and_follows_the_file(folder, tmp_path):
    _, before = run(folder, tmp_path / "r.db")
    old = next(folder.rglob("tb-0004.txt"))
    new = folder / "da-xu-ly" / "tb-0004.txt"
    new.parent.mkdir()
    old.rename(new)
    summary, after = run(folder, tmp_path / "r.db")
    assert summary.added == summary.removed == 0
    assert {t.id for t in before} == {t.id for t in after}
    assert {t.notice.source for t in after if "tb-0004" in t.notice.source} == {str(new)}


def test_file_named_twice_counts_once(folder, tmp_path):
    one = next(folder.rglob("tb-0001.txt"))
    summary, _ = run_paths([folder, one], tmp_path / "r.db")
    assert summary.files == 17 and summary.new == 17


def run_paths(paths, db):
    with Register.open(db) as reg:
        return run_batch(paths, reg, jobs=1), reg.tasks(AS_OF)


def test_worker_crash_reports_only_the_guilty_file(tmp_path, monkeypatch):
    from pipeline.batch import CRASHED
    from tests.notice_factory import CRASH_MARK, crashing_extract

    monkeypatch.setattr(api, "extract", crashing_extract)
    root = tmp_path / "vb"
    write_notices(root, 40, seed=9)
    bad = next(root.rglob("tb-0013.txt"))
    bad.write_text(bad.read_text(encoding="utf-8") + f"\n{CRASH_MARK}\n", encoding="utf-8")
    summary, tasks = run(root, tmp_path / "r.db", jobs=2)
    assert [(Path(e.path).name, e.reason) for e in summary.errors] == [("tb-0013.txt", CRASHED)]
    assert summary.new == 39 and tasks


def better_extract(notice):
    """A 'newer release' of the stand-in: also sees the co-operating unit written after 'phối hợp với'."""
    return [t.model_copy(update={"co_assignees": ["Công an xã"]}) if "Kiểm tra" in t.action else t
            for t in fake_extract(notice)]


def test_new_extractor_rereads_everything_and_keeps_officer_records(folder, tmp_path, monkeypatch):
    _, before = run(folder, tmp_path / "r.db")
    done_id = next(t.id for t in before if "Kiểm tra" in t.task.action)
    with Register.open(tmp_path / "r.db") as reg:
        reg.mark_done(done_id, dt.date(2026, 8, 20))
    monkeypatch.setattr(api, "extract", better_extract)
    summary, after = run(folder, tmp_path / "r.db")
    assert summary.reread and summary.updated > 0 and summary.added == summary.removed == 0
    assert "đọc lại mọi tệp" in summary.lines()[0]
    assert {t.id for t in before} == {t.id for t in after}
    again = next(t for t in after if t.id == done_id)
    assert again.completed_on == dt.date(2026, 8, 20) and again.task.co_assignees == ["Công an xã"]
    quiet, _ = run(folder, tmp_path / "r.db")
    assert not quiet.reread and quiet.unchanged == 17
