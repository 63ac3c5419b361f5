"""Deadline grammar: each row is a sentence in the style of a real notice and what it sets."""
import datetime as dt

import pytest

from extractors.deadlines import (DateContext, add_working_days, find_deadline, find_deadlines,
                                  is_deadline_sentence, opening_date)

CTX = DateContext(notice_date=dt.date(2026, 6, 15))
D = dt.date

DATED = [
    ("Phòng Kinh tế rà soát, hoàn thành trước ngày 10/7/2026.", D(2026, 7, 10)),
    ("Báo cáo kết quả về UBND xã chậm nhất ngày 15/7/2026.", D(2026, 7, 15)),
    ("gửi Văn phòng chậm nhất vào ngày 15 tháng 7 năm 2026", D(2026, 7, 15)),
    ("Tổng hợp danh sách trước ngày 05 tháng 8 năm 2026.", D(2026, 8, 5)),
    ("hoàn thành trước 16 giờ 30, ngày 12/3/2026", D(2026, 3, 12)),
    ("nộp hồ sơ trước 17h00 ngày 12/3/2026", D(2026, 3, 12)),
    ("Sửa chữa phòng họp xong trước ngày 20/8.", D(2026, 8, 20)),
    ("Thu nộp kinh phí, hạn cuối 31/12/2026.", D(2026, 12, 31)),
    ("Thời hạn: 30/9/2026.", D(2026, 9, 30)),
    ("Thời gian thực hiện: tháng 9/2026.", D(2026, 9, 30)),
    ("Tổ chức ra quân làm sạch môi trường trong tháng 7/2026.", D(2026, 7, 31)),
    ("Kiểm tra các cơ sở kinh doanh trong tháng 7 năm 2026", D(2026, 7, 31)),
    ("- Thời gian: tháng 2/2027", D(2027, 2, 28)),
    ("Hoàn thành việc số hóa hồ sơ trong quý III/2026.", D(2026, 9, 30)),
    ("Tổ chức hội nghị sơ kết, quý 3 năm 2026", D(2026, 9, 30)),
    ("Thời gian thực hiện: Quý IV.", D(2026, 12, 31)),
    ("Hoàn thành giải ngân trong 6 tháng đầu năm 2026.", D(2026, 6, 30)),
    ("Thời gian: 6 tháng cuối năm", D(2026, 12, 31)),
    ("Hoàn thành cắm mốc giới trong năm 2026.", D(2026, 12, 31)),
    ("Lập danh sách đối tượng, gửi về Văn phòng trước ngày 30/6.", D(2026, 6, 30)),
    ("Tổ chức diễn tập phòng cháy vào tuần đầu tháng 8/2026.", D(2026, 8, 7)),
    ("Tiến độ: cuối tháng 10/2026", D(2026, 10, 31)),
    ("Hoàn thành trước ngày 10.7.2026", D(2026, 7, 10)),
    ("30/6/2026", D(2026, 6, 30)),
    ("Năm 2026", D(2026, 12, 31)),  # a table's deadline cell
    ("Quý III/2026", D(2026, 9, 30)),
    ("Thời gian hoàn thành: Trước 30/6/2026.", D(2026, 6, 30)),
    ("Chậm nhất đến hết ngày 20/7/2026 phải gửi hồ sơ về Trung tâm.", D(2026, 7, 20)),
    ("Thực hiện từ tháng 7 đến tháng 12/2026.", D(2026, 12, 31)),
    ("Thời gian tổ chức hội nghị: ngày 10/7/2026", D(2026, 7, 10)),
    ("Thời gian: Từ ngày 01/7/2026 đến ngày 15/7/2026", D(2026, 7, 15)),
    ("Thời gian: Năm 2026", D(2026, 12, 31)),
    ("Tổ chức tập huấn trong tháng 7-8/2026.", D(2026, 8, 31)),
    ("Thời gian thực hiện: tháng 9 đến tháng 11 năm 2026", D(2026, 11, 30)),
    ("Tổ chức các lớp tập huấn trong quý III, IV/2026.", D(2026, 12, 31)),
    ("Hạn nộp: 15/9/2026.", D(2026, 9, 15)),
]


@pytest.mark.parametrize("text,due", DATED)
def test_dated_deadlines(text, due):
    found = find_deadline(text, CTX)
    assert found is not None and found.due == due and found.recurrence is None
    assert found.phrase and found.phrase in text


