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
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import Session, col

from notifications.base import BLOCKED, NO_CHANNEL, REJECTED, Channel, DeliveryError, Recipient
from notifications.delivery_problems import add_email_fallback, flag_problem, resolve_problems
from notifications.outbox_claims import backoff, claim, due_rows, requeue, stale_claims
from notifications.render import Renderer
from rules.directory import Directory
from scheduler.clock import Clock
from scheduler.db import session_scope
from scheduler.models import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    Notification,
)
from scheduler.people import linked_chat

log = logging.getLogger("nhacviec.dispatch")

LEASE = timedelta(minutes=15)
UNKNOWN_PERSON = "unknown-person"
# Telegram failures after which the person is tried by email instead.
FALLBACK_PROBLEMS = (BLOCKED, REJECTED, NO_CHANNEL)


def _identity(instant: datetime) -> datetime:
    return instant


@dataclass
class DispatchSummary:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    fallbacks: int = 0
    lost_claims: int = 0  # rows another engine claimed first

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed


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

    async def dispatch_due(self) -> DispatchSummary:
        """Deliver every row due now; a second round sends the email fallbacks it created."""
        summary = DispatchSummary()
        try:
            for _round in range(2):
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
        return sum(
            self._requeue(row_id, "bị ngắt khi đang gửi (tiến trình đã dừng)")
            for row_id in stale_claims(self.db, now - self.lease)
            if row_id not in self._in_flight
        )

    def _requeue(self, row_id: int | None, reason: str) -> int:
        return requeue(self.db, row_id, reason, self.clock.now(), self.max_attempts)

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
        # Claimed on the loop, not in a thread: a cancelled await must not orphan a claim.
        row = claim(self.db, row_id, self.clock.now())
        if row is None:
            summary.lost_claims += 1
            return
        self._in_flight.add(row_id)
        started = time.monotonic()
        try:
            try:
                external_id, error = await self._attempt(channel, row)
            except asyncio.CancelledError:
                self._requeue(row.id, "bị ngắt khi đang gửi (dừng chương trình)")
                raise
            elapsed_ms = round((time.monotonic() - started) * 1000)
            await asyncio.to_thread(self._record, row, external_id, error, elapsed_ms, summary)
        except Exception:
            log.exception("id=%s key=%s outcome=unrecorded", row.id, row.key)
        finally:
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
            result = await channel.send(message)
            return result.external_id, None
        except DeliveryError as exc:
            return None, exc
        except Exception as exc:
            log.exception("id=%s channel %s raised instead of DeliveryError", row.id, row.channel)
            return None, DeliveryError(f"lỗi không lường trước: {exc!r}", permanent=False)

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

    # -- recording ------------------------------------------------------------------------

    def _record(
        self,
        row: Notification,
        external_id: str | None,
        error: DeliveryError | None,
        elapsed_ms: int,
        summary: DispatchSummary,
    ) -> None:
        now = self.clock.now()
        with session_scope(self.db) as session:
            if error is None:
                values = {
                    "state": SENT,
                    "sent_at": now,
                    "external_id": external_id,
                    "last_error": None,
                }
                resolve_problems(session, row, now)
                summary.sent += 1
                outcome = "sent"
            elif not error.permanent and row.attempts < self.max_attempts:
                retry_at = self.defer(now + backoff(row.attempts, error.retry_after)).astimezone(
                    UTC
                )
                values = {"state": PENDING, "next_attempt_at": retry_at, "last_error": str(error)}
                summary.retrying += 1
                outcome = f"retry next={retry_at.isoformat()}"
            else:
                values = {"state": FAILED, "last_error": str(error)}
                summary.failed += 1
                outcome = "failed"
                if error.permanent and error.problem:
                    flag_problem(session, row, error, now)
                    if self._falls_back_to_email(row, error) and add_email_fallback(
                        session, row, now
                    ):
                        summary.fallbacks += 1
                        outcome = "failed fallback=email"
            session.exec(
                update(Notification)
                .where(col(Notification.id) == row.id, col(Notification.state) == SENDING)
                .values(duration_ms=elapsed_ms, **values)
                .execution_options(synchronize_session=False)
            )
        log.log(
            logging.WARNING if outcome.startswith("failed") else logging.INFO,
            "id=%s key=%s channel=%s person=%s template=%s attempt=%d ms=%d outcome=%s%s%s",
            row.id,
            row.key,
            row.channel,
            row.person_id,
            row.template,
            row.attempts,
            elapsed_ms,
            outcome,
            f" external_id={external_id}" if external_id else "",
            f" error={error}" if error else "",
        )

    def _falls_back_to_email(self, row: Notification, error: DeliveryError) -> bool:
        """A Telegram message that can never arrive goes by email, when the person has one."""
        person = self.directory.people.get(row.person_id)
        return (
            row.channel == "telegram"
            and error.problem in FALLBACK_PROBLEMS
            and person is not None
            and bool(person.email)
            and "email" in self.channels
        )
