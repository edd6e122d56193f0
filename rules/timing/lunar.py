"""Vietnam's lunar calendar (UTC+7), through the maintained `lunar-vn` package.

Vietnam's calendar is computed for UTC+7 and differs from the Chinese one (UTC+8) in
some years (Tết 1985 was on 21/01 in Vietnam, 20/02 in China); `lunar-vn` takes the time
zone, so no hand-written table is needed here.
"""

from __future__ import annotations

from datetime import date

VIETNAM_UTC_OFFSET = 7.0


def to_solar(lunar_year: int, month: int, day: int) -> date:
    """The Gregorian date of lunar day/month in lunar year `lunar_year` (not a leap month).

    A 30th in a 29-day month is read as the month's last day.
    """
    # Imported when a phrase is lunar: most are not, and it costs a short command ~0.05 s.
    from lunar_vn import LunarDate, lunar_to_solar

    try:
        return lunar_to_solar(LunarDate(day, month, lunar_year), VIETNAM_UTC_OFFSET)
    except ValueError:
        if day == 30:
            return lunar_to_solar(LunarDate(29, month, lunar_year), VIETNAM_UTC_OFFSET)
        raise


def to_lunar(day: date) -> tuple[int, int, int]:
    """(day, month, year) of a Gregorian date in Vietnam's lunar calendar."""
    from lunar_vn import solar_to_lunar

    lunar = solar_to_lunar(day, VIETNAM_UTC_OFFSET)
    return lunar.day, lunar.month, lunar.year
