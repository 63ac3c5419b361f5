"""Old Word (.doc), .rtf and .odt notices through LibreOffice headless; a named message without it."""
import os
import subprocess
from pathlib import Path

import pytest

from extractors.errors import CorruptFile, UnsupportedFormat
from extractors.readers import office, read
from pipeline import api

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED_DOCX = SAMPLES / "cv_trien_khai_thong_bao_294.docx"
needs_soffice = pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (soffice) is not installed")


def converted(tmp_path: Path, fmt: str) -> Path:
    """The seed .docx saved by LibreOffice as .doc/.rtf/.odt, as an office would receive it."""
    subprocess.run([office.soffice(), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(tmp_path), str(SEED_DOCX)],
                   check=True, capture_output=True, timeout=180)
    return tmp_path / f"{SEED_DOCX.stem}.{fmt}"


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["doc", "odt"])
def test_old_formats_read_like_the_docx(tmp_path, fmt):
    path = converted(tmp_path, fmt)
    notice = api.parse(path)
    assert notice.format == fmt and notice.source == str(path)
    expected = [(t.assignee, t.action) for t in api.extract(api.parse(SEED_DOCX))]
    assert [(t.assignee, t.action) for t in api.extract(notice)] == expected and expected


def test_without_libreoffice_a_named_message_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = tmp_path / "công văn cũ.rtf"
    path.write_text(r"{\rtf1 Giao Phòng Kinh tế}", encoding="ascii", errors="ignore")
    with pytest.raises(UnsupportedFormat) as info:
        read(path)
    line = str(info.value)
    assert path.name in line and "LibreOffice" in line and "\n" not in line


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for LibreOffice")
def test_libreoffice_that_hangs_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(office, "soffice", lambda: str(fake))
    monkeypatch.setattr(office, "TIMEOUT_S", 0.5)
    path = tmp_path / "treo.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(CorruptFile) as info:
        read(path)
    assert "giây" in info.value.reason and "treo.doc" in str(info.value)
