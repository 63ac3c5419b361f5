"""RawDocument -> Notice: header/footer metadata and the body as a tree of blocks.

A notice is laid out by Nghị định 30/2020/NĐ-CP, Phụ lục I: a header (issuing body,
Quốc hiệu, "Số:", place and date, type name and trích yếu or "V/v", Kính gửi), the
body, and a footer (Nơi nhận, signature block). This stage finds those parts, reads
the metadata from the header and footer, and hands the body elements to
`blocks.build_body`. Fields the notice does not show stay empty: nothing is guessed.

Header and signature often sit in borderless two-column tables (.docx): a table among
the first or last elements is read as lines, left column first, then right.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from extractors import header_lines
from extractors.blocks import build_body
from extractors.models import Notice, RawDocument, RawElement, RawParagraph, RawTable
from extractors.textnorm import bare, clean, is_upper_heading

_DATA = Path(__file__).parent / "data" / "vi"
_NON_WORD = re.compile(r"[^\w]+")
_HEADER_SCAN = 14  # elements; a header never runs longer than this
_FOOTER_SCAN = 16
_PROSE_WORDS = 30  # a line this long is a sentence of the body, never a header line
_SIGN_BEFORE, _SIGN_AFTER = 4, 8  # elements around "Nơi nhận" where its signature block may stand
_SIGNATURE_CHARS = 300  # a Nơi nhận line with the signature run into it is shorter
_CC_SCAN = 40  # elements after "Nơi nhận" that its list and signature may take


# ---------------------------------------------------------------- language data
def ascii_key(text: str) -> str:
    """Matching key for header cues: lower case, no diacritics at all, words only."""
    return _NON_WORD.sub(" ", header_lines.aligned_bare(clean(text))).strip()


@dataclass(frozen=True)
class HeaderCues:
    motto: tuple[str, ...]
    types_by_name: dict[str, str]  # ascii key of the type name → code
    type_names: dict[str, str]  # code → type name
    codes: dict[str, str]  # ascii upper code → code ("QD" → "QĐ")
    authorities: tuple[str, ...]
    stamps: frozenset[str]
    titles: tuple[str, ...]
    generic: tuple[str, ...]
    levels: tuple[str, ...]
    false_levels: tuple[str, ...]
    heads: tuple[str, ...]
    abbreviations: dict[str, str]  # ascii key → as written
    issuing_titles: dict[str, str]  # ascii key of a title → the office it issues as
    child_heads: tuple[str, ...]  # lower case with tones: where a body under a parent starts
    bare_offices: frozenset[str]
    honorifics: frozenset[str]  # ranks and degrees before a signer's name
    authority_spellings: dict[str, str]  # "T/M" → "TM."


@lru_cache(maxsize=1)
def cues() -> HeaderCues:
    header = header_lines.header_data()
    with open(_DATA / "doc_types.toml", "rb") as fh:
        types = tomllib.load(fh)
    codes = {ascii_key(code).upper(): code for code in types["types"]}
    codes.update({ascii_key(k).upper(): v for k, v in types.get("symbols", {}).items()})
    issuer = header["issuer"]
    by_length = lambda words: tuple(sorted((ascii_key(w) for w in words), key=len, reverse=True))  # noqa: E731
    return HeaderCues(
        motto=tuple(ascii_key(m) for m in header["national"]["motto"]),
        types_by_name={ascii_key(name): code for code, name in types["types"].items() if code != "CV"},
        type_names=dict(types["types"]),
        codes=codes,
        authorities=tuple(header["signing"]["authorities"]),
        stamps=frozenset(ascii_key(s) for s in header["signing"]["stamps"]),
        titles=by_length(header["signing"]["titles"]),
        generic=by_length(issuer["generic"]),
        levels=by_length(issuer["levels"]),
        false_levels=by_length(issuer["false_levels"]),
        heads=by_length(issuer["heads"]),
        abbreviations={ascii_key(a): a for a in issuer["abbreviations"]},
        issuing_titles={ascii_key(k): v for k, v in header["signing"]["issuing_titles"].items()},
        child_heads=tuple(sorted(issuer["child_heads"], key=len, reverse=True)),
        bare_offices=frozenset(issuer["bare_offices"]),
        honorifics=frozenset(ascii_key(h) for h in header["signing"]["honorifics"]),
        authority_spellings=dict(header["signing"]["authority_spellings"]),
    )


# ---------------------------------------------------------------- patterns
_NUMBER = re.compile(r"^S[ốốoÔỐ]\s*(?:và ký hiệu)?\s*[:.]?\s*(?P<v>[\w./&\- ]*?)\s*$", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^\d,]{2,60}),\s*ngày\s*(?P<d>\d{1,2})?\s*(?:tháng|[/.\-])\s*(?P<m>\d{1,2})?\s*(?:năm|[/.\-])\s*(?P<y>\d{4})?\s*\.?$",
    re.IGNORECASE,
)
# "Về việc này, UBND tỉnh yêu cầu ..." opens a sentence about "this matter": not a trích yếu
_SUBJECT = re.compile(r"^(?:V/v|V/V|v/v|Về việc(?!\s+(?:này|đó|trên|nêu trên)\b))\s*[:.]?\s*(?P<v>.*)$", re.DOTALL)
_RECIPIENTS = re.compile(r"^Kính\s+gửi\s*:?\s*(?P<v>.*)$", re.IGNORECASE | re.DOTALL)
_CC = re.compile(r"^N[ơo]i\s+nh[ậa]n\s*:?\s*(?P<v>.*)$", re.IGNORECASE | re.DOTALL)
_RULE = re.compile(r"^[\s_\-=.*–—]*$")  # the short rules under names and mottos
# the type code in a number's symbol: "12/QĐ-UBND", "12/2026/QĐ-UBND", a party's "45-TB/HU"
_SYMBOL_TYPE = re.compile(r"/(?P<code>[A-Za-zĐđ]{1,4})-|-(?P<party>[A-Za-zĐđ]{1,4})/")
_SYMBOL_BODY = re.compile(r"^[\d\s]*/\s*[A-ZĐ]")  # "12/UBND-VP": a body's symbol, no type code


# ---------------------------------------------------------------- line view
@dataclass
class Line:
    """One line of the notice with the element it came from."""

    text: str
    element: int


def _element_texts(element: RawElement) -> list[str]:
    if isinstance(element, RawTable):
        # Two-column layout tables: left column top to bottom, then the right one (reading order);
        # a wider grid (a legal site's page: metadata, header, signature in cells) reads row by row.
        columns = max((len(r) for r in element.rows), default=0)
        if columns > 2:
            cells = [cell for row in element.rows for cell in row]
        else:
            cells = [row[c] for c in range(columns) for row in element.rows if c < len(row)]
        seen: list[str] = []
        for cell in cells:  # merged cells repeat their text: keep one copy
            if cell and cell not in seen:
                seen.append(cell)
        return [t for cell in seen for t in cell.split("\n")]
    return element.text.split("\n")


def _element_lines(index: int, element: RawElement) -> list[Line]:
    return [Line(cell, index) for t in _element_texts(element) for cell in header_lines.cells(t)]


def _lines(elements: list[RawElement], indices: range) -> list[Line]:
    return [line for i in indices for line in _element_lines(i, elements[i])]


def _header_view(lines: list[Line]) -> list[Line]:
    """Header lines with one item each: flattened columns split, wrapped dates joined, broken capitals glued."""
    out: list[Line] = []
    for line in lines:
        for item in header_lines.split_items(header_lines.respace(line.text)):
            if out and out[-1].element == line.element:
                joined = header_lines.join_wrapped_dates([out[-1].text, item])
                if len(joined) == 1:
                    out[-1] = Line(joined[0], line.element)
                    continue
            out.append(Line(item, line.element))
    return out


# ---------------------------------------------------------------- header
@dataclass
class Header:
    issuer_lines: list[str] = field(default_factory=list)
    doc_type: Optional[str] = None
    doc_number: Optional[str] = None
    doc_date: Optional[dt.date] = None
    year: Optional[int] = None
    place: Optional[str] = None
    title: Optional[str] = None
    recipients: list[str] = field(default_factory=list)
    end: int = 0  # index of the first body element


def _is_motto(text: str) -> bool:
    """The Quốc hiệu or Tiêu ngữ, or a wrapped piece of one ("CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT NAM")."""
    key = ascii_key(text)
    if not key:
        return False
    return any(key.startswith(m) or (len(key) > 10 and m.startswith(key))
               or (len(key.split()) >= 3 and m.endswith(" " + key)) for m in cues().motto)


def _type_of_name(text: str) -> Optional[str]:
    """'THÔNG BÁO' → 'TB' when the line is a type name in capitals."""
    if not is_upper_heading(text):
        return None
    return cues().types_by_name.get(ascii_key(text))


def _type_and_title(text: str) -> tuple[Optional[str], Optional[str]]:
    """Below the header items: a type name in capitals with its trích yếu run onto the same line
    ("THÔNG BÁO Kết luận của ...", "KẾ HOẠCH TRIỂN KHAI ..."), or the type name alone in the usual case."""
    words = text.split()
    for n in (3, 2, 1):
        code = cues().types_by_name.get(ascii_key(" ".join(words[:n])))
        if code and len(words) > n and is_upper_heading(" ".join(words[:n])):
            return code, " ".join(words[n:])
        if code and len(words) == n:
            return code, None
    return None, None


def _type_of_symbol(number: str) -> Optional[str]:
    """The type code of the number's symbol; a symbol with none ("Số: 17/UBND-VP") is a công văn's."""
    m = _SYMBOL_TYPE.search(number)
    code = cues().codes.get(ascii_key(m.group("code") or m.group("party")).upper()) if m else None
    if code is None and _SYMBOL_BODY.match(number):
        return "CV"
    return code


def _date(d: Optional[str], m: Optional[str], y: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date(int(y), int(m), int(d)) if d and m and y else None
    except ValueError:
        return None


def _is_number_line(text: str) -> bool:
    return bool(_NUMBER.match(text)) and "/" in text


def _header_start(lines: list[Line]) -> int:
    """Index of the header's first line: the issuing body's lines just above the Quốc hiệu or the
    "Số:" line, so that a portal's navigation or a legal site's metadata block above is skipped.
    A type name before any of these ("CHỈ THỊ" at the top of a copy without header) starts at 0."""
    anchor = None
    for k, line in enumerate(lines):
        if _type_of_name(line.text):
            return 0
        if _is_motto(line.text) or _is_number_line(line.text):
            anchor = k
            break
    if anchor is None:
        return 0
    k = anchor
    while k > 0 and (is_upper_heading(lines[k - 1].text) or _RULE.match(lines[k - 1].text)):
        k -= 1
    return k


def _is_grid(element: RawElement) -> bool:
    return isinstance(element, RawTable) and max((len(r) for r in element.rows), default=0) > 2


def _is_data_table(element: RawElement) -> bool:
    """A table of 3+ columns is body (a task table), unless it holds the Quốc hiệu or the "Số:" line:
    then it is a page's layout grid with the header in it."""
    if not _is_grid(element):
        return False
    return not any(_is_motto(t) or _is_number_line(t) for t in _element_texts(element))


