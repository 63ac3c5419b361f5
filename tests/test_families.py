"""Families of misses found on real notices (issue 9), each as a rule tested on sentences of our own.

One row per family member: the paragraphs of a notice body, a phrase of the task that must be found
(or None when the body holds no task), and the accepted lead unit.
"""
import datetime as dt

import pytest

from extractors.assignments import extract_tasks
from pipeline.evaluate import fold, unit_matches
from tests.test_assignments import notice

FOUND = [
    # 1. context cues do not veto a directive with a named body
    ("purpose-opening-under-directing-heading",
     ["II. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI",
      "1. Trên cơ sở kết quả rà soát năm 2026, khẩn trương hoàn thiện quy hoạch chung xây dựng xã."],
     "khẩn trương hoàn thiện quy hoạch", "UBND huyện Tân Lập", dict(title="Kết luận tại buổi làm việc với lãnh đạo huyện Tân Lập")),
    ("survey-then-giao-inside",
     ["Qua rà soát, còn 7 hộ chưa kê khai đất; UBND xã giao công chức Địa chính - Xây dựng hướng dẫn các hộ "
      "hoàn thiện hồ sơ."],
     "hướng dẫn các hộ hoàn thiện hồ sơ", "Địa chính - Xây dựng", {}),
    # 2. bodies listed before their verb, with titles and adjuncts
    ("semicolon-list-of-bodies",
     ["3. Các sở, ban, ngành tỉnh; UBND các huyện, thị xã tiếp tục phổ biến Luật Thanh niên đến đoàn viên."],
     "phổ biến luật thanh niên", "Các sở, ban, ngành tỉnh", {}),
    ("title-list-co-trach-nhiem",
     ["Thủ trưởng các cơ quan chuyên môn; Chủ tịch UBND các xã có trách nhiệm: chỉ đạo kiểm tra an toàn "
      "thực phẩm tại bếp ăn tập thể."],
     "kiểm tra an toàn thực phẩm", "các cơ quan chuyên môn", {}),
    ("adjunct-between-body-and-verb",
     ["Sở Giao thông vận tải theo chức năng, nhiệm vụ được giao khẩn trương kiểm tra các cầu yếu."],
     "kiểm tra các cầu yếu", "Sở Giao thông vận tải", {}),
    ("parenthetical-giao",
     ["4. Xây dựng quy chế phối hợp quản lý chợ trên địa bàn (Giao Phòng Kinh tế chủ trì, phối hợp với "
      "Công an xã)."],
     "quy chế phối hợp quản lý chợ", "Phòng Kinh tế", {}),
    ("agent-after-purpose-opening",
     ["Trên cơ sở đề nghị của UBND các xã, Phòng Tài chính - Kế hoạch chủ trì, phối hợp với Kho bạc Nhà nước "
      "thẩm định dự toán kinh phí hỗ trợ."],
     "thẩm định dự toán kinh phí", "Phòng Tài chính - Kế hoạch", {}),
    ("dotted-letter-label",
     ["3.2. Yêu cầu về kỹ thuật:", "3.2.a. Phòng Kinh tế nghiên cứu, thiết kế mẫu nhà văn hóa thôn."],
     "thiết kế mẫu nhà văn hóa", "Phòng Kinh tế", {}),
    ("theo-do-then-subject-acts",
     ["Theo đó, UBND các xã, thị trấn tăng cường kiểm tra việc khai thác cát trái phép trên sông."],
     "kiểm tra việc khai thác cát", "UBND các xã, thị trấn", {}),
    ("directive-under-context-heading",
     ["Nội dung thông báo:", "1. Đề nghị các tổ dân phố thu dọn pa nô, áp phích sau lễ hội.",
      "2. Giao Ban Văn hóa - Thông tin kiểm tra việc thu dọn."],
     "kiểm tra việc thu dọn", "Ban Văn hóa - Thông tin", {}),
    ("directive-before-a-petition",
     ["Về việc này, UBND tỉnh yêu cầu UBND huyện Hòa Vang kiểm tra, giải quyết đơn của bà Lê Thị Hoa theo quy định."],
     "giải quyết đơn của bà", "UBND huyện Hòa Vang", {}),
    ("numbered-body-keeps-its-number",
     ["Ban Quản lý dự án đầu tư xây dựng số 2 đẩy nhanh tiến độ đường vành đai."],
     "đẩy nhanh tiến độ đường vành đai", "Ban Quản lý dự án đầu tư xây dựng số 2", {}),
    ("known-name-extended-before-verb",
     ["3. Giao Trung tâm Văn hóa - Thể thao và Truyền thanh Huyện thông báo lịch tiêm trên sóng phát thanh."],
     "lịch tiêm trên sóng", "Trung tâm Văn hóa - Thể thao và Truyền thanh", {}),
    ("ministries-as-a-group",
     ["Các Bộ, cơ quan liên quan theo chức năng nhiệm vụ được giao nghiên cứu kỹ kiến nghị của tỉnh."],
     "nghiên cứu kỹ kiến nghị", "Các Bộ, cơ quan liên quan", {}),
    ("lead-in-brackets-at-the-end",
     ["5. Thành lập tổ kiểm tra liên ngành về an toàn thực phẩm (Giao Phòng Y tế tham mưu; Công an xã phối hợp)."],
     "tổ kiểm tra liên ngành", "Phòng Y tế", {}),
    # 2. directions inside news prose
    ("news-leader-directs-a-unit",
     ["Qua kiểm tra thực tế, ông Trần Văn Nam - Phó Chủ tịch UBND huyện chỉ đạo Phòng Nông nghiệp phối hợp với "
      "Trạm Khuyến nông hướng dẫn nông dân phòng trừ sâu cuốn lá."],
     "phòng trừ sâu cuốn lá", "Phòng Nông nghiệp", {}),
    ("news-direction-after-past-work",
     ["Lãnh đạo UBND xã đã đến thăm hỏi các hộ bị ngập. Đồng thời, chỉ đạo Trường Tiểu học Hòa Lạc kiểm tra, "
      "vệ sinh lớp học trước khi học sinh trở lại."],
     "vệ sinh lớp học", "Trường Tiểu học Hòa Lạc", {}),
    ("de-nghi-colon-list-of-associations",
     ["6. Đề nghị: Hiệp hội Doanh nghiệp huyện, Hội Nông dân huyện",
      "a) Tuyên truyền, vận động hội viên tham gia sàn thương mại điện tử."],
     "vận động hội viên", "Hiệp hội Doanh nghiệp huyện", {}),
    ("basis-then-subject-acts",
     ["Căn cứ Quyết định số 22/2026/QĐ-UBND, các thôn, tổ dân phố tổ chức phổ biến chính sách hỗ trợ nhà ở."],
     "phổ biến chính sách hỗ trợ", "các thôn, tổ dân phố", {}),
    ("case-then-body-is-responsible",
     ["Các hộ gia đình tự tổ chức sửa chữa nhà ở. Trường hợp hộ không tự làm được thì UBND xã có trách nhiệm "
      "tổ chức sửa chữa cho các hộ này."],
     "tổ chức sửa chữa cho các hộ", "UBND xã", {}),
    # 5. a working visit's conclusions are for the visited body
    ("visit-conclusions-name-nobody",
     ["Ngày 3/6/2026, Chủ tịch UBND tỉnh đã làm việc với lãnh đạo huyện Đông Sơn về tiến độ đầu tư công.",
      "II. NHIỆM VỤ, GIẢI PHÁP THỜI GIAN TỚI",
      "1. Đẩy nhanh tiến độ giải phóng mặt bằng các dự án trọng điểm.",
      "2. Về cải cách hành chính:", "- Tiếp tục rà soát thủ tục hành chính cấp xã."],
     "rà soát thủ tục hành chính cấp xã", "UBND huyện Đông Sơn", {}),
]

