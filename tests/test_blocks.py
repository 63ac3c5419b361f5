"""The body tree: numbering levels, bullets, lead-in colons, Word labels."""
from extractors.blocks import build_body, iter_blocks, parse_label
from extractors.models import RawParagraph, RawTable


def _tree(*texts, labels=None):
    labels = labels or [None] * len(texts)
    return build_body([RawParagraph(text=t, label=l) for t, l in zip(texts, labels)])


def _paths(blocks):
    return [(b.path, b.kind, b.text) for b in iter_blocks(blocks)]


def test_numbering_levels_nest_and_close():
    text, blocks = _tree(
        "I. NHIỆM VỤ TRỌNG TÂM",
        "1. Lĩnh vực kinh tế",
        "1.1. Giao Phòng Tài chính - Kế hoạch",
        "Rà soát dự toán ngân sách năm 2026.",
        "1.2. Giao Phòng Nông nghiệp và Môi trường",
        "2. Lĩnh vực văn hóa",
        "II. TỔ CHỨC THỰC HIỆN",
        "Văn phòng theo dõi, đôn đốc.",
    )
    got = [(p, k) for p, k, _ in _paths(blocks)]
    assert got == [("I", "heading"), ("I.1", "heading"), ("I.1.1", "heading"), ("I.1.1.p1", "paragraph"),
                   ("I.1.2", "heading"), ("I.2", "heading"), ("II", "heading"), ("II.p1", "paragraph")]
    para = blocks[0].children[0].children[0].children[0]
    assert text[para.span[0]:para.span[1]] == "Rà soát dự toán ngân sách năm 2026."


def test_letters_and_mixed_bullets():
    _, blocks = _tree(
        "1. Các đơn vị chủ trì",
        "a) Phòng Kinh tế",
        "- Chủ trì thực hiện các tiêu chí:",
        "- + Tỷ lệ hồ sơ trực tuyến;",
        "- + Tỷ lệ thanh toán không dùng tiền mặt.",
        "- Tổng hợp, báo cáo hằng quý.",
        "b) Phòng Văn hóa - Xã hội: Chủ trì các tiêu chí",
        "• Tỷ lệ văn bản ký số;",
    )
    one = blocks[0]
    a, b = one.children
    assert (a.path, a.label, a.text) == ("1.a", "a)", "Phòng Kinh tế")
    assert [c.text for c in a.children] == ["Chủ trì thực hiện các tiêu chí:", "Tổng hợp, báo cáo hằng quý."]
    assert [c.text for c in a.children[0].children] == ["Tỷ lệ hồ sơ trực tuyến;", "Tỷ lệ thanh toán không dùng tiền mặt."]
    assert b.children[0].kind == "item" and b.children[0].text == "Tỷ lệ văn bản ký số;"


def test_lead_in_colon_opens_a_level_and_plain_paragraph_closes_it():
    _, blocks = _tree(
        "3. Tổ chức thực hiện",
        "Ủy ban nhân dân phường yêu cầu các đơn vị thực hiện các nội dung sau:",
        "- Rà soát hồ sơ tồn đọng;",
        "- Báo cáo kết quả trước ngày 15/8/2026.",
        "Văn phòng HĐND và UBND phường theo dõi, đôn đốc.",
    )
    head = blocks[0]
    lead, after = head.children
    assert lead.kind == "paragraph" and len(lead.children) == 2
    assert after.text.startswith("Văn phòng") and after.path == "3.p2"


def test_word_labels_are_used_and_text_kept_whole():
    _, blocks = _tree("Giao Phòng Tư pháp", "Rà soát văn bản quy phạm pháp luật.", labels=["2.", "-"])
    assert blocks[0].label == "2." and blocks[0].kind == "heading"
    assert blocks[0].children[0].kind == "item"
    assert blocks[0].children[0].text == "Rà soát văn bản quy phạm pháp luật."


def test_tables_become_table_blocks():
    _, blocks = build_body([RawParagraph(text="II. NHIỆM VỤ CỤ THỂ"),
                            RawTable(rows=[["STT", "Nội dung", "Chủ trì"], ["1", "Rà soát", "Phòng Kinh tế"]])])
    table = blocks[0].children[0]
    assert table.kind == "table" and table.rows[1][2] == "Phòng Kinh tế"


