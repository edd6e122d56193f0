"""Replay engines on one PostgreSQL database share one virtual timeline.

A replay engine's virtual clock runs from its own start. Two engines started a moment
apart were then hours apart at a high speed (a second engine resumes from the instant
of the first one's last cycle, up to a cycle behind, plus its own start-up), and the one
ahead saw the rows due first: up to 98 % of a month's emails went through it when the
second started 3 s after the first at 100,000×. On the real clock engines share wall
time. Here the first replay engine stores its anchor (the virtual instant it started at,
and the database server's clock then) and every engine on that timeline holds a shared
lock while it runs. An engine started with the same --replay-from and --speed while the
lock is held joins: its virtual now is the anchor's plus speed × the server time elapsed
since. Once all have stopped, the next one begins a new timeline where the last cycle
stopped, as a replay always has. On SQLite each replay keeps its own clock, as before.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, text

from scheduler.clock import AcceleratedClock
from scheduler.liveness import NAMESPACE
from scheduler.state import load_state, save_state

log = logging.getLogger("nhacviec.engine")

ANCHOR = "replay_anchor"  # engine_state: the running timeline's anchor, as JSON
LOCK = {"n": NAMESPACE + 2, "k": 1}  # shared by the engines on it; exclusive to start one
JOINING = {"n": NAMESPACE + 2, "k": 0}  # one engine at a time reads or writes the anchor


@dataclass(frozen=True)
class Anchor:
    replay_from: datetime  # --replay-from: engines join only the same replay
    speed: float
    start: datetime  # the virtual instant at `wall`
    wall: datetime  # the database server's clock when the timeline began

    def now(self, server: datetime) -> datetime:
        return self.start + (server - self.wall) * self.speed


class Timeline:
    """The virtual clock of a replay, shared with the engines replaying the same start."""

    def __init__(self, db: Engine) -> None:
        self.db = db
        self._connection: Connection | None = None
        self.joined = False  # another engine's timeline, not one this engine began

    def clock(self, start: datetime, resumed: datetime | None, speed: float) -> AcceleratedClock:
        """The clock of a replay from `start` (`resumed`: where the last cycle stopped)."""
        begin = max(start, resumed) if resumed else start
        if self.db.dialect.name != "postgresql":
            return AcceleratedClock(begin, speed)
        connection = self.db.connect()
        try:
            clock = self._join(connection, start, begin, speed)
        except BaseException:
            connection.close()
            raise
        if clock is None:  # another replay runs here (another start or speed): as before
            connection.close()
            return AcceleratedClock(begin, speed)
        self._connection = connection
        return clock

    def _join(
        self, connection: Connection, start: datetime, begin: datetime, speed: float
    ) -> AcceleratedClock | None:
        with connection.begin():
            connection.execute(text("SELECT pg_advisory_xact_lock(:n, :k)"), JOINING)
            running = not connection.execute(
                text("SELECT pg_try_advisory_lock(:n, :k)"), LOCK
            ).scalar_one()
            if not running:
                connection.execute(text("SELECT pg_advisory_unlock(:n, :k)"), LOCK)
            anchor = _anchor(load_state(self.db, ANCHOR)) if running else None
            if running and anchor is None:
                return None  # the anchor is unreadable: nothing to join
            if anchor is not None and (anchor.replay_from, anchor.speed) != (start, speed):
                return None
            server = connection.execute(text("SELECT clock_timestamp()")).scalar_one()
            clock = AcceleratedClock(anchor.now(server) if anchor else begin, speed)
            if anchor is None:
                stored = asdict(Anchor(start, speed, begin, server))
                save_state(self.db, ANCHOR, json.dumps(stored, default=datetime.isoformat))
            connection.execute(text("SELECT pg_advisory_lock_shared(:n, :k)"), LOCK)
        self.joined = anchor is not None
        if self.joined:
            log.info("Dùng chung đồng hồ ảo với engine đang xem lại từ cùng ngày, cùng tốc độ.")
        return clock

    def close(self) -> None:
        """Leave the timeline (the last engine to leave ends it)."""
        if self._connection is None:
            return
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock_shared(:n, :k)"), LOCK)
            self._connection.commit()
        except Exception:  # the connection is gone, and the lock with it
            self._connection.invalidate()
        self._connection.close()
        self._connection = None


def _anchor(stored: str | None) -> Anchor | None:
    if not stored:
        return None
    try:
        value = json.loads(stored)
        return Anchor(
            datetime.fromisoformat(value["replay_from"]),
            float(value["speed"]),
            datetime.fromisoformat(value["start"]),
            datetime.fromisoformat(value["wall"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
