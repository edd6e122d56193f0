"""Recording a delivery attempt: the row's new state, its problems, and the fallback.

An attempt is recorded only while the engine that made it still holds the row's claim; a
transient failure is retried with backoff inside the retry budget (working time), a
permanent one flags the problem the digest and `status` show, and a Telegram message that
can never arrive goes by email instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import col

from notifications.base import (
    DELAYED,
    GAVE_UP,
    Channel,
    DeliveryError,
)
from notifications.delivery_problems import (
    add_fallback,
    align_retries,
    fallback_channel,
    flag_problem,
    pull_forward,
    resolve_problems,
)
from notifications.outbox_claims import backoff
from notifications.retry_budget import WorkingTime
from rules.directory import Directory
from scheduler.clock import Clock
from scheduler.db import session_scope
from scheduler.models import FAILED, PENDING, SENDING, SENT, Notification

log = logging.getLogger("nhacviec.dispatch")


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


@dataclass
class Recorder:
    """Writes the outcome of one attempt; `defer` moves a retry into the sending window."""

    db: Engine
    channels: Mapping[str, Channel]
    directory: Directory
    clock: Clock
    defer: Callable[[datetime], datetime]
    retry_budget: timedelta
    working_time: WorkingTime

    def record(
        self,
        row: Notification,
        external_id: str | None,
        error: DeliveryError | None,
        elapsed_ms: int,
        summary: DispatchSummary,
    ) -> None:
        now = self.clock.now()
        with session_scope(self.db) as session:
            values, outcome = self._outcome(row, external_id, error, now)
            # Recorded only while this engine still holds the claim: a row another engine
            # took over (this one stalled past its lease) is theirs to record.
            recorded = session.exec(
                update(Notification)
                .where(
                    col(Notification.id) == row.id,
                    col(Notification.state) == SENDING,
                    col(Notification.claimed_by) == row.claimed_by,
                )
                .values(duration_ms=elapsed_ms, lease_until=None, **values)
                .execution_options(synchronize_session=False)
            )
            if recorded.rowcount != 1:
                outcome = "taken-over"
            elif outcome == "sent":
                resolve_problems(session, row, now)
                if row.attempts > 1 and row.channel == "email":  # Telegram keeps retry_after
                    pull_forward(session, row.channel, now)
                summary.sent += 1
            elif outcome.startswith("retry"):
                summary.retrying += 1
                assert error is not None
                flag_problem(session, row, _as_problem(error, DELAYED), now)
                if row.channel == "email":  # one server: everyone waiting on it retries together
                    align_retries(session, row.channel, values["next_attempt_at"])
            else:
                summary.failed += 1
                if error is not None and not error.permanent:
                    resolve_problems(session, row, now, DELAYED)  # no longer being retried
                    flag_problem(session, row, _as_problem(error, GAVE_UP), now)
                elif error is not None and error.problem:
                    flag_problem(session, row, error, now)
                person = self.directory.people.get(row.person_id)
                other = fallback_channel(session, row, error, person, self.channels)
                if other is not None and add_fallback(session, row, now, other):
                    summary.fallbacks += 1
                    outcome = f"failed fallback={other}"
        log.log(
            logging.INFO if outcome == "sent" or outcome.startswith("retry") else logging.WARNING,
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

    def _outcome(
        self, row: Notification, external_id: str | None, error: DeliveryError | None, now: datetime
    ) -> tuple[dict[str, object], str]:
        """The row's new values after an attempt, and the word the log line uses."""
        if error is None:
            return {
                "state": SENT,
                "sent_at": now,
                "external_id": external_id,
                "last_error": None,
            }, ("sent")
        if not error.permanent and self._within_budget(row, now):
            retry_at = self.defer(now + backoff(row.attempts, error.retry_after)).astimezone(UTC)
            values: dict[str, object] = {
                "state": PENDING,
                "next_attempt_at": retry_at,
                "last_error": str(error),
            }
            return values, f"retry next={retry_at.isoformat()}"
        return {"state": FAILED, "last_error": str(error)}, "failed"

    def _within_budget(self, row: Notification, now: datetime) -> bool:
        return self.working_time(row.created_at, now) < self.retry_budget


def _as_problem(error: DeliveryError, problem: str) -> DeliveryError:
    """The server's failure, recorded under `problem` so the digest and `status` show it."""
    return DeliveryError(str(error), permanent=error.permanent, problem=problem)
