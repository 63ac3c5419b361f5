"""Body elements -> a tree of Blocks with their numbering.

Contract: `build_body(elements) -> (text, blocks)`; `text` is the body text the
blocks' spans index into: one line per paragraph, its label kept ("- Rà soát ..."),
the span covering the words after the label (= Block.text).

Nesting follows the label styles as they appear, the way outline parsers do it:
a stack of open styles (Roman, decimal, dotted decimal by depth, letter, dash,
plus, bullet...). A style not on the stack opens a deeper level; a style already
on it closes back to that level. Unlabelled paragraphs belong to the innermost
numbered or lettered heading (closing any open bullet level), except that a
paragraph ending with ":" opens a level for the items that follow it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from extractors.models import Block, RawElement, RawParagraph, RawTable
from extractors.textnorm import is_upper_heading

# Styles of a numbered/lettered heading; the others are bullets. A "*" line ("* Lưu ý:",
# "* Nhiệm vụ:") is a small heading in these notices: it closes open bullets like a heading.
HEADING_STYLES = ("article", "roman", "dec", "letter", "upper", "pdec", "pletter", "star", "plain")
_LEAD_IN = "lead"  # pseudo-style: a paragraph ending with ":" that the next bullets sit under

# Order matters: the double marker "- +" before the single ones, dotted decimals before decimals.
_LABELS: list[tuple[str, re.Pattern]] = [
    ("plus", re.compile(r"^[-–]\s*\+\s*")),
    ("article", re.compile(r"^(?:Điều|Mục|Phần|Chương)\s+(?P<core>\d{1,3}|[IVXL]{1,6})\s*[.:]\s*(?=\S)")),
    ("roman", re.compile(r"^(?P<core>[IVXL]{1,6})[.)/-]\s*(?=\S)")),
    ("letter", re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.(?P<core>[a-zđ])[.)]\s+(?=\S)")),  # "2.1.a.", "4.1.b)"
    ("dotted", re.compile(r"^(?P<core>\d{1,2}(?:\.\d{1,2}){1,4})\.?\)?\s+(?=\S)")),
    ("dec", re.compile(r"^(?P<core>\d{1,2})[.)/]\s*(?=[^\d\s])")),
    ("dec", re.compile(r"^(?P<core>\d{1,2})\s*-\s+(?=\S)")),
    ("letter", re.compile(r"^(?P<core>[a-zđ])[).]\s+(?=\S)")),
    ("pdec", re.compile(r"^\((?P<core>\d{1,2})\)\s*(?=\S)")),  # "(1)", "(2)"
    ("pletter", re.compile(r"^\((?P<core>[a-zđ])\)\s*(?=\S)")),  # "(a)", "(b)"
    ("upper", re.compile(r"^(?P<core>[A-ZĐ])[)]\s+(?=\S)")),
    ("upper", re.compile(r"^(?P<core>[A-ZĐ])\.\s+(?=\S)")),  # "A. MỤC ĐÍCH, YÊU CẦU": a part of a plan
    ("dash", re.compile(r"^[-–—−]\s*(?=\S)")),
    ("plus", re.compile(r"^\+\s*(?=\S)")),
    ("star", re.compile(r"^\*+\s*(?=\S)")),
    ("bullet", re.compile(r"^[•▪◦●○■□➢➤►✓]+\s*(?=\S)")),
]


@dataclass
class ParsedLabel:
    style: str  # "roman", "dec1", "dec2"..., "letter", "dash", "plus", "bullet"
    label: str  # as written, e.g. "2.1.", "a)", "-"
    core: str  # the part used in paths: "II", "1", "a"


def parse_label(text: str) -> tuple[Optional[ParsedLabel], str]:
    """Split a leading list label off a paragraph's text."""
    for style, pattern in _LABELS:
        m = pattern.match(text)
        if not m:
            continue
        core = m.groupdict().get("core") or ""
        if style == "roman" and not _plausible_roman(core, text[m.end():]):
            continue
        if style == "upper" and m.group(0).rstrip().endswith(".") and not is_upper_heading(text[m.end():]):
            continue  # "A. Nguyễn Văn B", "Đ. Trần ...": an initial, not a part's letter
        if style == "dotted":
            style, core = f"dec{core.count('.') + 1}", core.split(".")[-1]
        elif style == "dec":
            style = "dec1"
        return ParsedLabel(style, m.group(0).strip(), core), text[m.end():].strip()
    return None, text


