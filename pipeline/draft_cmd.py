"""What `nhiemvu draft` and `nhiemvu report` do: read the register, pick tasks, render letters."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from extractors.models import RegisteredTask
from pipeline.run_cmd import EXIT_OK, CommandError, matches, open_register


def _config(config: Optional[Path], overrides: dict, db: Optional[Path] = None):
    from pipeline.config import ConfigError, load_config

    try:
        return load_config(config, register=db, **overrides)
    except ConfigError as exc:
        raise CommandError(f"Lỗi: {exc}")


def _select(tasks: list[RegisteredTask], units: list[str], notice: Optional[str]) -> list[RegisteredTask]:
    """Tasks of the named units (compared without tones) and of the notice whose number contains SYMBOL."""
    if units:  # matched as `nhiemvu tasks --unit` does: 'phong kinh te' finds 'Phòng Kinh tế'
        tasks = [t for t in tasks if any(matches(u, t.task.assignee) for u in units)]
    if notice:
        tasks = [t for t in tasks if notice.lower() in (t.notice.doc_number or "").lower()]
    return tasks


def _pdf(paths: list[Path], out: Path) -> None:
    from pipeline.render import RenderError, to_pdf

    try:
        pdfs = to_pdf(paths, out)
    except RenderError as exc:
        raise CommandError(f"Lỗi: {exc} (các tệp .docx vẫn đã được ghi trong {out})", code=1)
    print(f"Đã chuyển {len(pdfs)} tệp sang PDF trong {out}")


def draft(db: Path, out: Path, as_of: dt.date, units: list[str], notice: Optional[str], combined: bool,
          report_by: Optional[dt.date], pdf: bool, config: Optional[Path], overrides: dict) -> int:
    from pipeline.render import RenderError, draft_letters

    sender = _config(config, overrides, db)
    with open_register(db, write=False) as register:
        tasks = _select(register.tasks(as_of), units, notice)
    try:
        paths = draft_letters(tasks, out, as_of, sender, combined=combined, report_by=report_by)
    except RenderError as exc:
        raise CommandError(f"Lỗi: {exc}")
    if not paths:
        print("Không có nhiệm vụ chưa hoàn thành nào khớp điều kiện: không soạn công văn.")
        return EXIT_OK
    for path in paths:
        print(path)
    print(f"Đã soạn {len(paths)} công văn đôn đốc trong {out}")
    if pdf:
        _pdf(paths, out)
    return EXIT_OK


def report(db: Path, out: Path, as_of: dt.date, pdf: bool, config: Optional[Path], overrides: dict) -> int:
    from pipeline.render import RenderError, draft_report

    sender = _config(config, overrides, db)
    with open_register(db, write=False) as register:
        tasks = register.tasks(as_of)
    path = Path(out) / f"bao-cao-tinh-hinh-thuc-hien-nhiem-vu-{as_of:%Y%m%d}.docx"
    try:
        draft_report(tasks, path, as_of, sender)
    except RenderError as exc:
        raise CommandError(f"Lỗi: {exc}")
    print(f"Đã soạn báo cáo tổng hợp: {path}")
    if pdf:
        _pdf([path], Path(out))
    return EXIT_OK
