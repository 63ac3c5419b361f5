"""RawDocument -> Notice: header/footer metadata and the body as a tree of blocks.

(Placeholder: being written; the contract is `structure(raw: RawDocument) -> Notice`.)
"""
from __future__ import annotations

from extractors.blocks import build_body
from extractors.models import Notice, RawDocument


def structure(raw: RawDocument) -> Notice:
    text, body = build_body(raw.elements)
    return Notice(source=raw.source, format=raw.format, text=text, body=body)
