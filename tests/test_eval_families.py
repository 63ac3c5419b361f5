"""`nhiemvu eval --verbose`: each miss placed at the decision of the block holding it, each extra by its
rule, a table "family → count" after the per-notice lines; the scores and the last line unchanged."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import api
from pipeline.eval_families import NOT_FOUND, extra_rules, locate, places
from pipeline.evaluate import evaluate, fold

ROOT = Path(__file__).resolve().parent.parent

NOTICE = [
    "ỦY BAN NHÂN DÂN HUYỆN MINH SƠN", "THÔNG BÁO",
    "Kết luận của Chủ tịch UBND huyện tại cuộc họp về phòng chống thiên tai",
    "Chiều ngày 01/8/2026, Chủ tịch UBND huyện chủ trì cuộc họp về công tác phòng chống thiên tai.",
    "1. Giao Phòng Nông nghiệp và Môi trường chủ trì, phối hợp với Công an huyện kiểm tra các hồ đập xung yếu, "
    "hoàn thành trước ngày 20/8/2026.",
    "2. Giao Phòng Tài chính - Kế hoạch tổng hợp nhu cầu kinh phí khắc phục sạt lở.",
    "3. Tăng cường kiểm tra an toàn thực phẩm trên địa bàn.",
    "Ủy ban nhân dân huyện thông báo để các cơ quan, đơn vị biết, thực hiện./.",
]
GOLD = {"source": "tb-thien-tai", "tasks": [
    {"key": "kiểm tra các hồ đập xung yếu", "assignee": ["Phòng Nông nghiệp và Môi trường"],
     "deadline": "2026-08-20", "recurrence": None},
    {"key": "an toàn thực phẩm", "assignee": ["Phòng Y tế"], "deadline": None, "recurrence": None},
    {"key": "nạo vét kênh mương nội đồng", "assignee": ["Phòng Kinh tế"], "deadline": None, "recurrence": None},
]}


@pytest.fixture()
def case(tmp_path):
    notice = tmp_path / "tb-thien-tai.txt"
    notice.write_text("\n\n".join(NOTICE), encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "tb-thien-tai.gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    return notice, gold


def test_verbose_places_misses_and_extras_in_families(case):
    notice_file, gold = case
    notice = api.parse(notice_file)
    tasks, trace = api.explain(notice)
    food_block = next(p for p in places(notice, tasks, trace, fold) if fold("an toàn thực phẩm") in p.folded)
    extra = next(t for t in tasks if "kinh phí" in t.action)

    lines: list[str] = []
    verbose = evaluate(gold, [notice_file], verbose=True, echo=lines.append)
    quiet_lines: list[str] = []
    quiet = evaluate(gold, [notice_file], echo=quiet_lines.append)

    assert f"  missed [an toàn thực phẩm]  ← {trace[food_block.path]} ({food_block.path})" in lines
    assert f"  missed [nạo vét kênh mương nội đồng]  ← {NOT_FOUND}" in lines
    assert any(line.startswith("  extra  Giao Phòng Tài chính") and line.endswith(f"  ← {extra.rule}")
               for line in lines)
    # the tables come after the per-notice line, before the totals
    table = lines.index("missed by family (2):")
    assert lines.index(next(l for l in lines if l.startswith("tb-thien-tai "))) < table
    assert any(l.split()[:2] == [trace[food_block.path], "1"] for l in lines[table:table + 3])
    assert any(l.startswith("extra by rule (1):") for l in lines)
    assert any(l.split()[:2] == [extra.rule, "1"] for l in lines)
    # the numbers do not depend on --verbose; the last line stays strict_f1=
    assert {k: v for k, v in verbose.items()} == quiet
    assert lines[-1] == quiet_lines[-1] == f"strict_f1={quiet['strict_f1']}"


@pytest.mark.parametrize("key,expected", [
    ("hồ đập xung yếu", "task:"),  # the block that gave a task
    (["không có câu này", "an toàn thực phẩm"], ""),  # alternatives: any one placed
    ("câu không có trong văn bản", NOT_FOUND),
])
def test_a_key_is_placed_at_the_most_specific_block(case, key, expected):
    notice = api.parse(case[0])
    tasks, trace = api.explain(notice)
    family, path = locate(places(notice, tasks, trace, fold), key, fold)
    assert family.startswith(expected)
    assert (path == "") == (family == NOT_FOUND)


def test_extras_are_matched_to_their_records_in_order():
    preds = [{"action": "Việc A", "rule": "paragraph/named"}, {"action": "Việc B", "rule": "item/heading"},
             {"action": "Việc A", "rule": "table-row/cell"}, {"action": "Việc C"}]
    assert extra_rules(preds, ["Việc B", "Việc A", "Việc C"]) == ["item/heading", "table-row/cell", "không ghi quy tắc"]


def test_cli_verbose_keeps_strict_f1_last(case):
    notice_file, gold = case
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "eval", "--verbose", "--gold", str(gold),
                          str(notice_file)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[-1].startswith("strict_f1=") and "missed by family (2):" in lines


def test_a_lead_in_whose_items_became_tasks_is_its_own_family():
    """Decisions given here (not the extractor's): the lead-in has none, its first item gave a task."""
    from extractors.blocks import build_body
    from extractors.models import Notice, RawParagraph, Task
    from pipeline.eval_families import NO_REASON, OVER_TASKS

    text, body = build_body([RawParagraph(text=p) for p in (
        "1. Giao Ủy ban nhân dân các xã lập hồ sơ hỗ trợ nhà ở cho từng hộ gia đình, bao gồm:",
        "- Đơn đề nghị hỗ trợ của hộ gia đình;", "- Biên bản nghiệm thu nhà ở hoàn thành.")])
    notice = Notice(source="t.txt", format="txt", text=text, body=body)
    item = body[0].children[0]
    tasks = [Task(source="t.txt", assignee="UBND các xã", action=item.text, block_path=item.path, rule="item/heading")]
    where = places(notice, tasks, {body[0].children[1].path: "no-unit"}, fold)
    assert locate(where, "lập hồ sơ hỗ trợ nhà ở", fold) == (OVER_TASKS, body[0].path)
    assert locate(where, "đơn đề nghị hỗ trợ", fold) == ("task:item/heading", item.path)
    assert locate(where, "biên bản nghiệm thu", fold) == ("no-unit", body[0].children[1].path)
    assert locate(places(notice, [], {}, fold), "lập hồ sơ hỗ trợ nhà ở", fold) == (NO_REASON, body[0].path)
