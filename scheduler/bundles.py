"""Composing the daily bundles: the facts due for a person become one outbox row per channel.

A bundle's outbox key is (day, person, channel): the unique key makes a second engine, a
double tick or a restart harmless, and the dispatcher's claim/record/retry machinery
sends it like any other row. Its content is frozen in the row when composed, with the
facts it carries recorded in BundleItem, so a crash between composing and sending
resends the same bundle (same key, same text, same Message-ID), never a different one.
A fact whose occurrence closed before composing (evidence logged) is dropped.

Everyone due is composed in one transaction from one query: a busy morning is a few
statements, not a few per person. When another engine composed someone's bundle first
(the unique key says so), the work is redone person by person, each in its own
transaction, so that one person's clash never holds back the others.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from rules.bundle import Fact, bundle_context
from scheduler.db import session_scope
from scheduler.dbapi import db_value, fetch_all, insert_many, is_sqlite
from scheduler.engine_context import EngineContext
from scheduler.models import (
    CARRIED,
    DROPPED,
    OPEN,
    PENDING,
    Notification,
    Occurrence,
    PlanRecord,
    ReminderFact,
    RowRecord,
)
from scheduler.template_data import plan_context, unit_name

log = logging.getLogger("nhacviec.engine")
IDS_PER_UPDATE = 5000  # under every database's bound-parameter limit
BUNDLE = "bundle"  # the template and the step name of a bundle's outbox rows
# A fact carries no context of its own: what a bundle says of it is read here, once per
# occurrence, from its occurrence, row and plan (18,000 facts of a busy morning were
# 24 MB of per-recipient JSON written by the tick only to be decoded again here).
_FACTS = ReminderFact.__table__.c  # type: ignore[attr-defined]  # SQLModel declares __table__ loosely
_OCCURRENCES = Occurrence.__table__.c  # type: ignore[attr-defined]  # as above
_ROWS = RowRecord.__table__.c  # type: ignore[attr-defined]  # as above
_PLANS = PlanRecord.__table__.c  # type: ignore[attr-defined]  # as above


class _FactRow(NamedTuple):
    """One row of the facts query: a plain tuple, whose fields cost an index each, where a
    Row's attributes cost a lookup by name each. The query selects these fields, in this
    order, from the tables of _FROM."""

    id: int
    person_id: str
    step: str
    level: int
    reason: str
    channels: str
    occurrence_id: int
    state: str
    code: str
    label: str
    unit_id: str
    due_on: date | str  # as the driver gives it: text from SQLite, a date from PostgreSQL
    ref: str
    task: str
    title: str
    organisation: str
    year: int


_FROM = {
    **dict.fromkeys(
        ("id", "person_id", "step", "level", "reason", "channels", "occurrence_id"), _FACTS
    ),
    **dict.fromkeys(("state", "code", "label", "unit_id", "due_on"), _OCCURRENCES),
    **dict.fromkeys(("ref", "task"), _ROWS),
    **dict.fromkeys(("title", "organisation", "year"), _PLANS),
}
# Read through the DBAPI cursor: SQLAlchemy's result processing of 18,000 rows of a busy
# morning cost as much as the query (SQLite's dates are used as the text they are).
_FACTS_DUE = (
    "SELECT "
    + ", ".join(f"{_FROM[name][name].table.name}.{name}" for name in _FactRow._fields)
    + " FROM reminder_fact JOIN occurrence ON reminder_fact.occurrence_id = occurrence.id"
    " JOIN plan_row ON occurrence.row_id = plan_row.id JOIN plan ON plan_row.plan_id = plan.id"
    " WHERE reminder_fact.state = ? AND reminder_fact.not_before <= ?"
)
_IN_ORDER = " ORDER BY reminder_fact.person_id, reminder_fact.id"


def bundle_key(day: date, person_id: str, channel: str) -> str:
    """Ends with the channel, like a reminder's key, so the email fallback finds its sibling."""
    return f"{BUNDLE}/{day.isoformat()}/{person_id}/{channel}"


def compose_due(db: Engine, ctx: EngineContext, now: datetime) -> int:
    """Compose the bundle of every person with facts due at `now`; the outbox rows written."""
    try:
        with session_scope(db) as session:
            return _compose(session, ctx, now, person_id=None)
    except IntegrityError:  # another engine composed someone's bundle first
        log.info("some bundles were composed elsewhere; composing person by person")
    with Session(db) as session:
        people = session.execute(
            select(col(ReminderFact.person_id))
            .where(col(ReminderFact.state) == PENDING, col(ReminderFact.not_before) <= now)
            .distinct()
        ).all()
    composed = 0
    for (person_id,) in sorted(people):
        try:
            with session_scope(db) as session:
                composed += _compose(session, ctx, now, person_id=person_id)
        except IntegrityError:
            log.info("bundle for %s composed elsewhere", person_id)
    return composed


