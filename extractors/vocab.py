"""One loader for the language data in data/vi/: read once, validated against the keys its reader knows.

Each reader names the sections and keys it reads (a schema); a section or key the schema does not name
is refused with the file and the key, so a misspelt cue list is an error at start-up instead of a list
that silently never matches (the way dateparser validates its language files).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional

import tomllib

DATA = Path(__file__).parent / "data" / "vi"

# section -> the keys it may hold; None: any keys (a table keyed by data, e.g. weekdays → numbers)
Schema = Mapping[str, Optional[frozenset]]


class VocabularyError(ValueError):
    """A data file of extractors/data/vi that does not match what its reader expects."""


def read(name: str) -> dict:
    """A data file's tables as written (for tables keyed by data, such as holidays by year)."""
    return _read(name)


@lru_cache(maxsize=None)
def _read(name: str) -> dict:
    try:
        return tomllib.loads((DATA / name).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"{name}: không đọc được dữ liệu ngôn ngữ ({exc})") from exc


def load(name: str, schema: Schema) -> dict:
    """The file's tables, refused when a section or key is not in `schema` or a section is missing."""
    data = _read(name)
    for section, value in data.items():
        if section not in schema:
            raise VocabularyError(f"{name}: mục [{section}] không được dùng (gõ sai tên mục?)")
        keys = schema[section]
        if keys is None or not isinstance(value, dict):
            continue
        unknown = sorted(set(value) - keys)
        if unknown:
            raise VocabularyError(f"{name}: mục [{section}] có khóa không được dùng: {', '.join(unknown)} (gõ sai?)")
    missing = sorted(set(schema) - set(data))
    if missing:
        raise VocabularyError(f"{name}: thiếu mục {', '.join(f'[{m}]' for m in missing)}")
    return data


def keys(*names: str) -> frozenset:
    return frozenset(names)
