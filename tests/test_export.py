"""Exports read back with real tools: csv module, openpyxl, and LibreOffice Calc when installed."""
import csv
import datetime as dt
import json
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from extractors.models import Deadline, NoticeRef, RegisteredTask, Task
from pipeline.export import COLUMNS, SUMMARY_SHEET, json_record, sheet_name, write_csv, write_json, write_xlsx
from pipeline.status import OPEN_LATE, OPEN_ON_TIME, DONE_ON_TIME

D = dt.date
NOTICE = NoticeRef(id=1, source="van-ban/tb-15.txt", content_hash="h", doc_type="TB", doc_number="15/TB-UBND",
                   doc_date=D(2026, 7, 1), issuer="Ủy ban nhân dân xã Tân Lập", signer="Trần Văn Bình")


def rt(tid, unit, action, due=None, status=OPEN_ON_TIME, completed=None, recurrence=None):
    deadline = Deadline(due=due, recurrence=recurrence, phrase="trước ngày") if due or recurrence else None
    task = Task(source="van-ban/tb-15.txt", assignee=unit, action=action, deadline=deadline,
                co_assignees=["Công an xã"], block_path="II.2", span=(10, 80))
    return RegisteredTask(id=tid, task=task, notice=NOTICE, status=status, completed_on=completed)


TASKS = [
    rt("T-aaa111", "Phòng Văn hóa - Xã hội", "Tổng hợp danh sách hộ nghèo, hộ cận nghèo năm 2026", D(2026, 8, 15)),
    rt("T-bbb222", "Phòng Kinh tế", "Rà soát diện tích đất nông nghiệp bỏ hoang", D(2026, 7, 20), OPEN_LATE),
    rt("T-ccc333", "Phòng Kinh tế", "=HYPERLINK(\"http://x\";\"bấm\") kiểm tra", None, DONE_ON_TIME, D(2026, 7, 2)),
    rt("T-ddd444", "Ban Chỉ huy Quân sự xã: tổ [1]/khu *A*", "Báo cáo công tác tuyển quân hằng tháng",
       recurrence="monthly"),
]


def test_csv_bom_headers_and_formula_neutralised(tmp_path):
    path = write_csv(TASKS, tmp_path / "nv.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [h for _, h in COLUMNS]
    assert rows[1][3] == "Phòng Văn hóa - Xã hội" and rows[1][5] == "15/08/2026"
    assert rows[3][2].startswith("'=HYPERLINK")
    assert rows[4][6] == "hằng tháng"
    keyed = list(csv.reader(write_csv(TASKS, tmp_path / "k.csv", keys=True).read_text("utf-8-sig").splitlines()))
    assert keyed[0][:4] == ["stt", "id", "action", "assignee"]


def test_json_has_scorer_keys_and_register_fields(tmp_path):
    data = json.loads(write_json(TASKS, tmp_path / "nv.json").read_text(encoding="utf-8"))
    first = data[0]
    for key in ("source", "assignee", "co_assignees", "action", "deadline", "recurrence", "doc_type",
                "doc_number", "doc_date", "issuer", "signer", "id", "status", "completed_on", "provenance"):
        assert key in first
    assert first["source"] == "van-ban/tb-15.txt" and first["deadline"] == "2026-08-15"
    assert first["provenance"] == {"block_path": "II.2", "span": [10, 80]}
    assert data[2]["completed_on"] == "2026-07-02" and data[3]["recurrence"] == "monthly"
    assert json_record(TASKS[0])["doc_date"] == "2026-07-01"


def test_xlsx_sheets_dates_highlight_and_summary(tmp_path):
    wb = load_workbook(write_xlsx(TASKS, tmp_path / "nv.xlsx"))
    assert wb.sheetnames[0] == SUMMARY_SHEET
    for name in wb.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert "Phòng Kinh tế" in wb.sheetnames and "Phòng Văn hóa - Xã hội" in wb.sheetnames
    ws = wb["Phòng Kinh tế"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert [c.value for c in ws[1]] == [h for _, h in COLUMNS]
    overdue, done = ws[2], ws[3]
    deadline = overdue[5]
    assert isinstance(deadline.value, dt.datetime) and deadline.value.date() == D(2026, 7, 20)
    assert deadline.number_format == "dd/mm/yyyy"
    assert overdue[0].fill.fgColor.rgb.endswith("FFC7CE")
    assert done[0].fill.fgColor.rgb in (None, "00000000")
    assert done[2].data_type == "s" and done[2].value.startswith("=HYPERLINK")  # text, not a formula
    summary = {row[0]: row[1:] for row in wb[SUMMARY_SHEET].iter_rows(min_row=2, values_only=True)}
    assert summary["Phòng Kinh tế"] == (1, 0, 0, 1, 2)
    assert summary["Tổng cộng"][-1] == 4


def test_sheet_names_follow_excel_rules():
    used = set()
    long_unit = "Ban Chỉ đạo phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa"
    a, b = sheet_name(long_unit, used), sheet_name(long_unit, used)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert sheet_name("Tổ [1]: khu*A?/B\\C", used) == "Tổ -1-- khu-A--B-C"
    assert sheet_name("   ", used) == "Không rõ"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) không có trên máy")
def test_csv_opens_in_libreoffice_with_vietnamese_intact(tmp_path):
    src = write_csv(TASKS, tmp_path / "so-nhiem-vu.csv")
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
                    # headless Calc has no import dialog: name the CSV options (comma, quote, UTF-8)
                    "--infilter=CSV:44,34,76,1", "--outdir", str(tmp_path / "lo"), str(src)],
                   check=True, capture_output=True, timeout=180)
    ws = load_workbook(tmp_path / "lo" / "so-nhiem-vu.xlsx").active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][:4] == ["STT", "Mã", "Nội dung nhiệm vụ", "Đơn vị chủ trì"]
    assert values[1][3] == "Phòng Văn hóa - Xã hội"
    assert values[1][2] == "Tổng hợp danh sách hộ nghèo, hộ cận nghèo năm 2026"