def _compose(session: Session, ctx: EngineContext, now: datetime, person_id: str | None) -> int:
    """Compose everyone's bundles (or one person's) inside the caller's transaction."""
    params: list[Any] = [PENDING, db_value(now, sqlite=is_sqlite(session))]
    query = _FACTS_DUE
    if person_id is not None:
        query += " AND reminder_fact.person_id = ?"
        params.append(person_id)
    by_person: dict[str, list[_FactRow]] = {}
    for found in map(_FactRow._make, fetch_all(session, query + _IN_ORDER, params)):
        by_person.setdefault(found.person_id, []).append(found)
    if not by_person:
        return 0
    composer = _Composer(ctx, now)
    gone = _composed_on(session, composer.day, person_id)
    for person, facts in by_person.items():
        composer.decide(person, facts, composed=person in gone)
    composer.write(session)
    return len(composer.bundles)


def _composed_on(session: Session, day: date, person_id: str | None) -> set[str]:
    """Who already has a bundle of `day`: a range on the unique key, so the index answers."""
    prefix = bundle_key(day, person_id, "") if person_id else f"{BUNDLE}/{day.isoformat()}/"
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # the first key past every "prefix…"
    key = col(Notification.key)
    found = session.execute(
        select(col(Notification.person_id)).where(key >= prefix, key < after).distinct()
    )
    return {person for (person,) in found}


class _Composer:
    """What composing at `now` decides, person by person, then writes in a few statements."""

    def __init__(self, ctx: EngineContext, now: datetime) -> None:
        self.ctx, self.now = ctx, now
        self.send_at = ctx.sending_moment(now)
        self.day = self.send_at.astimezone(ctx.tz).date()
        self.dropped: list[int] = []  # facts of occurrences closed since
        self.carried: list[int] = []
        self.postponed: list[int] = []  # the day's bundle has gone already
        self.bundles: list[tuple[dict[str, Any], list[int]]] = []  # outbox row, facts
        self._contexts: dict[int, dict[str, Any]] = {}  # by occurrence
        self._lines: dict[str, Any] = {}  # what bundles say of an occurrence, by code

    def decide(self, person_id: str, found: Sequence[_FactRow], *, composed: bool) -> None:
        live = [f for f in found if f.state == OPEN]
        self.dropped += [f.id for f in found if f.state != OPEN]
        if not live:
            return
        if composed:  # the day's bundle has gone: these wait for the next working day's
            self.postponed += [f.id for f in live]
            return
        person = self.ctx.directory.people.get(person_id)
        who = {"id": person_id, "name": person.name if person else person_id}
        facts = [(self._fact(f), f.channels.split(",")) for f in live]
        channels = dict.fromkeys(c for _fact, reached in facts for c in reached if c)
        for channel in channels:
            carried = [fact for fact, reached in facts if channel in reached]
            context = bundle_context(who, self.day, carried, self.ctx.calendar, self._lines)
            values = dict(
                key=bundle_key(self.day, person_id, channel),
                occurrence_id=None,
                step=BUNDLE,
                person_id=person_id,
                channel=channel,
                template=BUNDLE,
                context_json=json.dumps(context, ensure_ascii=False),
                state=PENDING,
                attempts=0,
                next_attempt_at=self.send_at,
                created_at=self.now,
            )
            self.bundles.append((values, [fact.fact_id for fact in carried]))
        self.carried += [f.id for f in live]

    def _fact(self, fact: _FactRow) -> Fact:
        """The fact as a bundle line sees it; its occurrence's part built once."""
        context = self._contexts.get(fact.occurrence_id)
        if context is None:
            context = self._contexts[fact.occurrence_id] = {
                "plan": plan_context(fact),
                "row": {"ref": fact.ref, "task": fact.task},
                "occurrence": {
                    "code": fact.code,
                    "label": fact.label,
                    "due_on": due if isinstance(due := fact.due_on, str) else due.isoformat(),
                    "unit": unit_name(self.ctx, fact.unit_id),
                },
            }
        return Fact(fact.id, fact.step, fact.level, fact.reason, context)

    def write(self, session: Session) -> None:
        ctx = self.ctx
        following = ctx.calendar.next_working_day(self.day + timedelta(days=1))
        later = datetime.combine(following, ctx.send_at, tzinfo=ctx.tz)
        _set_facts(session, self.dropped, state=DROPPED, carried_at=self.now)
        _set_facts(session, self.postponed, not_before=later)
        _set_facts(session, self.carried, state=CARRIED, carried_at=self.now)
        if self.bundles:
            _write_bundles(session, self.bundles)


def _write_bundles(session: Session, bundles: list[tuple[dict[str, Any], list[int]]]) -> None:
    """The bundles' outbox rows, then which facts each carries."""
    rows = [values for values, _facts in bundles]
    table = Notification.__table__  # type: ignore[attr-defined]  # SQLModel declares __table__ loosely
    written = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    items = [
        (notification_id, fact_id, values["channel"])
        for (notification_id,), (values, facts) in zip(written, bundles, strict=True)
        for fact_id in facts
    ]
    insert_many(session, "bundle_item", ("notification_id", "fact_id", "channel"), items)


def _set_facts(session: Session, ids: Iterable[int], **values: object) -> None:
    """One UPDATE per few thousand facts (one ORM flush per fact was most of a busy tick)."""
    ids = list(ids)
    for start in range(0, len(ids), IDS_PER_UPDATE):
        session.execute(
            update(ReminderFact)
            .where(col(ReminderFact.id).in_(ids[start : start + IDS_PER_UPDATE]))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
