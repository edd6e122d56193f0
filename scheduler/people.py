"""Who a notification goes to, and on which channels they can be reached."""

from __future__ import annotations

import json
from functools import lru_cache

from sqlmodel import Session, col, select

from rules.audience import MonitorScope, hearers
from rules.directory import Directory, Person
from rules.escalation import Step
from scheduler.due import DueOccurrence
from scheduler.models import Occurrence, RowRecord, TelegramLink


def linked_chats(session: Session) -> dict[str, int]:
    """Person id -> the Telegram chat they linked through the bot (newest link wins)."""
    links = session.exec(
        select(TelegramLink)
        .where(
            col(TelegramLink.person_id).is_not(None),
            col(TelegramLink.unlinked_at).is_(None),
        )
        .order_by(col(TelegramLink.linked_at))
    )
    return {link.person_id: link.chat_id for link in links if link.person_id}


def linked_chat(session: Session, person_id: str) -> int | None:
    """The chat one person linked through the bot (newest link), if any."""
    return session.exec(
        select(TelegramLink.chat_id)
        .where(col(TelegramLink.person_id) == person_id, col(TelegramLink.unlinked_at).is_(None))
        .order_by(col(TelegramLink.linked_at).desc())
        .limit(1)
    ).first()


def chat_id_for(person: Person, linked: dict[str, int]) -> int | None:
    return linked.get(person.id, person.telegram_chat_id)


@lru_cache(maxsize=4096)
def _names(listed: str) -> tuple[str, ...]:
    """A row's JSON list of ids, decoded once per distinct text, not once per firing."""
    return tuple(json.loads(listed))


def monitor_scope_of(row: RowRecord) -> MonitorScope:
    return MonitorScope(_names(row.monitors_json), _names(row.monitor_units_json))


def audience(
    directory: Directory, step: Step, occurrence: Occurrence | DueOccurrence, row: RowRecord
) -> list[tuple[Person, str]]:
    """(person, why they receive it) for a step, each person once, in audience order."""
    found = hearers(
        directory,
        step.audience,
        occurrence.unit_id,
        _names(row.coordinating_json),
        monitor_scope_of(row),
    )
    return [(h.person, h.reason) for h in found]


def channels_for(person: Person, wanted: tuple[str, ...], linked: dict[str, int]) -> list[str]:
    """The step's channels this person can be reached on; the first wanted one when none,
    so the dispatcher records that the person has no way to be reached."""
    reachable = [
        c
        for c in wanted
        if (c == "email" and person.email)
        or (c == "telegram" and chat_id_for(person, linked) is not None)
    ]
    return reachable or list(wanted[:1])


def migrate_chat(session: Session, old_chat_id: int, new_chat_id: int) -> int:
    """A Telegram group became a supergroup: its active links move to the new chat id."""
    links = session.exec(
        select(TelegramLink).where(
            col(TelegramLink.chat_id) == old_chat_id, col(TelegramLink.unlinked_at).is_(None)
        )
    ).all()
    for link in links:
        link.chat_id = new_chat_id
        session.add(link)
    return len(links)
