"""The personal link each reminder carries: one occurrence, one person, expiring."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from notifications.web.deps import WebDeps
from scheduler.web_tokens import LINK, issue_token

PersonalLink = Callable[[str, int], "str | None"]


def no_link(person_id: str, occurrence_id: int) -> str | None:
    """When the web is off: reminders say how to answer on Telegram or the command line."""
    return None


def link_maker(deps: WebDeps | None) -> PersonalLink:
    """`personal_link(person_id, occurrence_id) -> str | None`; None when the web is off."""
    if deps is None:
        return no_link
    db: Engine = deps.db

    def personal_link(person_id: str, occurrence_id: int) -> str | None:
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
