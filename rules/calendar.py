"""Vietnam's working-day calendar (Asia/Ho_Chi_Minh), as the office keeps it.

A working day is Monday to Friday, minus the public holidays the `holidays` package
knows for Vietnam (Tết Nguyên Đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh, with
their substitute "nghỉ bù" days and the Government's swapped days off), minus the
extra days off an office declares, plus make-up working days: the Saturdays the
Government swapped for a day off (e.g. 04/05/2024, from the package) and those
declared in config.

Dates are local calendar dates; nothing here reads a clock. The engine calls this
in a hot loop, so each year is computed once into a flag array with prefix sums.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from rules.vn_holidays import vietnam_holidays
from rules.vndate import weekday_name

OnDayOff = Literal["previous", "next"]

EXTRA_DAY_OFF = "Ngày nghỉ bổ sung"


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """Holiday names (Vietnamese) and the Government's make-up Saturdays for one year."""
    calendar = vietnam_holidays(year)
    names = {day: name for day, name in calendar.items() if day.year == year}
    makeup = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return names, makeup


@dataclass(frozen=True)
class _Year:
    first_ordinal: int
    working: bytes  # 1 per day of the year when it is a working day
    cumulative: tuple[int, ...]  # cumulative[i] = working days among the first i days

    def count_until(self, ordinal: int) -> int:
        """Working days in this year up to and including `ordinal`."""
        return self.cumulative[ordinal - self.first_ordinal + 1]


class WorkingCalendar:
    """Which days are working days, and date arithmetic over them."""

    def __init__(
        self,
        *,
        extra_days_off: Iterable[date] = (),
        makeup_working_days: Iterable[date] = (),
        on_day_off: OnDayOff = "previous",
    ) -> None:
        if on_day_off not in ("previous", "next"):
            raise ValueError(f"on_day_off must be 'previous' or 'next', not {on_day_off!r}")
        self._extra_off = frozenset(extra_days_off)
        self._makeup = frozenset(makeup_working_days)
        clash = sorted(self._extra_off & self._makeup)
        if clash:
            listed = ", ".join(d.isoformat() for d in clash)
            raise ValueError(f"declared both a day off and a make-up working day: {listed}")
        self.on_day_off: OnDayOff = on_day_off
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is None:
            cached = self._years[year] = self._build_year(year)
        return cached

    def _build_year(self, year: int) -> _Year:
        first = date(year, 1, 1)
        length = date(year, 12, 31).timetuple().tm_yday
        flags = bytearray(length)
        cumulative = [0] * (length + 1)
        for offset in range(length):
            day = first + timedelta(days=offset)
            flags[offset] = self._reason(day) is None
            cumulative[offset + 1] = cumulative[offset] + flags[offset]
        return _Year(first.toordinal(), bytes(flags), tuple(cumulative))

    def _reason(self, day: date) -> str | None:
        names, package_makeup = _public_holidays(day.year)
        if day in self._makeup:
            return None
        if day in self._extra_off:
            return EXTRA_DAY_OFF
        if day in names:
            return names[day]
        if day in package_makeup:
            return None
        if day.weekday() < 5:
            return None
        name = weekday_name(day)  # "thứ Bảy", "Chủ nhật": a reason starts a sentence
        return name[0].upper() + name[1:]

    def is_working_day(self, day: date) -> bool:
        data = self._year(day.year)
        return bool(data.working[day.toordinal() - data.first_ordinal])

    def day_off_reason(self, day: date) -> str | None:
        """Why `day` is not a working day ("Tết Nguyên Đán", "Chủ nhật", ...), or None."""
        return None if self.is_working_day(day) else self._reason(day)

    def previous_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the closest working day before it."""
        data = self._year(day.year)
        found = data.working.rfind(1, 0, day.toordinal() - data.first_ordinal + 1)
        if found >= 0:
            return date.fromordinal(data.first_ordinal + found)
        return self.previous_working_day(date(day.year - 1, 12, 31))

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the closest working day after it."""
        data = self._year(day.year)
        found = data.working.find(1, day.toordinal() - data.first_ordinal)
        if found >= 0:
            return date.fromordinal(data.first_ordinal + found)
        return self.next_working_day(date(day.year + 1, 1, 1))

    def adjust(self, day: date, on_day_off: OnDayOff | None = None) -> date:
        """Where a deadline falling on `day` lands: moved per `on_day_off` when a day off."""
        direction = on_day_off or self.on_day_off
        if direction == "next":
            return self.next_working_day(day)
        return self.previous_working_day(day)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it when n < 0); n == 0: next_working_day.

        From the prefix sums: the target is the k-th working day of some year, found by
        bisection, instead of a walk testing each day."""
        if n == 0:
            return self.next_working_day(day)
        year = day.year
        data = self._year(year)
        index = day.toordinal() - data.first_ordinal
        # 1-based rank, within `year`, of the working day wanted.
        target = data.cumulative[index + 1] + n if n > 0 else data.cumulative[index] + n + 1
        while target > data.cumulative[-1]:
            target -= data.cumulative[-1]
            year += 1
            data = self._year(year)
        while target < 1:
            year -= 1
            data = self._year(year)
            target += data.cumulative[-1]
        return date.fromordinal(data.first_ordinal + bisect_left(data.cumulative, target) - 1)

    def _count_through(self, day: date) -> int:
        """Working days from 1 January of `day`'s year up to and including `day`."""
        return self._year(day.year).count_until(day.toordinal())

    def working_days_between(self, start: date, end: date) -> int:
        """Signed count: working days in (start, end] when end >= start, else minus those
        in (end, start]. "còn 3 ngày làm việc" = between(today, due) == 3;
        "trễ 2 ngày làm việc" = between(today, due) == -2."""
        if end < start:
            return -self.working_days_between(end, start)
        total = self._count_through(end) - self._count_through(start)
        for year in range(start.year, end.year):
            total += self._year(year).cumulative[-1]
        return total

    def last_working_day(self, first: date, last: date) -> date:
        """The last working day in [first, last]; when there is none (a period spent
        entirely on Tết, say), where a deadline on `last` would move: adjust(last)."""
        data = self._year(last.year)
        if first.year == last.year:
            lo = first.toordinal() - data.first_ordinal
            hi = last.toordinal() - data.first_ordinal
            found = data.working.rfind(1, lo, hi + 1)
            if found >= 0:
                return date.fromordinal(data.first_ordinal + found)
            return self.adjust(last)
        candidate = self.previous_working_day(last)
        return candidate if candidate >= first else self.adjust(last)
