"""File-system and SQLite failures as the officer reads them: one Vietnamese line naming the file and
what to do (a full disk, a read-only folder, a file-size limit, a file that is a folder), and output
files that appear only when complete.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from pathlib import Path
from typing import Callable, Iterator, Optional, Union

_WHAT_TO_DO = {
    errno.ENOSPC: "đĩa đã đầy; hãy giải phóng chỗ trống rồi chạy lại",
    getattr(errno, "EDQUOT", -1): "đã hết hạn mức dung lượng của người dùng; hãy giải phóng chỗ trống rồi chạy lại",
    errno.EFBIG: "tệp vượt giới hạn kích thước cho phép; hãy nâng giới hạn hoặc ghi sang nơi khác",
    errno.EACCES: "không có quyền ghi; hãy cấp quyền ghi hoặc chọn thư mục khác",
    errno.EPERM: "không có quyền ghi; hãy cấp quyền ghi hoặc chọn thư mục khác",
    errno.EROFS: "ổ đĩa chỉ cho đọc; hãy chọn thư mục khác",
    errno.EISDIR: "đó là một thư mục, không phải tệp; hãy chọn tên tệp khác",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục; hãy kiểm tra lại đường dẫn",
    errno.ENOENT: "không tìm thấy đường dẫn; hãy kiểm tra lại",
    errno.EIO: "lỗi đọc ghi đĩa; hãy kiểm tra ổ đĩa rồi chạy lại",
}

# SQLite's primary result codes (sqlite3.Error.sqlite_errorname from Python 3.11, else the message)
_SQLITE = [
    (("SQLITE_READONLY", "readonly database"), "sổ chỉ cho đọc (tệp, thư mục hoặc ổ đĩa không cho ghi); "
                                                "hãy cấp quyền ghi cho tệp sổ và thư mục chứa nó, hoặc chép sổ sang nơi khác"),
    (("SQLITE_FULL", "disk is full"), "đĩa đã đầy hoặc tệp vượt giới hạn kích thước; hãy giải phóng chỗ trống "
                                      "rồi chạy lại (những gì đã ghi vẫn nguyên vẹn)"),
    (("SQLITE_IOERR", "disk i/o error"), "lỗi đọc ghi đĩa (đĩa đầy, giới hạn kích thước tệp hoặc ổ đĩa hỏng); "
                                         "hãy kiểm tra ổ đĩa rồi chạy lại (những gì đã ghi vẫn nguyên vẹn)"),
    (("SQLITE_CANTOPEN", "unable to open"), "không mở được tệp sổ; hãy kiểm tra đường dẫn và quyền ghi của thư mục"),
    (("SQLITE_BUSY", "database is locked"), "sổ đang được chương trình khác dùng; hãy đợi rồi thử lại"),
    (("SQLITE_NOTADB", "not a database"), "tệp không phải là sổ nhiệm vụ (không phải tệp SQLite)"),
    (("SQLITE_CORRUPT", "malformed"), "tệp sổ bị hỏng; hãy lấy lại bản sao lưu gần nhất"),
]


def os_error_line(exc: OSError, path: Union[str, Path, None] = None, doing: str = "ghi") -> str:
    """'Lỗi: không ghi được out/nhiemvu.csv: đĩa đã đầy; hãy ...'"""
    name = exc.filename or path
    reason = _WHAT_TO_DO.get(exc.errno or 0) or (exc.strerror or exc.__class__.__name__)
    return f"Lỗi: không {doing} được {name}: {reason}" if name else f"Lỗi: {reason}"


def sqlite_error_line(exc: sqlite3.Error, db: Union[str, Path]) -> str:
    name = (getattr(exc, "sqlite_errorname", "") or "").upper()
    text = str(exc).lower()
    for (code, phrase), reason in _SQLITE:
        if name.startswith(code) or phrase in text:
            return f"Lỗi: sổ nhiệm vụ {db}: {reason}"
    return f"Lỗi: sổ nhiệm vụ {db}: lỗi cơ sở dữ liệu ({exc}); hãy chạy lại, nếu vẫn lỗi hãy sao lưu sổ và báo quản trị"


def temporary_name(path: Path) -> Path:
    """A hidden name beside `path`, same suffix (writers choose their format by it); never read as a notice."""
    return path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")


@contextlib.contextmanager
def atomic_path(path: Union[str, Path]) -> Iterator[Path]:
    """Write to the yielded temporary path; it replaces `path` only when the block ends without error,
    so a full disk or a killed run never leaves a truncated file under the real name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_atomically(path: Union[str, Path], write: Callable[[Path], object]) -> Path:
    """`write(temporary path)`, then renamed to `path`. A file-system failure, however the writer
    wraps it (openpyxl, lxml, zipfile), comes out as one OSError naming `path`, with no writer left
    half-alive to repeat it on stderr."""
    failure = None
    with quiet_cleanup():
        try:
            with atomic_path(path) as tmp:
                write(tmp)
        except Exception as exc:
            found = as_os_error(exc, path)
            if found is None:
                raise
            failure = (found.errno, found.strerror)
            del found  # its traceback holds the writer's frames
    if failure is not None:
        raise OSError(*failure, str(path))
    return Path(path)


def write_all_atomically(paths: list[Path], write: Callable[[list[Path]], object]) -> list[Path]:
    """Several files written together (`write(temporary paths)`): renamed only when all are complete."""
    with contextlib.ExitStack() as others:
        rest = [others.enter_context(atomic_path(p)) for p in paths[1:]]
        write_atomically(paths[0], lambda first: write([first, *rest]))
    return [Path(p) for p in paths]


def write_text_atomic(path: Union[str, Path], text: str, encoding: str = "utf-8") -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(path)


_LIBXML_IO = re.compile(r"\bIO_(E[A-Z]+)\b")  # lxml reports a failed write as SerialisationError('IO_ENOSPC')


def as_os_error(exc: BaseException, path: Union[str, Path]) -> Optional[OSError]:
    """The file-system failure behind a writer's own exception, if it was one."""
    found = first_os_error(exc)
    if found is not None:
        return found
    m = _LIBXML_IO.search(str(exc))
    if m and isinstance(getattr(errno, m.group(1), None), int):
        code = getattr(errno, m.group(1))
        return OSError(code, os.strerror(code), str(path))
    return None


@contextlib.contextmanager
def quiet_cleanup() -> Iterator[None]:
    """A writer stopped by a full disk leaves generators that repeat the error when collected
    ('Exception ignored in ...' tracebacks on stderr); the error is already reported once."""
    import gc
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda *_: None
    try:
        yield
    finally:
        sys.exc_info()  # nothing here may keep the failed writer's frames alive
        gc.collect()
        sys.unraisablehook = hook


def first_os_error(exc: BaseException) -> Optional[OSError]:
    """The OSError behind an exception (openpyxl and docx wrap them in their own)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OSError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None
