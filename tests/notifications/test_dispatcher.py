from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from notifications.base import Channel, DeliveryResult, OutgoingMessage
from notifications.dispatcher import Dispatcher, DispatchSummary
from notifications.email import SmtpChannel
from notifications.mime import message_id
from notifications.ratelimit import RateLimiter
from notifications.render import Renderer
from notifications.telegram import TelegramChannel
from rules.directory import Directory, Person
from scheduler.clock import ManualClock
from scheduler.db import open_database, session_scope
from scheduler.models import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    DeliveryProblem,
    Notification,
    Occurrence,
    PlanRecord,
    RowRecord,
    TelegramLink,
)
from tests.fakes.bot_api import TOKEN, FakeBotApi
from tests.fakes.database import database_url
from tests.fakes.smtp_server import SMTP_PASSWORD, FakeSmtpServer
from tests.notifications.sample import SAMPLE_CONTEXT
from tests.notifications.test_ratelimit import VirtualTime

NOW = datetime(2024, 8, 23, 1, 0, tzinfo=UTC)  # 08:00 in Asia/Ho_Chi_Minh
AN, BINH, CHI, DUNG = "nguyen-van-an", "tran-thi-binh", "le-thi-chi", "pham-van-dung"
DIRECTORY = Directory(
    people=(
        Person(AN, "Nguyễn Văn An", None, "an.nv@namdong.example.vn", 1001),
        Person(BINH, "Trần Thị Bình", None, "binh.tt@namdong.example.vn", None),
        Person(CHI, "Lê Thị Chi", None, None, 1003),
        Person(DUNG, "Phạm Văn Dũng", None, None, None),
    )
)


@dataclass
class Outbox:
    db: Engine
    clock: ManualClock
    smtp: FakeSmtpServer
    bot_api: FakeBotApi
    occurrence_id: int

    def add(
        self,
        person: str,
        channel: str,
        *,
        level: int = 2,
        key: str | None = None,
        template: str = "reminder_before",
        **fields: Any,
    ) -> int:
        row = Notification(
            key=key or f"occ{self.occurrence_id}/L{level}/{person}/{channel}",
            occurrence_id=self.occurrence_id,
            step="truoc-5-ngay",
            person_id=person,
            channel=channel,
            template=template,
            context_json=json.dumps(SAMPLE_CONTEXT),
            next_attempt_at=fields.pop("next_attempt_at", self.clock.now()),
            created_at=fields.pop("created_at", self.clock.now()),
            **fields,
        )
        with session_scope(self.db) as session:
            session.add(row)
            session.flush()
            assert row.id is not None
            return row.id

    def row(self, row_id: int) -> Notification:
        with Session(self.db) as session:
            found = session.get(Notification, row_id)
            assert found is not None
            return found

    def rows(self) -> list[Notification]:
        with Session(self.db) as session:
            return list(session.exec(select(Notification).order_by(Notification.id)))

    def problems(self) -> list[tuple[str, str, str, bool]]:
        with Session(self.db) as session:
            return [
                (p.person_id, p.channel, p.problem, p.resolved_at is None)
                for p in session.exec(select(DeliveryProblem).order_by(DeliveryProblem.id))
            ]

    def channels(self) -> dict[str, Channel]:
        time = VirtualTime()  # Telegram pacing runs on virtual time: nothing sleeps
        return {
            "email": SmtpChannel(
                self.smtp.config(),
                sender="nhacviec@namdong.example.vn",
                sender_name="Nhắc việc ISO",
                password=SMTP_PASSWORD,
                tls_context=self.smtp.client_context(),
            ),
            "telegram": TelegramChannel(
                TOKEN,
                base_url=self.bot_api.base_url,
                timeout=2.0,
                monotonic=time.monotonic,
                limiter=RateLimiter(monotonic=time.monotonic, sleep=time.sleep),
            ),
        }

    def dispatcher(self, channels: dict[str, Channel] | None = None, **options: Any) -> Dispatcher:
        return Dispatcher(
            self.db, channels or self.channels(), Renderer(), DIRECTORY, self.clock, **options
        )

    def dispatch(self, **options: Any) -> DispatchSummary:
        dispatcher = self.dispatcher(**options)

        async def once() -> DispatchSummary:
            try:
                return await dispatcher.dispatch_due()
            finally:
                for channel in dispatcher.channels.values():
                    await channel.close()

        return asyncio.run(once())