NOT_FOUND = [
    ("past-leadership-is-not-a-direction", ["Trong thời gian qua, UBND xã đã tập trung lãnh đạo, chỉ đạo các thôn "
                                            "triển khai thực hiện nghiêm túc nghị quyết."]),
    ("issued-a-letter-about", ["Ngày 10/02/2026, Chủ tịch UBND huyện ban hành công văn chỉ đạo các phòng chuyên môn "
                               "về việc chấp hành nghiêm biện pháp phòng dịch."]),
    ("exhortation-names-no-work", ["UBND xã yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện."]),
    ("cases-are-not-schools", ["Yêu cầu các trường hợp cách ly ở tại nhà, tự theo dõi sức khỏe."]),
    ("issuer-announces", ["Ủy ban nhân dân phường 4 thông báo đến Ban điều hành các khu phố được biết, thực hiện."]),
    ("head-noun-of-another-word", ["Đối với trường hợp nhà ở phải sửa chữa khung, tường thì sau khi sửa chữa phải "
                                   "bảo đảm chất lượng.", "Báo cáo tình hình thực hiện được gửi 3 tháng một lần."]),
    ("preamble-bases", ["CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",
                        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                        "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 15/TTr-SNV ngày 2/3/2026."]),
    ("closing-collective-is-no-lead", ["2. Thống nhất chủ trương sửa chữa nhà văn hóa khu phố.",
                                        "UBND phường thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./."]),
]


@pytest.mark.parametrize("case,paragraphs,key,unit,meta", FOUND, ids=[c[0] for c in FOUND])
def test_family_found(case, paragraphs, key, unit, meta):
    n = notice(*paragraphs).model_copy(update=meta)
    tasks = extract_tasks(n)
    hits = [t for t in tasks if fold(key) in fold(t.action)]
    assert hits, f"{case}: no task contains {key!r}: {[t.action for t in tasks]}"
    assert unit_matches(hits[0].assignee, [unit]), hits[0].assignee


@pytest.mark.parametrize("case,paragraphs", NOT_FOUND, ids=[c[0] for c in NOT_FOUND])
def test_family_not_a_task(case, paragraphs):
    assert extract_tasks(notice(*paragraphs, doc_type="QĐ")) == []


def test_a_decision_s_attached_plan_carries_the_tasks():
    tasks = extract_tasks(notice(
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống thiên tai năm 2026.",
        "Điều 2. Chánh Văn phòng UBND huyện, Thủ trưởng các phòng chuyên môn chịu trách nhiệm thi hành Quyết định này./.",
        "Nơi nhận:", "- Như Điều 2;", "KẾ HOẠCH",
        "(Kèm theo Quyết định số 12/QĐ-UBND ngày 2/3/2026 của UBND huyện)",
        "1. Phòng Nông nghiệp và Môi trường rà soát các điểm có nguy cơ sạt lở trước ngày 30/4/2026.",
        doc_type="QĐ"))
    hit = [t for t in tasks if "sạt lở" in t.action]
    assert hit and hit[0].assignee == "Phòng Nông nghiệp và Môi trường"
    assert hit[0].due == dt.date(2026, 4, 30)


def test_nothing_after_the_signature_without_an_attachment():
    tasks = extract_tasks(notice(
        "1. Giao Phòng Tư pháp rà soát văn bản quy phạm pháp luật.", "Nơi nhận:", "- Như trên;",
        "Bạn đang đăng nhập trên nhiều thiết bị, vui lòng đăng xuất thiết bị khác."))
    assert [t.assignee for t in tasks] == ["Phòng Tư pháp"]


@pytest.mark.parametrize("text,due,recurrence,day", [
    ("Giao Phòng Kinh tế: Hằng tháng, trước ngày 25, báo cáo tiến độ giải ngân về UBND xã.", None, "monthly", 25),
    ("Giao Phòng Kinh tế hoàn thành kiểm kê tài sản công trong Quí IV-2026.", dt.date(2026, 12, 31), None, None),
    ("Giao Phòng Kinh tế hoàn thành kiểm kê tài sản công trong quí III năm 2026.", dt.date(2026, 9, 30), None, None),
])
def test_deadline_forms_found_on_real_notices(text, due, recurrence, day):
    task = extract_tasks(notice(text))[0]
    assert (task.due, task.recurrence, task.deadline.day_of_period) == (due, recurrence, day)


