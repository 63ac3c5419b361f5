"""The .docx reader on real Word files built with python-docx."""
from pathlib import Path

import pytest

from extractors import legacy
from extractors.models import RawParagraph, RawTable
from extractors.readers import read
from tests.builders import build_notice_docx


def paragraphs(doc):
    return [e for e in doc.elements if isinstance(e, RawParagraph)]


def test_header_table_then_numbered_body(tmp_path):
    path = build_notice_docx(tmp_path / "tb kết luận.docx", [
        ("center", "THÔNG BÁO"),
        ("center", "Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 3"),
        ("heading", "VỀ CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"),
        ("number", "Văn phòng HĐND và UBND xã chủ trì, phối hợp với Công an xã rà soát thủ tục hành chính."),
        ("letter", "Cập nhật danh mục thủ tục trên cổng thông tin điện tử của xã."),
        ("letter", "Niêm yết công khai tại bộ phận một cửa."),
        ("bullet", "Hoàn thành trước ngày 30/4/2026."),
        ("number", "Phòng Kinh tế hướng dẫn các thôn kê khai diện tích gieo trồng."),
        ("letter", "Tổng hợp kết quả báo cáo UBND xã."),
        ("heading", "TỔ CHỨC THỰC HIỆN"),
        ("number", "Các đơn vị triển khai thực hiện nghiêm túc."),
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, báo cáo về Văn phòng để tổng hợp.",
    ])
    doc = read(path)
    assert doc.format == "docx"
    header = doc.elements[0]
    assert isinstance(header, RawTable)
    assert header.rows[0][0].startswith("ỦY BAN NHÂN DÂN\nXÃ AN PHÚ")
    assert "Độc lập - Tự do - Hạnh phúc" in header.rows[0][1]
    labels = [(p.label, p.text[:12]) for p in paragraphs(doc)]
    assert [lab for lab, _ in labels] == [None, None, "I.", "1.", "a)", "b)", "-", "2.", "a)", "II.", "1.", None]
    title = paragraphs(doc)[0]
    assert title.align == "center" and title.text == "THÔNG BÁO"
    assert paragraphs(doc)[2].bold is True
    assert paragraphs(doc)[3].text.startswith("Văn phòng HĐND và UBND xã chủ trì")


def test_list_styles_give_labels(tmp_path):
    import docx

    document = docx.Document()
    for style, text in [("List Number", "Rà soát hồ sơ"), ("List Number", "Báo cáo kết quả"),
                        ("List Bullet", "Thôn 1"), ("List Number", "Tổng hợp")]:
        document.add_paragraph(text, style=style)
    path = tmp_path / "ds.docx"
    document.save(str(path))
    assert [(p.label, p.style) for p in paragraphs(read(path))] == [
        ("1.", "List Number"), ("2.", "List Number"), ("•", "List Bullet"), ("3.", "List Number")]


def test_task_table_with_merged_cells(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=4, cols=4)
    rows = [["STT", "Nội dung", "Chủ trì", "Thời hạn"],
            ["1", "Kiểm tra hiện trạng đất công", "Phòng Kinh tế", "Quý II/2026"],
            ["2", "Lập hồ sơ thu hồi", "", ""],
            ["Ghi chú: các thôn phối hợp", "", "", ""]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 3).merge(table.cell(2, 3))  # one deadline for two rows
    table.cell(3, 0).merge(table.cell(3, 3))  # a note across the table
    path = tmp_path / "bang.docx"
    document.save(str(path))
    (tbl,) = read(path).elements
    assert tbl.rows[0] == ["STT", "Nội dung", "Chủ trì", "Thời hạn"]
    assert tbl.rows[1][3] == "Quý II/2026"
    assert tbl.rows[2][3] == "Quý II/2026"  # vertical continuation repeats the value
    assert tbl.rows[3] == ["Ghi chú: các thôn phối hợp"] * 4  # horizontal span: once per grid column


def test_nested_table_is_flattened_into_cell(tmp_path):
    import docx

    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Đơn vị"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r, row in enumerate([["Thôn 1", "Thôn 2"], ["Trường Tiểu học", ""]]):
        for c, value in enumerate(row):
            inner.cell(r, c).text = value
    path = tmp_path / "long.docx"
    document.save(str(path))
    (tbl,) = read(path).elements
    assert tbl.rows[0][0] == "Đơn vị"
    assert "Thôn 1 | Thôn 2" in tbl.rows[0][1] and "Trường Tiểu học" in tbl.rows[0][1]


