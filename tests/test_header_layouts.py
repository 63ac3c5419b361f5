"""Header and signature fields from the layouts real copies arrive in: flattened columns, markdown
tables, portal boilerplate, broken spacing, drafts with a blank number, news without a header.
Every notice here is invented; each is read from a real file through the reader, as `nhiemvu` does."""
from __future__ import annotations

import datetime as dt

import pytest

from extractors.header_lines import respace, split_items
from extractors.structure import issuer_names, qualified_issuer
from pipeline import api

BODY = ("Giao Phòng Kinh tế chủ trì rà soát diện tích đất nông nghiệp, báo cáo trước ngày 20/5/2026.\n\n"
        "Giao Trạm Y tế phối hợp tổ chức tiêm chủng mở rộng.\n\n")

# a page saved without blank lines, its sentences hard-wrapped, as legal sites' copies come
PAGE_BODY = ("Ngày 15 tháng 4 năm 2026, Thứ trưởng chủ trì cuộc họp về công tác cải cách hành chính\n"
             "của Bộ. Sau khi nghe báo cáo của các đơn vị, Thứ trưởng kết luận như sau:\n"
             + "".join(f"{k}. Nội dung thứ {k} của kết luận được nêu tại cuộc họp, các đơn vị\n"
                       "nghiên cứu, thực hiện theo chức năng, nhiệm vụ được giao.\n" for k in range(1, 12))
             + BODY.replace("\n\n", "\n"))


