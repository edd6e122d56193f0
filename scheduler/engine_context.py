"""What the engine needs from config, built once: directory, calendar, policies, hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from nhacviec.config import Config, StepConfig
from rules.calendar import WorkingCalendar
from rules.directory import Directory
from rules.escalation import Policy, Step
from rules.timing import TimingOptions
from scheduler.loading import calendar_from, timing_options

CHECKIN_KINDS = frozenset({"ongoing"})
# Kinds whose opening is news to the lead: an explicit window, a one-off month or quarter, a
# task started by an event. A recurring period's start is not announced: monthly rows would
# otherwise send a "window opens" message every month to every coordinating unit.
OPENING_KINDS = frozenset({"once", "window", "after", "adhoc"})


def _policy(steps: list[StepConfig]) -> Policy:
    return Policy(
        tuple(
            Step(
                s.name,
                s.anchor,
                s.offset,
                tuple(s.audience),
                tuple(s.channels),
                s.template,
                s.repeat_every_days,
            )
            for s in steps
        )
    )


@dataclass(frozen=True)
class EngineContext:
    config: Config
    directory: Directory
    calendar: WorkingCalendar
    tz: ZoneInfo
    escalation: Policy
    recurring: Policy  # the escalation ladder without the steps anchored to an opening
    checkin: Policy
    work_start: time
    work_end: time
    options: TimingOptions
    adhoc_working_days: int

    @classmethod
    def from_config(cls, config: Config) -> EngineContext:
        escalation = _policy(config.escalation.steps)
        recurring = Policy(tuple(s for s in escalation.steps if s.anchor != "opens"))
        return cls(
            config=config,
            directory=config.directory(),
            calendar=calendar_from(config),
            tz=config.tz,
            escalation=escalation,
            recurring=recurring,
            checkin=_policy(config.escalation.checkin_steps),
            work_start=config.calendar.work_start,
            work_end=config.calendar.work_end,
            options=timing_options(config),
            adhoc_working_days=config.timing.adhoc_working_days,
        )

    def policy_for(self, kind: str) -> Policy:
        if kind in CHECKIN_KINDS:
            return self.checkin
        return self.escalation if kind in OPENING_KINDS else self.recurring

    def sending_moment(self, instant: datetime) -> datetime:
        """`instant` if it is within working hours on a working day, else the next working morning."""
        local = instant.astimezone(self.tz)
        day = local.date()
        if self.calendar.is_working_day(day):
            if local.time() < self.work_start:
                return datetime.combine(day, self.work_start, tzinfo=self.tz)
            if local.time() < self.work_end:
                return instant
        following = self.calendar.next_working_day(day + timedelta(days=1))
        return datetime.combine(following, self.work_start, tzinfo=self.tz)
