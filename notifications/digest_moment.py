"""The digest at any moment, computed from the plan's state then (scheduler.moment) rather
than from the outbox a replay would have written: `digest --preview --at` in a second.

Each escalation step fired in the week reaches the step's audience, as the tick would
have addressed it. What became of each message follows from the delivery rules, the
dispatcher assumed to send everything the moment it is due: an unbundled message goes
out at the sending moment (cancelled if evidence came first); a fact waits for the
person's daily bundle (dropped if evidence came first), which goes out when composed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine

from notifications.digest_data import Known, build_digest
from notifications.digest_escalations import escalation_steps, reached_audience, task_fields
from notifications.digest_model import Digest, EscalationItem
from rules.plan import PlanProblem
from scheduler.engine_context import EngineContext
from scheduler.moment import Fired, Moment, state_at
from scheduler.people import audience


def digest_at(
    db: Engine,
    ctx: EngineContext,
    plan_problems: Sequence[PlanProblem],
    now: datetime,
    *,
    units: Collection[str] | None = None,
) -> Digest:
    """The digest as of `now` (the week before it), from the occurrences and closures in
    `db`: the same digest a replay of the engine up to `now` would build."""
    since = now - timedelta(days=7)
    moment = state_at(db, ctx, now, since=since)
    return build_digest(
        db, ctx, plan_problems, now, since=since, units=units, known=known_at(ctx, moment)
    )


def known_at(ctx: EngineContext, moment: Moment) -> Known:
    """The occurrences as they stood, and the escalations they fired in the moment's week."""
    names = escalation_steps(ctx)
    escalated = [
        item
        for fired in moment.fired
        if fired.tick.firing.step.name in names
        and (item := escalation_item(ctx, fired, moment.at)) is not None
    ]
    return Known(moment.lines, tuple(escalated))


def _sent_at(ctx: EngineContext, fired: Fired) -> datetime | None:
    """When the firing's messages went out (or will), None when evidence stopped them:
    an unbundled message is cancelled while pending, a fact dropped before its bundle."""
    at, step = fired.tick.at, fired.tick.firing.step
    closed = fired.line.occurrence.closed_at
    if ctx.bundle == "daily" and not step.urgent:
        composed = max(ctx.bundle_moment(at), at)
        if closed is not None and closed <= composed:
            return None
        return ctx.sending_moment(composed)
    sending = ctx.sending_moment(at)
    return None if closed is not None and closed <= sending else sending


def escalation_item(ctx: EngineContext, fired: Fired, now: datetime) -> EscalationItem | None:
    """One firing as the digest lists it; None when it reached no one."""
    line, firing = fired.line, fired.tick.firing
    people = audience(ctx.directory, firing.step, line.occurrence, line.row)
    sent = _sent_at(ctx, fired)
    if not people or sent is None:
        return None
    names = tuple(ctx.directory.display_name(person.id) for person, _reason in people)
    reached, reached_name = reached_audience(ctx, line.occurrence, firing.level)
    return EscalationItem(
        **task_fields(line),
        on=fired.tick.at.astimezone(ctx.tz).date(),
        step=firing.step.name,
        level=firing.level + 1,
        repeat=bool(firing.repeat),
        reached=reached,
        reached_name=reached_name,
        recipients=names,
        failed=(),
        waiting=names if sent > now else (),
    )
