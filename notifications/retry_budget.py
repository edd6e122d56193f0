"""How long a transient failure is retried: for an amount of *working* time, not a count.

A mail server down over a weekend or for two working days must not turn the reminders
due in it into failures: they wait, retried with a capped exponential backoff, and go out
when the server is back. Only after `budget` of working time (default 72 hours, nine
working days of eight hours) does a row fail, and then it is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from rules.calendar import WorkingCalendar

DEFAULT_BUDGET = timedelta(hours=72)
WorkingTime = Callable[[datetime, datetime], timedelta]


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Plain elapsed time: the measure when no working calendar is given."""
    return max(end - start, timedelta(0))


def working_time(
    calendar: WorkingCalendar, tz: ZoneInfo, work_start: time, work_end: time
) -> WorkingTime:
    """The working time between two instants: the hours inside working hours on working days."""

    def between(start: datetime, end: datetime) -> timedelta:
        total = timedelta(0)
        first, last = start.astimezone(tz), end.astimezone(tz)
        day = first.date()
        while day <= last.date():
            if calendar.is_working_day(day):
                opens = datetime.combine(day, work_start, tzinfo=tz)
                closes = datetime.combine(day, work_end, tzinfo=tz)
                low, high = max(opens, first), min(closes, last)
                if high > low:
                    total += high - low
            day += timedelta(days=1)
        return total

    return between
