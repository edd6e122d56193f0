"""The weekly digest for the QMR: when it is due, who gets it, the outbox, the rendering.

The check runs on every engine cycle against the engine's clock. The week's moment is
the cron's first fire time in that ISO week, moved to the next working day when it falls
on a day off (2/9, Quốc khánh). A JobRun row ("digest", "2024-W36") written in the same
transaction as the outbox rows makes it once a week, across restarts and engines.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from notifications.base import OutgoingMessage, Recipient
from notifications.digest_data import build_digest
from notifications.digest_model import Digest
from notifications.render import Renderer
from notifications.settings import DigestConfig
from rules.calendar import WorkingCalendar
from rules.directory import Directory, Person
from rules.plan import PlanProblem
from scheduler.db import session_scope
from scheduler.engine_context import EngineContext
from scheduler.models import JobRun, Notification
from scheduler.people import channels_for, linked_chats

log = logging.getLogger("nhacviec.digest")

DIGEST_JOB = "digest"
DIGEST_TEMPLATE = "digest"
DIGEST_CHANNELS = ("email", "telegram")
_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def crontab_trigger(cron: str, tz: ZoneInfo) -> CronTrigger:
    """`CronTrigger.from_crontab`, with day-of-week numbers read as cron reads them.

    APScheduler 3 takes 0 for Monday; in a crontab 0 (and 7) is Sunday, so "30 7 * * 1"
    would fire on Tuesdays. Numbers become day names, which both agree on.
    """
    parts = cron.split()
    if len(parts) == 5:
        parts[4] = ",".join(_cron_days(part) for part in parts[4].split(","))
    return CronTrigger.from_crontab(" ".join(parts), timezone=tz)


def _cron_days(part: str) -> str:
    span, _, step = part.partition("/")
    if (span == "*" and not step) or (span != "*" and not span.replace("-", "").isdigit()):
        return part
    first, _, last = span.partition("-")
    low, high = (0, 6) if span == "*" else (int(first), int(last or (6 if step else first)))
    if high > 7 or low > high:
        raise ValueError(f"day of week out of range: '{part}'")
    days = range(low, high + 1, int(step or 1))
    return ",".join(dict.fromkeys(_CRON_DAYS[day % 7] for day in days))


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Slot:
    period: str  # the ISO week: "2024-W36"
    moment: datetime  # local time


class WeeklyMoment:
    """Where a week's digest falls: the cron's first fire in the week, on a working day."""

    def __init__(self, cron: str, tz: ZoneInfo, calendar: WorkingCalendar) -> None:
        self.trigger = crontab_trigger(cron, tz)
        self.tz, self.calendar = tz, calendar

    def slot(self, now: datetime) -> Slot | None:
        """This week's slot; None when the cron does not fire this week, or the rest of the
        week is off after it (Tết): the next week's digest covers those days."""
        monday = now.astimezone(self.tz).date()
        monday -= timedelta(days=monday.weekday())
        fire = self.trigger.get_next_fire_time(None, datetime.combine(monday, time(0), self.tz))
        if fire is None:
            return None
        day = self.calendar.next_working_day(fire.astimezone(self.tz).date())
        if day > monday + timedelta(days=6):
            return None
        moment = datetime.combine(day, fire.astimezone(self.tz).time(), self.tz)
        return Slot(week_of(monday), moment)

    def previous(self, slot: Slot) -> datetime:
        """The digest moment before `slot`: the digest reports what happened since."""
        for weeks in range(1, 6):
            earlier = self.slot(slot.moment - timedelta(weeks=weeks))
            if earlier is not None:
                return earlier.moment
        return slot.moment - timedelta(days=7)


def unit_heads(directory: Directory) -> dict[str, tuple[str, ...]]:
    """Head (person id) -> the units they head."""
    heads: dict[str, tuple[str, ...]] = {}
    for unit in directory.units.values():
        if unit.head and unit.head in directory.people:
            heads[unit.head] = (*heads.get(unit.head, ()), unit.id)
    return heads


def compose(
    db: Engine,
    ctx: EngineContext,
    settings: DigestConfig,
    plan_problems: Sequence[PlanProblem],
    now: datetime,
    since: datetime | None = None,
) -> list[tuple[Person, Digest]]:
    """Who gets which digest: the QMR role the whole plan; with `unit_heads`, each head
    their own units (unless they get the whole one). Quiet ones only with send_when_quiet."""
    chosen: list[tuple[Person, Digest]] = []
    qmr = ctx.directory.role_people(settings.to_role)
    if qmr:
        whole = build_digest(db, ctx, plan_problems, now, since=since)
        chosen += [(person, whole) for person in qmr]
    if settings.unit_heads:
        for person_id, units in unit_heads(ctx.directory).items():
            if person_id in {p.id for p in qmr}:
                continue
            digest = build_digest(db, ctx, (), now, since=since, units=units)
            if not digest.empty:
                chosen.append((ctx.directory.people[person_id], digest))
    return [(p, d) for p, d in chosen if settings.send_when_quiet or not d.quiet]