def _read_header(elements: list[RawElement]) -> Header:
    head = Header()
    # a data table (3+ columns) is body: the header only ever sits in a two-column layout table
    scan = next((k for k, e in enumerate(elements[:_HEADER_SCAN]) if _is_data_table(e)), _HEADER_SCAN)
    lines = _header_view(_lines(elements, range(min(len(elements), scan))))
    i = _header_start(lines)
    first = lines[i].element if i < len(lines) else 0
    last = -1  # element index of the last header line seen
    while i < len(lines):
        line, text = lines[i], lines[i].text
        if _RULE.match(text) or _is_motto(text):
            last = line.element
        elif (m := _NUMBER.match(text)) and head.doc_number is None and "/" in text:
            head.doc_number = m.group("v").replace(" ", "") or None
            last = line.element
        elif (m := _PLACE_DATE.match(text)) and head.place is None:
            head.place = m.group("place").strip()
            head.year = int(m.group("y")) if m.group("y") else None
            head.doc_date = _date(m.group("d"), m.group("m"), m.group("y"))
            last = line.element
        elif (code := _type_of_name(text)) and head.doc_type is None:
            head.doc_type, last = code, line.element
            i, head.title, last = _take_title(lines, i + 1, last)
            continue
        elif last >= 0 and head.doc_type is None and (typed := _type_and_title(text))[0]:
            head.doc_type = typed[0]
            if typed[1]:
                i, head.title, last = _take_title(lines, i, last, first=typed[1])
            else:
                i, head.title, last = _take_title(lines, i + 1, line.element)
            continue
        elif (m := _SUBJECT.match(text)) and head.title is None and (text.startswith("V/") or last >= 0):
            i, head.title, last = _take_title(lines, i, last, first=m.group("v"))
            head.doc_type = head.doc_type or "CV"
            continue
        elif m := _RECIPIENTS.match(text):
            i, head.recipients, last, passed = _take_list(lines, i, m.group("v"), last)
            for other in passed:  # a two-column grid reads "Kính gửi:" before the right column's date line
                if (d := _PLACE_DATE.match(other)) and head.place is None:
                    head.place = d.group("place").strip()
                    head.year = int(d.group("y")) if d.group("y") else None
                    head.doc_date = _date(d.group("d"), d.group("m"), d.group("y"))
            continue
        elif (is_upper_heading(text) and head.doc_number is None and head.place is None
              and head.doc_type is None and line.element <= max(first + 2, last + 1)):
            head.issuer_lines.append(text)  # the body's lines follow one another (one a paragraph in pasted text)
            last = line.element
        elif last >= 0 and (line.element > last or _is_grid(elements[line.element])):
            break  # the first line that is not header: the body begins here
        elif last < 0 and (line.element >= first + 3 or len(text.split()) > _PROSE_WORDS):
            break  # no header at the top: a pasted body
        i += 1
    head.end = last + 1
    if last >= 0 and _is_grid(elements[last]):
        head.end = last  # a page's whole grid (header, body, signature in cells) stays body
    if not (head.doc_number or head.place or head.doc_type or head.title or head.recipients):
        return Header()  # capitals alone ("II. NHIỆM VỤ") are a pasted body's heading, not an issuer
    if head.doc_type is None and head.doc_number:
        head.doc_type = _type_of_symbol(head.doc_number) or None
    return head


