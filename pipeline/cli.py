"""`nhiemvu` command line: a thin layer over pipeline.api and the register.

Heavy libraries (underthesea, spaCy, pdfplumber, xlsxwriter, docxtpl) are imported
inside the commands that need them, so `nhiemvu --help` stays fast.

Exit codes, for scripts:
  0  everything asked for was done
  1  the batch finished but some files could not be read (each reported by name)
  2  nothing could be done: bad arguments, unreadable input, missing register
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from pipeline.commands_common import EXIT_FAIL, EXIT_PARTIAL  # light: imports no register

app = typer.Typer(
    name="nhiemvu",
    help=(
        "Đọc thông báo, công văn, kế hoạch, báo cáo (.docx, .pdf, .txt) thành sổ theo dõi nhiệm vụ "
        "và soạn công văn đôn đốc theo Nghị định 30/2020/NĐ-CP.\n\n"
        "Bắt đầu nhanh:  nhiemvu run samples/   (đọc cả thư mục, ghi sổ nhiemvu.db, xuất out/)"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _err(message: str) -> None:
    typer.echo(message, err=True)


# ---------------------------------------------------------------- reading and extraction
@app.command()
def parse(
    file: Path = typer.Argument(..., help="Tệp văn bản cần đọc (.docx, .pdf, .txt, .md)."),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
) -> None:
    """Đọc một văn bản và in những gì chương trình hiểu được: số, ký hiệu, ngày, cơ quan ban hành,
    người ký, nơi nhận và cây mục/đoạn của nội dung."""
    from extractors.errors import NoticeError
    from pipeline import api

    try:
        notice = api.parse(file)
    except NoticeError as exc:
        _err(f"Lỗi: {exc}")
        raise typer.Exit(EXIT_FAIL)
    if as_json:
        typer.echo(notice.model_dump_json(indent=2))
        return
    from pipeline.show import print_notice

    print_notice(notice)


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Tệp hoặc thư mục văn bản."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Ghi ra tệp thay vì in ra màn hình."),
    fmt: str = typer.Option("json", "--format", help="json hoặc csv."),
) -> None:
    """Trích các nhiệm vụ được giao (đơn vị chủ trì, phối hợp, nội dung, thời hạn) từ văn bản,
    không ghi vào sổ."""
    from pipeline.extract_cmd import extract_paths, write_records

    records, errors = extract_paths(paths)
    for e in errors:
        _err(f"Lỗi: {e}")
    if fmt not in ("json", "csv"):
        _err("Lỗi: --format chỉ nhận json hoặc csv")
        raise typer.Exit(EXIT_FAIL)
    try:
        write_records(records, fmt, output)
    except OSError as exc:
        from pipeline.failures import os_error_line

        _err(os_error_line(exc, output))
        raise typer.Exit(EXIT_FAIL)
    if errors:
        raise typer.Exit(EXIT_PARTIAL if records or len(errors) < len(list(paths)) else EXIT_FAIL)


@app.command()
def explain(
    file: Path = typer.Argument(..., help="Tệp văn bản cần giải thích (.docx, .pdf, .txt, .md)."),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON."),
) -> None:
    """In từng đoạn của nội dung văn bản với quyết định của chương trình: nhiệm vụ nào (chủ trì,
    phối hợp, thời hạn, việc) và theo quy tắc nào, hoặc vì sao đoạn đó không có nhiệm vụ."""
    from extractors.errors import NoticeError
    from extractors.rules import UnknownRuleCode
    from pipeline.explain_cmd import explain_file

    try:
        explain_file(file, as_json, echo=typer.echo)
    except (NoticeError, UnknownRuleCode) as exc:
        _err(f"Lỗi: {exc}")
        raise typer.Exit(EXIT_FAIL)


@app.command("eval")
def eval_(
    paths: List[Path] = typer.Argument(..., help="Tệp hoặc thư mục văn bản cần trích."),
    gold: Path = typer.Option(..., "--gold", help="Thư mục các tệp <tên>.gold.json (đáp án chấm tay)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="In nhiệm vụ bỏ sót, thừa, sai trường và thời gian chạy."),
    save: Optional[Path] = typer.Option(None, "--save", help="Ghi các bản ghi trích được ra tệp JSON."),
) -> None:
    """Chấm kết quả trích nhiệm vụ so với đáp án chấm tay; dòng cuối là strict_f1=..."""
    from pipeline.evaluate import GoldError, evaluate

    if not gold.is_dir():
        _err(f"Lỗi: {gold}: không phải thư mục đáp án")
        raise typer.Exit(EXIT_FAIL)
    try:
        summary = evaluate(gold, paths, verbose=verbose, echo=typer.echo, records_out=save, warn=_err)
    except (GoldError, OSError) as exc:
        _err(f"Lỗi: {exc}")
        raise typer.Exit(EXIT_FAIL)
    if summary["errors"]:
        raise typer.Exit(EXIT_PARTIAL)


# ---------------------------------------------------------------- the register: run, tasks, done, reopen, export
def _register_command(action, db: Optional[Path] = None) -> None:
    """Run a register command; its errors become one Vietnamese line and an exit code."""
    import sqlite3

    from pipeline.failures import os_error_line, sqlite_error_line
    from pipeline.commands_common import CommandError

    try:
        code = action()
    except CommandError as exc:
        _err(str(exc))
        raise typer.Exit(exc.code)
    except sqlite3.Error as exc:  # a read-only register, a full disk, a file-size limit
        _err(sqlite_error_line(exc, db or "nhiemvu.db"))
        raise typer.Exit(EXIT_FAIL)
    except OSError as exc:
        _err(os_error_line(exc))
        raise typer.Exit(EXIT_FAIL)
    except KeyboardInterrupt:
        _err("Đã dừng theo yêu cầu; sổ nhiệm vụ vẫn nguyên vẹn, lần chạy sau sẽ làm tiếp.")
        raise typer.Exit(EXIT_FAIL)
    raise typer.Exit(code)


def _today(text: Optional[str]):
    import datetime as dt

    from pipeline.commands_common import parse_date

    return parse_date(text, "--as-of") or dt.date.today()


@app.command()
def run(
    paths: List[Path] = typer.Argument(..., help="Tệp hoặc thư mục văn bản (đọc cả thư mục con)."),
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ (SQLite)."),
    out: Path = typer.Option(Path("out"), "--out", help="Thư mục ghi nhiemvu.csv, .xlsx, .json và công văn."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Tính trạng thái đến ngày (dd/mm/yyyy); mặc định hôm nay."),
    jobs: Optional[int] = typer.Option(None, "--jobs", help="Số tiến trình đọc song song (mặc định tối đa 2)."),
) -> None:
    """Đọc mọi văn bản trong các thư mục, ghi nhiệm vụ vào sổ (chỉ đọc lại tệp mới hoặc đã sửa),
    xuất bảng theo dõi và soạn công văn đôn đốc."""
    from pipeline import run_cmd

    _register_command(lambda: run_cmd.run(paths, db, out, _today(as_of), jobs), db=db)


@app.command()
def tasks(
    unit: Optional[str] = typer.Option(None, "--unit", help="Lọc theo đơn vị chủ trì (không phân biệt dấu)."),
    status: Optional[str] = typer.Option(None, "--status", help="Lọc theo trạng thái, ví dụ 'quá hạn'."),
    due_within: Optional[int] = typer.Option(None, "--due-within", help="Chỉ nhiệm vụ chưa xong đến hạn trong N ngày."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Tính trạng thái đến ngày (dd/mm/yyyy)."),
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ."),
) -> None:
    """Liệt kê nhiệm vụ trong sổ với thời hạn và trạng thái."""
    from pipeline import run_cmd

    _register_command(lambda: run_cmd.list_tasks(db, _today(as_of), unit, status, due_within), db=db)


@app.command()
def done(
    task_id: str = typer.Argument(..., help="Mã nhiệm vụ, ví dụ T-3f9a1c."),
    on: Optional[str] = typer.Option(None, "--on", help="Ngày hoàn thành (dd/mm/yyyy); mặc định hôm nay."),
    note: Optional[str] = typer.Option(None, "--note", help="Ghi chú (số văn bản báo cáo, ...)."),
    period: Optional[str] = typer.Option(None, "--period", help="Nhiệm vụ định kỳ: hạn của kỳ đã làm (dd/mm/yyyy); mặc định kỳ quá hạn cũ nhất, nếu không có thì kỳ tới."),
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ."),
) -> None:
    """Ghi nhận một nhiệm vụ đã hoàn thành (nhiệm vụ định kỳ: một kỳ)."""
    from pipeline import run_cmd

    _register_command(lambda: run_cmd.set_done(db, task_id, _today(on), note, _date_option(period, "--period")), db=db)


@app.command()
def reopen(
    task_id: str = typer.Argument(..., help="Mã nhiệm vụ."),
    period: Optional[str] = typer.Option(None, "--period", help="Nhiệm vụ định kỳ: hạn của kỳ cần mở lại; mặc định kỳ ghi hoàn thành gần nhất."),
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ."),
) -> None:
    """Mở lại một nhiệm vụ đã ghi hoàn thành (nhiệm vụ định kỳ: một kỳ)."""
    from pipeline import run_cmd

    _register_command(lambda: run_cmd.reopen(db, task_id, _today(None), _date_option(period, "--period")), db=db)


@app.command()
def extend(
    task_id: str = typer.Argument(..., help="Mã nhiệm vụ, ví dụ T-3f9a1c."),
    to: str = typer.Option(..., "--to", help="Thời hạn mới (dd/mm/yyyy)."),
    reason: str = typer.Option(..., "--reason", help="Lý do gia hạn."),
    by: Optional[str] = typer.Option(None, "--by", help="Văn bản cho phép gia hạn, ví dụ 'Công văn số 45/UBND-VP'."),
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ."),
) -> None:
    """Gia hạn một nhiệm vụ: giữ thời hạn ban đầu, tính trạng thái theo thời hạn mới, ghi nhật ký."""
    from pipeline import run_cmd

    _register_command(lambda: run_cmd.extend(db, task_id, _date_option(to, "--to"), reason, by, _today(None)), db=db)


@app.command()
def export(
    fmt: str = typer.Option("xlsx", "--format", help="csv, xlsx, json, ics (lịch hạn nhiệm vụ), hoặc gold (đáp án chấm cho nhiemvu eval, ghi vào thư mục -o)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Tệp ghi ra (mặc định out/nhiemvu.<định dạng>; ics theo đơn vị: thư mục out/lich)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Tính trạng thái đến ngày (dd/mm/yyyy)."),
    keys: bool = typer.Option(False, "--keys", help="Tiêu đề cột bằng khóa máy (assignee, deadline, ...)."),
    unit: Optional[List[str]] = typer.Option(None, "--unit", help="ics: một lịch cho mỗi đơn vị này (lặp lại được; không phân biệt dấu)."),
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ."),
) -> None:
    """Xuất sổ nhiệm vụ ra CSV, Excel, JSON, hoặc lịch .ics (hạn nhiệm vụ, nhiệm vụ định kỳ lặp lại)."""
    from pipeline import run_cmd

    if fmt == "ics":
        _register_command(lambda: run_cmd.export_ics(db, output, _today(as_of), list(unit or [])), db=db)
    _register_command(lambda: run_cmd.export(db, fmt, output, _today(as_of), keys), db=db)


# ---------------------------------------------------------------- the review page
@app.command()
def serve(
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ."),
    host: str = typer.Option("127.0.0.1", "--host", help="Địa chỉ nghe; 0.0.0.0 mở cho mạng nội bộ (cần mật khẩu)."),
    port: int = typer.Option(8000, "--port", help="Cổng."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Không tự mở trình duyệt."),
    password_file: Optional[Path] = typer.Option(None, "--password-file",
                                                 help="Tệp chứa mật khẩu (hoặc biến môi trường NHIEMVU_PASSWORD)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Tính trạng thái đến ngày (dd/mm/yyyy); mặc định hôm nay."),
) -> None:
    """Mở trang web xem, sửa, đánh dấu hoàn thành, gia hạn nhiệm vụ và soạn công văn (chạy trên máy này)."""
    def start():
        from pipeline.commands_common import parse_date
        from pipeline.web.server import serve as run_server

        return run_server(db, host, port, not no_browser, password_file,
                          parse_date(as_of, "--as-of") if as_of else None)

    _register_command(start, db=db)


# ---------------------------------------------------------------- letters: draft, sent, report
def _sender_overrides(place, signer, title, authority) -> dict:
    return {"place": place, "signer": signer, "signer_title": title, "authority": authority}


def _date_option(text: Optional[str], option: str):
    from pipeline.commands_common import parse_date

    return parse_date(text, option)


@app.command()
def draft(
    unit: Optional[List[str]] = typer.Option(None, "--unit", help="Chỉ soạn cho đơn vị này (lặp lại được; không phân biệt dấu)."),
    notice: Optional[str] = typer.Option(None, "--notice", help="Chỉ nhiệm vụ của văn bản có số/ký hiệu chứa chuỗi này, ví dụ 12/TB-UBND."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Ngày soạn, tính quá hạn đến ngày này (dd/mm/yyyy); mặc định hôm nay."),
    report_by: Optional[str] = typer.Option(None, "--report-by", help="Hạn báo cáo kết quả (dd/mm/yyyy); mặc định sau 5 ngày làm việc."),
    out: Path = typer.Option(Path("out/cong-van"), "--out", help="Thư mục ghi công văn."),
    combined: bool = typer.Option(False, "--combined", help="Một công văn gửi tất cả các đơn vị (bảng nhóm theo đơn vị)."),
    pdf: bool = typer.Option(False, "--pdf", help="Chuyển thêm sang PDF bằng LibreOffice (nếu đã cài)."),
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ."),
    config: Optional[Path] = typer.Option(None, "--config", help="Tệp cấu hình cơ quan gửi (mặc định ./nhiemvu.toml hoặc mẫu kèm theo)."),
    place: Optional[str] = typer.Option(None, "--place", help="Địa danh ghi ở dòng ngày tháng."),
    signer: Optional[str] = typer.Option(None, "--signer", help="Họ tên người ký."),
    title: Optional[str] = typer.Option(None, "--title", help="Chức vụ người ký, ví dụ 'PHÓ CHỦ TỊCH'."),
    authority: Optional[str] = typer.Option(None, "--authority", help="Thẩm quyền ký: TM., KT., TL., TUQ."),
) -> None:
    """Soạn công văn đôn đốc (.docx theo Nghị định 30/2020) cho các đơn vị còn nhiệm vụ chưa hoàn thành."""
    from pipeline import draft_cmd

    _register_command(lambda: draft_cmd.draft(
        db, out, _today(as_of), list(unit or []), notice, combined, _date_option(report_by, "--report-by"),
        pdf, config, _sender_overrides(place, signer, title, authority)), db=db)


@app.command()
def sent(
    unit: str = typer.Argument(..., help="Đơn vị nhận công văn, ví dụ \"Phòng Kinh tế\" (không phân biệt dấu)."),
    number: str = typer.Option(..., "--number", help="Số ký hiệu văn thư đã cấp, ví dụ 125/UBND-VP."),
    on: Optional[str] = typer.Option(None, "--on", help="Ngày ban hành (dd/mm/yyyy); mặc định ngày ghi trên bản soạn."),
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ."),
) -> None:
    """Ghi số và ngày văn thư đã cấp cho công văn đôn đốc soạn gần nhất cho một đơn vị: từ đó công văn được
    tính là đã gửi, lần đôn đốc sau về cùng nhiệm vụ là "lần 2" và dẫn công văn này."""
    from pipeline import draft_cmd

    _register_command(lambda: draft_cmd.record_sent(db, unit, number, _date_option(on, "--on")), db=db)


@app.command()
def report(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Tính đến ngày (dd/mm/yyyy); mặc định hôm nay."),
    out: Path = typer.Option(Path("out"), "--out", help="Thư mục ghi báo cáo."),
    pdf: bool = typer.Option(False, "--pdf", help="Chuyển thêm sang PDF bằng LibreOffice (nếu đã cài)."),
    db: Path = typer.Option(Path("nhiemvu.db"), "--db", help="Tệp sổ nhiệm vụ."),
    config: Optional[Path] = typer.Option(None, "--config", help="Tệp cấu hình cơ quan gửi."),
    signer: Optional[str] = typer.Option(None, "--signer", help="Họ tên người ký."),
) -> None:
    """Soạn báo cáo tổng hợp tình hình thực hiện nhiệm vụ (theo đơn vị và bốn trạng thái, danh sách quá hạn)."""
    from pipeline import draft_cmd

    _register_command(lambda: draft_cmd.report(db, out, _today(as_of), pdf, config,
                                               _sender_overrides(None, signer, None, None)), db=db)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
