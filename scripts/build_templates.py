"""Build the letter templates in templates/ with python-docx (run: python scripts/build_templates.py).

The templates carry docxtpl (Jinja) tags; their layout follows Nghị định 30/2020/NĐ-CP,
Phụ lục I: A4, margins 20/20/30/15 mm, Times New Roman, a two-column borderless header
(issuing body | Quốc hiệu, Tiêu ngữ), short rules under the body's name and the motto,
place and date in italics, body 14 pt justified with a 1.27 cm first-line indent, Nơi
nhận 12/11 pt and the signature block. The .docx files are committed; rebuild after a change.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "templates"
FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


# ---------------------------------------------------------------- page and paragraphs
def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    return doc


def para(container, text: str = "", size: float = 14, bold: bool = False, italic: bool = False,
         align=CENTER, indent: bool = False, after: float = 0, before: float = 0):
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        run = p.add_run(text)
        run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
        run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return p


def tag(container, text: str):
    """A paragraph holding only a docxtpl {%p ... %} tag (docxtpl removes the paragraph)."""
    return para(container, text, size=2)


def rule(container, width_cm: float, column_cm: float):
    """A short solid rule: an empty paragraph with a bottom border, indented to its width."""
    p = para(container, size=2)
    side = max((column_cm - width_cm) / 2, 0)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(side)
    pPr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    pPr.append(borders)
    run = p.add_run()
    run.font.size = Pt(2)
    return p


def _clear_first_paragraph(cell):
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)


def layout_table(doc, widths_cm: list[float]):
    table = doc.add_table(rows=1, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_widths(table, widths_cm)
    return table


def _set_widths(table, widths_cm: list[float]):
    # LibreOffice reads the grid (w:gridCol), Word the cells (w:tcW): set both.
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


# ---------------------------------------------------------------- the header (ô 1-5)
LEFT_CM, RIGHT_CM = 6.3, 10.2


def header(doc, subject: bool, type_name: str | None = None):
    table = layout_table(doc, [LEFT_CM, RIGHT_CM])
    left, right = table.rows[0].cells
    _clear_first_paragraph(left)
    _clear_first_paragraph(right)
    tag(left, "{%p for line in sender.parent_lines %}")
    para(left, "{{ line }}", size=12)
    tag(left, "{%p endfor %}")
    tag(left, "{%p for line in sender.issuer_lines %}")
    para(left, "{{ line }}", size=12, bold=True)
    tag(left, "{%p endfor %}")
    rule(left, 2.2, LEFT_CM)
    para(left, "Số: {{ number }}", size=13, before=6)
    if subject:
        para(left, "{{ subject }}", size=12, before=6)
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    rule(right, 5.6, RIGHT_CM)
    para(right, "{{ place_date }}", size=13, italic=True, before=8)
    if type_name:
        para(doc, type_name, size=14, bold=True, before=18)
        para(doc, "{{ title }}", size=14, bold=True)
        rule(doc, 4.0, 16.5)


def recipients(doc):
    tag(doc, "{%p if recipients|length == 1 %}")
    para(doc, "Kính gửi: {{ recipients[0] }}", size=14, before=12, after=6)
    tag(doc, "{%p else %}")
    para(doc, "Kính gửi:", size=14, before=12)
    tag(doc, "{%p for r in recipients %}")
    p = para(doc, "- {{ r }}{{ '.' if loop.last else ';' }}", size=14, align=LEFT)
    p.paragraph_format.left_indent = Cm(4.5)
    tag(doc, "{%p endfor %}")
    para(doc, "", size=6)
    tag(doc, "{%p endif %}")


def body_paragraphs(doc, name: str):
    tag(doc, "{%p for text in " + name + " %}")
    para(doc, "{{ text }}", size=14, align=JUSTIFY, indent=True, after=6)
    tag(doc, "{%p endfor %}")


# ---------------------------------------------------------------- tables
def grid(doc, headers: list[str], cells: list[str], widths_cm: list[float], size: float = 12):
    """A bordered table: a header row, then one row repeated per item by docxtpl {%tr %}."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_widths(table, widths_cm)
    for cell, text in zip(table.rows[0].cells, headers):
        _cell_text(cell, text, size, bold=True, align=CENTER)
    _cell_text(table.rows[1].cells[0], "{%tr for r in rows %}", size)
    for k, (cell, text) in enumerate(zip(table.rows[2].cells, cells)):
        _cell_text(cell, text, size, align=LEFT if k == 1 or (len(cells) == 5 and k in (2, 4)) else CENTER)
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}", size)
    _repeat_header(table.rows[0])
    return table


def _cell_text(cell, text: str, size: float, bold: bool = False, align=CENTER):
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(2)
    run = p.add_run(text)
    run.font.name, run.font.size, run.bold = FONT, Pt(size), bold


def _repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trPr.append(flag)


