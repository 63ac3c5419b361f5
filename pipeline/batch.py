"""A batch run over folders: find notices, skip the unchanged, read and extract in worker processes,
and register the results from this (the one writing) process, one transaction per notice.

Unchanged files are recognised by their stat (size, mtime) without opening them; a file whose stat
changed is hashed, and parsed only when its bytes changed.
"""
from __future__ import annotations

import contextlib
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from pipeline.register import FileState, Register

CHUNK = 8  # files per worker task: big enough to amortise pickling, small enough to keep both cores busy
SMALL_BATCH = 24  # below this, starting worker processes costs more than it saves


@dataclass
class FileError:
    path: str
    reason: str


@dataclass
class BatchSummary:
    files: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    duplicate: int = 0  # files that are another copy of a registered notice (PDF + .docx, forwarded copy)
    review: list[tuple[str, list[int]]] = field(default_factory=list)  # scans with pages OCR may have misread
    errors: list[FileError] = field(default_factory=list)
    reread: bool = False  # the extractor changed since the last run: every file was read again
    carried: list[str] = field(default_factory=list)  # "nhiệm vụ T-... đổi nội dung, giữ trạng thái ..."
    warnings: list[FileError] = field(default_factory=list)  # read, but doubtful (mixed encodings, ...)

    @property
    def registered(self) -> int:
        return self.new + self.changed + self.unchanged + self.duplicate

    def lines(self) -> list[str]:
        """The end-of-run report for the officer, in Vietnamese."""
        out = ["Chương trình đọc văn bản đã được cập nhật: đọc lại mọi tệp, giữ nguyên trạng thái đã ghi."] \
            if self.reread else []
        copies = f"{self.duplicate} bản khác của văn bản đã có, " if self.duplicate else ""
        out += [
            f"Đã xét {self.files} tệp: {self.new} mới, {copies}{self.changed} thay đổi, {self.unchanged} không đổi, "
            f"{len(self.errors)} lỗi.",
            f"Nhiệm vụ: thêm {self.added}, cập nhật {self.updated}, bỏ {self.removed}.",
        ]
        out += [f"  - {line[:1].upper()}{line[1:]}." for line in self.carried]
        if self.review:
            out.append(f"Cần kiểm tra lại bản quét ({len(self.review)} tệp, nhận dạng chữ có thể sai):")
            out += [f"  - {Path(p).name}: trang {', '.join(map(str, pages))}" for p, pages in self.review]
        if self.warnings:
            out.append(f"Cần xem lại {len(self.warnings)} tệp:")
            out += [f"  - {Path(w.path).name}: {w.reason}" for w in self.warnings]
        if self.errors:
            out.append(f"Không đọc được {len(self.errors)} tệp:")
            out += [f"  - {Path(e.path).name}: {e.reason}" for e in self.errors]
        return out


# ---------------------------------------------------------------- worker side
def process_file(path: str, known_hash: Optional[str]) -> tuple:
    """Hash, and if the bytes are new, read and extract one file. Runs in a worker process.

    Returns ("same", path, hash) | ("parsed", path, hash, notice, tasks, text_print, warnings)
    | ("error", path, reason). Reading and extracting run under the per-file limits (pipeline/limits.py).
    """
    from extractors.errors import NoticeError
    from pipeline import api
    from pipeline.limits import FileTimeout, file_limits, file_memory_mb, file_seconds, memory_message, time_message

    seconds, megabytes = file_seconds(), file_memory_mb()
    try:
        digest = api.file_hash(Path(path))
        if digest == known_hash:
            return ("same", path, digest)
        _prepare()  # loading the language data once is the program's cost, not this file's
        with file_limits(seconds, megabytes):
            notice = api.parse(path)
            tasks = api.extract(notice)
            from pipeline.duplicates import text_print

            printed = text_print(notice)  # recognises other copies of this notice; needs the text dropped below
    except FileTimeout:
        return ("error", path, time_message(seconds))
    except MemoryError:
        return ("error", path, memory_message(megabytes))
    except NoticeError as exc:
        return ("error", path, exc.reason)
    except OSError as exc:
        return ("error", path, f"không mở được tệp ({exc.strerror or exc.__class__.__name__})")
    except Exception as exc:  # a reader or extractor bug must not stop the batch
        return ("error", path, f"lỗi khi xử lý văn bản ({exc.__class__.__name__}: {str(exc)[:120]})")
    # the register keeps the text and the outline of its blocks (for the review page), not each block's text
    light = notice.model_copy(update={"body": _outline(notice.body), "content_hash": digest})
    return ("parsed", path, digest, light, tasks, printed, list(getattr(notice, "warnings", [])))


