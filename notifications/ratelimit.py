"""Pacing for the Telegram Bot API: ~30 messages/s overall, 1/s per chat, 20/min per group.

PTB's AIORateLimiter (the `rate-limiter` extra, aiolimiter) covers only the overall and
group limits, runs on the event loop's real time and halts every chat after one
RetryAfter. This small limiter adds the per-chat limit and takes its clock and sleep as
arguments, so tests run it on virtual time.

Each call reserves the earliest instant that keeps every sliding window within its limit,
then sleeps until then. Reservations are per key, so a chat that must wait does not hold
up the others. The overall budget is also spread evenly (one message per 1/30 s) rather
than spent in a burst at the top of each second: a burst queues up in our own HTTP
client and arrives bunched together, which is how a sender ends up over the limit as
Telegram counts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from bisect import bisect_left, bisect_right, insort
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    count: int
    period: float  # seconds

    def allows(self, times: list[float], at: float) -> bool:
        """Whether one more event at `at` keeps every window [s, s + period) within count."""
        low = bisect_left(times, at - self.period)
        # The fullest window holding `at` starts at `at` or at an earlier event; counted
        # by bisection, as this runs for every candidate instant of every message.
        for start in [*times[low : bisect_right(times, at)], at]:
            if start <= at < start + self.period:
                inside = bisect_left(times, start + self.period) - bisect_left(times, start)
                if inside + 1 > self.count:
                    return False
        return True


# Telegram counts on arrival, and arrivals jitter: the windows keep a little headroom.
# 29 per 1.05 s (27.6/s, 92 % of the allowed 30/s) means any 31 messages span at least
# 1.08 s as sent, so arrivals must bunch by 80 ms before Telegram counts 31 in a second;
# 30 per 1.1 s kept 100 ms but capped the rate at 90.9 %, which overheads pushed under 90 %.
OVERALL = Limit(29, 1.05)
OVERALL_SPACING = Limit(1, 1 / 30)
PER_CHAT = Limit(1, 1.1)
PER_GROUP = Limit(20, 61.0)


class RateLimiter:
    """Sliding-window limits, overall and per chat (negative chat ids are groups)."""

    def __init__(
        self,
        *,
        overall: Limit = OVERALL,
        spacing: Limit | None = OVERALL_SPACING,
        per_chat: Limit = PER_CHAT,
        per_group: Limit = PER_GROUP,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._overall = overall
        self._spacing = spacing
        self._per_chat = per_chat
        self._per_group = per_group
        self._monotonic = monotonic
        self._sleep = sleep
        self._global: list[float] = []
        self._chats: dict[int, list[float]] = {}
        self._chat_horizon = max(per_chat.period, per_group.period)
        self._in_flight: dict[int, tuple[asyncio.Lock, int]] = {}

    def reserve(self, chat_id: int) -> float:
        """Book the earliest allowed instant for one message to `chat_id`; return the wait."""
        now = self._monotonic()
        at = self._earliest(chat_id, now)
        self._book(chat_id, at)
        return at - now

    @contextlib.asynccontextmanager
    async def sending(self, chat_id: int) -> AsyncIterator[None]:
        """Wait until a message to `chat_id` may leave, and hold the chat until its request
        returns: `async with limiter.sending(chat): await bot.send_message(…)`.

        Telegram counts a message when it arrives, somewhere between leaving and the
        reply. So the chat's window is counted from the reply, and the chat's next
        message leaves only then: its arrival is a full period after the one before,
        however slowly that one travelled (a loaded machine delayed one by over 100 ms,
        the whole margin, and got a 429). Other chats are not held up; the overall
        windows count departures, spread evenly, which their own margin covers."""
        lock, holders = self._in_flight.get(chat_id, (asyncio.Lock(), 0))
        self._in_flight[chat_id] = (lock, holders + 1)
        try:
            async with lock:
                left = await self._depart(chat_id)
                try:
                    yield
                finally:
                    self._count_from(chat_id, left, self._monotonic())
        finally:
            lock, holders = self._in_flight[chat_id]
            if holders == 1:
                del self._in_flight[chat_id]
            else:
                self._in_flight[chat_id] = (lock, holders - 1)

    async def _depart(self, chat_id: int) -> float:
        """Wait for the earliest allowed instant, book it and return it.

        Booked when it leaves, not when it starts waiting: a sender woken late (a busy
        machine) is then counted late, and the senders after it keep their distance from
        it, instead of leaving on their earlier bookings and arriving bunched behind it."""
        while True:
            now = self._monotonic()
            at = self._earliest(chat_id, now)
            if at <= now:
                self._book(chat_id, now)
                return now
            await self._sleep(at - now)

    def _count_from(self, chat_id: int, left: float, returned: float) -> None:
        """Move the chat's booking of `left` to `returned` (the overall one stays)."""
        times = self._chats.setdefault(chat_id, [])
        index = bisect_left(times, left)
        if index < len(times) and times[index] == left:
            del times[index]
        insort(times, returned)

    def _earliest(self, chat_id: int, now: float) -> float:
        self._forget_before(now)
        chat = self._chats.get(chat_id, [])
        rules = [(self._overall, self._global), (self._per_chat, chat)]
        if self._spacing is not None:
            rules.append((self._spacing, self._global))
        if chat_id < 0:
            rules.append((self._per_group, chat))
        candidates = sorted({now, *(t + lim.period for lim, times in rules for t in times)})
        return next(
            c for c in candidates if c >= now and all(lim.allows(times, c) for lim, times in rules)
        )

    def _book(self, chat_id: int, at: float) -> None:
        insort(self._global, at)
        insort(self._chats.setdefault(chat_id, []), at)

    def _forget_before(self, now: float) -> None:
        del self._global[: bisect_left(self._global, now - self._overall.period)]
        for chat_id in list(self._chats):
            times = self._chats[chat_id]
            del times[: bisect_left(times, now - self._chat_horizon)]
            if not times:
                del self._chats[chat_id]
