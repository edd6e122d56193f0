"""Composing the daily bundles: the facts due for a person become one outbox row per channel.

A bundle's outbox key is (day, person, channel): the unique key makes a second engine, a
double tick or a restart harmless, and the dispatcher's claim/record/retry machinery
sends it like any other row. Its content is frozen in the row when composed, with the
facts it carries recorded in BundleItem, so a crash between composing and sending
resends the same bundle (same key, same text, same Message-ID), never a different one.
A fact whose occurrence closed before composing (evidence logged) is dropped.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rules.bundle import Fact, bundle_context
from scheduler.db import session_scope
from scheduler.engine_context import EngineContext
from scheduler.models import (
    CARRIED,
    DROPPED,
    OPEN,
    PENDING,
    BundleItem,
    Notification,
    Occurrence,
    ReminderFact,
)

log = logging.getLogger("nhacviec.engine")
IDS_PER_UPDATE = 5000
BUNDLE = "bundle"  # the template and the step name of a bundle's outbox rows


def bundle_key(day: date, person_id: str, channel: str) -> str:
    """Ends with the channel, like a reminder's key, so the email fallback finds its sibling."""
    return f"{BUNDLE}/{day.isoformat()}/{person_id}/{channel}"


def compose_due(db: Engine, ctx: EngineContext, now: datetime) -> int:
    """Compose the bundle of every person with facts due at `now`; the outbox rows written."""
    with Session(db) as session:
        people = session.exec(
            select(ReminderFact.person_id)
            .where(ReminderFact.state == PENDING, col(ReminderFact.not_before) <= now)
            .distinct()
        ).all()
    composed = 0
    for person_id in sorted(people):
        try:
            composed += _compose_for(db, ctx, person_id, now)
        except IntegrityError:  # another engine composed this person's bundle first
            log.info("bundle for %s composed elsewhere", person_id)
    return composed


def _compose_for(db: Engine, ctx: EngineContext, person_id: str, now: datetime) -> int:
    send_at = ctx.sending_moment(now)
    day = send_at.astimezone(ctx.tz).date()
    with session_scope(db) as session:
        found = session.exec(
            select(ReminderFact, Occurrence)
            .join(Occurrence, col(ReminderFact.occurrence_id) == col(Occurrence.id))
            .where(
                ReminderFact.person_id == person_id,
                ReminderFact.state == PENDING,
                col(ReminderFact.not_before) <= now,
            )
            .order_by(col(ReminderFact.id))
        ).all()
        live = [fact for fact, occurrence in found if occurrence.state == OPEN]
        dropped = [fact for fact, occurrence in found if occurrence.state != OPEN]
        _set_facts(session, dropped, state=DROPPED, carried_at=now)
        if not live:
            return 0
        if _composed_already(session, day, person_id):
            # The day's bundle has gone: these wait for the next working day's.
            following = ctx.calendar.next_working_day(day + timedelta(days=1))
            later = datetime.combine(following, ctx.send_at, tzinfo=ctx.tz)
            _set_facts(session, live, not_before=later)
            return 0
        channels = list(dict.fromkeys(c for f in live for c in f.channels.split(",") if c))
        for channel in channels:
            carried = [f for f in live if channel in f.channels.split(",")]
            _write_bundle(session, ctx, person_id, channel, day, carried, send_at, now)
        _set_facts(session, live, state=CARRIED, carried_at=now)
    return len(channels)


def _set_facts(session: Session, facts: list[ReminderFact], **values: object) -> None:
    """One UPDATE for a person's facts (one ORM flush per fact was most of a busy tick)."""
    ids = [f.id for f in facts]
    for start in range(0, len(ids), IDS_PER_UPDATE):  # under every database's bound limit
        session.execute(
            update(ReminderFact)
            .where(col(ReminderFact.id).in_(ids[start : start + IDS_PER_UPDATE]))
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def _composed_already(session: Session, day: date, person_id: str) -> bool:
    prefix = bundle_key(day, person_id, "")
    hit = session.exec(
        select(Notification.id).where(col(Notification.key).startswith(prefix, autoescape=True))
    ).first()
    return hit is not None


def _write_bundle(
    session: Session,
    ctx: EngineContext,
    person_id: str,
    channel: str,
    day: date,
    carried: list[ReminderFact],
    send_at: datetime,
    now: datetime,
) -> None:
    person = ctx.directory.people.get(person_id)
    facts = [
        Fact(f.id or 0, f.step, f.level, f.reason, json.loads(f.context_json)) for f in carried
    ]
    context = bundle_context(
        {"id": person_id, "name": person.name if person else person_id}, day, facts, ctx.calendar
    )
    note = Notification(
        key=bundle_key(day, person_id, channel),
        occurrence_id=None,
        step=BUNDLE,
        person_id=person_id,
        channel=channel,
        template=BUNDLE,
        context_json=json.dumps(context, ensure_ascii=False),
        next_attempt_at=send_at,
        created_at=now,
    )
    session.add(note)
    session.flush()
    session.execute(
        insert(BundleItem),
        [
            {"notification_id": note.id or 0, "fact_id": f.id or 0, "channel": channel}
            for f in carried
        ],
    )