def _plausible_roman(core: str, rest: str) -> bool:
    # "V. NHIỆM VỤ" is a heading; "I.ĐÁNH GIÁ" too; but "L. Văn A" or "CV." is not a numeral.
    return bool(re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", core)) and core != "" and (rest[:1].isupper() or rest[:1].isdigit())


def word_label(label: str) -> Optional[ParsedLabel]:
    """A label Word drew from its numbering ("1.", "a)", "-", "•")."""
    parsed, rest = parse_label(label.strip() + " x")
    if parsed:
        return parsed
    label = label.strip()
    return ParsedLabel("bullet", label, "") if label else None


@dataclass
class _Open:
    style: str
    block: Block


class _TreeBuilder:
    def __init__(self) -> None:
        self.text_parts: list[str] = []
        self.length = 0
        self.roots: list[Block] = []
        self.stack: list[_Open] = []

    def add_text(self, text: str, label: Optional[str] = None) -> tuple[int, int]:
        """Append one line to the body text (label kept, as the notice reads); span of the text part."""
        prefix = f"{label} " if label else ""
        start = self.length + len(prefix)
        self.text_parts.append(prefix + text + "\n")
        self.length += len(prefix) + len(text) + 1
        return start, start + len(text)

    # ---- where a new block goes
    def _close_to(self, style: str) -> None:
        """Close back to (and including) the open level of this style."""
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].style == style:
                del self.stack[i:]
                return

    def _close_bullets(self) -> None:
        while self.stack and not self.stack[-1].style.startswith(HEADING_STYLES):
            self.stack.pop()

    def _attach(self, block: Block, core: str = "") -> None:
        parent = self.stack[-1] if self.stack else None
        siblings = parent.block.children if parent else self.roots
        prefix = parent.block.path + "." if parent else ""
        n = len(siblings) + 1
        if block.kind == "paragraph":
            block.path = f"{prefix}p{n}"
        elif block.kind == "table":
            block.path = f"{prefix}t{n}"
        elif block.kind == "item":
            block.path = f"{prefix}{'+' if (block.label or '').endswith('+') else '-'}{n}"  # "-3", "+2" whatever the glyph
        else:
            block.path = prefix + (core or str(n))
        siblings.append(block)

    def labelled(self, parsed: ParsedLabel, text: str) -> None:
        kind = "heading" if parsed.style.startswith(HEADING_STYLES) else "item"
        if kind == "heading":
            # a numbered heading is never the child of a bullet or of a lead-in ("... như sau:")
            self._close_bullets()
        if any(o.style == parsed.style for o in self.stack):
            self._close_to(parsed.style)
        block = Block(kind=kind, label=parsed.label or None, text=text, span=self.add_text(text, parsed.label))
        self._attach(block, parsed.core)
        self.stack.append(_Open(parsed.style, block))

    def paragraph(self, text: str) -> None:
        self._close_bullets()
        block = Block(kind="paragraph", text=text, span=self.add_text(text))
        self._attach(block)
        if text.rstrip().endswith(":"):
            self.stack.append(_Open(_LEAD_IN, block))

    def table(self, rows: list[list[str]]) -> None:
        self._close_bullets()
        self._attach(Block(kind="table", rows=rows))


def build_body(elements: list[RawElement]) -> tuple[str, list[Block]]:
    tree = _TreeBuilder()
    for el in elements:
        if isinstance(el, RawTable):
            tree.table(el.rows)
        elif isinstance(el, RawParagraph) and _pipe_rows(el.text):
            tree.table(_pipe_rows(el.text))  # a table typed as "a | b | c" lines (.txt, .md)
        elif isinstance(el, RawParagraph):
            first, *field_lines = _split_field_lines(el.text.strip())
            _add_paragraph(tree, first, el.label, el.bold)
            for line in field_lines:
                tree.paragraph(line)
    return "".join(tree.text_parts), tree.roots


def _add_paragraph(tree: "_TreeBuilder", text: str, label: Optional[str], bold: bool = False) -> None:
    parsed = word_label(label) if label else None
    if parsed is None:
        parsed, text = parse_label(text)
    if not text:
        return
    if parsed is None:
        style = _unnumbered_heading(text, bold)
        if style:
            tree.labelled(ParsedLabel(style, "", ""), text)
            return
        head, items = _split_inline_list(text)
        tree.paragraph(head)
        for item in items:  # under the lead-in ("... như:" opens a level), each a sentence of the list
            tree.labelled(ParsedLabel(_INLINE_ITEM, "", ""), item)
        return
    head, first_item = _split_glued_item(parsed, text)
    head, next_item = _split_glued_next(parsed, head)
    tree.labelled(parsed, head)
    if first_item:
        item_label, item_text = parse_label(first_item)
        tree.labelled(item_label, item_text)
    if next_item:
        _add_paragraph(tree, next_item, None)


_GLUED_FIRST_ITEM = re.compile(r"(?<=[^\s.;:,])\s+(?=a[).]\s+\S)")


