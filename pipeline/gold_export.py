"""`nhiemvu export --format gold`: the register's tasks, as the officer corrected them, written as the scorer's
gold files (one `<stem>.gold.json` per notice, ../shared/eval/GUIDELINES.md), with a copy of each notice file
beside it, so that an office's own checked notices become its test set: `nhiemvu eval --gold DIR DIR`."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Optional

from extractors.models import RegisteredTask
from pipeline.commands_common import EXIT_OK, CommandError, open_register

KEY_WORDS = 10  # a task's key: the first words of its action (the scorer looks for them in the predicted action)
DOCUMENT_FIELDS = ("doc_type", "doc_number", "doc_date", "issuer", "signer")


def task_key(action: str) -> str:
    return " ".join(action.split()[:KEY_WORDS]).rstrip(" .,;:")


def gold_task(rt: RegisteredTask) -> dict:
    t = rt.task
    record = {"key": task_key(t.action), "assignee": [t.assignee],
              "deadline": t.due.isoformat() if t.due and not t.recurrence else None,
              "recurrence": t.recurrence, "co_assignees": [[u] for u in t.co_assignees]}
    if t.recurrence:
        record["deadline"] = "*"  # a recurring duty's date is not scored
    return record


def gold_document(tasks: list[RegisteredTask], stem: str) -> dict:
    n = tasks[0].notice
    fields = {"doc_type": n.doc_type, "doc_number": n.doc_number,
              "doc_date": n.doc_date.isoformat() if n.doc_date else None, "issuer": n.issuer, "signer": n.signer}
    return {"source": stem, "document": {k: v for k, v in fields.items() if v},
            "tasks": [gold_task(rt) for rt in tasks]}


def write_gold(tasks: list[RegisteredTask], out_dir: Path) -> list[Path]:
    by_notice: dict[int, list[RegisteredTask]] = {}
    for rt in tasks:
        by_notice.setdefault(rt.notice.id, []).append(rt)
    out_dir.mkdir(parents=True, exist_ok=True)
    written, taken = [], set()
    for group in by_notice.values():
        source = Path(group[0].notice.source)
        stem = source.name.split(".")[0] or f"van-ban-{group[0].notice.id}"
        if stem in taken:  # two notices named alike in different folders
            stem = f"{stem}-{group[0].notice.id}"
        taken.add(stem)
        path = out_dir / f"{stem}.gold.json"
        path.write_text(json.dumps(gold_document(group, stem), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
        if source.is_file():
            shutil.copy2(source, out_dir / (stem + "".join(source.suffixes)))
    return written


def export_gold(db: Path, output: Optional[Path]) -> int:
    out_dir = Path(output or Path("out") / "gold")
    if out_dir.exists() and not out_dir.is_dir():
        raise CommandError(f"Lỗi: {out_dir} là một tệp; --format gold ghi vào một thư mục")
    with open_register(db, write=False) as register:
        tasks = register.tasks()
    try:
        written = write_gold(tasks, out_dir)
    except OSError as exc:
        raise CommandError(f"Lỗi: không ghi được {exc.filename or out_dir} ({exc.strerror or exc})")
    print(f"Đã xuất đáp án {len(written)} văn bản ({len(tasks)} nhiệm vụ) ra {out_dir}; "
          f"chấm bằng: nhiemvu eval --gold {out_dir} {out_dir}")
    return EXIT_OK
