"""The library surface: each function is one step of the flow, callable without the CLI.

read → structure → extract; the register, exports and letters live in their own modules.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable, Iterator

from extractors.models import Notice, Task


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse(path: str | Path) -> Notice:
    """Read and structure one notice file. Raises NoticeError with a Vietnamese reason."""
    from extractors.reader_facts import apply_reader_facts
    from extractors.readers import read
    from extractors.structure import structure

    path = Path(path)
    raw = read(path)
    notice = apply_reader_facts(structure(raw), raw)
    # the reader's doubts (mixed encodings, ...) reach the officer with the file's name
    return notice.model_copy(update={"content_hash": file_hash(path), "warnings": list(raw.warnings)})


def extract(notice: Notice) -> list[Task]:
    """The tasks a structured notice assigns."""
    from extractors.assignments import extract_tasks

    return extract_tasks(notice)


def explain(notice: Notice) -> tuple[list[Task], dict[str, str]]:
    """The tasks, and for each block that gave none, why: block path → a [no_task] code of
    extractors/data/vi/rules.toml (words for the codes: extractors.rules)."""
    from extractors.assignments import explain as explain_tasks

    return explain_tasks(notice)


# Files the program writes into its output folders: a folder holding one is output, never input
OUTPUT_MARKERS = (".nhiemvu-xuat.sha256", ".nhiemvu-cong-van.json")


def iter_notice_files(paths: Iterable[str | Path], skip: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Every candidate notice file under the paths, recursively, in a stable order.

    Not walked: the folders in `skip` (the run's own output), folders holding the program's output
    markers (letters written by an earlier run), and links that lead out of the folder given."""
    from extractors.readers import is_notice_file

    skipped = {os.path.realpath(s) for s in skip}
    for p in map(Path, paths):
        if not p.is_dir():
            yield p
            continue
        root = os.path.realpath(p)
        found = []
        for folder, dirs, files in os.walk(p):
            if os.path.realpath(folder) in skipped or any(m in files for m in OUTPUT_MARKERS):
                dirs[:] = []
                continue
            for name in files:
                f = Path(folder) / name
                if name.startswith((".", "~$")) or not is_notice_file(f) or not f.is_file():
                    continue
                if f.is_symlink() and not _inside(os.path.realpath(f), root):
                    continue
                found.append(f)
        yield from sorted(found)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
