"""Engines side by side on PostgreSQL take even shares of what falls due.

What falls due mostly falls due together (a working morning's reminders, a day's bundles),
and a burst that small fits one claim: the engine whose cycle met it first sent all of it,
and with the cycles' phases fixed, the same engine won day after day (shares of 90/10 were
measured). So each row has a home among the live engines (`home`, by its id; the engines
in the order of their liveness keys). An engine claims the rows whose home it is, and any
other row that was due already at its own previous cycle: the home engine has had a cycle
since then, so it is slow or gone, and the row has waited at most one cycle longer. An
engine alone is every row's home and claims as before.

Why a home and not a quota ("take 1/k of what is due"): a quota shrinks as it is shared
(the first takes 8 of 16, the second 4 of the 8 left, and the 4 still left fall back to
the first: 12 to 4); a home splits any burst evenly, in one cycle of each engine.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, cast, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from scheduler.models import Notification

Place = Callable[[], tuple[int, int]]  # (this engine's place, how many are alive)
GOLDEN = 40503  # 2**16 × 0.618…: Fibonacci hashing in 16 bits
Scope = ColumnElement[Any] | None  # a condition on the rows a cycle may claim; None: all


def alone() -> tuple[int, int]:
    return 0, 1


def home(engines: int) -> ColumnElement[Any]:
    """A row's home among `engines`: floor(engines × frac(id × 0.618…)). Not `id % engines`:
    rows are written one per person and channel in a row, so with two channels one engine
    would send every email and the other every Telegram message; the golden ratio spreads
    consecutive ids, and every other id, evenly."""
    spread = cast(col(Notification.id), BigInteger) * GOLDEN % 65536  # no int4 overflow
    return spread * engines // 65536


class FairShare:
    """Which rows this engine claims in a cycle: asked once a cycle, and `again` by a
    delivery within it (a digest just written), which claims what the cycle could."""

    def __init__(self, place: Place = alone) -> None:
        self._place = place
        self._previous: datetime | None = None  # the engine's clock at its previous cycle
        self._scope: Scope = None

    def scope(self, now: datetime, again: bool = False) -> Scope:
        """The rows the cycle starting at `now` may claim: None (all) for an engine alone."""
        if again:  # not a cycle: the others have had none since this one began
            return self._scope
        previous, self._previous = self._previous, now
        place, engines = self._place()
        self._scope = None if engines <= 1 else home(engines) == place
        if self._scope is not None and previous is not None:
            # Left by their home engine for a whole cycle of this one: slow, or gone.
            self._scope = or_(self._scope, col(Notification.next_attempt_at) <= previous)
        return self._scope
