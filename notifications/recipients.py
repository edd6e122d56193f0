"""Who a row goes to: the directory's person, with the Telegram chat they linked; and the
link following a chat that Telegram migrated. Both touch the database: call them in a
worker thread, never on the event loop."""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlmodel import Session

from notifications.base import NO_CHANNEL, DeliveryError, Recipient
from rules.directory import Directory
from scheduler.db import session_scope
from scheduler.models import Notification
from scheduler.people import linked_chat, migrate_chat

log = logging.getLogger("nhacviec.dispatch")

UNKNOWN_PERSON = "unknown-person"


def recipient_of(db: Engine, directory: Directory, row: Notification) -> Recipient:
    """The row's recipient; DeliveryError (permanent) when they cannot be reached by it."""
    person = directory.people.get(row.person_id)
    if person is None:
        raise DeliveryError(
            f"'{row.person_id}' không có trong danh bạ", permanent=True, problem=UNKNOWN_PERSON
        )
    chat_id = person.telegram_chat_id
    if row.channel == "telegram":  # only Telegram needs the chat: spare email rows a query
        with Session(db) as session:
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


def follow_migration(db: Engine, recipient: Recipient, external_id: str | None) -> None:
    """Telegram answered from another chat (a group that became a supergroup): the
    person's link follows, so the next message goes to the new chat directly."""
    old = recipient.telegram_chat_id
    chat = (external_id or "").partition(":")[0]
    if old is None or not chat.lstrip("-").isdigit() or int(chat) == old:
        return
    with session_scope(db) as session:
        moved = migrate_chat(session, old, int(chat))
    log.warning("chat %s migrated to %s: %d link(s) moved", old, chat, moved)
