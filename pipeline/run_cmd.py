"""What the register commands of the CLI do (run, tasks, done, reopen, export), kept out of cli.py
so that the command functions stay thin and `nhiemvu --help` imports nothing heavy."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Optional

from pipeline.batch import BatchSummary, run_batch
from pipeline.commands_common import EXIT_FAIL, EXIT_OK, EXIT_PARTIAL, CommandError, matches, open_register
from pipeline.register import InvalidChange, Register, UnknownTask

LETTERS_DIR = "cong-van"


# ---------------------------------------------------------------- run
def run(paths: list[Path], db: Path, out: Path, as_of: dt.date, jobs: Optional[int]) -> int:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise CommandError(f"Lỗi: không tìm thấy {', '.join(str(p) for p in missing)}")
    tracking = load_tracking(db)
    with open_register(db, write=True) as register:
        summary = _run_with_progress(paths, register, jobs, skip=[out])  # never read its own letters back
        if summary.files == 0:
            raise CommandError("Lỗi: không có văn bản nào (.docx, .pdf, .txt) trong đường dẫn đã cho")
        # exports and letters read the register as a stream, one unit at a time; the letters are drafted in
        # another process meanwhile (the batch is committed: it reads what this one has written)
        from pipeline.background import Background

        letters = Background(_letters_from_register, db, Path(out) / LETTERS_DIR, as_of,
                             register.last_reminders(as_of), tracking.due_soon_days)
        stream = lambda: register.iter_tasks(as_of)  # noqa: E731
        from pipeline.export import summary_counts, write_all

        try:
            paths, rewritten = write_all(stream, out, due_soon_days=tracking.due_soon_days)
        except OSError as exc:
            from pipeline.failures import os_error_line

            raise CommandError(f"{os_error_line(exc, out)} (sổ đã cập nhật; nếu tệp đang mở trong Excel, "
                               "hãy đóng lại rồi chạy lại)")
        counts = summary_counts(stream)
        for line in summary.lines():
            print(line)
        states = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
        if states:
            print(f"Tính đến {as_of:%d/%m/%Y}: {states}.")
        done = "Đã xuất" if rewritten else "Bảng theo dõi không đổi"
        print(f"Sổ nhiệm vụ: {db} ({sum(counts.values())} nhiệm vụ). {done}: {', '.join(str(p) for p in paths)}")
        drafted, printed, warned = letters.result()
        for name, round_, ids, path in drafted or []:  # drafts, until `nhiemvu sent` gives one its number
            register.record_reminder(name, as_of, round_, ids, path)
        print(printed, end="")
        print(warned, end="", file=sys.stderr)
    return exit_code(summary)


def _letters_from_register(db: Path, out_dir: Path, as_of: dt.date, reminders, due_soon_days: int):
    """The run's letters, from the register as committed (a read-only connection of this process's own)."""
    from pipeline.background import captured

    with Register.open(db, write=False) as register:
        return captured(_draft_letters, register.iter_tasks(as_of), out_dir, as_of, db, reminders, due_soon_days)


def load_tracking(db: Optional[Path] = None):
    from pipeline.config import ConfigError
    from pipeline.config import load_tracking as load

    try:
        return load(register=db)
    except ConfigError as exc:
        raise CommandError(f"Lỗi: {exc}")


def exit_code(summary: BatchSummary) -> int:
    if not summary.errors:
        return EXIT_OK
    return EXIT_PARTIAL if summary.registered else EXIT_FAIL


def _run_with_progress(paths: list[Path], register: Register, jobs: Optional[int],
                       skip: list[Path] = ()) -> BatchSummary:
    if not sys.stderr.isatty():
        return run_batch(paths, register, jobs=jobs, skip=skip)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("Đang đọc văn bản"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        bar = progress.add_task("run", total=None)
        return run_batch(paths, register, jobs=jobs, skip=skip,
                         on_progress=lambda done, total: progress.update(bar, completed=done, total=total))


def _draft_letters(tasks, out_dir: Path, as_of: dt.date, db: Optional[Path] = None, reminders=None,
                   due_soon_days: int = 7) -> list[tuple]:
    """Letters are another stage's job; its absence or failure must not spoil the run. Returns each letter
    drafted as (unit, round, task ids, path), for the caller to record as a draft as `nhiemvu draft` does:
    a reminder only once `nhiemvu sent` gives it its number."""
    try:
        from pipeline.render import draft_letters
    except ImportError:
        print("Chú ý: chưa soạn công văn đôn đốc (chức năng soạn thư chưa có trong bản cài đặt này)",
              file=sys.stderr)
        return []
    from pipeline.config import BUNDLED, LOCAL_NAME, ConfigError, find_config, load_config

    try:
        sender = load_config(register=db)  # the office's nhiemvu.toml, here or beside the register
    except ConfigError as exc:
        print(f"Chú ý: chưa soạn công văn đôn đốc: {exc}", file=sys.stderr)
        return []
    if tasks and find_config(db) == BUNDLED:
        print(f"Chú ý: chưa có {LOCAL_NAME} ở thư mục làm việc hay cạnh sổ {db}: công văn dùng thông tin "
              f"cơ quan mẫu; hãy chép {BUNDLED} ra đó và sửa lại", file=sys.stderr)
    drafted: list[tuple] = []
    try:
        letters = draft_letters(tasks, out_dir, as_of, sender, reminders=reminders, due_soon_days=due_soon_days,
                                on_letter=lambda d, round_, path: drafted.append(
                                    (d.name, round_, [t.id for t in d.listed], str(path))))
    except OSError as exc:
        from pipeline.failures import os_error_line

        print(f"Chú ý: chưa soạn xong công văn đôn đốc. {os_error_line(exc, out_dir)}", file=sys.stderr)
        return drafted
    except Exception as exc:
        print(f"Chú ý: không soạn được công văn đôn đốc ({exc.__class__.__name__}: {str(exc)[:150]})",
              file=sys.stderr)
        return drafted
    if letters:
        from pipeline.draft_cmd import SENT_HINT

        print(f"Đã soạn {len(letters)} công văn đôn đốc trong {out_dir}. {SENT_HINT}")
    return drafted


# ---------------------------------------------------------------- tasks, done, reopen, export
def list_tasks(db: Path, as_of: dt.date, unit: Optional[str], status: Optional[str],
               due_within: Optional[int]) -> int:
    with open_register(db, write=False) as register:
        tasks = register.tasks(as_of)
    if unit:
        tasks = [t for t in tasks if matches(unit, t.task.assignee)]
    if status:
        tasks = [t for t in tasks if matches(status, t.status)]
    if due_within is not None:
        limit = as_of + dt.timedelta(days=due_within)
        tasks = [t for t in tasks if t.completed_on is None and _due(t) is not None and _due(t) <= limit]
    if not tasks:
        print("Không có nhiệm vụ nào khớp điều kiện." if unit or status or due_within is not None
              else f"Sổ {db} chưa có nhiệm vụ nào.")
        return EXIT_OK
    _print_table(tasks, as_of)
    return EXIT_OK


def _due(t) -> Optional[dt.date]:
    return t.current_due


def _print_table(tasks, as_of: dt.date) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from extractors.textnorm import safe_text
    from pipeline.status import is_overdue

    def cell(value: str) -> Text:  # plain text: no ESC sequence reaches the terminal, no [markup] is run
        return Text(safe_text(value))

    table = Table(title=f"Nhiệm vụ tính đến ngày {as_of:%d/%m/%Y} ({len(tasks)})", show_lines=False)
    for header in ("Mã", "Đơn vị chủ trì", "Nội dung", "Thời hạn", "Trạng thái", "Văn bản"):
        table.add_column(header, overflow="fold")
    for t in tasks:
        due = _due(t)
        action = t.task.action if len(t.task.action) <= 80 else t.task.action[:77] + "..."
        table.add_row(cell(t.id), cell(t.task.assignee), cell(action), f"{due:%d/%m/%Y}" if due else "",
                      cell(t.status), cell((t.notice.doc_number or Path(t.notice.source).name)
                           + (f" ({t.notice.superseded})" if t.notice.superseded else "")),
                      style="red" if is_overdue(t.status) else None)
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def set_done(db: Path, task_id: str, on: dt.date, note: Optional[str], period: Optional[dt.date] = None) -> int:
    with open_register(db, write=True) as register:
        try:
            due = register.mark_done(task_id, on, note, period=period)
            t = register.task(task_id, on)
        except UnknownTask:
            raise CommandError(f"Lỗi: không có nhiệm vụ mã {task_id} trong sổ {db}")
    which = f" kỳ {due:%d/%m/%Y}" if due else ""
    print(f"{t.id}: đã ghi hoàn thành{which} ngày {on:%d/%m/%Y} ({_done_status(t, due)}).")
    return EXIT_OK


def _done_status(t, due: Optional[dt.date]) -> str:
    """The state of what was just recorded: the occurrence's own for a recurring duty."""
    if due is None:
        return t.status
    from pipeline.status import status_of

    record = next(p for p in t.periods if p.due == due)
    state = status_of(record.extended_to or due, record.completed_on, record.completed_on)
    left = f"; còn {len(t.missed)} kỳ quá hạn chưa báo cáo" if t.missed else ""
    return state + left


