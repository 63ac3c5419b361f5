"""Write extractors/data/vi/holidays.toml: mùng 1 Tết and Giỗ Tổ as solar dates, 2024–2035.

Run once, offline: `python tools/gen_holidays.py > extractors/data/vi/holidays.toml`.
Lunar dates are converted with Hồ Ngọc Đức's astronomical algorithm (new moons and
solar terms after Jean Meeus, "Astronomical Algorithms", 1998) at UTC+7, the time zone
the Vietnamese lunar calendar uses. Days off follow Bộ luật Lao động 2019, Điều 112.
"""
from __future__ import annotations

import datetime as dt
import math

TZ = 7.0
FIRST, LAST = 2024, 2035


def jd_from_date(d: dt.date) -> int:
    return d.toordinal() + 1721425


def date_from_jd(jd: int) -> dt.date:
    return dt.date.fromordinal(jd - 1721425)


def new_moon(k: int) -> float:
    """Julian day of the k-th new moon after 1/1/1900 13:52 UT (Meeus ch. 49, shortened)."""
    T = k / 1236.85
    T2, T3 = T * T, T * T * T
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * T - 0.009173 * T2) * dr)
    M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3
    Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3
    F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3
    C1 = (0.1734 - 0.000393 * T) * math.sin(M * dr) + 0.0021 * math.sin(2 * dr * M)
    C1 -= 0.4068 * math.sin(Mpr * dr) - 0.0161 * math.sin(dr * 2 * Mpr)
    C1 -= 0.0004 * math.sin(dr * 3 * Mpr)
    C1 += 0.0104 * math.sin(dr * 2 * F) - 0.0051 * math.sin(dr * (M + Mpr))
    C1 -= 0.0074 * math.sin(dr * (M - Mpr)) - 0.0004 * math.sin(dr * (2 * F + M))
    C1 -= 0.0004 * math.sin(dr * (2 * F - M)) + 0.0006 * math.sin(dr * (2 * F + Mpr))
    C1 += 0.0010 * math.sin(dr * (2 * F - Mpr)) + 0.0005 * math.sin(dr * (2 * Mpr + M))
    if T < -11:
        deltat = 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
    else:
        deltat = -0.000278 + 0.000265 * T + 0.000262 * T2
    return jd1 + C1 - deltat


def new_moon_day(k: int) -> int:
    return int(new_moon(k) + 0.5 + TZ / 24)


def sun_longitude(jdn: float) -> float:
    T = (jdn - 2451545.0) / 36525
    T2 = T * T
    dr = math.pi / 180
    M = 357.52910 + 35999.05030 * T - 0.0001559 * T2 - 0.00000048 * T * T2
    L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2
    DL = (1.914600 - 0.004817 * T - 0.000014 * T2) * math.sin(dr * M)
    DL += (0.019993 - 0.000101 * T) * math.sin(dr * 2 * M) + 0.000290 * math.sin(dr * 3 * M)
    L = (L0 + DL) * dr
    return L - math.pi * 2 * int(L / (math.pi * 2))


def sun_sector(day: int) -> int:
    """Which of the 12 solar-term sectors the sun is in at the start of `day` (local)."""
    return int(sun_longitude(day - 0.5 - TZ / 24) / math.pi * 6)


def lunar_month11(year: int) -> int:
    off = jd_from_date(dt.date(year, 12, 31)) - 2415021
    k = int(off / 29.530588853)
    nm = new_moon_day(k)
    if sun_sector(nm) >= 9:
        nm = new_moon_day(k - 1)
    return nm


def leap_month_offset(a11: int) -> int:
    k = int((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    i, last = 1, 0
    arc = sun_sector(new_moon_day(k + i))
    while True:
        last = arc
        i += 1
        arc = sun_sector(new_moon_day(k + i))
        if arc == last or i >= 14:
            return i - 1


def lunar_to_solar(day: int, month: int, year: int) -> dt.date:
    """Solar date of lunar day/month/year (not a leap month)."""
    if month < 11:
        a11, b11 = lunar_month11(year - 1), lunar_month11(year)
    else:
        a11, b11 = lunar_month11(year), lunar_month11(year + 1)
    k = int(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    off = month - 11
    if off < 0:
        off += 12
    if b11 - a11 > 365:
        leap_off = leap_month_offset(a11)
        leap_month = leap_off - 2
        if leap_month < 0:
            leap_month += 12
        if off >= leap_off:
            off += 1
    return date_from_jd(new_moon_day(k + off) + day - 1)


def tet_days(year: int) -> list[dt.date]:
    """Tết: the last day of the old year and mùng 1 to mùng 4 (5 days, Điều 112)."""
    first = lunar_to_solar(1, 1, year)
    return [first + dt.timedelta(days=i) for i in range(-1, 4)]


def national_day_extra(year: int) -> dt.date:
    """The extra day beside 2/9: the Government picks the day before or after; we take the one that
    joins a weekend (Monday 2/9 → Tuesday 3/9, Tuesday → Monday 1/9, otherwise 1/9 unless 2/9 is a
    Thursday or Sunday, then 3/9), as decided in 2021–2025."""
    national = dt.date(year, 9, 2)
    after = national.weekday() in (0, 3, 6)  # Mon, Thu, Sun
    return national + dt.timedelta(days=1 if after else -1)


def holidays(year: int) -> list[dt.date]:
    days = {dt.date(year, 1, 1), dt.date(year, 4, 30), dt.date(year, 5, 1), dt.date(year, 9, 2),
            national_day_extra(year), lunar_to_solar(10, 3, year), *tet_days(year)}
    return sorted(days)


HEADER = """# Vietnamese days off, as the project keeps them.
#
# Working days are counted by extractors/calendar_vi.py from the `holidays` package's Vietnam calendar
# (Labour Code 2019 Art. 112, Tết by the Vietnamese lunar calendar, days in lieu, the Government's
# announced swaps, Ngày Văn hóa Việt Nam 24/11 from 2026). This file holds only what the package cannot:
#
# [government]: a decision announced after the installed `holidays` release (a Tết schedule, a swap of
#   days). days_off are extra days off; working_days are Saturdays/Sundays the decision makes working days.
#   Example:  days_off = ["2027-02-11"]   working_days = ["2027-02-20"]
#
# [lunar]: mùng 1 Tết and Giỗ Tổ (10/3 âm lịch) per year, read by the deadline grammar for "trước Tết
#   Nguyên đán" (generated by tools/gen_holidays.py, Hồ Ngọc Đức's algorithm at UTC+7; the package agrees
#   on every year 2024-2035, including 2030-02-02).
#
# The per-year table of days off that earlier releases generated here was an estimate (it counted
# 15/2/2024 and 3/2/2025 as days off, missed 29 Tết 2024/2025, 2/5/2025, 31/8/2026, 24/11): removed.

[government]
days_off = []
working_days = []

"""


def main() -> None:
    """Write the table; the [government] section is written empty: copy any entries over by hand."""
    print(HEADER, end="")
    print("[lunar]")
    print("# Mùng 1 Tết and Giỗ Tổ (10/3 âm lịch) of each year, for reference and tests.")
    for year in range(FIRST, LAST + 1):
        print(f'{year} = {{ tet = "{lunar_to_solar(1, 1, year).isoformat()}", gio_to = "{lunar_to_solar(10, 3, year).isoformat()}" }}')


if __name__ == "__main__":
    main()