def _take_title(lines: list[Line], i: int, last: int, first: Optional[str] = None) -> tuple[int, Optional[str], int]:
    """The trích yếu: its lines in one element, or wrapped over a few short paragraphs."""
    parts: list[str] = []
    if first is not None:
        parts.append(first)
        last, i = lines[i].element, i + 1
    elif i < len(lines):
        parts.append(lines[i].text)
        last, i = lines[i].element, i + 1
    while i < len(lines):
        text = lines[i].text
        same_element = lines[i].element == last
        wrapped = text[:1].islower() and not parts[-1].rstrip().endswith((".", ":", ";"))
        if _RULE.match(text):
            last, i = lines[i].element, i + 1
            continue
        if not (same_element or wrapped) or _ends_title(text):
            break
        parts.append(text)
        last, i = lines[i].element, i + 1
    title = " ".join(p.strip() for p in parts if p.strip())
    return i, (title or None), last


def _ends_title(text: str) -> bool:
    return bool(_RECIPIENTS.match(text) or _PLACE_DATE.match(text) or _NUMBER.match(text) and "/" in text
                or _is_motto(text))


def _take_list(lines: list[Line], i: int, inline: str, last: int) -> tuple[int, list[str], int, list[str]]:
    """'Kính gửi: X.' or 'Kính gửi:' followed by '- X;' lines up to the one ending '.'; also the header's
    own lines met on the way (Quốc hiệu, place and date of a grid's right column), which are no recipients."""
    items = [inline] if inline.strip() else []
    passed: list[str] = []
    last, i = lines[i].element, i + 1
    while not items or not items[-1].rstrip().endswith("."):
        if i >= len(lines):
            break
        text = lines[i].text
        if not re.match(r"^[-–+•]\s*\S", text) and lines[i].element != last:
            break
        if _is_motto(text) or _RULE.match(text) or _PLACE_DATE.match(text):
            passed.append(text)
        else:
            items.append(text)
        last, i = lines[i].element, i + 1
    # "- Bộ A; - Bộ B." in one cell of a grid: one recipient per dash
    items = [part for t in items for part in re.split(r";\s*(?=[-–+•]\s*\S)", t)]
    return i, [_list_item(t) for t in items if _list_item(t)], last, passed


