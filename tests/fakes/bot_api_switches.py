"""The fake Bot API's switches: errors, slow answers and dropped connections on demand,
and Telegram's flood limits with real 429s."""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass
from typing import Any

_ERRORS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass
class Rule:
    method: str | None
    status: int
    description: str
    retry_after: int | None
    delay: float
    chat_id: int | None
    times: int | None
    migrate_to: int | None = None  # a group upgraded to a supergroup: its new chat id
    drop: bool = False  # close the connection without an answer


class FaultSwitches:
    """What a test switches on the fake (mixed into FakeBotApi, which owns the state)."""

    _lock: threading.Lock
    _rules: list[Rule]
    _flood: FloodLimits | None

    def fail(
        self,
        method: str | None,
        status: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int | None = 1,
        migrate_to: int | None = None,
    ) -> None:
        """Answer `status` to `method` (None: any) for the next `times` calls (None: always).

        `migrate_to` answers as Telegram does for a group that became a supergroup (400
        with parameters.migrate_to_chat_id)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        text = (description or _ERRORS.get(status, "Error")).format(retry_after=retry_after)
        with self._lock:
            self._rules.append(
                Rule(method, status, text, retry_after, 0.0, chat_id, times, migrate_to)
            )

    def slow(
        self,
        method: str | None,
        seconds: float,
        *,
        times: int | None = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer `method` normally, but only after `seconds`."""
        with self._lock:
            self._rules.append(Rule(method, 200, "", None, seconds, chat_id, times))

    def drop(
        self, method: str | None, *, times: int | None = 1, chat_id: int | None = None
    ) -> None:
        """Close the connection of the next `times` calls to `method` (None: any) unanswered,
        as a failing proxy or a network cut does."""
        with self._lock:
            self._rules.append(Rule(method, 0, "", None, 0.0, chat_id, times, drop=True))

    def enforce_limits(self, overall: int = 30, per_chat: int = 1) -> None:
        """From now on, answer 429 (retry_after 1) to a message or edit over `overall` per
        second or `per_chat` per second in one chat (sliding windows, on arrival)."""
        self._flood = FloodLimits(overall, per_chat)

    def clear_rules(self) -> None:
        with self._lock:
            self._rules.clear()

    def _take_rule(self, method: str, chat_id: Any) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.method in (None, method) and rule.chat_id in (None, chat_id):
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            self._rules.remove(rule)
                    return rule
        return None


# What Telegram counts against the flood limits: messages put in a chat, and edits.
FLOOD_COUNTED = {
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "editMessageText",
    "editMessageReplyMarkup",
    "editMessageCaption",
}


class FloodLimits:
    """Sliding one-second windows, overall and per chat, counted on arrival."""

    def __init__(self, overall: int, per_chat: int) -> None:
        self.overall, self.per_chat = overall, per_chat
        self._all: collections.deque[float] = collections.deque()
        self._chats: dict[object, collections.deque[float]] = {}

    def admit(self, method: str, chat_id: object) -> bool:
        if method not in FLOOD_COUNTED:
            return True
        now = time.monotonic()
        chat = self._chats.setdefault(chat_id, collections.deque())
        for window in (self._all, chat):
            while window and window[0] <= now - 1.0:
                window.popleft()
        if len(self._all) >= self.overall or len(chat) >= self.per_chat:
            return False
        self._all.append(now)
        chat.append(now)
        return True
