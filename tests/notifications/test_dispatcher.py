"""The dispatcher: claims, sends, retries, recovers, and never raises."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from notifications.base import Channel, DeliveryResult, OutgoingMessage
from notifications.dispatch_record import DispatchSummary
from notifications.mime import message_id
from scheduler.models import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
)
from tests.notifications.outbox_world import AN, CHI, DUNG, NOW, Outbox


def test_it_sends_due_rows_and_records_the_results(outbox: Outbox) -> None:
    email_id = outbox.add(AN, "email")
    telegram_id = outbox.add(AN, "telegram")

    summary = outbox.dispatch()

    assert summary.sent == 2 and summary.attempted == 2
    email_row, telegram_row = outbox.row(email_id), outbox.row(telegram_id)
    assert email_row.state == telegram_row.state == SENT
    assert email_row.sent_at == NOW and email_row.attempts == 1
    assert email_row.external_id == message_id(email_row.key, "namdong.example.vn")
    assert telegram_row.external_id == "1001:1"
    assert email_row.duration_ms is not None and email_row.last_error is None
    assert outbox.smtp.messages[0].message["Subject"].startswith("[Nhắc việc] Còn 7 ngày")
    assert outbox.bot_api.calls("sendMessage")[0].params["reply_markup"]


def test_it_dates_an_email_by_the_engines_clock_so_a_replay_agrees_with_its_body(
    outbox: Outbox,
) -> None:
    outbox.add(AN, "email")
    outbox.dispatch()
    sent = outbox.smtp.messages[0].message
    # NOW is the test's virtual clock in 2024, not the machine's date.
    assert parsedate_to_datetime(sent["Date"]) == NOW


def test_it_leaves_rows_that_are_not_due_yet(outbox: Outbox) -> None:
    later = outbox.add(AN, "email", next_attempt_at=NOW + timedelta(minutes=1))

    assert outbox.dispatch().attempted == 0
    assert outbox.row(later).state == PENDING and outbox.row(later).attempts == 0


def test_it_sends_the_email_rows_of_a_run_through_one_connection(outbox: Outbox) -> None:
    for level in range(6):
        outbox.add(AN, "email", level=level)

    assert outbox.dispatch().sent == 6
    assert outbox.smtp.connections == 1


def test_it_retries_a_transient_failure_later_and_sends_once(outbox: Outbox) -> None:
    row_id = outbox.add(AN, "email")
    outbox.smtp.fail("data", 451, "Greylisted")

    first = outbox.dispatch()
    row = outbox.row(row_id)
    assert first.retrying == 1
    assert row.state == PENDING and row.attempts == 1
    assert row.next_attempt_at == NOW + timedelta(minutes=2)
    assert "451" in (row.last_error or "")

    assert outbox.dispatch().attempted == 0  # not before its time
    outbox.clock.advance(timedelta(minutes=2))
    assert outbox.dispatch().sent == 1

    assert outbox.row(row_id).state == SENT and outbox.row(row_id).attempts == 2
    assert len(outbox.smtp.messages) == 1


def test_it_backs_off_exponentially_into_the_sending_window(outbox: Outbox) -> None:
    row_id = outbox.add(AN, "email", attempts=3)
    outbox.smtp.fail("mail", 421, "Service not available")
    next_morning = datetime(2024, 8, 26, 0, 30, tzinfo=UTC)

    outbox.dispatch(defer=lambda instant: max(instant, next_morning))

    row = outbox.row(row_id)
    assert row.attempts == 4 and row.state == PENDING
    assert row.next_attempt_at == next_morning  # 16 minutes later, moved to Monday 07:30


def test_it_honours_telegram_retry_after(outbox: Outbox) -> None:
    row_id = outbox.add(CHI, "telegram")
    outbox.bot_api.fail("sendMessage", 429, retry_after=600)

    outbox.dispatch()

    assert outbox.row(row_id).next_attempt_at == NOW + timedelta(seconds=600)


def test_it_gives_up_when_the_retry_budget_is_spent(outbox: Outbox) -> None:
    row_id = outbox.add(AN, "email")
    outbox.smtp.fail("data", 451, times=None)

    outbox.dispatch(retry_budget=timedelta(minutes=30))
    outbox.clock.advance(timedelta(hours=1))
    summary = outbox.dispatch(retry_budget=timedelta(minutes=30))

    assert summary.failed == 1
    assert outbox.row(row_id).state == FAILED and outbox.row(row_id).attempts == 2
    # The server's trouble, not the person's address: reported, as delayed then given up.
    assert outbox.problems() == [(AN, "email", "delayed", False), (AN, "email", "gave-up", True)]


def test_it_claims_each_row_once_when_two_dispatchers_race(outbox: Outbox) -> None:
    for level in range(5):
        outbox.add(AN, "email", level=level)
        outbox.add(CHI, "telegram", level=level)
    first, second = outbox.dispatcher(), outbox.dispatcher()

    async def race() -> list[DispatchSummary]:
        results = await asyncio.gather(first.dispatch_due(), second.dispatch_due())
        for channel in [*first.channels.values(), *second.channels.values()]:
            await channel.close()
        return list(results)

    summaries = asyncio.run(race())

    assert sum(s.sent for s in summaries) == 10
    assert len(outbox.smtp.messages) == 5
    assert len(outbox.bot_api.calls("sendMessage")) == 5
    assert all(r.attempts == 1 for r in outbox.rows())


def test_it_requeues_rows_a_crash_left_sending(outbox: Outbox) -> None:
    stale = outbox.add(
        AN, "email", level=1, state=SENDING, attempts=1, next_attempt_at=NOW - timedelta(minutes=30)
    )
    fresh = outbox.add(
        AN, "email", level=2, state=SENDING, attempts=1, next_attempt_at=NOW - timedelta(minutes=1)
    )
    dispatcher = outbox.dispatcher()

    assert asyncio.run(dispatcher.recover()) == 1

    assert outbox.row(stale).state == PENDING and outbox.row(fresh).state == SENDING
    assert outbox.dispatch().sent == 1
    assert outbox.row(stale).state == SENT and outbox.row(stale).attempts == 2


def test_it_fails_a_row_a_crash_interrupted_too_often(outbox: Outbox) -> None:
    row_id = outbox.add(
        AN, "email", state=SENDING, attempts=8, next_attempt_at=NOW - timedelta(hours=1)
    )

    asyncio.run(outbox.dispatcher().recover())

    assert outbox.row(row_id).state == FAILED


class Exploding(Channel):
    name = "email"

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        raise RuntimeError("a bug in a channel")


def test_it_never_raises_into_the_caller(outbox: Outbox) -> None:
    buggy = outbox.add(AN, "email")
    bad_template = outbox.add(CHI, "telegram", template="no_such_template")
    no_channel = outbox.add(AN, "sms")

    summary = outbox.dispatch(
        channels={"email": Exploding(), **{"telegram": outbox.channels()["telegram"]}}
    )

    assert summary.retrying == 2 and summary.failed == 1
    assert "a bug in a channel" in (outbox.row(buggy).last_error or "")
    assert "no_such_template" in (outbox.row(bad_template).last_error or "")
    assert outbox.row(no_channel).state == FAILED


def test_it_logs_one_line_per_notification(
    outbox: Outbox, caplog: pytest.LogCaptureFixture
) -> None:
    outbox.add(AN, "email")
    outbox.add(DUNG, "email")

    with caplog.at_level(logging.INFO, logger="nhacviec.dispatch"):
        outbox.dispatch()

    lines = [r for r in caplog.records if r.name == "nhacviec.dispatch"]
    assert len(lines) == 2
    assert "outcome=sent" in lines[0].getMessage()
    assert "outcome=failed" in lines[1].getMessage() and lines[1].levelno == logging.WARNING


def test_it_does_not_send_cancelled_or_sent_rows(outbox: Outbox) -> None:
    outbox.add(AN, "email", level=1, state="cancelled")
    outbox.add(AN, "email", level=2, state=SENT)

    assert outbox.dispatch().attempted == 0
    assert outbox.smtp.messages == []


def test_it_puts_a_row_back_at_once_when_a_shutdown_interrupts_its_send(outbox: Outbox) -> None:
    row_id = outbox.add(CHI, "telegram")
    outbox.bot_api.slow("sendMessage", 5.0)
    dispatcher = outbox.dispatcher()

    async def interrupted() -> None:
        task = asyncio.create_task(dispatcher.dispatch_due())
        for _ in range(500):  # until the request is on the (slow) server
            if outbox.bot_api.calls("sendMessage"):
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await dispatcher.channels["telegram"].close()

    asyncio.run(interrupted())

    row = outbox.row(row_id)
    assert row.state == PENDING and row.attempts == 1
    assert "bị ngắt" in (row.last_error or "")
