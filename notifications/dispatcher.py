"""The dispatcher: delivers due outbox rows through the channels and records every attempt.

Each row is claimed just before it is sent (outbox_claims: a conditional UPDATE that must
change exactly one row), so two engines, or a double fire, never send a row twice.

Delivery is at-least-once. While a row is 'sending', next_attempt_at holds the instant
it was claimed. A crash between a send and its record leaves the row there; `recover()`
hands rows claimed longer ago than the lease back to 'pending', and they are sent again
(their attempt count kept, so a row that keeps crashing the process ends 'failed'). A
missed reminder costs more than a duplicate, and a duplicate email carries the same
Message-ID (derived from the outbox key), so it is recognisable as a resend.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from notifications.base import Channel, DeliveryError
from notifications.dispatch_record import DispatchSummary, Recorder
from notifications.fair_share import FairShare, Scope, alone
from notifications.outbox_claims import (
    LEASE,
    claim,
    claim_batch,
    due_rows,
    requeue,
    stale_claims,
)
from notifications.render import Renderer
from notifications.retry_budget import DEFAULT_BUDGET, WorkingTime, elapsed
from notifications.send_attempt import send_once
from notifications.send_journal import (
    SendJournal,
    journal_folder,
    note_unrecorded,
    settle_journal,
)
from rules.directory import Directory
from scheduler.clock import Clock
from scheduler.db import database_fault
from scheduler.liveness import Liveness
from scheduler.models import Notification

log = logging.getLogger("nhacviec.dispatch")

STOP_GRACE = 5.0  # seconds a send under way may still take once the engine stops
# Rows one PostgreSQL claim takes: small, so engines running side by side share a backlog.
SHARED_CLAIM = 20


def _identity(instant: datetime) -> datetime:
    return instant


class Dispatcher:
    """Sends what is due; never raises into the caller.

    `defer` moves a proposed retry time into an allowed sending window (working hours);
    Telegram goes to the chat a person linked through the bot, else the directory's.
    """

    def __init__(
        self,
        db: Engine,
        channels: Mapping[str, Channel],
        renderer: Renderer,
        directory: Directory,
        clock: Clock,
        *,
        defer: Callable[[datetime], datetime] = _identity,
        max_attempts: int = 8,
        lease: timedelta = LEASE,
        batch_limit: int = 1000,
        liveness: Liveness | None = None,
        retry_budget: timedelta = DEFAULT_BUDGET,
        working_time: WorkingTime = elapsed,
        journal_dir: Path | None = None,
        leads: Callable[[], bool] | None = None,
    ) -> None:
        self.db = db
        self.channels = channels
        self.renderer = renderer
        self.directory = directory
        self.clock = clock
        self.defer = defer
        self.max_attempts = max_attempts
        self.lease = lease
        self.batch_limit = batch_limit
        self._in_flight: set[int] = set()
        self._attempts: set[asyncio.Future[tuple[str | None, DeliveryError | None]]] = set()
        self._stopping = self._cut_off = False
        self.stop_grace = STOP_GRACE
        # Without a Liveness (tests, one-shot commands) a claim is handed over only when
        # its lease runs out; the engine passes one, so a dead engine's rows move at once.
        self.liveness = liveness
        # Transient failures are retried for this much working time since the row was
        # decided; `max_attempts` bounds only the sends a crash interrupted.
        self.retry_budget = retry_budget
        self.working_time = working_time
        self.owner = liveness.token if liveness else uuid.uuid4().hex[:16]
        self.recorder = Recorder(db, channels, directory, clock, defer, retry_budget, working_time)
        self.journal = SendJournal(journal_dir or journal_folder(db, None), self.owner)
        self.leads = leads or (lambda: True)  # recovery is the leader's job, when there is one
        self.share = FairShare(liveness.place if liveness else alone)

    def stop(self) -> None:
        """Claim nothing more: sends under way finish and are recorded, the rest stay
        pending for the next start. Shutting down then takes one send, not a backlog;
        a send still hanging after `stop_grace` is cut off and its row goes back to
        'pending', so a server that does not answer cannot hold the stop."""
        self._stopping = True
        with contextlib.suppress(RuntimeError):  # no running loop: nothing is in flight
            asyncio.get_running_loop().call_later(self.stop_grace, self._cut_sends)

    def _cut_sends(self) -> None:
        self._cut_off = True
        for attempt in list(self._attempts):
            attempt.cancel()

    async def dispatch_due(self, *, again: bool = False) -> DispatchSummary:
        """Deliver every row due now; a second round sends the fallbacks it created.
        `again`: within the cycle under way (a digest just written), with its share."""
        summary = DispatchSummary()
        try:
            # Sends the database refused to record are recorded before anything is resent.
            await asyncio.to_thread(self._settle_journal, summary)
            # Every cycle, not every ten minutes: a restarted engine resends what a dead
            # one left 'sending' in its first cycle.
            if self.leads():
                await asyncio.to_thread(self._recover)
            scope = await asyncio.to_thread(self.share.scope, self.clock.now(), again)
            for _round in range(2):
                if self._stopping:
                    break
                fallbacks = summary.fallbacks
                if self.db.dialect.name == "postgresql":  # SQLite: one engine at a time
                    found = await self._deliver_shared(summary, scope)
                else:
                    due = await asyncio.to_thread(
                        due_rows, self.db, self.clock.now(), self.batch_limit
                    )
                    found = bool(due)
                    await asyncio.gather(
                        *(self._deliver_channel(name, ids, summary) for name, ids in due.items())
                    )
                if not found or summary.fallbacks == fallbacks:
                    break
        except Exception as exc:
            if database_fault(exc) is None and not isinstance(exc, DBAPIError):
                log.exception("dispatch failed; pending rows stay pending for the next run")
            else:  # the cycle's own write says it (and stops on a fault): no traceback
                log.warning("dispatch interrupted by the database: %s", exc.__class__.__name__)
        return summary

    async def _deliver_shared(self, summary: DispatchSummary, scope: Scope) -> bool:
        """PostgreSQL: claim small batches (SKIP LOCKED) of this engine's share until none
        is due, so engines side by side each take the next rows, not all the same ones."""
        found = False
        budget = self.batch_limit
        while not self._stopping and budget > 0:
            now, size = self.clock.now(), min(SHARED_CLAIM, budget)
            rows = await asyncio.to_thread(
                claim_batch, self.db, now, size, owner=self.owner, lease=self.lease, scope=scope
            )
            if not rows:
                break
            found, budget = True, budget - len(rows)
            by_channel: dict[str, list[int | Notification]] = {}
            for row in rows:
                by_channel.setdefault(row.channel, []).append(row)
            await asyncio.gather(
                *(self._deliver_channel(name, items, summary) for name, items in by_channel.items())
            )
        return found

    def _settle_journal(self, summary: DispatchSummary) -> int:
        alive = self.liveness.is_alive if self.liveness else (lambda _token: True)
        return settle_journal(self.journal, self.recorder, self.owner, alive, summary)

    async def recover(self) -> int:
        """Rows left in 'sending' longer than the lease (a crash) go back to 'pending'."""
        try:
            return await asyncio.to_thread(self._recover)
        except Exception:
            log.exception("recovering interrupted notifications failed")
            return 0

    async def close(self) -> None:
        """Close every channel (connections, HTTP clients); once, when the engine stops."""
        for channel in self.channels.values():
            try:
                await channel.close()
            except Exception:
                log.exception("closing channel %s failed", channel.name)

    def _recover(self) -> int:
        now = self.clock.now()
        alive = self.liveness.is_alive if self.liveness else None
        return sum(
            requeue(
                self.db,
                row_id,
                "bị ngắt khi đang gửi (tiến trình đã dừng)",
                self.clock.now(),
                self.max_attempts,
                owner=owner,
            )
            for row_id, owner in stale_claims(self.db, now - self.lease, alive)
            if row_id not in self._in_flight
        )

    def _requeue(self, row_id: int | None, reason: str) -> int:
        return requeue(
            self.db, row_id, reason, self.clock.now(), self.max_attempts, owner=self.owner
        )

    # -- delivering -----------------------------------------------------------------------

    async def _deliver_channel(
        self, name: str, ids: list[int] | list[int | Notification], summary: DispatchSummary
    ) -> None:
        channel = self.channels.get(name)
        gate = asyncio.Semaphore(max(1, channel.concurrency if channel else 1))

        async def one(row_id: int | Notification) -> None:
            async with gate:
                await self._deliver_one(channel, row_id, summary)

        if channel is None:
            await asyncio.gather(*(one(i) for i in ids))
            return
        async with channel.batch():
            await asyncio.gather(*(one(i) for i in ids))

    async def _deliver_one(
        self, channel: Channel | None, item: int | Notification, summary: DispatchSummary
    ) -> None:
        if self._stopping:
            if isinstance(item, Notification):  # claimed in a batch: back to pending now
                await asyncio.to_thread(self._requeue, item.id, "dừng trước khi gửi")
            return
        row = item if isinstance(item, Notification) else await self._claim(item)
        if row is None or row.id is None:
            summary.lost_claims += 1
            return
        row_id = row.id
        self._in_flight.add(row_id)
        started = time.monotonic()
        attempt = asyncio.ensure_future(
            send_once(self.db, self.directory, self.renderer, self.clock, channel, row)
        )
        self._attempts.add(attempt)
        try:
            try:
                external_id, error = await attempt
            except asyncio.CancelledError:
                self._requeue(row.id, "bị ngắt khi đang gửi (dừng chương trình)")
                task = asyncio.current_task()
                if self._cut_off and task is not None and not task.cancelling():
                    return  # only the send was cut off (stop_grace): the cycle goes on
                raise
            elapsed_ms = round((time.monotonic() - started) * 1000)
            try:
                await asyncio.to_thread(
                    self.recorder.record, row, external_id, error, elapsed_ms, summary
                )
            except Exception as exc:
                await asyncio.to_thread(
                    note_unrecorded, self.journal, row, external_id, error, exc, self.clock.now()
                )
        finally:
            self._attempts.discard(attempt)
            self._in_flight.discard(row_id)

    async def _claim(self, row_id: int) -> Notification | None:
        """Claimed in a thread (a locked database waits there, not on the loop); a cancel
        while it runs still learns the outcome, so the claim is handed back, not orphaned."""
        job = asyncio.ensure_future(
            asyncio.to_thread(
                claim, self.db, row_id, self.clock.now(), owner=self.owner, lease=self.lease
            )
        )
        try:
            return await asyncio.shield(job)
        except asyncio.CancelledError:
            row = await job
            if row is not None:
                await asyncio.to_thread(self._requeue, row.id, "bị ngắt khi đang nhận")
            raise
