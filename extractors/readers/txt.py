"""Plain text and Markdown notices (pasted text, exported .md).

A paragraph is a blank-line separated block; a line that starts with a list
marker starts a paragraph of its own. Markdown emphasis and heading marks are
dropped, the words kept.
"""
from __future__ import annotations

import re
from pathlib import Path

from extractors.errors import CorruptFile
from extractors.models import RawDocument, RawParagraph
from extractors.readers.paragraphs import join_broken_paragraphs, repair_legacy
from extractors.textnorm import clean, is_upper_heading

_LIST_START = re.compile(r"^\s*(?:[-+•*▪◦●]\s|\d+(?:\.\d+)*[.)]\s|[a-zđ][)]\s|[IVXLC]+\.\s)")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s*")
MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes, path: Path) -> str:
    """Decode the encodings Vietnamese offices save text in: UTF-8 (with or without BOM),
    UTF-16 with BOM (Notepad's 'Unicode'), else Windows-1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if data.count(b"\x00") > len(data) // 20:
        raise CorruptFile(path, "không phải tệp văn bản (nội dung nhị phân)")
    return data.decode("cp1258", errors="replace")


def strip_markdown(line: str) -> str:
    line = _HEADING_MARK.sub("", line)
    line = line.replace("**", "").replace("__", "")
    bullet = re.match(r"^\s*\*\s+", line)
    head, rest = (line[: bullet.end()], line[bullet.end():]) if bullet else ("", line)
    rest = re.sub(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", "", rest)
    return (head + rest).rstrip()


def _ends_paragraph(previous: str, line: str) -> bool:
    """Pasted text often has one line per paragraph with no blank line between them: a line that
    closes a sentence, or a heading in capitals followed by ordinary text, ends its paragraph.
    A line that stops mid-sentence is a soft wrap and continues."""
    if previous.endswith((".", ";", "!", "?", ":")) and line[:1].isupper():
        return True
    return is_upper_heading(previous) and not is_upper_heading(line) and not previous.endswith(",")


def split_paragraphs(text: str) -> list[str]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw_line in text.splitlines():
        line = strip_markdown(raw_line).strip()
        if not line:
            if current:
                paragraphs.append(current)
            current = []
            continue
        if current and (_LIST_START.match(line) or _ends_paragraph(current[-1], line)):
            paragraphs.append(current)
            current = []
        current.append(line)
    if current:
        paragraphs.append(current)
    return ["\n".join(p) for p in paragraphs]


def read(path: Path) -> RawDocument:
    if path.stat().st_size > MAX_BYTES:
        raise CorruptFile(path, f"tệp văn bản quá lớn (trên {MAX_BYTES // 1024 // 1024} MB)")
    text = clean(decode(path.read_bytes(), path), keep_legacy=True)  # full clean after legacy repair
    if "\ufffd" in text and text.count("\ufffd") > len(text) // 50:
        raise CorruptFile(path, "không đọc được nội dung (sai bảng mã hoặc tệp nhị phân)")
    paragraphs = [RawParagraph(text=p) for p in split_paragraphs(text)]
    paragraphs, repairs = repair_legacy(join_broken_paragraphs(paragraphs))
    fmt = "md" if path.suffix.lower() == ".md" else "txt"
    return RawDocument(source=str(path), format=fmt, elements=paragraphs, encoding_repairs=repairs)
