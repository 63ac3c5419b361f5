"""Công văn from the page: đôn đốc letters per unit or combined, and the báo cáo tổng hợp, as files to download.
Done as `nhiemvu draft` and `nhiemvu report` do it: the sender found beside the register, each letter to a unit
recorded as a draft; once `nhiemvu sent` records its number, the next one on the same tasks is "đôn đốc lần 2"."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Optional

from pipeline.register import Register, RegisterBusy


def draft_from_page(reader: Register, folder: Path, as_of: dt.date, form, config_path: Optional[Path]) -> list[Path]:
    from pipeline.config import ConfigError, load_config, load_tracking
    from pipeline.render import RenderError, draft_letters, draft_report, to_pdf

    db = reader.path
    try:
        config = load_config(config_path, register=db)
        tracking = load_tracking(config_path, register=db)
    except ConfigError as exc:
        raise ValueError(f"Cấu hình cơ quan gửi (nhiemvu.toml) có lỗi: {exc}")
    tasks = reader.tasks(as_of)
    folder.mkdir(parents=True, exist_ok=True)
    drafted: list[tuple] = []
    try:
        if form.get("kind") == "report":
            path = folder / f"bao-cao-tinh-hinh-thuc-hien-nhiem-vu-{as_of:%Y%m%d}.docx"
            draft_report(tasks, path, as_of, config, due_soon_days=tracking.due_soon_days)
            written = [path]
        else:
            units = set(form.getlist("unit"))
            if units:
                tasks = [t for t in tasks if t.task.assignee in units]
            written = draft_letters(tasks, folder, as_of, config, combined=form.get("kind") == "combined",
                                    reminders=reader.last_reminders(as_of), due_soon_days=tracking.due_soon_days,
                                    on_letter=lambda d, round_, path: drafted.append(
                                        (d.name, round_, [t.id for t in d.listed], str(path))))
        if written and form.get("pdf") and shutil.which("soffice"):
            written = written + to_pdf(written, folder)
    except RenderError as exc:
        raise ValueError(f"Không soạn được: {exc}")
    if drafted:
        try:
            with Register.open(db, write=True, lock_timeout=5) as writer:
                for name, round_, ids, path in drafted:
                    writer.record_reminder(name, as_of, round_, ids, path)
        except RegisterBusy:
            raise ValueError("Đã soạn công văn nhưng sổ đang được một lần chạy khác sử dụng nên chưa ghi lần đôn "
                             "đốc; hãy soạn lại sau khi lần chạy đó xong")
    return written


def letter_files(folder: Path) -> list[dict]:
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if p.suffix in (".docx", ".pdf") and p.is_file()]
    files.sort(key=lambda p: (-p.stat().st_mtime, p.name))
    return [{"name": p.name, "size": p.stat().st_size,
             "at": dt.datetime.fromtimestamp(p.stat().st_mtime).strftime("%d/%m/%Y %H:%M")} for p in files[:200]]