# ---------------------------------------------------------------- footer (ô 7-9b)
def footer(doc):
    table = layout_table(doc, [8.0, 8.5])
    left, right = table.rows[0].cells
    _clear_first_paragraph(left)
    _clear_first_paragraph(right)
    para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT, before=12)
    tag(left, "{%p for item in cc %}")
    para(left, "- {{ item }}{{ '.' if loop.last else ';' }}", size=11, align=LEFT)
    tag(left, "{%p endfor %}")
    para(right, "{{ sender.authority_line }}", size=14, bold=True, before=12)
    para(right, "{{ sender.signer_title }}", size=14, bold=True)
    for _ in range(4):
        para(right, "", size=14)
    para(right, "{{ sender.signer }}", size=14, bold=True)


# ---------------------------------------------------------------- the three letters
LETTER_WIDTHS = [1.2, 6.9, 3.2, 2.6, 2.6]  # STT | Nội dung | Văn bản giao | Thời hạn | Tình trạng = 16.5 cm


def task_grid(doc):
    """Rows grouped by notice (and by unit in a letter to several units): a group may open with a bold unit
    row; the "Văn bản giao" cell is merged down the rows of its notice."""
    size = 12
    table = doc.add_table(rows=9, cols=len(LETTER_WIDTHS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_widths(table, LETTER_WIDTHS)
    for cell, text in zip(table.rows[0].cells, ["STT", "Nội dung nhiệm vụ", "Văn bản giao", "Thời hạn",
                                                "Tình trạng"]):
        _cell_text(cell, text, size, bold=True)
    _cell_text(table.rows[1].cells[0], "{%tr for g in groups %}", size)
    _cell_text(table.rows[2].cells[0], "{%tr if g.heading %}", size)
    _cell_text(table.rows[3].cells[0], "{{ g.heading_stt }}", size, bold=True)
    heading = table.rows[3].cells[1].merge(table.rows[3].cells[4])
    _cell_text(heading, "{{ g.heading }}", size, bold=True, align=LEFT)
    _cell_text(table.rows[4].cells[0], "{%tr endif %}", size)
    _cell_text(table.rows[5].cells[0], "{%tr for r in g.rows %}", size)
    for k, text in enumerate(["{{ r.stt }}", "{{ r.action }}", "{% vm %}{{ g.notice }}", "{{ r.due }}",
                              "{{ r.status }}"]):
        _cell_text(table.rows[6].cells[k], text, size, align=LEFT if k in (1, 2) else CENTER)
    _cell_text(table.rows[7].cells[0], "{%tr endfor %}", size)
    _cell_text(table.rows[8].cells[0], "{%tr endfor %}", size)
    _repeat_header(table.rows[0])
    return table


def cong_van_don_doc(combined: bool) -> Document:
    doc = new_document()
    header(doc, subject=True)
    recipients(doc)
    body_paragraphs(doc, "opening")
    task_grid(doc)
    para(doc, "", size=6)
    body_paragraphs(doc, "closing")
    footer(doc)
    return doc


REPORT_WIDTHS = [1.1, 3.7, 1.3, 1.7, 1.7, 1.7, 1.7, 1.8, 1.8]  # 16.5 cm


def bao_cao_tong_hop() -> Document:
    doc = new_document()
    header(doc, subject=False, type_name="BÁO CÁO")
    recipients(doc)
    body_paragraphs(doc, "opening")
    para(doc, "1. Kết quả thực hiện nhiệm vụ theo đơn vị", size=14, bold=True, align=JUSTIFY,
         indent=True, after=6)
    grid(doc, ["STT", "Đơn vị chủ trì", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
               "Chưa hoàn thành trong hạn", "Chưa hoàn thành quá hạn", "Tỷ lệ đúng hạn (%)", "Tỷ lệ quá hạn (%)"],
         ["{{ r.stt }}", "{{ r.unit }}", "{{ r.total }}", "{{ r.done_on_time }}", "{{ r.done_late }}",
          "{{ r.open_on_time }}", "{{ r.open_late }}", "{{ r.on_time_ratio }}", "{{ r.late_ratio }}"],
         REPORT_WIDTHS, size=10)
    body_paragraphs(doc, "notes")
    para(doc, "", size=6)
    para(doc, "2. Nhiệm vụ chưa hoàn thành quá hạn", size=14, bold=True, align=JUSTIFY, indent=True, after=6)
    table = grid(doc, ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Văn bản giao"],
                 ["{{ r.stt }}", "{{ r.action }}", "{{ r.unit }}", "{{ r.due }}", "{{ r.notice }}"],
                 [1.2, 6.4, 3.4, 2.3, 3.2], size=11)
    # The overdue table loops over `overdue`, not `rows`.
    for cell in table.rows[1].cells[:1]:
        cell.paragraphs[0].runs[0].text = "{%tr for r in overdue %}"
    para(doc, "", size=6)
    para(doc, "3. Đánh giá, đề xuất", size=14, bold=True, align=JUSTIFY, indent=True, after=6)
    body_paragraphs(doc, "closing")
    footer(doc)
    return doc


def main() -> None:
    cong_van_don_doc(combined=False).save(OUT / "cong_van_don_doc.docx")
    cong_van_don_doc(combined=True).save(OUT / "cong_van_don_doc_nhieu_don_vi.docx")
    bao_cao_tong_hop().save(OUT / "bao_cao_tong_hop.docx")
    print(f"Đã tạo mẫu trong {OUT}")


if __name__ == "__main__":
    main()
