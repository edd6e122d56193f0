"""What every rule kind shares: JSON both ways, and the calendar arithmetic of expansion.

A rule expands into items (key, label, opens, due) for a plan year; expand.py turns them
into Deadlines. A period's deadline is its last working day (or its last day moved per
the calendar, with period_deadline="last_day"). A named date is due that day, moved per
the calendar or per the phrase's own "nếu trùng ngày nghỉ thì …"; "trước ngày X" is due
on the last working day strictly before X, whatever the calendar's direction.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterator
from dataclasses import MISSING, dataclass, fields
from datetime import date, timedelta
from typing import Any, ClassVar

from rules.calendar import WorkingCalendar
from rules.timing.model import TimingOptions

Item = tuple[str, str, date | None, date]  # key, label, opens, due


def month_end(year: int, month: int) -> date:
    return date(year, month, gregorian.monthrange(year, month)[1])


def clamp_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, gregorian.monthrange(year, month)[1]))


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def plan_span(year: int, options: TimingOptions) -> tuple[date, date]:
    """The days a plan of `year` covers: the calendar year, or the school year from it."""
    start = options.school_year_start
    if start is None:
        return date(year, 1, 1), date(year, 12, 31)
    return date(year, start, 1), date(year + 1, start, 1) - timedelta(days=1)


@dataclass(frozen=True)
class Expansion:
    """The plan year on the office's calendar: what every rule expands against."""

    year: int
    calendar: WorkingCalendar
    options: TimingOptions

    @property
    def span(self) -> tuple[date, date]:
        """The days the plan covers: a calendar year, or a school year."""
        return plan_span(self.year, self.options)

    def months(self) -> Iterator[tuple[int, int]]:
        """(year, month) of each month of the plan, in order."""
        first = self.span[0]
        for offset in range(12):
            yield add_months(first.year, first.month, offset)

    def adjust(self, day: date, on_day_off: str | None) -> date:
        if on_day_off == "nearest":
            before = self.calendar.adjust(day, "previous")
            after = self.calendar.adjust(day, "next")
            return after if (after - day) <= (day - before) else before
        return self.calendar.adjust(day, on_day_off)  # type: ignore[arg-type]

    def named(
        self,
        day: date,
        before: bool,
        on_day_off: str | None,
        within: tuple[date, date] | None = None,
    ) -> date:
        """Due date of a named day; a repeating one stays in its own week/month/year
        when moving it the usual way would leave it (Monday 01/01 -> Tuesday 02/01)."""
        if before:
            return self.calendar.adjust(day - timedelta(days=1), "previous")
        due = self.adjust(day, on_day_off)
        if within is None or within[0] <= due <= within[1]:
            return due
        usual = on_day_off or self.calendar.on_day_off
        other = self.calendar.adjust(day, "next" if usual == "previous" else "previous")
        return other if within[0] <= other <= within[1] else due

    def period(self, first: date, last: date, on_day_off: str | None = None) -> tuple[date, date]:
        """(opens, due) of a period."""
        if self.options.period_deadline == "last_day":
            due = self.adjust(last, on_day_off)
        else:
            due = self.calendar.last_working_day(first, last)
        return min(self.calendar.next_working_day(first), due), due

    def after_end(self, last: date, days: int, working: bool) -> tuple[date, date]:
        """(opens, due) of "N (working) days after the period ending on `last`"."""
        if working:
            due = self.calendar.add_working_days(last, days)
        else:
            due = self.adjust(last + timedelta(days=days), None)
        return self.calendar.next_working_day(last + timedelta(days=1)), due

    def month_period(self, year: int, first_month: int, last_month: int) -> tuple[date, date]:
        last_year, last = (
            (year, last_month) if last_month >= first_month else (year + 1, last_month)
        )
        return self.period(date(year, first_month, 1), month_end(last_year, last))


def _dump(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


def _load(annotation: str, value: Any) -> Any:
    if value is None:
        return None
    if "date" in annotation and isinstance(value, str):
        return date.fromisoformat(value)
    if "tuple" in annotation and isinstance(value, list):
        return tuple(value)
    return value


class RuleBase:
    """JSON both ways for a frozen rule dataclass: "kind" (as before), "rule" (the class)."""

    rule: ClassVar[str]

    @property
    def kind(self) -> str:
        return self.rule

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "rule": self.rule}
        for field in fields(self):  # type: ignore[arg-type]
            data[field.name] = _dump(getattr(self, field.name))
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Any:
        kwargs: dict[str, Any] = {}
        for field in fields(cls):  # type: ignore[arg-type]
            if field.name in data:
                kwargs[field.name] = _load(str(field.type), data[field.name])
            elif field.default is MISSING:
                raise ValueError(f"{cls.rule}: thiếu trường {field.name}")
        return cls(**kwargs)
