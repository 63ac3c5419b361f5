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

from extractors.blocks import build_body
from extractors.models import Notice, RawDocument, RawElement, RawTable
from extractors.textnorm import bare, clean, is_upper_heading

_DATA = Path(__file__).parent / "data" / "vi"
_HEADER_SCAN = 14  # elements; a header never runs longer than this
_FOOTER_SCAN = 16


# ---------------------------------------------------------------- language data
def ascii_key(text: str) -> str:
    """Matching key for header cues: lower case, no diacritics at all, words only."""
    return re.sub(r"[^\w]+", " ", bare(clean(text))).strip()


@dataclass(frozen=True)
class HeaderCues:
    motto: tuple[str, ...]
    types_by_name: dict[str, str]  # ascii key of the type name → code
    codes: dict[str, str]  # ascii upper code → code ("QD" → "QĐ")
    authorities: tuple[str, ...]
    stamps: frozenset[str]
    titles: tuple[str, ...]
    generic: tuple[str, ...]
    levels: tuple[str, ...]
    heads: tuple[str, ...]
    abbreviations: dict[str, str]  # ascii key → as written


@lru_cache(maxsize=1)
def cues() -> HeaderCues:
    with open(_DATA / "header.toml", "rb") as fh:
        header = tomllib.load(fh)
    with open(_DATA / "doc_types.toml", "rb") as fh:
        types = tomllib.load(fh)
    codes = {ascii_key(code).upper(): code for code in types["types"]}
    codes.update({ascii_key(k).upper(): v for k, v in types.get("symbols", {}).items()})
    issuer = header["issuer"]
    by_length = lambda words: tuple(sorted((ascii_key(w) for w in words), key=len, reverse=True))  # noqa: E731
    return HeaderCues(
        motto=tuple(ascii_key(m) for m in header["national"]["motto"]),
        types_by_name={ascii_key(name): code for code, name in types["types"].items() if code != "CV"},
        codes=codes,
        authorities=tuple(header["signing"]["authorities"]),
        stamps=frozenset(ascii_key(s) for s in header["signing"]["stamps"]),
        titles=by_length(header["signing"]["titles"]),
        generic=by_length(issuer["generic"]),
        levels=by_length(issuer["levels"]),
        heads=by_length(issuer["heads"]),
        abbreviations={ascii_key(a): a for a in issuer["abbreviations"]},
    )


# ---------------------------------------------------------------- patterns
_NUMBER = re.compile(r"^S[ốốoÔỐ]\s*(?:và ký hiệu)?\s*[:.]?\s*(?P<v>[\w./\- ]*?)\s*$", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^\d,]{2,60}),\s*ngày\s*(?P<d>\d{1,2})?\s*(?:tháng|/)\s*(?P<m>\d{1,2})?\s*(?:năm|/)\s*(?P<y>\d{4})\s*\.?$",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^(?:V/v|V/V|v/v|Về việc)\s*[:.]?\s*(?P<v>.*)$", re.DOTALL)
_RECIPIENTS = re.compile(r"^Kính\s+gửi\s*:?\s*(?P<v>.*)$", re.IGNORECASE | re.DOTALL)
_CC = re.compile(r"^N[ơo]i\s+nh[ậa]n\s*:?\s*(?P<v>.*)$", re.IGNORECASE | re.DOTALL)
_RULE = re.compile(r"^[\s_\-=.*–—]*$")  # the short rules under names and mottos
_SYMBOL_TYPE = re.compile(r"/(?P<code>[A-Za-zĐđ]{1,4})-")


# ---------------------------------------------------------------- line view
@dataclass
class Line:
    """One line of the notice with the element it came from."""

    text: str
    element: int


def _element_lines(index: int, element: RawElement) -> list[Line]:
    if isinstance(element, RawTable):
        # Layout tables: left column top to bottom, then the right one (reading order).
        columns = max((len(r) for r in element.rows), default=0)
        cells = [row[c] for c in range(columns) for row in element.rows if c < len(row)]
        seen: list[str] = []
        for cell in cells:  # merged cells repeat their text: keep one copy
            if cell and cell not in seen:
                seen.append(cell)
        texts = [t for cell in seen for t in cell.split("\n")]
    else:
        texts = element.text.split("\n")
    return [Line(clean(t).strip(" *#"), index) for t in texts if clean(t).strip(" *#")]


