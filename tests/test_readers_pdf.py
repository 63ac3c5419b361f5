"""The PDF reader on real PDFs set with reportlab (justified paragraphs, page breaks, ruled tables)."""
import shutil
import subprocess

import pytest

from extractors.models import RawParagraph, RawTable
from extractors.readers import read
from tests.builders import build_notice_docx, build_notice_pdf

LONG = ("Giao Phòng Kinh tế chủ trì, phối hợp với Công an xã, Ban Chỉ huy Quân sự xã và các thôn kiểm tra, "
        "rà soát toàn bộ diện tích đất công do Ủy ban nhân dân xã quản lý; lập danh sách các trường hợp lấn, "
        "chiếm, sử dụng đất sai mục đích, đề xuất biện pháp xử lý theo quy định của pháp luật về đất đai; "
        "tổng hợp kết quả báo cáo Chủ tịch Ủy ban nhân dân xã trước ngày 15/5/2026.")


def paragraphs(doc):
    return [e for e in doc.elements if isinstance(e, RawParagraph)]


def test_wrapped_justified_paragraphs_come_back_whole(tmp_path):
    texts = ["THÔNG BÁO", LONG, "1. Phòng Văn hóa - Xã hội tuyên truyền, vận động Nhân dân tham gia bảo hiểm y tế "
             "hộ gia đình, bảo đảm tỷ lệ bao phủ đạt chỉ tiêu được giao.", "- Thời hạn: thường xuyên."]
    doc = read(build_notice_pdf(tmp_path / "tb.pdf", texts))
    assert doc.format == "pdf" and doc.pages == 1
    assert [p.text for p in paragraphs(doc)] == texts
    assert all(p.page == 1 for p in paragraphs(doc))
    assert all(p.label is None for p in paragraphs(doc))  # numbering stays in the text


def test_paragraph_crossing_a_page_is_one_and_page_numbers_dropped(tmp_path):
    texts = [f"{i}. {LONG}" for i in range(1, 9)]
    doc = read(build_notice_pdf(tmp_path / "dai.pdf", texts, running_header="Thông báo số 15/TB-UBND"))
    assert doc.pages >= 2
    got = [p.text for p in paragraphs(doc)]
    assert got == texts  # no page number, no running header, no paragraph cut at the page end
    assert paragraphs(doc)[-1].page == doc.pages


@pytest.mark.parametrize("repeat_header", [False, True])
def test_ruled_table_across_a_page_break_is_one_table(tmp_path, repeat_header):
    header = ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"]
    rows = [header] + [[str(i), f"Kiểm tra, rà soát hồ sơ đất đai tại thôn {i}", "Phòng Kinh tế",
                        "Công an xã", "Quý III/2026"] for i in range(1, 46)]
    doc = read(build_notice_pdf(tmp_path / "phu luc.pdf", ["PHỤ LỤC", "Danh mục nhiệm vụ"], tables=[rows],
                                repeat_header=repeat_header))
    tables = [e for e in doc.elements if isinstance(e, RawTable)]
    assert doc.pages >= 2
    assert len(tables) == 1
    assert tables[0].rows[0] == header
    assert len(tables[0].rows) == 46
    assert tables[0].rows[-1] == ["45", "Kiểm tra, rà soát hồ sơ đất đai tại thôn 45", "Phòng Kinh tế",
                                  "Công an xã", "Quý III/2026"]
    assert [p.text for p in paragraphs(doc)] == ["PHỤ LỤC", "Danh mục nhiệm vụ"]


