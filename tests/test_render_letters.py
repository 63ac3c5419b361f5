"""Công văn đôn đốc and báo cáo tổng hợp: rendered .docx opened with python-docx and checked
against Nghị định 30/2020/NĐ-CP, Phụ lục I."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from extractors.models import Deadline, NoticeRef, RegisteredTask, Task
from pipeline.config import SenderConfig
from pipeline.render import (draft_letters, draft_report, nd30_date, place_date, render_user_template,
                             safe_stem, to_pdf)

AS_OF = dt.date(2026, 8, 5)
SENDER = SenderConfig(issuer_lines=["ỦY BAN NHÂN DÂN", "PHƯỜNG HƯNG DŨNG"], parent_lines=[],
                      issuer_name="Ủy ban nhân dân phường", place="Hưng Dũng", drafting_symbol="VP",
                      authority="KT.", authority_body="CHỦ TỊCH", signer_title="PHÓ CHỦ TỊCH",
                      signer="Trần Thị Hoa", cc=["Chủ tịch UBND phường"])
NOTICE = NoticeRef(id=7, source="tb-88.docx", content_hash="ab", doc_type="TB", doc_number="88/TB-UBND",
                   doc_date=dt.date(2026, 6, 30), title="Kết luận giao ban tháng 6")


def registered(i: int, unit: str, action: str, due, status: str, recurrence=None) -> RegisteredTask:
    deadline = Deadline(due=due, recurrence=recurrence, phrase="") if due or recurrence else None
    task = Task(source="tb-88.docx", assignee=unit, action=action, deadline=deadline)
    return RegisteredTask(id=f"T-{i:06x}", task=task, notice=NOTICE, status=status, as_of=AS_OF)


TASKS = [
    registered(1, "Phòng Kinh tế", "Hoàn thiện hồ sơ giao đất & cho thuê đất <đợt 2> theo \"quy trình mới\"",
               dt.date(2026, 9, 30), "chưa hoàn thành trong hạn"),
    registered(2, "Phòng Kinh tế", "Kiểm kê diện tích cây vụ Đông", dt.date(2026, 7, 15), "chưa hoàn thành quá hạn"),
    registered(3, "Phòng A/B", "Cập nhật dữ liệu hộ nghèo", None, "chưa hoàn thành trong hạn"),
    registered(4, "Phòng Kinh tế", "Báo cáo tiến độ giải ngân", dt.date(2026, 7, 1), "hoàn thành đúng hạn"),
]


def _texts(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    out = tmp_path_factory.mktemp("cong-van")
    return draft_letters(TASKS, out, AS_OF, SENDER)


def test_one_letter_per_unit_with_open_tasks_and_safe_names(letters):
    names = sorted(p.name for p in letters)
    assert names == ["cong-van-don-doc-20260805-phong-a-b.docx", "cong-van-don-doc-20260805-phong-kinh-te.docx"]


def test_page_margins_and_fonts_follow_the_decree(letters):
    d = docx.Document(letters[0])
    s = d.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5)  # A4, in twips
    mm = lambda length: round(length / 36000)  # noqa: E731 - Word stores twips; compare whole mm
    assert 20 <= mm(s.top_margin) <= 25 and 20 <= mm(s.bottom_margin) <= 25
    assert 30 <= mm(s.left_margin) <= 35 and 15 <= mm(s.right_margin) <= 20
    runs = [r for p in d.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
             if r.text.strip()]
    assert runs and all(r.font.name == "Times New Roman" for r in runs)


def _run_of(document, text: str):
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for r in p.runs:
                        if text in r.text:
                            return p, r
    for p in document.paragraphs:
        for r in p.runs:
            if text in r.text:
                return p, r
    raise AssertionError(f"{text!r} not found")


def test_header_block(letters):
    d = docx.Document([p for p in letters if "kinh-te" in p.name][0])
    _, motto = _run_of(d, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert motto.bold and motto.font.size.pt in (12, 13)
    _, slogan = _run_of(d, "Độc lập - Tự do - Hạnh phúc")
    assert slogan.bold and slogan.font.size.pt in (13, 14)
    _, body = _run_of(d, "PHƯỜNG HƯNG DŨNG")
    assert body.bold
    _, number = _run_of(d, "Số:")
    assert number.text.replace(" ", "") == "Số:/UBND-VP"
    _, date = _run_of(d, "Hưng Dũng, ngày")
    assert date.italic and date.text == "Hưng Dũng, ngày 05 tháng 8 năm 2026"
    _, subject = _run_of(d, "V/v")
    assert subject.text == "V/v đôn đốc thực hiện nhiệm vụ được giao tại Thông báo số 88/TB-UBND ngày 30/6/2026"
    assert subject.font.size.pt in (12, 13) and not subject.bold
    paragraph, _ = _run_of(d, "Kính gửi: Phòng Kinh tế")
    assert paragraph is not None


def test_task_rows_overdue_first_and_escaped_text_intact(letters):
    d = docx.Document([p for p in letters if "kinh-te" in p.name][0])
    grid = [t for t in d.tables if t.rows[0].cells[0].text == "STT"][0]
    rows = [[c.text for c in row.cells] for row in grid.rows[1:]]
    cited = "Thông báo số 88/TB-UBND ngày 30/6/2026"
    assert rows == [
        ["1", "Kiểm kê diện tích cây vụ Đông", cited, "15/07/2026", "Quá hạn 21 ngày"],
        ["2", "Hoàn thiện hồ sơ giao đất & cho thuê đất <đợt 2> theo \"quy trình mới\"", cited, "30/09/2026",
         "Trong hạn"],
    ]
    merges = [row._tr.tc_lst[2].tcPr.vMerge for row in grid.rows[1:]]
    assert [m.val for m in merges] == ["restart", "continue"]  # one notice: its cell merged down its rows
    assert "Báo cáo tiến độ giải ngân" not in _texts(d)  # done tasks are not chased


def test_body_paragraphs_justified_14pt_with_indent(letters):
    d = docx.Document(letters[0])
    body = [p for p in d.paragraphs if p.text.startswith(("Tại", "Đề nghị"))]
    assert len(body) == 2
    for p in body:
        assert p.alignment == 3  # WD_ALIGN_PARAGRAPH.JUSTIFY
        assert p.paragraph_format.first_line_indent is not None
        assert all(r.font.size.pt == 14 for r in p.runs)
    assert "trước ngày 12 tháng 8 năm 2026" in body[1].text  # 5 working days after 05/8/2026


def test_cc_and_signature_block(letters):
    d = docx.Document(letters[0])
    label_p, label = _run_of(d, "Nơi nhận:")
    assert label.bold and label.italic and label.font.size.pt == 12
    cc = [p.text for p in label_p._parent.paragraphs if p.text.startswith("- ")]
    assert cc == ["- Như trên;", "- Chủ tịch UBND phường;", "- Lưu: VT, VP."]
    _, authority = _run_of(d, "KT. CHỦ TỊCH")
    _, title = _run_of(d, "PHÓ CHỦ TỊCH")
    _, signer = _run_of(d, "Trần Thị Hoa")
    assert authority.bold and title.bold and signer.bold


def test_unit_with_a_slash_keeps_its_name_in_the_letter(letters):
    d = docx.Document([p for p in letters if "phong-a-b" in p.name][0])
    assert "Kính gửi: Phòng A/B" in _texts(d)
    assert "Không ghi thời hạn" in _texts(d)


def test_combined_letter_groups_rows_by_unit(tmp_path):
    [path] = draft_letters(TASKS, tmp_path, AS_OF, SENDER, combined=True)
    d = docx.Document(path)
    text = _texts(d)
    assert "- Phòng Kinh tế;" in text and "- Phòng A/B." in text
    grid = [t for t in d.tables if t.rows[0].cells[0].text == "STT"][0]
    first_col = [row.cells[0].text for row in grid.rows[1:]]
    assert first_col == ["I", "1", "2", "II", "1"]  # the unit with an overdue task comes first


def test_report_counts_by_unit_and_state(tmp_path):
    path = draft_report(TASKS, tmp_path / "bc.docx", AS_OF, SENDER)
    d = docx.Document(path)
    text = _texts(d)
    assert "BÁO CÁO" in text and "Số:/BC-UBND" in text.replace(" ", "")
    counts = [t for t in d.tables if t.rows[0].cells[1].text == "Đơn vị chủ trì" and len(t.columns) == 9][0]
    assert [c.text for c in counts.rows[0].cells[7:]] == ["Tỷ lệ đúng hạn (%)", "Tỷ lệ quá hạn (%)"]
    rows = {row.cells[1].text: [c.text for c in row.cells[2:]] for row in counts.rows[1:]}
    assert rows["Phòng Kinh tế"] == ["3", "1", "0", "1", "1", "33,3", "33,3"]
    assert rows["Tổng cộng"] == ["4", "1", "0", "2", "1", "25,0", "25,0"]
    overdue = [t for t in d.tables if len(t.columns) == 5][0]
    assert [r.cells[1].text for r in overdue.rows[1:]] == ["Kiểm kê diện tích cây vụ Đông"]


@pytest.mark.parametrize("day, text", [
    (dt.date(2026, 7, 5), "ngày 05 tháng 7 năm 2026"),
    (dt.date(2026, 1, 15), "ngày 15 tháng 01 năm 2026"),
    (dt.date(2026, 2, 9), "ngày 09 tháng 02 năm 2026"),
    (dt.date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
])
def test_decree_date_padding(day, text):
    assert nd30_date(day) == text
    assert place_date("Nghi Dương", day) == f"Nghi Dương, {text}"


@pytest.mark.parametrize("name", ["Phòng A/B", "CON", "..", "Tổ: *?<>|", "x" * 400, "Văn phòng HĐND & UBND"])
def test_safe_stem_is_portable(name):
    stem = safe_stem(name)
    assert stem and len(stem) <= 100 and set(stem) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


def test_no_open_task_no_letter(tmp_path):
    assert draft_letters(TASKS[3:], tmp_path, AS_OF, SENDER) == []


def test_user_template_is_sandboxed(tmp_path):
    from jinja2.exceptions import SecurityError

    template = tmp_path / "mau.docx"
    d = docx.Document()
    d.add_paragraph("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    d.save(template)
    with pytest.raises(Exception) as info:
        render_user_template(template, {})
    assert isinstance(info.value.__cause__, SecurityError)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice/pdftoppm absent")
def test_letter_converts_to_pdf_and_png(letters, tmp_path):
    [pdf] = to_pdf(letters[:1], tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "trang")],
                   check=True, timeout=60)
    pngs = list(tmp_path.glob("trang*.png"))
    assert pngs and pngs[0].stat().st_size > 1000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Trần Thị Hoa" in text


def test_unchanged_letters_are_not_redrawn_changed_ones_are(tmp_path):
    first = draft_letters(TASKS, tmp_path, AS_OF, SENDER)
    stamps = {p.name: p.stat().st_mtime_ns for p in first}
    again = draft_letters(TASKS, tmp_path, AS_OF, SENDER)
    assert {p.name: p.stat().st_mtime_ns for p in again} == stamps  # nothing rewritten
    changed = [TASKS[0].model_copy(update={"status": "chưa hoàn thành quá hạn"}), *TASKS[1:]]
    third = draft_letters(changed, tmp_path, AS_OF, SENDER)
    kinh_te = [p for p in third if "kinh-te" in p.name][0]
    assert kinh_te.stat().st_mtime_ns != stamps[kinh_te.name]
    assert [p for p in third if "phong-a-b" in p.name][0].stat().st_mtime_ns == stamps["cong-van-don-doc-20260805-phong-a-b.docx"]


def test_a_huge_backlog_gives_a_letter_of_sane_length(tmp_path):
    from pipeline.render import MAX_ROWS

    backlog = [registered(100 + i, "Phòng Kinh tế", f"Nhiệm vụ tồn đọng số {i}", dt.date(2026, 1, 1) + dt.timedelta(i % 150),
                          "chưa hoàn thành quá hạn") for i in range(MAX_ROWS + 40)]
    [path] = draft_letters(backlog, tmp_path, AS_OF, SENDER)
    d = docx.Document(path)
    grid = [t for t in d.tables if t.rows[0].cells[0].text == "STT"][0]
    assert len(grid.rows) == MAX_ROWS + 1
    assert grid.rows[1].cells[3].text == "01/01/2026"  # the longest overdue first
    assert "còn 40 nhiệm vụ chưa hoàn thành khác" in _texts(d)