def _list_item(text: str) -> str:
    return re.sub(r"^[-–+•]\s*", "", text).strip().rstrip(";.,").strip()


# ---------------------------------------------------------------- issuer name
def issuer_names(lines: list[str]) -> tuple[Optional[str], Optional[str]]:
    names = body_names(lines)
    if not names:
        return None, None
    return names[-1], (names[-2] if len(names) > 1 else None)


def body_names(lines: list[str]) -> list[str]:
    """Header lines of the issuing body → (issuer, parent), recased as a name is written.

    "ỦY BAN NHÂN DÂN / XÃ NGHI DƯƠNG" is one body; "UBND HUYỆN A / VĂN PHÒNG HĐND VÀ UBND"
    is a parent and the issuer under it. A name wrapped over lines ("ỦY BAN NHÂN" / "DÂN",
    "VĂN PHÒNG CHÍNH" / "PHỦ") is one name: a new body starts only with a head word (Sở, Phòng, ...).
    """
    parts: list[str] = []
    for line in lines:
        if _is_motto(line) or _RULE.match(line):
            continue
        if parts and _continues_name(parts[-1], line):
            parts[-1] = f"{parts[-1]} {line}"
        else:
            parts.append(line)
    parts = [piece for part in parts for piece in _split_flattened(part)]
    return [recase_name(part) for part in parts]


def _split_flattened(part: str) -> list[str]:
    """'UBND TỈNH LÀO CAI SỞ CÔNG THƯƠNG' → 'UBND TỈNH LÀO CAI', 'SỞ CÔNG THƯƠNG': a parent and the
    body under it run onto one line. The body starts at a head word after the parent's own name and
    at least one word of it; a head word that ends the line or stands before another head is a place's."""
    if not is_upper_heading(part):
        return [part]
    words = part.split()
    keys = [ascii_key(w) for w in words]
    toned = [w.lower() for w in words]
    c = cues()
    n = _name_start_len(keys)
    for j in range(n + 1, len(words)):
        child = next((h for h in c.child_heads if toned[j:j + len(h.split())] == h.split()), None)
        if not child:
            continue
        after = j + len(child.split())
        if after == len(words) and child not in c.bare_offices:
            continue
        if after < len(words) and any(toned[after:after + len(h.split())] == h.split() for h in c.child_heads):
            continue
        return [" ".join(words[:j]), " ".join(words[j:])]
    return [part]


def _name_start_len(keys: list[str]) -> int:
    """Words of a name before its proper part: 'UBND TỈNH' (2), 'ỦY BAN NHÂN DÂN' (4), 'BỘ' (1), else 0."""
    rest = " ".join(keys)
    generic = next((g for g in cues().generic if rest == g or rest.startswith(g + " ")), None)
    if generic:
        n = len(generic.split())
        level = _level_at(keys, n)
        return n + len(level.split()) if level else n
    head = _head_at(keys, 0)
    return len(head.split()) if head else len(keys)


def _continues_name(previous: str, line: str) -> bool:
    """True when `line` goes on with the body name of `previous` rather than naming a body under it."""
    before, key = ascii_key(previous), ascii_key(line)
    c = cues()
    if any(cue.startswith(before + " ") for cue in c.generic + c.heads):
        return True  # "ỦY BAN NHÂN" + "DÂN"
    if _starts_with_level(line):
        return True  # "ỦY BAN NHÂN DÂN" + "TỈNH X": the body's locality
    starts_body = any(key == w or key.startswith(w + " ") for w in c.generic + c.heads)
    return not starts_body


