"""`nhiemvu draft` and `nhiemvu report` over a real register built by `nhiemvu run`."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTICE = """Số: 21/TB-UBND
Diễn Châu, ngày 02 tháng 3 năm 2026
THÔNG BÁO
Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 3

1. Giao Phòng Kinh tế rà soát diện tích đất công ích, hoàn thành trước ngày 20/3/2026.

2. Giao Trạm Y tế xã tổ chức tiêm chủng mở rộng đợt 2, hoàn thành trước ngày 30/6/2026.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Lê Văn Bình
"""


def cli(*args, cwd, path="/usr/bin:/bin"):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"PYTHONPATH": str(ROOT), "PATH": path})


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    work = tmp_path_factory.mktemp("xa")
    (work / "van-ban").mkdir()
    (work / "van-ban" / "tb-21.txt").write_text(NOTICE, encoding="utf-8")
    result = cli("run", "van-ban", "--as-of", "01/04/2026", cwd=work)
    assert result.returncode == 0, result.stderr
    return work


def test_draft_one_unit_with_overrides(workdir):
    result = cli("draft", "--unit", "phong kinh te", "--as-of", "01/04/2026", "--out", "thu",
                 "--signer", "Lê Văn Bình", "--place", "Diễn Châu", cwd=workdir)
    assert result.returncode == 0, result.stderr
    [letter] = list((workdir / "thu").glob("*.docx"))
    text = "\n".join(c.text for t in docx.Document(letter).tables for r in t.rows for c in r.cells)
    assert "Rà soát diện tích đất công ích" in text or "rà soát diện tích đất công ích" in text
    assert "Quá hạn" in text and "Lê Văn Bình" in text and "Diễn Châu, ngày 01 tháng 4 năm 2026" in text


def test_draft_combined_and_notice_filter(workdir):
    result = cli("draft", "--combined", "--notice", "21/TB", "--as-of", "01/04/2026", "--out", "chung", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert len(list((workdir / "chung").glob("*.docx"))) == 1
    none = cli("draft", "--notice", "99/TB", "--as-of", "01/04/2026", "--out", "rong", cwd=workdir)
    assert none.returncode == 0 and "Không có nhiệm vụ" in none.stdout


def test_report_command(workdir):
    result = cli("report", "--as-of", "01/04/2026", "--out", "bc", cwd=workdir)
    assert result.returncode == 0, result.stderr
    [path] = list((workdir / "bc").glob("*.docx"))
    assert "Tổng cộng" in "\n".join(c.text for t in docx.Document(path).tables for r in t.rows for c in r.cells)


def test_draft_without_register_is_a_clear_error(tmp_path):
    result = cli("draft", "--db", "khong-co.db", cwd=tmp_path)
    assert result.returncode == 2 and "chưa có sổ nhiệm vụ" in result.stderr and "Traceback" not in result.stderr


def test_bad_config_is_a_clear_error(workdir):
    (workdir / "sai.toml").write_text("[sender]\nauthority = 'ABC'\n", encoding="utf-8")
    result = cli("draft", "--config", "sai.toml", "--as-of", "01/04/2026", cwd=workdir)
    assert result.returncode == 2 and "sai.toml" in result.stderr and "Traceback" not in result.stderr


def test_pdf_without_libreoffice_says_so(workdir, tmp_path):
    # A PATH with no soffice on it: the letters are still written, the PDF step says why it did not run.
    result = cli("draft", "--pdf", "--as-of", "01/04/2026", "--out", "pdf", cwd=workdir, path=str(tmp_path))
    assert result.returncode == 1 and "LibreOffice" in result.stderr and "Traceback" not in result.stderr
    assert list((workdir / "pdf").glob("*.docx"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_pdf_with_libreoffice(workdir):
    result = cli("draft", "--pdf", "--unit", "Trạm Y tế", "--as-of", "01/04/2026", "--out", "pdf2", cwd=workdir)
    assert result.returncode == 0, result.stderr
    [pdf] = list((workdir / "pdf2").glob("*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")
