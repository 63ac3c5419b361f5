"""`nhiemvu explain`: every block of a notice with its decision, in the words of data/vi/rules.toml."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.blocks import build_body
from extractors.models import Block, Notice, RawParagraph
from extractors.rules import UnknownRuleCode, no_task_words, rule_words, task_rule_words
from pipeline import api
from pipeline.explain_cmd import as_json, as_text, decisions

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".docx", ".pdf"))

NOTICE = [
    "ỦY BAN NHÂN DÂN HUYỆN MINH SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
    "Số: 41/TB-UBND", "Minh Sơn, ngày 03 tháng 8 năm 2026", "THÔNG BÁO",
    "Kết luận của Chủ tịch UBND huyện tại cuộc họp về phòng chống thiên tai",
    "Chiều ngày 01/8/2026, Chủ tịch UBND huyện chủ trì cuộc họp về công tác phòng chống thiên tai.",
    "1. Giao Phòng Nông nghiệp và Môi trường chủ trì, phối hợp với Công an huyện kiểm tra các hồ đập xung yếu, "
    "hoàn thành trước ngày 20/8/2026.",
    "2. Giao Phòng Tài chính - Kế hoạch tổng hợp nhu cầu kinh phí khắc phục sạt lở.",
    "Ủy ban nhân dân huyện thông báo để các cơ quan, đơn vị biết, thực hiện./.",
]


def _notice(*paragraphs: str) -> Notice:
    text, body = build_body([RawParagraph(text=p) for p in paragraphs])
    return Notice(source="t.txt", format="txt", doc_type="TB", doc_date=dt.date(2026, 8, 3), year=2026,
                  text=text, body=body)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "explain", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_block_and_every_task_is_explained(path):
    notice = api.parse(path)
    tasks = api.extract(notice)
    out = json.loads(as_json(notice))
    shown = [t for b in out["blocks"] for t in b.get("tasks", [])] + out["unplaced_tasks"]
    assert tasks, "every sample assigns work"
    assert sorted((t["assignee"], t["action"]) for t in shown) == sorted((t.assignee, t.action) for t in tasks)
    for block in out["blocks"]:
        if block["decision"] == "no_task":
            assert block["reason"] == rule_words()["no_task"][block["code"]]
        for t in block.get("tasks", []):
            assert (t["why"]["shape"], t["why"]["lead"]) == task_rule_words(t["rule"])


def test_cli_prints_tasks_with_their_rule_and_blocks_without_with_their_reason(tmp_path):
    f = tmp_path / "tb-41.txt"
    f.write_text("\n\n".join(NOTICE), encoding="utf-8")
    out = _cli(str(f))
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())  # lines are wrapped to the terminal
    assert "Phòng Nông nghiệp và Môi trường chủ trì; phối hợp: Công an huyện" in text
    assert "20/08/2026" in text
    rule = next(t.rule for t in api.extract(api.parse(f)) if "hồ đập" in t.action)
    shape, lead = task_rule_words(rule)
    assert f"vì: {shape}; chủ trì: {lead} [{rule}]" in text
    # the closing formula and the opening have reasons, not silence
    assert "→ không có nhiệm vụ:" in text and "[closing]" in text


def test_cli_json_is_machine_readable(tmp_path):
    f = tmp_path / "tb-41.txt"
    f.write_text("\n\n".join(NOTICE), encoding="utf-8")
    out = _cli(str(f), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    decided = {b["decision"] for b in data["blocks"]}
    assert {"task", "no_task"} <= decided
    task = next(t for b in data["blocks"] for t in b.get("tasks", []) if "hồ đập" in t["action"])
    assert task["deadline"] == "2026-08-20" and task["co_assignees"] == ["Công an huyện"]


@pytest.mark.parametrize("name,content", [
    ("khong-co.txt", None),  # missing
    ("hong.docx", b"PK\x03\x04 not a zip at all"),  # broken Word file
])
def test_cli_unreadable_file_is_one_line_exit_2(tmp_path, name, content):
    f = tmp_path / name
    if content is not None:
        f.write_bytes(content)
    out = _cli(str(f))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: ") and name in lines[0]


def test_a_repeated_path_gets_its_decision_once():
    notice = _notice(*NOTICE[7:])
    first = notice.body[1]
    twin = Block(kind=first.kind, label=first.label, text=first.text, path=first.path, span=first.span)
    notice = notice.model_copy(update={"body": [*notice.body, twin]})
    rows, _ = decisions(notice)
    same = [r for r in rows if r.block.path == first.path]
    assert len(same) == 2 and not same[0].repeated and same[1].repeated and not same[1].tasks
    lines = as_text(notice, width=100)
    assert sum("cùng vị trí" in line for line in lines) == 1


@pytest.mark.parametrize("call,arg,named", [
    (task_rule_words, "paragraph/no-such-lead", "no-such-lead"),
    (task_rule_words, "no-such-shape/named", "no-such-shape"),
    (task_rule_words, "paragraph", "paragraph"),
    (no_task_words, "no-such-reason", "no-such-reason"),
])
def test_an_unknown_code_fails_naming_it_and_the_file(call, arg, named):
    with pytest.raises(UnknownRuleCode) as err:
        call(arg)
    assert "rules.toml" in str(err.value) and f"'{named}'" in str(err.value)


def test_rules_file_has_its_three_sections_only():
    words = rule_words()
    assert set(words) == {"shape", "lead", "no_task"}
    assert all(words[s] for s in words)
