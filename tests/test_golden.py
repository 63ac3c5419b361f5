"""Golden outputs: the tasks extracted from every notice of samples/ and ../shared/realdev/notices, as
stored under tests/golden/, through the library and through `nhiemvu extract --format json`.

A rule change that changes a task shows here, notice by notice and task by task. When the change is
intended, regenerate (one line) and commit the goldens with the change:

    NHIEMVU_REGEN_GOLDEN=1 python -m pytest -q tests/test_golden.py

The realdev goldens are checked only where the shared folder is beside the project (../shared/realdev,
or NHIEMVU_SHARED=/path/to/shared); without it they are skipped with that reason.
"""
from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.models import task_record
from pipeline import api
from tests.shared_folder import shared_folder

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
FIELDS = ("assignee", "co_assignees", "action", "deadline", "recurrence", "rule")
REGEN = os.environ.get("NHIEMVU_REGEN_GOLDEN") == "1"
REGEN_LINE = "NHIEMVU_REGEN_GOLDEN=1 python -m pytest -q tests/test_golden.py"


SHARED = shared_folder("realdev/notices")
SETS = {"samples": (ROOT / "samples", "samples"),
        "realdev": (SHARED / "realdev" / "notices" if SHARED else None, "../shared/realdev/notices")}


def _notices(name: str) -> list[Path]:
    folder = SETS[name][0]
    return list(api.iter_notice_files([folder])) if folder and folder.is_dir() else []


def _cases() -> list:
    """(set, file name) for every notice present and every golden stored, so a lost notice shows too."""
    cases = set()
    for name in SETS:
        cases |= {(name, p.name) for p in _notices(name)}
        cases |= {(name, g.name[:-len(".json")]) for g in (GOLDEN / name).glob("*.json")}
    return [pytest.param(s, f, id=f"{s}/{f}") for s, f in sorted(cases)]


def _tasks(records: list[dict]) -> list[dict]:
    return [{k: r.get(k) for k in FIELDS} for r in records]


def _golden_file(set_name: str, file_name: str) -> Path:
    return GOLDEN / set_name / f"{file_name}.json"


def _write(set_name: str, file_name: str, tasks: list[dict]) -> None:
    path = _golden_file(set_name, file_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"source": f"{SETS[set_name][1]}/{file_name}", "tasks": tasks}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _short(text: str, n: int = 70) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n - 1] + "…"


def task_diff(stored: list[dict], current: list[dict]) -> list[str]:
    """Readable lines: tasks added, lost, and changed field by field (aligned on their work)."""
    lines = []
    matcher = difflib.SequenceMatcher(a=[t["action"] for t in stored], b=[t["action"] for t in current],
                                      autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        pairs = list(zip(range(a0, a1), range(b0, b1))) if op in ("equal", "replace") else []
        for i, j in pairs:
            changed = [f"{k}: {stored[i][k]!r} → {current[j][k]!r}" for k in FIELDS if stored[i][k] != current[j][k]]
            if changed:
                lines.append(f"  ~ nhiệm vụ {j + 1} «{_short(current[j]['action'])}»")
                lines += [f"      {c}" for c in changed]
        for i in range(a0 + len(pairs), a1):
            lines.append(f"  - mất nhiệm vụ {i + 1}: {stored[i]['assignee']} «{_short(stored[i]['action'])}»")
        for j in range(b0 + len(pairs), b1):
            lines.append(f"  + thêm nhiệm vụ {j + 1}: {current[j]['assignee']} «{_short(current[j]['action'])}» "
                         f"[{current[j]['rule']}]")
    return lines


def _differences(set_name: str, file_name: str, current: list[dict], how: str) -> list[str]:
    """What differs from the stored golden, as lines to read; [] when equal (or just regenerated)."""
    path = _golden_file(set_name, file_name)
    if REGEN and how == "library":
        _write(set_name, file_name, current)
        return []
    if not path.exists():
        return [f"{set_name}/{file_name}: chưa có bản lưu {path.relative_to(ROOT)}"]
    stored = json.loads(path.read_text(encoding="utf-8"))["tasks"]
    if stored == current:
        return []
    return [f"{set_name}/{file_name} ({how}): {len(stored)} nhiệm vụ đã lưu, {len(current)} bây giờ; khác:",
            *(task_diff(stored, current) or ["  (thứ tự nhiệm vụ khác)"])]


def _fail_on(lines: list[str]) -> None:
    if lines:
        pytest.fail("\n".join([*lines, f"Nếu thay đổi là đúng ý, sinh lại bản lưu rồi commit cùng thay đổi: "
                                         f"{REGEN_LINE}"]), pytrace=False)


@pytest.mark.parametrize("set_name,file_name", _cases())
def test_library_output_matches_golden(set_name, file_name):
    folder = SETS[set_name][0]
    if folder is None:
        pytest.skip("../shared/realdev is not beside the project (set NHIEMVU_SHARED to check it)")
    notice_file = folder / file_name
    if not notice_file.exists():
        if REGEN:
            _golden_file(set_name, file_name).unlink()
            return
        pytest.fail(f"{set_name}/{file_name}: bản lưu còn mà văn bản không còn; xóa bằng: {REGEN_LINE}")
    notice = api.parse(notice_file)
    _fail_on(_differences(set_name, file_name, _tasks([task_record(notice, t) for t in api.extract(notice)]),
                          "library"))


def test_cli_output_matches_golden():
    """`nhiemvu extract --format json` over both sets in one process gives the stored tasks."""
    folders = [SETS[s][0] for s in SETS if SETS[s][0] is not None]
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", "--format", "json", *map(str, folders)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    by_file: dict[str, list[dict]] = {}
    for record in json.loads(out.stdout):
        by_file.setdefault(Path(record["source"]).name, []).append(record)
    _fail_on([line for set_name in SETS for notice_file in _notices(set_name)
              for line in _differences(set_name, notice_file.name, _tasks(by_file.get(notice_file.name, [])), "CLI")])


@pytest.mark.parametrize("stored,current,expected", [
    ([{"action": "A", "assignee": "X", "co_assignees": [], "deadline": None, "recurrence": None, "rule": "r/s"}],
     [{"action": "A", "assignee": "X", "co_assignees": [], "deadline": "2026-08-20", "recurrence": None,
       "rule": "r/s"}],
     ["  ~ nhiệm vụ 1 «A»", "      deadline: None → '2026-08-20'"]),
    ([], [{"action": "B", "assignee": "Y", "co_assignees": [], "deadline": None, "recurrence": None, "rule": "r/s"}],
     ["  + thêm nhiệm vụ 1: Y «B» [r/s]"]),
    ([{"action": "C", "assignee": "Z", "co_assignees": [], "deadline": None, "recurrence": None, "rule": "r/s"}], [],
     ["  - mất nhiệm vụ 1: Z «C»"]),
])
def test_a_difference_reads_task_by_task(stored, current, expected):
    assert task_diff(stored, current) == expected
