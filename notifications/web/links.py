"""The personal link each reminder carries: one occurrence, one person, expiring."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session, select

from notifications.web.deps import WebDeps
from scheduler.models import Occurrence
from scheduler.web_tokens import LINK, issue_token

PersonalLink = Callable[[str, int | str], "str | None"]


def no_link(person_id: str, occurrence: int | str) -> str | None:
    """When the web is off: reminders say how to answer on Telegram or the command line."""
    return None


def link_maker(deps: WebDeps | None) -> PersonalLink:
    """`personal_link(person_id, occurrence) -> str | None`, the occurrence by id or code;
    None when the web is off or no such occurrence exists."""
    if deps is None:
        return no_link
    db: Engine = deps.db

    def personal_link(person_id: str, occurrence: int | str) -> str | None:
        occurrence_id = occurrence if isinstance(occurrence, int) else _id_of(db, occurrence)
        if occurrence_id is None:
            return None
        token = issue_token(
            db,
            deps.secret,
            LINK,
            person_id,
            deps.clock.now(),
            deps.link_lifetime,
            occurrence_id=occurrence_id,
        )
        return deps.url(f"/v/{token}")

    return personal_link


def _id_of(db: Engine, code: str) -> int | None:
    with Session(db) as session:
        return session.exec(select(Occurrence.id).where(Occurrence.code == code)).first()