def test_semicolon_before_a_new_subject_splits_the_paragraph():
    tasks = extract_tasks(notice(
        "UBND các phường có trách nhiệm kiểm tra việc treo cờ tại khu dân cư; Thủ trưởng các cơ quan, đơn vị chỉ đạo "
        "treo cờ tại trụ sở đúng quy định./."))
    assert [(fold(t.assignee)[:20], fold("trụ sở") in fold(t.action)) for t in tasks] == [
        (fold("UBND các phường")[:20], False), (fold("các cơ quan, đơn vị")[:20], True)]


def test_a_list_of_leads_is_not_split_at_its_semicolons():
    tasks = extract_tasks(notice(
        "Thủ trưởng các sở, ban, ngành; Chủ tịch UBND các huyện căn cứ chức năng, nhiệm vụ chỉ đạo xây dựng kế hoạch "
        "phòng cháy chữa cháy năm 2027."))
    assert len(tasks) == 1 and "kế hoạch phòng cháy" in tasks[0].action


# 7. co-operating units: groups written with commas, names joined by "và", nouns that are also verbs
@pytest.mark.parametrize("text,co", [
    ("Giao Sở Y tế chủ trì, phối hợp với Bộ đội Biên phòng tỉnh, Bộ Chỉ huy Quân sự tỉnh kiểm tra cửa khẩu.",
     ["Bộ đội Biên phòng tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]),
    ("Giao Công an huyện chủ trì, phối hợp với các cơ quan, tổ chức có liên quan tuần tra dịp Tết.",
     ["các cơ quan, tổ chức có liên quan"]),
])
def test_co_operating_units_as_written(text, co):
    task = extract_tasks(notice(text))[0]
    assert all(any(unit_matches(p, [c]) for p in task.co_assignees) for c in co), task.co_assignees
    assert len(task.co_assignees) == len(co), task.co_assignees


def test_table_cell_keeps_a_group_written_with_commas():
    rows = [["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
            ["1", "Xây dựng kho dữ liệu số của tỉnh", "Sở Khoa học và Công nghệ",
             "Các sở, ban, ngành tỉnh; UBND các xã, phường", "Quý IV/2026"]]
    task = extract_tasks(notice(tables=[rows]))[0]
    assert [fold(c) for c in task.co_assignees] == [fold("Các sở, ban, ngành tỉnh"), fold("UBND các xã, phường")]
    assert task.due == dt.date(2026, 12, 31)


def test_bare_address_means_the_recipients():
    n = notice("Yêu cầu các đồng chí sắp xếp công việc, về dự hội nghị đúng giờ.",
               recipients=["Hiệu trưởng các trường Tiểu học, THCS"])
    assert unit_matches(extract_tasks(n)[0].assignee, ["Hiệu trưởng các trường Tiểu học, THCS"])


def test_sentences_of_a_numbered_item_with_their_own_subjects_are_tasks_of_their_own():
    tasks = extract_tasks(notice(
        "(2) Về triển khai chương trình: UBND huyện sẽ phân công nhiệm vụ các phòng. Phòng Dân tộc chịu trách nhiệm "
        "hướng dẫn thực hiện ở các xã vùng cao. Yêu cầu các phòng, ban đổi mới phương thức chỉ đạo."))
    assert [fold(t.assignee) for t in tasks if fold("hướng dẫn") in fold(t.action) or fold("đổi mới") in fold(t.action)] == [
        fold("Phòng Dân tộc"), fold("các phòng, ban")]


def test_nothing_after_the_closing_mark_of_the_text():
    tasks = extract_tasks(notice(
        "1. Giao Phòng Tư pháp rà soát văn bản.",
        "UBND xã thông báo để các đơn vị biết, thực hiện./.",
        "Bạn đã đăng nhập quá nhiều lần, Quý khách vui lòng đăng xuất để tiếp tục sử dụng dịch vụ."))
    assert [t.assignee for t in tasks] == ["Phòng Tư pháp"]


def test_a_heading_in_capitals_after_a_lead_in_does_not_load_the_tagger():
    from extractors import nlp

    before = nlp.STATS["pos_tag.calls"]
    extract_tasks(notice("III. PHÂN CÔNG NHIỆM VỤ", "1. Phòng Kinh tế rà soát hạ tầng chợ."))
    assert nlp.STATS["pos_tag.calls"] == before


def test_a_misspelt_key_in_the_language_data_is_refused(tmp_path, monkeypatch):
    from extractors import vocab

    (tmp_path / "cues.toml").write_text((vocab.DATA / "cues.toml").read_text(encoding="utf-8")
                                        .replace("[verbs]\n", "[verbs]\nactoin = [\"rà soát\"]\n", 1), encoding="utf-8")
    monkeypatch.setattr(vocab, "DATA", tmp_path)
    vocab._read.cache_clear()
    from extractors.cues import SCHEMA
    try:
        with pytest.raises(vocab.VocabularyError, match=r"\[verbs\].*actoin"):
            vocab.load("cues.toml", SCHEMA)
    finally:
        vocab._read.cache_clear()


def test_a_news_title_is_not_a_task():
    n = notice("Phó Chủ tịch UBND huyện kiểm tra tiến độ gieo cấy vụ Đông Xuân",
               "Sáng 3/1/2026, đoàn kiểm tra đã đến các cánh đồng của xã.").model_copy(update={"doc_type": None})
    assert extract_tasks(n) == []


def test_clauses_with_their_own_dates_are_tasks_of_their_own():
    tasks = extract_tasks(notice(
        "1. Thủ trưởng các phòng chuyên môn; Chủ tịch UBND các xã căn cứ chức năng, nhiệm vụ chỉ đạo: xây dựng kế "
        "hoạch phòng cháy và gửi về UBND huyện trước ngày 28/2/2027; lập dự toán kinh phí; báo cáo kết quả thực hiện "
        "về UBND huyện trước ngày 10/11/2027.",
        "* Lưu ý: các vụ cháy phải báo cáo ngay về UBND huyện."))
    dated = {fold(t.action)[:20]: t.due for t in tasks}
    assert dated[fold("xây dựng kế hoạch phòng")[:20]] == dt.date(2027, 2, 28)
    assert dated[fold("báo cáo kết quả thực hiện")[:20]] == dt.date(2027, 11, 10)
    assert all(unit_matches(t.assignee, ["các phòng chuyên môn"]) for t in tasks if "lưu ý" not in fold(t.action))


def test_a_task_listing_its_papers_is_one_task():
    tasks = extract_tasks(notice("1. UBND xã:", "- Lập hồ sơ hoàn công cho từng hộ được hỗ trợ, bao gồm:",
                                 "+ Đơn đề nghị hỗ trợ của hộ gia đình;", "+ Biên bản nghiệm thu (01 bản)."))
    assert len(tasks) == 1 and fold(tasks[0].action).startswith(fold("Lập hồ sơ hoàn công"))


def test_the_issuer_telling_of_its_own_work_is_not_a_task():
    n = notice("Thực hiện chương trình công tác tháng 9, Phòng Giáo dục và Đào tạo tổ chức hội nghị giao ban.",
               issuer="Phòng Giáo dục và Đào tạo huyện Tân Yên")
    assert extract_tasks(n) == []


# ---------------------------------------------------------------- held-out probe families (real notices of other
# provinces and levels); each rule tested on sentences of our own.

def test_lettered_items_after_a_semicolon_are_items_of_their_own(tmp_path):
    """"a) ...;" then "b) ..." in pasted text: "b)" starts in lower case but opens the next item, not a wrap."""
    from pipeline import api

    path = tmp_path / "kh.md"
    path.write_text("KẾ HOẠCH\n\nThực hiện chương trình công tác năm 2026, UBND xã Tân Lạc ban hành kế hoạch như sau:\n\n"
                    "1. Giao Phòng Văn hóa - Thông tin huyện Tân Lạc:\n\n"
                    "a) Tổ chức hội nghị quán triệt quy chế dân chủ ở cơ sở;\n\n"
                    "b) Biên soạn tài liệu tuyên truyền cho các thôn, bản.\n", encoding="utf-8")
    tasks = api.extract(api.parse(path))
    assert [fold(t.action).startswith(fold(k)) for t, k in zip(tasks, ["Tổ chức hội nghị", "Biên soạn tài liệu"])] == [True] * 2
    assert len(tasks) == 2
    assert all(unit_matches(t.assignee, ["Phòng Văn hóa - Thông tin", "Phòng Văn hóa và Thông tin"]) for t in tasks)


def test_plan_fields_written_as_headings_with_the_bodies_listed_below():
    """A plan's section: "1. Nội dung" + a) b) items, "2. Cơ quan chủ trì, phối hợp" with "a) Cơ quan chủ trì" /
    "b) Cơ quan phối hợp" and one body per line, "3. Thời gian thực hiện: ...": the items are the tasks, the
    listed bodies lead them; neither the field headings nor the bodies' lines are tasks."""
    tasks = extract_tasks(notice(
        "II. NỘI DUNG THỰC HIỆN", "1. CÔNG TÁC TUYÊN TRUYỀN", "1. Nội dung, biện pháp",
        "a) Tổ chức tọa đàm về bảo tồn nghề dệt thổ cẩm;", "b) Xây dựng chuyên mục về làng nghề trên trang thông tin xã.",
        "2. Cơ quan chủ trì, phối hợp", "a) Cơ quan chủ trì", "- Phòng Văn hóa - Xã hội.",
        "b) Cơ quan phối hợp", "- Hội Nông dân xã; Đoàn Thanh niên xã.",
        "3. Thời gian thực hiện: Tháng 9/2026 và thường xuyên.", doc_type="KH"))
    assert len(tasks) == 2, [t.action for t in tasks]
    assert [fold(t.action).startswith(fold(k)) for t, k in zip(tasks, ["Tổ chức tọa đàm", "Xây dựng chuyên mục"])] == [True] * 2
    assert all(unit_matches(t.assignee, ["Phòng Văn hóa - Xã hội"]) for t in tasks)
    assert any(unit_matches(c, ["Hội Nông dân"]) for c in tasks[0].co_assignees)


def test_a_lead_field_heading_with_its_bodies_as_lines():
    tasks = extract_tasks(notice(
        "III. KIỂM TRA, GIÁM SÁT", "1. Nội dung", "a) Kiểm tra việc niêm yết giá tại các chợ.",
        "2. Chủ trì thực hiện", "- Phòng Kinh tế; Công an xã.", doc_type="KH"))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["Phòng Kinh tế"])


@pytest.mark.parametrize("text,unit", [
    # a body of another body: "Văn phòng" + a body's name with its own capitalised words
    ("6. Văn phòng Ban Chỉ đạo huyện Tân Lạc", "Văn phòng Ban Chỉ đạo huyện Tân Lạc"),
    ("6. Văn phòng Sở Y tế", "Văn phòng Sở Y tế"),
    # a group whose head words are also a verb ("tổ chức"), listed with "và"
    ("5. Các tổ chức chính trị - xã hội và tổ chức, đoàn thể có liên quan",
     "Các tổ chức chính trị - xã hội và tổ chức, đoàn thể có liên quan"),
])
def test_heading_names_a_body_whose_name_holds_another(text, unit):
    tasks = extract_tasks(notice(text, "- Chủ trì, phối hợp với các cơ quan chức năng đề xuất chính sách hỗ trợ người cao tuổi."))
    assert len(tasks) == 1 and fold(tasks[0].assignee) == fold(unit), [t.assignee for t in tasks]


def test_a_plan_s_lettered_parts_are_headings_and_its_purpose_is_no_task():
    """"A. MỤC ĐÍCH, YÊU CẦU" / "2. Yêu cầu" / "Bảo đảm ...": the part's letter is a heading's label, so the part
    is read as the purpose section it is; "B. NHIỆM VỤ" holds the tasks. An initial ("A. Nguyễn") is no label."""
    from extractors.blocks import parse_label

    tasks = extract_tasks(notice(
        "A. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Nâng cao nhận thức của người dân về bảo vệ rừng.", "2. Yêu cầu",
        "Bảo đảm sự phối hợp chặt chẽ giữa các cơ quan, đơn vị trong quá trình thực hiện.",
        "B. NHIỆM VỤ CỤ THỂ", "1. Hạt Kiểm lâm huyện Tân Lạc tổ chức tuần tra các khu rừng giáp ranh.", doc_type="KH",
        recipients=["Các xã, thị trấn"]))
    assert [fold(t.action)[:9] for t in tasks] == [fold("Hạt Kiểm lâm")[:9]]
    assert parse_label("A. Nguyễn Văn Bình phụ trách chung")[0] is None


def test_a_markdown_rule_is_not_a_task():
    tasks = extract_tasks(notice("2. Giao Phòng Kinh tế", "- Kiểm tra việc niêm yết giá tại chợ Tân Lạc.", "---"))
    assert len(tasks) == 1


@pytest.mark.parametrize("paragraphs,unit", [
    # under "Giao X", "tham mưu ... đề nghị Y" is what X will propose: X leads
    (["5. Giao Ban Pháp chế", "- Phối hợp Ban Kinh tế tham mưu Thường trực HĐND đề nghị UBND huyện sớm ban hành "
                              "quy chế chi tiêu nội bộ."], "Ban Pháp chế"),
    # a bracketed "(Giao X ...)" after "tham mưu" is an aside of its own: it still assigns
    (["6. Xây dựng và tham mưu với UBND huyện ban hành quy chế chi tiêu (Giao Công an huyện chủ trì, phối hợp với "
      "Phòng Tư pháp)."], "Công an huyện"),
])
def test_a_request_the_unit_will_propose_is_not_a_direction(paragraphs, unit):
    tasks = extract_tasks(notice(*paragraphs))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, [unit]), [t.assignee for t in tasks]


def test_work_before_a_closing_lead_in_is_a_task_of_its_own():
    tasks = extract_tasks(notice(
        "2. Sở Xây dựng chủ trì, phối hợp với Sở Tài chính hoàn thiện đề án nhà ở xã hội, trình UBND tỉnh trước ngày "
        "15/9/2026. Trong đó chú ý một số nội dung sau:",
        "- Về quỹ đất:", "Sở Xây dựng rà soát quỹ đất sạch tại các khu đô thị mới."))
    main = [t for t in tasks if fold("hoàn thiện đề án nhà ở") in fold(t.action)]
    assert main and main[0].due == dt.date(2026, 9, 15) and unit_matches(main[0].assignee, ["Sở Xây dựng"])
    assert any(fold("rà soát quỹ đất") in fold(t.action) for t in tasks)


@pytest.mark.parametrize("text,unit", [
    ("3. Vườn quốc gia Bạch Mã, các Công ty Lâm nghiệp chủ động rà soát diện tích rừng trồng.", "Vườn quốc gia Bạch Mã"),
    ("1. Cơ quan, đơn vị trường học báo cáo kết quả tự kiểm tra trước ngày 10/4/2026.", "Cơ quan, đơn vị trường học"),
])
def test_bodies_named_without_a_known_head(text, unit):
    tasks = extract_tasks(notice(text))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, [unit]), [t.assignee for t in tasks]


