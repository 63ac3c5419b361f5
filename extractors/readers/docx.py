"""Word .docx notices: paragraphs and tables in document order.

The container is checked before parsing (a PDF or an old/encrypted Office file
renamed .docx, a broken zip, a zip bomb, XML with DOCTYPE/ENTITY declarations).
Word numbering is drawn from numbering.xml into `RawParagraph.label` because the
text itself does not hold it. Runs in TCVN3/VNI fonts are converted to Unicode.

Table cells: a horizontally merged cell is repeated once per grid column it spans
(as python-docx does; never beyond the table's grid, so a hostile span costs nothing); a vertically merged continuation cell repeats the value of
the cell it continues, so every row of a task table reads on its own.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Optional

from extractors import legacy
from extractors.errors import CorruptFile, NoticeError
from extractors.models import RawDocument, RawElement, RawParagraph, RawTable
from extractors.readers.docx_numbering import Numbering
from extractors.readers.docx_styles import Styles, W, qn
from extractors.textnorm import clean

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100  # document.xml compresses ~5-20x; far more is a bomb
MAX_COLUMNS = 64  # Word draws at most 63 columns; a table without a grid is read at most this wide
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
          "both": "justify", "distribute": "justify", "justify": "justify"}


def read(path: Path) -> RawDocument:
    try:
        check_container(path)
        return _Reader(*_parts(path), path).run()
    except NoticeError:
        raise
    except Exception as exc:  # never let a library error reach the officer
        raise CorruptFile(path, f"tệp .docx bị hỏng, không đọc được nội dung ({type(exc).__name__})") from exc


# ---------------------------------------------------------------- container safety
def check_container(path: Path) -> None:
    """Refuse what is not a sound .docx before any XML is parsed."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        raise CorruptFile(path, "tệp có đuôi .docx nhưng thực chất là PDF; hãy đổi đuôi thành .pdf")
    if head == _OLE2:
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise CorruptFile(path, "tệp Word có mật khẩu; hãy gỡ mật khẩu rồi lưu lại")
        raise CorruptFile(path, "tệp thực chất là Word 97-2003 (.doc) đổi đuôi; hãy mở và lưu lại thành .docx")
    if not zipfile.is_zipfile(path):
        raise CorruptFile(path, "tệp .docx bị hỏng hoặc không phải tệp Word")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(path, archive)
    except zipfile.BadZipFile as exc:
        raise CorruptFile(path, "tệp .docx bị hỏng hoặc không phải tệp Word") from exc


def _check_members(path: Path, archive: zipfile.ZipFile) -> None:
    infos = {info.filename: info for info in archive.infolist()}
    if "word/document.xml" not in infos:
        raise CorruptFile(path, "tệp .docx bị hỏng hoặc không phải tệp Word (thiếu word/document.xml)")
    if sum(info.file_size for info in infos.values()) > MAX_UNCOMPRESSED:
        raise CorruptFile(path, "tệp .docx giải nén quá lớn (trên 200 MB), nghi là bom nén")
    body = infos["word/document.xml"]
    if body.file_size > 1024 * 1024 and body.file_size > MAX_RATIO * max(body.compress_size, 1):
        raise CorruptFile(path, "tệp .docx có tỉ lệ nén bất thường, nghi là bom nén")
    for name, info in infos.items():
        if name.endswith((".xml", ".rels")):
            with archive.open(info) as member:
                head = member.read(65536)
            long_prolog = len(head) == 65536
            head = _COMMENT.sub(b"", head)  # '<!-- <a -->' must not pass for the root element
            root = re.search(rb"<[A-Za-z]", head)  # declarations can only come before the root element
            prolog = head[: root.start()] if root else head
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog or (root is None and long_prolog):
                raise CorruptFile(path, f"tệp .docx chứa khai báo DOCTYPE/ENTITY không an toàn ({name})")


_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.S)  # an unclosed comment runs to the end of what was read


