"""A frequency and a deadline written apart (two columns, two lines, a comma) are one rule."""

from __future__ import annotations

from datetime import date

import pytest

from rules.calendar import WorkingCalendar
from rules.timing import TimingOptions, compile_phrase, deadlines

CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    ("phrase", "first_dues"),
    [
        ("Hằng quý; trước ngày 15 của tháng cuối quý", [date(2025, 3, 14), date(2025, 6, 13)]),
        ("Hằng quý, trước ngày 15 của tháng cuối quý", [date(2025, 3, 14), date(2025, 6, 13)]),
        ("Hằng tháng; trước ngày 25", [date(2025, 1, 24), date(2025, 2, 24)]),
        ("Hằng năm; trước ngày 30/11", [date(2025, 11, 28)]),
        ("Hằng năm\nTrước ngày 15/12", [date(2025, 12, 12)]),
        ("Hằng tuần; thứ Sáu", [date(2025, 1, 3), date(2025, 1, 10)]),
    ],
)
def test_it_reads_a_frequency_and_its_deadline_as_one_rule(
    phrase: str, first_dues: list[date]
) -> None:
    schedule = compile_phrase(phrase, 2025, TimingOptions())
    assert len(schedule.rules) == 1, schedule.rules
    dues = [d.due for d in deadlines(schedule, 2025, CALENDAR)]
    assert dues[: len(first_dues)] == first_dues
    assert all(d.opens is None or d.opens <= d.due for d in deadlines(schedule, 2025, CALENDAR))


def test_it_keeps_several_dates_after_a_cadence_as_their_own_deadlines() -> None:
    schedule = compile_phrase("6 tháng/lần; trước 15/6 và 15/12", 2025, TimingOptions())
    dues = {d.due for d in deadlines(schedule, 2025, CALENDAR)}
    assert {date(2025, 6, 13), date(2025, 12, 15)} <= dues