# ---------------------------------------------------------------- second held-out probe (round 2)

def test_words_glued_by_a_missing_space_after_a_name_and_before_a_date():
    """Portal typos: "Môi trườngchủ trì", "trướcngày 20/11/2026"."""
    tasks = extract_tasks(notice("UBND tỉnh giao Sở Tài nguyên và Môi trườngchủ trì, phối hợp với Sở Xây dựng kiểm tra "
                                 "mỏ cát Hòa Lạc. Thời gian thực hiện hoàn thành trướcngày 20/11/2026."))
    assert len(tasks) == 1 and tasks[0].assignee == "Sở Tài nguyên và Môi trường"
    assert tasks[0].due == dt.date(2026, 11, 20)


def test_announcing_and_asking_names_who_acts():
    tasks = extract_tasks(notice("Ủy ban nhân dân phường Tân Lạc thông báo và đề nghị các cơ quan, đơn vị, trường học "
                                 "trên địa bàn phường treo cờ Tổ quốc từ ngày 01/9/2026 đến hết ngày 03/9/2026."))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["các cơ quan, đơn vị"]), [t.assignee for t in tasks]
    assert extract_tasks(notice("Ủy ban nhân dân phường Tân Lạc thông báo đến các tổ dân phố được biết, thực hiện.")) == []


