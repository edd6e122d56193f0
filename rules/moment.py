"""An occurrence's escalation at a moment, computed from its ladder instead of replayed.

The engine ticks an occurrence first when it exists and its first step is due (a catch-up
fires only the latest step due then), then at each later step's moment; each tick fires
the latest step due and moves the level past every step due. So the level at an instant
is the number of steps due by then, and the ticks are the distinct step moments after
the first one. Evidence logged at an instant stops the ladder: a step of that same
instant does not fire. Pure: the calendar, the time zone and every instant are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from rules.escalation import Calendar, Firing, Policy, firing_at, moment


@dataclass(frozen=True)
class Tick:
    """A step the engine fired: at `at`, the latest step due then (`firing`)."""

    at: datetime
    firing: Firing


@dataclass(frozen=True)
class Ladder:
    """What the ladder needs besides an occurrence's own dates: the same for a whole plan."""

    calendar: Calendar
    work_start: time
    tz: ZoneInfo


@dataclass(frozen=True)
class Climb:
    """An occurrence's ladder up to an instant."""

    level: int  # steps due (fired or skipped by a catch-up) by the instant
    ticks: tuple[Tick, ...]  # the steps fired after `since`, in time order


def climb(
    policy: Policy,
    opens: date | None,
    due: date,
    ladder: Ladder,
    created: datetime,
    until: datetime,
    *,
    since: datetime | None = None,
    stopped: bool = False,
) -> Climb:
    """The ladder of an occurrence created at `created`, at `until`.

    With `stopped`, `until` is when evidence (or a waiver) closed it: steps due at that
    very instant did not fire. Ticks at or before `since` are left out of `ticks`.
    """
    if until < created:
        return Climb(0, ())
    return _climb(policy, opens, due, ladder, created, until, since, stopped)


@lru_cache(maxsize=65536)
def _climb(
    policy: Policy,
    opens: date | None,
    due: date,
    ladder: Ladder,
    created: datetime,
    until: datetime,
    since: datetime | None,
    stopped: bool,
) -> Climb:
    # Every unit's occurrence of a deadline shares these arguments: computed once per
    # deadline, not once per unit.
    level, ticks = 0, []
    pending: Firing | None = None  # the latest step due at the tick being gathered
    tick_at: datetime | None = None
    while (firing := firing_at(policy, level, opens, due, ladder.calendar)) is not None:
        at = max(moment(firing.day, ladder.work_start, ladder.tz), created)
        if at > until or (stopped and at == until):
            break
        if tick_at is not None and at != tick_at and pending is not None:
            ticks.append(Tick(tick_at, pending))
        tick_at, pending, level = at, firing, level + 1
    if tick_at is not None and pending is not None:
        ticks.append(Tick(tick_at, pending))
    kept = tuple(t for t in ticks if since is None or t.at > since)
    return Climb(level, kept)
