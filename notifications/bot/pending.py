"""Which occurrence a chat's next message is evidence for, after "✅ Đã hoàn thành".

Kept in memory, keyed by (chat, user), on purpose: it lives for minutes, a restart losing
it costs one extra "reply to the reminder" hint, and the database stays free of
half-finished conversations. Expiry follows the injected clock, so tests control it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

PENDING_FOR = timedelta(minutes=30)


@dataclass(frozen=True)
class Pending:
    code: str
    until: datetime


class PendingEvidence:
    def __init__(self, lifetime: timedelta = PENDING_FOR) -> None:
        self.lifetime = lifetime
        self._waiting: dict[tuple[int, int], Pending] = {}

    def expect(self, chat_id: int, user_id: int, code: str, now: datetime) -> None:
        self._waiting[(chat_id, user_id)] = Pending(code, now + self.lifetime)

    def peek(self, chat_id: int, user_id: int, now: datetime) -> str | None:
        """The code awaited from this person in this chat, if it has not expired."""
        waiting = self._waiting.get((chat_id, user_id))
        if waiting is None:
            return None
        if waiting.until <= now:
            del self._waiting[(chat_id, user_id)]
            return None
        return waiting.code

    def clear(self, chat_id: int, user_id: int) -> str | None:
        waiting = self._waiting.pop((chat_id, user_id), None)
        return waiting.code if waiting else None

    def __len__(self) -> int:
        return len(self._waiting)