def test_a_purpose_opening_that_asks_counted_bodies_to_act_leads_its_items():
    """"Để ..., UBND phường xây dựng kế hoạch đề nghị 12 Tổ dân phố ... thực hiện một số nội dung sau:" names who
    acts however long the purpose clause; a count before the bodies is part of their name."""
    tasks = extract_tasks(notice(
        "Để thiết thực tạo không khí phấn khởi, thi đua sôi nổi trong toàn phường chào mừng kỷ niệm 80 năm thành lập "
        "huyện Tân Lạc, Ủy ban nhân dân phường Hòa Bình xây dựng kế hoạch đề nghị 12 Tổ dân phố trên địa bàn phường "
        "thực hiện một số nội dung sau:",
        "- Vận động các hộ dân treo cờ Tổ quốc.", "- Treo băng rôn tại nhà văn hóa tổ."))
    assert len(tasks) == 2 and all(unit_matches(t.assignee, ["12 Tổ dân phố"]) for t in tasks), [t.assignee for t in tasks]


def test_a_party_committee_s_addressees_are_groups():
    tasks = extract_tasks(notice("2. Các cấp ủy, tổ chức đảng chủ động quán triệt nghị quyết đến toàn thể đảng viên."))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["Các cấp ủy, tổ chức đảng"]), [t.assignee for t in tasks]


