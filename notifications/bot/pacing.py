"""The bot's sends and edits go through the same RateLimiter as the reminders.

PTB hands every Bot API call of the Application to a `BaseRateLimiter`. This one books a
slot in our RateLimiter (notifications/ratelimit.py) for each call that puts something
in a chat, so a reply, an evidence prompt, the edits of a closed task's reminders and the
dispatcher's reminders share one budget: 30/s overall, 1/s per chat, 20/min per group,
each with the limiter's margin. Everything else (answerCallbackQuery, getFile, getMe)
goes at once: it adds nothing to a chat. getUpdates never reaches a rate limiter.

A 429 is retried once its wait is over (up to RETRY_CAP seconds, a few times), as PTB's
own AIORateLimiter does; a longer wait is raised to the caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from notifications.ratelimit import Limit, RateLimiter
from notifications.telegram import retry_after_seconds

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
# The calls that put a message in a chat or change one: what Telegram counts.
PACED = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)
RETRY_CAP = 5.0  # seconds: a 429 asking for longer is the caller's to handle
MAX_RETRIES = 3


def unlimited() -> RateLimiter:
    """A limiter that never waits (tests of behaviour other than pacing, benchmarks)."""
    free = Limit(10**9, 1.0)
    return RateLimiter(overall=free, per_chat=free, per_group=free, spacing=None)


class SharedRateLimiter(BaseRateLimiter[None]):
    """PTB's rate-limiter interface over our RateLimiter (shared with TelegramChannel)."""

    def __init__(
        self,
        limiter: RateLimiter,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.limiter = limiter
        self._sleep = sleep

    async def initialize(self) -> None:
        """Nothing to open: the limiter is plain memory."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> JSONResult:
        chat_id = data.get("chat_id")
        paced = endpoint in PACED and isinstance(chat_id, int)
        for attempt in range(MAX_RETRIES + 1):
            try:
                if not paced:
                    return await callback(*args, **kwargs)
                assert isinstance(chat_id, int)
                async with self.limiter.sending(chat_id):
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                if attempt == MAX_RETRIES or wait > RETRY_CAP:
                    raise
                await self._sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")
