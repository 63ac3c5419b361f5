"""Co-operating units the registry does not know (companies, province bodies) are still named."""
from __future__ import annotations

import pytest

from extractors.assignments import extract_tasks
from extractors.models import RawDocument, RawParagraph
from extractors.structure import structure


def tasks_of(text: str):
    notice = structure(RawDocument(source="cv.txt", format="txt", elements=[RawParagraph(text=text)]))
    return extract_tasks(notice)


@pytest.mark.parametrize("text, lead, co", [
    ("2. Trung tâm Phục vụ hành chính công tỉnh chủ trì, phối hợp với Bưu điện tỉnh, Viễn thông Quảng Trị "
     "hướng dẫn người dân nộp hồ sơ trực tuyến.", "Trung tâm Phục vụ hành chính công tỉnh",
     ["Bưu điện tỉnh", "Viễn thông Quảng Trị"]),
    ("Giao Sở Công Thương chủ trì, phối hợp với Điện lực Nam Định, Công an tỉnh kiểm tra an toàn điện "
     "mùa mưa bão, hoàn thành trong tháng 8/2026.", "Sở Công Thương", ["Điện lực Nam Định", "Công an tỉnh"]),
])
def test_unknown_co_operating_bodies(text, lead, co):
    [task] = tasks_of(text)
    assert task.assignee == lead
    assert task.co_assignees == co


def test_table_cell_wrapped_by_a_pdf_keeps_one_name():
    from extractors.models import RawTable

    table = RawTable(rows=[
        ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
        ["1", "Tổng kết công tác thi đua năm 2026", "Sở Nội vụ", "Văn phòng\nUBND tỉnh", "Tháng 12/2026"],
        ["2", "Rà soát biên chế", "Sở Nội vụ", "Sở Tài chính\nSở Tư pháp", "Quý IV/2026"],
    ])
    notice = structure(RawDocument(source="kh.pdf", format="pdf", elements=[RawParagraph(text="II. NHIỆM VỤ"), table]))
    first, second = extract_tasks(notice)
    assert first.co_assignees == ["Văn phòng UBND tỉnh"]
    assert second.co_assignees == ["Sở Tài chính", "Sở Tư pháp"]


def test_a_citizens_request_quoted_in_a_reply_is_not_a_task():
    text = ("Ngày 02/10/2026, UBND xã nhận được đơn của ông Lê Văn Tâm đề nghị Phòng Kinh tế đo đạc lại "
            "thửa đất trước ngày 30/10/2026.")
    assert tasks_of(text) == []
    kept = tasks_of("Giao Phòng Kinh tế hướng dẫn công dân thực hiện đề nghị cấp đổi giấy chứng nhận.")
    assert [t.assignee for t in kept] == ["Phòng Kinh tế"]


@pytest.mark.parametrize("text", [
    "Giao Văn phòng HĐND và UBND xã tiếp nhận phản ánh, kiến nghị của người dân qua Tổng đài 1022.",
    "Giao Phòng Kinh tế giải quyết dứt điểm đơn của ông Nguyễn Văn Hòa trước ngày 20/11/2026.",
    "Trung tâm Phục vụ hành chính công hướng dẫn người dân viết đơn đề nghị cấp lại giấy chứng nhận.",
])
def test_work_on_petitions_is_still_a_task(text):
    assert len(tasks_of(text)) == 1
