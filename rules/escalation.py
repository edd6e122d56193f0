"""Escalation as data: a ladder of steps relative to an occurrence's dates.

A step fires on a working day (offset in working days from the window's opening or the
due date) at the start of working hours. `level` counts the steps already fired; the
last step may repeat every N days until evidence. Pure: the calendar, time zone and
"now" are passed in.

The [escalation] section of config.toml (`EscalationConfig`) and the default ladder live
at the end of this module, beside the `Policy` they configure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from rules.settings import suggest


class Calendar(Protocol):
    def __hash__(self) -> int: ...  # ladders are memoised per calendar
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
    urgent: bool = False  # sent when it fires, outside the daily bundle


@dataclass(frozen=True)
class Policy:
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Firing:
    """A step at a level, and the working day it belongs to."""

    level: int
    step: Step
    day: date
    repeat: int = 0  # 0 for the ladder itself, 1.. for the repeats of the last step


def ladder(policy: Policy, opens: date | None, due: date, calendar: Calendar) -> list[Firing]:
    """The fixed steps on their days, in time order (a step anchored to a missing opening is left out)."""
    return list(_ladder(policy, opens, due, calendar))


# Every unit's occurrence of a deadline shares (policy, opens, due): a province has a few
# hundred distinct ladders for tens of thousands of occurrences, so build each once.
@lru_cache(maxsize=16384)
def _ladder(
    policy: Policy, opens: date | None, due: date, calendar: Calendar
) -> tuple[Firing, ...]:
    dated: list[tuple[date, int, Step]] = []
    for order, step in enumerate(policy.steps):
        anchor = opens if step.anchor == "opens" else due
        if anchor is None:
            continue
        dated.append((calendar.add_working_days(anchor, step.offset), order, step))
    dated.sort(key=lambda item: (item[0], item[1]))
    return tuple(Firing(level, step, day) for level, (day, _order, step) in enumerate(dated))


def _repeat(steps: tuple[Firing, ...], repeat: int, calendar: Calendar) -> Firing:
    """The `repeat`-th repeat (1..) of the ladder's last step."""
    last = steps[-1]
    every = last.step.repeat_every_days or 0
    day = calendar.next_working_day(last.day + timedelta(days=repeat * every))
    return Firing(len(steps) - 1 + repeat, last.step, day, repeat)


def firing_at(
    policy: Policy, level: int, opens: date | None, due: date, calendar: Calendar
) -> Firing | None:
    """The step at `level`, counting the repeats of the last step after the ladder."""
    steps = _ladder(policy, opens, due, calendar)
    if level < len(steps):
        return steps[level]
    if not steps or steps[-1].step.repeat_every_days is None:
        return None
    return _repeat(steps, level - len(steps) + 1, calendar)


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
    steps = _ladder(policy, opens, due, calendar)
    current: Firing | None = None
    while level < len(steps) and moment(steps[level].day, start_of_work, tz) <= now:
        current, level = steps[level], level + 1
    if level < len(steps):
        return current, steps[level]
    every = steps[-1].step.repeat_every_days if steps else None
    if every is None:
        return current, None

    def is_due(repeat: int) -> bool:
        return moment(_repeat(steps, repeat, calendar).day, start_of_work, tz) <= now

    # Repeats fall due in order, so jump near the last one due (a repeat moves forward
    # by at most a holiday's length) instead of stepping through a year of weeks.
    first = level - len(steps) + 1
    today = now.astimezone(tz).date()
    repeat = max(first, (today - steps[-1].day).days // every - 2)
    while repeat > first and not is_due(repeat):
        repeat -= 1
    if not is_due(repeat):
        return current, _repeat(steps, repeat, calendar)
    while is_due(repeat + 1):
        repeat += 1
    return _repeat(steps, repeat, calendar), _repeat(steps, repeat + 1, calendar)


AUDIENCES = ("lead", "coordinating", "monitors")
ChannelName = Literal["email", "telegram"]
CHANNELS: tuple[ChannelName, ...] = ("email", "telegram")


class StepConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    anchor: Literal["opens", "due"] = "due"
    offset: int = Field(0, ge=-60, le=250, description="working days from the anchor")
    audience: list[str]
    channels: list[ChannelName] = Field(default_factory=lambda: list(CHANNELS))
    template: str
    repeat_every_days: int | None = Field(None, ge=1, le=90)
    urgent: bool = False

    def step(self) -> Step:
        return Step(
            self.name,
            self.anchor,
            self.offset,
            tuple(self.audience),
            tuple(self.channels),
            self.template,
            self.repeat_every_days,
            self.urgent,
        )


def default_steps() -> list[StepConfig]:
    """The ladder an office gets when config.toml has no [[escalation.steps]]."""
    lead, monitors = ["lead"], ["lead", "monitors"]
    return [
        StepConfig(
            name="mo-dot",
            anchor="opens",
            offset=0,
            audience=["lead", "coordinating"],
            template="window_open",
        ),
        StepConfig(name="truoc-5-ngay", offset=-5, audience=lead, template="reminder_before"),
        StepConfig(name="truoc-1-ngay", offset=-1, audience=lead, template="reminder_before"),
        StepConfig(name="den-han", offset=0, audience=lead, template="reminder_due"),
        StepConfig(name="qua-han-1", offset=1, audience=monitors, template="overdue"),
        StepConfig(
            name="qua-han-qmr", offset=3, audience=[*monitors, "role:qmr"], template="escalation"
        ),
        StepConfig(
            name="qua-han-lanh-dao",
            offset=7,
            audience=[*monitors, "role:qmr", "role:lanh-dao"],
            template="escalation",
        ),
        # Weekly until evidence, to those who act and watch; the QMR and leadership see
        # every late task in the weekly digest rather than one message per task per week.
        StepConfig(
            name="nhac-lai-hang-tuan",
            offset=12,
            audience=monitors,
            template="overdue",
            repeat_every_days=7,
        ),
    ]


def default_checkin_steps() -> list[StepConfig]:
    return [StepConfig(name="kiem-tra", offset=0, audience=["lead"], template="checkin")]


class EscalationConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: list[StepConfig] = Field(default_factory=default_steps)
    checkin_steps: list[StepConfig] = Field(default_factory=default_checkin_steps)

    def policy(self) -> Policy:
        return Policy(tuple(s.step() for s in self.steps))

    def checkin_policy(self) -> Policy:
        return Policy(tuple(s.step() for s in self.checkin_steps))

    def audience_problems(self, roles: list[str]) -> list[str]:
        """Audiences that name neither a column of the plan nor a declared role."""
        problems: list[str] = []
        known = list(AUDIENCES) + [f"role:{r}" for r in roles]
        for ladder_name in ("steps", "checkin_steps"):
            for i, step in enumerate(getattr(self, ladder_name)):
                for j, audience in enumerate(step.audience):
                    if audience in known:
                        continue
                    problems.append(
                        f"escalation.{ladder_name}[{i}].audience[{j}]: unknown audience "
                        f"'{audience}'" + suggest(audience, known)
                    )
        return problems
