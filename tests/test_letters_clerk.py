"""Letters that read as a clerk writes them: checked in the .docx with python-docx."""
import datetime as dt

import docx
import pytest

from extractors.models import Deadline, NoticeRef, RegisteredTask, Task
from pipeline.config import SenderConfig
from pipeline.register import FileState, Register
from pipeline.render import draft_letters, draft_report
from pipeline.status import DONE_LATE, DONE_ON_TIME, OPEN_LATE, OPEN_ON_TIME
from tests.test_register import make_notice, make_task

AS_OF = dt.date(2026, 8, 5)
SENDER = SenderConfig(issuer_lines=["ỦY BAN NHÂN DÂN", "XÃ TÂN LẬP"], issuer_name="Ủy ban nhân dân xã",
                      place="Tân Lập", report_to="Ủy ban nhân dân xã", report_recipient="Chủ tịch UBND xã")
TB = NoticeRef(id=1, source="tb-125.docx", content_hash="a", doc_type="TB", doc_number="125/TB-UBND",
               doc_date=dt.date(2026, 6, 30), title="Kết luận giao ban tháng 6")
KH = NoticeRef(id=2, source="kh-40.docx", content_hash="b", doc_type="KH", doc_number="40/KH-UBND",
               doc_date=dt.date(2026, 7, 2))
DRAFT_CV = NoticeRef(id=3, source="cv-nhap.docx", content_hash="c", doc_type="CV", doc_number="/UBND-VP",
                     title="V/v tăng cường phòng, chống thiên tai")


def rt(i, unit, action, due=None, status=OPEN_ON_TIME, notice=TB, missed=(), recurrence=None, next_due=None):
    deadline = Deadline(due=due, recurrence=recurrence, day_of_period=18 if recurrence else None,
                        phrase="trước ngày 18 hằng tháng" if recurrence else "") if (due or recurrence) else None
    task = Task(source=notice.source, assignee=unit, action=action, deadline=deadline)
    return RegisteredTask(id=f"T-{i:06x}", task=task, notice=notice, status=status, as_of=AS_OF,
                          missed=list(missed), next_due=next_due)