def qualified_issuer(issuer: Optional[str], parent: Optional[str], above: tuple[str, ...] = ()) -> Optional[str]:
    """The issuer named unambiguously: a body under a parent takes the parent's locality
    ("Sở Công Thương" under "UBND tỉnh Lào Cai" → "Sở Công Thương tỉnh Lào Cai"), or the locality of a
    body higher up (`above`: "UBND TỈNH X / SỞ Y / PHÒNG Z"); a bare office takes the parent's whole
    name ("Văn phòng" → "Văn phòng UBND tỉnh Lào Cai")."""
    if not issuer or not parent or _locality(issuer):
        return issuer
    if ascii_key(issuer) in cues().heads:
        return f"{issuer} {parent}"
    locality = next((loc for name in (parent, *reversed(above)) if (loc := _locality(name))), None)
    return f"{issuer} {locality}" if locality else issuer


def _locality(name: str) -> Optional[str]:
    """'UBND tỉnh Lào Cai' → 'tỉnh Lào Cai': the words from the first administrative level on."""
    words = name.split()
    keys = [ascii_key(w) for w in words]
    for i in range(1, len(words)):
        if _level_at(keys, i) and not _false_level_at(keys, i):
            return " ".join(words[i:])
    return None


def _false_level_at(keys: list[str], i: int) -> bool:
    rest = " ".join(keys[i:])
    return any(rest == f or rest.startswith(f + " ") for f in cues().false_levels)


def _is_generic(text: str) -> bool:
    return ascii_key(text) in cues().generic


def _starts_with_level(text: str) -> bool:
    key = ascii_key(text)
    return any(key == lv or key.startswith(lv + " ") for lv in cues().levels)


def recase_name(text: str) -> str:
    """An all-caps body name in the usual case: 'SỞ TÀI CHÍNH' → 'Sở Tài chính'.

    Phụ lục II: capitalise the first word of the name and of its proper part, the words of a
    place name after its level word (xã Nghi Dương), keep abbreviations (HĐND, UBND).
    """
    if not is_upper_heading(text):
        return clean(text).strip()
    words = clean(text).split()
    keys = [ascii_key(w) for w in words]
    out: list[str] = []
    capitalise_next, in_place = True, False
    i = 0
    while i < len(words):
        word, key = words[i], keys[i]
        if key in cues().abbreviations and len(word) <= 8:
            out.append(cues().abbreviations[key])
            capitalise_next = False
            i += 1
            continue
        level = _level_at(keys, i) if not _false_level_at(keys, i) else None
        if level and out and not in_place and out[-1] not in {"-", "–"}:  # "Văn hóa - Xã hội": not a commune
            n = len(level.split())
            out.extend(w.lower() for w in words[i:i + n])
            i += n
            in_place, capitalise_next = True, False
            continue
        head = _head_at(keys, i) if not in_place else None
        if head and out and capitalise_next and not _is_generic(head):
            # a body named inside a name ("Văn phòng Bộ Nội vụ"): its head and first proper word capitalised
            n = len(head.split())
            out.extend(_cap(w) if j == 0 else w.lower() for j, w in enumerate(words[i:i + n]))
            i += n
            continue
        if head and not out:
            n = len(head.split())
            out.extend(_cap(w) if j == 0 else w.lower() for j, w in enumerate(words[i:i + n]))
            i += n
            capitalise_next = not _is_generic(" ".join(words[:i]))
            continue
        if word == "&":  # "GIÁO DỤC & ĐÀO TẠO": the name in prose says "và"
            word = "và"
        out.append(_cap(word) if capitalise_next or in_place else word.lower())
        # each field of a name starts with a capital: "Sở Văn hóa, Thể thao và Du lịch" (Phụ lục II)
        capitalise_next = word.lower() in {"-", "–", "và", "&"} or word.endswith(",")
        i += 1
    return " ".join(out)


def _level_at(keys: list[str], i: int) -> Optional[str]:
    rest = " ".join(keys[i:])
    return next((lv for lv in cues().levels if rest == lv or rest.startswith(lv + " ")), None)


def _head_at(keys: list[str], i: int) -> Optional[str]:
    rest = " ".join(keys[i:])
    return next((h for h in cues().heads if rest == h or rest.startswith(h + " ")), None)


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


# ---------------------------------------------------------------- footer
@dataclass
class Footer:
    cc: list[str] = field(default_factory=list)
    signer: Optional[str] = None
    sign_authority: Optional[str] = None
    signer_title: Optional[str] = None
    issuer_hint: Optional[str] = None  # "TM. ỦY BAN NHÂN DÂN" names the body, not its place
    start: int = 0  # first footer element
    end: int = 0  # first element after the footer (an appendix may follow)


