"""PDF notices with a text layer.

Text and line positions come from pypdfium2 (measured ~50x faster than pdfplumber
on the same files, with identical Vietnamese text: bench/bench_readers.py).
pdfplumber is opened only for pages that carry ruling lines, to find tables.

Lines become paragraphs by layout: a new paragraph starts after a larger vertical
gap, at a first-line indent, at a list marker, or after a line that ends well
short of the right margin. Running headers/footers (the same line at the same
place on several pages) and page numbers are dropped; a paragraph or a table cut
by a page break is joined again.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from extractors.errors import CorruptFile, NoticeError, UnsupportedFormat
from extractors.models import RawDocument, RawElement, RawParagraph, RawTable
from extractors.readers.paragraphs import join_broken_paragraphs, repair_legacy
from extractors.textnorm import clean, is_upper_heading

MAX_PAGES = 500
MARGIN_BAND = 0.06  # top/bottom share of the page (~18 mm on A4) where running headers and page numbers live
_LIST_START = re.compile(r"^\s*(?:[-+•*▪◦●–]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ][)]\s|[IVXLC]+\.\s)")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?$", re.IGNORECASE)


@dataclass
class Line:
    text: str
    page: int
    left: float
    right: float
    top: float
    bottom: float
    page_height: float

    @property
    def in_margin_band(self) -> bool:
        band = self.page_height * MARGIN_BAND
        return self.top > self.page_height - band or self.bottom < band


def read(path: Path) -> RawDocument:
    try:
        return _read(path)
    except NoticeError:
        raise
    except Exception as exc:  # never let a library error reach the officer
        raise CorruptFile(path, f"tệp PDF bị hỏng, không đọc được nội dung ({type(exc).__name__})") from exc


def _read(path: Path) -> RawDocument:
    _check_head(path)
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise CorruptFile(path, "tệp PDF có mật khẩu; hãy gỡ mật khẩu rồi gửi lại") from exc
        raise CorruptFile(path, "tệp PDF bị hỏng hoặc không đầy đủ") from exc
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise CorruptFile(path, "tệp PDF không có trang nào")
        if n_pages > MAX_PAGES:
            raise CorruptFile(path, f"tệp PDF quá dài ({n_pages} trang, tối đa {MAX_PAGES})")
        pages = [_page_lines(pdf, i) for i in range(n_pages)]
        ruled = [i for i in range(n_pages) if _has_ruling(pdf[i])]
        tables, in_forms = _ruled_tables(pdf, ruled)
    finally:
        pdf.close()
    # a scan may still carry a scanner's stamp line per page: too little text per page is no text layer
    if sum(len(line.text) for lines, _ in pages for line in lines) < max(20, 40 * n_pages):
        from extractors.readers import ocr

        return ocr.read_scanned_pdf(path)  # no text layer: a scan
    tables += _find_tables(path, in_forms)
    lines = _drop_running_lines([lines for lines, _ in pages])
    elements, repairs = repair_legacy(_layout(lines, tables, [width for _, width in pages]))
    return RawDocument(source=str(path), format="pdf", elements=join_broken_paragraphs(elements), pages=n_pages,
                       encoding_repairs=repairs)


def _check_head(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(1024)
    if head.startswith(b"PK"):
        raise CorruptFile(path, "tệp có đuôi .pdf nhưng thực chất là tệp Word (.docx); hãy đổi đuôi thành .docx")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise CorruptFile(path, "tệp có đuôi .pdf nhưng thực chất là tệp Office cũ (.doc/.xls)")
    if b"%PDF" not in head:
        raise CorruptFile(path, "tệp PDF bị hỏng hoặc không phải tệp PDF")


# ---------------------------------------------------------------- pdfium text
def _page_lines(pdf, index: int) -> tuple[list[Line], float]:
    page = pdf[index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    lines: list[Line] = []
    pos = 0
    for raw in re.split(r"(\r\n|\n|\r)", text):
        if raw in ("\r\n", "\n", "\r"):
            pos += len(raw)
            continue
        if raw.strip():
            lines.extend(_line(textpage, raw, pos, index + 1, height))
        pos += len(raw)
    textpage.close()
    page.close()
    return lines, width


def _line(textpage, raw: str, pos: int, page: int, height: float) -> list[Line]:
    """One text line with its box, or several when a wide gap splits it into columns (the two
    header columns on one baseline, "Số: 12/TB-UBND        An Phú, ngày ...").

    Glyphs drawn from a fallback font (Ộ, Ủ, Ệ when the main font lacks them) come later in the
    content stream than their place on the line; such a line is rebuilt in left-to-right order."""
    index = [i for i in range(len(raw)) if not raw[i].isspace()]
    boxes = {i: textpage.get_charbox(pos + i) for i in index}
    lefts = [boxes[i][0] for i in index]
    if any(b < a - 1 for a, b in zip(lefts, lefts[1:])):
        loose = [(raw[i], textpage.get_charbox(pos + i, loose=True)) for i in index]
        return [_make_line(_in_reading_order(loose), list(boxes.values()), page, height)]
    size = max(box[3] for box in boxes.values()) - min(box[1] for box in boxes.values())
    groups = [[index[0]]]
    for a, b in zip(index, index[1:]):
        if boxes[b][0] - boxes[a][2] > 3 * max(size, 4.0):
            groups.append([b])
        else:
            groups[-1].append(b)
    return [_make_line(raw[g[0]:g[-1] + 1], [boxes[i] for i in g], page, height) for g in groups]


def _make_line(text: str, boxes: list, page: int, height: float) -> Line:
    return Line(clean(text.strip(), keep_legacy=True), page, min(b[0] for b in boxes), max(b[2] for b in boxes),
                max(b[3] for b in boxes), min(b[1] for b in boxes), height)


def _in_reading_order(boxes: list) -> str:
    """Characters sorted by their left edge, a space where the gap is a word space
    (loose boxes span each glyph's advance, so letters of a word touch)."""
    ordered = sorted(boxes, key=lambda item: item[1][0])
    size = max((box[3] - box[1] for _, box in ordered), default=10.0)
    out, prev_right = [], None
    for char, (left, _, right, _) in ordered:
        if prev_right is not None and left - prev_right > size * 0.1:
            out.append(" ")
        out.append(char)
        prev_right = right
    return "".join(out)


def _has_ruling(page) -> bool:
    """Tables are drawn with path objects; pages without enough of them skip the table search."""
    import pypdfium2.raw as pdfium_c

    count = 0
    for obj in page.get_objects():
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            count += 1
            if count >= 4:
                return True
    return False


# ---------------------------------------------------------------- tables
# The ruling lines come from pdfium's path objects and each cell's text from pdfium's text layer; the grid
# (snapping and joining lines, intersections, cells, tables) is pdfplumber's own algorithm. Letting
# pdfplumber parse the whole page for its lines cost ~100 ms per ruled page, most of a PDF's reading time.
_SNAP = _JOIN = _CROSS = 3  # pdfplumber's default tolerances, in points
_MIN_EDGE = 3


def _ruled_tables(pdf, pages: list[int]) -> tuple[list["_Table"], list[int]]:
    """Tables of the ruled pages; and the pages whose rulings sit inside form objects (left to pdfplumber)."""
    found: list[_Table] = []
    in_forms: list[int] = []
    for index in pages:
        page = pdf[index]
        try:
            edges = _ruling_edges(page)
            if edges is None:
                in_forms.append(index)
            elif edges:
                found += _page_tables(page, index, edges)
        finally:
            page.close()
    return found, in_forms


def _ruling_edges(page) -> Optional[list[dict]]:
    """Every horizontal and vertical segment of the page's paths, as pdfplumber edges (top-down y);
    None when a form object holds paths (their coordinates are the form's)."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    edges: list[dict] = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2):
        if getattr(obj, "level", 0) > 0:
            return None
        edges += _path_edges(obj, height)
    return edges


def _path_edges(obj, height: float) -> list[dict]:
    import ctypes

    import pypdfium2.raw as pdfium_c

    a, b, c, d, e, f = obj.get_matrix().get()
    points: list[tuple[float, float]] = []
    start: Optional[tuple[float, float]] = None
    out: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not points:
            start = point
        else:
            out += _edge(points[-1], point)
        points.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            out += _edge(point, start)
    return out


def _edge(p: tuple[float, float], q: tuple[float, float]) -> list[dict]:
    (x0, x1), (top, bottom) = sorted((p[0], q[0])), sorted((p[1], q[1]))
    if bottom - top < 0.1:
        return [{"x0": x0, "x1": x1, "top": top, "bottom": top, "width": x1 - x0, "height": 0.0,
                 "orientation": "h", "object_type": "line"}]
    if x1 - x0 < 0.1:
        return [{"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
                 "orientation": "v", "object_type": "line"}]
    return []  # a slanted line or a curve's chord draws no table


def _page_tables(page, index: int, edges: list[dict]) -> list["_Table"]:
    from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
    from pdfplumber.utils import filter_edges

    edges = filter_edges(merge_edges(filter_edges(edges, min_length=1), _SNAP, _SNAP, _JOIN, _JOIN),
                         min_length=_MIN_EDGE)
    cells = intersections_to_cells(edges_to_intersections(edges, _CROSS, _CROSS))
    if not cells:
        return []
    height = page.get_height()
    textpage = page.get_textpage()
    found: list[_Table] = []
    try:
        chars = _page_chars(textpage, height)
        for group in cells_to_tables(cells):
            table = Table(None, group)
            texts = _cell_texts(table, chars)
            rows = [[_cell_text(texts.get(box, "")) if box is not None else None for box in row.cells]
                    for row in table.rows]
            _add_found(found, table, rows, index, height)
    finally:
        textpage.close()
    return found


def _page_chars(textpage, height: float) -> list[tuple[str, float, float, float]]:
    """(character, centre x, centre y from the top, glyph height) in the text layer's order; spaces and
    line breaks carry the position of the character before them."""
    text = textpage.get_text_range()
    out: list[tuple[str, float, float, float]] = []
    last = (0.0, 0.0, 0.0)
    for i, ch in enumerate(text):
        if not ch.isspace():
            left, bottom, right, top = textpage.get_charbox(i)
            last = ((left + right) / 2, height - (top + bottom) / 2, top - bottom)
        out.append((ch, *last))
    return out


def _cell_texts(table, chars: list[tuple[str, float, float, float]]) -> dict[tuple, str]:
    """Each cell's text, a character going to the cell that holds its centre (as pdfplumber decides);
    within a cell, what the text layer puts between two of its characters: nothing, a space or a line break."""
    import bisect

    rows = [[box for box in row.cells if box is not None] for row in table.rows]
    tops = [min(box[1] for box in row) for row in rows]
    x0, top, x1, bottom = table.bbox
    parts: dict[tuple, list[str]] = {}
    last: dict[tuple, int] = {}
    for i, (ch, x, y, _) in enumerate(chars):
        if ch.isspace() or not (x0 <= x <= x1 and top <= y <= bottom):
            continue
        row = rows[max(0, bisect.bisect_right(tops, y) - 1)]
        box = next((b for b in row if b[0] <= x <= b[2] and b[1] <= y <= b[3]), None)
        if box is None:  # under a cell merged down from a row above
            box = next((b for r in rows for b in r if b[0] <= x <= b[2] and b[1] <= y <= b[3]), None)
        if box is None:
            continue
        if box in last:
            parts[box].append(_between(chars, last[box], i))
        parts.setdefault(box, []).append(ch)
        last[box] = i
    return {box: "".join(text) for box, text in parts.items()}


def _between(chars: list[tuple[str, float, float, float]], i: int, j: int) -> str:
    gap = [c[0] for c in chars[i + 1:j]]
    if not gap:
        return ""
    if all(c.isspace() for c in gap):
        return "\n" if any(c in "\r\n" for c in gap) else " "
    # other cells' text came between: a line break when this cell's text moved down a line
    (_, _, y0, size), (_, _, y1, _) = chars[i], chars[j]
    return "\n" if abs(y1 - y0) > max(size, 4.0) / 2 else " "


def _add_found(found: list["_Table"], table, rows: list[list[Optional[str]]], index: int, height: float) -> None:
    rows = _merged_cells_repeated(table, rows)
    if len(rows) < 1 or max(len(r) for r in rows) < 2:
        return  # a box around text is not a table
    x0, top, x1, bottom = table.bbox
    found.append(_Table(index + 1, height - top, height - bottom, x0, x1, rows))


# ---------------------------------------------------------------- tables (pdfplumber, rulings inside forms)
@dataclass
class _Table:
    page: int
    top: float  # pdfium coordinates (from the bottom)
    bottom: float
    left: float
    right: float
    rows: list[list[str]]

    def holds(self, line: Line) -> bool:
        mid = (line.top + line.bottom) / 2
        return line.page == self.page and self.bottom - 1 <= mid <= self.top + 1 and \
            self.left - 1 <= line.left <= self.right + 1


def _find_tables(path: Path, pages: list[int]) -> list[_Table]:
    if not pages:
        return []
    import pdfplumber

    found: list[_Table] = []
    with pdfplumber.open(str(path)) as pdf:
        for index in pages:
            page = pdf.pages[index]
            for table in page.find_tables():
                rows = [[_cell_text(c) if c is not None else None for c in row] for row in table.extract()]
                _add_found(found, table, rows, index, page.height)
    return found


def _merged_cells_repeated(table, rows: list[list[Optional[str]]]) -> list[list[str]]:
    """pdfplumber gives None where a merged cell covers the grid; like the .docx reader, such a
    position repeats the merged cell's text, so every row of a task table reads on its own."""
    xs = sorted({round(x, 1) for row in table.rows for box in row.cells if box for x in (box[0], box[2])})
    boxes = [(box, rows[i][j]) for i, row in enumerate(table.rows) for j, box in enumerate(row.cells)
             if box is not None and i < len(rows) and j < len(rows[i])]
    out: list[list[str]] = []
    for i, row in enumerate(rows):
        filled = []
        for j, text in enumerate(row):
            if text is None and len(xs) == len(row) + 1 and i < len(table.rows):  # a regular grid only
                top, bottom = table.rows[i].bbox[1], table.rows[i].bbox[3]
                x, y = (xs[j] + xs[j + 1]) / 2, (top + bottom) / 2
                text = next((t for b, t in boxes if b[0] <= x <= b[2] and b[1] <= y <= b[3] and t is not None), "")
            filled.append(text or "")
        out.append(filled)
    return out


def _cell_text(cell: Optional[str]) -> str:
    """Wrapped lines inside a cell are one text; a line starting upper case stays a line of its own."""
    if not cell:
        return ""
    lines = [clean(line, keep_legacy=True).strip() for line in cell.split("\n") if line.strip()]
    out: list[str] = []
    for line in lines:
        if out and (line[0].islower() or line[0] == "("):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------- running headers and page numbers
def _drop_running_lines(pages: list[list[Line]]) -> list[Line]:
    def key(line: Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text), round(line.top / 5)

    # a running header is a short line; a full body line that happens to sit high is not one
    seen = Counter(k for lines in pages for k in {key(line) for line in lines
                                                   if line.in_margin_band and len(line.text) < 80})
    repeated = {k for k, n in seen.items() if n >= 2 and n >= len(pages) / 2}
    kept: list[Line] = []
    for lines in pages:
        for line in lines:
            if line.in_margin_band and (key(line) in repeated or _PAGE_NUMBER.match(line.text)):
                continue
            kept.append(line)
    return kept


# ---------------------------------------------------------------- lines into paragraphs
def _layout(lines: list[Line], tables: list[_Table], widths: list[float]) -> list[RawElement]:
    body = [line for line in lines if not any(t.holds(line) for t in tables)]
    margin_left = _mode(line.left for line in body) if body else 0.0
    margin_right = max((line.right for line in body), default=0.0)
    spacing = _mode(round(a.top - b.top) for a, b in zip(body, body[1:]) if a.page == b.page and a.top > b.top) or 14
    elements: list[RawElement] = []
    current: list[Line] = []
    pending = sorted(tables, key=lambda t: (t.page, -t.top))

    def flush() -> None:
        if current:
            elements.append(_paragraph(current, margin_left, margin_right))
            current.clear()

    for line in body:
        while pending and (pending[0].page, -pending[0].top) < (line.page, -line.top):
            flush()
            _add_table(elements, pending.pop(0))
        prev = current[-1] if current else None
        if prev is not None and _starts_paragraph(prev, line, margin_left, margin_right, spacing):
            flush()
        current.append(line)
    flush()
    for table in pending:
        _add_table(elements, table)
    return elements


def _starts_paragraph(prev: Line, line: Line, margin_left: float, margin_right: float, spacing: float) -> bool:
    gap = prev.top - line.top if line.page == prev.page else spacing
    if _LIST_START.match(line.text) and prev.text[-1:] in ".;:!?)":
        return True  # a marker after a closed sentence; "... trong năm / 2026. Thời gian" is a wrap
    if _same_centre(prev, line) and line.left > margin_left + 8:
        # a wrapped centred title (or header column line) goes on; "THÔNG BÁO" above its trích yếu does not
        return gap > spacing * 1.4 or is_upper_heading(prev.text) != is_upper_heading(line.text)
    if prev.left - line.left > 45:  # back from a right-hand column: not a wrap of a first-line indent
        return True
    if prev.right < margin_right - 36:  # the previous line stopped short: its paragraph ended
        return True
    if line.left > margin_left + 8:  # first-line indent (or a centred line)
        return True
    return gap > spacing * 1.6


def _same_centre(a: Line, b: Line) -> bool:
    return abs((a.left + a.right) / 2 - (b.left + b.right) / 2) < 12


def _centred(line: Line, margin_left: float, margin_right: float) -> bool:
    middle = (margin_left + margin_right) / 2
    return line.left > margin_left + 20 and abs((line.left + line.right) / 2 - middle) < 12


def _paragraph(lines: list[Line], margin_left: float, margin_right: float) -> RawParagraph:
    """Wrapped lines join with a space; the lines of a header column (centred off the page's middle,
    "ỦY BAN NHÂN DÂN" over "XÃ AN PHÚ") keep their line breaks, as a .txt notice has them."""
    centred = all(_centred(line, margin_left, margin_right) for line in lines)
    column = len(lines) > 1 and not centred and all(_same_centre(lines[0], line) for line in lines)
    text = clean(("\n" if column else " ").join(line.text for line in lines), keep_legacy=True)
    return RawParagraph(text=text, page=lines[0].page, align="center" if centred else None)


def _add_table(elements: list[RawElement], table: _Table) -> None:
    """A table continuing from the page before (nothing between, same columns) is one table;
    a repeated header row is dropped."""
    prev = elements[-1] if elements else None
    width = len(table.rows[0])
    if isinstance(prev, RawTable) and prev.page is not None and prev.page < table.page \
            and len(prev.rows[0]) == width:
        rows = table.rows[1:] if table.rows[0] == prev.rows[0] else table.rows
        elements[-1] = prev.model_copy(update={"rows": prev.rows + rows})
        return
    elements.append(RawTable(rows=table.rows, page=table.page))


def _mode(values) -> float:
    counts = Counter(round(v) for v in values)
    return float(counts.most_common(1)[0][0]) if counts else 0.0