def reopen(db: Path, task_id: str, as_of: dt.date, period: Optional[dt.date] = None) -> int:
    with open_register(db, write=True) as register:
        try:
            due = register.reopen(task_id, period=period)
            t = register.task(task_id, as_of)
        except UnknownTask:
            raise CommandError(f"Lỗi: không có nhiệm vụ mã {task_id} trong sổ {db}")
        except InvalidChange as exc:
            raise CommandError(f"Lỗi: {task_id}: {exc}")
    which = f" kỳ {due:%d/%m/%Y}" if due else ""
    print(f"{t.id}: đã mở lại{which} ({t.status}).")
    return EXIT_OK


def extend(db: Path, task_id: str, to: dt.date, reason: str, by_document: Optional[str], as_of: dt.date) -> int:
    with open_register(db, write=True) as register:
        try:
            register.extend(task_id, to, reason, by_document)
            t = register.task(task_id, as_of)
        except UnknownTask:
            raise CommandError(f"Lỗi: không có nhiệm vụ mã {task_id} trong sổ {db}")
        except InvalidChange as exc:
            raise CommandError(f"Lỗi: {task_id}: {exc}")
    first = f"thời hạn ban đầu {t.original_due:%d/%m/%Y}" if t.original_due else "trước đây không có thời hạn"
    print(f"{t.id}: đã gia hạn đến {to:%d/%m/%Y} ({first}; lần gia hạn thứ {len(t.extensions)}); "
          f"trạng thái: {t.status}.")
    return EXIT_OK