# ---------------------------------------------------------------- body walk
class _Reader:
    def __init__(self, body, styles: Styles, numbering_element, path: Path):
        self.path = path
        self.styles = styles
        self.numbering = Numbering(numbering_element, self.styles)
        self.body = body
        self.repairs: dict[str, int] = {}

    def run(self) -> RawDocument:
        elements: list[RawElement] = []
        for child in _block_children(self.body):
            elements.extend(self.block(child))
        repairs = [f"{enc}:{n}" for enc, n in sorted(self.repairs.items())]
        return RawDocument(source=str(self.path), format="docx", elements=elements, encoding_repairs=repairs)

    def block(self, child) -> list[RawElement]:
        """A body paragraph (then the text boxes anchored in it) or a table."""
        if child.tag == qn("w:tbl"):
            rows = self.table_rows(child)
            return [RawTable(rows=rows)] if any(any(cell for cell in row) for row in rows) else []
        paragraph = self.paragraph(child)
        out: list[RawElement] = [paragraph] if paragraph is not None else []
        for box in _text_boxes(child):
            for inner in _block_children(box):
                out.extend(self.block(inner))
        return out

    def paragraph(self, p) -> Optional[RawParagraph]:
        style_id = _p_style(p)
        text, all_bold, all_italic = self.paragraph_text(p, style_id)
        label = self.numbering.label(p, style_id)
        if not text.strip():
            return None  # an empty numbered paragraph is not an item either
        jc = p.find(f"{W}pPr/{W}jc")
        align = jc.get(qn("w:val")) if jc is not None else self.styles.paragraph_align(style_id)
        return RawParagraph(text=text, label=label, style=self.styles.name(style_id), bold=all_bold,
                            italic=all_italic, align=_ALIGN.get(align or ""))

    def paragraph_text(self, p, style_id: Optional[str]) -> tuple[str, bool, bool]:
        pieces: list[str] = []
        bold_flags: list[bool] = []
        italic_flags: list[bool] = []
        converted_with: set[str] = set()
        for r in p.iter(qn("w:r")):
            if _inside_nested_paragraph(r, p):
                continue
            raw = _run_text(r)
            if not raw:
                continue
            font = _run_font(r) or self.styles.run_font(_r_style(r)) or self.styles.paragraph_font(style_id)
            raw = self._from_font(raw, font, converted_with)
            pieces.append(raw)
            if raw.strip():
                bold_flags.append(_run_flag(r, "b", self.styles.paragraph_flag(style_id, "b")))
                italic_flags.append(_run_flag(r, "i", self.styles.paragraph_flag(style_id, "i")))
        text = "".join(pieces)
        if not converted_with:  # no font said so: old files lose fonts, judge by the text itself
            text, found = legacy.repair(text)
            converted_with.update([found] if found else [])
        for encoding in converted_with:
            self.repairs[encoding] = self.repairs.get(encoding, 0) + 1
        text = clean(text).strip()
        return text, bool(bold_flags) and all(bold_flags), bool(italic_flags) and all(italic_flags)

    @staticmethod
    def _from_font(raw: str, font: Optional[str], converted_with: set[str]) -> str:
        """A run in a TCVN3/VNI font is legacy text whatever it looks like."""
        encoding = legacy.font_encoding(font)
        if not encoding:
            return raw
        converted = legacy.decode(raw, encoding)
        if legacy.is_upper_font(font):
            converted = converted.upper()
        if converted != raw:
            converted_with.add(encoding)
        return converted

    def table_rows(self, tbl) -> list[list[str]]:
        rows: list[list[str]] = []
        above: list[str] = []
        width = len(tbl.findall(f"{W}tblGrid/{W}gridCol")) or MAX_COLUMNS
        for tr in tbl.findall(f"{W}tr"):
            row: list[str] = []
            for tc in tr.findall(f"{W}tc"):
                span = _grid_span(tc, room=width - len(row))
                vmerge = tc.find(f"{W}tcPr/{W}vMerge")
                continues = vmerge is not None and vmerge.get(qn("w:val"), "continue") != "restart"
                col = len(row)
                text = above[col] if continues and col < len(above) else self.cell_text(tc)
                row.extend([text] * span)
            rows.append(row)
            above = row
        return rows

    def cell_text(self, tc) -> str:
        lines: list[str] = []
        for child in _block_children(tc):
            if child.tag == qn("w:p"):
                paragraph = self.paragraph(child)
                if paragraph is not None:
                    lines.append(f"{paragraph.label} {paragraph.text}" if paragraph.label else paragraph.text)
            elif child.tag == qn("w:tbl"):  # nested table: its rows as lines
                lines.extend(" | ".join(c for c in row if c) for row in self.table_rows(child) if any(row))
        return "\n".join(lines)


def _grid_span(tc, room: int) -> int:
    """Grid columns a cell covers, at most the columns left in the table's grid (at least 1): a
    `gridSpan` of 50,000,000 in an 8 KB file must not become 50,000,000 copies of the cell."""
    span_el = tc.find(f"{W}tcPr/{W}gridSpan")
    if span_el is None:
        return 1
    try:
        span = int(span_el.get(qn("w:val"), "1"))
    except ValueError:
        return 1
    return max(1, min(span, room, MAX_COLUMNS))


# ---------------------------------------------------------------- the package's parts
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_STYLES_KEPT = 8  # distinct styles.xml kept parsed per process


