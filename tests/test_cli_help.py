"""`nhiemvu --help` is fast because importing the CLI pulls in no heavy library.

The 0.5 s target is measured by bench/bench_pipeline.py; here we check what makes it possible,
without timing anything.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("underthesea", "spacy", "pdfplumber", "openpyxl", "xlsxwriter", "docxtpl", "pypdfium2", "docx", "reportlab")
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"}


def _python(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=ENV, capture_output=True,
                          text=True, timeout=60)


def test_help_lists_commands_in_vietnamese():
    proc = _python("-m", "pipeline.cli", "--help")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for command in ("run", "parse", "extract", "tasks", "done", "export"):
        assert command in out
    assert "văn bản" in out and "nhiệm vụ" in out  # the help speaks Vietnamese
    assert "Traceback" not in out + proc.stderr


def _listed_commands() -> list[str]:
    out = _python("-m", "pipeline.cli", "--help").stdout
    section = out.split("Commands:", 1)[1] if "Commands:" in out else ""
    return [line.split()[0] for line in section.splitlines() if line.startswith("  ") and line.split()]


def test_each_command_has_help():
    listed = _listed_commands()
    assert {"run", "parse", "extract", "tasks", "export"} <= set(listed), listed
    for command in listed:
        proc = _python("-m", "pipeline.cli", command, "--help")
        assert proc.returncode == 0, (command, proc.stderr)
        assert "Traceback" not in proc.stdout + proc.stderr


def test_importing_cli_imports_no_heavy_library():
    code = ("import sys, json; import pipeline.cli; "
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    proc = _python("-c", code)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_help_imports_no_heavy_library():
    code = ("import sys, json\n"
            "sys.argv = ['nhiemvu', '--help']\n"
            "import pipeline.cli\n"
            "try:\n    pipeline.cli.app()\nexcept SystemExit:\n    pass\n"
            f"print('@@' + json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    proc = _python("-c", code)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.rsplit("@@", 1)[1]) == []
