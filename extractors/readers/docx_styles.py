"""Word style look-ups for the .docx reader: a property not set on the paragraph
or run comes from its style, then the styles it is based on, then the defaults."""
from __future__ import annotations

from typing import Iterator, Optional

from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
__all__ = ["Styles", "W", "qn"]


class Styles:
    def __init__(self, styles_element):
        self.by_id = {}
        self.default_paragraph: Optional[str] = None
        self.defaults = None
        self._found: dict[tuple[Optional[str], str], object] = {}  # a document's styles never change: look up once
        if styles_element is None:
            return
        for style in styles_element.findall(f"{W}style"):
            style_id = style.get(qn("w:styleId"))
            self.by_id[style_id] = style
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true"):
                self.default_paragraph = style_id
        self.defaults = styles_element.find(f"{W}docDefaults")

    def chain(self, style_id: Optional[str]) -> Iterator:
        """The style and those it is based on, nearest first (cycles cut)."""
        seen = set()
        style_id = style_id or self.default_paragraph
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find(f"{W}basedOn")
            style_id = based.get(qn("w:val")) if based is not None else None

    def name(self, style_id: Optional[str]) -> Optional[str]:
        style = self.by_id.get(style_id or self.default_paragraph)
        if style is None:
            return None
        name = style.find(f"{W}name")
        return name.get(qn("w:val")) if name is not None else style_id

    def _first(self, style_id: Optional[str], path: str):
        key = (style_id, path)
        if key not in self._found:
            self._found[key] = next((el for el in map(lambda style: style.find(path), self.chain(style_id))
                                     if el is not None), None)
        return self._found[key]

    def paragraph_font(self, style_id: Optional[str]) -> Optional[str]:
        fonts = self._first(style_id, _RUN_FONTS)
        if fonts is None and self.defaults is not None:
            fonts = self._default_fonts()
        return _font_name(fonts)

    def _default_fonts(self):
        key = (None, "docDefaults")
        if key not in self._found:
            self._found[key] = self.defaults.find(f"{W}rPrDefault/{W}rPr/{W}rFonts")
        return self._found[key]

    def run_font(self, char_style_id: Optional[str]) -> Optional[str]:
        if not char_style_id:
            return None
        return _font_name(self._first(char_style_id, f"{W}rPr/{W}rFonts"))

    def paragraph_flag(self, style_id: Optional[str], name: str) -> bool:
        el = self._first(style_id, f"{W}rPr/{W}{name}")
        return el is not None and el.get(qn("w:val"), "true") not in ("0", "false", "off")

    def paragraph_align(self, style_id: Optional[str]) -> Optional[str]:
        el = self._first(style_id, f"{W}pPr/{W}jc")
        return el.get(qn("w:val")) if el is not None else None

    def numbering(self, style_id: Optional[str]) -> Optional[tuple[str, int]]:
        """(numId, level) a paragraph style attaches to its paragraphs (List Number, Heading n)."""
        for style in self.chain(style_id):
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is None:
                continue
            num_id = num_pr.find(f"{W}numId")
            ilvl = num_pr.find(f"{W}ilvl")
            if num_id is None:
                return None
            return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
        return None


_RUN_FONTS = f"{W}rPr/{W}rFonts"


def _font_name(fonts) -> Optional[str]:
    if fonts is None:
        return None
    return fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:cs"))
