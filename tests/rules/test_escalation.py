"""The escalation ladder: order, audience, catch-up after downtime, repeats."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from rules.escalation import Policy, Step, firing_at, ladder, latest_due

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = time(7, 30)


class WeekdayCalendar:
    """Mon-Fri, no holidays: enough to pin the ladder's arithmetic."""

    def next_working_day(self, day: date) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, n: int) -> date:
        if n == 0:
            return self.next_working_day(day)
        step = 1 if n > 0 else -1
        while n:
            day += timedelta(days=step)
            if day.weekday() < 5:
                n -= step
        return day


CAL = WeekdayCalendar()
POLICY = Policy(
    (
        Step("mo-dot", "opens", 0, ("lead", "coordinating"), ("email",), "window_open"),
        Step("truoc-5", "due", -5, ("lead",), ("email",), "reminder_before"),
        Step("den-han", "due", 0, ("lead",), ("email",), "reminder_due"),
        Step("qua-han-1", "due", 1, ("lead", "monitors"), ("email",), "overdue"),
        Step("qmr", "due", 3, ("role:qmr",), ("email",), "escalation", repeat_every_days=7),
    )
)
DUE = date(2024, 8, 30)  # a Friday


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


def test_it_orders_the_ladder_by_day_and_skips_a_missing_window() -> None:
    steps = ladder(POLICY, None, DUE, CAL)
    assert [(f.step.name, f.day) for f in steps] == [
        ("truoc-5", date(2024, 8, 23)),
        ("den-han", date(2024, 8, 30)),
        ("qua-han-1", date(2024, 9, 2)),
        ("qmr", date(2024, 9, 4)),
    ]


def test_it_puts_the_window_opening_first() -> None:
    steps = ladder(POLICY, date(2024, 8, 1), DUE, CAL)
    assert steps[0].step.name == "mo-dot" and steps[0].day == date(2024, 8, 1)


def test_it_repeats_the_last_step_weekly_on_working_days() -> None:
    fourth = firing_at(POLICY, 4, None, DUE, CAL)
    fifth = firing_at(POLICY, 5, None, DUE, CAL)
    assert fourth is not None and fourth.day == date(2024, 9, 11) and fourth.repeat == 1
    assert fifth is not None and fifth.day == date(2024, 9, 18) and fifth.repeat == 2


def test_it_sends_nothing_before_the_first_step() -> None:
    current, following = latest_due(POLICY, 0, None, DUE, CAL, at(date(2024, 8, 22)), START, TZ)
    assert current is None and following is not None and following.step.name == "truoc-5"


def test_it_waits_for_the_start_of_working_hours() -> None:
    current, _ = latest_due(POLICY, 0, None, DUE, CAL, at(date(2024, 8, 23), 7), START, TZ)
    assert current is None
    current, _ = latest_due(POLICY, 0, None, DUE, CAL, at(date(2024, 8, 23), 9), START, TZ)
    assert current is not None and current.step.name == "truoc-5"


def test_it_sends_only_the_latest_step_after_an_outage() -> None:
    current, following = latest_due(POLICY, 0, None, DUE, CAL, at(date(2024, 9, 3)), START, TZ)
    assert current is not None and current.step.name == "qua-han-1" and current.level == 2
    assert following is not None and following.step.name == "qmr"


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=6))
def test_it_never_goes_backwards_and_never_repeats_a_level(days: int, level: int) -> None:
    now = at(date(2024, 7, 1) + timedelta(days=days))
    current, following = latest_due(POLICY, level, None, DUE, CAL, now, START, TZ)
    if current is not None:
        assert current.level >= level
        assert datetime.combine(current.day, START, tzinfo=TZ) <= now
    if following is not None:
        assert datetime.combine(following.day, START, tzinfo=TZ) > now
        assert following.level == (current.level + 1 if current else level)