def _read_footer(elements: list[RawElement], body_start: int) -> Footer:
    """Nơi nhận and the signature block. The first "Nơi nhận" after the header closes the notice
    (a plan issued by a Quyết định follows it); without one, the last lines are searched."""
    foot = Footer(start=len(elements), end=len(elements))
    cc_element = next((k for k in range(body_start, len(elements)) if _CC_ANYWHERE.search(_raw_text(elements[k]))
                       and any(_CC.match(line.text) for line in _element_lines(k, elements[k]))), None)
    if cc_element is None:
        window = range(max(body_start, len(elements) - _FOOTER_SCAN), len(elements))
    else:  # the list of Nơi nhận and the signature around it
        window = range(max(body_start, cc_element - _SIGN_BEFORE), min(len(elements), cc_element + _CC_SCAN))
    lines = _footer_view(_lines(elements, window))
    cc_at = next((k for k, line in enumerate(lines) if _CC.match(line.text)), None)
    if cc_at is None:
        first = max(body_start, len(elements) - _FOOTER_SCAN)
        region = [line for line in lines if line.element >= first]
        list_end = None
    else:
        foot.cc, stop = _cc_items(lines, cc_at)
        cc_element, list_end = lines[cc_at].element, lines[stop - 1].element
        foot.start = cc_element
        region = [line for line in lines if cc_element - _SIGN_BEFORE <= line.element <= list_end + _SIGN_AFTER]
    sig_at = _signature_start(region)
    if sig_at is not None:
        foot.start = min(foot.start, region[sig_at].element)
        _read_signature(region, sig_at, foot)
    if foot.signer is None and list_end is not None and list_end < len(elements) - _FOOTER_SCAN:
        foot.end = list_end + 1  # an appendix follows a Nơi nhận whose signature was not found
    if foot.start < len(elements) and _is_grid(elements[foot.start]):
        foot.start = foot.end = len(elements)  # fields read, but a page's grid is not cut out of the body
    return foot


_CC_ANYWHERE = re.compile(r"N[ơo]i\s+nh[ậa]n", re.IGNORECASE)


def _raw_text(element: RawElement) -> str:
    return "\n".join("\n".join(row) for row in element.rows) if isinstance(element, RawTable) else element.text


def _footer_view(lines: list[Line]) -> list[Line]:
    """Footer lines with broken capitals glued and a signature run into one line split:
    "- Lưu: VT. Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng" → "...", "BỘ TRƯỞNG, CHỦ NHIỆM", "Mai Tiến Dũng"."""
    out = []
    for line in lines:
        text = _AUTHORITY_SPELLING.sub(lambda m: cues().authority_spellings[m.group(1)] + " ", line.text)
        out.extend(Line(part, line.element) for part in _split_signature(header_lines.respace(text)))
    return out


_AUTHORITY_SPELLING = re.compile(r"^(T/M|K/T|T/L|T/UQ|TM|KT|TL|TUQ)\s+(?=[A-ZĐÀ-Ỹ])")


def _split_signature(text: str) -> list[str]:
    if len(text) > _SIGNATURE_CHARS:
        return [text]
    words = text.split()
    if len(words) < 3 or not _looks_like_name(" ".join(words[-2:])):
        return [text]
    n = next((k for k in range(len(words) - 1, -1, -1) if not _is_name_word(words[k])), -1) + 1
    if n == 0 or len(words) - n > 5 or not is_upper_heading(words[n - 1]):
        return [text]
    start = n
    authorities = {a for a in cues().authorities}
    while start > 0 and _is_upper_word(words[start - 1]) and (
            not words[start - 1].endswith(".") or words[start - 1] in authorities):
        start -= 1
    run = words[start:n]
    if not any(_title_of(" ".join(run[k:])) for k in range(len(run))):
        return [text]
    before = " ".join(words[:start])
    return ([before] if before else []) + _title_lines(run) + [" ".join(words[n:])]


def _is_upper_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _title_lines(run: list[str]) -> list[str]:
    """'KT. CHỦ TỊCH PHÓ CHỦ TỊCH' → 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH' (a comma keeps titles together)."""
    lines: list[list[str]] = [[]]
    covered = 0
    for k, word in enumerate(run):
        title = _title_of(" ".join(run[k:]))
        if title and k >= covered and lines[-1] and any(_title_of(" ".join(lines[-1][j:])) for j in range(len(lines[-1]))) \
                and not lines[-1][-1].endswith(","):
            lines.append([])
        if title and k >= covered:
            covered = k + len(title.split())
        lines[-1].append(word)
    return [" ".join(words) for words in lines if words]


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and word.replace("-", "").isalpha() and not is_upper_heading(word)


def _signature_start(lines: list[Line]) -> Optional[int]:
    """The first line of the last signature block: an authority or a title in capitals."""
    found = None
    for k, line in enumerate(lines):
        text = line.text
        if any(text.startswith(a) for a in cues().authorities) and is_upper_heading(text):
            found = k if found is None or lines[found].element != line.element else found
        elif is_upper_heading(text) and _title_of(text) and (found is None or k > found + 3):
            found = k
    return found


def _title_of(text: str) -> Optional[str]:
    key = ascii_key(text)
    return next((t for t in cues().titles if key == t or key.startswith(t + " ")), None)


def _read_signature(lines: list[Line], k: int, foot: Footer) -> None:
    block = [line for line in lines[k:] if not _CC.match(line.text)]
    upper = [line.text for line in block if is_upper_heading(line.text)]
    first = upper[0] if upper else ""
    for authority in cues().authorities:
        if first.startswith(authority):
            foot.sign_authority = authority
            foot.issuer_hint = first[len(authority):].strip()
    titles = [t for t in upper if _title_of(t.split(".", 1)[-1].strip() if foot.sign_authority and t == first else t)]
    if titles:
        title = titles[-1]
        if foot.sign_authority and title == first:
            title = first[len(foot.sign_authority):].strip()
        foot.signer_title = title
    name_line = _signer_line(block)
    if name_line is not None:
        foot.signer = _person_name(name_line.text)
        foot.end = name_line.element + 1