def test_year_from_header_when_the_date_is_blank():
    ctx = DateContext(year=2027)
    assert find_deadline("Hoàn thành trước ngày 30/6.", ctx).due == D(2027, 6, 30)
    assert find_deadline("Thời gian: Quý I", ctx).due == D(2027, 3, 31)
    assert find_deadline("Hoàn thành trước ngày 30/6.", DateContext()).due is None


RECURRING = [
    ("Báo cáo kết quả về UBND xã trước ngày 18 hằng tháng.", "monthly", 18),
    ("Tổng hợp số liệu gửi Văn phòng trước ngày 20 hàng tháng", "monthly", 20),
    ("Định kỳ hằng quý tổng hợp kết quả, báo cáo Chủ tịch UBND xã.", "quarterly", None),
    ("Báo cáo tình hình hàng quý về Phòng Kinh tế trước ngày 25 của tháng cuối quý", "quarterly", 25),
    ("Họp giao ban vào thứ Sáu hằng tuần.", "weekly", 6),
    ("Báo cáo hằng tuần về Văn phòng HĐND và UBND.", "weekly", None),
    ("Hằng tháng, báo cáo Chủ tịch UBND xã kết quả thực hiện.", "monthly", None),
    ("Cập nhật dữ liệu, báo cáo UBND xã hằng tháng.", "monthly", None),
    ("Tổ chức kiểm tra định kỳ hằng năm các cơ sở.", "yearly", None),
    ("Định kỳ 6 tháng báo cáo kết quả về UBND xã.", "yearly", None),
    ("Tiếp công dân vào thứ Năm hàng tuần", "weekly", 5),
    ("Báo cáo định kỳ tháng gửi UBND xã.", "monthly", None),
    ("Gửi lịch công tác trước 15h00 thứ Năm hằng tuần.", "weekly", 5),
    ("Phát sóng chuyên mục trên hệ thống loa truyền thanh 02 lần/tuần.", "weekly", None),
    ("Kiểm tra vệ sinh an toàn thực phẩm 01 lần/quý", "quarterly", None),
    ("Xây dựng kế hoạch và báo cáo hằng tháng.", "monthly", None),
    ("Phòng Kinh tế tổng hợp, báo cáo UBND xã kết quả hằng quý.", "quarterly", None),
    ("Trạm Y tế báo cáo tình hình dịch hằng tuần về UBND huyện.", "weekly", None),
    ("Gửi báo cáo kết quả hằng quý về Sở Nội vụ để tổng hợp.", "quarterly", None),
]


@pytest.mark.parametrize("text,recurrence,day", RECURRING)
def test_recurring_duties(text, recurrence, day):
    found = find_deadline(text, CTX)
    assert found is not None and found.recurrence == recurrence and found.day_of_period == day


@pytest.mark.parametrize("text", ["Tổng kết công tác thi đua, gửi về UBND xã trước ngày 15/12 hằng năm.",
                                  "Trước 15/12 hàng năm, báo cáo kết quả về Văn phòng."])
def test_yearly_duty_with_a_date_keeps_the_date(text):
    found = find_deadline(text, CTX)
    assert found.recurrence == "yearly" and found.due == D(2026, 12, 15)


@pytest.mark.parametrize("text,day", [("Hằng tháng, trước ngày 25, các đơn vị báo cáo kết quả về Văn phòng.", 25),
                                      ("Định kỳ hằng quý, báo cáo UBND xã trước ngày 20/3/2026.", 20)])
def test_schedule_takes_its_day_from_a_date_written_apart(text, day):
    found = find_deadline(text, CTX)
    assert found.recurrence in ("monthly", "quarterly") and found.day_of_period == day


NAMED_THINGS = [  # a recurrence word that names a kind of thing, not a schedule
    "Ban hành kế hoạch chuyển đổi số hàng năm.",
    "Đánh giá, xếp loại chất lượng tập thể hàng quý năm 2026 theo quy định",
    "Bố trí kinh phí hằng năm cho hoạt động của Ban Chỉ đạo",
    "Xây dựng kế hoạch kiểm tra hằng năm",
    "Tiếp tục thực hiện chính sách hỗ trợ hằng tháng cho người cao tuổi.",
]


@pytest.mark.parametrize("text", NAMED_THINGS)
def test_recurrence_word_inside_a_noun_phrase_is_not_a_schedule(text):
    found = find_deadline(text, CTX)
    assert found is None or found.recurrence is None


