"""The dispatcher: delivers due outbox rows through the channels and records every attempt.

Each row is claimed just before it is sent, by a conditional UPDATE (pending -> sending)
that must change exactly one row, so two engines, or a double fire, never send a row
twice. The attempt is counted in that same UPDATE, before anything leaves the process.

Delivery is at-least-once. While a row is 'sending', next_attempt_at holds the instant
it was claimed. A crash between a send and its record leaves the row there; `recover()`
hands rows claimed longer ago than the lease back to 'pending', and they are sent again
(their attempt count kept, so a row that keeps crashing the process ends 'failed'). A
missed reminder costs more than a duplicate, and a duplicate email carries the same
Message-ID (derived from the outbox key), so it is recognisable as a resend.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, or_, update
from sqlmodel import Session, select

from notifications.base import BLOCKED, NO_CHANNEL, REJECTED, Channel, DeliveryError, Recipient
from notifications.render import Renderer
from rules.directory import Directory
from scheduler.clock import Clock
from scheduler.db import session_scope
from scheduler.models import (
    CANCELLED,
    FAILED,
    PENDING,
    SENDING,
    SENT,
    DeliveryProblem,
    Notification,
)

log = logging.getLogger("nhacviec.dispatch")

BACKOFF_BASE = timedelta(minutes=2)
BACKOFF_CAP = timedelta(hours=6)
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
    `chat_ids` gives a person's linked Telegram chat, else the directory's is used.
    """

    def __init__(
        self,
        engine: Engine,
        channels: Mapping[str, Channel],
        renderer: Renderer,
        directory: Directory,
        clock: Clock,
        *,
        defer: Callable[[datetime], datetime] = _identity,
        max_attempts: int = 8,
        chat_ids: Callable[[str], int | None] | None = None,
        lease: timedelta = LEASE,
        batch_limit: int = 1000,
    ) -> None:
        self.engine = engine
        self.channels = channels
        self.renderer = renderer
        self.directory = directory
        self.clock = clock
        self.defer = defer
        self.max_attempts = max_attempts
        self.chat_ids = chat_ids
        self.lease = lease
        self.batch_limit = batch_limit
        self._in_flight: set[int] = set()
        self._stopping = False

    def stop(self) -> None:
        """Claim nothing more: sends under way finish and are recorded, the rest stay
        pending for the next start. Shutting down then takes one send, not a backlog."""
        self._stopping = True

    async def dispatch_due(self) -> DispatchSummary:
        """Deliver every row due now; a second round sends the email fallbacks it created."""
        summary = DispatchSummary()
        try:
            for _round in range(2):
                if self._stopping:
                    break
                fallbacks = summary.fallbacks
                due = await asyncio.to_thread(self._due, self.clock.now())
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
            return await asyncio.to_thread(self._recover, self.clock.now())
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

    # -- claiming -------------------------------------------------------------------------

    def _due(self, now: datetime) -> dict[str, list[int]]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(Notification.id, Notification.channel)
                .where(Notification.state == PENDING, Notification.next_attempt_at <= now)
                .order_by(Notification.next_attempt_at, Notification.id)  # type: ignore[arg-type]
                .limit(self.batch_limit)
            ).all()
        due: dict[str, list[int]] = {}
        for row_id, channel in rows:
            due.setdefault(channel, []).append(row_id)
        return due

    def _claim(self, row_id: int, now: datetime) -> Notification | None:
        with session_scope(self.engine) as session:
            claimed = session.exec(  # type: ignore[call-overload]
                update(Notification)
                .where(Notification.id == row_id, Notification.state == PENDING)  # type: ignore[arg-type]
                .values(state=SENDING, attempts=Notification.attempts + 1, next_attempt_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                return None
            return session.get(Notification, row_id)

    def _recover(self, now: datetime) -> int:
        with Session(self.engine) as session:
            stale = session.exec(
                select(Notification.id).where(
                    Notification.state == SENDING, Notification.next_attempt_at < now - self.lease
                )
            ).all()
        return sum(
            self._requeue(row_id, "bị ngắt khi đang gửi (tiến trình đã dừng)")
            for row_id in stale
            if row_id not in self._in_flight
        )

    def _requeue(self, row_id: int | None, reason: str) -> int:
        """A claimed row whose outcome is unknown goes back to pending (or fails, when out
        of attempts): sending it again is the at-least-once half of the bargain."""
        now = self.clock.now()
        with session_scope(self.engine) as session:
            row = session.get(Notification, row_id)
            if row is None or row.state != SENDING:
                return 0
            exhausted = row.attempts >= self.max_attempts
            changed = session.exec(  # type: ignore[call-overload]
                update(Notification)
                .where(Notification.id == row_id, Notification.state == SENDING)  # type: ignore[arg-type]
                .values(
                    state=FAILED if exhausted else PENDING, next_attempt_at=now, last_error=reason
                )
                .execution_options(synchronize_session=False)
            )
        log.warning(
            "id=%s key=%s attempt=%d outcome=%s reason=%s",
            row.id,
            row.key,
            row.attempts,
            "failed" if exhausted else "requeued",
            reason,
        )
        return int(changed.rowcount)

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
        row = self._claim(row_id, self.clock.now())
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
        chat_id = self.chat_ids(person.id) if self.chat_ids else None
        if chat_id is None:
            chat_id = person.telegram_chat_id
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
        with session_scope(self.engine) as session:
            if error is None:
                values = {
                    "state": SENT,
                    "sent_at": now,
                    "external_id": external_id,
                    "last_error": None,
                }
                self._resolve_problems(session, row, now)
                summary.sent += 1
                outcome = "sent"
            elif not error.permanent and row.attempts < self.max_attempts:
                retry_at = self._retry_at(row.attempts, error.retry_after, now)
                values = {"state": PENDING, "next_attempt_at": retry_at, "last_error": str(error)}
                summary.retrying += 1
                outcome = f"retry next={retry_at.isoformat()}"
            else:
                values = {"state": FAILED, "last_error": str(error)}
                summary.failed += 1
                outcome = "failed"
                if error.permanent and error.problem:
                    self._flag_problem(session, row, error, now)
                    if self._add_email_fallback(session, row, error, now):
                        summary.fallbacks += 1
                        outcome = "failed fallback=email"
            session.exec(
                update(Notification)  # type: ignore[call-overload]
                .where(Notification.id == row.id, Notification.state == SENDING)  # type: ignore[arg-type]
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

    def _retry_at(self, attempts: int, retry_after: float | None, now: datetime) -> datetime:
        backoff = min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)
        wait = max(backoff, timedelta(seconds=retry_after or 0))
        return self.defer(now + wait).astimezone(UTC)

    def _flag_problem(
        self, session: Session, row: Notification, error: DeliveryError, now: datetime
    ) -> None:
        problem = session.exec(
            select(DeliveryProblem).where(
                DeliveryProblem.person_id == row.person_id,
                DeliveryProblem.channel == row.channel,
                DeliveryProblem.problem == error.problem,
            )
        ).first()
        if problem is None:
            session.add(
                DeliveryProblem(
                    person_id=row.person_id,
                    channel=row.channel,
                    problem=error.problem or "",
                    detail=str(error),
                    first_seen=now,
                    last_seen=now,
                )
            )
        else:
            problem.detail, problem.last_seen, problem.resolved_at = str(error), now, None
            session.add(problem)

    def _resolve_problems(self, session: Session, row: Notification, now: datetime) -> None:
        session.exec(
            update(DeliveryProblem)  # type: ignore[call-overload]
            .where(
                DeliveryProblem.person_id == row.person_id,  # type: ignore[arg-type]
                DeliveryProblem.channel == row.channel,
                DeliveryProblem.resolved_at.is_(None),
            )  # type: ignore[union-attr]
            .values(resolved_at=now)
            .execution_options(synchronize_session=False)
        )

    def _add_email_fallback(
        self, session: Session, row: Notification, error: DeliveryError, now: datetime
    ) -> bool:
        """A Telegram message that can never arrive goes by email, unless this firing already
        sends the person an email (the engine's sibling row: same key ending /email, or
        same occurrence, step, person and creation instant)."""
        person = self.directory.people.get(row.person_id)
        if (
            row.channel != "telegram"
            or error.problem not in FALLBACK_PROBLEMS
            or person is None
            or not person.email
            or "email" not in self.channels
        ):
            return False
        key = _fallback_key(row.key)
        sibling = row.key.removesuffix("/telegram") + "/email"
        exists = session.exec(
            select(Notification.id).where(
                or_(
                    Notification.key == key,
                    (Notification.state != CANCELLED)
                    & or_(
                        Notification.key == sibling,
                        (Notification.occurrence_id == row.occurrence_id)
                        & (Notification.step == row.step)
                        & (Notification.person_id == row.person_id)
                        & (Notification.channel == "email")
                        & (Notification.created_at == row.created_at),
                    ),
                )
            )
        ).first()
        if exists is not None:
            return False
        session.add(
            Notification(
                key=key,
                occurrence_id=row.occurrence_id,
                step=row.step,
                person_id=row.person_id,
                channel="email",
                template=row.template,
                context_json=row.context_json,
                next_attempt_at=now,
                created_at=now,
            )
        )
        return True


def _fallback_key(key: str) -> str:
    suffix = "/email-fallback"
    if len(key) + len(suffix) <= 200:
        return key + suffix
    return key[:150] + "~" + hashlib.sha256(key.encode()).hexdigest()[:16] + suffix
