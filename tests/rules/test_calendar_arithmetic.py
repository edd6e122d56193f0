"""Working-day arithmetic from the prefix sums agrees with walking the calendar a day at a time."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar import WorkingCalendar

CALENDAR = WorkingCalendar(
    extra_days_off=[date(2024, 12, 31)], makeup_working_days=[date(2024, 12, 28)]
)
DAYS = st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 12, 31))


def walked(day: date, n: int) -> date:
    """The definition: step one day at a time, counting the working days passed."""
    if n == 0:
        while not CALENDAR.is_working_day(day):
            day += timedelta(days=1)
        return day
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        remaining -= CALENDAR.is_working_day(day)
    return day


@settings(max_examples=400, deadline=None)
@given(DAYS, st.integers(min_value=-300, max_value=300))
def test_adding_working_days_matches_the_walk(day: date, n: int) -> None:
    assert CALENDAR.add_working_days(day, n) == walked(day, n)


@settings(deadline=None)
@given(DAYS)
def test_next_and_previous_working_day_match_the_walk(day: date) -> None:
    assert CALENDAR.next_working_day(day) == walked(day, 0)
    previous = day
    while not CALENDAR.is_working_day(previous):
        previous -= timedelta(days=1)
    assert CALENDAR.previous_working_day(day) == previous


def test_it_crosses_the_new_year_both_ways() -> None:
    # 31/12/2024 declared off, 28/12/2024 (a Saturday) a make-up working day.
    assert CALENDAR.add_working_days(date(2024, 12, 27), 1) == date(2024, 12, 28)
    assert CALENDAR.add_working_days(date(2024, 12, 30), 1) == date(2025, 1, 2)
    assert CALENDAR.add_working_days(date(2025, 1, 2), -1) == date(2024, 12, 30)
