"""The lines of a notice's header and signature as they were laid out, from text that lost the layout.

A header is two columns (issuing body, "Số:", "V/v" | Quốc hiệu, Tiêu ngữ, place and date). Copies
from legal sites and portals flatten it: both columns on one line ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM"), cells separated by "|" (markdown tables), lines hard-wrapped in the middle of a
name or a date, capitals with broken spacing from PDF text ("ỦY B AN NHÂN D Â N"). This module puts
one header item on each line again; `structure` reads the items.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from extractors.textnorm import clean

_DATA = Path(__file__).parent / "data" / "vi"

# Where a new header item starts inside a flattened line (the original text keeps its case).
_NUMBER_AT = re.compile(r"(?<!\w)S[ốỐ]\s*(?:và ký hiệu\s*)?[:.]?\s*(?=[\w.\-]*\s*/)")
_NUMBER_TOKEN = re.compile(r"[\w.\-]*\s*/\s*[\w&.]+(?:\s*[-/]\s*[\w&.]+)*")
_SUBJECT_AT = re.compile(r"(?<!\w)(?:V/v|V/V)(?!\w)")
_RECIPIENTS_AT = re.compile(r"(?<!\w)Kính\s+gửi(?!\w)")
_DATE_END = re.compile(r",\s*ngày\s*(?:\d{1,2})?\s*(?:tháng|[/.\-])\s*(?:\d{1,2})?\s*(?:năm|[/.\-])\s*(?:\d{4})?",
                       re.IGNORECASE)
_RULE_RUN = re.compile(r"[-_=]{3,}")
_LINE_WORDS = 24
_ITEMS_CHARS = 400  # a flattened header row is shorter; a longer line is the body's
# A place and date wrapped before its month: "Hà Nội, ngày 24" / "tháng 11 năm 2025".
_DATE_CUT = re.compile(r",\s*(?:ngày\s*\d{0,2})?\s*$", re.IGNORECASE)
_DATE_REST = re.compile(r"^(?:ngày|tháng|\d)", re.IGNORECASE)


def _bare_table() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x2000):
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char.lower()) if not unicodedata.combining(c))
        if len(base) == 1 and base != char:
            table[code] = base
    table[ord("đ")] = table[ord("Đ")] = "d"
    return table


_BARE = _bare_table()


def aligned_bare(text: str) -> str:
    """textnorm.bare for NFC text, one character for one (cut points found on it fall on the text)."""
    return text.translate(_BARE).lower()


@dataclass(frozen=True)
class Orthography:
    vowels: frozenset[str]
    onsets: frozenset[str]
    codas: frozenset[str]
    nuclei: frozenset[str]


@lru_cache(maxsize=1)
def header_data() -> dict:
    """extractors/data/vi/header.toml, read once: the cue words of headers and footers."""
    with open(_DATA / "header.toml", "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def orthography() -> Orthography:
    data = header_data()["orthography"]
    return Orthography(vowels=frozenset(data["vowels"]), onsets=frozenset(data["onsets"]),
                       codas=frozenset(data["codas"]), nuclei=frozenset(data["nuclei"]))


@lru_cache(maxsize=1)
def _motto_patterns() -> tuple[re.Pattern, ...]:
    mottos = header_data()["national"]["motto"]
    return tuple(re.compile(r"(?<!\w)" + r"[\s\-,.]+".join(map(re.escape, m.split())) + r"(?!\w)") for m in mottos)


# ---------------------------------------------------------------- cells and items
def cells(text: str) -> list[str]:
    """A line split at table cell borders ("| a | b |"), cleaned of emphasis marks; empty cells dropped."""
    out = []
    for cell in text.split("|"):
        cell = clean(cell).strip(" *#")
        if cell and not re.fullmatch(r":?-{3,}:?", cell):
            out.append(cell)
        elif cell:
            out.append(cell)  # a rule: it still marks the header
    return out


def split_items(text: str) -> list[str]:
    """One flattened header line → its items, in order: body name, Quốc hiệu, Tiêu ngữ, "Số: ...",
    "V/v ...", place and date, "Kính gửi: ..."; the short rules under names are dropped."""
    if len(text) > _ITEMS_CHARS:
        return [text]  # a paragraph of the body
    folded = aligned_bare(text)
    if len(folded) != len(text):  # the cut points are found on the folded copy: it must align
        return [text]
    cuts: set[int] = set()
    for pattern in _motto_patterns():
        for m in pattern.finditer(folded):
            cuts.update((m.start(), m.end()))
    for m in _NUMBER_AT.finditer(text):
        cuts.add(m.start())
        token = _NUMBER_TOKEN.match(text, m.end())
        if token:
            cuts.add(token.end())
    for pattern in (_SUBJECT_AT, _RECIPIENTS_AT):
        cuts.update(m.start() for m in pattern.finditer(text))
    for m in _DATE_END.finditer(text):
        cuts.add(m.end())
    for m in _RULE_RUN.finditer(text):
        cuts.update((m.start(), m.end()))
    if not cuts:
        return [text]
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    pieces = [text[a:b].strip(" *") for a, b in zip(bounds, bounds[1:])]
    return [p for p in pieces if p and not _RULE_RUN.fullmatch(p)] or [text]


def join_wrapped_dates(texts: Iterable[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        if out and _DATE_CUT.search(out[-1]) and _DATE_REST.match(text) and len(out[-1]) < 60:
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out


# ---------------------------------------------------------------- broken spacing
def _letters(token: str) -> str:
    return aligned_bare(re.sub(r"[^\w]", "", token))


def _is_consonants(token: str) -> bool:
    core = _letters(token)
    return bool(core) and core.isalpha() and not any(c in orthography().vowels for c in core)


def _starts_with_vowel(token: str) -> bool:
    core = _letters(token)
    return bool(core) and core[0] in orthography().vowels


def _ends_with_vowel(token: str) -> bool:
    core = _letters(token)
    return bool(core) and core[-1] in orthography().vowels


def _nucleus(token: str) -> str:
    """The vowels of a syllable, without the u of 'qu' and the i of 'gi' (they belong to the onset)."""
    letters = re.sub(r"^(?:qu|gi)(?=[aeiouy])", "", _letters(token))
    m = re.search(r"[aeiouy]+", letters)
    return m.group(0) if m else ""


def is_broken(text: str) -> bool:
    """Several letters standing alone where words should be: 'ỦY B AN NHÂN D Â N', or a name whose
    words fell apart ('Ngu y ễn Văn Hải': every piece capitalised but those that end a syllable)."""
    if len(text) > _LINE_WORDS * 8:
        return False  # a sentence, not a header or signature line
    tokens = text.split()
    if len(tokens) > _LINE_WORDS:
        return False
    loose = [t for t in tokens if len(t) <= 2 and _is_consonants(t)]
    if len(loose) >= 2:
        return True
    if len(tokens) > 8:
        return False
    merged: list[str] = []
    for token in tokens:
        if merged and _joins_previous(merged[-1], token):
            merged[-1] += token
        else:
            merged.append(token)
    return len(merged) < len(tokens) and all(t[:1].isupper() for t in merged)


def _joins_previous(previous: str, token: str, spaced: bool = False) -> bool:
    """'ễn' after 'Nguy': a lower-case piece whose vowels make one syllable with the previous piece;
    in letter-spaced capitals ('B Á O', `spaced`), a single vowel letter likewise."""
    piece = token[:1].islower() or (spaced and len(token) == 1 and token.isupper() and previous.isupper())
    return (piece and _starts_with_vowel(token) and previous[:1].isupper()
            and _ends_with_vowel(previous) and _nucleus(previous + token) in orthography().nuclei)


def respace(text: str) -> str:
    """Glue the pieces of words a PDF copy split apart: a piece of consonants alone joins the next
    piece as its onset ("B AN" → "BAN", "C H Í" → "CHÍ"), else the previous one as its coda
    ("D Â N" → "DÂN"); a lower-case piece joins a name's previous piece when the vowels make one
    syllable ("Ngu y ễn" → "Nguyễn"). Text without such pieces is returned as it is."""
    if not is_broken(text):
        return text
    o = orthography()
    tokens = text.split()
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if _is_consonants(token) and len(_letters(token)) <= 3 and token.isalpha():
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            onset = re.match(r"[^aeiouyăâêôơư]*", _letters(token + nxt)).group(0)
            if nxt and nxt[0].isalpha() and (onset in o.onsets or _starts_with_vowel(nxt)) and not _is_coda_of(out, token, nxt):
                tokens[i + 1] = token + nxt
                i += 1
                continue
            if out and _ends_with_vowel(out[-1]) and _letters(token) in o.codas:
                out[-1] += token
                i += 1
                continue
        elif out and _joins_previous(out[-1], token, spaced=True):
            out[-1] += token
            i += 1
            continue
        out.append(token)
        i += 1
    return " ".join(out)


def _is_coda_of(out: list[str], token: str, nxt: str) -> bool:
    """'N' in 'D Â N THÀNH': the previous piece lacks its final consonant and the next has its onset."""
    o = orthography()
    return (bool(out) and _ends_with_vowel(out[-1]) and _letters(token) in o.codas
            and not _starts_with_vowel(nxt) and _letters(token + nxt)[:2] not in o.onsets
            and _letters(token + nxt)[:3] not in o.onsets)
