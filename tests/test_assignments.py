"""Task extraction: one row per way Vietnamese notices assign work, plus what is not a task.

Notices are written here in the style of real ones from other provinces and levels (a Sở,
a huyện, a phường); each is built as a Notice from paragraphs so only this stage is tested.
Assignees are compared the way the scorer does (folded, whole words, HĐND/UBND expanded).
"""
import datetime as dt

import pytest

from extractors.assignments import extract_tasks
from extractors.blocks import build_body
from extractors.models import Notice, RawParagraph, RawTable
from pipeline.evaluate import fold, unit_matches


def notice(*paragraphs, doc_type="TB", date=dt.date(2026, 7, 2), recipients=(), issuer=None, tables=()):
    elements = [RawParagraph(text=p) for p in paragraphs] + [RawTable(rows=t) for t in tables]
    text, body = build_body(elements)
    return Notice(source="t.txt", format="txt", doc_type=doc_type, doc_date=date, year=date.year if date else None,
                  recipients=list(recipients), issuer=issuer, text=text, body=body)


def find(tasks, key):
    hits = [t for t in tasks if fold(key) in fold(t.action)]
    assert hits, f"no task contains {key!r}: {[t.action for t in tasks]}"
    return hits[0]


# (case id, paragraphs, key of the task, accepted assignee, deadline or None)
CASES = [
    ("giao-x-verb",
     ["Giao Phòng Tài chính - Kế hoạch rà soát, tổng hợp nhu cầu kinh phí sửa chữa trường học, "
      "báo cáo UBND huyện trước ngày 15/8/2026."],
     "tổng hợp nhu cầu kinh phí", "Phòng Tài chính - Kế hoạch", dt.date(2026, 8, 15)),
    ("heading-giao-x-then-paragraphs",
     ["2. Nhiệm vụ cụ thể", "2.1. Giao Phòng Nông nghiệp và Môi trường",
      "Hướng dẫn Nhân dân xuống giống vụ Thu Đông đúng khung lịch thời vụ.",
      "Kiểm tra tình hình sâu bệnh trên lúa, báo cáo kết quả trước ngày 20/7."],
     "kiểm tra tình hình sâu bệnh", "Phòng Nông nghiệp và Môi trường", dt.date(2026, 7, 20)),
    ("letter-heading-colon-bullets",
     ["a) Phòng Tư pháp:", "- Rà soát các thủ tục chứng thực bản sao điện tử;",
      "- Niêm yết công khai danh mục thủ tục tại bộ phận một cửa."],
     "niêm yết công khai danh mục", "Phòng Tư pháp", None),
    ("unit-colon-action",
     ["Phòng Nội vụ: Hướng dẫn các thôn, tổ dân phố kiện toàn tổ hòa giải ở cơ sở trong tháng 8/2026."],
     "kiện toàn tổ hòa giải", "Phòng Nội vụ", dt.date(2026, 8, 31)),
    ("numbered-unit-verb-no-colon",
     ["3. Phòng Tư pháp rà soát các văn bản quy phạm pháp luật do HĐND, UBND phường ban hành còn hiệu lực."],
     "rà soát các văn bản quy phạm", "Phòng Tư pháp", None),
    ("title-giam-doc-so",
     ["Giao Giám đốc Sở Xây dựng chủ trì kiểm tra chất lượng công trình nhà văn hóa các xã miền núi."],
     "kiểm tra chất lượng công trình", "Sở Xây dựng", None),
    ("title-chu-tich-ubnd-huyen",
     ["Chủ tịch UBND huyện Mường Lát chỉ đạo các xã rà soát hộ dân sống ở vùng có nguy cơ sạt lở đất."],
     "rà soát hộ dân sống ở vùng", "UBND huyện Mường Lát", None),
    ("ubnd-tinh-yeu-cau-x",
     ["UBND tỉnh yêu cầu Sở Tài chính thẩm định phương án giá dịch vụ thu gom rác thải sinh hoạt."],
     "thẩm định phương án giá", "Sở Tài chính", None),
    ("collective-is-an-assignee",
     ["Các phòng chuyên môn, đơn vị căn cứ chức năng, nhiệm vụ xây dựng kế hoạch cải cách hành chính năm 2027."],
     "kế hoạch cải cách hành chính", "Các phòng chuyên môn, đơn vị", None),
    ("chi-dao-z-keeps-x",
     ["4. Giao Trung tâm Văn hóa - Thể thao", "Chỉ đạo Đài Truyền thanh phường tăng thời lượng phát tin về "
      "phòng chống dịch sốt xuất huyết."],
     "tăng thời lượng phát tin", "Trung tâm Văn hóa - Thể thao", None),
    ("doi-voi-x",
     ["Đối với Phòng Kinh tế: Hướng dẫn nông dân chuyển đổi cơ cấu cây trồng trên đất lúa kém hiệu quả."],
     "chuyển đổi cơ cấu cây trồng", "Phòng Kinh tế", None),
    ("giao-trach-nhiem-cho",
     ["Giao trách nhiệm cho Phòng Tư pháp hướng dẫn các thôn sửa đổi, bổ sung hương ước trước ngày 30/11/2026."],
     "sửa đổi, bổ sung hương ước", "Phòng Tư pháp", dt.date(2026, 11, 30)),
    ("recurring-monthly",
     ["Văn phòng HĐND và UBND huyện tổng hợp kết quả thực hiện, báo cáo Chủ tịch UBND huyện trước ngày 25 hằng tháng."],
     "tổng hợp kết quả thực hiện", "Văn phòng HĐND và UBND", None),
]


