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