_prepared: list[bool] = []


def _prepare() -> None:
    """Import the readers' and extractor's modules and load their data (cues, units) once per process."""
    if _prepared:
        return
    _prepared.append(True)
    import extractors.structure  # noqa: F401
    from extractors import assignments

    assignments.prepare()
    with contextlib.suppress(ImportError):  # text_print's MinHash brings numpy, whose import maps much memory
        import datasketch  # noqa: F401


def _outline(blocks: list) -> list:
    return [b.model_copy(update={"text": "", "rows": None, "children": _outline(b.children)}) for b in blocks]


def process_chunk(items: list[tuple[str, Optional[str]]]) -> list[tuple]:
    return [process_file(path, known) for path, known in items]


def _warm_up() -> None:
    """Import the pipeline once per worker before the work arrives."""
    import pipeline.api  # noqa: F401


# ---------------------------------------------------------------- parent side
@dataclass
class _Todo:
    path: str
    state: FileState  # stat taken before hashing; the hash is filled in from the worker
    known_hash: Optional[str]


def plan(paths: Iterable[str | Path], register: Register, summary: BatchSummary,
         skip: Iterable[str | Path] = ()) -> list[_Todo]:
    """Files that need a look, in stable order; files whose stat is unchanged are counted and skipped."""
    from pipeline.api import iter_notice_files

    known = register.file_states()
    if summary.reread:  # a newer extractor: every file is read again, its bytes are not trusted to mean "done"
        known = {}
    todo: list[_Todo] = []
    listed: set[str] = set()
    for f in iter_notice_files(paths, skip):
        if os.path.abspath(f) in listed:  # a file named twice (folder and file inside it)
            continue
        listed.add(os.path.abspath(f))
        summary.files += 1
        try:
            st = os.stat(f)
        except OSError:
            summary.errors.append(FileError(str(f), "không tìm thấy tệp"))
            continue
        state = FileState(st.st_size, st.st_mtime_ns, "")
        seen = known.get(os.path.abspath(f))  # the register keys files by absolute path
        if seen and (seen.size, seen.mtime_ns) == (state.size, state.mtime_ns):
            summary.unchanged += 1
            continue
        todo.append(_Todo(str(f), state, seen.content_hash if seen else None))
    return todo


def default_jobs(n_files: int, requested: Optional[int] = None) -> int:
    if requested:  # more workers than cores only multiply memory (--jobs 64 on 2 cores took 2.4 GB)
        return max(1, min(requested, os.cpu_count() or 1))
    return 1 if n_files < SMALL_BATCH else min(2, os.cpu_count() or 1)


CRASHED = "chương trình đọc tệp bị dừng đột ngột khi xử lý tệp này (tệp có thể bị hỏng)"


