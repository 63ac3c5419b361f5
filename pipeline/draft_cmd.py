"""What `nhiemvu draft` and `nhiemvu report` do: read the register, pick tasks, render letters."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable, Iterator, Optional

from extractors.models import RegisteredTask
from pipeline.commands_common import EXIT_OK, CommandError, matches, open_register


def _config(config: Optional[Path], overrides: dict, db: Optional[Path] = None):
    from pipeline.config import ConfigError, load_config

    try:
        return load_config(config, register=db, **overrides)
    except ConfigError as exc:
        raise CommandError(f"Lỗi: {exc}")


def _select(tasks: Iterable[RegisteredTask], units: list[str], notice: Optional[str]) -> Iterator[RegisteredTask]:
    """Tasks of the named units (compared without tones) and of the notice whose number contains SYMBOL;
    a stream stays a stream (in the same order)."""
    for t in tasks:
        # matched as `nhiemvu tasks --unit` does: 'phong kinh te' finds 'Phòng Kinh tế'
        if units and not any(matches(u, t.task.assignee) for u in units):
            continue
        if notice and notice.lower() not in (t.notice.doc_number or "").lower():
            continue
        yield t


def _pdf(paths: list[Path], out: Path) -> None:
    from pipeline.render import RenderError, to_pdf

    try:
        pdfs = to_pdf(paths, out)
    except RenderError as exc:
        raise CommandError(f"Lỗi: {exc} (các tệp .docx vẫn đã được ghi trong {out})", code=1)
    print(f"Đã chuyển {len(pdfs)} tệp sang PDF trong {out}")


def draft(db: Path, out: Path, as_of: dt.date, units: list[str], notice: Optional[str], combined: bool,
          report_by: Optional[dt.date], pdf: bool, config: Optional[Path], overrides: dict) -> int:
    """Letters from the register as a stream in unit order; each letter to one unit is recorded, so the next
    one on the same tasks is worded "đôn đốc lần 2" and cites this one."""
    from pipeline.render import RenderError, draft_letters

    sender = _config(config, overrides, db)
    tracking = _tracking(config, db)
    with open_register(db, write=True, must_exist=True) as register:
        tasks = _select(register.iter_tasks(as_of), units, notice)
        reminders = register.last_reminders(as_of)
        drafted = []  # recorded once the stream is read through (no write while the register is being read)
        try:
            paths = draft_letters(tasks, out, as_of, sender, combined=combined, report_by=report_by,
                                  reminders=reminders, due_soon_days=tracking.due_soon_days,
                                  on_letter=lambda d, round_, path: drafted.append(
                                      (d.name, round_, [t.id for t in d.listed], str(path))))
        except RenderError as exc:
            raise CommandError(f"Lỗi: {exc}")
        for name, round_, ids, path in drafted:
            register.record_reminder(name, as_of, round_, ids, path)
    if not paths:
        print("Không có nhiệm vụ chưa hoàn thành nào khớp điều kiện: không soạn công văn.")
        return EXIT_OK
    for path in paths:
        print(path)
    print(f"Đã soạn {len(paths)} công văn đôn đốc trong {out}")
    if pdf:
        _pdf(paths, out)
    return EXIT_OK


def _tracking(config: Optional[Path], db: Optional[Path] = None):
    from pipeline.config import ConfigError, load_tracking

    try:
        return load_tracking(config, register=db)
    except ConfigError as exc:
        raise CommandError(f"Lỗi: {exc}")


def report(db: Path, out: Path, as_of: dt.date, pdf: bool, config: Optional[Path], overrides: dict) -> int:
    from pipeline.render import RenderError, draft_report

    sender = _config(config, overrides, db)
    tracking = _tracking(config, db)
    path = Path(out) / f"bao-cao-tinh-hinh-thuc-hien-nhiem-vu-{as_of:%Y%m%d}.docx"
    with open_register(db, write=False) as register:
        try:
            draft_report(register.iter_tasks(as_of), path, as_of, sender, tracking.due_soon_days)
        except RenderError as exc:
            raise CommandError(f"Lỗi: {exc}")
    print(f"Đã soạn báo cáo tổng hợp: {path}")
    if pdf:
        _pdf([path], Path(out))
    return EXIT_OK
