"""Letters rendered from RegisteredTasks, opened again with python-docx and checked against
Nghị định 30/2020/NĐ-CP Phụ lục I (page, margins, font, header, date, table, Nơi nhận, signature)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from extractors.models import Deadline, NoticeRef, RegisteredTask, Task
from pipeline.config import SenderConfig
from pipeline.render import (add_working_days, draft_letters, draft_report, nd30_date, safe_stem, to_pdf)

AS_OF = dt.date(2026, 8, 5)
TB = NoticeRef(id=1, source="tb.docx", content_hash="a", doc_type="TB", doc_number="125/TB-UBND",
               doc_date=dt.date(2026, 6, 30))
KH = NoticeRef(id=2, source="kh.pdf", content_hash="b", doc_type="KH", doc_number="40/KH-UBND",
               doc_date=dt.date(2026, 3, 2))
CONFIG = SenderConfig(issuer_lines=["ỦY BAN NHÂN DÂN", "XÃ HÒA AN"], parent_lines=["UBND TỈNH CAO BẰNG"],
                      issuer_name="Ủy ban nhân dân xã", place="Hòa An", signer="Nguyễn Văn Bình",
                      authority="KT.", authority_body="CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH",
                      cc=["Thường trực Đảng ủy xã"], drafting_symbol="VP")


def rt(i, unit, action, due=None, status="chưa hoàn thành trong hạn", notice=TB, ongoing=False, recurrence=None):
    deadline = Deadline(due=due, ongoing=ongoing, recurrence=recurrence)
    task = Task(source=notice.source, assignee=unit, action=action, deadline=deadline)
    return RegisteredTask(id=f"T-{i:06x}", task=task, notice=notice, status=status)


TASKS = [
    rt(1, "Phòng Kinh tế", "Hướng dẫn hộ kinh doanh thanh toán không dùng tiền mặt.", dt.date(2026, 9, 30)),
    rt(2, "Phòng Kinh tế", "Kiểm tra, xử lý vi phạm trật tự xây dựng trên địa bàn.", dt.date(2026, 7, 15),
       status="chưa hoàn thành quá hạn"),
    rt(3, "Phòng Kinh tế", "Rà soát diện tích lúa bị ảnh hưởng do mưa lũ.", dt.date(2026, 7, 1),
       status="hoàn thành đúng hạn"),
    rt(4, "Phòng A/B", 'Tổng hợp số liệu "hộ nghèo" & cận nghèo <năm 2026> gửi UBND xã.', ongoing=True),
]


def texts(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def find(document, needle: str):
    return next(p for p in all_paragraphs(document) if needle in p.text)


def size_of(paragraph) -> float:
    return max(r.font.size.pt for r in paragraph.runs if r.font.size)


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    out = tmp_path_factory.mktemp("letters")
    return draft_letters(TASKS, out, AS_OF, CONFIG, report_by=dt.date(2026, 8, 12))


def test_nd30_date_padding():
    assert nd30_date(dt.date(2026, 7, 5)) == "ngày 05 tháng 7 năm 2026"
    assert nd30_date(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert nd30_date(dt.date(2026, 2, 15)) == "ngày 15 tháng 02 năm 2026"
    assert nd30_date(dt.date(2026, 12, 25)) == "ngày 25 tháng 12 năm 2026"


def test_working_days_skip_weekend():
    assert add_working_days(dt.date(2026, 8, 7), 1) == dt.date(2026, 8, 10)  # Friday → Monday


def test_one_letter_per_unit_with_open_tasks(letters, tmp_path):
    assert len(letters) == 2
    assert all(p.suffix == ".docx" and p.exists() for p in letters)
    names = [p.name for p in letters]
    assert any("phong-kinh-te" in n for n in names)
    assert any("phong-a-b" in n for n in names)
    for p in letters:
        assert "/" not in p.name and "\\" not in p.name


def test_page_margins_and_font(letters):
    document = docx.Document(str(letters[0]))
    s = document.sections[0]
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    mm = {k: round(getattr(s, f"{k}_margin").mm, 1) for k in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25, mm
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20, mm
    fonts = {r.font.name for p in all_paragraphs(document) for r in p.runs if r.text.strip()}
    assert fonts <= {"Times New Roman", None}
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_header_blocks(letters):
    document = docx.Document(str(letters[0]))
    motto = find(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert all(r.bold for r in motto.runs if r.text.strip()) and 12 <= size_of(motto) <= 13
    slogan = find(document, "Độc lập - Tự do - Hạnh phúc")
    assert 13 <= size_of(slogan) <= 14 and all(r.bold for r in slogan.runs if r.text.strip())
    parent = find(document, "UBND TỈNH CAO BẰNG")
    assert not any(r.bold for r in parent.runs)
    issuer = find(document, "XÃ HÒA AN")
    assert all(r.bold for r in issuer.runs if r.text.strip())
    number = find(document, "Số:")
    assert number.text.replace(" ", "") == "Số:/UBND-VP"
    date_line = find(document, "Hòa An, ngày 05 tháng 8 năm 2026")
    assert all(r.italic for r in date_line.runs if r.text.strip())
    subject = find(document, "V/v đôn đốc")
    assert "Thông báo số 125/TB-UBND ngày 30/6/2026" in subject.text
    assert not any(r.bold for r in subject.runs) and 12 <= size_of(subject) <= 13


def test_task_rows_overdue_first_and_done_left_out(letters):
    document = docx.Document(str(next(p for p in letters if "kinh-te" in p.name)))
    assert "Kính gửi: Phòng Kinh tế" in texts(document)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[0] for r in body] == ["1", "2"]
    assert body[0][1].startswith("Kiểm tra, xử lý vi phạm") and body[0][3] == "15/07/2026"
    assert body[0][4].startswith("Quá hạn") and body[0][2].startswith("Thông báo số")
    assert body[1][3] == "30/09/2026"
    assert "Rà soát diện tích lúa" not in texts(document)
    closing = find(document, "báo cáo kết quả")
    assert "trước ngày 12 tháng 8 năm 2026" in closing.text
    assert texts(document).count("./.") == 1


def test_hostile_text_and_unit_survive(letters):
    path = next(p for p in letters if "phong-a-b" in p.name)
    assert path.parent == letters[0].parent
    document = docx.Document(str(path))
    body = texts(document)
    assert "Kính gửi: Phòng A/B" in body
    assert 'Tổng hợp số liệu "hộ nghèo" & cận nghèo <năm 2026> gửi UBND xã.' in body
    assert "Thường xuyên" in body


def test_noi_nhan_and_signature(letters):
    document = docx.Document(str(letters[0]))
    label = find(document, "Nơi nhận:")
    assert all(r.bold and r.italic for r in label.runs if r.text.strip()) and size_of(label) == 12
    first = find(document, "- Như trên;")
    assert size_of(first) == 11
    assert find(document, "- Thường trực Đảng ủy xã;")
    assert find(document, "- Lưu: VT, VP.")
    authority = find(document, "KT. CHỦ TỊCH")
    assert all(r.bold for r in authority.runs if r.text.strip())
    assert find(document, "PHÓ CHỦ TỊCH").runs[0].bold
    signer = find(document, "Nguyễn Văn Bình")
    assert all(r.bold for r in signer.runs if r.text.strip())


def test_combined_letter_lists_units(tmp_path):
    [path] = draft_letters(TASKS, tmp_path, AS_OF, CONFIG, combined=True)
    document = docx.Document(str(path))
    body = texts(document)
    assert "- Phòng Kinh tế;" in body and "- Phòng A/B." in body
    assert "V/v đôn đốc thực hiện nhiệm vụ được giao tại Thông báo số 125/TB-UBND" in body
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    firsts = [row.cells[1].text for row in table.rows[1:]]
    assert firsts[0] == "Phòng Kinh tế"  # the unit with an overdue task first
    assert "Phòng A/B" in firsts


def test_several_notices_give_general_subject(tmp_path):
    tasks = [rt(1, "Công an xã", "Tuần tra bảo đảm an ninh trật tự.", dt.date(2026, 9, 1)),
             rt(2, "Công an xã", "Kiểm tra cơ sở kinh doanh có điều kiện.", dt.date(2026, 9, 2), notice=KH)]
    [path] = draft_letters(tasks, tmp_path, AS_OF, CONFIG)
    document = docx.Document(str(path))
    assert find(document, "V/v").text == "V/v đôn đốc thực hiện các nhiệm vụ được giao"
    assert "Kế hoạch số 40/KH-UBND ngày 2/3/2026" in texts(document)


def test_no_open_tasks_no_letters(tmp_path):
    done = [rt(1, "Phòng Kinh tế", "Xong.", dt.date(2026, 7, 1), status="hoàn thành đúng hạn")]
    assert draft_letters(done, tmp_path, AS_OF, CONFIG) == []


@pytest.mark.parametrize("name", ["Phòng A/B", "CON", "..", "a:b*c?d", "x" * 400, "", "Tổ \\ công nghệ | số"])
def test_safe_stem_portable(name):
    stem = safe_stem(name)
    assert stem and len(stem) <= 100
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in stem)
    assert stem.upper() not in {"CON", "PRN", "AUX", "NUL"}


def test_report_counts_and_overdue(tmp_path):
    path = draft_report(TASKS, tmp_path / "bc.docx", AS_OF, CONFIG)
    document = docx.Document(str(path))
    body = texts(document)
    assert "BÁO CÁO" in body and find(document, "Số:").text.replace(" ", "") == "Số:/BC-UBND"
    counts = document.tables[1]
    rows = {row.cells[1].text: [c.text for c in row.cells[2:]] for row in counts.rows[1:]}
    assert rows["Phòng Kinh tế"][:5] == ["3", "1", "0", "1", "1"]
    assert rows["Phòng A/B"][:5] == ["1", "0", "0", "1", "0"]
    assert rows["Tổng cộng"][:5] == ["4", "1", "0", "2", "1"]
    overdue = document.tables[2]
    assert [row.cells[1].text for row in overdue.rows[1:]] == ["Kiểm tra, xử lý vi phạm trật tự xây dựng trên địa bàn."]


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice/pdftoppm absent")
def test_pdf_and_png(letters, tmp_path):
    [pdf] = to_pdf(letters[:1], tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    assert list(tmp_path.glob("p*.png"))