def _parse(tmp_path, text: str, name: str = "vb.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return api.parse(path)


def _fields(notice) -> tuple:
    return notice.doc_type, notice.doc_number, notice.doc_date, notice.issuer, notice.signer


# (layout, text, doc_type, doc_number, doc_date, issuer, signer)
LAYOUTS = [
    ("two columns flattened onto one line each",
     "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "HUYỆN TÂN PHÚ Độc lập - Tự do - Hạnh phúc\n"
     "Số: 58/UBND-VP Tân Phú, ngày 04 tháng 5 năm 2026\n"
     "V/v rà soát đất nông nghiệp\n\n"
     "Kính gửi: Phòng Kinh tế; Trạm Y tế.\n\n" + BODY +
     "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nĐinh Văn Khải\n",
     "CV", "58/UBND-VP", dt.date(2026, 5, 4), "Ủy ban nhân dân huyện Tân Phú", "Đinh Văn Khải"),
    ("a legal site's one-line cells: parent and issuer together, motto, number and date",
     "| UBND TỈNH QUẢNG HÀ SỞ TÀI CHÍNH ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
     "--------------- |\n|---|---|\n| Số: 1204/STC-QLNS V/v lập dự toán năm 2027 | Quảng Hà, ngày 21 tháng 7 năm 2026 |\n\n"
     "Kính gửi: Các sở, ban, ngành tỉnh.\n\n" + BODY +
     "| Nơi nhận: - Như trên; - Lưu: VT, QLNS. | KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Vi Thị Hạnh |\n|---|---|\n",
     "CV", "1204/STC-QLNS", dt.date(2026, 7, 21), "Sở Tài chính tỉnh Quảng Hà", "Vi Thị Hạnh"),
    ("markdown table header, signature cell with title and name on one line",
     "| ỦY BAN NHÂN DÂN TỈNH BẮC HÀ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ------- |\n"
     "|---|---|\n"
     "| Số: 301/QĐ-UBND | Bắc Hà, ngày 09 tháng 3 năm 2026 |\n\n"
     "QUYẾT ĐỊNH\n\nBan hành Kế hoạch phòng, chống thiên tai năm 2026\n\n"
     "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống thiên tai năm 2026.\n\n"
     "| Nơi nhận: - Như Điều 3; - Lưu: VT. | CHỦ TỊCH Lò Văn Thanh |\n|---|---|\n\n"
     "KẾ HOẠCH\n\nPhòng, chống thiên tai năm 2026\n\n" + BODY,
     "QĐ", "301/QĐ-UBND", dt.date(2026, 3, 9), "Ủy ban nhân dân tỉnh Bắc Hà", "Lò Văn Thanh"),
    ("cells on lines of their own between '|', names and dates hard-wrapped, bold marks",
     "|\n**ỦY BAN NHÂN\nDÂN **\nTỈNH ĐÔNG SƠN\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n"
     "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 77/KH-UBND\n|\n*Đông Sơn, ngày\n"
     "12 tháng 02 năm 2026*\n|\n\n**KẾ HOẠCH**\n\nTHỰC HIỆN CHUYỂN ĐỔI SỐ NĂM 2026\n\n" + BODY +
     "*Nơi nhận:*\n- Các sở, ngành;\n- Lưu: VT.\n|\n**TM. ỦY BAN\nNHÂN DÂN**\nKT. CHỦ TỊCH\n"
     "**PHÓ CHỦ TỊCH**\n**Mai Thị Hồng**\n|\n",
     "KH", "77/KH-UBND", dt.date(2026, 2, 12), "Ủy ban nhân dân tỉnh Đông Sơn", "Mai Thị Hồng"),
    ("a legal site's metadata block and notices above the document",
     "Bản quyền thuộc về trang tra cứu văn bản. Mọi hành vi sao chép là vi phạm.\n\n"
     "|\n|\n**Số hiệu:**\n|\n15/TB-VP\n|\n**Loại văn bản:**\n|\nThông báo\n|\n**Tình trạng:**\n|\nĐã biết\n|\n|\n"
     "**VĂN PHÒNG BỘ\nNỘI VỤ**\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n"
     "|\n|\nSố: 15/TB-VP\n|\n*Hà Nội, ngày 20\ntháng 4 năm 2026 *\n|\n**THÔNG BÁO**\nKẾT\nLUẬN CỦA THỨ TRƯỞNG\n"
     + PAGE_BODY + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n|\n**KT. CHÁNH VĂN PHÒNG**\nPHÓ CHÁNH VĂN PHÒNG\n"
     "Trịnh Quang Vinh\n|\n\nTrang chủ | Liên hệ | Điều khoản sử dụng\n",
     "TB", "15/TB-VP", dt.date(2026, 4, 20), "Văn phòng Bộ Nội vụ", "Trịnh Quang Vinh"),
    ("a draft with a blank number and day, body under a parent",
     "UBND HUYỆN YÊN LẠC\n\nPHÒNG TÀI CHÍNH - KẾ HOẠCH\n\nSố: /TB-TCKH\n\n"
     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n\n"
     "Yên Lạc, ngày tháng 6 năm 2026\n\nTHÔNG BÁO\n\nKết luận giao ban tháng 6\n\n" + BODY +
     "Nơi nhận:\n- Lưu: VT.\n\nTRƯỞNG PHÒNG\n\nHà Thị Nga\n",
     "TB", "/TB-TCKH", None, "Phòng Tài chính - Kế hoạch huyện Yên Lạc", "Hà Thị Nga"),
    ("capitals with broken spacing, signature run into the last line of Nơi nhận",
     "ỦY B AN NHÂN D Â N T HÀNH P HỐ C ẦN T HƠ ------- CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\n\nSố: 912/TB - UBND T hành phố C ần T hơ, ngày 15 tháng 7 năm 2026\n\n"
     "THÔNG BÁO\n\nKết luận của Chủ tịch UBND thành phố\n\n" + BODY +
     "Nơi nhận:\n- Như trên;\n- Lưu: VT, KT (2b). Thanh KT. CHỦ TỊ CH P HÓ CHỦ T Ị CH Trần Quố c Bả o\n",
     "TB", "912/TB-UBND", dt.date(2026, 7, 15), "Ủy ban nhân dân thành phố Cần Thơ", "Trần Quốc Bảo"),
]
TEXT_OF = {row[0]: row[1] for row in LAYOUTS}


@pytest.mark.parametrize("layout, text, doc_type, number, date, issuer, signer", LAYOUTS, ids=[r[0] for r in LAYOUTS])
def test_header_fields_from_real_layouts(tmp_path, layout, text, doc_type, number, date, issuer, signer):
    notice = _parse(tmp_path, text)
    assert _fields(notice) == (doc_type, number, date, issuer, signer)


def test_boilerplate_and_header_stay_out_of_the_body(tmp_path):
    notice = _parse(tmp_path, TEXT_OF["a legal site's metadata block and notices above the document"])
    assert notice.text.startswith("Ngày 15 tháng 4 năm 2026") and "Giao Trạm Y tế" in notice.text
    assert "Số hiệu" not in notice.text and "CỘNG HÒA" not in notice.text


def test_a_plan_issued_by_a_decision_keeps_the_decision_fields_and_the_plan_body(tmp_path):
    notice = _parse(tmp_path, TEXT_OF["markdown table header, signature cell with title and name on one line"])
    assert notice.doc_type == "QĐ" and notice.signer == "Lò Văn Thanh"
    assert "Giao Trạm Y tế" in notice.text and "Nơi nhận" not in notice.text


def test_a_news_article_without_header_has_no_document_fields(tmp_path):
    notice = _parse(tmp_path, "Sáng 12/5, đoàn công tác của huyện đã kiểm tra công tác phòng dịch tại các xã.\n\n"
                              "Qua kiểm tra, Phó Chủ tịch UBND huyện yêu cầu các xã tăng cường tuyên truyền.\n\n"
                              "Tin, ảnh: Ban biên tập\n", name="tin.txt")
    assert _fields(notice) == (None, None, None, None, None)


def test_a_prime_minister_signing_in_his_own_name_issues_the_notice(tmp_path):
    notice = _parse(tmp_path, "CHỈ THỊ\n\nVề tăng cường phòng, chống thiên tai\n\n" + BODY +
                    "| Nơi nhận: - Các Bộ, cơ quan ngang Bộ; - Lưu: VT. | THỦ TƯỚNG Lê Minh Châu |\n|---|---|\n")
    assert (notice.doc_type, notice.issuer, notice.signer) == ("CT", "Thủ tướng Chính phủ", "Lê Minh Châu")


@pytest.mark.parametrize("lines, issuer", [
    (["UBND TỈNH QUẢNG HÀ", "SỞ CÔNG THƯƠNG"], "Sở Công thương tỉnh Quảng Hà"),
    (["UBND TỈNH QUẢNG HÀ", "VĂN PHÒNG"], "Văn phòng UBND tỉnh Quảng Hà"),
    (["UBND HUYỆN LONG HỒ", "PHÒNG GIÁO DỤC & ĐÀO TẠO"], "Phòng Giáo dục và Đào tạo huyện Long Hồ"),
    (["UBND HUYỆN LONG HỒ", "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"],
     "Phòng Lao động - Thương binh và Xã hội huyện Long Hồ"),
    (["ỦY BAN NHÂN DÂN", "XÃ AN HÒA"], "Ủy ban nhân dân xã An Hòa"),
    (["ỦY BAN NHÂN", "DÂN", "TỈNH KIÊN LONG"], "Ủy ban nhân dân tỉnh Kiên Long"),
    (["VĂN PHÒNG CHÍNH", "PHỦ"], "Văn phòng Chính phủ"),
    (["UBND THÀNH PHỐ HẢI PHÒNG", "BAN QUẢN LÝ DỰ ÁN", "ĐẦU TƯ XÂY DỰNG"],
     "Ban Quản lý dự án đầu tư xây dựng thành phố Hải Phòng"),
    (["UBND XÃ PHÚ LỄ", "CÔNG AN XÃ PHÚ LỄ"], "Công an xã Phú Lễ"),
    # parent and issuer run onto one line by a flattened header
    (["UBND TỈNH QUẢNG HÀ SỞ Y TẾ"], "Sở Y tế tỉnh Quảng Hà"),
    (["UBND THÀNH PHỐ HẢI PHÒNG VĂN PHÒNG"], "Văn phòng UBND thành phố Hải Phòng"),
    (["UBND THÀNH PHỐ HẢI PHÒNG"], "UBND thành phố Hải Phòng"),  # a place may end in a head word
    (["UBND HUYỆN PHONG ĐIỀN PHÒNG NỘI VỤ"], "Phòng Nội vụ huyện Phong Điền"),
    (["UBND HUYỆN VỤ BẢN"], "UBND huyện Vụ Bản"),
    (["BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG CỤC THỦY LỢI"], "Cục Thủy lợi"),
])
def test_a_body_under_a_parent_is_named_unambiguously(lines, issuer):
    assert qualified_issuer(*issuer_names(lines)) == issuer


@pytest.mark.parametrize("broken, glued", [
    ("ỦY B AN NHÂN D Â N T ỈNH Đ ỒNG L ÂM", "ỦY BAN NHÂN DÂN TỈNH ĐỒNG LÂM"),
    ("KT. GIÁM Đ ỐC P HÓ GIÁM Đ ỐC", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC"),
    ("Ngu y ễn Thị Thu", "Nguyễn Thị Thu"),
    ("ỦY BAN NHÂN DÂN XÃ HÒA AN", "ỦY BAN NHÂN DÂN XÃ HÒA AN"),  # nothing broken: left alone
    ("Lưu: VT, TH.", "Lưu: VT, TH."),
])
def test_broken_spacing_in_capitals_is_glued(broken, glued):
    assert respace(broken) == glued


@pytest.mark.parametrize("line, items", [
    ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]),
    ("XÃ TIÊN LỮ Độc lập - Tự do - Hạnh phúc", ["XÃ TIÊN LỮ", "Độc lập - Tự do - Hạnh phúc"]),
    ("Số: 41/UBND-KT V/v đôn đốc nộp báo cáo", ["Số: 41/UBND-KT", "V/v đôn đốc nộp báo cáo"]),
    ("Số: 41/UBND-KT Tiên Lữ, ngày 2 tháng 6 năm 2026", ["Số: 41/UBND-KT", "Tiên Lữ, ngày 2 tháng 6 năm 2026"]),
    ("Tiên Lữ, ngày 2 tháng 6 năm 2026 Kính gửi: Các phòng.", ["Tiên Lữ, ngày 2 tháng 6 năm 2026", "Kính gửi: Các phòng."]),
    ("SỞ NỘI VỤ -------", ["SỞ NỘI VỤ"]),
])
def test_flattened_header_lines_split_into_items(line, items):
    assert split_items(line) == items


