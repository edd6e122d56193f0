"""Calendars (.ics): one all-day event per occurrence on its deadline, with an alarm.

The UID is derived from what identifies the occurrence across plan edits (plan, row
identity, lead unit, deadline key), the same things sync matches on, so a regenerated
calendar updates a subscribed one instead of duplicating its events.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event
from sqlalchemy import Engine

from notifications.reports.facts import (
    EXEMPT,
    LATE,
    ON_TIME,
    OccurrenceFact,
    evidence_text,
    occurrence_facts,
    outcome_text,
)
from notifications.reports.vn_text import short_date
from scheduler.engine_context import EngineContext

PRODID = "-//nhacviec//Nhắc việc ISO//VI"
UID_DOMAIN = "nhacviec"


def occurrence_uid(fact: OccurrenceFact) -> str:
    o = fact.occurrence
    basis = "|".join((fact.plan.key, fact.row.identity, o.unit_id, o.deadline_key))
    return f"{hashlib.sha256(basis.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def _description(fact: OccurrenceFact) -> str:
    o, row = fact.occurrence, fact.row
    expected = ", ".join(_expected(row.evidence_json))
    lines = [
        f"Dòng {row.ref}: {row.task}",
        f"Đợt: {o.label}" if o.label else "",
        f"Đơn vị chủ trì: {fact.unit}",
        f"Bắt đầu: {short_date(o.opens_on)}" if o.opens_on else "",
        f"Hạn chót: {short_date(o.due_on)}",
        f"Trạng thái: {outcome_text(fact)}",
        f"Minh chứng cần có: {expected}" if expected else "",
        f"Minh chứng đã ghi: {evidence_text(fact)}" if fact.evidence else "",
        f'Mã việc: {o.code} (báo hoàn thành: nhacviec done {o.code} --evidence "…")',
        f"Kế hoạch: {fact.plan.title or fact.plan.key}",
    ]
    return "\n".join(line for line in lines if line)


def _expected(evidence_json: str) -> list[str]:
    items = json.loads(evidence_json or "[]")
    return [str(item) for item in items]


def _event(fact: OccurrenceFact, stamp: datetime, alarm_days: int, work_start: time) -> Event:
    o = fact.occurrence
    closed = fact.outcome in (ON_TIME, LATE, EXEMPT)
    event = Event()
    event.add("uid", occurrence_uid(fact))
    event.add("dtstamp", stamp)
    event.add("dtstart", o.due_on)
    event.add("dtend", o.due_on + timedelta(days=1))
    prefix = "✔ " if closed else ""
    label = f" ({o.label})" if o.label else ""
    event.add("summary", f"{prefix}[{fact.row.ref}] {fact.row.task[:90]}{label}")
    event.add("description", _description(fact))
    event.add("categories", [fact.unit])
    event.add("transp", "TRANSPARENT")
    if not closed:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Sắp đến hạn: [{fact.row.ref}] {fact.row.task[:80]}")
        # Relative to the all-day event's start (midnight): the start of the working day,
        # `alarm_days` days before.
        before = timedelta(days=alarm_days) - timedelta(
            hours=work_start.hour, minutes=work_start.minute
        )
        alarm.add("trigger", -before)
        event.add_component(alarm)
    return event


def write_calendar(
    facts: Sequence[OccurrenceFact],
    name: str,
    stamp: datetime,
    *,
    alarm_days: int = 1,
    work_start: time = time(7, 30),
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for fact in sorted(facts, key=lambda f: (f.occurrence.due_on, f.row.id or 0, f.unit)):
        calendar.add_component(_event(fact, stamp, alarm_days, work_start))
    return bytes(calendar.to_ical())


def person_facts(
    facts: Sequence[OccurrenceFact], ctx: EngineContext, person_id: str
) -> list[OccurrenceFact]:
    """A person's work: what their unit leads, and the rows they monitor."""
    person = ctx.directory.people[person_id]
    return [
        f
        for f in facts
        if (person.unit and f.occurrence.unit_id == person.unit)
        or person_id in json.loads(f.row.monitors_json)
    ]


def calendar_for(
    db: Engine,
    ctx: EngineContext,
    today: date,
    stamp: datetime,
    *,
    unit: str | None = None,
    person: str | None = None,
    alarm_days: int = 1,
) -> tuple[bytes, int]:
    """The .ics of a unit, a person or everyone (the CLI's and a web subscription's), and
    how many events it holds. Unknown ids are the caller's to refuse (KeyError here)."""
    facts = occurrence_facts(db, ctx, today, unit=unit)
    name = "Nhắc việc ISO"
    if person:
        facts = person_facts(facts, ctx, person)
        name += f" — {ctx.directory.people[person].name}"
    elif unit:
        name += f" — {ctx.directory.display_name(unit)}"
    data = write_calendar(facts, name, stamp, alarm_days=alarm_days, work_start=ctx.work_start)
    return data, len(facts)
