from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from typing import TypedDict, Unpack

import pytest

from notifications.ratelimit import Limit, RateLimiter


class VirtualTime:
    """monotonic() and sleep() for the limiter: sleeping moves time, nothing waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Limits(TypedDict, total=False):
    """The limiter's limits by keyword, each typed as RateLimiter takes it."""

    overall: Limit
    per_chat: Limit
    per_group: Limit
    spacing: Limit | None


TELEGRAM: Limits = {
    "overall": Limit(30, 1.0),
    "per_chat": Limit(1, 1.0),
    "per_group": Limit(20, 60.0),
    "spacing": None,
}


def limiter(time: VirtualTime, **limits: Unpack[Limits]) -> RateLimiter:
    """Telegram's published limits exactly, without the defaults' headroom and spacing."""
    return RateLimiter(
        monotonic=time.monotonic,
        sleep=time.sleep,
        **(TELEGRAM | limits),
    )


def max_in_window(times: list[float], period: float) -> int:
    return max(sum(1 for t in times if start <= t < start + period) for start in times)


def test_it_spaces_messages_to_one_chat_a_second_apart() -> None:
    time = VirtualTime()
    rl = limiter(time)

    slots = [rl.reserve(42) for _ in range(4)]

    assert slots == [0.0, 1.0, 2.0, 3.0]


def test_it_holds_thirty_messages_a_second_overall() -> None:
    time = VirtualTime()
    rl = limiter(time, spacing=None)

    slots = [rl.reserve(chat) for chat in range(1, 101)]

    assert max_in_window(slots, 1.0) == 30
    assert Counter(slots) == {0.0: 30, 1.0: 30, 2.0: 30, 3.0: 10}


def test_it_spreads_the_overall_budget_evenly_by_default() -> None:
    time = VirtualTime()
    rl = RateLimiter(monotonic=time.monotonic, sleep=time.sleep)

    slots = [rl.reserve(chat) for chat in range(1, 61)]

    assert min(b - a for a, b in itertools.pairwise(slots)) == pytest.approx(1 / 30)
    assert max_in_window(slots, 1.0) <= 30


def test_it_leaves_headroom_for_network_jitter_by_default() -> None:
    time = VirtualTime()
    rl = RateLimiter(monotonic=time.monotonic, sleep=time.sleep)

    private = [rl.reserve(7) for _ in range(3)]
    group = [rl.reserve(-100123) for _ in range(21)]

    assert private == pytest.approx([0.0, 1.1, 2.2])
    assert group[-1] - group[0] >= 61.0


def test_it_holds_twenty_messages_a_minute_in_a_group() -> None:
    time = VirtualTime()
    rl = limiter(time)

    slots = [rl.reserve(-1001234) for _ in range(25)]

    assert slots[:20] == [float(i) for i in range(20)]
    assert slots[20:] == [60.0, 61.0, 62.0, 63.0, 64.0]
    assert max_in_window(slots, 60.0) == 20


def test_it_does_not_make_other_chats_wait_for_a_busy_one() -> None:
    time = VirtualTime()
    rl = limiter(time)

    busy = [rl.reserve(7) for _ in range(3)]
    other = rl.reserve(8)

    assert busy == [0.0, 1.0, 2.0]
    assert other == 0.0


def test_it_forgets_old_messages_as_time_passes() -> None:
    time = VirtualTime()
    rl = limiter(time)
    rl.reserve(7)

    time.now = 5.0

    assert rl.reserve(7) == 0.0


def test_it_sleeps_on_the_injected_clock() -> None:
    time = VirtualTime()
    rl = limiter(time, overall=Limit(2, 1.0))

    async def send_five() -> list[float]:
        sent = []
        for chat in range(5):
            async with rl.sending(chat + 1):
                sent.append(time.now)
        return sent

    sent = asyncio.run(send_five())

    assert sent == [0.0, 0.0, 1.0, 1.0, 2.0]
    assert time.sleeps == [1.0, 1.0]


def test_it_counts_a_chats_window_from_the_reply_however_slow_the_request() -> None:
    """Telegram counts on arrival, which may be as late as the reply: two concurrent
    sends to one chat whose first request takes 0.7 s leave a full second apart from
    that reply, not from the first's departure."""
    time = VirtualTime()
    rl = limiter(time)
    left: list[float] = []

    async def send(travel: float) -> None:
        async with rl.sending(7):
            left.append(time.now)
            time.now += travel

    async def both() -> None:
        await asyncio.gather(send(0.7), send(0.0))

    asyncio.run(both())

    assert left == [0.0, pytest.approx(1.7)]


def test_it_does_not_hold_other_chats_while_one_is_in_flight() -> None:
    time = VirtualTime()
    rl = limiter(time)
    left: dict[int, float] = {}
    first_in_flight = asyncio.Event()

    async def slow(chat: int) -> None:
        async with rl.sending(chat):
            left[chat] = time.now
            first_in_flight.set()
            await asyncio.sleep(0)  # still in flight while the other chat sends
            time.now += 0.5

    async def quick(chat: int) -> None:
        await first_in_flight.wait()
        async with rl.sending(chat):
            left[chat] = time.now

    async def both() -> None:
        await asyncio.gather(slow(7), quick(8))

    asyncio.run(both())

    assert left == {7: 0.0, 8: 0.0}