@pytest.mark.parametrize("case,paragraphs,key,assignee,due", CASES, ids=[c[0] for c in CASES])
def test_assignment_patterns(case, paragraphs, key, assignee, due):
    tasks = extract_tasks(notice(*paragraphs))
    task = find(tasks, key)
    assert unit_matches(task.assignee, [assignee]), task.assignee
    assert task.due == due
    assert task.block_path and task.span


def test_recurrence_is_kept():
    task = extract_tasks(notice(next(c for c in CASES if c[0] == "recurring-monthly")[1][0]))[0]
    assert task.recurrence == "monthly"


def test_lead_with_co_operating_units():
    tasks = extract_tasks(notice(
        "Phòng Văn hóa - Xã hội chủ trì, phối hợp với Công an phường, Trạm Y tế phường kiểm tra các cơ sở "
        "kinh doanh karaoke trên địa bàn."))
    task = find(tasks, "kiểm tra các cơ sở kinh doanh karaoke")
    assert unit_matches(task.assignee, ["Phòng Văn hóa - Xã hội"])
    assert len(task.co_assignees) == 2
    assert unit_matches(task.co_assignees[0], ["Công an phường"])
    assert unit_matches(task.co_assignees[1], ["Trạm Y tế"])


def test_collective_co_assignee_kept_as_written():
    tasks = extract_tasks(notice(
        "2.3. Giao Trung tâm Phục vụ hành chính công",
        "Chủ trì, phối hợp với các phòng chuyên môn số hóa kết quả giải quyết thủ tục hành chính."))
    task = find(tasks, "số hóa kết quả giải quyết")
    assert [fold(c) for c in task.co_assignees] == ["cac phong chuyên môn"]


def test_several_leads_name_the_first_and_keep_the_others():
    tasks = extract_tasks(notice(
        "Giao Giám đốc: Sở Y tế, Sở Giáo dục và Đào tạo, Đài Phát thanh và Truyền hình tỉnh phối hợp tuyên truyền "
        "phòng, chống bệnh tay chân miệng trong trường học."))
    assert len(tasks) == 1
    assert unit_matches(tasks[0].assignee, ["Sở Y tế"])
    assert len(tasks[0].co_assignees) == 2


def test_person_assignee():
    tasks = extract_tasks(notice(
        "Giao đồng chí Trần Văn Hùng - Phó Chủ tịch UBND phường chủ trì làm việc với chủ đầu tư dự án "
        "khu dân cư Bắc Sơn về tiến độ giải phóng mặt bằng, hoàn thành trước ngày 30/7/2026."))
    task = find(tasks, "làm việc với chủ đầu tư")
    assert task.assignee == "Trần Văn Hùng"
    assert task.due == dt.date(2026, 7, 30)


def test_recipients_for_quy_co_quan():
    tasks = extract_tasks(notice(
        "Đề nghị Quý Cơ quan cử cán bộ tham gia Đoàn kiểm tra liên ngành về an toàn thực phẩm dịp Tết Trung thu.",
        doc_type="CV", recipients=["Công an huyện", "Trung tâm Y tế huyện"]))
    task = find(tasks, "cử cán bộ tham gia")
    assert unit_matches(task.assignee, ["Công an huyện"]) and unit_matches(task.assignee, ["Trung tâm Y tế huyện"])


def test_criteria_list_one_task_per_criterion():
    tasks = extract_tasks(notice(
        "1. Các đơn vị chủ trì", "a) Phòng Kinh tế, Hạ tầng và Đô thị",
        "- Chủ trì tham mưu Ủy ban nhân dân phường thực hiện các Tiêu chí:",
        "- + Tỷ lệ hộ gia đình được cấp nước sạch;", "- + Tỷ lệ chất thải rắn được thu gom, xử lý.",
        "b) Trạm Y tế phường: Chủ trì thực hiện các Tiêu chí",
        "- Tỷ lệ người dân có hồ sơ sức khỏe điện tử;"))
    assert [fold(t.action)[:20] for t in tasks] == ["ty lê hô gia đinh đư", "ty lê chât thai răn ", "ty lê ngươi dân co h"]
    assert unit_matches(tasks[0].assignee, ["Phòng Kinh tế, Hạ tầng và Đô thị"])
    assert unit_matches(tasks[2].assignee, ["Trạm Y tế"])


