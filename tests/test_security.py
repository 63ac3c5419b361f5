"""What a hostile or careless notice must not be able to do.

- a unit name or a notice number never becomes a path outside --out (letters land inside out/
  with names every file system accepts);
- a user-supplied letter template cannot read files or run code (sandboxed Jinja);
- exported CSV/XLSX cells never start a formula in Excel.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pytest

from extractors.models import Deadline, NoticeRef, RegisteredTask, Task

AS_OF = dt.date(2026, 6, 1)
HOSTILE_UNITS = ["../../etc/passwd", "Phòng A/B", "CON", "Ban " + "Quản lý dự án " * 22, "..\\..\\Windows\\win.ini",
                 "nul.txt", "Tổ công tác: số 1 * ? < > |"]
HOSTILE_NUMBERS = ["../../../tmp/thu", "12/TB-UBND", "/etc/cron.d/x", "COM1"]
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
FORMULAS = ["=HYPERLINK(\"http://x.invalid\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0",
            "\t=1+1"]


def registered(i: int, assignee: str, action: str = "Báo cáo kết quả rà soát hộ nghèo",
               doc_number: str = "15/TB-UBND", due: dt.date = dt.date(2026, 5, 10)) -> RegisteredTask:
    """An overdue task (due before AS_OF, not done): the kind a follow-up letter is drafted for."""
    task = Task(source=f"/van-ban/tb-{i}.txt", assignee=assignee, action=action,
                deadline=Deadline(due=due, phrase=f"trước ngày {due:%d/%m/%Y}"))
    notice = NoticeRef(id=i, source=task.source, content_hash=f"{i:064x}", doc_type="TB", doc_number=doc_number,
                       doc_date=dt.date(2026, 4, 20), issuer="Ủy ban nhân dân xã Tân Phú", signer="Nguyễn Văn An",
                       title="Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban")
    return RegisteredTask(id=f"T-{i:06x}", task=task, notice=notice, status="chưa hoàn thành quá hạn")


def _draft_letters():
    from pipeline.render import draft_letters

    return draft_letters


def _files_under(root: Path) -> set[Path]:
    return {Path(d) / f for d, _, files in os.walk(root) for f in files}


# ---------------------------------------------------------------- letters stay inside out/
def test_hostile_unit_names_and_numbers_stay_inside_out(tmp_path):
    draft_letters = _draft_letters()
    tasks = [registered(i, unit) for i, unit in enumerate(HOSTILE_UNITS, 1)]
    tasks += [registered(100 + i, "Công an xã", doc_number=n) for i, n in enumerate(HOSTILE_NUMBERS)]
    work = tmp_path / "lam-viec"
    out = work / "out" / "cong-van"
    out.mkdir(parents=True)
    (tmp_path / "etc").mkdir()
    before = _files_under(tmp_path)

    draft_letters(tasks, out, AS_OF)

    new = _files_under(tmp_path) - before
    assert new, "no letter was drafted for overdue tasks"
    for f in new:
        assert out.resolve() in f.resolve().parents, f"{f} written outside {out}"
        name = f.name
        assert len(name.encode("utf-8")) <= 255
        assert not set(name) & set('<>:"/\\|?*'), name
        assert not any(ord(c) < 32 for c in name), name
        assert name.split(".")[0].strip().lower() not in WINDOWS_RESERVED, name
        assert not name.endswith((" ", ".")), name
    assert not (tmp_path / "etc" / "passwd").exists()


def test_two_units_that_clean_to_the_same_name_get_two_letters(tmp_path):
    draft_letters = _draft_letters()
    # three units (they differ in their letters) whose file names fold to the same 'phong-dan-toc'
    tasks = [registered(1, "Phòng Dân tộc"), registered(2, "Phòng Dan Toc"), registered(3, "Phòng Đan Tóc")]
    out = tmp_path / "cong-van"
    out.mkdir()
    draft_letters(tasks, out, AS_OF)
    assert len(_files_under(out)) >= 3, sorted(p.name for p in _files_under(out))


# ---------------------------------------------------------------- user templates are sandboxed
PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{{ lipsum.__globals__['os'].listdir('/') }}",
]


def _user_template_entry():
    """The renderer's way to take a template the officer supplies."""
    from pipeline.render import render_user_template

    return render_user_template


def _docx_template(path: Path, body: str) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("Kính gửi: {{ don_vi }}" if "don_vi" not in body else "")
    d.add_paragraph(body)
    d.save(path)
    return path


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_template_cannot_reach_python_internals(tmp_path, payload):
    entry = _user_template_entry()
    from jinja2.exceptions import SecurityError, TemplateError

    from pipeline import render

    refusals = (SecurityError, TemplateError, ValueError, getattr(render, "RenderError", ValueError))
    out = tmp_path / "cong-van"
    out.mkdir()
    template = _docx_template(tmp_path / "mau-cua-toi.docx", payload)
    try:
        if entry is not None:
            result = entry(template, {"don_vi": "Công an xã"})
        else:
            from pipeline.render import draft_letters

            draft_letters([registered(1, "Công an xã")], out, AS_OF, template=template)
            result = None
    except refusals as exc:  # refused: the expected outcome, one line for the officer
        assert "Traceback" not in str(exc) and "\n" not in str(exc).strip()
        return
    rendered = _all_text(out, result)
    assert "<class" not in rendered and "uid=" not in rendered and "TemplateReference" not in rendered, rendered[:300]
    assert "root:" not in rendered and "'etc'" not in rendered, rendered[:300]


def _all_text(out: Path, result) -> str:
    import docx

    texts = [str(result or "")]
    for f in _files_under(out):
        if f.suffix == ".docx":
            texts += [p.text for p in docx.Document(str(f)).paragraphs]
    return "\n".join(texts)


# ---------------------------------------------------------------- spreadsheets do not run formulas
def _hostile_tasks() -> list[RegisteredTask]:
    return [registered(i, unit, action=f, doc_number=f) for i, (unit, f) in
            enumerate(zip(FORMULAS, FORMULAS[::-1]), 1)]


def test_csv_cells_never_start_a_formula(tmp_path):
    from pipeline.export import write

    path = write(_hostile_tasks(), "csv", tmp_path / "nhiemvu.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [c for row in rows[1:] for c in row]
    assert cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    text = "\n".join(cells)
    for f in FORMULAS:  # neutralised, not dropped: the officer still sees what the notice said
        assert f.strip() in text


def test_xlsx_cells_are_text_not_formulas(tmp_path):
    from openpyxl import load_workbook
    from pipeline.export import write

    path = write(_hostile_tasks(), "xlsx", tmp_path / "nhiemvu.xlsx")
    wb = load_workbook(path)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and "SUM(A1:A2)" in cell.value:
                    seen += 1
    assert seen, "the hostile text did not reach the workbook"
