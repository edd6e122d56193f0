"""Replay engines on one PostgreSQL database share one virtual timeline while one runs;
once all have stopped, the next replay resumes where the last cycle stopped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from scheduler.timeline import Timeline
from tests.fakes.database import on_postgres

START = datetime(2024, 8, 1, tzinfo=UTC)
LATER = START + timedelta(days=10)  # where an earlier replay's last cycle stopped
SPEED = 1.0  # real time: the milliseconds between two starts are not days
DAY = timedelta(days=1)


@pytest.mark.skipif(not on_postgres(), reason="the timeline is shared through PostgreSQL")
def test_a_second_replay_joins_the_running_one_rather_than_its_own_resumed_clock(
    db: Engine,
) -> None:
    first, second = Timeline(db), Timeline(db)
    leading = first.clock(START, None, SPEED)
    joined = second.clock(START, LATER, SPEED)  # it would have resumed ten days later

    assert second.joined and not first.joined
    assert abs(joined.now() - leading.now()) < DAY, "one timeline, not two"
    first.close()
    third = Timeline(db)
    assert third.clock(START, LATER, SPEED).now() < START + DAY and third.joined, (
        "the second one still runs it"
    )
    second.close()
    third.close()


@pytest.mark.skipif(not on_postgres(), reason="the timeline is shared through PostgreSQL")
def test_once_all_have_stopped_the_next_replay_resumes_where_the_last_cycle_stopped(
    db: Engine,
) -> None:
    first = Timeline(db)
    first.clock(START, None, SPEED)
    first.close()
    again = Timeline(db)

    assert again.clock(START, LATER, SPEED).now() >= LATER and not again.joined
    again.close()


@pytest.mark.skipif(not on_postgres(), reason="the timeline is shared through PostgreSQL")
def test_a_replay_of_another_start_or_speed_keeps_its_own_clock(db: Engine) -> None:
    running = Timeline(db)
    running.clock(START, None, SPEED)
    other_start, other_speed = Timeline(db), Timeline(db)

    assert other_start.clock(LATER, None, SPEED).now() >= LATER and not other_start.joined
    assert other_speed.clock(START, LATER, 2.0).now() >= LATER and not other_speed.joined
    for timeline in (running, other_start, other_speed):
        timeline.close()


@pytest.mark.skipif(on_postgres(), reason="SQLite's path")
def test_on_sqlite_each_replay_keeps_its_own_clock_as_before(db: Engine) -> None:
    first, second = Timeline(db), Timeline(db)
    first.clock(START, None, SPEED)

    assert second.clock(START, LATER, SPEED).now() >= LATER and not second.joined