def test_plan_section_fields_assign_its_items():
    tasks = extract_tasks(notice(
        "II. NỘI DUNG THỰC HIỆN", "1. Tuyên truyền về an toàn giao thông",
        "- Tổ chức treo băng rôn, khẩu hiệu tại các tuyến đường chính;",
        "- Phát thanh trên hệ thống loa truyền thanh các thôn.",
        "Cơ quan chủ trì: Phòng Văn hóa - Xã hội.", "Cơ quan phối hợp: Công an xã, Đoàn Thanh niên xã.",
        "Thời gian thực hiện: trước ngày 30/9/2026.", doc_type="KH"))
    assert len(tasks) == 2
    for t in tasks:
        assert unit_matches(t.assignee, ["Phòng Văn hóa - Xã hội"])
        assert t.due == dt.date(2026, 9, 30)
        assert len(t.co_assignees) == 2


def test_deadline_line_attaches_to_the_task_before():
    tasks = extract_tasks(notice(
        "Phòng Kinh tế: Rà soát diện tích lúa bị ngập úng sau mưa lớn, đề xuất hỗ trợ giống cho nông dân.",
        "Thời gian hoàn thành trước ngày 12/8/2026."))
    assert len(tasks) == 1 and tasks[0].due == dt.date(2026, 8, 12)


