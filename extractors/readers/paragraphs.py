"""Repairs shared by the readers of paginated or hand-wrapped text."""
from __future__ import annotations

import re

from extractors.models import RawElement, RawParagraph

_ENDS_OPEN = re.compile(r"[\w,;(\-]$")  # no closing punctuation: the sentence goes on
_STARTS_LOWER = re.compile(r"^[^\W\d_]")  # a letter; its case is checked with str.islower (Đ, Ộ are capitals)
# "b) Tổ chức ..." after "a) ...;": a lettered item starts in lower case but is the next item, not a wrap
_LETTER_ITEM = re.compile(r"^[a-zđ][).]\s+\S")


def continues(prev: RawParagraph, nxt: RawParagraph) -> bool:
    """A page or column break split one paragraph: the first does not close its sentence
    and the second starts in lower case with no list marker ("từng cá" / "nhân liên quan")."""
    return nxt.label is None and bool(_ENDS_OPEN.search(prev.text)) and bool(_STARTS_LOWER.match(nxt.text)) \
        and nxt.text[0].islower() and not _LETTER_ITEM.match(nxt.text)


def join_broken_paragraphs(elements: list[RawElement]) -> list[RawElement]:
    out: list[RawElement] = []
    for el in elements:
        prev = out[-1] if out else None
        if isinstance(el, RawParagraph) and isinstance(prev, RawParagraph) and continues(prev, el):
            out[-1] = prev.model_copy(update={"text": f"{prev.text} {el.text}"})
        else:
            out.append(el)
    return out


def repair_legacy(elements: list[RawElement]) -> tuple[list[RawElement], list[str]]:
    """Paragraphs (and table cells) still in a TCVN3/VNI encoding, converted by statistics, then
    cleaned (readers clean with keep_legacy=True before this), with the count per encoding for RawDocument.encoding_repairs ("tcvn3:3")."""
    from extractors.legacy import repair
    from extractors.models import RawTable
    from extractors.textnorm import clean

    counts: dict[str, int] = {}

    def fixed(text: str) -> str:
        new, encoding = repair(text)
        if encoding:
            counts[encoding] = counts.get(encoding, 0) + 1
        return clean(new)

    out: list[RawElement] = []
    for el in elements:
        if isinstance(el, RawParagraph):
            out.append(el.model_copy(update={"text": fixed(el.text)}))
        elif isinstance(el, RawTable):
            out.append(el.model_copy(update={"rows": [[fixed(cell) for cell in row] for row in el.rows]}))
        else:
            out.append(el)
    return out, [f"{enc}:{n}" for enc, n in sorted(counts.items())]
