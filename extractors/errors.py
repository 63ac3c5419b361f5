"""Errors a user sees: one Vietnamese line naming the file and what is wrong."""
from __future__ import annotations

from pathlib import Path


class NoticeError(Exception):
    """A notice that cannot be read or understood. `reason` is Vietnamese, for the officer."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{Path(self.path).name}: {reason}")

    def __str__(self) -> str:  # the one line printed to the user
        return f"{Path(self.path).name}: {self.reason}"


class UnsupportedFormat(NoticeError):
    """The file's kind is not read yet (.doc, scanned PDF, image, unknown)."""


class CorruptFile(NoticeError):
    """The file claims a format but its content is broken, encrypted or empty."""
