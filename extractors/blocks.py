"""Body elements -> a tree of Blocks with their numbering. (Placeholder: being written.)

Contract: `build_body(elements) -> (text, blocks)`; `text` is the body text the
blocks' spans index into.
"""
from __future__ import annotations

from extractors.models import Block, RawElement, RawParagraph


def build_body(elements: list[RawElement]) -> tuple[str, list[Block]]:
    text, blocks = "", []
    for i, el in enumerate(elements):
        if isinstance(el, RawParagraph):
            start = len(text)
            text += el.text + "\n"
            blocks.append(Block(kind="paragraph", label=el.label, text=el.text, path=f"p{i + 1}",
                                span=(start, start + len(el.text))))
        else:
            blocks.append(Block(kind="table", rows=el.rows, path=f"t{i + 1}"))
    return text, blocks
