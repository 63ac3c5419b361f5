"""Old Word (.doc), .rtf and OpenDocument (.odt) notices: converted to .docx by LibreOffice headless,
then read by the .docx reader (numbering, tables and TCVN3/VNI fonts are handled there).

Each conversion runs in a profile directory of its own (two workers never share LibreOffice's
profile lock, the officer's own LibreOffice is not touched) and under a time limit (a file that
makes LibreOffice hang costs one file, not the batch). No LibreOffice: a one-line message says
how to install it or what to do instead.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from extractors.errors import CorruptFile, UnsupportedFormat
from extractors.models import RawDocument

TIMEOUT_S = 120
FORMAT_NAMES = {".doc": "Word 97-2003 (.doc)", ".rtf": ".rtf", ".odt": "OpenDocument (.odt)"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path) -> RawDocument:
    from extractors.readers import docx

    kind = FORMAT_NAMES.get(path.suffix.lower(), path.suffix)
    program = soffice()
    if not program:
        raise UnsupportedFormat(path, f"cần LibreOffice để đọc tệp {kind}: hãy cài LibreOffice "
                                      "(Debian/Ubuntu: sudo apt install libreoffice-writer) "
                                      "hoặc mở tệp bằng Word rồi lưu thành .docx")
    import_filter = sniff_filter(path, kind)
    with tempfile.TemporaryDirectory(prefix="nhiemvu-office-") as tmp:
        converted = convert_to_docx(program, path, Path(tmp), kind, import_filter)
        raw = docx.read(converted)
    return raw.model_copy(update={"source": str(path), "format": path.suffix.lower().lstrip(".")})


# LibreOffice import filters by what the bytes are (an office often saves RTF or a .docx under .doc)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_filter(path: Path, kind: str) -> str:
    """The import filter for the file's real content. Named explicitly: left to guess, LibreOffice
    imports any unreadable file as plain text and a broken .doc would pass for an empty notice."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(_OLE2):
        if "EncryptionInfo".encode("utf-16-le") in path.read_bytes()[:1 << 20]:
            raise CorruptFile(path, "tệp Word có mật khẩu; hãy gỡ mật khẩu rồi lưu lại")
        return "MS Word 97"
    if head.lstrip().startswith(b"{\\rtf"):
        return "Rich Text Format"
    if head.startswith(b"PK"):
        if b"application/vnd.oasis.opendocument.text" in head:
            return "writer8"
        if b"word/" in head or b"[Content_Types].xml" in head:
            return "MS Word 2007 XML"
    raise CorruptFile(path, f"tệp không phải {kind} hợp lệ (hỏng hoặc sai đuôi); hãy mở bằng Word rồi lưu thành .docx")


def convert_to_docx(program: str, path: Path, tmp: Path, kind: str, import_filter: str) -> Path:
    out_dir, profile = tmp / "out", tmp / "profile"
    out_dir.mkdir()
    # a plain name: LibreOffice reads some characters in a path as a URL or an option
    source = tmp / ("van-ban" + path.suffix.lower())
    shutil.copyfile(path, source)
    cmd = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           f"--infilter={import_filter}", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(source)]
    env = {**os.environ, "HOME": str(tmp)}  # LibreOffice writes under HOME even with its own profile
    try:
        run_with_limit(cmd, env, TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise CorruptFile(path, f"LibreOffice không chuyển được tệp {kind} trong {TIMEOUT_S} giây; "
                                "hãy mở tệp bằng Word rồi lưu thành .docx")
    except OSError as exc:
        raise UnsupportedFormat(path, f"không chạy được LibreOffice ({exc.strerror or exc}); "
                                      "hãy mở tệp bằng Word rồi lưu thành .docx")
    converted = out_dir / "van-ban.docx"
    if not converted.is_file() or converted.stat().st_size == 0:
        raise CorruptFile(path, f"LibreOffice không đọc được tệp {kind} (tệp hỏng hoặc có mật khẩu); "
                                "hãy mở tệp bằng Word rồi lưu thành .docx")
    return converted


def run_with_limit(cmd: list[str], env: dict, timeout: float) -> None:
    """Run LibreOffice in a process group of its own, so that a time-out ends soffice.bin too,
    not only the launcher script."""
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=os.name != "nt")
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name != "nt":
            import signal

            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:  # pragma: no cover
            proc.kill()
        proc.wait()
        raise