def _lines(elements: list[RawElement], indices: range) -> list[Line]:
    return [line for i in indices for line in _element_lines(i, elements[i])]


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
    key = ascii_key(text)
    return any(key.startswith(m) or (len(key) > 10 and m.startswith(key)) for m in cues().motto)


def _type_of_name(text: str) -> Optional[str]:
    """'THÔNG BÁO' → 'TB' when the line is a type name in capitals."""
    if not is_upper_heading(text):
        return None
    return cues().types_by_name.get(ascii_key(text))


def _type_of_symbol(number: str) -> Optional[str]:
    m = _SYMBOL_TYPE.search(number)
    return cues().codes.get(ascii_key(m.group("code")).upper()) if m else None


def _date(d: Optional[str], m: Optional[str], y: str) -> Optional[dt.date]:
    try:
        return dt.date(int(y), int(m), int(d)) if d and m else None
    except ValueError:
        return None


def _read_header(elements: list[RawElement]) -> Header:
    head = Header()
    # a data table (3+ columns) is body: the header only ever sits in a two-column layout table
    scan = next((k for k, e in enumerate(elements[:_HEADER_SCAN])
                 if isinstance(e, RawTable) and max((len(r) for r in e.rows), default=0) > 2), _HEADER_SCAN)
    lines = _lines(elements, range(min(len(elements), scan)))
    last = -1  # element index of the last header line seen
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].text
        if _RULE.match(text) or _is_motto(text):
            last = line.element
        elif (m := _NUMBER.match(text)) and head.doc_number is None and "/" in text:
            head.doc_number = m.group("v").replace(" ", "") or None
            last = line.element
        elif (m := _PLACE_DATE.match(text)) and head.place is None:
            head.place = m.group("place").strip()
            head.year = int(m.group("y"))
            head.doc_date = _date(m.group("d"), m.group("m"), m.group("y"))
            last = line.element
        elif (code := _type_of_name(text)) and head.doc_type is None:
            head.doc_type, last = code, line.element
            i, head.title, last = _take_title(lines, i + 1, last)
            continue
        elif (m := _SUBJECT.match(text)) and head.title is None:
            i, head.title, last = _take_title(lines, i, last, first=m.group("v"))
            head.doc_type = head.doc_type or "CV"
            continue
        elif m := _RECIPIENTS.match(text):
            i, head.recipients, last = _take_list(lines, i, m.group("v"), last)
            continue
        elif is_upper_heading(text) and head.doc_number is None and head.place is None and line.element <= 2:
            head.issuer_lines.append(text)
            last = line.element
        elif last >= 0 and line.element > last:
            break  # the first line that is not header: the body begins here
        elif last < 0 and line.element >= 3:
            break  # no header at the top: a pasted body
        i += 1
    head.end = last + 1
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


def _take_list(lines: list[Line], i: int, inline: str, last: int) -> tuple[int, list[str], int]:
    """'Kính gửi: X.' or 'Kính gửi:' followed by '- X;' lines up to the one ending '.'."""
    items = [inline] if inline.strip() else []
    last, i = lines[i].element, i + 1
    while not items or not items[-1].rstrip().endswith("."):
        if i >= len(lines):
            break
        text = lines[i].text
        if not re.match(r"^[-–+•]\s*\S", text) and lines[i].element != last:
            break
        items.append(text)
        last, i = lines[i].element, i + 1
    return i, [_list_item(t) for t in items if _list_item(t)], last


def _list_item(text: str) -> str:
    return re.sub(r"^[-–+•]\s*", "", text).strip().rstrip(";.,").strip()


