"""`nhiemvu` command line: a thin layer over pipeline.api and the register.

Heavy libraries (underthesea, spaCy, pdfplumber, openpyxl, docxtpl) are imported
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

EXIT_OK, EXIT_PARTIAL, EXIT_FAIL = 0, 1, 2

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
    write_records(records, fmt, output)
    if errors:
        raise typer.Exit(EXIT_PARTIAL if records or len(errors) < len(list(paths)) else EXIT_FAIL)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
