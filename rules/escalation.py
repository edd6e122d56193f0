"""Escalation as data: a ladder of steps relative to an occurrence's dates.

A step fires on a working day (offset in working days from the window's opening or the
due date) at the start of working hours. `level` counts the steps already fired; the
last step may repeat every N days until evidence. Pure: the calendar, time zone and
"now" are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo


class Calendar(Protocol):
    def add_working_days(self, day: date, n: int) -> date: ...
    def next_working_day(self, day: date) -> date: ...


@dataclass(frozen=True)
class Step:
    name: str
    anchor: Literal["opens", "due"]
    offset: int  # working days from the anchor; negative = before
    audience: tuple[str, ...]  # "lead", "coordinating", "monitors", "role:<id>"
    channels: tuple[str, ...]
    template: str
    repeat_every_days: int | None = None


@dataclass(frozen=True)
class Policy:
    steps: tuple[Step, ...]

    @property
    def repeats(self) -> bool:
        return bool(self.steps) and self.steps[-1].repeat_every_days is not None


@dataclass(frozen=True)
class Firing:
    """A step at a level, and the working day it belongs to."""

    level: int
    step: Step
    day: date
    repeat: int = 0  # 0 for the ladder itself, 1.. for the repeats of the last step


def ladder(policy: Policy, opens: date | None, due: date, calendar: Calendar) -> list[Firing]:
    """The fixed steps on their days, in time order (a step anchored to a missing opening is left out)."""
    dated: list[tuple[date, int, Step]] = []
    for order, step in enumerate(policy.steps):
        anchor = opens if step.anchor == "opens" else due
        if anchor is None:
            continue
        dated.append((calendar.add_working_days(anchor, step.offset), order, step))
    dated.sort(key=lambda item: (item[0], item[1]))
    return [Firing(level, step, day) for level, (day, _order, step) in enumerate(dated)]


def firing_at(
    policy: Policy, level: int, opens: date | None, due: date, calendar: Calendar
) -> Firing | None:
    """The step at `level`, counting the repeats of the last step after the ladder."""
    steps = ladder(policy, opens, due, calendar)
    if level < len(steps):
        return steps[level]
    if not steps or steps[-1].step.repeat_every_days is None:
        return None
    last = steps[-1]
    repeat = level - len(steps) + 1
    day = calendar.next_working_day(last.day + timedelta(days=repeat * last.step.repeat_every_days))
    return Firing(level, last.step, day, repeat)


def moment(day: date, start_of_work: time, tz: ZoneInfo) -> datetime:
    """The instant a step of `day` goes out: the start of working hours, local time."""
    return datetime.combine(day, start_of_work, tzinfo=tz)


def latest_due(
    policy: Policy,
    level: int,
    opens: date | None,
    due: date,
    calendar: Calendar,
    now: datetime,
    start_of_work: time,
    tz: ZoneInfo,
) -> tuple[Firing | None, Firing | None]:
    """(the latest step due at `now` from `level` on, the step after it).

    Steps missed while the engine was down are skipped: only the latest one is sent, once.
    """
    current: Firing | None = None
    candidate = firing_at(policy, level, opens, due, calendar)
    while candidate is not None and moment(candidate.day, start_of_work, tz) <= now:
        current = candidate
        candidate = firing_at(policy, candidate.level + 1, opens, due, calendar)
    return current, candidate
