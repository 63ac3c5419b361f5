"""A folded view of a text that keeps a map back to the original characters.

Matchers (deadlines, units) search the folded text (lower case, tone-free, one
dash) and report spans in the text the officer sees, whatever its Unicode form.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from extractors.textnorm import OLD_I, clean, strip_tones

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\n"


@dataclass(frozen=True)
class FoldedText:
    """`text` folded; `starts[i]` is where folded char i begins in the original."""

    original: str
    text: str
    starts: Optional[tuple[int, ...]]  # None: folded char i is original char i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the folded slice [start, end)."""
        if self.starts is None:
            return start, end
        if start >= len(self.starts):
            return len(self.original), len(self.original)
        last = end - 1
        orig_end = self.starts[last + 1] if last + 1 < len(self.starts) else len(self.original)
        return self.starts[start], orig_end


def _fold_char(cluster: str) -> str:
    if cluster in _DASHES:
        return "-"
    if cluster in _SPACES:
        return " "
    if cluster == "&":
        return "&"
    folded = strip_tones(unicodedata.normalize("NFC", cluster)).lower()
    return folded or " "


def _fast_table() -> dict[int, str]:
    """One-char folds of every precomposed Latin letter (Vietnamese included), dashes and spaces."""
    # every char below U+2000 is listed (a miss makes str.translate slow), lower-cased here too
    table = {}
    for code in range(0x2000):
        folded = strip_tones(chr(code)).lower()
        table[code] = folded if len(folded) == 1 else chr(code)
    table.update({**dict.fromkeys(map(ord, _DASHES), "-"), **dict.fromkeys(map(ord, _SPACES), " ")})
    return table


_FAST = _fast_table()


@lru_cache(maxsize=4096)
def fold_with_map(text: str) -> FoldedText:
    """Fold char by char (a base letter with its combining marks counts as one).

    NFC text (what readers produce) folds to the same length: the map is then the identity.
    """
    if unicodedata.is_normalized("NFC", text):
        folded = text.translate(_FAST)
        if len(folded) == len(text):
            return FoldedText(text, _new_i(folded), None)
    slow = _fold_slow(text)
    return FoldedText(slow.original, _new_i(slow.text), slow.starts)


def _new_i(folded: str) -> str:
    # "quí" → "quy": same length, so the map back stays valid
    return OLD_I.sub(r"\1y", folded) if "i" in folded else folded


def _fold_slow(text: str) -> FoldedText:
    out: list[str] = []
    starts: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in _fold_char(text[i:j]):
            out.append(ch)
            starts.append(i)
        i = j
    return FoldedText(text, "".join(out), tuple(starts))


def fold_phrase(phrase: str) -> str:
    """How a cue word from a data file looks in a folded text."""
    return fold_with_map(clean(phrase)).text.strip()
