"""A newcomer's first run, exactly as README.md says: a fresh virtual environment, `pip install .`
from a copy of the checkout, then the main command on samples/.

The command is read from README.md itself (the first indented command line containing `nhiemvu run`),
so this test checks what the README really tells people to type.

A clean venv installs underthesea, spaCy, ... from the package registry (minutes). With
NHIEMVU_NEWCOMER_FAST=1 the venv is made with --system-site-packages instead, so only the project
itself is installed; the default is the clean venv a real newcomer has.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FAST = os.environ.get("NHIEMVU_NEWCOMER_FAST") == "1"
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "venv", "out", "nhiemvu.db*", "__pycache__", "*.egg-info",
                                    "build", "dist", ".pytest_cache", "results", "corpus")

pytestmark = pytest.mark.slow


def readme_main_command(readme: Path) -> str:
    """The first command block line of the README that runs `nhiemvu run`."""
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith(("    ", "\t")) and "nhiemvu run" in line:
            return line.strip()
        m = re.match(r"^\s*\$?\s*(.*nhiemvu run.*)$", line)
        if m and "`" not in line and "|" not in line:
            return m.group(1).strip()
    raise AssertionError("README.md shows no `nhiemvu run` command")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    checkout = tmp_path_factory.mktemp("moi") / "nhiemvu"
    shutil.copytree(ROOT, checkout, ignore=NOT_COPIED)
    command = readme_main_command(checkout / "README.md")
    if FAST:
        command = command.replace("-m venv ", "-m venv --system-site-packages ", 1)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_USER")}
    # the same Python as the test, as `python3`, first on PATH
    bindir = tmp_path_factory.mktemp("bin")
    (bindir / "python3").symlink_to(sys.executable)
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    proc = subprocess.run(["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True,
                          timeout=3600)
    return checkout, command, proc


def test_readme_command_succeeds(first_run):
    checkout, command, proc = first_run
    tail = f"$ {command}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert proc.returncode in (0, 1), tail  # 1: done, but some file refused (each named)
    assert "Traceback" not in proc.stdout + proc.stderr, tail


def test_the_command_read_every_sample_and_said_so(first_run):
    """What the command did, from its own report: every sample file looked at, the register's task count."""
    from pipeline.api import iter_notice_files

    checkout, _, proc = first_run
    looked = re.search(r"Đã xét (\d+) tệp", proc.stdout)
    assert looked, proc.stdout
    assert int(looked.group(1)) == len(list(iter_notice_files([checkout / "samples"])))
    said = re.search(r"Sổ nhiệm vụ: (\S+) \((\d+) nhiệm vụ\)", proc.stdout)
    assert said, proc.stdout
    with sqlite3.connect(checkout / said.group(1)) as conn:
        (count,) = conn.execute("SELECT count(*) FROM tasks").fetchone()
    assert count == int(said.group(2)) > 0


def test_register_has_tasks(first_run):
    checkout, _, proc = first_run
    db = checkout / "nhiemvu.db"
    assert db.is_file(), proc.stdout + proc.stderr
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute("SELECT count(*) FROM tasks").fetchone()
    assert count > 0


def test_exports_exist_and_parse(first_run):
    checkout, _, _ = first_run
    out = checkout / "out"
    for suffix in ("csv", "xlsx", "json"):
        files = list(out.glob(f"*.{suffix}"))
        assert files and all(f.stat().st_size > 0 for f in files), f"no non-empty out/*.{suffix}"
    records = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert isinstance(records, list) and records
    assert all(r["assignee"] and r["action"] for r in records)
    sources = {Path(r["source"]).name for r in records}
    assert len(sources) >= 3, sources  # most sample notices assign something

    from openpyxl import load_workbook

    wb = load_workbook(next(out.glob("*.xlsx")), read_only=True)
    rows = sum(1 for ws in wb.worksheets for row in ws.iter_rows(values_only=True) if any(row))
    assert rows > len(records)  # every task, plus headers and the summary


def test_letters_are_drafted(first_run):
    checkout, _, proc = first_run
    letters = list((checkout / "out" / "cong-van").glob("*.docx"))
    assert letters, proc.stdout + proc.stderr
    import docx

    for f in letters:
        d = docx.Document(str(f))
        cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
        text = "\n".join([p.text for p in d.paragraphs] + cells)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text.upper()
        assert "{{" not in text and "{%" not in text  # every placeholder was filled
