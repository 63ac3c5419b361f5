"""Hostile and unlucky inputs, as an operator meets them (issue 10): each defect found by the red-team
pass has a test here, run through the CLI in a child process."""
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK_WORDS = ["kiểm tra", "rà soát", "tổng hợp", "báo cáo", "thực hiện", "triển khai", "công tác",
              "dân số", "đất đai", "hồ sơ", "chỉ đạo", "đôn đốc"]


def cli(*args, cwd=None, timeout=300, env_extra=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def no_traceback(proc):
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-2000:]


def unpunctuated(size: int, seed: int = 2) -> str:
    """A paragraph of work verbs and nouns with no '. : ; (' and no comma: one clause, `size` characters."""
    rng = random.Random(seed)
    words = []
    total = 0
    while total < size:
        w = rng.choice(WORK_WORDS)
        words.append(w)
        total += len(w) + 1
    return " ".join(words)[:size]


def test_long_unpunctuated_paragraph_is_extracted_in_linear_time(tmp_path):
    # 400 KB: the quadratic verb scan took ~30 s at 100 KB and ~6 min here; linear takes about two seconds
    notice = tmp_path / "dai.txt"
    notice.write_text("THÔNG BÁO\n\nKết luận hội nghị\n\nGiao Phòng Kinh tế " + unpunctuated(400_000) + "\n",
                      encoding="utf-8")
    proc = cli("extract", notice, timeout=100)
    no_traceback(proc)
    assert proc.returncode == 0
    tasks = json.loads(proc.stdout)
    assert [t["assignee"] for t in tasks] == ["Phòng Kinh tế"]