def test_diacritics_survive(tmp_path):
    text = "Đắk Lắk, Quảng Ngãi, Thừa Thiên Huế, Bà Rịa - Vũng Tàu: ủy ban, ưu tiên, hướng dẫn, khuyến khích."
    (p,) = paragraphs(read(build_notice_pdf(tmp_path / "dau.pdf", [text], page_numbers=False)))
    assert p.text == text


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_word_notice_printed_to_pdf_by_libreoffice_reads_like_the_docx(tmp_path):
    """The same notice as .docx and as the PDF LibreOffice prints from it: same paragraphs,
    Word's list numbers found in the PDF text exactly as the .docx reader draws them."""
    source = build_notice_docx(tmp_path / "kh.docx", [
        ("center", "KẾ HOẠCH"),
        ("center", "Triển khai công tác phòng, chống thiên tai năm 2026"),
        ("heading", "MỤC ĐÍCH, YÊU CẦU"),
        ("number", "Chủ động phòng ngừa, ứng phó kịp thời, hiệu quả với các loại hình thiên tai, giảm thiểu "
                   "thiệt hại về người và tài sản của Nhân dân trên địa bàn xã."),
        ("heading", "NHIỆM VỤ CỤ THỂ"),
        ("number", "Ban Chỉ huy Quân sự xã chủ trì xây dựng phương án sơ tán dân tại các khu vực xung yếu."),
        ("letter", "Hoàn thành trước ngày 30/5/2026."),
        ("letter", "Tổ chức diễn tập tại thôn Đông."),
        ("number", "Trạm Y tế xã chuẩn bị cơ số thuốc, hóa chất xử lý môi trường sau thiên tai."),
    ])
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=120, check=True)
    from_docx = [f"{p.label} {p.text}" if p.label else p.text for p in paragraphs(read(source))]
    from_pdf = [p.text for p in paragraphs(read(tmp_path / "kh.pdf"))]
    body = from_docx[from_docx.index("KẾ HOẠCH"):]
    assert from_pdf[-len(body):] == body
    assert "II. NHIỆM VỤ CỤ THỂ" in from_pdf and "b) Tổ chức diễn tập tại thôn Đông." in from_pdf
    header_lines = [line for text in from_pdf[:6] for line in text.split("\n")]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header_lines and "Độc lập - Tự do - Hạnh phúc" in header_lines
    assert "ỦY BAN NHÂN DÂN\nXÃ AN PHÚ" in from_pdf


def test_legacy_text_layer_is_repaired(tmp_path):
    from extractors.legacy import encode

    # a PDF printed from a .VnTime document keeps the TCVN3 codes in its text layer
    unicode_text = ("Ủy ban nhân dân xã giao Công an xã chủ trì, phối hợp với Ban Chỉ huy Quân sự xã "
                    "bảo đảm an ninh trật tự, an toàn giao thông trên địa bàn trong dịp Tết Nguyên đán.")
    doc = read(build_notice_pdf(tmp_path / "cu.pdf", [encode(unicode_text, "tcvn3"), LONG], page_numbers=False))
    assert [p.text.lower() for p in paragraphs(doc)] == [unicode_text.lower(), LONG.lower()]
    assert doc.encoding_repairs == ["tcvn3:1"]


