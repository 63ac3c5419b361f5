"""`nhiemvu eval`: the vendored scorer gives the numbers of shared/eval/score.py."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, summarise
from tests.shared_folder import shared_folder

ROOT = Path(__file__).resolve().parent.parent
SHARED = shared_folder("eval") or ROOT.parent / "shared"  # absent: the tests that need it skip
SEEDS = SHARED / "seeds"
SCORER = SHARED / "eval" / "score.py"


def _gold(tmp_path: Path) -> Path:
    gold = {"source": "tb-01", "document": {"doc_type": "TB"}, "tasks": [
        {"key": "rà soát hộ nghèo", "assignee": ["Phòng Văn hóa - Xã hội", "Phòng VH-XH"],
         "deadline": "2026-08-15", "recurrence": None},
        {"key": "tuyên truyền bảo hiểm y tế", "assignee": ["Trạm Y tế xã"], "deadline": None, "recurrence": "*"},
        {"key": "thông báo để các đơn vị", "assignee": "*", "deadline": "*", "optional": True},
    ]}
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "tb-01.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return folder


def _record(action, assignee, deadline=None, recurrence=None):
    return {"source": "x/tb-01.docx", "assignee": assignee, "co_assignees": [], "action": action,
            "deadline": deadline, "recurrence": recurrence, "doc_type": "TB"}


def test_scoring_counts_strict_matches_and_extras(tmp_path):
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in _gold(tmp_path).glob("*.gold.json")]
    lines = []
    records = [_record("Rà soát hộ nghèo phát sinh", "Phòng Văn hoá - Xã hội", "2026-08-15"),
               _record("Tuyên truyền bảo hiểm y tế hộ gia đình", "Công an xã"),
               _record("Sửa chữa trụ sở", "Phòng Kinh tế")]
    summary = summarise(golds, records, verbose=True, echo=lines.append)
    assert summary["gold_tasks"] == 2 and summary["predicted_tasks"] == 3
    assert summary["detection_recall"] == 1.0 and summary["detection_precision"] == round(2 / 3, 4)
    assert summary["assignee_accuracy"] == 0.5
    # strict: 1 of 3 predicted, 1 of 2 gold → F1 = 0.4
    assert summary["strict_f1"] == 0.4
    assert any("extra  Sửa chữa trụ sở" in line for line in lines)
    assert any(line.startswith("  wrong") for line in lines)


def test_eval_command_prints_strict_f1_last(tmp_path):
    notice = tmp_path / "tb-01.txt"
    notice.write_text("\n\n".join([
        "1. Giao Phòng Văn hóa - Xã hội rà soát hộ nghèo phát sinh, hoàn thành trước ngày 15/8/2026.",
        "2. Trạm Y tế xã: Phối hợp tuyên truyền bảo hiểm y tế hộ gia đình."]), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "eval", "--gold", str(_gold(tmp_path)), str(notice)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    last = out.stdout.strip().splitlines()[-1]
    assert last.startswith("strict_f1=")
    assert float(last.split("=")[1]) > 0


def test_eval_refuses_a_missing_gold_folder(tmp_path):
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "eval", "--gold", str(tmp_path / "none"),
                          str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert "Lỗi:" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.skipif(not SCORER.exists() or not SEEDS.exists(), reason="shared/eval not present")
def test_vendored_scorer_equals_shared_scorer(tmp_path):
    pred = tmp_path / "pred.json"
    lines = []
    summary = evaluate(SEEDS, [ROOT / "samples"], echo=lines.append, records_out=pred)
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(SEEDS), "--pred", str(pred)],
                         capture_output=True, text=True, timeout=120)
    theirs = out.stdout.strip().splitlines()
    assert theirs[-1] == lines[-1] == f"strict_f1={summary['strict_f1']}"
    # the per-notice lines too
    assert [l for l in lines if "strict_F1=" in l] == [l for l in theirs if "strict_F1=" in l]


def test_eval_refuses_a_broken_gold_file_in_one_line(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "x.gold.json").write_text("{hỏng", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "eval", "--gold", str(gold), str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == ["Lỗi: x.gold.json: không đọc được đáp án (cần JSON có 'source' và 'tasks')"]


def test_eval_names_an_unreadable_notice_and_exits_1(tmp_path):
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "eval", "--gold", str(_gold(tmp_path)),
                          str(tmp_path / "khong-co.txt")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "khong-co.txt" in out.stdout + out.stderr and "Traceback" not in out.stderr
    assert out.stdout.strip().splitlines()[-1] == "strict_f1=0.0"
