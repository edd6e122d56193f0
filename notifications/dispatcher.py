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
import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from notifications.base import NO_CHANNEL, Channel, DeliveryError, Recipient
from notifications.dispatch_record import DispatchSummary, Recorder
from notifications.outbox_claims import LEASE, claim, due_rows, requeue, stale_claims
from notifications.render import Renderer
from notifications.retry_budget import DEFAULT_BUDGET, WorkingTime, elapsed
from rules.directory import Directory
from scheduler.clock import Clock
from scheduler.db import session_scope
from scheduler.liveness import Liveness
from scheduler.models import Notification
from scheduler.people import linked_chat, migrate_chat

log = logging.getLogger("nhacviec.dispatch")

UNKNOWN_PERSON = "unknown-person"
STOP_GRACE = 5.0  # seconds a send under way may still take once the engine stops


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

    async def dispatch_due(self) -> DispatchSummary:
        """Deliver every row due now; a second round sends the fallbacks it created."""
        summary = DispatchSummary()
        try:
            # Every cycle, not every ten minutes: a restarted engine resends what a dead
            # one left 'sending' in its first cycle.
            await asyncio.to_thread(self._recover)
            for _round in range(2):
                if self._stopping:
                    break
                fallbacks = summary.fallbacks
                due = await asyncio.to_thread(due_rows, self.db, self.clock.now(), self.batch_limit)
                if not due:
                    break
                await asyncio.gather(
                    *(self._deliver_channel(name, ids, summary) for name, ids in due.items())
                )
                if summary.fallbacks == fallbacks:
                    break
        except Exception:
            log.exception("dispatch failed; pending rows stay pending for the next run")
        return summary

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

    async def _deliver_channel(self, name: str, ids: list[int], summary: DispatchSummary) -> None:
        channel = self.channels.get(name)
        gate = asyncio.Semaphore(max(1, channel.concurrency if channel else 1))

        async def one(row_id: int) -> None:
            async with gate:
                await self._deliver_one(channel, row_id, summary)

        if channel is None:
            await asyncio.gather(*(one(i) for i in ids))
            return
        async with channel.batch():
            await asyncio.gather(*(one(i) for i in ids))

    async def _deliver_one(
        self, channel: Channel | None, row_id: int, summary: DispatchSummary
    ) -> None:
        if self._stopping:
            return
        # Claimed on the loop, not in a thread: a cancelled await must not orphan a claim.
        row = claim(self.db, row_id, self.clock.now(), owner=self.owner, lease=self.lease)
        if row is None:
            summary.lost_claims += 1
            return
        self._in_flight.add(row_id)
        started = time.monotonic()
        attempt = asyncio.ensure_future(self._attempt(channel, row))
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
            await asyncio.to_thread(
                self.recorder.record, row, external_id, error, elapsed_ms, summary
            )
        except Exception:
            log.exception("id=%s key=%s outcome=unrecorded", row.id, row.key)
        finally:
            self._attempts.discard(attempt)
            self._in_flight.discard(row_id)

    async def _attempt(
        self, channel: Channel | None, row: Notification
    ) -> tuple[str | None, DeliveryError | None]:
        try:
            if channel is None:
                raise DeliveryError(f"chưa cấu hình kênh '{row.channel}'", permanent=True)
            recipient = self._recipient(row)
            try:
                message = self.renderer.render(
                    row.template, json.loads(row.context_json), recipient, row.key
                )
            except Exception as exc:
                # Templates and context are ours: retried, so a fixed deploy still delivers.
                raise DeliveryError(
                    f"lỗi mẫu thông báo {row.template}: {exc}", permanent=False
                ) from exc
            result = await channel.send(replace(message, written_at=self.clock.now()))
            await self._follow_migration(recipient, result.external_id)
            return result.external_id, None
        except DeliveryError as exc:
            return None, exc
        except Exception as exc:
            log.exception("id=%s channel %s raised instead of DeliveryError", row.id, row.channel)
            return None, DeliveryError(f"lỗi không lường trước: {exc!r}", permanent=False)

    async def _follow_migration(self, recipient: Recipient, external_id: str | None) -> None:
        """Telegram answered from another chat (a group that became a supergroup): the
        person's link follows, so the next message goes to the new chat directly."""
        old = recipient.telegram_chat_id
        chat = (external_id or "").partition(":")[0]
        if old is None or not chat.lstrip("-").isdigit() or int(chat) == old:
            return

        def move() -> None:
            with session_scope(self.db) as session:
                moved = migrate_chat(session, old, int(chat))
            log.warning("chat %s migrated to %s: %d link(s) moved", old, chat, moved)

        await asyncio.to_thread(move)

    def _recipient(self, row: Notification) -> Recipient:
        person = self.directory.people.get(row.person_id)
        if person is None:
            raise DeliveryError(
                f"'{row.person_id}' không có trong danh bạ", permanent=True, problem=UNKNOWN_PERSON
            )
        chat_id = person.telegram_chat_id
        if row.channel == "telegram":  # only Telegram needs the chat: spare email rows a query
            with Session(self.db) as session:
                linked = linked_chat(session, person.id)
            chat_id = linked if linked is not None else chat_id
        recipient = Recipient(person.id, person.name, person.email, chat_id)
        if (row.channel == "email" and not recipient.email) or (
            row.channel == "telegram" and recipient.telegram_chat_id is None
        ):
            what = "chưa có địa chỉ email" if row.channel == "email" else "chưa liên kết Telegram"
            raise DeliveryError(
                f"{person.name} ({person.id}) {what}", permanent=True, problem=NO_CHANNEL
            )
        return recipient