def outbox_rows(
    session: Session,
    ctx: EngineContext,
    period: str,
    recipients: Sequence[tuple[Person, Digest]],
    now: datetime,
    send_at: datetime,
) -> list[Notification]:
    """Outbox rows: one per recipient and channel they can be reached on (or, with none,
    the first, so the dispatcher records that the person cannot be reached)."""
    linked = linked_chats(session)
    payloads: dict[int, str] = {}
    rows = []
    for person, digest in recipients:
        payload = payloads.setdefault(
            id(digest), json.dumps(digest.to_context(), ensure_ascii=False)
        )
        for channel in channels_for(person, DIGEST_CHANNELS, linked):
            rows.append(
                Notification(
                    key=f"digest/{period}/{person.id}/{channel}",
                    step=DIGEST_JOB,
                    person_id=person.id,
                    channel=channel,
                    template=DIGEST_TEMPLATE,
                    context_json=payload,
                    next_attempt_at=send_at,
                    created_at=now,
                )
            )
    return rows


class DigestCheck:
    """The engine check that writes the week's digests to the outbox, once per week."""

    def __init__(
        self,
        db: Engine,
        ctx: EngineContext,
        settings: DigestConfig,
        plan_problems: Sequence[PlanProblem],
        *,
        dispatch: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.db, self.ctx, self.settings = db, ctx, settings
        self.schedule = WeeklyMoment(settings.cron, ctx.tz, ctx.calendar)
        self.plan_problems = tuple(plan_problems)
        self.dispatch = dispatch  # delivers at once instead of at the next cycle
        self._done: str | None = None  # the last period known done: spares a query a cycle

    async def __call__(self, now: datetime) -> None:
        written = await asyncio.to_thread(self.run, now)
        if written and self.dispatch is not None:
            await self.dispatch()

    def run(self, now: datetime) -> int | None:
        """Write this week's digests when their moment has come. The number of outbox rows
        written, or None when it is not time, or this week's were already written."""
        slot = self.schedule.slot(now)
        if slot is None or now < slot.moment or slot.period == self._done:
            return None
        with Session(self.db) as session:
            if session.exec(
                select(JobRun.id).where(
                    col(JobRun.job) == DIGEST_JOB, col(JobRun.period) == slot.period
                )
            ).first():
                self._done = slot.period
                return None
        send_at = self.ctx.sending_moment(now)
        recipients: list[tuple[Person, Digest]] = []
        # A catch-up that could only go out next week would arrive with next week's digest.
        if week_of(send_at.astimezone(self.ctx.tz).date()) == slot.period:
            recipients = compose(
                self.db,
                self.ctx,
                self.settings,
                self.plan_problems,
                now,
                since=self.schedule.previous(slot),
            )
        try:
            with session_scope(self.db) as session:
                session.add(JobRun(job=DIGEST_JOB, period=slot.period, at=now))
                rows = outbox_rows(session, self.ctx, slot.period, recipients, now, send_at)
                session.add_all(rows)
        except IntegrityError:  # another engine wrote this week's digest first
            rows = []
        self._done = slot.period
        log.info(
            "Tổng hợp tuần %s: %d người nhận, %d thông báo", slot.period, len(recipients), len(rows)
        )
        return len(rows)


def write_now(
    db: Engine,
    ctx: EngineContext,
    settings: DigestConfig,
    plan_problems: Sequence[PlanProblem],
    now: datetime,
) -> list[Notification]:
    """A digest on demand (`digest --send`): outside the weekly record, sent at once."""
    period = f"{week_of(now.astimezone(ctx.tz).date())}-manual-{now:%Y%m%dT%H%M%S}"
    recipients = compose(
        db, ctx, settings.model_copy(update={"send_when_quiet": True}), plan_problems, now
    )
    with session_scope(db) as session:
        rows = outbox_rows(session, ctx, period, recipients, now, now)
        session.add_all(rows)
    return rows


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces (as the reminder layouts get)."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_digest(
    digest: Digest,
    person: Person,
    key: str = "digest/preview",
    compiled_dir: Path | None = None,
) -> OutgoingMessage:
    """The digest as `person` would receive it (context through JSON, as from the outbox);
    `compiled_dir` as for Renderer."""
    context = json.loads(json.dumps(digest.to_context(), ensure_ascii=False))
    recipient = Recipient(person.id, person.name, person.email, person.telegram_chat_id)
    renderer = Renderer(compiled_dir=compiled_dir)
    return renderer.render(DIGEST_TEMPLATE, context, recipient, key)
