"""The digest and status at a moment, computed directly, against the engine replayed.

The Nam Đông plan is replayed from 1 January (scheduler.moment_replay: the real tick, the
dispatcher sending what is due) once through several moments and, separately, only
synced and given the same evidence and waivers, all of them, even those after a moment;
scheduler.moment / notifications.digest_moment then compute the state. Both must give
the same digest and the same status table at every moment tried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from nhacviec.wiring import engine_context
from notifications.digest import render_digest
from notifications.digest_data import build_digest
from notifications.digest_moment import digest_at
from scheduler.db import open_database
from scheduler.engine_context import EngineContext
from scheduler.loading import CompiledPlan
from scheduler.moment import prepare, state_at, year_start
from scheduler.moment_replay import Replay
from scheduler.queries import status_lines
from scheduler.simulate import EvidenceAt
from tests.digest.conftest import digest_config
from tests.fakes.database import database_url

EVIDENCE = [
    EvidenceAt("I.1", date(2024, 1, 20)),  # on time
    EvidenceAt("I.3", date(2024, 9, 5)),  # the internal audit, due 29/8: late, mid-week
    EvidenceAt("I.5", date(2024, 9, 6)),  # on time, the same week
    EvidenceAt("II.1", date(2024, 3, 13)),  # late, for every unit at once
]
WAIVERS = [EvidenceAt("I.2", date(2024, 9, 4))]  # overdue and escalated, waived mid-week


MOMENTS = (
    (2024, 1, 8, 7),  # the first week: what the catch-up on 1 January fired
    (2024, 3, 18, 7),  # the week after II.1's late evidence
    (2024, 9, 4, 7),  # before the week's evidence and waiver
    (2024, 9, 6, 15),  # the afternoon of an evidence day, mid-week
    (2024, 9, 9, 7),  # late evidence, on-time evidence and a waiver in the week
)
Status = list[tuple[object, ...]]


def _status(lines: Any) -> Status:
    return sorted(
        (ln.occurrence.code, ln.status, ln.occurrence.level, ln.days_late, ln.occurrence.state)
        for ln in lines
    )


def _moment(ctx: EngineContext, when: tuple[int, int, int, int]) -> datetime:
    return datetime.combine(date(*when[:3]), time(when[3], 30), ctx.tz)


@dataclass
class Seen:
    """What the replayed engine's records give at a moment: the digest and the status."""

    context: dict[str, Any]
    text: str
    status: Status


def _replayed(
    folder: Path, ctx: EngineContext, plans: list[CompiledPlan], moments: Sequence[datetime]
) -> dict[datetime, Seen]:
    """One replay of the year, stopped at each moment to read what it built."""
    db = open_database(database_url(folder, "replay"))
    replay = Replay(db, ctx, plans, EVIDENCE, WAIVERS)
    person = ctx.directory.role_people("qmr")[0]
    problems = [p for plan in plans for p in plan.problems]
    seen = {}
    for at in moments:
        replay.advance(at)
        digest = build_digest(db, ctx, problems, at)
        today = at.astimezone(ctx.tz).date()
        seen[at] = Seen(
            digest.to_context(),
            render_digest(digest, person).text,
            _status(status_lines(db, ctx, today)),
        )
    assert replay.simulation.problems == []
    db.dispose()
    return seen


@pytest.fixture(scope="module")
def daily(
    tmp_path_factory: pytest.TempPathFactory, compiled: list[CompiledPlan]
) -> tuple[EngineContext, dict[datetime, Seen]]:
    folder = tmp_path_factory.mktemp("replay-daily")
    ctx = engine_context(digest_config(folder))
    return ctx, _replayed(folder, ctx, compiled, [_moment(ctx, m) for m in MOMENTS])


@pytest.fixture(scope="module")
def direct(
    tmp_path_factory: pytest.TempPathFactory,
    compiled: list[CompiledPlan],
    daily: tuple[EngineContext, Any],
) -> Engine:
    """The plan synced, the evidence and waivers logged, and nothing ticked (read only)."""
    ctx = daily[0]
    db = open_database(database_url(tmp_path_factory.mktemp("direct"), "direct"))
    assert prepare(db, ctx, compiled, year_start(compiled, ctx, 2024), EVIDENCE, WAIVERS) == []
    return db


def _compare(
    ctx: EngineContext, plans: list[CompiledPlan], db: Engine, at: datetime, seen: Seen
) -> None:
    problems = [p for plan in plans for p in plan.problems]
    computed = digest_at(db, ctx, problems, at)
    assert computed.to_context() == seen.context
    person = ctx.directory.role_people("qmr")[0]
    assert render_digest(computed, person).text == seen.text
    assert _status(state_at(db, ctx, at).lines) == seen.status


@pytest.mark.parametrize("when", MOMENTS)
def test_it_computes_the_digest_and_status_the_replayed_engine_builds(
    compiled: list[CompiledPlan],
    daily: tuple[EngineContext, dict[datetime, Seen]],
    direct: Engine,
    when: tuple[int, int, int, int],
) -> None:
    """Every closure is in the database, even those after the moment: they have not
    happened yet then, nor have the follow-ups they start."""
    ctx, seen = daily
    at = _moment(ctx, when)
    _compare(ctx, compiled, direct, at, seen[at])


def test_it_computes_unbundled_reminders_and_their_cancellation_too(
    tmp_path: Path, compiled: list[CompiledPlan]
) -> None:
    ctx = replace(engine_context(digest_config(tmp_path)), bundle="off")
    at = _moment(ctx, MOMENTS[-1])
    seen = _replayed(tmp_path, ctx, compiled, [at])
    db = open_database(database_url(tmp_path, "direct-off"))
    assert prepare(db, ctx, compiled, year_start(compiled, ctx, 2024), EVIDENCE, WAIVERS) == []
    _compare(ctx, compiled, db, at, seen[at])