def test_fallback_glyphs_drawn_late_are_put_back_in_place(tmp_path):
    """Word/LibreOffice draw letters the main font lacks (Ộ, Ủ, Ệ) from a fallback font after
    the rest of the line; the text must still read in order."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    from tests.builders import _register_font

    font = _register_font()
    path = tmp_path / "du phong.pdf"
    page = canvas.Canvas(str(path))
    page.setFont(font, 12)
    line = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    late = set("ỘỦỆ")
    x0, y = 100, 700
    for pass_late in (False, True):  # first every other letter, then the "fallback" ones
        for i, char in enumerate(line):
            if (char in late) == pass_late and char != " ":
                page.drawString(x0 + stringWidth(line[:i], font, 12), y, char)
    page.drawString(x0, y - 30, "Độc lập - Tự do - Hạnh phúc")
    page.showPage()
    page.save()
    text = " ".join(p.text for p in paragraphs(read(path)))
    assert text == f"{line} Độc lập - Tự do - Hạnh phúc"


def test_merged_table_cells_repeat_their_text_like_the_docx_reader(tmp_path):
    from reportlab.lib import colors
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from tests.builders import _register_font

    font = _register_font()
    table = Table([["STT", "Nội dung", "Đơn vị chủ trì", "Thời hạn"],
                   ["1", "Rà soát hồ sơ đất công", "Phòng Kinh tế", "Quý II/2026"],
                   ["2", "Lập phương án xử lý", "Công an xã", ""],
                   ["Các thôn, tổ dân phố phối hợp thực hiện", "", "", ""]])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), font),
                               ("SPAN", (3, 1), (3, 2)), ("SPAN", (0, 3), (3, 3))]))
    path = tmp_path / "gop o.pdf"
    SimpleDocTemplate(str(path)).build([table])
    (tbl,) = [e for e in read(path).elements if isinstance(e, RawTable)]
    assert tbl.rows[2] == ["2", "Lập phương án xử lý", "Công an xã", "Quý II/2026"]
    assert tbl.rows[3] == ["Các thôn, tổ dân phố phối hợp thực hiện"] * 4


def test_header_columns_on_one_baseline_are_kept_apart(tmp_path):
    from reportlab.pdfgen import canvas

    from tests.builders import _register_font

    font = _register_font()
    path = tmp_path / "hai cot.pdf"
    page = canvas.Canvas(str(path))
    page.setFont(font, 12)
    for y, left, right in ((780, "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                           (764, "XÃ AN PHÚ", "Độc lập - Tự do - Hạnh phúc"),
                           (740, "Số: 15/TB-UBND", "An Phú, ngày 05 tháng 3 năm 2026")):
        page.drawCentredString(140, y, left)
        page.drawCentredString(400, y, right)
    page.showPage()
    page.save()
    lines = [line for p in paragraphs(read(path)) for line in p.text.split("\n")]
    for text in ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "XÃ AN PHÚ", "Độc lập - Tự do - Hạnh phúc",
                 "Số: 15/TB-UBND", "An Phú, ngày 05 tháng 3 năm 2026"):
        assert text in lines


def _tables_both_ways(path):
    """(rows found from pdfium's rulings and text, rows found by pdfplumber parsing the whole page)."""
    import pypdfium2 as pdfium

    from extractors.readers import pdf as reader

    document = pdfium.PdfDocument(str(path))
    try:
        ruled = [i for i in range(len(document)) if reader._has_ruling(document[i])]
        ours, in_forms = reader._ruled_tables(document, ruled)
    finally:
        document.close()
    assert ruled and not in_forms
    return [t.rows for t in ours], [t.rows for t in reader._find_tables(path, ruled)]


def test_table_grid_from_pdfium_reads_as_pdfplumber_reads_it(tmp_path):
    """Merged cells, a wrapped cell and a table across a page break, set with reportlab."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from tests.builders import _register_font

    font = _register_font()
    wrapped = ParagraphStyle("o", fontName=font, fontSize=10, leading=12)
    rows = [["STT", "Nội dung", "Đơn vị chủ trì", "Thời hạn"]]
    rows += [[str(k), Paragraph(f"Kiểm tra, rà soát hồ sơ đất đai và công trình xây dựng trái phép tại thôn {k}",
                                wrapped), "Phòng Kinh tế", f"{k % 28 + 1:02d}/8/2026"] for k in range(1, 40)]
    table = Table(rows, colWidths=[30, 250, 100, 70])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), font),
                               ("SPAN", (2, 1), (2, 3))]))
    path = tmp_path / "bang.pdf"
    SimpleDocTemplate(str(path)).build([table])
    ours, theirs = _tables_both_ways(path)
    assert ours == theirs and len(ours) == 2 and ours[0][1][0] == "1"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_word_table_printed_by_libreoffice_reads_as_pdfplumber_reads_it(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("PHỤ LỤC NHIỆM VỤ")
    rows = [("STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"),
            ("1", "Ổn định tổ chức, kiện toàn Ban Chỉ đạo", "Văn phòng HĐND và UBND", "Các thôn", "Quý I/2026"),
            ("2", "Ủy quyền ký hồ sơ; Ộp ẹp thử dấu", "Phòng Văn hóa - Xã hội", "", "trước ngày\n15 hằng tháng")]
    table = document.add_table(rows=len(rows), cols=5)
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    source = tmp_path / "phu-luc.docx"
    document.save(source)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=120, check=True)
    ours, theirs = _tables_both_ways(tmp_path / "phu-luc.pdf")
    assert ours == theirs
    assert ours[0][2][1] == "Ủy quyền ký hồ sơ; Ộp ẹp thử dấu" and ours[0][2][4] == "trước ngày\n15 hằng tháng"
