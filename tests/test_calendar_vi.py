"""One working-day calendar for the deadline grammar and the letters: the `holidays` package's Vietnam
calendar (with the Government's swaps) plus decisions written in holidays.toml [government]."""
import datetime as dt

import pytest

from extractors import calendar_vi
from extractors.calendar_vi import add_working_days, days_off, is_working_day

D = dt.date


@pytest.mark.parametrize("start, n, expected, why", [
    (D(2026, 6, 19), 1, D(2026, 6, 22), "Friday → Monday"),
    (D(2026, 6, 15), 0, D(2026, 6, 15), "zero days is the start"),
    (D(2026, 4, 24), 1, D(2026, 4, 28), "Giỗ Tổ on Sunday 26/4, day in lieu Monday 27/4"),
    (D(2026, 4, 29), 1, D(2026, 5, 4), "30/4 and 1/5"),
    (D(2026, 2, 13), 1, D(2026, 2, 23), "Tết 2026: 16/2 to 20/2"),
    (D(2026, 8, 28), 1, D(2026, 9, 3), "Government swap: 31/8/2026 off, then 1/9 and 2/9"),
    (D(2026, 11, 23), 1, D(2026, 11, 25), "Ngày Văn hóa Việt Nam 24/11 from 2026"),
    (D(2025, 4, 25), 1, D(2025, 4, 26), "Saturday 26/4/2025 was made a working day"),
    (D(2025, 4, 29), 1, D(2025, 5, 5), "30/4, 1/5 and the swapped 2/5/2025"),
    (D(2024, 2, 14), 1, D(2024, 2, 15), "15/2/2024 was a working day (the old table said no)"),
])
def test_add_working_days(start, n, expected, why):
    assert add_working_days(start, n) == expected, why


def test_letters_and_deadlines_count_with_the_same_function():
    from extractors import deadlines
    from pipeline import render

    assert deadlines.add_working_days is calendar_vi.add_working_days
    assert render.add_working_days is calendar_vi.add_working_days


def test_days_off_any_year_and_government_decisions(monkeypatch):
    assert D(2040, 4, 30) in days_off(2040) and not is_working_day(D(2040, 5, 1))
    monkeypatch.setattr(calendar_vi, "_government",
                        lambda: (frozenset({D(2027, 2, 11)}), frozenset({D(2027, 2, 20)})))
    calendar_vi._calendar.cache_clear()
    try:
        assert not is_working_day(D(2027, 2, 11)) and is_working_day(D(2027, 2, 20))
    finally:
        calendar_vi._calendar.cache_clear()


def test_government_section_of_the_bundled_table_parses():
    calendar_vi._government.cache_clear()
    off, worked = calendar_vi._government()
    assert all(isinstance(d, dt.date) for d in off | worked)
