"""Text normalisation shared by every reader and every matcher.

Two views of a text: `clean()` keeps the notice's own spelling for display (NFC,
one kind of dash and quote, tidy spaces); `fold()` is for matching only
(lower case, tone-free, punctuation-free), so "Văn hoá"/"Văn hóa", "–"/"-" compare equal.
Legacy-font repair (TCVN3/VNI) lives in `legacy.py`.
"""
from __future__ import annotations

import functools
import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_QUOTES = {ord("\u201c"): '"', ord("\u201d"): '"', ord("\u201e"): '"', ord("\u00ab"): '"', ord("\u00bb"): '"',
           ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201a"): "'", ord("\u2032"): "'"}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

# Old-style tone placement ("hoá", "thuỷ") → new style ("hóa", "thủy") for matching keys.
_OLD_TONE = re.compile(r"(?i)(o|u)([àáảãạ])(?![a-zđ])|(u)([ỳýỷỹỵ])(?![a-zđ])")


# « » and the soft hyphen are TCVN3 codes for ô, ằ and ư: text that may still be legacy keeps them
_LEGACY_CODES = {ord("\u00ab"), ord("\u00bb"), ord("\u00ad")}
_QUOTES_KEEP_LEGACY = {k: v for k, v in _QUOTES.items() if k not in _LEGACY_CODES}
_INVISIBLE_KEEP_LEGACY = {k: v for k, v in _INVISIBLE.items() if k not in _LEGACY_CODES}


# One translation table each way (translate once instead of four times: clean() is hot).
_TABLE = {**_INVISIBLE, **_SPACES, **_DASHES, **_QUOTES}
_TABLE_KEEP_LEGACY = {**_INVISIBLE_KEEP_LEGACY, **_SPACES, **_DASHES, **_QUOTES_KEEP_LEGACY}
_MULTISPACE = re.compile(r" {2,}")
# translate() looks up every character in a dict; a scan for the few characters the tables replace is far cheaper
_REPLACED = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE) + "]")
_REPLACED_KEEP_LEGACY = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE_KEEP_LEGACY) + "]")


def clean(text: str, keep_legacy: bool = False) -> str:
    """Display form: NFC, ASCII dash and quotes, single spaces, no invisible characters.

    keep_legacy: leave the characters TCVN3 uses for letters, for text not yet repaired (legacy.py)."""
    text = unicodedata.normalize("NFC", text)
    if (_REPLACED_KEEP_LEGACY if keep_legacy else _REPLACED).search(text):  # most text has nothing to replace
        text = text.translate(_TABLE_KEEP_LEGACY if keep_legacy else _TABLE)
    if "  " in text:
        text = _MULTISPACE.sub(" ", text)
    if "\n" not in text:  # the common case: extraction calls this on many short fragments
        return text.strip()
    return "\n".join(line.strip() for line in text.split("\n"))


# Characters no later stage may see (issue 10): C0/C1 controls other than tab and newline, DEL,
# noncharacters (pdfium writes U+FFFE for a LibreOffice soft hyphen) and lone surrogates. They break
# XLSX/XML writers, a terminal (ESC sequences) and the register's exports on every later run.
_LINE_BREAKS_CHARS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAKS = {ord(c): "\n" for c in _LINE_BREAKS_CHARS}
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                     + "".join(f"{chr(p * 0x10000 + 0xfffe)}{chr(p * 0x10000 + 0xffff)}" for p in range(1, 17)) + "]")


_UNSAFE_OR_BREAK = re.compile(_UNSAFE.pattern[:-1] + "".join(_LINE_BREAKS_CHARS) + "]")


def safe_text(text: str) -> str:
    """Text with no control character but tab and newline (line breaks of other kinds become newlines;
    \r\n becomes one newline), no noncharacter and no lone surrogate. Other text is returned as is."""
    if not _UNSAFE_OR_BREAK.search(text):  # the common case, one scan (exports call this on every value)
        return text
    return _UNSAFE.sub("", text.replace("\r\n", "\n").translate(_LINE_BREAKS))


def _strip_tones_slow(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))


# Each precomposed letter carrying a tone → the same letter without it ("ệ" → "ê"), and the loose tone marks
# → nothing: one str.translate over NFC text does what NFD, a filter and NFC do, several times faster (fold()
# is called on every fragment the extractor and the register compare).
_TONE_FREE = {cp: _strip_tones_slow(chr(cp)) for cp in range(0xC0, 0x2000)
              if _strip_tones_slow(chr(cp)) != chr(cp)} | dict.fromkeys(map(ord, _TONES))
_COMBINING = re.compile("[\u0300-\u036f]")


def strip_tones(text: str) -> str:
    """Remove the five tone marks, keep vowel quality (ă â ê ô ơ ư) and đ."""
    return _tone_free_nfc(unicodedata.normalize("NFC", text))


def _tone_free_nfc(text: str) -> str:
    if _COMBINING.search(text):  # marks NFC could not compose (a tone on a consonant): the exact slow way
        return _strip_tones_slow(text)
    return text.translate(_TONE_FREE)


# Old orthography writes a final "y" as "i" after "qu" and "k" ("quí", "kí", "qui định"): one key for both.
OLD_I = re.compile(r"(?<![^\W\d_])(qu|k)i(?![^\W\d_])")


def fold(text: str) -> str:
    """Matching key: lower case, tone-free, punctuation → space, '&' kept as 'và'."""
    if len(text) <= _CACHED_LENGTH:  # unit names, cue phrases, short clauses: folded again and again
        return _fold_short(text)
    return _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if _COMBINING.search(text):
        text = _strip_tones_slow(clean(text))
    else:  # clean()'s table and the tone table in one pass; spaces are settled by _NON_WORD below
        text = text.translate(_FOLD_TABLE)
    text = _NON_WORD.sub(" ", text.lower().replace("&", " và "))
    if "ki" in text or "qui" in text:
        text = OLD_I.sub(r"\1y", text)
    # runs of non-word characters (every kind of space included) became one space: only the ends remain
    return text.strip()


_CACHED_LENGTH = 160
_fold_short = functools.lru_cache(maxsize=8192)(_fold)
_NON_WORD = re.compile(r"[^\w]+")
_FOLD_TABLE = {**_TABLE, **_TONE_FREE}


def bare(text: str) -> str:
    """Lower case with no diacritics at all (đ → d): for keys an officer types on any keyboard
    and for ASCII file names. Punctuation is kept; callers decide what separates words."""
    text = text.lower().replace("đ", "d")
    if _BEYOND_BARE_TABLE.search(text):
        return _bare_slow(text)
    return text.translate(_BARE)  # per character, exactly what NFD and dropping the marks give


def _bare_slow(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_BARE = {cp: _bare_slow(chr(cp)) or None for cp in range(0x2000) if _bare_slow(chr(cp)) != chr(cp)}
_BEYOND_BARE_TABLE = re.compile("[^\x00-\u1fff]")


def is_upper_heading(text: str) -> bool:
    """True for an all-capitals line such as 'I. VỀ CHUYỂN ĐỔI SỐ'."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)
