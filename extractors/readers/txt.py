"""Plain text and Markdown notices (pasted text, exported .md).

A paragraph is a blank-line separated block; a line that starts with a list
marker starts a paragraph of its own. Markdown emphasis and heading marks are
dropped, the words kept.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from extractors.errors import CorruptFile
from extractors.models import RawDocument, RawElement, RawParagraph, RawTable
from extractors.readers.paragraphs import join_broken_paragraphs, repair_legacy
from extractors.textnorm import clean, is_upper_heading

_LIST_START = re.compile(r"^\s*(?:[-+•*▪◦●]\s|\d+(?:\.\d+)*[.)]\s|[a-zđ][)]\s|[IVXLC]+\.\s|\((?:\d{1,2}|[a-zđ])\)\s)")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s*")
MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes, path: Path) -> str:
    """Decode the encodings Vietnamese offices save text in: UTF-8 (with or without BOM),
    UTF-16 with BOM (Notepad's 'Unicode'), else Windows-1258."""
    return decode_checked(data, path)[0]


def decode_checked(data: bytes, path: Path) -> tuple[str, list[str]]:
    """The text, and what the officer should check. A file pasted together from two sources may be
    part UTF-8, part Windows-1258: each line is then decoded in its own encoding (decoding it all as
    cp1258 made 'Trung tâm' into 'Trung tĂ¢m'), and a warning says so."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if data.count(b"\x00") > len(data) // 20:
        raise CorruptFile(path, "không phải tệp văn bản (nội dung nhị phân)")
    lines, utf8, legacy = [], 0, 0
    for raw in data.split(b"\n"):
        try:
            line = raw.decode("utf-8-sig" if not lines else "utf-8")
            utf8 += not raw.isascii()
        except UnicodeDecodeError:
            line = raw.decode("cp1258", errors="replace")
            legacy += 1
        lines.append(line)
    text = "\n".join(lines)
    warnings = []
    if utf8 and legacy:
        warnings.append(f"tệp trộn hai bảng mã ({utf8} dòng UTF-8, {legacy} dòng Windows-1258); đã đọc từng dòng theo "
                        "bảng mã của nó, hãy kiểm tra lại nhiệm vụ và lưu lại tệp với bảng mã UTF-8")
    unreadable = text.count("\ufffd")
    if unreadable:
        warnings.append(f"{unreadable} ký tự không đọc được (bảng mã không rõ); hãy kiểm tra lại nội dung")
    return text, warnings


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


def _title_then_body(current: list[str], line: str) -> bool:
    """A page's title line with its first paragraph right under it ("Bộ Nội vụ: Tạm dừng trình đề án ..." /
    "Bộ Nội vụ đề nghị ..."): a short first line, no closing mark, then a longer line opening with a capital."""
    first = current[0]
    return (len(current) == 1 and len(first.split()) <= 20 and not re.search(r"[.,;:!?…]$", first)
            and line[:1].isupper() and len(line) > len(first) + 10)


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
        if current and (_LIST_START.match(line) or _ends_paragraph(current[-1], line)
                        or (not paragraphs and _title_then_body(current, line))):
            paragraphs.append(current)
            current = []
        current.append(line)
    if current:
        paragraphs.append(current)
    return ["\n".join(p) for p in paragraphs]


_PIPE_ONLY = re.compile(r"^\s*\|\s*$")
_FRAMED_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE_ROW = re.compile(r"^[\s|:\-]+$")


def split_elements(text: str) -> list[RawElement]:
    """Paragraphs and tables in reading order. Two table layouts occur in pasted notices:
    markdown rows ("| a | b |" lines) and the one legal-document sites export, where each cell's
    lines sit between lines holding a lone "|" and two such lines in a row close a row."""
    lines = text.splitlines()
    out: list[RawElement] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        if _FRAMED_ROW.match(lines[i]) and not _PIPE_ONLY.match(lines[i]):
            end = _run_end(lines, i, lambda ln: bool(_FRAMED_ROW.match(ln)) and not _PIPE_ONLY.match(ln))
            found: Optional[RawTable] = _framed_table(lines[i:end])
        elif _PIPE_ONLY.match(lines[i]):
            nxt = next((ln for ln in lines[i + 1:] if ln.strip()), "")
            if _FRAMED_ROW.match(nxt) and not _PIPE_ONLY.match(nxt):
                i += 1  # a stray "|" before a markdown table
                continue
            end = _stacked_end(lines, i)
            found = _stacked_table(lines[i:end])
        else:
            prose.append(lines[i])
            i += 1
            continue
        out.extend(RawParagraph(text=p) for p in split_paragraphs("\n".join(prose)))
        prose = []
        if found:
            out.append(found)
        i = end
    out.extend(RawParagraph(text=p) for p in split_paragraphs("\n".join(prose)))
    return out


def _run_end(lines: list[str], i: int, inside) -> int:
    while i < len(lines) and inside(lines[i]):
        i += 1
    return i


_CELL_LINES = 20  # no cell of a stacked table runs longer; prose after the table does


def _stacked_end(lines: list[str], i: int) -> int:
    """A stacked table ends at a lone "|" followed by a blank line, or by prose that runs on with no
    further "|" (pages without blank lines), or at the end of the text."""
    j = i + 1
    while j < len(lines):
        if _PIPE_ONLY.match(lines[j]):
            if j + 1 == len(lines) or not lines[j + 1].strip():
                return j + 1
            ahead = lines[j + 1:j + 2 + _CELL_LINES]
            if len(ahead) > _CELL_LINES and not any(_PIPE_ONLY.match(ln) for ln in ahead):
                return j + 1
        j += 1
    return j


def _cell_text(cell_lines: list[str]) -> str:
    # soft-wrapped lines of one paragraph join with a space; paragraphs with "\n" (the .docx convention)
    return "\n".join(p.replace("\n", " ") for p in split_paragraphs("\n".join(cell_lines)))


def _stacked_table(lines: list[str]) -> Optional[RawTable]:
    rows: list[list[str]] = []
    row: list[str] = []
    cell: Optional[list[str]] = None  # None: between a row's closing "|" and the next row's opening one
    for line in lines:
        if _PIPE_ONLY.match(line):
            if cell is None:
                cell = []  # the row's opening "|"
            elif not cell and not row:
                continue
            elif not cell:  # "|" right after "|": the row is closed
                rows.append(row)
                row, cell = [], []
            else:
                row.append(_cell_text(cell))
                cell = []
        elif cell is not None:
            cell.append(line)
    if row:
        rows.append(row)
    return _table(rows)


def _framed_table(lines: list[str]) -> Optional[RawTable]:
    rows = []
    for line in lines:
        if _RULE_ROW.match(line):
            continue
        inner = line.strip()[1:-1]
        rows.append([strip_markdown(c).strip() for c in inner.split("|")])
    return _table(rows)


def _table(rows: list[list[str]]) -> Optional[RawTable]:
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    return RawTable(rows=[r + [""] * (width - len(r)) for r in rows])


def read(path: Path) -> RawDocument:
    if path.stat().st_size > MAX_BYTES:
        raise CorruptFile(path, f"tệp văn bản quá lớn (trên {MAX_BYTES // 1024 // 1024} MB)")
    decoded, warnings = decode_checked(path.read_bytes(), path)
    text = clean(decoded, keep_legacy=True)  # full clean after legacy repair
    if "\ufffd" in text and text.count("\ufffd") > len(text) // 50:
        raise CorruptFile(path, "không đọc được nội dung (sai bảng mã hoặc tệp nhị phân)")
    paragraphs = split_elements(text)
    paragraphs, repairs = repair_legacy(join_broken_paragraphs(paragraphs))
    fmt = "md" if path.suffix.lower() == ".md" else "txt"
    return RawDocument(source=str(path), format=fmt, elements=paragraphs, encoding_repairs=repairs,
                       warnings=warnings)
