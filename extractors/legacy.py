"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI) → Unicode.

Old documents typed with .VnTime or VNI-Times store Vietnamese letters as Latin-1
look-alikes ("H¶i Phßng", "UÛy ban"). A run whose font names the encoding is
converted outright (`decode`); text whose font is unknown is converted only when
statistics say so (`detect`): it must hold characters that never occur in Unicode
Vietnamese, no genuine Vietnamese letters, and the words it changes must become
well-formed Vietnamese syllables. The tables live in data/vi/legacy_fonts.toml.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Literal, Optional

Encoding = Literal["tcvn3", "vni"]

_TONES = "\u0301\u0300\u0309\u0303\u0323"
# Letters only Unicode Vietnamese has (ă đ ĩ ũ ơ ư and the Latin Extended Additional block)
_UNICODE_VIET = re.compile(r"[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
# Vowel groups a Vietnamese syllable can have (tone-free). Those ending in a glide or an
# open diphthong (ai, ao, ia, ua, ...) take no final consonant and never carry the tone on their last vowel.
_OPEN_NUCLEI = ("ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưa ưi ưu ua iêu oai oay oeo uây uôi ươi ươu "
                "uya yêu").split()
_NUCLEI = sorted("a ă â e ê i o ô ơ u ư y oa oă oe oo uâ uê uô uơ uy ươ iê yê uyê".split() + _OPEN_NUCLEI,
                 key=len, reverse=True)
_SYLLABLE = re.compile(
    r"^(?P<onset>ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    rf"(?P<nucleus>{'|'.join(_NUCLEI)})(?P<coda>ch|ng|nh|[cmnptk])?$"
)


class _Tables:
    def __init__(self, to_legacy: dict[str, str]):
        self.to_legacy = to_legacy
        inverse: dict[str, str] = {}
        for uni, legacy in to_legacy.items():
            inverse.setdefault(legacy, uni)
        self.to_unicode = inverse
        self.longest = max(map(len, inverse))
        unicode_letters = set("".join(to_legacy)) | set("àáâãèéêìíòóôõùúý" + "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
        # legacy characters a Unicode Vietnamese text never contains
        self.signature = {c for legacy in inverse for c in legacy if ord(c) > 127 and c not in unicode_letters}


def _pairs(block: str) -> dict[str, str]:
    out = {}
    for token in block.split():
        if len(token) != 2:
            raise ValueError(f"legacy_fonts.toml: '{token}' is not a letter followed by its code")
        out[token[0]] = token[1]
    return out


def _vni_table(spec: dict) -> dict[str, str]:
    """Unicode letter → VNI characters, built by decomposing every Vietnamese letter."""
    singles = _pairs(spec["single"])
    table = dict(singles)
    bases = "aeiouyAEIOUY"
    for base in bases:
        for tone in ["", *_TONES]:
            for modifier, marks in (("", spec["tone"]), ("\u0302", spec["circumflex"]), ("\u0306", spec["breve"]),
                                    ("\u031b", None)):
                if modifier == "\u0302" and base.lower() not in "aeo" or modifier == "\u0306" and base.lower() != "a":
                    continue
                if modifier == "\u031b" and base.lower() not in "ou":
                    continue
                letter = unicodedata.normalize("NFC", base + modifier + tone)
                if len(letter) != 1 or letter in singles or (not modifier and not tone):
                    continue
                if modifier == "\u031b":
                    stem = singles[unicodedata.normalize("NFC", base + modifier)]
                    mark = spec["tone"].get(tone, "")
                elif modifier:
                    stem, mark = base, marks[tone]
                else:
                    stem, mark = base, marks[tone]
                table[letter] = stem + (mark.upper() if base.isupper() else mark)
    return table


@lru_cache(maxsize=1)
def _tables() -> dict[str, _Tables]:
    data = tomllib.loads(resources.files("extractors").joinpath("data/vi/legacy_fonts.toml").read_text("utf-8"))
    tcvn3 = _pairs(data["tcvn3"]["letters"])
    # capitals with a tone share the lower-case code (the font draws them upright)
    for lower, code in list(tcvn3.items()):
        if lower.islower() and lower.upper() not in tcvn3 and lower.upper() != lower:
            tcvn3.setdefault(lower.upper(), code)
    return {"tcvn3": _Tables(tcvn3), "vni": _Tables(_vni_table(data["vni"]))}


@lru_cache(maxsize=1)
def _font_rules() -> dict[str, tuple[list[str], Optional[str]]]:
    data = tomllib.loads(resources.files("extractors").joinpath("data/vi/legacy_fonts.toml").read_text("utf-8"))
    return {enc: (data[enc]["font_prefixes"], data[enc].get("upper_font_suffix")) for enc in ("tcvn3", "vni")}


def font_encoding(font_name: Optional[str]) -> Optional[Encoding]:
    """The legacy encoding a font name implies ('.VnTime' → tcvn3, 'VNI-Times' → vni), else None."""
    if not font_name:
        return None
    name = font_name.strip().lower()
    for enc, (prefixes, _) in _font_rules().items():
        if name.startswith(tuple(prefixes)):
            return enc  # type: ignore[return-value]
    return None


def is_upper_font(font_name: Optional[str]) -> bool:
    """TCVN3 capital fonts (.VnTimeH): lower-case codes are drawn as capitals."""
    _, suffix = _font_rules()["tcvn3"]
    return bool(font_name) and font_encoding(font_name) == "tcvn3" and font_name.strip().lower().endswith(suffix)


def decode(text: str, encoding: Encoding) -> str:
    """Convert legacy-encoded text to Unicode NFC (longest match first)."""
    table = _tables()[encoding]
    out, i = [], 0
    while i < len(text):
        for size in range(table.longest, 0, -1):
            chunk = text[i:i + size]
            if chunk in table.to_unicode:
                out.append(table.to_unicode[chunk])
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    text = unicodedata.normalize("NFC", "".join(out))
    if encoding == "tcvn3":  # a toned capital came out lower case inside a capitalised word
        text = re.sub(r"[^\W\d_]+", _upper_if_capitalised, text)
    return text


def _upper_if_capitalised(match: re.Match) -> str:
    word = match.group(0)
    ascii_letters = [c for c in word if c.isascii()]
    if len(ascii_letters) >= 2 and not any(c.islower() for c in ascii_letters):
        return word.upper()
    return word


def encode(text: str, encoding: Encoding) -> str:
    """Unicode → legacy characters (for building test files and samples)."""
    to_legacy = _tables()[encoding].to_legacy
    return "".join(to_legacy.get(c, c) for c in unicodedata.normalize("NFC", text))


def _is_syllable(word: str) -> bool:
    from extractors.textnorm import strip_tones

    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [i for i, c in enumerate(decomposed) if c in _TONES]
    if len(tones) > 1:
        return False
    match = _SYLLABLE.match(strip_tones(word).lower())
    if not match:
        return False
    nucleus = match["nucleus"]
    if nucleus in _OPEN_NUCLEI and (match["coda"] or (tones and _toned_letter(word) == match.end("nucleus") - 1)):
        return False
    return True


def _toned_letter(word: str) -> int:
    """Index (in the NFC word) of the letter carrying the tone mark."""
    for i, c in enumerate(word.lower()):
        if any(m in _TONES for m in unicodedata.normalize("NFD", c)):
            return i
    return -1


def _words(text: str) -> list[str]:
    # legacy codes include symbols (× ÷ ¶ §), so split on spaces and trim ASCII punctuation only
    return [w for w in (t.strip(".,;:!?()[]{}\"'/-") for t in text.split()) if w]


def detect(text: str) -> Optional[Encoding]:
    """The legacy encoding `text` is written in, or None for Unicode/plain text.

    Needs at least one character no Unicode Vietnamese text has (or an accented
    word that is no syllable until converted), no genuine
    Vietnamese letters, and most words carrying those characters must decode
    into valid syllables ("naïve" does not: 'nạve' is no Vietnamese syllable)."""
    if _UNICODE_VIET.search(text):
        return None
    best: Optional[Encoding] = None
    best_key = (0.0, 0)
    words = _words(text)
    for enc, table in _tables().items():
        if not any(c in table.signature for w in words for c in w) and not _repaired_somewhere(words, enc):
            continue
        # every word the conversion changes must become a syllable (mostly)
        changed = [d for d in (decode(w, enc) for w in words) if d not in words]
        valid = sum(1 for d in changed if _is_syllable(d))
        key = (valid / len(changed), valid) if changed else (0.0, 0)
        if key[0] >= 0.75 and key > best_key:
            best, best_key = enc, key
    return best


def _repaired_somewhere(words: list[str], enc: Encoding) -> bool:
    """Legacy text made only of letters Unicode also has ('caùc', 'cuûa'): some accented word
    is no syllable as written and becomes one when converted."""
    return any(not w.isascii() and not _is_syllable(w) and _is_syllable(decode(w, enc)) for w in words)


def repair(text: str) -> tuple[str, Optional[Encoding]]:
    """Text converted to Unicode when it is detected as legacy, with the encoding found."""
    enc = detect(text)
    return (decode(text, enc), enc) if enc else (text, None)
