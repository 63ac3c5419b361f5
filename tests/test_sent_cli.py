"""`nhiemvu sent`: the officer records the number the văn thư gave a drafted letter; only then is it a
reminder, and the next letter (from `draft` or `run`) to that unit on the same tasks is "lần 2" and cites it."""
from __future__ import annotations

import datetime as dt

import docx
import pytest

from pipeline.register import FileState, Register
from tests.test_draft_cli import NOTICE, cli
from tests.test_register import make_notice, make_task


def text_of(path) -> str:
    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


def letter_to(folder, stem: str):
    [path] = folder.glob(f"*-{stem}.docx")
    return text_of(path)


@pytest.fixture
def office(tmp_path):
    (tmp_path / "van-ban").mkdir()
    (tmp_path / "van-ban" / "tb-21.txt").write_text(NOTICE, encoding="utf-8")
    first = cli("run", "van-ban", "--as-of", "01/04/2026", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "nhiemvu sent" in first.stdout  # the officer is told how to record the number
    return tmp_path


def test_draft_sent_then_lan_2_from_draft_and_from_run(office):
    drafted = cli("draft", "--unit", "phong kinh te", "--as-of", "02/04/2026", "--out", "thu", cwd=office)
    assert drafted.returncode == 0 and "nhiemvu sent" in drafted.stdout, drafted.stderr

    # not sent yet: a later letter is still the first reminder, from `draft` and from `run` alike
    unsent = cli("draft", "--unit", "phong kinh te", "--as-of", "10/04/2026", "--out", "chua-gui", cwd=office)
    assert unsent.returncode == 0, unsent.stderr
    assert "lần 2" not in letter_to(office / "chua-gui", "phong-kinh-te")

    sent = cli("sent", "Phòng Kinh tế", "--number", "125/UBND-VP", "--on", "03/04/2026", cwd=office)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith("Phòng Kinh tế: đã ghi Công văn số 125/UBND-VP ngày 03/04/2026 (đôn đốc lần 1")
    assert "thu/cong-van-don-doc-20260402-phong-kinh-te.docx" in sent.stdout  # the letter drafted by 03/04
    with Register.open(office / "nhiemvu.db", write=False) as reg:
        letters = [x for x in reg.reminder_letters() if x.unit == "Phòng Kinh tế"]
    assert [(x.on, x.number, x.sent_on) for x in letters] == [
        (dt.date(2026, 4, 1), None, None), (dt.date(2026, 4, 2), "125/UBND-VP", dt.date(2026, 4, 3)),
        (dt.date(2026, 4, 10), None, None)]

    second = cli("draft", "--unit", "phong kinh te", "--as-of", "15/04/2026", "--out", "lan-2", cwd=office)
    assert second.returncode == 0, second.stderr
    text = letter_to(office / "lan-2", "phong-kinh-te")
    assert "V/v đôn đốc lần 2 thực hiện nhiệm vụ được giao tại Thông báo số 21/TB-UBND" in text
    assert "đã có Công văn số 125/UBND-VP ngày 3/4/2026 đôn đốc Phòng Kinh tế thực hiện" in text
    assert "(lần 1). Tuy nhiên, đến ngày 15 tháng 4 năm 2026, Phòng Kinh tế vẫn còn 01 nhiệm vụ" in text

    rerun = cli("run", "van-ban", "--as-of", "15/04/2026", cwd=office)
    assert rerun.returncode == 0, rerun.stderr
    assert "đã có Công văn số 125/UBND-VP ngày 3/4/2026" in letter_to(office / "out" / "cong-van", "20260415-phong-kinh-te")
    assert "lần 2" not in letter_to(office / "out" / "cong-van", "20260415-tram-y-te-xa")  # never sent to that unit


def test_sent_picks_the_latest_draft_and_a_second_number_replaces_the_first(office):
    first = cli("sent", "phong kinh te", "--number", "Số: 120/UBND-VP", cwd=office)
    assert first.returncode == 0, first.stderr
    assert "Công văn số 120/UBND-VP ngày 01/04/2026" in first.stdout  # the date printed on the draft
    again = cli("sent", "phong kinh te", "--number", "121/UBND-VP", cwd=office)
    assert again.returncode == 0 and "thay số cũ 120/UBND-VP" in again.stdout, again.stderr


@pytest.mark.parametrize("args, said", [
    (("Phòng Tài chính", "--number", "1/UBND-VP"), "không có đơn vị 'Phòng Tài chính' trong sổ"),
    (("Phong Kinh ten", "--number", "1/UBND-VP"), "(có phải 'Phòng Kinh tế'?)"),
    (("Phòng Kinh tế", "--number", "/UBND-VP"), "không phải số ký hiệu của văn bản"),
    (("Phòng Kinh tế", "--number", "1/UBND-VP", "--on", "31/03/2026"), "soạn sớm nhất ngày 01/04/2026"),
    (("Phòng Kinh tế", "--number", "1/UBND-VP", "--on", "31/13/2026"), "--on '31/13/2026' không hợp lệ"),
    (("Phòng Kinh tế", "--number", "1/UBND-VP", "--db", "khong-co.db"), "chưa có sổ nhiệm vụ khong-co.db"),
])
def test_sent_refuses_with_one_vietnamese_line(office, args, said):
    proc = cli("sent", *args, cwd=office)
    assert proc.returncode == 2 and said in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_a_unit_in_the_register_with_no_letter_drafted(tmp_path):
    with Register.open(tmp_path / "nhiemvu.db") as r:
        r.upsert(make_notice(), [make_task("Rà soát đất công ích", due=dt.date(2026, 7, 20))], FileState(1, 1, "h"))
    proc = cli("sent", "phong kinh te", "--number", "125/UBND-VP", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("Lỗi: chưa có công văn đôn đốc nào soạn cho Phòng Kinh tế trong sổ nhiemvu.db")


def test_a_name_typed_in_full_is_that_unit_even_when_a_longer_name_has_a_letter(tmp_path):
    """'Phòng Kinh tế' is not 'Phòng Kinh tế, Hạ tầng và Đô thị', the one with a letter; 'kinh te' names both."""
    with Register.open(tmp_path / "nhiemvu.db") as r:
        r.upsert(make_notice(), [make_task("Rà soát đất công ích", due=dt.date(2026, 7, 20)),
                                 make_task("Sửa cầu tràn", unit="Phòng Kinh tế, Hạ tầng và Đô thị")],
                 FileState(1, 1, "h"))
        r.record_reminder("Phòng Kinh tế, Hạ tầng và Đô thị", dt.date(2026, 7, 25), 1, [])
    proc = cli("sent", "Phòng Kinh tế", "--number", "125/UBND-VP", cwd=tmp_path)
    assert proc.returncode == 2 and "chưa có công văn đôn đốc nào soạn cho Phòng Kinh tế trong sổ" in proc.stderr
    proc = cli("sent", "kinh te", "--number", "125/UBND-VP", cwd=tmp_path)
    assert proc.returncode == 2 and "'kinh te' khớp nhiều đơn vị (Phòng Kinh tế, Phòng Kinh tế, Hạ tầng" in proc.stderr
    proc = cli("sent", "phong kinh te, ha tang", "--number", "125/UBND-VP", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("Phòng Kinh tế, Hạ tầng và Đô thị: đã ghi"), proc.stderr
