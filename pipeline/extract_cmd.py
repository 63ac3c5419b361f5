"""`nhiemvu extract`: read, structure and extract a set of files without touching the register."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Iterable, Optional

from extractors.errors import NoticeError
from extractors.models import task_record
from pipeline import api
from pipeline.export import safe_cell, safe_values


def extract_paths(paths: Iterable[Path]) -> tuple[list[dict], list[NoticeError]]:
    records: list[dict] = []
    errors: list[NoticeError] = []
    for path in api.iter_notice_files(paths):
        try:
            notice = api.parse(path)
        except NoticeError as exc:
            errors.append(exc)
            continue
        for warning in notice.warnings:  # read, but the officer should look: on stderr, the output stays clean
            print(f"Chú ý: {path}: {warning}", file=sys.stderr)
        records.extend(task_record(notice, t) for t in api.extract(notice))
    return records, errors


def csv_cell(value: object) -> object:
    """A list (units, the span's two offsets) as one '; '-separated cell; text a spreadsheet would run
    as a formula neutralised, as `export` does."""
    if isinstance(value, (list, tuple)):
        value = "; ".join("" if v is None else str(v) for v in value)
    return safe_cell(safe_values(value))


def write_records(records: list[dict], fmt: str, output: Optional[Path]) -> None:
    if fmt == "json":
        text = json.dumps(safe_values(records), ensure_ascii=False, indent=1)
    else:
        buf = io.StringIO()
        fields = list(records[0].keys()) if records else ["source", "assignee", "action", "deadline"]
        writer = csv.DictWriter(buf, fieldnames=fields)
        writer.writeheader()
        for r in records:
            writer.writerow({k: csv_cell(v) for k, v in r.items()})
        text = buf.getvalue()
    if output:
        from pipeline.failures import write_text_atomic

        write_text_atomic(output, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    else:
        sys.stdout.write(text + ("\n" if not text.endswith("\n") else ""))