def _signer_line(block: list[Line]) -> Optional[Line]:
    """The signer: the first line after the title lines that reads as a person's name. A name in
    capitals counts only when no name is written in the usual case ("TM. ỦY BAN" / "NHÂN DÂN" is a
    wrapped authority, not a person)."""
    names = []
    for line in block:
        text = line.text.strip("() ")
        if is_upper_heading(line.text) and _title_of(line.text.split(".", 1)[-1]) or ascii_key(text) in cues().stamps:
            continue
        if any(line.text.startswith(a) for a in cues().authorities):
            continue
        text = _without_honorific(_after_signer_label(_PARENTHETICAL.sub("", line.text).strip("() ")))
        if _looks_like_name(text) and not (is_upper_heading(text) and _names_a_body(text)):
            names.append(Line(text, line.element))
    return next((n for n in names if not is_upper_heading(n.text)), names[0] if names else None)


_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*$")  # "Nguyễn Văn A (đã ký)"


def _after_signer_label(text: str) -> str:
    """'Người ký: Nguyễn Văn A', 'Ký bởi: ...' (a digital signature's stamp) → the name."""
    label, colon, value = text.partition(":")
    return value.strip() if colon and _site_labels().get(ascii_key(label)) == "signer" else text


def _names_a_body(text: str) -> bool:
    """'XÃ AN PHÚ' or 'ỦY BAN NHÂN DÂN' under 'TM.': a body's name in capitals, not a person's."""
    key, c = ascii_key(text), cues()
    return any(key == w or key.startswith(w + " ") for w in c.levels + c.generic + c.heads)


def _without_honorific(text: str) -> str:
    """'Đại tá Nguyễn Văn A' → 'Nguyễn Văn A'; 'TS. Trần Thị B' → 'Trần Thị B'."""
    words = text.split()
    for n in (2, 1):
        if len(words) > n + 1 and ascii_key(" ".join(words[:n])) in cues().honorifics:
            return " ".join(words[n:])
    return text


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 6 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


def _person_name(text: str) -> str:
    text = text.strip("() ")
    return " ".join(_cap(w) for w in text.split()) if is_upper_heading(text) else text


def _cc_items(lines: list[Line], k: int) -> tuple[list[str], int]:
    """The items of Nơi nhận (one a line, or run together "- A; - B; - Lưu: VT.") and the index after them."""
    inline = _CC.match(lines[k].text).group("v")
    items = re.split(r"(?:^|;)\s*-\s*", inline) if inline.strip() else []
    k += 1
    while k < len(lines) and not any(_list_item(t).lower().startswith("lưu") for t in items[-1:]):
        if not re.match(r"^[-–+•]\s*\S", lines[k].text):
            if not (items and lines[k].element == lines[k - 1].element and lines[k].text[:1].islower()
                    or items and not items[-1].rstrip().endswith((";", "."))):
                break
            items[-1] = f"{items[-1]} {lines[k].text}"  # an item wrapped over lines
            k += 1
            continue
        items.append(lines[k].text)
        k += 1
    return [_list_item(t) for t in items if _list_item(t)], k


def _issuer_from_signature(foot: Footer) -> Optional[str]:
    """Without a header: "TM. CHÍNH PHỦ" names the body in full; a Thủ tướng signing in his own name
    (or KT. for him) issues as "Thủ tướng Chính phủ". A generic "TM. ỦY BAN NHÂN DÂN" lacks its place."""
    hint = ascii_key(foot.issuer_hint or "")
    if foot.sign_authority == "TM." and hint and not any(g == hint or g.startswith(hint + " ") for g in cues().generic):
        return recase_name(foot.issuer_hint)
    if foot.sign_authority in (None, "KT.") and foot.signer_title:
        principal = foot.issuer_hint if foot.sign_authority == "KT." else foot.signer_title
        return cues().issuing_titles.get(ascii_key(principal or ""))
    return None


# ---------------------------------------------------------------- a legal site's metadata
_SITE_TITLE = re.compile(r"^(?P<type>\w+(?: \w+){0,2}?) (?:số )?(?P<number>[\w.\-]*/[\w/&.\-]+) năm (?P<year>\d{4})\b"
                         r"(?:.* do (?P<issuer>.+?) ban hành)?\s*\.?$")
_SITE_DATE = re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$")


@lru_cache(maxsize=1)
def _site_labels() -> dict[str, str]:
    site = header_lines.header_data()["site"]
    return {ascii_key(label): field for field in ("number", "type", "issuer", "signer", "date")
            for label in site[field]}


def _site_fields(elements: list[RawElement]) -> dict:
    """Fields of a legal site's metadata block ("Loại văn bản: | Thông báo") and of its page title
    ("Công văn 2739/VPCP-ĐMDN năm 2019 ... do Văn phòng Chính phủ ban hành")."""
    texts = [line.text for k, e in enumerate(elements) for line in _element_lines(k, e)]
    found: dict = {}
    for k, text in enumerate(texts):
        label, _, value = text.partition(":")
        field_name = _site_labels().get(ascii_key(label)) if len(label) < 30 else None
        if field_name and not value.strip() and k + 1 < len(texts):
            value = texts[k + 1]
        value = value.strip()
        if field_name and value and field_name not in found:
            found[field_name] = _site_value(field_name, value)
    if texts and (m := _SITE_TITLE.match(texts[0])):
        code = _type_code(m.group("type"))
        if code:
            found.setdefault("type", code)
            found.setdefault("number", m.group("number"))
            if m.group("issuer"):
                found.setdefault("issuer", m.group("issuer").strip())
    return {k: v for k, v in found.items() if v}