def export(db: Path, fmt: str, output: Optional[Path], as_of: dt.date, keys: bool) -> int:
    from pipeline.export import FORMATS, write

    if fmt == "gold":  # the officer's corrected tasks as the scorer's gold files
        from pipeline.gold_export import export_gold

        return export_gold(db, output)
    if fmt not in FORMATS:
        raise CommandError("Lỗi: --format chỉ nhận csv, xlsx, json, ics hoặc gold")
    tracking = load_tracking(db)
    path = output or Path("out") / f"nhiemvu.{fmt}"
    count = 0

    def stream():
        nonlocal count
        for count, t in enumerate(register.iter_tasks(as_of), 1):  # noqa: B007
            yield t

    with open_register(db, write=False) as register:
        try:
            write(stream, fmt, path, keys=keys, due_soon_days=tracking.due_soon_days)
        except OSError as exc:
            from pipeline.failures import os_error_line

            raise CommandError(f"{os_error_line(exc, path)} (nếu tệp đang mở trong Excel, hãy đóng lại rồi thử lại)")
    print(f"Đã xuất {count} nhiệm vụ ra {path}")
    return EXIT_OK


def export_ics(db: Path, output: Optional[Path], as_of: dt.date, units: list[str]) -> int:
    """One calendar of every unit's deadlines, or one per unit named with --unit."""
    from pipeline.calendar_ics import write_ics
    from pipeline.render import safe_stem
    from pipeline.wording import capitalised

    tracking = load_tracking(db)
    with open_register(db, write=False) as register:
        if not units:
            path = output or Path("out") / "nhiemvu.ics"
            try:
                n = write_ics(register.iter_tasks(as_of), path, due_soon_days=tracking.due_soon_days)
            except OSError as exc:
                from pipeline.failures import os_error_line

                raise CommandError(os_error_line(exc, path))
            print(f"Đã xuất lịch {n} hạn nhiệm vụ ra {path}")
            return EXIT_OK
        folder = output or Path("out") / "lich"
        for typed in units:
            tasks = [t for t in register.iter_tasks(as_of) if matches(typed, t.task.assignee)]
            if not tasks:
                print(f"Không có nhiệm vụ nào của đơn vị '{typed}' trong sổ {db}.", file=sys.stderr)
                continue
            name = capitalised(tasks[0].task.assignee)
            path = Path(folder) / f"{safe_stem(name)}.ics"
            try:
                n = write_ics(tasks, path, name=f"Nhiệm vụ được giao: {name}", due_soon_days=tracking.due_soon_days)
            except OSError as exc:
                from pipeline.failures import os_error_line

                raise CommandError(os_error_line(exc, path))
            print(f"Đã xuất lịch {n} hạn nhiệm vụ của {name} ra {path}")
    return EXIT_OK