def test_a_portal_post_without_header_names_its_type_and_announcing_body(tmp_path):
    notice = _parse(tmp_path, "Thông báo về việc nạo vét kênh mương trên địa bàn Phường 3 năm 2026.\n\n"
                              "Để chuẩn bị mùa mưa, Ủy ban nhân dân phường 3 thị xã Hòa Bình đề nghị các tổ dân phố "
                              "rà soát các tuyến kênh cần nạo vét, gửi về Ủy ban nhân dân phường trước ngày 10/4/2026.\n\n"
                              "Ủy ban nhân dân phường 3 thông báo đến các tổ dân phố được biết, thực hiện.\n",
                    name="post.txt")
    assert (notice.doc_type, notice.issuer) == ("TB", "Ủy ban nhân dân phường 3 thị xã Hòa Bình")
    assert notice.doc_number is None and notice.signer is None


def test_a_notice_announced_in_its_opening_is_a_thong_bao_of_that_body(tmp_path):
    notice = _parse(tmp_path, "Nội dung:\n\nĐể bảo đảm vệ sinh môi trường dịp lễ, UBND xã Tân Lập thông báo:\n\n"
                              "1. Đề nghị các thôn tổ chức tổng vệ sinh trước ngày 28/4/2026.\n", name="post.txt")
    assert (notice.doc_type, notice.issuer) == ("TB", "UBND xã Tân Lập")