def _occurrence(db: Engine) -> int:
    with session_scope(db) as session:
        plan = PlanRecord(
            key="nam-dong-2024.docx",
            year=2024,
            source_file="nam-dong-2024.docx",
            content_hash="0" * 64,
            loaded_at=NOW,
        )
        session.add(plan)
        session.flush()
        row = RowRecord(
            plan_id=plan.id or 0,
            identity="i-3",
            ref="I.3",
            section="I",
            section_title="…",
            task="Xây dựng chương trình ĐGNB",
            lead_text="Phòng Kinh tế và Hạ tầng",
            coordinating_text="",
            timing_text="Trước ngày 30 tháng 8 hàng năm",
            monitors_text="QMR",
            evidence_json="[]",
        )
        session.add(row)
        session.flush()
        occurrence = Occurrence(
            code="K7M2Q",
            row_id=row.id or 0,
            deadline_key="yearly-2024",
            kind="yearly",
            due_on=date(2024, 8, 30),
            created_at=NOW,
        )
        session.add(occurrence)
        session.flush()
        return occurrence.id or 0


@pytest.fixture
def outbox(tmp_path: Path, smtp_server: FakeSmtpServer, bot_api: FakeBotApi) -> Iterator[Outbox]:
    db = open_database(database_url(tmp_path, "outbox"))
    yield Outbox(db, ManualClock(NOW), smtp_server, bot_api, _occurrence(db))
    db.dispose()


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


def test_it_fails_a_bounced_address_and_flags_the_person(outbox: Outbox) -> None:
    row_id = outbox.add(BINH, "email")
    outbox.smtp.fail("rcpt", 550, "5.1.1 Mailbox does not exist")

    assert outbox.dispatch().failed == 1

    assert outbox.row(row_id).state == FAILED
    assert outbox.problems() == [(BINH, "email", "bounced", True)]
    assert outbox.smtp.messages == []


def test_it_falls_back_to_email_when_the_bot_is_blocked(outbox: Outbox) -> None:
    row_id = outbox.add(AN, "telegram")  # a Telegram-only step
    outbox.bot_api.fail("sendMessage", 403)

    summary = outbox.dispatch()

    assert (summary.failed, summary.fallbacks, summary.sent) == (1, 1, 1)
    blocked = outbox.row(row_id)
    fallback = outbox.rows()[-1]
    assert blocked.state == FAILED and "blocked" in (blocked.last_error or "")
    assert fallback.key == blocked.key + "/email-fallback"
    assert fallback.channel == "email" and fallback.state == SENT
    assert outbox.problems() == [(AN, "telegram", "blocked", True)]
    [mail] = outbox.smtp.messages
    assert mail.rcpt_tos == ["an.nv@namdong.example.vn"]


def test_it_does_not_fall_back_when_the_step_already_emails_the_person(outbox: Outbox) -> None:
    outbox.add(AN, "email")
    outbox.add(AN, "telegram")
    outbox.bot_api.fail("sendMessage", 403)

    summary = outbox.dispatch()

    assert summary.fallbacks == 0
    assert len(outbox.rows()) == 2
    assert len(outbox.smtp.messages) == 1


def test_it_flags_people_who_have_no_address_for_a_channel(outbox: Outbox) -> None:
    email_id = outbox.add(DUNG, "email")
    telegram_id = outbox.add(DUNG, "telegram")

    assert outbox.dispatch().failed == 2

    assert outbox.row(email_id).state == outbox.row(telegram_id).state == FAILED
    assert sorted(outbox.problems()) == [
        (DUNG, "email", "no-channel", True),
        (DUNG, "telegram", "no-channel", True),
    ]
    assert outbox.smtp.connections == 0 and outbox.bot_api.requests == []


def test_it_marks_a_problem_resolved_when_a_later_send_succeeds(outbox: Outbox) -> None:
    outbox.add(BINH, "email", level=1)
    outbox.smtp.fail("rcpt", 550)
    outbox.dispatch()
    outbox.add(BINH, "email", level=2)

    outbox.dispatch()

    assert outbox.problems() == [(BINH, "email", "bounced", False)]


def test_it_uses_the_chat_linked_through_the_bot(outbox: Outbox) -> None:
    row_id = outbox.add(BINH, "telegram")
    with session_scope(outbox.db) as session:
        session.add(TelegramLink(chat_id=2002, person_id=BINH, linked_at=NOW))

    outbox.dispatch()

    assert outbox.row(row_id).external_id == "2002:1"


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


def test_it_fails_a_row_for_someone_no_longer_in_the_directory(outbox: Outbox) -> None:
    row_id = outbox.add("nguoi-da-chuyen-cong-tac", "email")

    outbox.dispatch()

    assert outbox.row(row_id).state == FAILED
    assert outbox.problems() == [("nguoi-da-chuyen-cong-tac", "email", "unknown-person", True)]


def test_it_never_creates_a_second_fallback_for_the_same_row(outbox: Outbox) -> None:
    blocked = outbox.add(AN, "telegram")
    key = outbox.row(blocked).key
    outbox.add(AN, "email", key=key + "/email-fallback", state="cancelled")
    outbox.bot_api.fail("sendMessage", 403)

    summary = outbox.dispatch()

    assert summary.failed == 1 and summary.fallbacks == 0
    assert outbox.row(blocked).state == FAILED  # recorded, not stuck in 'sending'
