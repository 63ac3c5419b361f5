"""RawDocument -> Notice: header/footer metadata and the body as a tree of blocks.

(Placeholder: being written; the contract is `structure(raw: RawDocument) -> Notice`.)
"""
from __future__ import annotations

from extractors.models import Block, Notice, RawDocument, RawParagraph


def structure(raw: RawDocument) -> Notice:
    paragraphs = [e for e in raw.elements if isinstance(e, RawParagraph)]
    text, body, pos = "", [], 0
    for i, p in enumerate(paragraphs):
        start = len(text)
        text += p.text + "\n"
        body.append(Block(kind="paragraph", text=p.text, path=f"p{i + 1}", span=(start, start + len(p.text))))
    return Notice(source=raw.source, format=raw.format, text=text, body=body)
