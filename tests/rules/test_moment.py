"""An occurrence's ladder at a moment (rules.moment.climb) agrees with ticking it: the
engine's own step function (latest_due) called at each next step's moment."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar import WorkingCalendar
from rules.escalation import EscalationConfig, Policy, firing_at, latest_due, moment
from rules.moment import Climb, Ladder, Tick, climb

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = time(7, 30)
CALENDAR = WorkingCalendar()
LADDER = Ladder(CALENDAR, START, TZ)
FULL = EscalationConfig().policy()
POLICIES = (FULL, Policy(tuple(s for s in FULL.steps if s.anchor != "opens")))


def ticked(
    policy: Policy,
    opens: date | None,
    due: date,
    created: datetime,
    until: datetime,
    stopped: bool,
) -> Climb:
    """The definition: tick when the occurrence is created if a step is already due, then
    at each next step's moment, firing what latest_due says, until `until` (evidence
    logged at `until` comes before a tick of that instant)."""
    level, ticks = 0, []
    first = firing_at(policy, 0, opens, due, CALENDAR)
    at = max(moment(first.day, START, TZ), created) if first else None
    while at is not None and (at < until or (at == until and not stopped)):
        current, following = latest_due(policy, level, opens, due, CALENDAR, at, START, TZ)
        if current is not None:
            ticks.append(Tick(at, current))
            level = current.level + 1
        at = moment(following.day, START, TZ) if following else None
    return Climb(level, tuple(ticks))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(POLICIES),
    st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)),
    st.integers(min_value=0, max_value=60),
    st.booleans(),
    st.integers(min_value=-90, max_value=120),
    st.integers(min_value=-30, max_value=300),
    st.integers(min_value=0, max_value=23),
    st.booleans(),
)
def test_it_climbs_as_the_engine_ticks(
    policy: Policy,
    due: date,
    window: int,
    has_opening: bool,
    created_days: int,
    until_days: int,
    hour: int,
    stopped: bool,
) -> None:
    opens = due - timedelta(days=window) if has_opening else None
    created = datetime.combine(due + timedelta(days=created_days), time(hour), tzinfo=TZ)
    until = created + timedelta(days=until_days, hours=hour % 5)
    computed = climb(policy, opens, due, LADDER, created, until, stopped=stopped, since=None)
    if until < created:
        assert computed == Climb(0, ())
        return
    assert computed == ticked(policy, opens, due, created, until, stopped)


def test_it_leaves_out_the_ticks_before_the_week() -> None:
    due = date(2024, 8, 29)
    created = datetime(2024, 1, 1, tzinfo=TZ)
    until = datetime(2024, 9, 9, 7, 30, tzinfo=TZ)
    whole = climb(FULL, None, due, LADDER, created, until, since=None)
    week = climb(FULL, None, due, LADDER, created, until, since=until - timedelta(days=7))
    assert week.level == whole.level
    assert week.ticks == tuple(t for t in whole.ticks if t.at > until - timedelta(days=7))
    # Due Thursday 29/8; 31/8-3/9 are Quốc khánh days off: three working days late is 5/9.
    assert [(t.at.date(), t.firing.step.name) for t in week.ticks] == [
        (date(2024, 9, 5), "qua-han-qmr")
    ]
