"""What `nhiemvu draft`, `nhiemvu sent` and `nhiemvu report` do: read the register, pick tasks, render letters,
record which letter went out under which number.

A drafted letter is not sent: the register records each draft (from `draft`, `run` or the review page), and it
becomes a reminder (the one the next letter calls "lần 1" and cites) only once the officer records the number
and date the văn thư gave it with `nhiemvu sent`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from extractors.models import RegisteredTask
from pipeline.commands_common import EXIT_OK, CommandError, matches, open_register
from pipeline.register import ReminderLetter

SENT_HINT = ("Công văn chỉ là bản soạn: sau khi ký và văn thư cấp số, ghi lại bằng "
             "nhiemvu sent \"<đơn vị>\" --number <số ký hiệu> [--on <ngày>] để lần đôn đốc sau dẫn công văn này.")


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
    """Letters from the register as a stream in unit order; each letter to one unit is recorded as a draft, so
    that `sent` can give it its number; once sent, the next one on the same tasks is worded "đôn đốc lần 2"."""
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
    if drafted:
        print(SENT_HINT)
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


# ---------------------------------------------------------------- sent: the number the văn thư gave a letter
def record_sent(db: Path, unit: str, number: str, on: Optional[dt.date]) -> int:
    """Give the latest letter drafted for `unit` (drafted on or before `on`, when given) its number and date."""
    number = _letter_number(number)
    with open_register(db, write=True, must_exist=True) as register:
        letters = _letters_for(register, unit, db)
        candidates = [x for x in letters if on is None or x.on <= on]
        if not candidates:
            first = letters[0]
            raise CommandError(f"Lỗi: {first.unit} chưa có công văn đôn đốc nào soạn đến ngày {on:%d/%m/%Y} (bản soạn "
                               f"sớm nhất ngày {first.on:%d/%m/%Y}); hãy kiểm tra ngày ban hành --on")
        letter = candidates[-1]
        sent_on = on or letter.on
        register.record_sent(letter.id, number, sent_on)
    replaced = f"; thay số cũ {letter.number}" if letter.number and letter.number != number else ""
    print(f"{letter.unit}: đã ghi Công văn số {number} ngày {sent_on:%d/%m/%Y} (đôn đốc lần {letter.round}, "
          f"{len(letter.task_ids):02d} nhiệm vụ, bản soạn ngày {letter.on:%d/%m/%Y}: {letter.path or 'không rõ tệp'}"
          f"{replaced}); lần đôn đốc sau về các nhiệm vụ này là lần {letter.round + 1} và dẫn công văn này.")
    return EXIT_OK


def _letter_number(typed: str) -> str:
    """'125/UBND-VP' as typed, also 'Số: 125/UBND-VP'; a blank or the draft's '/UBND-VP' is refused."""
    import re

    from pipeline.letters import has_number

    number = re.sub(r"^\s*(số|so)\s*:?\s*", "", typed.strip(), flags=re.IGNORECASE).strip()
    if not has_number(number):
        raise CommandError(f"Lỗi: --number '{typed}' không phải số ký hiệu của văn bản; hãy gõ số văn thư đã cấp, "
                           "ví dụ 125/UBND-VP")
    return number


def _letters_for(register, typed: str, db: Path) -> list[ReminderLetter]:
    """The letters drafted for the one unit `typed` names (the filters' match; a name typed in full wins over
    longer names that contain it); a one-line error naming what to do otherwise."""
    from pipeline.wording import unit_key

    letters = register.reminder_letters()
    drafted = {unit_key(x.unit): x.unit for x in letters}  # the latest spelling of each unit
    units = {**{unit_key(u): u for u in register.unit_names()}, **drafted}
    named = [k for k, name in units.items() if matches(typed, name)]
    exact = [k for k in named if matches(units[k], typed)]
    chosen = exact if len(exact) == 1 else named
    if not chosen:
        raise CommandError(f"Lỗi: không có đơn vị '{typed}' trong sổ {db}{_did_you_mean(typed, list(units.values()))}"
                           "; xem tên các đơn vị bằng nhiemvu tasks")
    if len(chosen) > 1:
        listed = ", ".join(sorted(units[k] for k in chosen))
        raise CommandError(f"Lỗi: '{typed}' khớp nhiều đơn vị ({listed}); hãy gõ đủ tên một đơn vị")
    key = chosen[0]
    if key not in drafted:
        raise CommandError(f"Lỗi: chưa có công văn đôn đốc nào soạn cho {units[key]} trong sổ {db}; hãy soạn bằng "
                           f"nhiemvu draft --unit \"{units[key]}\" rồi ghi số sau khi văn thư cấp số")
    return [x for x in letters if unit_key(x.unit) == key]


def _did_you_mean(typed: str, units: Sequence[str]) -> str:
    import difflib

    from extractors.textnorm import bare, fold

    folded = {bare(fold(u)): u for u in units}
    close = difflib.get_close_matches(bare(fold(typed)), list(folded), n=1, cutoff=0.8)
    return f" (có phải '{folded[close[0]]}'?)" if close else ""
