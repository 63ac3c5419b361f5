"""One reader per format, one contract: `read(path) -> RawDocument`.

Readers are imported lazily so that reading a .txt never pays for pdfplumber.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable, Protocol

from extractors.errors import CorruptFile, UnsupportedFormat
from extractors.models import RawDocument
from extractors.textnorm import safe_text


class Reader(Protocol):
    def __call__(self, path: Path) -> RawDocument: ...


# suffix -> module under extractors.readers exposing read(path)
READERS: dict[str, str] = {
    ".txt": "txt",
    ".md": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".doc": "office",  # through LibreOffice headless
    ".rtf": "office",
    ".odt": "office",
    ".jpg": "image",  # through Tesseract OCR
    ".jpeg": "image",
    ".png": "image",
    ".tif": "image",
    ".tiff": "image",
    ".edxml": "edxml",  # inter-agency exchange package (QCVN 102:2016/BTTTT)
}

# Formats we recognise but do not read yet, with what the officer should do.
NOT_YET: dict[str, str] = {
}


def reader_for(path: Path) -> Callable[[Path], RawDocument]:
    suffix = path.suffix.lower()
    if suffix in NOT_YET:
        raise UnsupportedFormat(path, NOT_YET[suffix])
    if suffix not in READERS:
        raise UnsupportedFormat(path, f"không nhận dạng được loại tệp '{suffix or '(không có đuôi)'}'; "
                                      "chỉ đọc được .docx, .doc, .odt, .rtf, .pdf, .txt, .md, "
                                      ".jpg, .png, .tif, .edxml")
    module = importlib.import_module(f"extractors.readers.{READERS[suffix]}")
    return module.read


def read(path: str | Path) -> RawDocument:
    """Read any supported notice file; raises NoticeError with a Vietnamese reason."""
    path = Path(path)
    if not path.is_file():
        raise CorruptFile(path, "không tìm thấy tệp")
    if path.stat().st_size == 0:
        raise CorruptFile(path, "tệp rỗng (0 byte)")
    return safe_document(reader_for(path)(path))


def safe_document(doc: RawDocument) -> RawDocument:
    """The reader boundary: control characters, noncharacters and lone surrogates are removed here
    (tabs and newlines kept), so that no later stage, export or letter ever meets them."""
    elements = []
    for el in doc.elements:
        if el.kind == "paragraph":
            el = el.model_copy(update={"text": safe_text(el.text),
                                       "label": safe_text(el.label) if el.label else el.label,
                                       "style": safe_text(el.style) if el.style else el.style})
        else:
            el = el.model_copy(update={"rows": [[safe_text(cell) for cell in row] for row in el.rows]})
        elements.append(el)
    return doc.model_copy(update={"elements": elements})


def is_notice_file(path: Path) -> bool:
    """Files a folder walk should offer to the readers (known or recognised-but-unsupported kinds)."""
    return path.suffix.lower() in READERS or path.suffix.lower() in NOT_YET