def test_a_reply_that_says_ve_viec_nay_has_no_subject_line(tmp_path):
    notice = _parse(tmp_path, "Trước đó, UBND tỉnh nhận được phản ánh của người dân về việc lấn chiếm vỉa hè.\n"
                              "Về việc này, UBND tỉnh yêu cầu UBND huyện Đông Hải kiểm tra, xử lý theo quy định.\n",
                    name="tin.txt")
    assert (notice.doc_type, notice.title) == (None, None)


@pytest.mark.parametrize("header, doc_type, number", [
    ("Số: 112/2026/QĐ-UBND Tân Hưng, ngày 5 tháng 1 năm 2026", "QĐ", "112/2026/QĐ-UBND"),
    ("Số: 45-TB/ĐU Tân Hưng, ngày 5 tháng 1 năm 2026", "TB", "45-TB/ĐU"),
    ("Số: 312/UBND-KT Tân Hưng, ngày 5 tháng 1 năm 2026", "CV", "312/UBND-KT"),  # no type code: a công văn
])
def test_type_from_the_number_symbol(tmp_path, header, doc_type, number):
    notice = _parse(tmp_path, "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                              "XÃ TÂN HƯNG Độc lập - Tự do - Hạnh phúc\n" + header + "\n\n" + BODY, name="vb.txt")
    assert (notice.doc_type, notice.doc_number, notice.doc_date) == (doc_type, number, dt.date(2026, 1, 5))


def test_a_party_committee_header(tmp_path):
    notice = _parse(tmp_path, "ĐẢNG BỘ HUYỆN TÂN HƯNG\n\nĐẢNG ỦY XÃ PHÚ MỸ\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\n"
                              "Số: 12-TB/ĐU\n\nPhú Mỹ, ngày 20 tháng 3 năm 2026\n\nTHÔNG BÁO\n\nKết luận của Thường trực Đảng ủy\n\n"
                              + BODY + "Nơi nhận:\n- Lưu: VP.\n\nT/M ĐẢNG ỦY\n\nBÍ THƯ\n\nTrung tá Hoàng Văn Sơn\n",
                    name="vb.txt")
    assert (notice.doc_type, notice.doc_number, notice.doc_date) == ("TB", "12-TB/ĐU", dt.date(2026, 3, 20))
    assert notice.issuer == "Đảng ủy xã Phú Mỹ" and notice.issuer_parent == "Đảng bộ huyện Tân Hưng"
    assert (notice.sign_authority, notice.signer) == ("TM.", "Hoàng Văn Sơn")  # "T/M", a rank before the name


def test_a_legal_sites_metadata_block_stands_in_for_a_missing_header(tmp_path):
    notice = _parse(tmp_path, "Số hiệu:\n\n27/CĐ-UBND\n\nLoại văn bản:\n\nCông điện\n\nNơi ban hành:\n\n"
                              "Ủy ban nhân dân tỉnh Hà Giang Mới\n\nNgười ký:\n\nLương Văn Bình\n\n"
                              "Ngày ban hành:\n\n14/09/2026\n\nTình trạng:\n\nĐã biết\n\n" + BODY, name="trang.txt")
    assert _fields(notice) == ("CĐ", "27/CĐ-UBND", dt.date(2026, 9, 14), "Ủy ban nhân dân tỉnh Hà Giang Mới",
                               "Lương Văn Bình")


def test_a_crawled_pages_title_names_type_number_and_issuer(tmp_path):
    notice = _parse(tmp_path, "Kế hoạch 88/KH-UBND năm 2026 triển khai chuyển đổi số do Ủy ban nhân dân "
                              "huyện Đông Yên ban hành\n" + BODY, name="trang.txt")
    assert _fields(notice)[:2] == ("KH", "88/KH-UBND")
    assert notice.issuer == "Ủy ban nhân dân huyện Đông Yên"


@pytest.mark.parametrize("type_lines, doc_type, title", [
    ("T H Ô N G B Á O\n\nKết luận của Chủ tịch UBND xã", "TB", "Kết luận của Chủ tịch UBND xã"),  # letter-spaced
    ("THÔNG BÁO Kết luận của Chủ tịch UBND xã", "TB", "Kết luận của Chủ tịch UBND xã"),  # run onto one line
    ("Quyết định\n\nVề việc thành lập Tổ công tác", "QĐ", "Về việc thành lập Tổ công tác"),  # usual case
])
def test_the_type_name_as_copies_write_it(tmp_path, type_lines, doc_type, title):
    notice = _parse(tmp_path, "ỦY BAN NHÂN DÂN\n\nXÃ NAM SƠN\n\nSố: 9/UBND\n\nNam Sơn, ngày 03-02-2026\n\n"
                              + type_lines + "\n\n" + BODY, name="vb.txt")
    assert (notice.doc_type, notice.title, notice.doc_date) == (doc_type, title, dt.date(2026, 2, 3))


def test_a_word_header_laid_out_row_by_row_and_a_signature_table(tmp_path):
    """As offices lay it out in Word: parent | Quốc hiệu, issuer | Tiêu ngữ, number | place and a blank
    day, V/v | (empty); at the end Nơi nhận | signature, both borderless tables."""
    import docx

    document = docx.Document()
    header = document.add_table(rows=4, cols=2)
    for r, (left, right) in enumerate([("UBND TỈNH BẮC SƠN", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                                        ("SỞ NỘI VỤ", "Độc lập - Tự do - Hạnh phúc"),
                                        ("Số:       /SNV-CCVC", "Bắc Sơn, ngày      tháng 8 năm 2026"),
                                        ("V/v báo cáo số lượng công chức", "")]):
        header.cell(r, 0).text, header.cell(r, 1).text = left, right
    document.add_paragraph("Kính gửi: Ủy ban nhân dân các xã, phường.")
    document.add_paragraph("Sở Nội vụ đề nghị Ủy ban nhân dân các xã, phường báo cáo số lượng công chức "
                           "trước ngày 15/8/2026.")
    footer = document.add_table(rows=1, cols=2)
    footer.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT, CCVC."
    footer.cell(0, 1).text = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\n\nLê Thị Thu Hà"
    path = tmp_path / "cv.docx"
    document.save(str(path))
    notice = api.parse(path)
    assert _fields(notice) == ("CV", "/SNV-CCVC", None, "Sở Nội vụ tỉnh Bắc Sơn", "Lê Thị Thu Hà")
    assert notice.year == 2026 and notice.recipients == ["Ủy ban nhân dân các xã, phường"]
    assert notice.text.startswith("Sở Nội vụ đề nghị") and "Lê Thị Thu Hà" not in notice.text


@pytest.mark.parametrize("block, signer", [
    ("TM. ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\nCHỦ TỊCH\nNGUYỄN VĂN BẢY", "Nguyễn Văn Bảy"),  # the body's name is no person
    ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nPhan Thị Mỹ (đã ký)", "Phan Thị Mỹ"),
    ("CHỦ TỊCH\n\nKý bởi: Đoàn Quốc Việt", "Đoàn Quốc Việt"),
    ("TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\n(Đã ký và đóng dấu)\nThS. Lâm Hoàng Yến", "Lâm Hoàng Yến"),
])
def test_signer_names_in_their_layouts(tmp_path, block, signer):
    notice = _parse(tmp_path, "Số: 5/UBND\n\nAn Phú, ngày 2 tháng 3 năm 2026\n\n" + BODY +
                    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n" + block.replace("\n", "\n\n") + "\n", name="vb.txt")
    assert notice.signer == signer


def test_a_header_typed_one_line_a_paragraph_with_rules_between(tmp_path):
    notice = _parse(tmp_path, "UBND TỈNH ĐÔNG SƠN\n\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\n\n-------\n\nPHÒNG GIÁO DỤC TRUNG HỌC\n\n"
                              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n\nSố: 88/PGDTrH\n\n"
                              "Đông Sơn, ngày 9 tháng 10 năm 2026\n\n" + BODY, name="vb.txt")
    # the locality comes from the body two levels up
    assert notice.issuer == "Phòng Giáo dục trung học tỉnh Đông Sơn" and notice.issuer_parent == "Sở Giáo dục và Đào tạo"
    assert (notice.doc_number, notice.doc_date) == ("88/PGDTrH", dt.date(2026, 10, 9))
