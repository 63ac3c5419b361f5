"""`nhiemvu serve`: start the review page on this machine (or, with a password, on the office network)."""
from __future__ import annotations

import datetime as dt
import getpass
import ipaddress
import os
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Optional

from pipeline.commands_common import EXIT_OK, CommandError

PASSWORD_ENV = "NHIEMVU_PASSWORD"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def operator_password(host: str, password_file: Optional[Path]) -> Optional[str]:
    """None on this machine only; otherwise the operator's password (file, environment, or typed at start)."""
    if password_file is not None:
        try:
            password = password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CommandError(f"Lỗi: không đọc được tệp mật khẩu {password_file} ({exc.strerror or exc})")
    else:
        password = os.environ.get(PASSWORD_ENV, "")
    if not password and not is_loopback(host) and sys.stdin.isatty():
        password = getpass.getpass("Mật khẩu cho trang (cán bộ nhập khi mở trang): ")
    if is_loopback(host):
        return password or None
    if len(password) < 8:
        raise CommandError(f"Lỗi: mở trang cho mạng nội bộ (--host {host}) cần mật khẩu ít nhất 8 ký tự: "
                           f"đặt biến môi trường {PASSWORD_ENV}, dùng --password-file, hoặc nhập khi được hỏi")
    return password


def serve(db: Path, host: str, port: int, open_browser: bool, password_file: Optional[Path],
          as_of: Optional[dt.date]) -> int:
    from pipeline.commands_common import open_register

    if not Path(db).is_file():
        raise CommandError(f"Lỗi: chưa có sổ nhiệm vụ {db}; hãy chạy 'nhiemvu run <thư mục văn bản>' trước")
    open_register(db, write=False).close()  # a clear message if it is not a register
    password = operator_password(host, password_file)
    from waitress import create_server

    from pipeline.web import create_app

    from pipeline.register import RegisterBusy

    try:
        app = create_app(db, password=password, as_of=as_of)
    except RegisterBusy:
        raise CommandError(f"Lỗi: sổ {db} đang được một lần chạy khác sử dụng; hãy đợi lần chạy đó xong rồi mở lại trang")
    try:
        server = create_server(app, host=host, port=port, threads=4, ident="nhiemvu")
    except OSError as exc:
        raise CommandError(f"Lỗi: không mở được cổng {port} trên {host} ({exc.strerror or exc}); "
                           "hãy chọn cổng khác bằng --port")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{server.effective_port}/"
    print(f"Trang xem và sửa sổ nhiệm vụ: {url}  (sổ {db}; bấm Ctrl-C để dừng)", flush=True)
    if not is_loopback(host):
        print("Đang mở cho mạng nội bộ: cán bộ đăng nhập bằng mật khẩu đã đặt.")
    if open_browser:
        threading.Timer(0.8, lambda: webbrowser.open(url)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        print("Đã dừng trang.")
    return EXIT_OK