def test_labels_parsed_off_text():
    assert parse_label("IV. KHÓ KHĂN, HẠN CHẾ")[0].style == "roman"
    assert parse_label("2.1.3. Giao Công an xã")[0].style == "dec3"
    assert parse_label("b. Trạm Y tế")[0].style == "letter"
    assert parse_label("- + Văn bản chỉ đạo")[0].style == "plus"
    assert parse_label("Lê Văn A")[0] is None
    assert parse_label("10/7/2026 là hạn cuối")[0] is None


def test_first_lettered_item_glued_to_its_heading_is_split_back():
    _, blocks = _tree("1. Các đơn vị được giao chủ trì a) Phòng Tài chính - Kế hoạch", "- Lập dự toán.")
    head = blocks[0]
    assert head.text == "Các đơn vị được giao chủ trì"
    assert head.children[0].label == "a)" and head.children[0].text == "Phòng Tài chính - Kế hoạch"
    assert head.children[0].children[0].text == "Lập dự toán."


def test_plan_field_lines_run_into_an_item_are_split_off():
    _, blocks = _tree("1. Cải cách thể chế",
                      "- Rà soát văn bản quy phạm pháp luật.\nCơ quan chủ trì: Phòng Tư pháp.\nThời gian thực hiện: Quý III/2026.")
    head = blocks[0]
    assert [c.text for c in head.children] == ["Rà soát văn bản quy phạm pháp luật.", "Cơ quan chủ trì: Phòng Tư pháp.",
                                               "Thời gian thực hiện: Quý III/2026."]


def test_unnumbered_bold_or_capital_lines_are_headings():
    _, blocks = build_body([
        RawParagraph(text="Về công tác y tế", bold=True),
        RawParagraph(text="Trạm Y tế xã tổ chức tiêm chủng đầy đủ."),
        RawParagraph(text="VỀ CÔNG TÁC GIÁO DỤC"),
        RawParagraph(text="Các trường học rà soát cơ sở vật chất."),
        RawParagraph(text="Ghi chú in đậm cả câu thì không phải mục.", bold=True),
    ])
    assert [(b.kind, b.label, len(b.children)) for b in blocks] == [("heading", None, 1), ("heading", None, 2)]
    assert blocks[1].children[1].kind == "paragraph"


def test_articles_of_a_decision_are_headings():
    assert parse_label("Điều 2. Giao Phòng Tài chính - Kế hoạch thẩm định dự toán.")[0].style == "article"
    _, blocks = _tree("Điều 1. Phê duyệt Kế hoạch kèm theo Quyết định này.", "Điều 2. Tổ chức thực hiện",
                      "1. Giao Phòng Kinh tế theo dõi.", "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.")
    assert [b.path for b in blocks] == ["1", "2", "3"]
    assert blocks[1].children[0].path == "2.1"


def test_a_name_alone_before_a_colon_heads_the_paragraphs_after_it():
    _, blocks = _tree("Phòng Kinh tế:", "Rà soát diện tích đất công ích.", "Lập phương án cho thuê đất.",
                      "Công an xã:", "Tuần tra ban đêm.")
    assert [(b.text, len(b.children)) for b in blocks] == [("Phòng Kinh tế:", 2), ("Công an xã:", 1)]


def test_pipe_typed_table_becomes_a_table_block():
    _, blocks = _tree("II. NHIỆM VỤ CỤ THỂ",
                      "| STT | Nội dung | Đơn vị chủ trì |\n|---|---|---|\n| 1 | Rà soát hộ nghèo | Phòng Văn hóa - Xã hội |")
    table = blocks[0].children[0]
    assert table.kind == "table" and table.rows == [["STT", "Nội dung", "Đơn vị chủ trì"],
                                                   ["1", "Rà soát hộ nghèo", "Phòng Văn hóa - Xã hội"]]
    _, plain = _tree("Tỷ lệ 1 | 2 trong câu văn thường.")
    assert plain[0].kind == "paragraph"


def test_item_paths_use_dash_or_plus_whatever_the_glyph():
    _, blocks = _tree("2. Giao Trạm Y tế", "• Tiêm chủng;", "- + Vắc xin sởi;", labels=[None, None, None])
    assert [b.path for b in iter_blocks(blocks)] == ["2", "2.-1", "2.-1.+1"]


def test_parenthesised_numbers_and_letters_are_their_own_levels():
    _, blocks = _tree("1. Lĩnh vực y tế", "(1) Tiêm chủng mở rộng.", "(a) Rà soát trẻ chưa tiêm.", "(2) Phòng chống dịch.")
    assert [b.path for b in iter_blocks(blocks)] == ["1", "1.1", "1.1.a", "1.2"]
