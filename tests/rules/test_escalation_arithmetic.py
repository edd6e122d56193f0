"""The memoised ladder and the arithmetic repeats agree with stepping level by level."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar import WorkingCalendar
from rules.escalation import EscalationConfig, Firing, firing_at, latest_due, moment

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = time(7, 30)
CALENDAR = WorkingCalendar()
POLICY = EscalationConfig().policy()


def stepped(
    level: int, opens: date | None, due: date, now: datetime
) -> tuple[Firing | None, Firing | None]:
    """The definition: try each level in turn until one is not yet due."""
    current = None
    candidate = firing_at(POLICY, level, opens, due, CALENDAR)
    while candidate is not None and moment(candidate.day, START, TZ) <= now:
        current = candidate
        candidate = firing_at(POLICY, candidate.level + 1, opens, due, CALENDAR)
    return current, candidate


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31)),
    st.integers(min_value=0, max_value=60),
    st.booleans(),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=-30, max_value=600),
    st.integers(min_value=0, max_value=23),
)
def test_latest_due_matches_stepping_level_by_level(
    due: date, window: int, has_opening: bool, level: int, days_after: int, hour: int
) -> None:
    opens = due - timedelta(days=window) if has_opening else None
    now = datetime.combine(due + timedelta(days=days_after), time(hour), tzinfo=TZ)
    assert latest_due(POLICY, level, opens, due, CALENDAR, now, START, TZ) == stepped(
        level, opens, due, now
    )
