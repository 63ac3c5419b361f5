"""One notice, one entry: copies of a notice (PDF + .docx, a forwarded copy) merge; look-alikes do not."""
import datetime as dt
import shutil
from pathlib import Path

import pytest

from bench.lookalike import write_lookalikes
from extractors.models import Notice, Task
from pipeline import api
from pipeline.batch import run_batch
from pipeline.duplicates import figures_of, header_key, same_notice, text_print
from pipeline.register import FileState, Register

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
AS_OF = dt.date(2026, 9, 1)
BODY = ("Ngày 05/3/2026, Chủ tịch UBND xã chủ trì cuộc họp giao ban. Sau khi nghe báo cáo, Chủ tịch kết luận: "
        "giao Phòng Kinh tế rà soát, thống kê diện tích đất nông nghiệp bỏ hoang trên địa bàn và đề xuất "
        "phương án xử lý, hoàn thành trước ngày 20/3/2026; giao Công an xã bảo đảm an ninh trật tự trong dịp "
        "lễ hội đầu xuân, báo cáo kết quả trước ngày 25/3/2026; giao Trạm Y tế xã kiểm tra an toàn thực phẩm "
        "tại các cơ sở kinh doanh dịch vụ ăn uống trên địa bàn xã.")


def notice(source, number="/TB-UBND", issuer=None, text=BODY, date=None, fmt="txt"):
    return Notice(source=source, format=fmt, doc_type="TB", doc_number=number, issuer=issuer, doc_date=date,
                  year=2026, text=text)


TASKS = [Task(source="a.txt", assignee="Phòng Kinh tế", action="Rà soát diện tích đất bỏ hoang"),
         Task(source="a.txt", assignee="Công an xã", action="Bảo đảm an ninh trật tự dịp lễ hội")]


@pytest.fixture
def reg(tmp_path):
    with Register.open(tmp_path / "nv.db") as r:
        yield r


@pytest.mark.parametrize("text, figures", [
    ("trước ngày 05/07/2026", ["5/7/2026"]),
    ("Kế hoạch số 479-KH/TU ngày 15/6/2025", ["15/6/2025", "479"]),
    ("1. Giao Phòng Kinh tế; tháng 7", []),  # a list label or a lone month says too little
])
def test_figures_a_text_states(text, figures):
    assert figures_of(text) == figures


def test_pdf_copy_of_a_draft_is_the_same_notice_and_keeps_both_files(reg):
    first = reg.upsert(notice("tb.txt"), TASKS, FileState(1, 1, "h-txt"))
    copy = reg.upsert(notice("tb.pdf", fmt="pdf"), TASKS, FileState(2, 1, "h-pdf"))
    assert (first.kind, copy.kind) == ("new", "duplicate") and copy.added == 0
    assert reg.counts() == {"notices": 1, "files": 2, "tasks": 2}
    assert {Path(p).name for p in reg.tasks(AS_OF)[0].notice.sources} == {"tb.txt", "tb.pdf"}


def test_better_copy_gives_the_tasks_and_keeps_their_ids_and_records(reg):
    ids = reg.upsert(notice("tb.pdf", fmt="pdf"), TASKS, FileState(1, 1, "h-pdf")).task_ids
    reg.mark_done(ids[0], AS_OF)
    better = reg.upsert(notice("tb.docx", issuer="Ủy ban nhân dân xã Tân Lập", fmt="docx"), TASKS,
                        FileState(2, 1, "h-docx"))
    assert better.kind == "duplicate" and better.task_ids == ids
    tasks = reg.tasks(AS_OF)
    assert tasks[0].completed_on == AS_OF and tasks[0].notice.source == "tb.docx"
    assert tasks[0].notice.issuer == "Ủy ban nhân dân xã Tân Lập"


def test_same_number_merges_though_one_copy_does_not_show_the_issuer(reg):
    reg.upsert(notice("tb.txt", number="15/TB-UBND"), TASKS, FileState(1, 1, "a"))
    copy = notice("tb.docx", number="15/TB-UBND", issuer="Ủy ban nhân dân xã Tân Lập", fmt="docx")
    assert reg.upsert(copy, TASKS, FileState(1, 1, "b")).kind == "duplicate"


def test_different_numbers_are_different_notices_however_alike(reg):
    reg.upsert(notice("tb15.txt", number="15/TB-UBND"), TASKS, FileState(1, 1, "a"))
    assert reg.upsert(notice("tb16.txt", number="16/TB-UBND"), TASKS, FileState(1, 1, "b")).kind == "new"


def test_next_month_with_the_same_layout_and_tasks_is_another_notice(reg):
    reg.upsert(notice("thang3.txt"), TASKS, FileState(1, 1, "a"))
    april = BODY.replace("/3/2026", "/4/2026")
    assert reg.upsert(notice("thang4.txt", text=april), TASKS, FileState(1, 1, "b")).kind == "new"


def test_contradicting_dates_keep_notices_apart():
    a, b = notice("a.txt", date=dt.date(2026, 3, 5)), notice("b.txt", date=dt.date(2026, 4, 5))
    assert not same_notice(header_key(a), text_print(a), header_key(b), text_print(b))


def test_run_samples_registers_each_seed_once(tmp_path):
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder)
    seeds = sorted(folder.glob("*.txt"))
    with Register.open(tmp_path / "nv.db") as reg:
        summary = run_batch([folder], reg, jobs=1)
        tasks = reg.tasks(AS_OF)
        assert reg.counts()["notices"] == len(seeds)
    assert summary.new == len(seeds) and summary.duplicate == summary.files - len(seeds) > 0
    rows = [(t.notice.id, t.task.assignee, t.task.action) for t in tasks]
    assert len(rows) == len(set(rows))
    copies = [t.notice.sources for t in tasks if len(t.notice.sources) > 1]
    assert {len(s) for s in copies} == {2}


def test_fifty_lookalike_notices_merge_none_and_their_copies_merge(tmp_path):
    made = write_lookalikes(tmp_path / "giao-ban", n=50, formats=(".txt",))
    extra = write_lookalikes(tmp_path / "ban-sao", n=4, formats=(".docx",))  # copies of the first four
    with Register.open(tmp_path / "nv.db") as reg:
        summary = run_batch([tmp_path / "giao-ban", tmp_path / "ban-sao"], reg, jobs=1)
        assert reg.counts()["notices"] == len(made) == 50
        tasks = reg.tasks(AS_OF)
    assert summary.duplicate == len(extra)
    merged = {tuple(sorted(Path(p).stem for p in t.notice.sources)) for t in tasks if len(t.notice.sources) > 1}
    assert merged == {(f"giao-ban-{i:02d}", f"giao-ban-{i:02d}") for i in range(4)}
