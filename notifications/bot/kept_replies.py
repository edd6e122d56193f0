"""The database side of durable.py: replies waiting out a Bot API fault.

A row is written at a reply's first failure (a reply that goes through at once costs no
write) and marked delivered when the API takes it. Rows still undelivered when the bot
stops are sent, oldest first, at the next start.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from scheduler.clock import Clock
from scheduler.db import session_scope
from scheduler.models import KeptReply


class KeptReplies:
    def __init__(self, db: Engine, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def keep(self, endpoint: str, parameters: dict[str, Any]) -> int:
        with session_scope(self._db) as session:
            row = KeptReply(
                endpoint=endpoint,
                parameters_json=json.dumps(parameters, ensure_ascii=False),
                kept_at=self._clock.now(),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def delivered(self, reply_id: int) -> None:
        with session_scope(self._db) as session:
            session.exec(
                update(KeptReply)
                .where(col(KeptReply.id) == reply_id)
                .values(delivered_at=self._clock.now())
                .execution_options(synchronize_session=False)
            )

    def waiting(self) -> list[tuple[int, str, dict[str, Any]]]:
        with Session(self._db) as session:
            rows = session.exec(
                select(KeptReply)
                .where(col(KeptReply.delivered_at).is_(None))
                .order_by(col(KeptReply.id))
            ).all()
            return [(r.id or 0, r.endpoint, json.loads(r.parameters_json)) for r in rows]