class _Workers:
    """A process pool that survives a worker dying (a C library crashing on a broken PDF, out of memory):
    the chunk that was in flight is retried file by file, so only the guilty file is reported."""

    def __init__(self, jobs: int):
        from pipeline import api

        self.jobs = jobs
        # workers use the parent's extractor even when they do not fork from it (spawn on Windows/macOS)
        self._initargs = (api.extract,)
        self.pool = self._new_pool(jobs)
        for _ in self.pool.map(_noop, range(jobs)):
            pass

    def _new_pool(self, jobs: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, initargs=self._initargs)

    def submit(self, chunk: list) -> Future:
        try:
            return self.pool.submit(process_chunk, chunk)
        except BrokenProcessPool:
            self._restart()
            return self.pool.submit(process_chunk, chunk)

    def collect(self, chunk: list, future: Future) -> list[tuple]:
        from concurrent.futures import TimeoutError as Late

        from pipeline.limits import file_seconds

        try:  # each file has its alarm in the worker; this catches a worker stuck inside a C library
            return future.result(timeout=len(chunk) * file_seconds() + 60)
        except (BrokenProcessPool, Late):
            self._restart()
            return [self._isolated(path, known) for path, known in chunk]

    def _isolated(self, path: str, known: Optional[str]) -> tuple:
        from concurrent.futures import TimeoutError as Late

        from pipeline.limits import file_seconds, time_message

        alone = self._new_pool(1)
        try:
            return alone.submit(process_file, path, known).result(timeout=file_seconds() + 60)
        except BrokenProcessPool:
            return ("error", path, CRASHED)
        except Late:
            return ("error", path, time_message(file_seconds()))
        finally:
            _stop(alone)

    def _restart(self) -> None:
        _stop(self.pool)
        self.pool = self._new_pool(self.jobs)

    def close(self) -> None:
        # on Ctrl-C or an error, drop queued work instead of finishing it
        self.pool.shutdown(wait=True, cancel_futures=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut a pool down now: its workers are ended, not waited for (one may be stuck on a file)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _results(todo: list[_Todo], jobs: int) -> Iterator[tuple]:
    """Worker results in the order of `todo`, at most a few chunks in flight (streaming, bounded memory)."""
    items = [(t.path, t.known_hash) for t in todo]
    if jobs <= 1:
        yield from (process_file(p, k) for p, k in items)
        return
    workers = _Workers(jobs)
    try:
        in_flight: deque = deque()
        for i in range(0, len(items), CHUNK):
            chunk = items[i:i + CHUNK]
            in_flight.append((chunk, workers.submit(chunk)))
            if len(in_flight) >= jobs * 3:
                yield from workers.collect(*in_flight.popleft())
        while in_flight:
            yield from workers.collect(*in_flight.popleft())
    finally:
        workers.close()


def _worker_start(extract: Callable) -> None:
    """Workers leave Ctrl-C to the parent, which stops the batch between two notices."""
    import signal

    from pipeline import api

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    api.extract = extract


def _noop(_: int) -> None:
    _warm_up()


def run_batch(paths: Iterable[str | Path], register: Register, jobs: Optional[int] = None,
              on_progress: Optional[Callable[[int, int], None]] = None,
              skip: Iterable[str | Path] = ()) -> BatchSummary:
    """Bring the register up to date with every notice under `paths` (not those under `skip`)."""
    stamp = extraction_stamp()
    had_files = bool(register.counts()["files"])
    summary = BatchSummary(reread=had_files and register.get_meta(STAMP_KEY) != stamp)
    if not had_files:  # a first run read by this extractor: if interrupted, the next run just goes on
        register.set_meta(STAMP_KEY, stamp)
    todo = plan(paths, register, summary, skip)
    if on_progress:
        on_progress(0, len(todo))
    for done, (item, result) in enumerate(zip(todo, _results(todo, default_jobs(len(todo), jobs))), 1):
        _record(register, item, result, summary)
        if on_progress:
            on_progress(done, len(todo))
    register.set_meta(STAMP_KEY, stamp)  # only after the whole batch: an interrupted re-read is redone
    return summary


STAMP_KEY = "extraction_stamp"


def extraction_stamp() -> str:
    """Fingerprint of the code and data that turn a file into tasks: when it changes (a new release,
    better rules), notices already in the register are read again."""
    import hashlib

    import extractors
    from pipeline import api

    h = hashlib.sha256(f"{api.extract.__module__}.{api.extract.__qualname__}".encode())
    root = Path(extractors.__file__).parent
    for f in sorted(root.rglob("*")):
        if f.suffix in (".py", ".toml", ".txt", ".json") and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    h.update(Path(api.__file__).read_bytes())
    return h.hexdigest()


def _record(register: Register, item: _Todo, result: tuple, summary: BatchSummary) -> None:
    kind, path = result[0], result[1]
    if kind == "error":
        summary.errors.append(FileError(path, result[2]))
        return
    state = FileState(item.state.size, item.state.mtime_ns, result[2])
    if kind == "same":
        register.touch_file(path, state, source=path)
        summary.unchanged += 1
        return
    if result[3].review_pages:
        summary.review.append((path, list(result[3].review_pages)))
    outcome = register.upsert(result[3], result[4], state, reextracted=summary.reread,
                              text_print=result[5] if len(result) > 5 else None)
    setattr(summary, outcome.kind, getattr(summary, outcome.kind) + 1)
    summary.added += outcome.added
    summary.updated += outcome.updated
    summary.removed += outcome.removed
    summary.carried += getattr(outcome, "carried", [])
    if len(result) > 6 and result[6]:
        summary.warnings.append(FileError(path, "; ".join(result[6])))