def _pipe_rows(text: str) -> Optional[list[list[str]]]:
    """Rows of a table typed with pipes ("STT | Nội dung | Chủ trì", markdown "|---|" rules dropped),
    when every line has the same number of cells (at least three)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < 2 or not all(ln.count("|") >= 2 for ln in lines):
        return None
    rows = [[c.strip() for c in _pipe_cells(ln)] for ln in lines if not re.fullmatch(r"[|:\-\s]+", ln)]
    widths = {len(r) for r in rows}
    return rows if len(widths) == 1 and min(widths) >= 3 else None


def _pipe_cells(line: str) -> list[str]:
    # markdown rows are framed "| a | b |"; otherwise a trailing "|" closes an empty last cell
    if line.startswith("|") and line.endswith("|") and len(line) > 1:
        line = line[1:-1]
    return line.split("|")


def _unnumbered_heading(text: str, bold: bool) -> Optional[str]:
    """A short unnumbered line set in bold (.docx) or in capitals ("VỀ CÔNG TÁC Y TẾ") is a heading,
    and so is a name alone before a colon ("Phòng Kinh tế:"): the paragraphs after it are its own."""
    short = len(text.split()) <= 14 and "\n" not in text and not re.search(r"[.;,]$", text)
    if not short or re.search(r"\d{1,2}\s*/\s*\d{1,2}", text):  # a bold date line is a deadline, not a heading
        return None
    if text.endswith(":") and len(text.split()) <= 8:
        return "plain"
    if bold:
        return "plain"
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 6 and all(c.isupper() for c in letters):
        return "plain"
    return None


def _split_glued_item(parsed: ParsedLabel, text: str) -> tuple[str, str]:
    """ "1. Các đơn vị chủ trì a) Phòng Kinh tế": a lost line break glued the first lettered
    item to its heading; split it back (only "a)", the first letter, at a capitalised word)."""
    if not parsed.style.startswith(("roman", "dec")):
        return text, ""
    m = _GLUED_FIRST_ITEM.search(text)
    if not m or not text[m.end() + 3:m.end() + 4].isupper():
        return text, ""
    return text[:m.start()], text[m.end():]


_CAPITAL = "A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"


def _split_glued_next(parsed: ParsedLabel, text: str) -> tuple[str, str]:
    """"1. Thủ trưởng các cơ quan ... năm 2025. 2. Giao Trung tâm Y tế ...": a web page ran the next numbered
    item into this one; split it back where the next number (this one's plus one) opens a sentence."""
    if not parsed.style.startswith("dec") or not parsed.core.isdigit():
        return text, ""
    m = re.search(rf"(?<=[.;])\s+(?={int(parsed.core) + 1}\.\s+[{_CAPITAL}])", text)
    return (text[:m.start()], text[m.end():]) if m else (text, "")


_INLINE_ITEM = "inline"  # pseudo-style: a sentence of a list run into its lead-in's paragraph (an item, no label)
_SENTENCE_BREAK = re.compile(rf"(?<=[.!?])\s+(?=[{_CAPITAL}])")


def _split_inline_list(text: str) -> tuple[str, list[str]]:
    """ "... chỉ đạo các đơn vị thực hiện tốt các nội dung như: Rà soát .... Đẩy nhanh ...." (a news page or
    pasted text runs a lead-in into its list): the lead-in up to its colon, then one item per sentence. Only
    a directive lead-in ("chỉ đạo", "yêu cầu", "đề nghị", "giao" before the colon) and two sentences or more."""
    m = _inline_lead_in().match(text)
    if not m or not m.group("rest")[:1].isupper():
        return text, []
    items = [s.strip() for s in _SENTENCE_BREAK.split(m.group("rest")) if s.strip()]
    if len(items) < 2 or any(len(item.split()) < 3 for item in items):
        return text, []
    return m.group("head"), items


@lru_cache(maxsize=1)
def _inline_lead_in() -> re.Pattern:
    from extractors.cues import SCHEMA, _alternation
    from extractors.vocab import load

    data = load("cues.toml", SCHEMA)
    directive, introducer = _alternation(data["skip"]["directive_inside"]), _alternation(data["assign"]["list_introducer"])
    return re.compile(rf"^(?P<head>[^:]*?(?<![\wÀ-ỹ])(?:{directive})(?![\wÀ-ỹ])"
                      rf"[^:]*?(?<![\wÀ-ỹ])(?:{introducer})\s*:)\s+(?P<rest>\S.*)$", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=1)
def _field_line() -> re.Pattern:
    """A plan's field line ("Cơ quan chủ trì: ...", "Thời gian thực hiện: ..."), from cues.toml."""
    from extractors.cues import SCHEMA
    from extractors.vocab import load

    a = load("cues.toml", SCHEMA)["assign"]
    words = sorted({w for k in ("lead_field", "co_field", "time_field") for w in a[k]}, key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")\s*:", re.IGNORECASE)


def _split_field_lines(text: str) -> list[str]:
    """Hard-wrapped text can run a plan's field lines into the item above them: split them off."""
    if "\n" not in text:
        return [text]
    parts: list[str] = []
    for line in text.split("\n"):
        if parts and _field_line().match(line.strip()):
            parts.append(line.strip())
        elif parts and len(parts) > 1:  # a wrapped continuation of a field line
            parts[-1] += " " + line.strip()
        elif parts:
            parts[0] += "\n" + line
        else:
            parts.append(line)
    return [p for p in parts if p.strip()]


def _walk(blocks: list[Block]):
    for b in blocks:
        yield b
        yield from _walk(b.children)


def iter_blocks(blocks: list[Block]):
    """Every block of a tree, depth first, in reading order."""
    yield from _walk(blocks)