def _site_value(field_name: str, value: str):
    if field_name == "type":
        return _type_code(value)
    if field_name == "date":
        m = _SITE_DATE.match(value)
        return _date(m.group("d"), m.group("m"), m.group("y")) if m else None
    if field_name == "number":
        return value.replace(" ", "") if "/" in value else None
    if field_name == "signer":
        return value if _looks_like_name(value) else None
    return value if value[:1].isupper() and not value.startswith("Đang") else None


def _type_code(name: str) -> Optional[str]:
    key = ascii_key(name)
    return "CV" if key == ascii_key(cues().type_names["CV"]) else cues().types_by_name.get(key)


# ---------------------------------------------------------------- without a header
def _type_of_first_line(elements: list[RawElement]) -> Optional[str]:
    """'Thông báo về việc ...', 'Kế hoạch số 12/KH-UBND ...' as a copy's first line: the type."""
    first = next((e for e in elements if isinstance(e, RawParagraph) and e.text.strip()), None)
    if first is None:
        return None
    key = ascii_key(first.text.split("\n")[0])
    for name, code in cues().types_by_name.items():
        if any(key.startswith(f"{name} {link} ") for link in _headerless()["title_links"]):
            return code
    return None


@lru_cache(maxsize=1)
def _headerless() -> dict:
    return header_lines.header_data()["headerless"]


@lru_cache(maxsize=1)
def _announce_pattern() -> re.Pattern:
    data, c = _headerless(), cues()
    alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
    nxt = "|".join(re.escape(w) if w == ":" else rf"{re.escape(w)}\b" for w in data["announce_next"])
    return re.compile(rf"\b(?:{alt(c.generic)}) (?:{alt(c.levels)}) (?P<place>(?:\w+ ){{1,4}}?)"
                      rf"(?:{alt(data['announce'])})\s*(?:{nxt})")


def _announcer(elements: list[RawElement]) -> Optional[str]:
    """The body that announces in the notice's own words: "UBND phường X thông báo: ...", named
    as fully as the text names it elsewhere ("... phường 6 quận Tân Bình")."""
    text = "\n".join(e.text for e in elements if isinstance(e, RawParagraph))
    folded = re.sub(r"[^\w:\n]", " ", bare(text))
    if len(folded) != len(text):
        return None
    for m in _announce_pattern().finditer(folded):
        place = text[m.start("place"):m.end("place")].split()
        if place and all(w[:1].isupper() or w.isdigit() for w in place):
            name = text[m.start():m.end("place")].strip()
            return _fullest_mention(name, text, folded)
    return None


def _fullest_mention(name: str, text: str, folded: str) -> str:
    upper = "|".join(re.escape(w) for w in _headerless()["upper_levels"])
    best = name
    for m in re.finditer(rf"{re.escape(bare(name))} (?:{upper}) (?P<place>(?:\w+ ?){{1,4}})", folded):
        words = text[m.start("place"):m.end("place")].split()
        proper = [w for w in words[:next((k for k, w in enumerate(words) if not w[:1].isupper()), len(words))]]
        if proper:
            candidate = text[m.start():m.start("place")] + " ".join(proper)
            best = max(best, candidate, key=len)
    return re.sub(r"\s+", " ", best).strip()


# ---------------------------------------------------------------- the stage
def structure(raw: RawDocument) -> Notice:
    elements = raw.elements
    head = _read_header(elements)
    foot = _read_footer(elements, head.end)
    body_elements = elements[head.end:foot.start] + elements[foot.end:]
    text, body = build_body(body_elements)
    names = body_names(head.issuer_lines)
    issuer, parent = (names[-1], names[-2] if len(names) > 1 else None) if names else (None, None)
    issuer = qualified_issuer(issuer, parent, tuple(names[:-2])) or _issuer_from_signature(foot)
    site = _site_fields(elements[:max(head.end, 1) + _HEADER_SCAN])
    doc_type = head.doc_type or site.get("type")
    doc_number, doc_date = head.doc_number or site.get("number"), head.doc_date or site.get("date")
    issuer = issuer or site.get("issuer")
    signer = foot.signer or site.get("signer")
    if head.end == 0 and not head.issuer_lines:  # no header: a portal's copy may still name itself
        doc_type = doc_type or _type_of_first_line(elements)
        announcer = _announcer(elements[:_HEADER_SCAN])
        if announcer:
            issuer, doc_type = issuer or announcer, doc_type or "TB"
    return Notice(
        source=raw.source, format=raw.format, text=text, body=body,
        doc_type=doc_type, doc_number=doc_number, doc_date=doc_date,
        year=head.year or (doc_date.year if doc_date else None), place=head.place,
        issuer=issuer, issuer_parent=parent, title=head.title, recipients=head.recipients,
        signer=signer, sign_authority=foot.sign_authority, signer_title=foot.signer_title,
        cc=foot.cc,
    )
