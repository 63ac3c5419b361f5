"""Bad files are refused with one Vietnamese line naming the file; no traceback reaches the officer."""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractors.errors import CorruptFile, NoticeError, UnsupportedFormat
from extractors.readers import read
from tests.builders import build_notice_docx, build_notice_pdf, docx_with_prolog

ROOT = Path(__file__).resolve().parent.parent


def vietnamese(text: str) -> bool:
    import unicodedata

    return "đ" in text.lower() or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


def refused(path: Path, kind=NoticeError) -> str:
    with pytest.raises(kind) as info:
        read(path)
    line = str(info.value)
    assert path.name in line and "\n" not in line
    assert vietnamese(info.value.reason), line
    return info.value.reason


def test_empty_file(tmp_path):
    path = tmp_path / "trống.docx"
    path.write_bytes(b"")
    assert "rỗng" in refused(path, CorruptFile)


def test_corrupt_docx(tmp_path):
    path = tmp_path / "hỏng.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive" * 10)
    assert "bị hỏng" in refused(path, CorruptFile)


def test_truncated_docx(tmp_path):
    good = build_notice_docx(tmp_path / "tốt.docx", ["Giao Phòng Kinh tế rà soát hồ sơ."])
    path = tmp_path / "cụt.docx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "bị hỏng" in refused(path, CorruptFile)


def test_docx_that_is_a_pdf(tmp_path):
    pdf = build_notice_pdf(tmp_path / "a.pdf", ["Giao Phòng Kinh tế rà soát hồ sơ đất đai trên địa bàn xã."])
    path = tmp_path / "nhầm đuôi.docx"
    path.write_bytes(pdf.read_bytes())
    assert "PDF" in refused(path, CorruptFile)


def test_encrypted_office_file(tmp_path):
    path = tmp_path / "mật khẩu.docx"  # OLE2 container holding an EncryptionInfo stream
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 500)
    assert "mật khẩu" in refused(path, CorruptFile)


def test_old_word_renamed(tmp_path):
    path = tmp_path / "cũ.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert ".doc" in refused(path, CorruptFile)


def test_broken_doc_is_refused_with_what_to_do(tmp_path):
    # with LibreOffice: it cannot convert the file; without: the message says how to install it
    path = tmp_path / "công văn.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert ".docx" in refused(path, (UnsupportedFormat, CorruptFile))


def test_docx_with_entity_declarations(tmp_path):
    good = build_notice_docx(tmp_path / "tốt.docx", ["Giao Phòng Kinh tế rà soát hồ sơ."], header=False)
    path = docx_with_prolog(good, tmp_path / "thực thể.docx",
                            b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>')
    assert "DOCTYPE" in refused(path, CorruptFile)


def test_docx_zip_bomb(tmp_path):
    good = build_notice_docx(tmp_path / "tốt.docx", ["Giao Phòng Kinh tế rà soát hồ sơ."], header=False)
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"<!--" + b" " * (8 * 1024 * 1024) + b"--></w:body>")
            dst.writestr(item, data, zipfile.ZIP_DEFLATED)
    assert "bom nén" in refused(path, CorruptFile)


def test_truncated_pdf(tmp_path):
    good = build_notice_pdf(tmp_path / "tốt.pdf", ["Giao Phòng Kinh tế rà soát hồ sơ đất đai trên địa bàn xã."] * 40)
    path = tmp_path / "cụt.pdf"
    path.write_bytes(good.read_bytes()[:1500])
    refused(path, CorruptFile)


def test_not_a_pdf(tmp_path):
    path = tmp_path / "rác.pdf"
    path.write_bytes(b"hello, this is plain text pretending to be a PDF" * 5)
    assert "PDF" in refused(path, CorruptFile)


def test_encrypted_pdf(tmp_path):
    path = build_notice_pdf(tmp_path / "khóa.pdf", ["Giao Phòng Kinh tế rà soát hồ sơ đất đai."], encrypt="bimat")
    assert "mật khẩu" in refused(path, CorruptFile)


def test_scanned_pdf_without_text(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "bản quét.pdf"
    page = canvas.Canvas(str(path))
    for _ in range(3):
        page.rect(50, 50, 400, 600, fill=1)  # an image-like page: marks but no text layer
        page.drawString(40, 20, "Scanned by CamScanner")  # except the scanner's stamp
        page.showPage()
    page.save()
    # read by OCR: nothing but the stamp is no notice; without Tesseract: how to install it
    assert "quét" in refused(path, (UnsupportedFormat, CorruptFile))


@pytest.mark.parametrize("name,content", [
    ("hỏng nặng.docx", b"PK\x03\x04" + b"\x00" * 100),
    ("cụt ngủn.pdf", b"%PDF-1.4\n1 0 obj\n<<"),
], ids=["docx", "pdf"])
def test_cli_parse_prints_one_line_and_exits_2(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "parse", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    output = (proc.stdout + proc.stderr).strip()
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1 and name in output
