"""One notice, one entry: is a newly read file another copy of a notice already in the register?

Two files are the same notice when
- both carry a real number (số ký hiệu): the numbers are equal and the issuer, date and type do not
  contradict each other (a field one copy does not show contradicts nothing); two different numbers
  are two notices however alike their text;
- otherwise, their texts are near-identical AND they state the same figures. The text part is a
  MinHash of word shingles (datasketch) over the tone-free text, so a PDF, a .docx, a scan or a
  forwarded copy of one notice compare close to 1. The figures part (dates, quantities, số hiệu in the
  text) is what keeps apart two monthly notices of one commune written on the same layout: their
  boilerplate is shared, their dates are not.

Thresholds were chosen on measurement (`python -m bench.bench_duplicates`): see bench/README.md.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import struct
from dataclasses import dataclass, field
from typing import Optional

from extractors.models import Notice
from extractors.textnorm import bare, fold

SHINGLE_WORDS = 3  # measured: 3-word shingles keep OCR'd copies close while look-alikes stay apart
PERMUTATIONS = 128
BANDS, ROWS = 32, 4  # LSH: a pair at Jaccard 0.5 shares a band with probability 0.87, at 0.8: ~1.0
TEXT_THRESHOLD = 0.60  # estimated Jaccard of shingles at or above which two texts are near-identical
FIGURES_THRESHOLD = 0.70  # share of the figures two copies must state in common
NUMBER_CHECK_THRESHOLD = 0.30  # equal numbers with an issuer unknown: the texts must still share this much
MIN_WORDS = 30  # below this a text says too little to be matched on

_FIGURE = re.compile(r"\d+(?:[/.,-]\d+)*")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class TextPrint:
    """What the register keeps of a notice's text to recognise another copy of it."""

    minhash: bytes = b""  # PERMUTATIONS unsigned 32-bit values, little-endian
    figures: list[str] = field(default_factory=list)
    words: int = 0

    def bands(self) -> list[str]:
        """LSH band keys: notices sharing one are candidates for a full comparison."""
        if not self.minhash:
            return []
        width = ROWS * 4
        return [f"{i}:{hashlib.blake2b(self.minhash[i * width:(i + 1) * width], digest_size=8).hexdigest()}"
                for i in range(BANDS)]


def figures_of(text: str) -> list[str]:
    """Dates and numbers the text states, leading zeros dropped ("05/07/2026" = "5/7/2026");
    a lone digit (a list label, "tháng 7") says too little alone and is left out."""
    found = set()
    for m in _FIGURE.finditer(text):
        parts = [p.lstrip("0") or "0" for p in re.split(r"[/.,-]", m.group())]
        token = "/".join(parts)
        if len(parts) > 1 or len(token) >= 2:
            found.add(token)
    return sorted(found)


def text_print(notice: Notice) -> TextPrint:
    """The print of a structured notice (computed where its text is still at hand: in the worker)."""
    text = "\n".join(filter(None, [notice.title or "", notice.text]))
    words = _WORD.findall(bare(fold(text)))
    if len(words) < MIN_WORDS:
        return TextPrint(figures=figures_of(text), words=len(words))
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}
    mh = _blank_minhash().copy()
    mh.update_batch(list(shingles))
    values = [int(v) & 0xFFFFFFFF for v in mh.hashvalues]
    return TextPrint(struct.pack(f"<{PERMUTATIONS}I", *values), figures_of(text), len(words))


@functools.lru_cache(maxsize=1)
def _blank_minhash():
    """An empty MinHash with the seeded permutations, drawn once per process and copied for each print
    (drawing them took a quarter of each print's time)."""
    from datasketch import MinHash

    return MinHash(num_perm=PERMUTATIONS, seed=12)


def text_likeness(a: TextPrint, b: TextPrint) -> float:
    """Estimated Jaccard similarity of the two texts' shingles (share of equal MinHash values)."""
    if not a.minhash or not b.minhash:
        return 0.0
    va = struct.unpack(f"<{PERMUTATIONS}I", a.minhash)
    vb = struct.unpack(f"<{PERMUTATIONS}I", b.minhash)
    return sum(x == y for x, y in zip(va, vb)) / PERMUTATIONS


def figures_likeness(a: TextPrint, b: TextPrint) -> float:
    """Overlap of the figures two texts state, over the smaller set (a forwarded copy may add a few)."""
    fa, fb = set(a.figures), set(b.figures)
    if not fa and not fb:
        return 1.0
    if not fa or not fb:
        return 0.0
    return len(fa & fb) / min(len(fa), len(fb))


# ---------------------------------------------------------------- header facts
@dataclass
class HeaderKey:
    """The header facts that identify a notice, folded for comparison; None where the copy does not show it."""

    number: Optional[str] = None  # folded số ký hiệu, only when it carries digits
    issuer: Optional[str] = None
    doc_type: Optional[str] = None
    date: Optional[dt.date] = None
    year: Optional[int] = None


def header_key(notice: Notice) -> HeaderKey:
    number = (notice.doc_number or "").strip()
    real = any(c.isdigit() for c in number.split("/")[0])
    return HeaderKey(number=fold(number).replace(" ", "") if real else None,
                     issuer=fold(notice.issuer) if notice.issuer else None,
                     doc_type=notice.doc_type or None, date=notice.doc_date,
                     year=notice.doc_date.year if notice.doc_date else notice.year)


def _clash(a, b) -> bool:
    return a is not None and b is not None and a != b


def headers_contradict(a: HeaderKey, b: HeaderKey) -> bool:
    return (_clash(a.number, b.number) or _clash(a.issuer, b.issuer) or _clash(a.doc_type, b.doc_type)
            or _clash(a.date, b.date) or _clash(a.year, b.year))


def clashing_prints_sql(a: HeaderKey) -> tuple[str, list]:
    """The part of headers_contradict a query can apply to stored prints (number and date), as an SQL condition
    over `p.number_key`, `p.doc_date` with its parameters; same_notice still decides on what is left."""
    parts, args = [], []
    if a.number is not None:
        parts.append("(p.number_key IS NOT NULL AND p.number_key <> ?)")
        args.append(a.number)
    if a.date is not None:
        parts.append("(p.doc_date IS NOT NULL AND p.doc_date <> ?)")
        args.append(a.date.isoformat())
    return (f"({' OR '.join(parts)})" if parts else "0"), args


def same_notice(a: HeaderKey, pa: TextPrint, b: HeaderKey, pb: TextPrint) -> bool:
    """The decision, in one place (the register only finds the candidates)."""
    if headers_contradict(a, b):
        return False
    if a.number and b.number:  # equal numbers, nothing contradicting
        if a.issuer and b.issuer:
            return True
        # the issuer unknown on one side: "15/TB-UBND" of another commune must still read alike
        return not (pa.minhash and pb.minhash) or text_likeness(pa, pb) >= NUMBER_CHECK_THRESHOLD
    return (text_likeness(pa, pb) >= TEXT_THRESHOLD and figures_likeness(pa, pb) >= FIGURES_THRESHOLD)


# Which copy of a notice its tasks are read from: the header an exchange package states, then the
# formats that keep the text as typed, then a PDF's text layer, then OCR.
_RANK = {"edxml": 5, "docx": 4, "odt": 3, "doc": 3, "rtf": 3, "txt": 2, "md": 2, "pdf": 1, "scan": 0, "image": 0}


def source_rank(notice: Notice) -> int:
    return 0 if notice.ocr_pages else _RANK.get(notice.format, 1)
