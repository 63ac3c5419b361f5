"""Working days in Vietnam: the one `add_working_days` of the project (deadline grammar and letters).

Days off come from the `holidays` package's Vietnam calendar (Bộ luật Lao động 2019 Điều 112, Tết by the
Vietnamese lunar calendar at UTC+7, days in lieu of a holiday on a weekend, the Government's announced swaps
such as 2/5/2025 for Saturday 26/4/2025, and Ngày Văn hóa Việt Nam 24/11 from 2026); a Saturday the
Government turns into a working day counts as one. The package falls short only where it cannot know: a
swap the Government announces after the installed release. Such decisions go in the [government] section of
data/vi/holidays.toml (the bundled table of earlier releases had its own estimates, wrong on e.g. 15/2/2024
and 3/2/2025, and missed the swaps; it is no longer used for counting).
"""
from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path

_TABLE = Path(__file__).parent / "data" / "vi" / "holidays.toml"


@lru_cache(maxsize=1)
def _government() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(extra days off, extra working days) written in holidays.toml [government]."""
    try:
        section = tomllib.loads(_TABLE.read_text(encoding="utf-8")).get("government", {})
    except OSError:
        return frozenset(), frozenset()
    return (frozenset(dt.date.fromisoformat(d) for d in section.get("days_off", [])),
            frozenset(dt.date.fromisoformat(d) for d in section.get("working_days", [])))


@lru_cache(maxsize=64)
def _calendar(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, weekend days worked) of one year."""
    import holidays  # lazy: `nhiemvu --help` does not pay for it

    vn = holidays.country_holidays("VN", years=year)
    extra_off, extra_work = _government()
    off = {d for d in vn if d.year == year} | {d for d in extra_off if d.year == year}
    worked = {d for d in getattr(vn, "weekend_workdays", ()) if d.year == year}
    worked |= {d for d in extra_work if d.year == year}
    return frozenset(off - worked), frozenset(worked)


def days_off(year: int) -> frozenset[dt.date]:
    """Public holidays and days in lieu of the year (weekends not listed unless a holiday falls there)."""
    return _calendar(year)[0]


def is_working_day(day: dt.date) -> bool:
    off, worked = _calendar(day.year)
    if day in worked:
        return True
    return day.weekday() < 5 and day not in off


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (weekends, public holidays and days in lieu skipped); n=0 is `start`."""
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day