def test_before_tet():
    autumn = DateContext(notice_date=D(2026, 10, 5))
    assert find_deadline("Hoàn thành việc sửa chữa nhà văn hóa trước Tết Nguyên đán.", autumn).due == D(2027, 2, 5)
    assert find_deadline("Chi trả trợ cấp xong trước Tết Nguyên đán Bính Ngọ 2026.",
                         DateContext(notice_date=D(2025, 12, 1))).due == D(2026, 2, 16)
    assert find_deadline("Hoàn thành trước Tết Dương lịch 2027", autumn).due == D(2026, 12, 31)
    assert find_deadline("Không khí vui Tết Nguyên đán năm 2027.", autumn) is None


def test_a_date_without_year_half_a_year_back_is_next_year():
    december = DateContext(notice_date=D(2026, 12, 20))
    assert find_deadline("Báo cáo trước ngày 15/01.", december).due == D(2027, 1, 15)
    assert find_deadline("Thời gian: Quý I", december).due == D(2027, 3, 31)
    assert find_deadline("Báo cáo trước ngày 15/12.", december).due == D(2026, 12, 15)  # late, not next year
    assert find_deadline("Báo cáo trước ngày 15/01/2026.", december).due == D(2026, 1, 15)  # as written


def test_working_days_from_the_notice_date_skip_weekends():
    # 15/6/2026 is a Monday: five working days later is Monday 22/6
    found = find_deadline("Báo cáo trong 05 ngày làm việc kể từ ngày ký.", CTX)
    assert found.due == D(2026, 6, 22)
    found = find_deadline("Trả lời trong 10 ngày kể từ ngày nhận được văn bản.", CTX)
    assert found.due == D(2026, 6, 25)
    unknown = find_deadline("Báo cáo trong 05 ngày làm việc kể từ ngày ký.", DateContext(year=2026))
    assert unknown.due is None and "05 ngày làm việc" in unknown.phrase


ONGOING = ["Thực hiện thường xuyên.", "Theo dõi, đôn đốc liên tục", "Cập nhật số liệu hằng ngày lên hệ thống."]


@pytest.mark.parametrize("text", ONGOING)
def test_ongoing_work(text):
    found = find_deadline(text, CTX)
    assert found.ongoing and found.due is None and found.recurrence is None


NOT_DEADLINES = [
    "Thực hiện Kế hoạch số 15/KH-UBND ngày 03/02/2026 của UBND xã về cải cách hành chính.",
    "Căn cứ Thông báo số 294/TB-VP ngày 12/6/2026 của Văn phòng UBND tỉnh.",
    "Quán triệt Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.",
    "Quyết định số 676/QĐ-UBND ngày 31/7/2025 về việc ban hành quy chế",
    "Theo ý kiến kết luận tại cuộc họp ngày 10/6/2026.",
    "Sáng ngày 29/6/2026, đồng chí Chủ tịch UBND xã chủ trì hội nghị.",
    "Triển khai Chương trình chuyển đổi số giai đoạn 2026 - 2030.",
    "Phấn đấu đến năm 2030 đạt chuẩn nông thôn mới nâng cao.",
    "Đánh giá kết quả năm 2025.",
    "Áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001:2015.",
    "Tỷ lệ hồ sơ trực tuyến đạt 95%.",
    "Ông Nguyễn Văn B, sinh ngày 12/5/1980.",
    "Không có thời hạn nào ở đây.",
    "Hòa Bình, ngày tháng 6 năm 2026",  # the header's place and date, day left blank
    "Thanh Hà, ngày 12 tháng 6 năm 2026",
    "Kinh phí bố trí từ nguồn ngân sách thường xuyên của xã.",
    "Các hộ đã hoàn thành trước ngày 30/5/2026.",
    "Số liệu tính đến ngày 30/6/2026.",
    "Lũy kế đến ngày 15/6/2026 đạt 80% kế hoạch.",
    "Thực hiện Thông tư số 01/2026/TT-BNV của Bộ Nội vụ.",
    "Đến nay đã đạt 5/7 tiêu chí.",
    "Trong tháng 8/2026, UBND xã đã tổ chức 03 lớp tập huấn.",
    "Thời gian: 02 ngày.",
    "Trả lương hằng tháng cho cán bộ không chuyên trách.",
]


