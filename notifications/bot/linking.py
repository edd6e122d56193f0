"""Binding Telegram chats to people and units with one-time invite codes.

A person's code links a private chat; a unit's code links a group chat. A code is claimed
with a conditional UPDATE (unused and unexpired -> used), so it works exactly once even
if two chats send it at the same moment. Linking a chat ends the earlier links of the
same person or unit and of the same chat: the newest binding is the only one.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, or_, update
from sqlmodel import Session, col, select

from notifications.bot.deps import Actor
from rules.directory import Directory
from scheduler.audit import audit
from scheduler.codes import ALPHABET
from scheduler.db import session_scope
from scheduler.models import InviteCode, TelegramLink
from scheduler.service import ServiceError

INVITE_LENGTH = 10  # ~49 bits from the look-alike-free alphabet: unguessable, still typeable
DEFAULT_HOURS = 72


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(INVITE_LENGTH))


def create_invite(
    db: Engine,
    directory: Directory,
    now: datetime,
    *,
    person_id: str | None = None,
    unit_id: str | None = None,
    hours: int = DEFAULT_HOURS,
    by: str = "cli",
) -> InviteCode:
    """A fresh one-time code for a person (private chat) or a unit (group chat)."""
    if (person_id is None) == (unit_id is None):
        raise ServiceError("Cần chọn đúng một: một người hoặc một đơn vị.")
    if person_id is not None and person_id not in directory.people:
        raise ServiceError(f"Không có người «{person_id}» trong danh bạ (config.toml [[people]]).")
    if unit_id is not None and unit_id not in directory.units:
        raise ServiceError(f"Không có đơn vị «{unit_id}» trong danh bạ (config.toml [[units]]).")
    if hours < 1:
        raise ServiceError("Thời hạn của mã phải ít nhất 1 giờ.")
    invite = InviteCode(
        code=new_code(),
        person_id=person_id,
        unit_id=unit_id,
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    with session_scope(db) as session:
        session.add(invite)
        audit(
            session,
            now,
            by,
            "telegram-invite",
            f"person:{person_id}" if person_id else f"unit:{unit_id}",
            {"expires_at": invite.expires_at},
        )
    return invite


def redeem_invite(
    db: Engine, directory: Directory, code: str, chat_id: int, private: bool, now: datetime, by: str
) -> TelegramLink:
    """Bind `chat_id` with `code`; ServiceError (Vietnamese) when the code cannot be used."""
    code = code.strip().upper()
    with session_scope(db) as session:
        invite = session.get(InviteCode, code) if code else None
        _check_invite(invite, directory, private, now)
        assert invite is not None
        claimed = session.exec(
            update(InviteCode)
            .where(
                col(InviteCode.code) == code,
                col(InviteCode.used_at).is_(None),
                col(InviteCode.expires_at) > now,
            )
            .values(used_at=now, used_by_chat=chat_id)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            raise ServiceError("Mã liên kết này đã được dùng.")
        _end_links(session, now, chat_id, invite.person_id, invite.unit_id)
        link = TelegramLink(
            chat_id=chat_id, person_id=invite.person_id, unit_id=invite.unit_id, linked_at=now
        )
        session.add(link)
        audit(
            session,
            now,
            invite.person_id or by,
            "telegram-linked",
            f"person:{invite.person_id}" if invite.person_id else f"unit:{invite.unit_id}",
            {"chat_id": chat_id, "code": code, "by": by},
        )
        return link


def _check_invite(
    invite: InviteCode | None, directory: Directory, private: bool, now: datetime
) -> None:
    if invite is None:
        raise ServiceError("Mã liên kết không đúng. Hãy kiểm tra lại hoặc xin mã mới.")
    if invite.used_at is not None:
        raise ServiceError(
            "Mã liên kết này đã được dùng. Mỗi mã chỉ dùng được một lần; hãy xin mã mới."
        )
    if invite.expires_at <= now:
        raise ServiceError("Mã liên kết đã hết hạn. Hãy xin mã mới.")
    if invite.unit_id is not None and private:
        raise ServiceError(
            "Mã này dành cho nhóm Telegram của đơn vị: hãy thêm bot vào nhóm "
            "rồi gửi /start MÃ trong nhóm."
        )
    if invite.person_id is not None and not private:
        raise ServiceError(
            "Mã này dành cho một người: hãy gửi /start MÃ trong tin nhắn "
            "riêng với bot, không gửi trong nhóm."
        )
    if (invite.person_id and invite.person_id not in directory.people) or (
        invite.unit_id and invite.unit_id not in directory.units
    ):
        raise ServiceError("Người hoặc đơn vị của mã này không còn trong danh bạ.")


def _end_links(
    session: Session, now: datetime, chat_id: int, person_id: str | None, unit_id: str | None
) -> None:
    same: list[ColumnElement[bool]] = [col(TelegramLink.chat_id) == chat_id]
    if person_id is not None:
        same.append(col(TelegramLink.person_id) == person_id)
    if unit_id is not None:
        same.append(col(TelegramLink.unit_id) == unit_id)
    session.exec(
        update(TelegramLink)
        .where(col(TelegramLink.unlinked_at).is_(None), or_(*same))
        .values(unlinked_at=now)
        .execution_options(synchronize_session=False)
    )


def unlink(
    db: Engine, now: datetime, by: str, *, person_id: str | None = None, unit_id: str | None = None
) -> int:
    """End the active links of a person or a unit; returns how many ended."""
    with session_scope(db) as session:
        links = session.exec(
            select(TelegramLink).where(
                col(TelegramLink.unlinked_at).is_(None),
                col(TelegramLink.person_id) == person_id
                if person_id
                else col(TelegramLink.unit_id) == unit_id,
            )
        ).all()
        for link in links:
            link.unlinked_at = now
            session.add(link)
        if links:
            audit(
                session,
                now,
                by,
                "telegram-unlinked",
                f"person:{person_id}" if person_id else f"unit:{unit_id}",
                {"chats": [link.chat_id for link in links]},
            )
        return len(links)


def active_links(db: Engine) -> list[TelegramLink]:
    with Session(db) as session:
        return list(
            session.exec(
                select(TelegramLink)
                .where(col(TelegramLink.unlinked_at).is_(None))
                .order_by(col(TelegramLink.linked_at))
            )
        )


def resolve_actor(
    db: Engine, directory: Directory, chat_id: int, private: bool, sender_id: int
) -> Actor | None:
    """Who this chat acts as, or None when it is not linked (or its link no longer resolves)."""
    with Session(db) as session:
        link = _active_link(session, chat_id)
        if link is None:
            return None
        if private:
            if link.person_id and link.person_id in directory.people:
                return Actor(link.person_id, chat_id, sender_id)
            return None
        if not link.unit_id or link.unit_id not in directory.units:
            return None
        sender = _active_link(session, sender_id)  # a private chat's id is the user's id
    if sender is not None and sender.person_id in directory.people:
        return Actor(sender.person_id, chat_id, sender_id, unit_id=link.unit_id)
    head = directory.unit_head(link.unit_id)
    if not head:
        return None
    return Actor(head[0].id, chat_id, sender_id, unit_id=link.unit_id, as_unit_head=True)


def _active_link(session: Session, chat_id: int) -> TelegramLink | None:
    return session.exec(
        select(TelegramLink)
        .where(col(TelegramLink.chat_id) == chat_id, col(TelegramLink.unlinked_at).is_(None))
        .order_by(col(TelegramLink.linked_at).desc())
    ).first()


def deep_link(bot_username: str, code: str, *, group: bool) -> str:
    """t.me link that sends `/start CODE` (or adds the bot to a group and sends it there)."""
    return f"https://t.me/{bot_username}?{'startgroup' if group else 'start'}={code}"