def test_the_closing_mark_ends_the_last_item_before_an_appendix():
    """The last numbered item of a plan is a task though the closing paragraph and the appendix's table nest
    under it in the tree."""
    tasks = extract_tasks(notice(
        "III. TỔ CHỨC THỰC HIỆN", "1. Phòng Văn hóa - Xã hội tổ chức tuyên truyền về kế hoạch.",
        "2. Phòng Tài chính - Kế hoạch tham mưu cân đối, bố trí kinh phí thực hiện kế hoạch.",
        "Trên đây là Kế hoạch của UBND huyện Tân Lạc; các đơn vị được giao nhiệm vụ khẩn trương triển khai thực hiện./.",
        "PHỤ LỤC", doc_type="KH",
        tables=[[["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"], ["1", "In tài liệu tuyên truyền", "Phòng Văn hóa - Xã hội",
                                                                      "Tháng 9/2026"]]]))
    assert any(fold("bố trí kinh phí") in fold(t.action) and unit_matches(t.assignee, ["Phòng Tài chính - Kế hoạch"])
               for t in tasks), [(t.assignee, t.action) for t in tasks]


@pytest.mark.parametrize("text,unit", [
    # the unit's own clause goes on: what it is to require of others is part of its task
    ("8. Phối hợp với UBND các xã rà soát các dự án trồng rừng; yêu cầu các doanh nghiệp báo cáo diện tích trồng mới.",
     "Phòng Nông nghiệp"),
    ("b) Phối hợp với Sở Tài chính rà soát, yêu cầu các doanh nghiệp trồng rừng cung cấp thông tin về diện tích.",
     "Phòng Nông nghiệp"),
])
def test_a_requirement_the_unit_makes_stays_in_its_task(text, unit):
    tasks = extract_tasks(notice("II. GIAO PHÒNG NÔNG NGHIỆP", text))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, [unit]), [(t.assignee, t.action) for t in tasks]


def test_the_issuer_deciding_after_a_semicolon_still_assigns():
    tasks = extract_tasks(notice("Các phòng thống nhất chỉ có một cơ quan chủ trì; giao Phòng Kinh tế làm chủ đầu tư, "
                                 "chịu trách nhiệm lập hồ sơ dự án chợ Tân Lạc."))
    assert any(unit_matches(t.assignee, ["Phòng Kinh tế"]) and fold("lập hồ sơ") in fold(t.action) for t in tasks)


# ---------------------------------------------------------------- third held-out probe (round 3)

@pytest.mark.parametrize("text,unit", [
    # a locality named to act stands for its People's Committee; a modal word sits between it and its verb
    ("Qua giám sát, Thường trực HĐND huyện đề nghị xã Hòa Lạc cần tiếp tục chủ động khai thác các nguồn thu.",
     "UBND xã Hòa Lạc"),
    ("Ngoài ra, nhà trường và Phòng Giáo dục và Đào tạo phải có ý kiến về việc may đồng phục cho học sinh.", "Nhà trường"),
])
def test_bodies_named_the_way_news_names_them(text, unit):
    tasks = extract_tasks(notice(text))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, [unit]), [t.assignee for t in tasks]


@pytest.mark.parametrize("paragraphs", [
    ["Đoàn sẽ kiểm tra hồ sơ phổ cập giáo dục của các xã trong tháng 7."],  # an announced plan, not a direction
    ["Theo quy định hiện hành, trường hợp này không được xem xét.",
     "Bộ Nội vụ trả lời để Ủy ban nhân dân tỉnh Tân Lạc được rõ./."],  # a reply's closing formula
])
def test_intentions_and_a_reply_s_closing_are_not_tasks(paragraphs):
    assert extract_tasks(notice(*paragraphs, doc_type="CV")) == []


def test_a_group_named_in_a_list_of_recipients_ends_before_a_date_or_a_status():
    tasks = extract_tasks(notice(
        "Theo công văn của Sở gửi Trưởng phòng Giáo dục 12 huyện; Thủ trưởng các đơn vị trực thuộc Sở, đến ngày "
        "02/01/2027 vẫn còn nhiều đơn vị chưa thực hiện cung cấp số liệu."))
    assert all(fold("chưa") not in fold(t.assignee) for t in tasks), [t.assignee for t in tasks]


def test_a_letter_of_the_issuer_telling_its_own_acts_and_plans_has_only_the_recipients_tasks():
    """A công văn: an earlier letter of its own told as background ("đã có Công văn số ... đề nghị X"), the
    issuer's own decision after an opening ("Căn cứ ..., Bộ trưởng Bộ X đồng ý ..."), and its plan ("Bộ sẽ
    tổng kết ...") are not tasks; what the recipients must do is."""
    n = notice(
        "Ngày 16/8/2026, Bộ Nội vụ đã có Công văn số 3395/BNV-TCCB gửi Tổng công ty Bưu điện và đề nghị Tổng công ty "
        "Bưu điện cần có giải pháp khắc phục tồn tại.",
        "Căn cứ đề xuất của các địa phương, Bộ trưởng Bộ Nội vụ đồng ý mở rộng thí điểm tại 07 tỉnh.",
        "Giám đốc Sở Nội vụ có trách nhiệm:", "- Hướng dẫn các xã lập danh sách người hưởng trợ cấp.",
        "Căn cứ kết quả thí điểm, trong năm 2027 Bộ sẽ tổng kết, đánh giá những ưu điểm, nhược điểm.",
        doc_type="CV", issuer="Bộ Nội vụ", recipients=["Sở Nội vụ tỉnh Tân Lạc"]).model_copy(update={"doc_number": "12/BNV-TCCB"})
    tasks = extract_tasks(n)
    assert [fold(t.action)[:10] for t in tasks] == [fold("Hướng dẫn các xã")[:10]], [t.action for t in tasks]


def test_a_header_grid_with_its_kinh_gui_row(tmp_path):
    """A legal site's two-column grid holding "Kính gửi:" | "- A; - B." as its last row: the date in the right
    column is the notice's date, not a recipient; each dash is one recipient."""
    from pipeline import api

    path = tmp_path / "cv.md"
    path.write_text(
        "| ỦY BAN NHÂN DÂN HUYỆN TÂN LẠC ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ------- |\n"
        "| --- | --- |\n"
        "| Số: 12/UBND-VP *V/v kiểm tra an toàn chợ Tân Lạc* | *Tân Lạc, ngày 05 tháng 3 năm 2026* |\n"
        "| Kính gửi: | - Phòng Kinh tế; - Phòng Tư pháp. |\n"
        "| --- | --- |\n"
        "Giao Phòng Kinh tế kiểm tra an toàn phòng cháy tại chợ Tân Lạc trước ngày 20/3/2026.\n", encoding="utf-8")
    n = api.parse(path)
    assert n.doc_date == dt.date(2026, 3, 5)
    assert n.recipients == ["Phòng Kinh tế", "Phòng Tư pháp"]