def test_write_all_skips_unchanged_exports(tmp_path):
    from pipeline.export import write_all

    paths, written = write_all(TASKS, tmp_path / "out")
    assert written and [p.name for p in paths] == ["nhiemvu.csv", "nhiemvu.xlsx", "nhiemvu.json"]
    assert write_all(TASKS, tmp_path / "out") == (paths, False)
    later = [TASKS[0].model_copy(update={"status": OPEN_LATE}), *TASKS[1:]]
    assert write_all(later, tmp_path / "out")[1] is True
    paths[1].unlink()
    assert write_all(later, tmp_path / "out")[1] is True and paths[1].is_file()


def test_units_spelled_differently_share_a_sheet(tmp_path):
    variants = [rt("T-e1", "Phòng Văn hoá - Xã hội", "Kiểm tra di tích lịch sử", D(2026, 9, 1)),
                rt("T-e2", "phòng văn hóa - xã hội", "Tổ chức lễ hội truyền thống", D(2026, 9, 2))]
    wb = load_workbook(write_xlsx(variants, tmp_path / "v.xlsx"))
    assert wb.sheetnames == [SUMMARY_SHEET, "Tất cả", "Phòng Văn hoá - Xã hội"]
    assert wb["Phòng Văn hoá - Xã hội"].max_row == 3


def test_unwritable_export_is_one_line_message(tmp_path):
    from pipeline.commands_common import CommandError
    from pipeline.run_cmd import export
    from pipeline.register import Register

    with Register.open(tmp_path / "nv.db"):
        pass
    blocker = tmp_path / "la-tep"
    blocker.write_text("x")
    with pytest.raises(CommandError) as err:
        export(tmp_path / "nv.db", "csv", blocker / "nv.csv", D(2026, 9, 1), False)
    assert "không ghi được" in str(err.value) and err.value.code == 2


def test_xlsx_sheets_print_landscape_one_page_wide_with_header_repeated(tmp_path):
    wb = load_workbook(write_xlsx(TASKS, tmp_path / "nv.xlsx"))
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and setup.paperSize in (9, "9")
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert setup.fitToWidth in (None, 1, "1") and setup.fitToHeight in (0, "0")  # 1 wide is the default
        assert ws.print_title_rows == "$1:$1"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice (soffice) hoặc poppler (pdfinfo) không có trên máy")
def test_xlsx_prints_each_sheet_on_one_page_width_in_libreoffice(tmp_path):
    """16 columns are about three A4 pages wide at 100 %: printed, each short sheet must be a single page."""
    many = [rt(f"T-{i:06x}", "Phòng Kinh tế", f"Rà soát hồ sơ đất đai thôn {i}", D(2026, 8, 1)) for i in range(5)]
    src = write_xlsx(many, tmp_path / "in.xlsx")
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "lo"), str(src)], check=True, capture_output=True, timeout=180)
    info = subprocess.run(["pdfinfo", str(tmp_path / "lo" / "in.pdf")], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == len(load_workbook(src).sheetnames)  # Tổng hợp, Tất cả, Phòng Kinh tế


def test_xlsx_rows_are_tall_enough_for_their_wrapped_text(tmp_path):
    """Neither Excel nor LibreOffice grows a row for wrapped text on opening: the row heights are written."""
    long = rt("T-fff666", "Phòng Kinh tế", "Rà soát, thống kê diện tích đất nông nghiệp bỏ hoang " * 6, D(2026, 9, 1))
    ws = load_workbook(write_xlsx([TASKS[1], long], tmp_path / "cao.xlsx"))["Tất cả"]
    short_row, long_row = ws.row_dimensions[2].height, ws.row_dimensions[3].height
    assert short_row in (None, 15) and long_row >= 4 * 15  # one line: the default height, left unwritten
    assert ws.cell(3, 3).alignment.wrap_text and ws.cell(3, 1).alignment.vertical == "top"


def test_summary_wraps_long_unit_names(tmp_path):
    group = "Các phòng chuyên môn và người đứng đầu các cơ quan, đơn vị liên quan trên địa bàn xã"
    ws = load_workbook(write_xlsx([rt("T-abc999", group, "Rà soát", D(2026, 9, 1))], tmp_path / "t.xlsx"))[SUMMARY_SHEET]
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == group]
    assert ws.cell(row, 1).alignment.wrap_text and ws.row_dimensions[row].height >= 3 * 15
