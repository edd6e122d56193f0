"""Liveness and leadership locks: known at once when an engine is gone."""

from __future__ import annotations

from pathlib import Path

from scheduler.db import open_database
from scheduler.liveness import Leadership, Liveness
from tests.fakes.database import database_url


def test_it_knows_a_closed_engine_is_gone_and_a_live_one_is_not(tmp_path: Path) -> None:
    db = open_database(database_url(tmp_path, "alive"))
    first, second = Liveness(db), Liveness(db)
    assert second.is_alive(first.token) and first.is_alive(second.token)
    first.close()  # what a kill -9 does to its lock
    assert not second.is_alive(first.token)
    assert not second.is_alive("never-started")
    second.close()
    db.dispose()


def test_it_hands_leadership_over_when_the_leader_goes(tmp_path: Path) -> None:
    db = open_database(database_url(tmp_path, "leader"))
    one, two = Leadership(db, "telegram"), Leadership(db, "telegram")
    assert one.try_lead() and not two.try_lead()
    assert one.try_lead(), "the leader stays the leader"
    one.close()
    assert two.try_lead() and not one.try_lead()
    two.close()
    db.dispose()
