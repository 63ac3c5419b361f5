"""Facts a reader knows better than the text: set on the Notice right after structuring.

OCR: which pages were recognised and which need checking by eye. An exchange package (edXML): its
header's number, date, issuer, type, trích yếu and signer win over what structure.py read from the
attached body.
"""
from __future__ import annotations

from extractors.models import Notice, RawDocument


def apply_reader_facts(notice: Notice, raw: RawDocument) -> Notice:
    update: dict = {}
    if raw.ocr_pages:
        update.update(ocr_pages=list(raw.ocr_pages), review_pages=list(raw.review_pages))
    return notice.model_copy(update=update) if update else notice
