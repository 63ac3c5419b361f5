"""Build real notice files (.docx with python-docx, .pdf with reportlab) for tests and samples.

    build_notice_docx(path, ["Đoạn văn", ("number", "Mục có số"), ("bullet", "Gạch đầu dòng")])
    build_notice_pdf(path, ["Đoạn văn dài ...", ...])

Paragraph items are a plain string, or (kind, text) with kind one of
"heading" (I., II. from Word numbering), "number" (1., 2.), "letter" (a), b)),
"bullet" ("-"), "bold", "center", or ("font:<Font name>", text) for a run in that font.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence, Union

Item = Union[str, tuple[str, str]]

HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "XÃ AN PHÚ"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "An Phú, ngày 05 tháng 3 năm 2026"]
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# level: (numFmt, lvlText) of the multi-level list every built notice uses
LIST_LEVELS = {"heading": (0, "upperRoman", "%1."), "number": (1, "decimal", "%2."),
               "letter": (2, "lowerLetter", "%3)"), "bullet": (3, "bullet", "-")}


# ---------------------------------------------------------------- .docx
def add_list_numbering(document, levels: dict = LIST_LEVELS) -> str:
    """Add an abstract list with the given levels to numbering.xml; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}abstractNumId"))
                    for a in numbering.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}abstractNum")]
    num_ids = [int(n.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}numId"))
               for n in numbering.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")]
    abstract_id, num_id = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
    lvls = "".join(
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for ilvl, fmt, text in sorted(levels.values()))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)  # abstractNum elements must come before num elements
    else:
        numbering.append(abstract)
    numbering.append(num)
    return str(num_id)


def set_numbering(paragraph, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _no_borders(table) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    borders = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    table._tbl.tblPr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{borders}</w:tblBorders>'))


def add_header_table(document, left: Sequence[str] = HEADER_LEFT, right: Sequence[str] = HEADER_RIGHT,
                     number: str = "Số: 15/TB-UBND") -> None:
    """The two-column borderless header: issuer and number left, Quốc hiệu/Tiêu ngữ and date right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from docx.shared import Cm

    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    for column, cell, width in zip(table.columns, table.rows[0].cells, (Cm(6.5), Cm(10))):
        column.width = width  # Quốc hiệu needs the wider column
        cell.width = width
    for cell, lines in ((table.rows[0].cells[0], [*left, number]), (table.rows[0].cells[1], right)):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = paragraph.text.isupper()


def add_items(document, items: Iterable[Item], num_id: str | None = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for item in items:
        kind, text = ("", item) if isinstance(item, str) else item
        paragraph = document.add_paragraph()
        if kind.startswith("font:"):
            run = paragraph.add_run(text)
            run.font.name = kind[5:]
            continue
        run = paragraph.add_run(text)
        if kind in LIST_LEVELS:
            num_id = num_id or add_list_numbering(document)
            set_numbering(paragraph, num_id, LIST_LEVELS[kind][0])
        run.bold = kind in ("bold", "heading")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if kind == "center" else WD_ALIGN_PARAGRAPH.JUSTIFY


def build_notice_docx(path: Path, paragraphs: Sequence[Item], header: bool = True,
                      tables: Sequence[Sequence[Sequence[str]]] = ()) -> Path:
    """A real Word notice: header table, then the paragraphs (with Word numbering), then any tables."""
    import docx

    document = docx.Document()
    if header:
        add_header_table(document)
    add_items(document, paragraphs)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    path = Path(path)
    document.save(str(path))
    return path


# ---------------------------------------------------------------- .pdf
def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU))
    return "DejaVu"


def build_notice_pdf(path: Path, paragraphs: Sequence[str], tables: Sequence[Sequence[Sequence[str]]] = (),
                     encrypt: str | None = None, running_header: str | None = None,
                     page_numbers: bool = True, first_line_indent: float = 28, repeat_header: bool = False) -> Path:
    """A real PDF notice set with reportlab: justified wrapped paragraphs, ruled tables
    (split across pages with the header row repeated or not), optional running header,
    page numbers at the bottom, optional password."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=16, alignment=TA_JUSTIFY,
                          firstLineIndent=first_line_indent, spaceAfter=6)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=10, leading=12)

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 9)
        if running_header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, running_header)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 10 * mm, str(doc.page))
        canvas.restoreState()

    story = []
    for text in paragraphs:
        story.append(Paragraph(_escape(text), body))
    for rows in tables:
        data = [[Paragraph(_escape(c), cell_style) for c in row] for row in rows]
        table = Table(data, repeatRows=1 if repeat_header else 0)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.extend([Spacer(1, 8), table])
    path = Path(path)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, encrypt=encrypt)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx_with_prolog(good: Path, path: Path, prolog: bytes) -> Path:
    """A copy of a .docx whose document.xml carries `prolog` right after its XML declaration
    (DOCTYPE/ENTITY declarations, comments: what the container check must refuse)."""
    import zipfile

    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b"?>" + prolog, 1)
            dst.writestr(item, data)
    return path