def test_legacy_font_runs_are_converted(tmp_path):
    path = build_notice_docx(tmp_path / "cu.docx", [
        ("font:.VnTime", legacy.encode("Giao Phòng Văn hóa - Xã hội chủ trì thực hiện", "tcvn3")),
        ("font:.VnTimeH", legacy.encode("kế hoạch", "tcvn3")),
        ("font:VNI-Times", legacy.encode("Ủy ban nhân dân xã đề nghị các thôn phối hợp", "vni")),
        legacy.encode("Công an xã bảo đảm an ninh trật tự", "tcvn3"),  # font lost: found by statistics
        "Văn bản Unicode giữ nguyên: café, naïve.",
    ], header=False)
    doc = read(path)
    texts = [p.text for p in paragraphs(doc)]
    assert texts == ["Giao Phòng Văn hóa - Xã hội chủ trì thực hiện", "KẾ HOẠCH",
                     "Ủy ban nhân dân xã đề nghị các thôn phối hợp", "Công an xã bảo đảm an ninh trật tự",
                     "Văn bản Unicode giữ nguyên: café, naïve."]
    assert sorted(doc.encoding_repairs) == ["tcvn3:3", "vni:1"]


def test_decomposed_unicode_comes_out_nfc(tmp_path):
    import unicodedata

    path = build_notice_docx(tmp_path / "nfd.docx", [unicodedata.normalize("NFD", "Quyết định thành lập Tổ công tác")],
                             header=False)
    (p,) = paragraphs(read(path))
    assert p.text == unicodedata.normalize("NFC", "Quyết định thành lập Tổ công tác")


def test_sample_docx_reads(tmp_path):
    samples = sorted(Path(__file__).resolve().parent.parent.joinpath("samples").glob("*.docx"))
    assert samples, "samples/*.docx are committed; regenerate them with: python scripts/make_samples.py"
    for sample in samples:
        doc = read(sample)
        assert any(isinstance(e, RawTable) for e in doc.elements)
        assert any(isinstance(e, RawParagraph) and e.label for e in doc.elements)


def _with_body_xml(path, marker: str, xml: str) -> None:
    """Replace the paragraph holding `marker` in word/document.xml by raw WordprocessingML."""
    import re
    import shutil
    import zipfile

    tmp = path.with_suffix(".tmp")
    shutil.move(path, tmp)
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                text = re.sub(rf"<w:p>(?:(?!<w:p>).)*?{marker}.*?</w:p>", xml, text, count=1, flags=re.S)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    tmp.unlink()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def test_tracked_changes_show_the_accepted_text(tmp_path):
    path = build_notice_docx(tmp_path / "sua.docx", ["MARKER"], header=False)
    _with_body_xml(path, "MARKER", (
        f'<w:p {W_NS}><w:r><w:t xml:space="preserve">Hoàn thành trước ngày </w:t></w:r>'
        '<w:del w:id="1" w:author="VP"><w:r><w:delText>15/5/2026</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="VP"><w:r><w:t>30/5/2026</w:t></w:r></w:ins>'
        '<w:moveFrom w:id="3" w:author="VP"><w:r><w:t> (cũ)</w:t></w:r></w:moveFrom>'
        '<w:r><w:t>.</w:t></w:r></w:p>'))
    assert [p.text for p in paragraphs(read(path))] == ["Hoàn thành trước ngày 30/5/2026."]


def test_text_box_is_read_once_after_its_paragraph(tmp_path):
    path = build_notice_docx(tmp_path / "hop.docx", ["MARKER", "Đoạn sau."], header=False)
    box = ('<w:txbxContent><w:p><w:r><w:t>Nơi nhận: Như trên; Lưu: VT.</w:t></w:r></w:p></w:txbxContent>')
    _with_body_xml(path, "MARKER", (
        f'<w:p {W_NS} {MC_NS}><w:r><w:t>Chủ tịch UBND xã giao nhiệm vụ.</w:t></w:r><w:r><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx xmlns:wps="http://schemas.microsoft.com/office/word/2010/'
        f'wordprocessingShape">{box}</wps:txbx></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:textbox xmlns:v="urn:schemas-microsoft-com:vml">{box}</v:textbox></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r></w:p>'))
    assert [p.text for p in paragraphs(read(path))] == [
        "Chủ tịch UBND xã giao nhiệm vụ.", "Nơi nhận: Như trên; Lưu: VT.", "Đoạn sau."]


def test_legacy_font_set_on_the_style_only(tmp_path):
    import docx

    document = docx.Document()
    document.styles["Normal"].font.name = ".VnTime"  # old files set the font once, on the style
    document.add_paragraph(legacy.encode("Trạm Y tế xã chủ trì tiêm chủng mở rộng", "tcvn3"))
    document.add_paragraph("2026")
    path = tmp_path / "kieu.docx"
    document.save(str(path))
    doc = read(path)
    assert [p.text for p in paragraphs(doc)] == ["Trạm Y tế xã chủ trì tiêm chủng mở rộng", "2026"]
    assert doc.encoding_repairs == ["tcvn3:1"]
