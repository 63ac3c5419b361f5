"""Facts a reader knows better than the text: set on the Notice right after structuring.

OCR: which pages were recognised and which need checking by eye. An exchange package (edXML): its
header's number, date, issuer, place, type, trích yếu and signer win over what structure.py read from
the attached body; a field the header leaves empty keeps the text's value.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Optional

from extractors.models import Notice, PackageHeader, RawDocument
from extractors.textnorm import fold


def apply_reader_facts(notice: Notice, raw: RawDocument) -> Notice:
    update: dict = {}
    if raw.ocr_pages:
        update.update(ocr_pages=list(raw.ocr_pages), review_pages=list(raw.review_pages))
    if raw.package:
        update.update(package_fields(raw.package, notice))
    return notice.model_copy(update=update) if update else notice


def package_fields(header: PackageHeader, notice: Notice) -> dict:
    fields = {
        "package": header,
        "doc_number": header.doc_number,
        "doc_date": header.doc_date,
        "year": header.doc_date.year if header.doc_date else None,
        "issuer": header.issuer,
        "place": header.place,
        "title": header.title,
        "signer": header.signer,
        "doc_type": doc_type_code(header),
    }
    if header.recipients and not notice.recipients:
        fields["recipients"] = list(header.recipients)
    return {k: v for k, v in fields.items() if v is not None}


@lru_cache(maxsize=1)
def _type_codes() -> dict[str, str]:
    """Folded type name → code, from the list structure.py uses (NĐ 30/2020, Phụ lục III)."""
    data = tomllib.loads((Path(__file__).parent / "data" / "vi" / "doc_types.toml").read_text(encoding="utf-8"))
    return {fold(name): code for code, name in data["types"].items()}


def doc_type_code(header: PackageHeader) -> Optional[str]:
    """The type from the header: its name ("Thông báo" → TB), else the symbol ("15/TB-UBND" → TB;
    "15/UBND-VP", a symbol without a type code, is a công văn's)."""
    codes = _type_codes()
    if header.type_name and fold(header.type_name) in codes:
        return codes[fold(header.type_name)]
    if header.type_name and fold(header.type_name) in ("cong van", "cong van hanh chinh"):
        return "CV"
    if header.doc_number and "/" in header.doc_number:
        symbol = header.doc_number.split("/", 1)[1].split("-")[0]
        if symbol in codes.values():
            return symbol
        return "CV"
    return None
