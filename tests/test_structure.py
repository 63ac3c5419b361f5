"""Header and footer metadata of a notice, on notices written in the style of real ones."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extractors.models import RawDocument, RawParagraph, RawTable
from extractors.structure import issuer_names, recase_name, structure
from pipeline import api

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _doc(*elements) -> RawDocument:
    items = [RawParagraph(text=e) if isinstance(e, str) else e for e in elements]
    return RawDocument(source="vb.docx", format="docx", elements=items)


def _header_table(left: str, right: str) -> RawTable:
    return RawTable(rows=[[left, right]])


KE_HOACH = _doc(
    _header_table("UBND HUYỆN QUỲNH LƯU\nPHÒNG VĂN HÓA VÀ THÔNG TIN\nSố: 45/KH-VHTT",
                  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                  "Quỳnh Lưu, ngày 05 tháng 02 năm 2026"),
    "KẾ HOẠCH",
    "Tổ chức các hoạt động tuyên truyền chuyển đổi số năm 2026",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Nâng cao nhận thức của người dân về chuyển đổi số.",
    "II. NỘI DUNG",
    "1. Giao Đài Truyền thanh huyện xây dựng chuyên mục hằng tuần.",
    _header_table("Nơi nhận:\n- UBND huyện (b/c);\n- Các xã, thị trấn;\n- Lưu: VT.",
                  "KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG\n(Đã ký)\nHồ Thị Lan"),
)

CONG_VAN = _doc(
    _header_table("ỦY BAN NHÂN DÂN\nPHƯỜNG TRƯỜNG THI\nSố: 312/UBND-VP\nV/v triển khai thu thập dữ liệu\ndân cư trên địa bàn",
                  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                  "Trường Thi, ngày 12 tháng 3 năm 2026"),
    "Kính gửi:",
    "- Công an phường;",
    "- Các tổ dân phố.",
    "Thực hiện Kế hoạch số 15/KH-UBND ngày 03/02/2026 của UBND thành phố, UBND phường đề nghị:",
    "Công an phường chủ trì rà soát dữ liệu dân cư, hoàn thành trước ngày 30/3/2026./.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT.",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "NGUYỄN VĂN HÙNG",
)


def test_plan_with_header_tables_reads_every_field():
    notice = structure(KE_HOACH)
    assert notice.doc_type == "KH"
    assert notice.doc_number == "45/KH-VHTT"
    assert notice.doc_date == dt.date(2026, 2, 5) and notice.year == 2026
    assert notice.place == "Quỳnh Lưu"
    assert notice.issuer == "Phòng Văn hóa và Thông tin huyện Quỳnh Lưu"  # named with its parent's locality
    assert notice.issuer_parent == "UBND huyện Quỳnh Lưu"
    assert notice.title == "Tổ chức các hoạt động tuyên truyền chuyển đổi số năm 2026"
    assert notice.sign_authority == "KT." and notice.signer_title == "PHÓ TRƯỞNG PHÒNG"
    assert notice.signer == "Hồ Thị Lan"
    assert notice.cc == ["UBND huyện (b/c)", "Các xã, thị trấn", "Lưu: VT"]
    # the body is what lies between: no header, no footer
    assert notice.text.startswith("I. MỤC ĐÍCH")
    assert "Nơi nhận" not in notice.text and "Hồ Thị Lan" not in notice.text
    assert len(notice.body) == 2


def test_cong_van_reads_subject_recipients_and_capitalised_signer():
    notice = structure(CONG_VAN)
    assert notice.doc_type == "CV"
    assert notice.doc_number == "312/UBND-VP"
    assert notice.issuer == "Ủy ban nhân dân phường Trường Thi" and notice.issuer_parent is None
    assert notice.title == "triển khai thu thập dữ liệu dân cư trên địa bàn"
    assert notice.recipients == ["Công an phường", "Các tổ dân phố"]
    assert notice.signer == "Nguyễn Văn Hùng"
    assert notice.sign_authority == "TM." and notice.signer_title == "CHỦ TỊCH"
    assert notice.text.startswith("Thực hiện Kế hoạch số 15/KH-UBND")
    assert notice.text.rstrip().endswith("./.")


def test_pasted_body_without_header_leaves_fields_empty():
    notice = structure(_doc("Giao Phòng Kinh tế rà soát diện tích lúa vụ Đông Xuân.",
                            "Giao Trạm Y tế xã tổ chức tiêm chủng mở rộng."))
    assert (notice.doc_type, notice.doc_number, notice.issuer, notice.signer) == (None, None, None, None)
    assert notice.recipients == [] and notice.cc == []
    assert notice.text.startswith("Giao Phòng Kinh tế")


def test_draft_number_and_blank_date_are_kept_as_drafts():
    notice = structure(_doc("Số: /TB-UBND", "Yên Thành, ngày tháng 9 năm 2026", "THÔNG BÁO",
                            "Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 9",
                            "Giao Văn phòng HĐND và UBND xã theo dõi, đôn đốc."))
    assert notice.doc_number == "/TB-UBND" and notice.doc_type == "TB"
    assert notice.doc_date is None and notice.year == 2026 and notice.place == "Yên Thành"


def test_type_from_symbol_when_the_type_name_is_missing():
    notice = structure(_doc("Số: 07/QĐ-UBND", "Hà Tĩnh, ngày 5 tháng 1 năm 2026", "Điều 1. Ban hành quy chế."))
    assert notice.doc_type == "QĐ" and notice.doc_date == dt.date(2026, 1, 5)


@pytest.mark.parametrize("lines, issuer, parent", [
    (["ỦY BAN NHÂN DÂN", "XÃ NGHI DƯƠNG"], "Ủy ban nhân dân xã Nghi Dương", None),
    (["UBND TỈNH NGHỆ AN", "SỞ TÀI CHÍNH"], "Sở Tài chính", "UBND tỉnh Nghệ An"),
    (["UBND THÀNH PHỐ HẢI PHÒNG", "VĂN PHÒNG"], "Văn phòng", "UBND thành phố Hải Phòng"),
    (["HỘI ĐỒNG NHÂN DÂN", "HUYỆN NAM ĐÀN"], "Hội đồng nhân dân huyện Nam Đàn", None),
    (["UBND TỈNH HÀ TĨNH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"], "Sở Khoa học và Công nghệ", "UBND tỉnh Hà Tĩnh"),
    (["UBND TỈNH NINH BÌNH", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"], "Sở Văn hóa, Thể thao và Du lịch",
     "UBND tỉnh Ninh Bình"),
])
def test_issuer_names_are_recased_as_written_in_prose(lines, issuer, parent):
    assert issuer_names(lines) == (issuer, parent)


def test_recase_keeps_abbreviations_and_dash_parts():
    assert recase_name("VĂN PHÒNG HĐND VÀ UBND") == "Văn phòng HĐND và UBND"
    assert recase_name("PHÒNG VĂN HÓA - XÃ HỘI") == "Phòng Văn hóa - Xã hội"


SEEDS = [  # (stem, type, signer, authority): the seed notices shipped in samples/
    ("000_eabed86a213ae9b7", "TB", "Phạm Xuân Sinh", "TL."),
    ("001_8c67ab148a5ce6b1", "CV", "Nguyễn Thanh Ngọc", "TM."),
    ("002_4cd0d770ec03d902", "CV", "Vương Đức Dũng", None),
    ("003_db84e68a97fd9814", "BC", "Phạm Văn Đoàn", "TM."),
    ("004_b28fac50b317b3d2", "TB", "Phạm Văn Tân", "TM."),
]


@pytest.mark.parametrize("stem, doc_type, signer, authority", SEEDS)
def test_seed_notices_metadata(stem, doc_type, signer, authority):
    notice = api.parse(SAMPLES / f"{stem}.txt")
    assert (notice.doc_type, notice.signer, notice.sign_authority) == (doc_type, signer, authority)
    assert notice.year in (2025, 2026) and notice.place
    assert notice.cc and notice.cc[-1].startswith("Lưu")
    assert "Nơi nhận" not in notice.text and signer not in notice.text[-200:]


def test_seed_cong_van_recipients_and_issuer():
    notice = api.parse(SAMPLES / "002_4cd0d770ec03d902.txt")
    assert len(notice.recipients) == 6 and notice.recipients[1] == "Trưởng Công an xã"
    assert notice.title.startswith("triển khai thực hiện Thông báo số 294/TB-VP")
    first = api.parse(SAMPLES / "001_8c67ab148a5ce6b1.txt")
    assert first.issuer == "Ủy ban nhân dân xã Nghi Dương"


def test_body_starting_with_a_capital_heading_and_a_table_is_not_a_header():
    table = RawTable(rows=[["STT", "Nội dung", "Chủ trì", "Thời hạn"], ["1", "Rà soát hồ sơ", "Sở Nội vụ", "Quý IV/2026"]])
    notice = structure(_doc("II. NHIỆM VỤ", table))
    assert notice.issuer is None and notice.doc_type is None
    assert notice.text.startswith("II. NHIỆM VỤ") and any(b.kind == "table" for b in notice.body[0].children or notice.body)


def test_ve_viec_nay_opens_a_sentence_not_a_subject_line(tmp_path):
    from extractors.readers import read
    from extractors.structure import structure

    p = tmp_path / "tin.txt"
    p.write_text("Trước đó, UBND tỉnh nhận được đơn của bà Trần Thị B về tranh chấp đất.\n"
                 "Về việc này, UBND tỉnh yêu cầu UBND huyện Sơn Hòa kiểm tra, giải quyết đơn theo quy định.\n",
                 encoding="utf-8")
    notice = structure(read(p))
    assert notice.title is None and notice.doc_type is None
    assert "UBND huyện Sơn Hòa kiểm tra" in notice.text
