"""What the engine needs from its config sections, built once: directory, calendar, policies, hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from rules.calendar import WorkingCalendar
from rules.directory import Directory
from rules.escalation import EscalationConfig, Policy
from rules.settings import CalendarConfig, TimingConfig
from rules.timing import TimingOptions
from scheduler.settings import DeliveryConfig

CHECKIN_KINDS = frozenset({"ongoing"})
# Kinds whose opening is news to the lead: an explicit window, a one-off month or quarter, a
# task started by an event. A recurring period's start is not announced: monthly rows would
# otherwise send a "window opens" message every month to every coordinating unit.
OPENING_KINDS = frozenset({"once", "window", "after", "adhoc"})


@dataclass(frozen=True)
class EngineContext:
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
    bundle: str = "off"  # "daily": facts wait for the person's daily bundle
    send_at: time = time(7, 30)

    @classmethod
    def build(
        cls,
        directory: Directory,
        tz: ZoneInfo,
        calendar: CalendarConfig,
        timing: TimingConfig,
        escalation: EscalationConfig,
        delivery: DeliveryConfig | None = None,
    ) -> EngineContext:
        """From the sections the engine reads: [calendar], [timing], [escalation], [delivery]."""
        delivery = delivery or DeliveryConfig()
        ladder = escalation.policy()
        recurring = Policy(tuple(s for s in ladder.steps if s.anchor != "opens"))
        return cls(
            directory=directory,
            calendar=calendar.working_calendar(),
            tz=tz,
            escalation=ladder,
            recurring=recurring,
            checkin=escalation.checkin_policy(),
            work_start=calendar.work_start,
            work_end=calendar.work_end,
            options=timing.options(),
            adhoc_working_days=timing.adhoc_working_days,
            bundle=delivery.bundle,
            send_at=delivery.send_at,
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

    def bundle_moment(self, instant: datetime) -> datetime:
        """When a fact created at `instant` can first be bundled: the day's bundle moment
        (`send_at`, possibly already past) on a working day before the end of work, else
        the next working day's."""
        local = instant.astimezone(self.tz)
        day = local.date()
        if not self.calendar.is_working_day(day) or local.time() >= self.work_end:
            day = self.calendar.next_working_day(day + timedelta(days=1))
        return datetime.combine(day, self.send_at, tzinfo=self.tz)