def test_a_law_s_assignment_cited_as_background_is_no_task():
    tasks = extract_tasks(notice(
        "1. Chợ đầu mối là hạ tầng thương mại quan trọng của huyện. Luật Thương mại năm 2005 và Nghị định số "
        "60/2024/NĐ-CP ngày 05 tháng 6 năm 2024 của Chính phủ giao Ủy ban nhân dân cấp huyện quản lý chợ trên địa bàn.",
        "2. Phòng Kinh tế rà soát hồ sơ chợ đầu mối Tân Lạc, báo cáo trước ngày 15/8/2026."))
    assert [fold(t.assignee) for t in tasks] == [fold("Phòng Kinh tế")], [(t.assignee, t.action[:30]) for t in tasks]


def test_yeu_cau_used_as_a_noun_addresses_no_one():
    """"Căn cứ tình hình và yêu cầu nhiệm vụ, Ban X xây dựng kế hoạch như sau:": the writer's own plan; its
    unit-less items are not tasks of Ban X (only "yêu cầu|đề nghị <body>" addresses the items below)."""
    tasks = extract_tasks(notice(
        "Căn cứ tình hình và yêu cầu nhiệm vụ năm 2026, Ban Chỉ đạo huyện Tân Lạc xây dựng kế hoạch như sau:",
        "A. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Nâng cao chất lượng công tác phòng, chống thiên tai.",
        "B. TỔ CHỨC THỰC HIỆN", "1. Phòng Nông nghiệp", "Rà soát các điểm sạt lở trước ngày 30/6/2026.", doc_type="KH"))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["Phòng Nông nghiệp"]), [(t.assignee, t.action[:30]) for t in tasks]


def test_the_nơi_nhận_list_nested_under_the_closing_line_is_no_work():
    """A PDF's layout can set "Nơi nhận:" on the closing line and its list under it."""
    tasks = extract_tasks(notice(
        "1. Giao Phòng Tư pháp rà soát văn bản quy phạm pháp luật của xã.",
        "Văn phòng HĐND và UBND xã thông báo để các phòng chuyên môn biết, thực hiện./. Nơi nhận:",
        "- Như thành phần dự họp;", "- Lưu: VT.", recipients=["Phòng Kinh tế"]))
    assert [fold(t.assignee) for t in tasks] == [fold("Phòng Tư pháp")], [(t.assignee, t.action) for t in tasks]


def test_councils_sharing_one_locality_written_after_the_last():
    tasks = extract_tasks(notice("Bộ Nội vụ đề nghị Hội đồng nhân dân, Ủy ban nhân dân các tỉnh, thành phố khẩn trương "
                                 "bố trí nguồn lực thực hiện sắp xếp đơn vị hành chính.", doc_type="CV", issuer="Bộ Nội vụ"))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["Hội đồng nhân dân các tỉnh"]), [t.assignee for t in tasks]


def test_the_issuer_s_own_sentence_inside_an_item_is_no_task_of_its_own():
    tasks = extract_tasks(notice(
        "Bộ Nội vụ đề nghị Ủy ban nhân dân các tỉnh thực hiện các nhiệm vụ sau:",
        "2. Tập trung tổ chức thực hiện Nghị định số 12/2026/NĐ-CP. Bộ Nội vụ gửi các mẫu biểu đã được rà soát để tham "
        "khảo trong quá trình tổ chức thực hiện.", doc_type="CV", issuer="Bộ Nội vụ"))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["Ủy ban nhân dân các tỉnh"]), [(t.assignee, t.action) for t in tasks]


def test_a_schedule_before_the_subject():
    tasks = extract_tasks(notice("3. Hằng năm, các cơ quan được phân công chủ trì nhiệm vụ tại Kế hoạch này có trách nhiệm "
                                 "lập dự toán kinh phí, trình cấp có thẩm quyền phê duyệt.", doc_type="KH"))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["các cơ quan"]) and tasks[0].recurrence == "yearly", \
        [(t.assignee, t.recurrence) for t in tasks]


def test_two_units_with_their_own_schedules_in_one_sentence():
    tasks = extract_tasks(notice(
        "Định kỳ từ ngày 1 đến ngày 5 hằng tháng, các phòng chuyên môn được phân công phải cập nhật kết quả giải quyết "
        "kiến nghị cử tri; từ ngày 5 đến ngày 10 hằng tháng, Văn phòng HĐND và UBND huyện kiểm tra và tổng hợp báo cáo "
        "Chủ tịch UBND huyện."))
    assert [(fold(t.assignee)[:12], t.recurrence) for t in tasks] == [
        (fold("các phòng chuyên môn")[:12], "monthly"), (fold("Văn phòng HĐND")[:12], "monthly")], \
        [(t.assignee, t.recurrence) for t in tasks]


def test_a_numbered_document_issued_is_work_done():
    tasks = extract_tasks(notice(
        "1. Công tác chỉ đạo", "Ban Thường vụ Huyện ủy ban hành kết luận số 12-KL/HU ngày 4/3/2026 về cơ chế hỗ trợ "
        "xây dựng nông thôn mới; UBND huyện ban hành Kế hoạch số 30/KH-UBND triển khai thực hiện.").model_copy(
        update={"doc_type": None}))
    assert tasks == [], [(t.assignee, t.action) for t in tasks]


def test_a_partner_list_going_on_after_a_semicolon_is_not_a_new_subject():
    tasks = extract_tasks(notice(
        "Điều 2. Giao Giám đốc Sở Văn hóa", "2. Chủ trì, phối hợp với Chủ tịch Ủy ban nhân dân huyện, thành phố; thủ trưởng "
        "các ngành có liên quan hướng dẫn và tổ chức lễ hội đúng quy định.", doc_type="QĐ"))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["Sở Văn hóa"]), [(t.assignee, t.action) for t in tasks]