# ---------------------------------------------------------------- issuer name
def issuer_names(lines: list[str]) -> tuple[Optional[str], Optional[str]]:
    """Header lines of the issuing body → (issuer, parent), recased as a name is written.

    "ỦY BAN NHÂN DÂN / XÃ NGHI DƯƠNG" is one body; "UBND HUYỆN A / VĂN PHÒNG HĐND VÀ UBND"
    is a parent and the issuer under it.
    """
    lines = [line for line in lines if not _is_motto(line)]
    if not lines:
        return None, None
    if len(lines) >= 2 and _is_generic(lines[0]) and _starts_with_level(lines[1]):
        lines = [f"{lines[0]} {lines[1]}"] + lines[2:]
    names = [recase_name(line) for line in lines]
    if len(names) == 1:
        return names[0], None
    return " ".join(names[1:]), names[0]


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
        level = _level_at(keys, i)
        if level and out and not in_place and out[-1] not in {"-", "–"}:  # "Văn hóa - Xã hội": not a commune
            n = len(level.split())
            out.extend(w.lower() for w in words[i:i + n])
            i += n
            in_place, capitalise_next = True, False
            continue
        head = _head_at(keys, i) if not in_place else None
        if head and not out:
            n = len(head.split())
            out.extend(_cap(w) if j == 0 else w.lower() for j, w in enumerate(words[i:i + n]))
            i += n
            capitalise_next = not _is_generic(" ".join(words[:i]))
            continue
        out.append(_cap(word) if capitalise_next or in_place else word.lower())
        # each field of a name starts with a capital: "Sở Văn hóa, Thể thao và Du lịch" (Phụ lục II)
        capitalise_next = word.lower() in {"-", "–", "và"} or word.endswith(",")
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
    first = max(body_start, len(elements) - _FOOTER_SCAN)
    lines = _lines(elements, range(first, len(elements)))
    foot = Footer(start=len(elements), end=len(elements))
    cc_at = next((k for k, line in enumerate(lines) if _CC.match(line.text)), None)
    sig_at = _signature_start(lines)
    if cc_at is not None:
        foot.cc = _cc_items(lines, cc_at)
        foot.start = lines[cc_at].element
    if sig_at is not None:
        foot.start = min(foot.start, lines[sig_at].element)
        _read_signature(lines, sig_at, foot)
    return foot


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
    """The signer: the first line after the title lines that reads as a person's name."""
    for line in block:
        text = line.text.strip("() ")
        if is_upper_heading(line.text) and _title_of(line.text.split(".", 1)[-1]) or ascii_key(text) in cues().stamps:
            continue
        if any(line.text.startswith(a) for a in cues().authorities):
            continue
        if _looks_like_name(text):
            return line
    return None


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 6 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


def _person_name(text: str) -> str:
    text = text.strip("() ")
    return " ".join(_cap(w) for w in text.split()) if is_upper_heading(text) else text


def _cc_items(lines: list[Line], k: int) -> list[str]:
    inline = _CC.match(lines[k].text).group("v")
    items = [inline] if inline.strip() else []
    for line in lines[k + 1:]:
        if not re.match(r"^[-–+•]\s*\S", line.text):
            break
        items.append(line.text)
        if _list_item(line.text).lower().startswith("lưu"):
            break
    return [_list_item(t) for t in items if _list_item(t)]


# ---------------------------------------------------------------- the stage
def structure(raw: RawDocument) -> Notice:
    elements = raw.elements
    head = _read_header(elements)
    foot = _read_footer(elements, head.end)
    body_elements = elements[head.end:foot.start] + elements[foot.end:]
    text, body = build_body(body_elements)
    issuer, parent = issuer_names(head.issuer_lines)
    return Notice(
        source=raw.source, format=raw.format, text=text, body=body,
        doc_type=head.doc_type, doc_number=head.doc_number, doc_date=head.doc_date,
        year=head.year or (head.doc_date.year if head.doc_date else None), place=head.place,
        issuer=issuer, issuer_parent=parent, title=head.title, recipients=head.recipients,
        signer=foot.signer, sign_authority=foot.sign_authority, signer_title=foot.signer_title,
        cc=foot.cc,
    )
