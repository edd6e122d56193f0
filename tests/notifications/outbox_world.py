"""An outbox over a real SQLite database, the loopback SMTP server and the fake Bot API:
what the dispatcher tests and the delivery-problem tests share."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from notifications.base import Channel
from notifications.dispatch_record import DispatchSummary
from notifications.dispatcher import Dispatcher
from notifications.email import SmtpChannel
from notifications.ratelimit import RateLimiter
from notifications.render import Renderer
from notifications.telegram import TelegramChannel
from rules.directory import Directory, Person
from scheduler.clock import ManualClock
from scheduler.db import open_database, session_scope
from scheduler.models import (
    DeliveryProblem,
    Notification,
    Occurrence,
    PlanRecord,
    RowRecord,
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
            return list(session.exec(select(Notification).order_by(col(Notification.id))))

    def problems(self) -> list[tuple[str, str, str, bool]]:
        with Session(self.db) as session:
            return [
                (p.person_id, p.channel, p.problem, p.resolved_at is None)
                for p in session.exec(select(DeliveryProblem).order_by(col(DeliveryProblem.id)))
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
