"""A group that became a supergroup: the reminder goes to the new chat and the link follows."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from scheduler.models import SENT, TelegramLink
from tests.notifications.outbox_world import AN, Outbox

NEW_CHAT = -1005550001


def test_it_resends_to_the_migrated_chat_and_moves_the_link(outbox: Outbox) -> None:
    with Session(outbox.db) as session:
        session.add(
            TelegramLink(chat_id=1001, person_id=AN, linked_at=datetime(2024, 1, 2, tzinfo=UTC))
        )
        session.commit()
    row_id = outbox.add(AN, "telegram")
    outbox.bot_api.fail(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        chat_id=1001,
        migrate_to=NEW_CHAT,
    )

    summary = outbox.dispatch()

    row = outbox.row(row_id)
    assert summary.sent == 1 and row.state == SENT
    assert (row.external_id or "").startswith(f"{NEW_CHAT}:")
    with Session(outbox.db) as session:
        assert [link.chat_id for link in session.exec(select(TelegramLink))] == [NEW_CHAT]
