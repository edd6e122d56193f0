"""One leader among the engines on a database, for the work only one may do: recovering
expired leases, composing the digest, polling Telegram (two pollers on one token get 409
Conflict from Telegram).

The leader holds a lock the server or the operating system drops when its process dies
(scheduler.liveness.Leadership: an advisory lock on a connection it keeps open on
PostgreSQL, an flock() beside a SQLite file). Every engine renews or asks for it on each
cycle and every `RETRY` seconds, so when the leader dies another takes over within that.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import Engine

from scheduler.liveness import Leadership

log = logging.getLogger("nhacviec.engine")

RETRY = 10.0  # seconds between two asks of an engine that does not lead
LEADING = "Engine này dẫn đầu: thu hồi lượt gửi dở, soạn bản tổng hợp, nhận lệnh Telegram."


class Leader:
    """This engine's view of the leadership; `leading` is read anywhere, renewed on the loop."""

    def __init__(self, db: Engine, name: str = "engine") -> None:
        self._lock = Leadership(db, name)
        self._renewing = asyncio.Lock()
        self.became = asyncio.Event()  # set while this engine leads

    @property
    def leading(self) -> bool:
        return self._lock.leading

    async def renew(self) -> bool:
        """Keep the lead (checking the lock is still held) or try to take it."""
        async with self._renewing:
            was = self._lock.leading
            try:
                now = await asyncio.to_thread(self._renew)
            except Exception as exc:  # the database is unreachable: lead nothing meanwhile
                log.warning("leader check failed (%s)", type(exc).__name__)
                await asyncio.to_thread(self._lock.close)
                now = False
        if now and not was:
            log.info(LEADING)
            self.became.set()
        elif was and not now:
            log.warning("Engine này không còn dẫn đầu (mất khoá); engine khác sẽ nhận việc.")
            self.became.clear()
        return now

    def _renew(self) -> bool:
        if self._lock.leading and not self._lock.holds():
            self._lock.close()
        return self._lock.try_lead()

    async def keep(self, stop: asyncio.Event) -> None:
        """Renew every RETRY seconds until `stop`, then let the lead go."""
        try:
            while not stop.is_set():
                await self.renew()
                try:
                    await asyncio.wait_for(stop.wait(), RETRY)
                except TimeoutError:
                    continue
        finally:
            await asyncio.to_thread(self.close)

    def close(self) -> None:
        self._lock.close()
        self.became.clear()


def when_leading(
    leader: Leader | None, check: Callable[[datetime], Awaitable[None]]
) -> Callable[[datetime], Awaitable[None]]:
    """`check`, run only by the leading engine (every engine without a leader)."""

    async def gated(now: datetime) -> None:
        if leader is None or leader.leading:
            await check(now)

    return gated
