"""Limits on reading one file: wall-clock time and memory, enforced by the OS (SIGALRM, RLIMIT_AS).

Whatever a notice holds (a 19 MB paragraph, a table that multiplies itself, a PDF that makes a C
library loop), one file can cost at most FILE_SECONDS and FILE_MEMORY_MB more memory than the
process had; it is then reported by name and the batch goes on. Both limits can be changed with
NHIEMVU_FILE_TIMEOUT (seconds) and NHIEMVU_FILE_MEMORY_MB. Where the OS has no such limits
(Windows), files are read without them.
"""
from __future__ import annotations

import contextlib
import os
import threading
from typing import Iterator

FILE_SECONDS = 180  # a 20 MB .txt (the size limit) reads in about a minute on a slow machine
FILE_MEMORY_MB = 1536


class FileTimeout(BaseException):
    """Raised in the reading thread when a file's time is up. A BaseException, so that a reader's
    `except Exception` (which turns library errors into 'corrupt file') cannot swallow it."""


def file_seconds() -> float:
    return _env_number("NHIEMVU_FILE_TIMEOUT", FILE_SECONDS)


def file_memory_mb() -> float:
    return _env_number("NHIEMVU_FILE_MEMORY_MB", FILE_MEMORY_MB)


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def time_message(seconds: float) -> str:
    return (f"xử lý quá {seconds:g} giây (giới hạn cho mỗi tệp), đã bỏ qua; tệp quá lớn hoặc có đoạn văn bất thường, "
            "hãy tách tệp hoặc lưu lại rồi chạy lại")


def memory_message(megabytes: float) -> str:
    return (f"cần quá {megabytes:g} MB bộ nhớ (giới hạn cho mỗi tệp), đã bỏ qua; tệp có thể bị hỏng hoặc có bảng, "
            "ô gộp bất thường")


@contextlib.contextmanager
def file_limits(seconds: float, memory_mb: float) -> Iterator[None]:
    """Within the block: FileTimeout after `seconds`, MemoryError beyond `memory_mb` more address space."""
    with _alarm(seconds), _address_space(memory_mb):
        yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    import signal

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def time_up(signum, frame):
        raise FileTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _address_space(memory_mb: float) -> Iterator[None]:
    try:
        import resource
    except ImportError:  # Windows
        yield
        return
    in_use = _address_space_in_use()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if in_use is None:
        yield
        return
    cap = in_use + int(memory_mb * 1024 * 1024)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # already limited more tightly by the officer's system
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space_in_use() -> int | None:
    """Bytes of address space this process has mapped (Linux /proc), else None."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
