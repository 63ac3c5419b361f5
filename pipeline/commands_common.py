"""What every register command shares: exit codes, the one-line error, dates as typed, opening the register,
and the unit-name match of filters. Light on purpose (the register is imported when a command opens it), so
that cli.py, the command modules and the review page can all import it without importing one another."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from pipeline.register import Register

EXIT_OK, EXIT_PARTIAL, EXIT_FAIL = 0, 1, 2


class CommandError(Exception):
    """A one-line Vietnamese message and an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAIL):
        super().__init__(message)
        self.code = code


def parse_date(text: Optional[str], option: str = "ngày") -> Optional[dt.date]:
    """dd/mm/yyyy (also with - or .) or yyyy-mm-dd."""
    if text is None:
        return None
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Lỗi: {option} '{text}' không hợp lệ; hãy viết dd/mm/yyyy hoặc yyyy-mm-dd")


def open_register(db: Path, write: bool, must_exist: bool = False) -> "Register":
    from pipeline.register import NewerRegister, Register, RegisterBusy

    if (must_exist or not write) and not Path(db).is_file():
        raise CommandError(f"Lỗi: chưa có sổ nhiệm vụ {db}; hãy chạy 'nhiemvu run <thư mục văn bản>' trước")
    try:
        register = Register.open(db, write=write)
        if not write and register.version == 0:
            register.close()
            raise CommandError(f"Lỗi: {db} không phải là sổ nhiệm vụ của nhiemvu")
        return register
    except RegisterBusy:
        raise CommandError(f"Lỗi: sổ {db} đang được một lần chạy khác sử dụng; hãy đợi lần chạy đó xong rồi thử lại")
    except NewerRegister as exc:
        raise CommandError(f"Lỗi: sổ {db} do phiên bản nhiemvu mới hơn tạo ra (lược đồ phiên bản {exc.found}, "
                           f"bản đang chạy chỉ biết đến phiên bản {exc.known}); hãy cài bản nhiemvu mới nhất, "
                           "sổ chưa bị sửa gì")
    except CommandError:
        raise
    except OSError as exc:  # the lock file beside the register cannot be made: a read-only folder
        from pipeline.failures import os_error_line

        raise CommandError(f"{os_error_line(exc, db)} (sổ nhiệm vụ {db} cần thư mục ghi được)")
    except Exception as exc:  # sqlite3.DatabaseError on a file that is not a register
        import sqlite3

        from pipeline.failures import sqlite_error_line

        if isinstance(exc, sqlite3.Error):
            raise CommandError(sqlite_error_line(exc, db))
        raise CommandError(f"Lỗi: không mở được sổ {db} ({exc})")


def matches(typed: str, name: str) -> bool:
    """The one unit-name match of filters (pipeline.wording): an officer may type "phong kinh te"."""
    from pipeline.wording import matches as named

    return named(typed, name)