# ---------------------------------------------------------------- seventh held-out probe (xã level)

def test_polite_forms_before_the_hamlet_heads_a_commune_tells():
    tasks = extract_tasks(notice(
        "Ủy ban nhân dân xã Tân Lạc yêu cầu các ông xóm trưởng thực hiện nghiêm một số nội dung sau:",
        "1. Nắm bắt thông tin người dân đến địa bàn kịp thời, chính xác.",
        "2. Tuyên truyền phòng chống dịch bệnh trên loa truyền thanh của xóm."))
    assert len(tasks) == 2 and all(unit_matches(t.assignee, ["xóm trưởng", "xóm"]) for t in tasks), [t.assignee for t in tasks]
    lead = extract_tasks(notice("1. Các ông ( bà ) bí thư chi bộ, trưởng các thôn:",
                                "Tổ chức tuyên truyền vận động nhân dân làm vệ sinh đường làng."))
    assert len(lead) == 1 and unit_matches(lead[0].assignee, ["chi bộ"]) and fold("thôn") not in fold(lead[0].assignee)


def test_the_next_numbered_item_run_into_this_one_by_a_web_page():
    from extractors.blocks import build_body
    from extractors.models import RawParagraph

    _, body = build_body([RawParagraph(text="1. Các phòng chuyên môn tiếp tục triển khai mô hình dân vận khéo năm 2026. "
                                            "2. Giao Trung tâm Y tế huyện chủ trì hướng dẫn các xã.")])
    assert [(b.label, b.text[:12]) for b in body] == [("1.", "Các phòng ch"), ("2.", "Giao Trung t")]


def test_a_full_sentence_heading_with_items_is_a_task_and_leads_them():
    tasks = extract_tasks(notice(
        "2. Giao Trung tâm Y tế huyện chủ trì, phối hợp với UBND các xã chỉ đạo các thôn đăng ký mô hình gia đình "
        "không sinh con thứ ba theo quy định.",
        "a) Hàng năm, xây dựng kế hoạch triển khai mô hình trên địa bàn toàn huyện.",
        "b) Căn cứ Quyết định số 84/2017/QĐ-UBND, chủ trì, phối hợp với các thành viên Ban chỉ đạo (phòng Tư pháp, "
        "phòng Văn hóa và Thông tin) chỉ đạo các xã triển khai mô hình."))
    assert len(tasks) == 3 and all(unit_matches(t.assignee, ["Trung tâm Y tế"]) for t in tasks), \
        [(t.assignee, t.action[:20]) for t in tasks]
    assert tasks[1].recurrence == "yearly"


def test_a_page_title_line_with_its_first_paragraph_right_under_it(tmp_path):
    from pipeline import api

    path = tmp_path / "tin.txt"
    path.write_text("Sở Y tế: Tạm dừng tiếp nhận hồ sơ cấp phép hành nghề\n"
                    "Sở Y tế đề nghị UBND các huyện, thị xã thông báo tạm dừng tiếp nhận hồ sơ cấp phép hành nghề đến "
                    "hết tháng 9/2026.\n", encoding="utf-8")
    tasks = api.extract(api.parse(path))
    assert len(tasks) == 1 and unit_matches(tasks[0].assignee, ["UBND các huyện, thị xã"]), [t.assignee for t in tasks]


def test_a_lead_in_run_into_its_list_gives_each_sentence_its_unit():
    """News pages run "... chỉ đạo X thực hiện tốt các nội dung như: A. B. C." into one paragraph: each
    sentence after the colon is a task of X; a sentence naming its own body keeps that body."""
    body = ["Kết luận phiên họp, đồng chí Chủ tịch UBND xã chỉ đạo các chuyên môn, đơn vị thực hiện tốt các nội "
            "dung như: Hoàn thành rà soát hộ nghèo trên địa bàn thôn Đông. Đôn đốc thu thuế sử dụng đất phi nông "
            "nghiệp đạt kế hoạch. Trạm Y tế xã chủ động phòng chống dịch sốt xuất huyết."]
    tasks = extract_tasks(notice(*body))
    assert len(tasks) == 3, [t.action for t in tasks]
    lead = {key: next(t.assignee for t in tasks if fold(key) in fold(t.action))
            for key in ("rà soát hộ nghèo", "thu thuế sử dụng đất", "phòng chống dịch")}
    assert unit_matches(lead["rà soát hộ nghèo"], ["Các chuyên môn, đơn vị"])
    assert unit_matches(lead["thu thuế sử dụng đất"], ["Các chuyên môn, đơn vị"])
    assert unit_matches(lead["phòng chống dịch"], ["Trạm Y tế xã"])


def test_a_colon_that_does_not_close_a_directive_lead_in_splits_nothing():
    from extractors.blocks import _split_inline_list

    for text in ["Thời gian: từ ngày 5/12/2026. Địa điểm: hội trường UBND xã.",
                 "Kết quả như sau: Thu ngân sách đạt 95% kế hoạch. Giải ngân đạt 80% vốn giao.",
                 "Chủ tịch UBND xã yêu cầu như sau: Rà soát hồ sơ."]:  # one sentence: nothing to split
        assert _split_inline_list(text) == (text, [])


def test_a_force_told_to_act_is_a_body():
    """"Lực lượng ..." opens a body's name ("Lực lượng dân quân, công an xã tăng cường tuần tra ...")."""
    body = ["Chủ tịch UBND xã kết luận: Văn phòng HĐND và UBND hoàn thiện hồ sơ trình huyện; Lực lượng dân "
            "quân, công an xã tăng cường tuần tra bảo vệ rừng phòng hộ trên địa bàn thôn Bắc."]
    tasks = extract_tasks(notice(*body))
    patrol = next(t for t in tasks if "tuần tra" in t.action)
    assert unit_matches(patrol.assignee, ["Lực lượng dân quân", "Lực lượng dân quân, công an xã"])
