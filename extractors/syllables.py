"""Is this a well-formed written Vietnamese syllable? Used to judge an OCR'd page: Tesseract drops tone
marks and vowels on a poor scan ("QUYT ĐNH" for "QUYẾT ĐỊNH", "tnh hình"), leaving words no Vietnamese
spelling allows. The shape of a syllable is data: data/vi/syllables.toml.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from extractors.textnorm import strip_tones

_DATA = Path(__file__).parent / "data" / "vi" / "syllables.toml"
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"[^\W\d_]+")
_FOREIGN = set("fjwz")  # letters Vietnamese does not write: a foreign word or a name, not judged


@lru_cache(maxsize=1)
def _shape() -> tuple[tuple[str, ...], dict[str, frozenset[str] | None]]:
    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    codas = frozenset(data["codas"])
    nuclei: dict[str, frozenset[str] | None] = {}
    for nucleus, allowed in data["nuclei"].items():
        if allowed == "*":
            nuclei[nucleus] = codas
        elif allowed == "":
            nuclei[nucleus] = frozenset()
        else:
            raise ValueError(f"syllables.toml: '{nucleus}' = {allowed!r}: viết \"*\" hoặc \"\"")
    onsets = tuple(sorted(data["onsets"], key=len, reverse=True)) + ("",)
    return onsets, nuclei


@lru_cache(maxsize=20000)
def is_syllable(word: str) -> bool:
    """True for a lower-case word with at most one tone mark and an onset + nucleus + coda quốc ngữ allows."""
    word = unicodedata.normalize("NFC", word.lower())
    if sum(c in _TONES for c in unicodedata.normalize("NFD", word)) > 1:
        return False
    bare = strip_tones(word)
    onsets, nuclei = _shape()
    for onset in onsets:
        if not bare.startswith(onset):
            continue
        rhyme = bare[len(onset):]
        for cut in range(len(rhyme), 0, -1):
            allowed = nuclei.get(rhyme[:cut])
            if allowed is not None and (rhyme[cut:] == "" or rhyme[cut:] in allowed):
                return True
    return False


def judged_words(text: str) -> list[str]:
    """The words a page is judged on: lower-case or capitalised words; abbreviations and headings in
    capitals (UBND, HĐND) and words with letters Vietnamese does not write are left out."""
    words = []
    for w in _WORD.findall(text):
        if len(w) > 1 and w.isupper():
            continue
        if _FOREIGN & set(w.lower()):
            continue
        words.append(w)
    return words


def invalid_share(text: str) -> tuple[float, int]:
    """(share of judged words that are not Vietnamese syllables, number of words judged)."""
    words = judged_words(text)
    if not words:
        return 0.0, 0
    bad = sum(not is_syllable(w) for w in words)
    return bad / len(words), len(words)