def test_task_table():
    rows = [["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
            ["I", "Công tác cải cách hành chính", "", "", ""],
            ["1", "Rà soát quy trình nội bộ giải quyết thủ tục hành chính", "Văn phòng HĐND và UBND",
             "Các phòng chuyên môn", "30/9/2026"],
            ["2", "Kiểm tra việc niêm yết thủ tục tại bộ phận một cửa", "Phòng Nội vụ", "", "Tháng 10/2026"]]
    tasks = extract_tasks(notice("II. NHIỆM VỤ CỤ THỂ", tables=[rows], doc_type="KH"))
    assert len(tasks) == 2
    assert unit_matches(tasks[0].assignee, ["Văn phòng HĐND và UBND"]) and tasks[0].due == dt.date(2026, 9, 30)
    assert tasks[0].co_assignees and unit_matches(tasks[0].co_assignees[0], ["Các phòng chuyên môn"])
    assert unit_matches(tasks[1].assignee, ["Phòng Nội vụ"]) and tasks[1].due == dt.date(2026, 10, 31)


NEGATIVES = [
    ("opening-reference", "Thực hiện Công văn số 1520/UBND-NN ngày 05/7/2026 của UBND huyện về phòng chống lụt bão, "
                          "UBND xã triển khai như sau"),
    ("opening-meeting", "Sáng ngày 28/6/2026, đồng chí Lê Văn Nam, Chủ tịch UBND xã chủ trì cuộc họp giao ban."),
    ("background", "Trong thời gian qua, các phòng chuyên môn đã tích cực triển khai nhiệm vụ được giao, "
                   "tuy nhiên tiến độ một số nội dung còn chậm."),
    ("assessment", "Tuy nhiên, việc cập nhật dữ liệu hộ tịch còn chậm, chưa đồng bộ."),
    ("closing", "Ủy ban nhân dân xã thông báo để các phòng, ban, đơn vị biết, thực hiện./."),
]


@pytest.mark.parametrize("case,text", NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_not_tasks(case, text):
    assert extract_tasks(notice(text)) == []


def test_assessment_section_holds_no_tasks():
    tasks = extract_tasks(notice(
        "I. ĐÁNH GIÁ CHUNG", "Phòng Kinh tế đã hoàn thành việc rà soát hộ nghèo năm 2026.",
        "II. NHIỆM VỤ THỜI GIAN TỚI", "Phòng Kinh tế: Hướng dẫn hộ nghèo vay vốn ưu đãi."))
    assert [fold(t.action) for t in tasks] == [fold("Hướng dẫn hộ nghèo vay vốn ưu đãi.")]


def test_noi_nhan_and_signature_are_not_tasks():
    tasks = extract_tasks(notice(
        "Giao Công an xã tăng cường tuần tra bảo đảm an ninh trật tự dịp lễ Quốc khánh 2/9.",
        "Nơi nhận:", "- Như trên;", "- Các phòng chuyên môn;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"))
    assert len(tasks) == 1


def test_report_past_work_yields_no_tasks_but_its_plan_does():
    tasks = extract_tasks(notice(
        "Thực hiện Kế hoạch số 45/KH-UBND ngày 10/3/2026 của UBND huyện, UBND xã Tân Lập báo cáo như sau:",
        "I. KẾT QUẢ THỰC HIỆN",
        "Ban hành Quyết định số 112/QĐ-UBND ngày 15/3/2026 về việc thành lập Tổ công nghệ số cộng đồng.",
        "UBND xã đã tổ chức 04 lớp tập huấn kỹ năng số cho 320 lượt người dân.",
        "Phòng Văn hóa - Xã hội đã phối hợp với Bưu điện xã hướng dẫn người dân cài đặt VNeID.",
        "II. KHÓ KHĂN, HẠN CHẾ", "- Hạ tầng mạng tại các thôn vùng cao chưa ổn định.",
        "III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI",
        "Tiếp tục đẩy mạnh tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến.",
        doc_type="BC", issuer="Ủy ban nhân dân xã Tân Lập"))
    assert len(tasks) == 1
    assert unit_matches(tasks[0].assignee, ["UBND xã Tân Lập"])
    assert "tuyên truyền" in tasks[0].action


def test_date_without_year_takes_the_notice_year():
    tasks = extract_tasks(notice("Giao Phòng Nội vụ trình phương án sắp xếp thôn trước ngày 05/9.",
                                 date=dt.date(2025, 8, 1)))
    assert tasks[0].due == dt.date(2025, 9, 5)


def test_txt_file_through_the_api(tmp_path):
    from pipeline import api

    path = tmp_path / "tb-phuong.txt"
    path.write_text("\n\n".join([
        "ỦY BAN NHÂN DÂN PHƯỜNG AN HÒA", "Số: 88/TB-UBND", "An Hòa, ngày 14 tháng 7 năm 2026", "THÔNG BÁO",
        "Kết luận của Chủ tịch UBND phường tại cuộc họp về công tác vệ sinh môi trường",
        "1. Giao Phòng Kinh tế, Hạ tầng và Đô thị:",
        "- Kiểm tra, xử lý các điểm tập kết rác thải tự phát trên địa bàn, hoàn thành trước ngày 31/7/2026;",
        "- Tổng hợp kết quả ra quân tổng vệ sinh môi trường, báo cáo UBND phường trước ngày 28 hằng tháng.",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT."]), encoding="utf-8")
    tasks = api.extract(api.parse(path))
    assert len(tasks) == 2
    assert all(unit_matches(t.assignee, ["Phòng Kinh tế, Hạ tầng và Đô thị"]) for t in tasks)
    assert tasks[0].due == dt.date(2026, 7, 31)
    assert tasks[1].recurrence == "monthly"


def test_group_heading_names_its_bodies():
    tasks = extract_tasks(notice("3. Các bệnh viện", "Chuẩn bị đầy đủ thuốc, dịch truyền, giường bệnh cho người bệnh.",
                                 doc_type="CV"))
    assert len(tasks) == 1 and tasks[0].assignee == "Các bệnh viện"


def test_meeting_words_are_not_assignments():
    # "họp giao ban", "bàn giao" use "giao" in another sense
    assert extract_tasks(notice("Chiều nay các đơn vị họp giao ban, bàn giao hồ sơ cho Văn phòng.")) == []


def test_unknown_unit_name_with_a_verb_inside():
    tasks = extract_tasks(notice("Giao Ban Quản lý dự án đầu tư xây dựng huyện đẩy nhanh tiến độ thi công trường học."))
    assert tasks[0].assignee == "Ban Quản lý dự án đầu tư xây dựng huyện"


@pytest.mark.parametrize("tail", ["Thời hạn hoàn thành: trước ngày 05/9/2026.",
                                  "Đề nghị các đơn vị hoàn thành trước ngày 05/9/2026."])
def test_deadline_tail_lines_attach_to_the_task_before(tail):
    tasks = extract_tasks(notice(
        "1. Giao Trạm Y tế xã", "Tổ chức tiêm chủng mở rộng cho trẻ em dưới 5 tuổi tại các thôn.", tail,
        "2. Giao Công an xã", "Tăng cường tuần tra kiểm soát trên các tuyến đường liên thôn."))
    assert len(tasks) == 2
    assert tasks[0].due == dt.date(2026, 9, 5) and tasks[1].due is None


@pytest.mark.parametrize("sentence,person", [
    ("Giao đồng chí Phó Chủ tịch UBND xã Hoàng Thị Mai chỉ đạo tổ chức Lễ hội đền Cuông năm 2026.", "Hoàng Thị Mai"),
    ("Giao đồng chí Phó Chủ tịch UBND xã phụ trách khối kinh tế chỉ đạo thu ngân sách.", "Phó Chủ tịch UBND xã"),
    ("Giao đồng chí Nguyễn Hữu Lợi, Trưởng Công an xã chủ trì rà soát các đối tượng nghiện ma túy.", "Nguyễn Hữu Lợi"),
    ("Giao đ/c Nguyễn Văn Bình - Phó Chủ tịch UBND xã chỉ đạo thu ngân sách năm 2026.", "Nguyễn Văn Bình"),
])
def test_person_assignees(sentence, person):
    tasks = extract_tasks(notice(sentence))
    assert len(tasks) == 1 and tasks[0].assignee == person


def test_work_naming_nobody_goes_to_the_bodies_the_lead_in_addresses():
    tasks = extract_tasks(notice(
        "Để thực hiện tốt nhiệm vụ năm học mới, UBND huyện yêu cầu các trường học trên địa bàn thực hiện các nội dung sau:",
        "1. Về cơ sở vật chất",
        "Rà soát, sửa chữa phòng học, bàn ghế, nhà vệ sinh trước ngày 25/8/2026.",
        "2. Về đội ngũ",
        "Phòng Nội vụ: Tham mưu tuyển dụng giáo viên còn thiếu."))
    assert len(tasks) == 2
    assert fold(tasks[0].assignee) == fold("các trường học trên địa bàn")
    assert tasks[0].due == dt.date(2026, 8, 25)
    assert unit_matches(tasks[1].assignee, ["Phòng Nội vụ"])


def test_so_cong_van_with_a_section_per_recipient():
    recipients = ["Trung tâm Kiểm soát bệnh tật tỉnh", "Trung tâm Y tế các huyện, thị xã, thành phố"]
    tasks = extract_tasks(notice(
        "Theo báo cáo của Trung tâm Kiểm soát bệnh tật tỉnh, từ đầu năm đến nay toàn tỉnh đã ghi nhận 1.254 ca mắc.",
        "Để chủ động kiểm soát dịch bệnh, Sở Y tế đề nghị các đơn vị triển khai thực hiện các nội dung sau:",
        "1. Trung tâm Kiểm soát bệnh tật tỉnh",
        "a) Tăng cường giám sát, phát hiện sớm các ca bệnh, xử lý triệt để ổ dịch.",
        "b) Tổng hợp tình hình dịch bệnh, báo cáo Sở Y tế trước 15 giờ thứ Sáu hằng tuần.",
        "2. Trung tâm Y tế các huyện, thị xã, thành phố",
        "- Tham mưu UBND cấp huyện tổ chức chiến dịch diệt lăng quăng, bọ gậy trước ngày 30/9/2026.",
        "Đề nghị Quý đơn vị nghiêm túc triển khai thực hiện, báo cáo kết quả về Sở Y tế trước ngày 10/10/2026./.",
        doc_type="CV", recipients=recipients, issuer="Sở Y tế tỉnh Quảng Trị"))
    assert len(tasks) == 4
    assert [t.assignee for t in tasks[:3]] == ["Trung tâm Kiểm soát bệnh tật tỉnh"] * 2 + [
        "Trung tâm Y tế các huyện, thị xã, thành phố"]
    assert tasks[1].recurrence == "weekly"
    assert tasks[2].due == dt.date(2026, 9, 30)
    assert all(unit_matches(tasks[3].assignee, [r]) for r in recipients) and tasks[3].due == dt.date(2026, 10, 10)


def test_task_table_with_title_row_group_rows_and_merged_cells():
    rows = [["PHỤ LỤC: DANH MỤC NHIỆM VỤ"] * 5,
            ["TT", "Nhiệm vụ", "Cơ quan, đơn vị chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành"],
            ["A", "LĨNH VỰC Y TẾ", "LĨNH VỰC Y TẾ", "LĨNH VỰC Y TẾ", "LĨNH VỰC Y TẾ"],
            ["1", "Tiêm vắc xin sởi cho trẻ từ 1 đến 5 tuổi", "Trạm Y tế xã", "Các thôn", "Quý III/2026"],
            ["2", "Kiểm tra an toàn thực phẩm bếp ăn trường học", "", "", ""],
            ["B", "LĨNH VỰC GIÁO DỤC", "", "", ""],
            ["3", "Tổng hợp số trẻ bỏ học", "Trường THCS xã", "", "Năm 2026"]]
    tasks = extract_tasks(notice("Phụ lục kèm theo", tables=[rows], doc_type="KH"))
    assert [t.action for t in tasks] == ["Tiêm vắc xin sởi cho trẻ từ 1 đến 5 tuổi",
                                         "Kiểm tra an toàn thực phẩm bếp ăn trường học", "Tổng hợp số trẻ bỏ học"]
    assert unit_matches(tasks[1].assignee, ["Trạm Y tế"]) and tasks[1].due == dt.date(2026, 9, 30)
    assert tasks[2].due == dt.date(2026, 12, 31)
    assert tasks[0].block_path.endswith(".r4")


def test_task_table_group_row_naming_a_unit_leads_its_rows():
    rows = [["STT", "Nội dung công việc", "Thời gian hoàn thành"],
            ["I", "Phòng Tư pháp", ""],
            ["1", "Rà soát thủ tục chứng thực", "30/10/2026"],
            ["II", "Công an xã", ""],
            ["2", "Tổng kiểm tra nhân khẩu tạm trú", "15/11/2026"]]
    tasks = extract_tasks(notice(tables=[rows], doc_type="KH"))
    assert [t.assignee for t in tasks][:1] and unit_matches(tasks[0].assignee, ["Phòng Tư pháp"])
    assert unit_matches(tasks[1].assignee, ["Công an xã"]) and tasks[1].due == dt.date(2026, 11, 15)


def test_two_units_assigned_in_one_paragraph_make_two_tasks():
    tasks = extract_tasks(notice(
        "Giao Phòng Kinh tế chủ trì kiểm tra hệ thống kênh mương trước ngày 15/9/2026. Giao Công an xã bảo đảm "
        "an ninh trật tự tại các điểm thi công."))
    assert len(tasks) == 2
    assert unit_matches(tasks[0].assignee, ["Phòng Kinh tế"]) and tasks[0].due == dt.date(2026, 9, 15)
    assert unit_matches(tasks[1].assignee, ["Công an xã"]) and tasks[1].due is None
    assert tasks[1].action.startswith("Giao Công an xã")


def test_never_fails_on_shuffled_and_broken_paragraphs():
    import random
    from pathlib import Path

    from extractors.readers import read

    samples = Path(__file__).resolve().parent.parent / "samples"
    paragraphs = [e.text for f in sorted(samples.glob("*.txt")) for e in read(f).elements]
    broken = ["", ":", "- +", "a)", "I.", "Giao", "Giao :", "Giao đồng chí", "Giao Giám đốc:", "Kính gửi:",
              "Cơ quan chủ trì:", "Thời gian thực hiện:", "trước ngày 31/2/2026", "Giao Phòng " * 30, "x" * 3000]
    rng = random.Random(7)
    for _ in range(60):
        elements = []
        for _ in range(rng.randint(0, 25)):
            if rng.random() < 0.1:
                elements.append(RawTable(rows=[[rng.choice(paragraphs + broken)[:40] for _ in range(rng.randint(0, 5))]
                                               for _ in range(rng.randint(0, 4))]))
            else:
                elements.append(RawParagraph(text=rng.choice(paragraphs + broken), bold=rng.random() < 0.2,
                                             label=rng.choice([None, None, "-", "1.", "a)", ""])))
        text, body = build_body(elements)
        n = Notice(source="f.txt", format="txt", text=text, body=body, doc_type=rng.choice([None, "TB", "BC", "CV"]),
                   recipients=rng.choice([[], ["Sở Y tế"]]), issuer=rng.choice([None, "Ủy ban nhân dân xã Tân Lập"]))
        for t in extract_tasks(n):
            assert t.assignee.strip() and t.action.strip()
            assert t.span is None or 0 <= t.span[0] <= t.span[1] <= len(text)


def test_phuong_conclusions_under_a_numbered_lead_in():
    tasks = extract_tasks(notice(
        "1. Ghi nhận, biểu dương Tổ dân phố số 5 đã làm tốt công tác vận động Nhân dân giữ gìn trật tự đô thị.",
        "2. Thống nhất chủ trương cải tạo nhà văn hóa tổ dân phố bằng nguồn xã hội hóa.",
        "3. Để giải quyết các kiến nghị của Nhân dân, Chủ tịch UBND phường giao nhiệm vụ cụ thể như sau:",
        "- Công an phường tăng cường tuần tra, xử lý nghiêm các trường hợp tụ tập gây mất trật tự vào ban đêm.",
        "- Đề nghị Ủy ban Mặt trận Tổ quốc phường vận động Nhân dân giữ gìn vệ sinh chung.",
        "Văn phòng HĐND và UBND phường thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./."))
    assert [t.assignee for t in tasks] == ["Công an phường", "Ủy ban Mặt trận Tổ quốc phường"]


def test_time_line_under_a_list_dates_every_item():
    tasks = extract_tasks(notice(
        "2. Giao Phòng Văn hóa - Xã hội",
        "- Rà soát danh sách hộ nghèo, hộ cận nghèo;", "- Lập hồ sơ đề nghị hỗ trợ nhà ở cho hộ nghèo.",
        "Thời gian hoàn thành: trước ngày 15/11/2026.",
        "3. Giao Công an xã", "- Rà soát nhân khẩu tạm trú."))
    assert [t.due for t in tasks] == [dt.date(2026, 11, 15), dt.date(2026, 11, 15), None]


def test_unit_name_alone_before_colon_heads_following_paragraphs():
    tasks = extract_tasks(notice("Phòng Kinh tế:", "Rà soát diện tích đất công ích bị lấn chiếm.",
                                 "Lập phương án cho thuê đất công ích năm 2027.", "Công an xã:",
                                 "Tăng cường tuần tra ban đêm tại các thôn."))
    assert [t.assignee for t in tasks] == ["Phòng Kinh tế", "Phòng Kinh tế", "Công an xã"]


@pytest.mark.parametrize("sentence,unit", [
    ("Giao Phòng Kinh tế kiểm kê, đánh giá hiện trạng các nhà văn hóa thôn.", "Phòng Kinh tế"),
    ("Chi cục Thuế khu vực phối hợp với UBND các xã tăng cường các biện pháp chống thất thu.", "Chi cục Thuế khu vực"),
    ("Giao Phòng Nông nghiệp và Môi trường kiểm tra các điểm sạt lở.", "Phòng Nông nghiệp và Môi trường"),
])
def test_where_a_known_name_ends(sentence, unit):
    tasks = extract_tasks(notice(sentence))
    assert tasks[0].assignee == unit


def test_asking_for_help_when_stuck_is_not_a_task():
    tasks = extract_tasks(notice(
        "1. Giao Công an xã rà soát các đối tượng có nguy cơ vi phạm pháp luật.",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo cáo Chủ tịch UBND xã để xem xét, chỉ đạo."))
    assert len(tasks) == 1 and tasks[0].assignee == "Công an xã"


def test_table_cells_are_whole_names_and_empty_time_is_no_deadline():
    rows = [["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
            ["1", "Rà soát đất công ích", "Phòng Kinh tế, Hạ tầng và Đô thị", "Công an xã; Trạm Y tế xã", "trước ngày 15/9/2026"],
            ["2", "Làm sạch dữ liệu dân cư", "Trung tâm Dịch vụ tổng hợp", "", ""]]
    tasks = extract_tasks(notice(tables=[rows], doc_type="KH"))
    assert tasks[0].assignee == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert [fold(c) for c in tasks[0].co_assignees] == [fold("Công an xã"), fold("Trạm Y tế xã")]
    assert unit_matches(tasks[1].assignee, ["Trung tâm Dịch vụ tổng hợp"]) and tasks[1].deadline is None


def test_plan_item_with_field_lines_is_one_task():
    tasks = extract_tasks(notice(
        "II. NHIỆM VỤ CỤ THỂ", "1. Tuyên truyền về chuyển đổi số",
        "- Nội dung: Xây dựng chuyên mục chuyển đổi số trên Trang thông tin điện tử.",
        "- Đơn vị chủ trì: Phòng Văn hóa - Xã hội.", "- Đơn vị phối hợp: Đài Truyền thanh xã, Đoàn Thanh niên xã.",
        "- Thời gian thực hiện: Quý III/2026.",
        "2. Đào tạo kỹ năng số cho cán bộ, công chức", "- Đơn vị chủ trì: Trung tâm Phục vụ hành chính công.",
        "- Thời gian thực hiện: Tháng 10/2026.", doc_type="KH"))
    assert [(t.block_path, t.due) for t in tasks] == [("II.1", dt.date(2026, 9, 30)), ("II.2", dt.date(2026, 10, 31))]
    assert "Xây dựng chuyên mục chuyển đổi số" in tasks[0].action and len(tasks[0].co_assignees) == 2
    assert unit_matches(tasks[1].assignee, ["Trung tâm Phục vụ hành chính công"])


def test_huyen_cong_van_items_go_to_the_addressed_bodies():
    tasks = extract_tasks(notice(
        "Thực hiện Công điện số 05/CĐ-UBND ngày 20/9/2026 của UBND tỉnh về ứng phó với bão số 6, UBND huyện yêu cầu "
        "Chủ tịch UBND các xã, thị trấn khẩn trương thực hiện một số nội dung sau:",
        "1. Theo dõi chặt chẽ diễn biến của bão; thông tin kịp thời cho Nhân dân biết để chủ động phòng tránh.",
        "2. Kiểm tra các khu dân cư ven sông, vùng trũng thấp, hoàn thành trước 17 giờ ngày 22/9/2026.",
        "3. Tổ chức trực ban 24/24 giờ, báo cáo tình hình về UBND huyện trước 16 giờ hằng ngày.",
        "Nhận được Công văn này, yêu cầu các đơn vị nghiêm túc triển khai thực hiện./.",
        doc_type="CV", recipients=["UBND các xã, thị trấn"], issuer="Ủy ban nhân dân huyện Quế Phong"))
    assert [t.block_path for t in tasks] == ["1", "2", "3"]
    assert all(fold(t.assignee) == fold("UBND các xã, thị trấn") for t in tasks)
    assert tasks[1].due == dt.date(2026, 9, 22)


def test_section_titles_are_not_tasks():
    tasks = extract_tasks(notice("1. Quán triệt trách nhiệm người đứng đầu",
                                 "Các phòng chuyên môn, đơn vị chịu trách nhiệm trước Chủ tịch UBND xã về kết quả thực hiện."))
    assert [t.block_path for t in tasks] == ["1.p1"]


def test_report_without_issuer_in_its_header_names_the_reporting_body():
    tasks = extract_tasks(notice(
        "Thực hiện Công văn số 120/UBND-VP ngày 02/7/2026 của UBND huyện, Ủy ban nhân dân xã Tân Lập báo cáo "
        "kết quả thực hiện như sau:",
        "I. KẾT QUẢ THỰC HIỆN", "UBND xã đã tổ chức 04 lớp tập huấn kỹ năng số.",
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", "Tiếp tục rà soát, chuẩn hóa dữ liệu dân cư trên địa bàn.",
        doc_type="BC"))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["UBND xã Tân Lập"])


@pytest.mark.parametrize("sentence,unit", [
    ("Giao Trung tâm Dịch vụ tổng hợp chuẩn bị các điều kiện tổ chức Lễ giao nhận quân.", "Trung tâm Dịch vụ tổng hợp"),
    ("Giao Phòng Văn hóa - Xã hội tổng hợp báo cáo kết quả thực hiện.", "Phòng Văn hóa - Xã hội"),
    ("Công an phường tăng cường tuần tra ban đêm tại các tuyến phố.", "Công an phường"),
])
def test_a_verb_inside_an_unknown_name(sentence, unit):
    assert extract_tasks(notice(sentence))[0].assignee == unit


def test_reply_to_a_citizen_assigns_nothing_to_the_citizen():
    tasks = extract_tasks(notice(
        "UBND xã nhận được đơn của ông Nguyễn Văn Tư, thôn 3, đề nghị cấp lại giấy chứng nhận quyền sử dụng đất.",
        "Về nội dung trên, UBND xã có ý kiến như sau:",
        "Đề nghị ông Nguyễn Văn Tư liên hệ Bộ phận một cửa của UBND xã để được hướng dẫn hồ sơ theo quy định.",
        doc_type="CV", recipients=["Ông Nguyễn Văn Tư, thôn 3"]))
    assert tasks == []


def test_note_addressed_to_the_lead_units():
    tasks = extract_tasks(notice(
        "a) Phòng Văn hóa - Xã hội", "- Rà soát hộ nghèo.", "* Lưu ý đối với các đơn vị chủ trì:",
        "- Lưu trữ đầy đủ tài liệu minh chứng theo yêu cầu."))
    assert [t.assignee for t in tasks] == ["Phòng Văn hóa - Xã hội", "các đơn vị chủ trì"]


def test_cue_data_is_validated_on_load():
    import tomllib

    from extractors.cues import _DATA, _validate

    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    _validate(data)
    data["verbs"]["action"] = []
    with pytest.raises(ValueError, match=r"\[verbs\]\.action"):
        _validate(data)
    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    data["skip"]["past_issued"] = "(unclosed"
    with pytest.raises(ValueError, match="past_issued"):
        _validate(data)


def test_lists_under_context_lead_ins_are_not_tasks():
    tasks = extract_tasks(notice(
        "1. Tình hình chung", "Thành phần tham dự gồm:", "- Đại diện Công an xã;",
        "- Trưởng các thôn trên địa bàn xã tham gia ý kiến.",
        "Kết quả đạt được:", "- Phòng Kinh tế đã hoàn thành việc kiểm kê đất công ích.",
        "2. Nhiệm vụ thời gian tới", "Giao Phòng Kinh tế lập phương án cho thuê đất công ích năm 2027."))
    assert [t.action for t in tasks] == ["Giao Phòng Kinh tế lập phương án cho thuê đất công ích năm 2027."]


def test_time_line_under_a_sentence_heading_dates_the_heading():
    tasks = extract_tasks(notice(
        "2. Giao Phòng Tư pháp rà soát, hệ thống hóa văn bản quy phạm pháp luật của xã.",
        "Thời gian hoàn thành trước ngày 30/10/2026.",
        "3. Giao Công an xã tổng kiểm tra nhân khẩu tạm trú."))
    assert [(t.block_path, t.due) for t in tasks] == [("2", dt.date(2026, 10, 30)), ("3", None)]
