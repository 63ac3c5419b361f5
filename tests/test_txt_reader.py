"""The text reader: the encodings offices save .txt in, and awkward paths."""
import unicodedata

import pytest

from extractors.errors import CorruptFile
from extractors.readers import read

NOTICE = ("ỦY BAN NHÂN DÂN\nXÃ HÒA BÌNH\n\nTHÔNG BÁO\nKết luận của Chủ tịch UBND xã\n\n"
          "1. Giao Phòng Văn hóa - Xã hội chủ trì, phối hợp với Trạm Y tế xã\n"
          "tuyên truyền phòng, chống sốt xuất huyết; hoàn thành trước ngày 20/4/2026.\n"
          "2. Công an xã bảo đảm an ninh, trật tự trong dịp lễ.\n")


def texts(path):
    return [p.text for p in read(path).elements]


# A heading in capitals closes its block: the type name and the trích yếu are two paragraphs.
EXPECTED = ["ỦY BAN NHÂN DÂN\nXÃ HÒA BÌNH", "THÔNG BÁO", "Kết luận của Chủ tịch UBND xã",
            "1. Giao Phòng Văn hóa - Xã hội chủ trì, phối hợp với Trạm Y tế xã\n"
            "tuyên truyền phòng, chống sốt xuất huyết; hoàn thành trước ngày 20/4/2026.",
            "2. Công an xã bảo đảm an ninh, trật tự trong dịp lễ."]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_encodings(tmp_path, encoding):
    path = tmp_path / f"tb {encoding}.txt"
    path.write_bytes(NOTICE.replace("\n", "\r\n").encode(encoding))
    assert texts(path) == EXPECTED


def test_windows_1258(tmp_path):
    # cp1258 keeps tone marks as combining characters after the vowel: decode, then NFC
    data = bytearray()
    for ch in NOTICE:
        try:
            data += ch.encode("cp1258")
        except UnicodeEncodeError:  # hatted vowel precomposed, tone as a combining mark
            parts = unicodedata.normalize("NFD", ch)
            tones = [c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323"]
            stem = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            data += (stem + "".join(tones)).encode("cp1258")
    path = tmp_path / "tb-1258.txt"
    path.write_bytes(bytes(data))
    assert texts(path) == EXPECTED


def test_nfd_text_comes_out_nfc(tmp_path):
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", NOTICE), encoding="utf-8")
    assert texts(path) == EXPECTED


def test_vietnamese_path_with_spaces(tmp_path):
    folder = tmp_path / "Văn bản đến" / "tháng 3"
    folder.mkdir(parents=True)
    path = folder / "Thông báo kết luận số 15.txt"
    path.write_text(NOTICE, encoding="utf-8")
    doc = read(path)
    assert doc.source == str(path) and doc.format == "txt"
    assert [p.text for p in doc.elements] == EXPECTED


def test_binary_content_is_refused(tmp_path):
    path = tmp_path / "nhị phân.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(CorruptFile):
        read(path)


def test_tcvn3_text_saved_as_txt_is_repaired(tmp_path):
    from extractors.legacy import encode

    path = tmp_path / "cu.txt"
    path.write_text(encode("Giao Phòng Kinh tế chủ trì thực hiện.", "tcvn3") + "\n\nMeeting notes, café.\n", encoding="utf-8")
    doc = read(path)
    assert [p.text for p in doc.elements] == ["Giao Phòng Kinh tế chủ trì thực hiện.", "Meeting notes, café."]
    assert doc.encoding_repairs == ["tcvn3:1"]


def test_one_line_per_paragraph_without_blank_lines(tmp_path):
    path = tmp_path / "dan.txt"
    path.write_text("II. NHIỆM VỤ\nGiao Phòng Kinh tế rà soát diện tích lúa.\nGiao Công an xã tuần tra ban đêm;\n"
                    "phối hợp với Ban Chỉ huy quân sự xã\nbảo đảm an ninh.\n", encoding="utf-8")
    assert texts(path) == ["II. NHIỆM VỤ", "Giao Phòng Kinh tế rà soát diện tích lúa.",
                           "Giao Công an xã tuần tra ban đêm;\nphối hợp với Ban Chỉ huy quân sự xã\nbảo đảm an ninh."]


STACKED = """|
**ỦY BAN NHÂN
DÂN**
XÃ HÒA BÌNH
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
|
|
Số: 21/KH-UBND
|
*Hòa Bình, ngày 03 tháng 3 năm 2026*
|

Kế hoạch triển khai công tác
vệ sinh môi trường.

|
**STT**
|
**Nội dung**
|
**Đơn vị chủ trì**
|
|
1
|
Tổ chức ra quân dọn vệ sinh
các tuyến đường thôn.
|
Đoàn Thanh niên xã
|
"""


def test_stacked_pipe_tables_from_legal_sites(tmp_path):
    p = tmp_path / "kh.md"
    p.write_text(STACKED, encoding="utf-8")
    doc = read(p)
    kinds = [e.kind for e in doc.elements]
    assert kinds == ["table", "paragraph", "table"]
    header, prose, tasks = doc.elements
    assert header.rows[0][0] == "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH"
    assert header.rows[1] == ["Số: 21/KH-UBND", "Hòa Bình, ngày 03 tháng 3 năm 2026"]
    assert "vệ sinh môi trường" in prose.text
    assert tasks.rows[0] == ["STT", "Nội dung", "Đơn vị chủ trì"]
    assert tasks.rows[1] == ["1", "Tổ chức ra quân dọn vệ sinh các tuyến đường thôn.", "Đoàn Thanh niên xã"]


def test_markdown_framed_table_is_a_table(tmp_path):
    p = tmp_path / "cv.md"
    p.write_text("|\n| ỦY BAN NHÂN DÂN HUYỆN AN LẠC | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n"
                 "| Số: 5/UBND-VP | An Lạc, ngày 2 tháng 4 năm 2026 |\n\nKính gửi: Phòng Nội vụ.\n", encoding="utf-8")
    doc = read(p)
    assert doc.elements[0].kind == "table"
    assert doc.elements[0].rows == [["ỦY BAN NHÂN DÂN HUYỆN AN LẠC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                                    ["Số: 5/UBND-VP", "An Lạc, ngày 2 tháng 4 năm 2026"]]
    assert doc.elements[1].text == "Kính gửi: Phòng Nội vụ."


def test_stacked_table_on_a_page_without_blank_lines(tmp_path):
    # a web capture keeps no blank lines: the table ends where prose runs on with no further "|"
    prose = [f"Dòng văn bản thứ {i} của thông báo," for i in range(30)]
    text = "\n".join(["|", "Số: 7/TB-UBND", "|", "Xã An Phú, ngày 2/3/2026", "|"] + prose + ["(1) Giao Phòng Văn hóa - Xã hội rà soát.",
                                                                                            "(2) Giao Công an xã tuần tra."])
    p = tmp_path / "web.md"
    p.write_text(text, encoding="utf-8")
    doc = read(p)
    assert doc.elements[0].kind == "table"
    assert doc.elements[0].rows == [["Số: 7/TB-UBND", "Xã An Phú, ngày 2/3/2026"]]
    assert [e.text for e in doc.elements[-2:]] == ["(1) Giao Phòng Văn hóa - Xã hội rà soát.", "(2) Giao Công an xã tuần tra."]
