"""Who a reminder reaches on Telegram: the chat a person linked, newest first, ended ones not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from scheduler.db import open_database
from scheduler.models import TelegramLink
from scheduler.people import linked_chat, linked_chats
from tests.fakes.database import database_url


def test_it_takes_the_newest_link_and_ignores_ended_ones(tmp_path: Path) -> None:
    db = open_database(database_url(tmp_path, "p"))
    start = datetime(2024, 1, 2, tzinfo=UTC)
    with Session(db) as session:
        session.add(TelegramLink(chat_id=111, person_id="an", linked_at=start))
        session.add(TelegramLink(chat_id=222, person_id="an", linked_at=start + timedelta(days=1)))
        session.add(
            TelegramLink(
                chat_id=333,
                person_id="an",
                linked_at=start + timedelta(days=2),
                unlinked_at=start + timedelta(days=3),
            )
        )
        session.add(TelegramLink(chat_id=-900, unit_id="ktht", linked_at=start))
        session.commit()
        assert linked_chat(session, "an") == 222
        assert linked_chat(session, "binh") is None
        assert linked_chats(session) == {"an": 222}
