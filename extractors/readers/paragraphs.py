"""Repairs shared by the readers of paginated or hand-wrapped text."""
from __future__ import annotations

import re

from extractors.models import RawElement, RawParagraph

_ENDS_OPEN = re.compile(r"[\w,;(\-]$")  # no closing punctuation: the sentence goes on
_STARTS_LOWER = re.compile(r"^[^\W\d_]")  # a letter; its case is checked with str.islower (Đ, Ộ are capitals)


def continues(prev: RawParagraph, nxt: RawParagraph) -> bool:
    """A page or column break split one paragraph: the first does not close its sentence
    and the second starts in lower case with no list marker ("từng cá" / "nhân liên quan")."""
    return nxt.label is None and bool(_ENDS_OPEN.search(prev.text)) and bool(_STARTS_LOWER.match(nxt.text)) and nxt.text[0].islower()


def join_broken_paragraphs(elements: list[RawElement]) -> list[RawElement]:
    out: list[RawElement] = []
    for el in elements:
        prev = out[-1] if out else None
        if isinstance(el, RawParagraph) and isinstance(prev, RawParagraph) and continues(prev, el):
            out[-1] = prev.model_copy(update={"text": f"{prev.text} {el.text}"})
        else:
            out.append(el)
    return out
