"""Photographed or scanned pages (.jpg, .png, .tif): OCR, see ocr.py."""
from __future__ import annotations

from pathlib import Path

from extractors.models import RawDocument


def read(path: Path) -> RawDocument:
    from extractors.readers.ocr import read_image

    return read_image(path)
