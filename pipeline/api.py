"""The library surface: each function is one step of the flow, callable without the CLI.

read → structure → extract; the register, exports and letters live in their own modules.
"""
from __future__ import annotations

import hashlib
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
    from extractors.readers import read
    from extractors.structure import structure

    path = Path(path)
    notice = structure(read(path))
    return notice.model_copy(update={"content_hash": file_hash(path)})


def extract(notice: Notice) -> list[Task]:
    """The tasks a structured notice assigns."""
    from extractors.assignments import extract_tasks

    return extract_tasks(notice)


def iter_notice_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every candidate notice file under the paths, recursively, in a stable order."""
    from extractors.readers import is_notice_file

    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith((".", "~$")) and is_notice_file(f):
                    yield f
        else:
            yield p