@pytest.mark.parametrize("text", NOT_DEADLINES)
def test_dates_that_are_not_deadlines(text):
    assert find_deadline(text, CTX) is None


def test_a_firm_date_wins_over_a_period_named_earlier():
    text = ("Xác định rõ nhiệm vụ của từng đơn vị trong năm 2026. "
            "Thời gian tổ chức hội nghị trước ngày 10/7/2026.")
    assert find_deadline(text, CTX).due == D(2026, 7, 10)


def test_spans_point_into_the_text():
    text = "Căn cứ Kế hoạch số 12/KH-UBND ngày 02/3/2026, đề nghị hoàn thành trước ngày 10/7/2026 và báo cáo trong tháng 8/2026."
    found = find_deadlines(text, CTX)
    assert [d.due for _, d in found] == [D(2026, 7, 10), D(2026, 8, 31)]
    for (start, end), deadline in found:
        assert text[start:end] == deadline.phrase


TIME_SENTENCES = [
    ("Thời gian hoàn thành trước ngày 10/7/2026.", True),
    ("Thời hạn: trong tháng 7/2026.", True),
    ("Đề nghị các đơn vị hoàn thành trước ngày 15/8.", True),
    ("Phòng Kinh tế chủ trì rà soát các hộ kinh doanh, báo cáo trước ngày 15/8.", False),
    ("Tăng cường tuyên truyền về phòng chống dịch bệnh.", False),
    ("Tổ chức họp giao ban vào chiều thứ Hai hằng tuần.", False),
    ("Thời gian thực hiện: thường xuyên.", True),
]


@pytest.mark.parametrize("text,expected", TIME_SENTENCES)
def test_deadline_sentences(text, expected):
    assert is_deadline_sentence(text) is expected


def test_opening_date_of_the_meeting():
    assert opening_date("Sáng ngày 29/6/2026, đồng chí Nguyễn Văn A, Chủ tịch UBND xã chủ trì hội nghị") == D(2026, 6, 29)
    assert opening_date("Ngày 03/4/2026, đồng chí Phó Chủ tịch UBND xã chủ trì cuộc họp về công tác PCCC.") == D(2026, 4, 3)
    assert opening_date("Chiều ngày 05 tháng 5 năm 2026, UBND xã tổ chức hội nghị") == D(2026, 5, 5)
    assert opening_date("Chiều 12/8/2026, Chủ tịch UBND xã chủ trì họp Ban Chỉ đạo") == D(2026, 8, 12)
    assert opening_date("Thực hiện nhiệm vụ được giao, đề nghị các đơn vị triển khai.") is None
    assert opening_date("Thực hiện Kế hoạch số 12/KH-UBND ngày 05/3/2026 của UBND xã về tổ chức hội nghị "
                        "tổng kết; chiều ngày 20/3/2026, UBND xã tổ chức hội nghị.") == D(2026, 3, 20)


def test_add_working_days_skips_weekends():
    assert add_working_days(D(2026, 6, 19), 1) == D(2026, 6, 22)  # Friday → Monday
    assert add_working_days(D(2026, 6, 15), 0) == D(2026, 6, 15)


def test_holidays_of_known_years():
    import tomllib
    from pathlib import Path

    import extractors.deadlines as deadlines

    data = tomllib.loads((Path(deadlines.__file__).parent / "data/vi/holidays.toml").read_text(encoding="utf-8"))
    assert data["lunar"]["2026"] == {"tet": "2026-02-17", "gio_to": "2026-04-26"}
    assert data["lunar"]["2025"] == {"tet": "2025-01-29", "gio_to": "2025-04-07"}
    assert data["lunar"]["2024"]["tet"] == "2024-02-10"
    assert data["lunar"]["2030"]["tet"] == "2030-02-02"  # a day before China's: the new moon falls before midnight at UTC+7
    from extractors.calendar_vi import days_off

    for year in range(2024, 2036):
        assert len(days_off(year)) >= 11


def test_working_days_skip_public_holidays():
    # Friday 24/4/2026 + 1: Giỗ Tổ 26/4 is a Sunday, its day in lieu Monday 27/4 → Tuesday 28/4
    assert add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)
    # Wednesday 29/4/2026 + 1 → 30/4 and 1/5 are holidays → Monday 4/5
    assert add_working_days(D(2026, 4, 29), 1) == D(2026, 5, 4)
    # Tết 2026: mùng 1 is 17/2
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