def text_of(path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def grid_rows(path):
    d = docx.Document(str(path))
    grid = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
    return [[c.text for c in row.cells] for row in grid.rows]


def test_no_zero_counts_and_a_common_noun_addressee_in_lower_case(tmp_path):
    tasks = [rt(1, "Các bộ phận chuyên môn", "Rà soát thủ tục hành chính", dt.date(2026, 9, 30)),
             rt(2, "Các bộ phận chuyên môn", "Cập nhật cơ sở dữ liệu", dt.date(2026, 7, 1), DONE_ON_TIME)]
    [path] = draft_letters(tasks, tmp_path, AS_OF, SENDER)
    text = text_of(path)
    assert "Kính gửi: Các bộ phận chuyên môn" in text
    assert "đã giao các bộ phận chuyên môn chủ trì thực hiện 02 nhiệm vụ" in text
    assert "đã hoàn thành 01 nhiệm vụ, còn 01 nhiệm vụ chưa hoàn thành, cụ thể như sau:" in text
    assert "Đề nghị các bộ phận chuyên môn chủ động triển khai" in text
    assert " 0 nhiệm vụ" not in text and "00 nhiệm vụ" not in text and "Thực hiện Công văn," not in text
    assert "Tại Thông báo số 125/TB-UBND ngày 30/6/2026 về kết luận giao ban tháng 6," in text


def test_rows_grouped_by_notice_with_the_notice_cited_once(tmp_path):
    tasks = [rt(1, "Phòng Kinh tế", "Kiểm kê cây vụ Đông", dt.date(2026, 7, 15), OPEN_LATE),
             rt(2, "Phòng Kinh tế", "Giải phóng mặt bằng tuyến đường", dt.date(2026, 7, 20), OPEN_LATE, notice=KH),
             rt(3, "Phòng Kinh tế", "Hoàn thiện hồ sơ giao đất", dt.date(2026, 9, 30)),
             rt(4, "Phòng Kinh tế", "Kiểm tra đê bao", dt.date(2026, 8, 8), notice=DRAFT_CV)]
    [path] = draft_letters(tasks, tmp_path, AS_OF, SENDER)
    rows = grid_rows(path)
    assert rows[0] == ["STT", "Nội dung nhiệm vụ", "Văn bản giao", "Thời hạn", "Tình trạng"]
    assert [r[1] for r in rows[1:]] == ["Kiểm kê cây vụ Đông", "Hoàn thiện hồ sơ giao đất",
                                        "Giải phóng mặt bằng tuyến đường", "Kiểm tra đê bao"]
    assert [r[2] for r in rows[1:]] == ["Thông báo số 125/TB-UBND ngày 30/6/2026"] * 2 + [
        "Kế hoạch số 40/KH-UBND ngày 2/7/2026", "Công văn về tăng cường phòng, chống thiên tai"]
    assert [r[4] for r in rows[1:]] == ["Quá hạn 21 ngày", "Trong hạn", "Quá hạn 16 ngày",
                                        "Sắp đến hạn (còn 3 ngày)"]
    text = text_of(path)
    assert "còn 04 nhiệm vụ chưa hoàn thành, trong đó 02 nhiệm vụ đã quá thời hạn, 01 nhiệm vụ sắp đến hạn" in text
    assert "V/v đôn đốc thực hiện các nhiệm vụ được giao" in text


def test_all_overdue_and_a_recurring_duty_lists_its_missed_periods(tmp_path):
    duty = rt(1, "Công an xã", "Báo cáo tình hình an ninh trật tự", status=OPEN_LATE, recurrence="monthly",
              missed=[dt.date(2026, 6, 18), dt.date(2026, 7, 18)], next_due=dt.date(2026, 8, 18))
    [path] = draft_letters([duty], tmp_path, AS_OF, SENDER)
    row = grid_rows(path)[1]
    assert row[3] == "Trước ngày 18 hằng tháng; chưa báo cáo kỳ 18/06/2026, 18/07/2026; kỳ tới 18/08/2026"
    assert row[4] == "Chưa báo cáo 02 kỳ"
    assert "còn 01 nhiệm vụ chưa hoàn thành, đã quá thời hạn, cụ thể như sau:" in text_of(path)


def test_unit_spelled_two_ways_gets_one_letter_and_report_by_skips_holidays(tmp_path):
    tasks = [rt(1, "Phòng Văn hoá - Xã hội", "Kiểm tra di tích", dt.date(2026, 9, 30)),
             rt(2, "phòng văn hóa - xã hội", "Tổ chức lễ hội", dt.date(2026, 9, 30))]
    friday = dt.date(2026, 8, 28)  # + 5 working days: 31/8, 1/9 and 2/9 are days off in 2026
    paths = draft_letters(tasks, tmp_path, friday, SENDER)
    assert len(paths) == 1
    assert "trước ngày 09 tháng 9 năm 2026" in text_of(paths[0])


def test_second_reminder_on_the_same_tasks_says_so_and_cites_the_first(tmp_path):
    from pipeline.draft_cmd import draft, record_sent

    db = tmp_path / "nv.db"
    with Register.open(db) as r:
        r.upsert(make_notice(), [make_task("Rà soát đất nông nghiệp bỏ hoang", due=dt.date(2026, 7, 20))],
                 FileState(1, 1, "h"))
    config = tmp_path / "nhiemvu.toml"
    config.write_text('[sender]\nissuer_name = "Ủy ban nhân dân xã"\nplace = "Tân Lập"\n', encoding="utf-8")
    first_day, second_day = dt.date(2026, 7, 25), dt.date(2026, 8, 10)

    def letter(folder, day):
        draft(db, tmp_path / folder, day, [], None, False, None, False, config, {})
        [path] = (tmp_path / folder).glob("*.docx")
        return text_of(path)

    letter("cv1", first_day)
    assert "lần 2" not in letter("cv1", first_day)  # a re-draft the same day
    assert "lần 2" not in letter("cv-chua-gui", dt.date(2026, 8, 1))  # the first was never sent: not a reminder
    record_sent(db, "phong kinh te", "Số: 125/UBND-VP", first_day)  # the letter drafted on or before that day
    text = letter("cv2", second_day)
    assert "V/v đôn đốc lần 2 thực hiện nhiệm vụ được giao tại Thông báo số 15/TB-UBND ngày 1/7/2026" in text
    assert "Ủy ban nhân dân xã đã có Công văn số 125/UBND-VP ngày 25/7/2026 đôn đốc Phòng Kinh tế" in text
    assert "(lần 1). Tuy nhiên, đến ngày 10 tháng 8 năm 2026, Phòng Kinh tế vẫn còn 01 nhiệm vụ" in text
    assert "trách nhiệm của tập thể, cá nhân liên quan" in text


@pytest.fixture
def report(tmp_path):
    tasks = [rt(1, "Phòng Kinh tế", "Kiểm kê", dt.date(2026, 7, 15), OPEN_LATE),
             rt(2, "Phòng Kinh tế", "Giải ngân", dt.date(2026, 7, 1), DONE_ON_TIME),
             rt(3, "Phòng Kinh tế", "Đo đạc", dt.date(2026, 7, 2), OPEN_LATE),
             rt(4, "Các bộ phận chuyên môn", "Rà soát", dt.date(2026, 7, 3), OPEN_LATE),
             rt(5, "Các bộ phận chuyên môn", "Cập nhật", dt.date(2026, 7, 3), DONE_LATE),
             rt(6, "Trạm Y tế xã", "Tiêm chủng", dt.date(2026, 8, 7))]
    return draft_report(tasks, tmp_path / "bc.docx", AS_OF, SENDER)


def test_report_rows_by_unit_with_ratios(report):
    d = docx.Document(str(report))
    grid = next(t for t in d.tables if len(t.columns) == 9)
    rows = {r.cells[1].text: [c.text for c in r.cells[2:]] for r in grid.rows[1:]}
    assert rows["Phòng Kinh tế"] == ["3", "1", "0", "0", "2", "33,3", "66,7"]
    assert rows["Trạm Y tế xã"] == ["1", "0", "0", "1", "0", "0,0", "0,0"]
    assert rows["Tổng cộng"] == ["6", "1", "1", "1", "3", "16,7", "66,7"]


def test_report_opening_and_closing_name_the_facts(report):
    text = text_of(report)
    assert ("tổng số 06 nhiệm vụ; đã hoàn thành 02 nhiệm vụ (01 đúng hạn, 01 quá hạn); chưa hoàn thành "
            "04 nhiệm vụ (01 trong hạn, 03 quá hạn).") in text
    assert ("Các đơn vị còn nhiều nhiệm vụ chưa hoàn thành quá hạn nhất là Phòng Kinh tế (02 nhiệm vụ), "
            "các bộ phận chuyên môn (01 nhiệm vụ).") in text
    assert "Trong 7 ngày tới có 01 nhiệm vụ đến hạn" in text
    assert text.count("./.") == 1


def test_report_says_nothing_about_zero(tmp_path):
    """No "đã hoàn thành 00 nhiệm vụ" when nothing is done, no "chưa hoàn thành 00" when all is done."""
    none_done = [rt(1, "Phòng Kinh tế", "Kiểm kê", dt.date(2026, 7, 15), OPEN_LATE),
                 rt(2, "Trạm Y tế xã", "Tiêm chủng", dt.date(2026, 8, 7))]
    text = text_of(draft_report(none_done, tmp_path / "a.docx", AS_OF, SENDER))
    assert "tổng số 02 nhiệm vụ; chưa có nhiệm vụ nào hoàn thành; chưa hoàn thành 02 nhiệm vụ" in text
    assert "00 nhiệm vụ" not in text
    all_done = [rt(1, "Phòng Kinh tế", "Kiểm kê", dt.date(2026, 7, 15), DONE_ON_TIME)]
    text = text_of(draft_report(all_done, tmp_path / "b.docx", AS_OF, SENDER))
    assert "đã hoàn thành 01 nhiệm vụ (đều đúng hạn); không còn nhiệm vụ nào chưa hoàn thành." in text
