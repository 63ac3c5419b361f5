"""Canonical unit names for the unit field's suggestions, from the same files the extractor's UnitRegistry reads."""
from __future__ import annotations

import tomllib
from functools import lru_cache

from extractors.units import _DATA, commune_unit_files


@lru_cache(maxsize=1)
def registry_names() -> tuple[str, ...]:
    names: set[str] = set()
    for path in [_DATA, *commune_unit_files()]:
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for level in table.values():
            if isinstance(level, dict) and isinstance(level.get("units"), dict):
                names.update(level["units"])
    return tuple(sorted(names))