def _parts(path: Path) -> tuple:
    """(body, Styles, numbering element or None) of a checked .docx.

    Only the three parts the reader uses are parsed. styles.xml is the largest part by far (a Word template's
    runs to hundreds of KB, against a few KB of text) and the notices of one office share it: it is parsed
    once per distinct content (keyed by the zip's CRC-32 and size). An unusual package (no styles part, or
    a relationship outside word/) is opened by python-docx, which supplies what is missing."""
    from docx.oxml.parser import parse_xml

    with zipfile.ZipFile(path) as archive:
        targets = _document_targets(archive)
        styles_info = _member(archive, targets.get("styles"))
        if styles_info is None or ("numbering" in targets and _member(archive, targets["numbering"]) is None):
            return _parts_by_python_docx(path)
        body = parse_xml(archive.read("word/document.xml")).body
        styles = _styles(archive, styles_info)
        numbering = parse_xml(archive.read(_member(archive, targets["numbering"]))) \
            if "numbering" in targets else None
    return body, styles, numbering


def _document_targets(archive: zipfile.ZipFile) -> dict[str, str]:
    """Relationship type (last word: "styles", "numbering") → part name, from word/_rels/document.xml.rels."""
    from lxml import etree

    try:
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    except KeyError:
        return {}
    out = {}
    for rel in rels.iter(_RELATIONSHIP):
        if rel.get("TargetMode") != "External" and rel.get("Type") and rel.get("Target"):
            out[rel.get("Type").rsplit("/", 1)[-1]] = posixpath.normpath(posixpath.join("word", rel.get("Target")))
    return out


def _member(archive: zipfile.ZipFile, name: Optional[str]) -> Optional[zipfile.ZipInfo]:
    if not name:
        return None
    try:
        return archive.getinfo(name.lstrip("/"))
    except KeyError:
        return None


def _styles(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Styles:
    from docx.oxml.parser import parse_xml

    key = (info.CRC, info.file_size, info.compress_size)
    styles = _parsed_styles.pop(key, None) or Styles(parse_xml(archive.read(info)))
    _parsed_styles[key] = styles  # most recently used last
    while len(_parsed_styles) > _STYLES_KEPT:
        _parsed_styles.pop(next(iter(_parsed_styles)))
    return styles


_parsed_styles: dict[tuple[int, int, int], Styles] = {}


def _parts_by_python_docx(path: Path) -> tuple:
    import docx

    document = docx.Document(str(path))
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        numbering = None
    return document.element.body, Styles(document.styles.element), numbering


def _block_children(parent):
    """Paragraphs and tables of a body or cell, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag == qn("w:sdt"):
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _block_children(content)
        elif child.tag in (qn("w:p"), qn("w:tbl")):
            yield child


_NOT_SHOWN = {qn("w:del"), qn("w:moveFrom")}  # tracked deletions and the old place of moved text
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _inside_nested_paragraph(r, p) -> bool:
    """A run in a text box inside this paragraph belongs to another paragraph; a deleted
    or moved-away run is not shown."""
    parent = r.getparent()
    while parent is not None and parent is not p:
        if parent.tag == qn("w:p") or parent.tag in _NOT_SHOWN:
            return True
        parent = parent.getparent()
    return False


def _text_boxes(p) -> list:
    """Text box contents anchored in paragraph `p` (Word writes each box twice: the
    drawing and a VML fallback; the fallback is skipped)."""
    boxes = []
    for box in p.iter(qn("w:txbxContent")):
        ancestor = box.getparent()
        while ancestor is not None and ancestor is not p and ancestor.tag != _FALLBACK:
            ancestor = ancestor.getparent()
        if ancestor is p:
            boxes.append(box)
    return boxes


def _run_text(r) -> str:
    out: list[str] = []
    for child in r.iterchildren():
        tag = child.tag
        if tag == qn("w:t"):
            out.append(child.text or "")
        elif tag == qn("w:tab"):
            out.append(" ")
        elif tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
    return "".join(out)


def _run_font(r) -> Optional[str]:
    fonts = r.find(f"{W}rPr/{W}rFonts")
    if fonts is None:
        return None
    return fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:cs"))


def _run_flag(r, name: str, default: bool) -> bool:
    el = r.find(f"{W}rPr/{W}{name}")
    if el is None:
        return default
    return el.get(qn("w:val"), "true") not in ("0", "false", "off")


def _p_style(p) -> Optional[str]:
    el = p.find(f"{W}pPr/{W}pStyle")
    return el.get(qn("w:val")) if el is not None else None


def _r_style(r) -> Optional[str]:
    el = r.find(f"{W}rPr/{W}rStyle")
    return el.get(qn("w:val")) if el is not None else None
