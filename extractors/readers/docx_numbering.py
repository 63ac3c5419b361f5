"""Word list numbering: the label Word draws before a numbered paragraph.

numbering.xml holds abstract list definitions (per level: number format, level
text such as "%1." or "%1.%2)", start value) and concrete lists (numId) that
point at them, possibly overriding start values. Counters run per list
definition and level; a paragraph at a level restarts every deeper level, as Word does.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from extractors.readers.docx_styles import Styles, W, qn

_BULLETS = {"-": "-", "–": "-", "+": "+", "•": "•", "◦": "◦", "▪": "▪", "●": "•", "○": "◦", "■": "▪", "*": "*"}


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


class Numbering:
    def __init__(self, numbering_element, styles: Styles):
        self.styles = styles
        self.abstract: dict[str, dict[int, Level]] = {}
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId -> level -> current value
        self.seen: set[tuple[str, int]] = set()
        if numbering_element is not None:
            self._load(numbering_element)

    def _load(self, root) -> None:
        for abstract in root.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.findall(f"{W}lvl"):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = _level(lvl)
            self.abstract[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            overrides = {}
            for override in num.findall(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start.get(qn("w:val"), "1"))
            if ref is not None:
                self.lists[num.get(qn("w:numId"))] = (ref.get(qn("w:val")), overrides)

    def label(self, p, style_id: Optional[str]) -> Optional[str]:
        """The label of paragraph `p` (advancing the counters), or None when it is not numbered."""
        found = _direct_numbering(p)
        style_num = self.styles.numbering(style_id)
        if found is None:
            found = style_num
        elif found[0] is None and style_num:  # ilvl given, list from the style
            found = (style_num[0], found[1])
        if not found or not found[0] or found[0] == "0" or found[0] not in self.lists:
            return None
        num_id, level = found
        abstract_id, overrides = self.lists[num_id]
        levels = self.abstract.get(abstract_id, {})
        if level not in levels:
            return None
        # Counters belong to the abstract definition (ECMA-376 17.9): lists sharing it continue
        # each other; a list with a start override restarts the count where it first appears.
        counters = self.counters.setdefault(abstract_id, {})
        first_use = (num_id, level) not in self.seen
        self.seen.add((num_id, level))
        if first_use and level in overrides:
            counters[level] = overrides[level]
        else:
            counters[level] = counters[level] + 1 if level in counters else levels[level].start
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        return _render(levels, counters, level, overrides)


def _level(lvl) -> Level:
    def val(tag: str, default: str) -> str:
        el = lvl.find(f"{W}{tag}")
        return el.get(qn("w:val"), default) if el is not None else default

    try:
        start = int(val("start", "1"))
    except ValueError:
        start = 1
    return Level(fmt=val("numFmt", "decimal"), text=val("lvlText", "%1."), start=start)


def _direct_numbering(p) -> Optional[tuple[Optional[str], int]]:
    num_pr = p.find(f"{W}pPr/{W}numPr")
    if num_pr is None:
        return None
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    level = int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
    return (num_id.get(qn("w:val")) if num_id is not None else None), level


def _render(levels: dict[int, Level], counters: dict[int, int], level: int, overrides: dict[int, int]) -> Optional[str]:
    spec = levels[level]
    if spec.fmt == "bullet":
        symbol = spec.text.strip()
        return _BULLETS.get(symbol, "•")  # Symbol/Wingdings private-use glyphs read as a bullet
    if spec.fmt == "none":
        return None
    text = spec.text
    for n in range(9, 0, -1):  # %10 does not exist; replace high numbers first
        placeholder = f"%{n}"
        if placeholder in text:
            lvl = n - 1
            value = counters.get(lvl, overrides.get(lvl, levels.get(lvl, Level()).start))
            text = text.replace(placeholder, format_number(value, levels.get(lvl, Level()).fmt))
    return text.strip() or None


def format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letters(value)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _letters(value: int) -> str:
    # Word repeats the letter past z: aa, bb, ...
    value = max(value, 1)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    out = []
    for number, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out.append(numeral)
            value -= number
    return "".join(out) or "0"
