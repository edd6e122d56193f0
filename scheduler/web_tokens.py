"""Secrets a browser presents, as state: issued, checked, spent, revoked.

A token is 32 random bytes (URL-safe base64). The table stores only HMAC-SHA256(secret,
token), so neither a copy of the database nor a guess without the secret yields a working
link. Checking costs one indexed lookup; every refusal says why, so the web side can
answer 404 (never issued, tampered), 410 (expired, spent, revoked) or 403 (wrong purpose).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, update
from sqlmodel import Session, col, select

from scheduler.db import session_scope
from scheduler.models import WebToken

LINK = "link"  # a reminder's personal link to one occurrence
LOGIN = "login"  # a one-time sign-in link for the board
SESSION = "session"  # a signed-in browser (the cookie)
FORM = "form"  # one rendering of a form: the CSRF token, spent by its post


class TokenRefused(Exception):
    """Why a token does not open anything; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Grant:
    """What a valid token lets its holder do: act as `person_id` (on `occurrence_id`)."""

    token_id: int
    person_id: str
    occurrence_id: int | None
    parent_id: int | None
    expires_at: datetime


def token_hash(secret: str, token: str) -> str:
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def issue(
    session: Session,
    secret: str,
    purpose: str,
    person_id: str,
    now: datetime,
    lifetime: timedelta,
    *,
    occurrence_id: int | None = None,
    parent_id: int | None = None,
) -> str:
    """A new token; the caller commits the session. Returns the only copy of the secret."""
    token = secrets.token_urlsafe(32)
    session.add(
        WebToken(
            token_hash=token_hash(secret, token),
            purpose=purpose,
            person_id=person_id,
            occurrence_id=occurrence_id,
            parent_id=parent_id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def issue_token(
    db: Engine,
    secret: str,
    purpose: str,
    person_id: str,
    now: datetime,
    lifetime: timedelta,
    *,
    occurrence_id: int | None = None,
    parent_id: int | None = None,
) -> str:
    with session_scope(db) as session:
        return issue(
            session,
            secret,
            purpose,
            person_id,
            now,
            lifetime,
            occurrence_id=occurrence_id,
            parent_id=parent_id,
        )


def _usable(row: WebToken | None, purpose: str, now: datetime) -> WebToken:
    if row is None:
        raise TokenRefused(404, "unknown")
    if row.purpose != purpose:
        raise TokenRefused(403, "purpose")
    if row.revoked_at is not None:
        raise TokenRefused(410, "revoked")
    if row.used_at is not None:
        raise TokenRefused(410, "used")
    if row.expires_at <= now:
        raise TokenRefused(410, "expired")
    return row


def _grant(row: WebToken) -> Grant:
    return Grant(row.id or 0, row.person_id, row.occurrence_id, row.parent_id, row.expires_at)


def check(db: Engine, secret: str, token: str, purpose: str, now: datetime) -> Grant:
    """The grant of a valid, unspent token of `purpose`; TokenRefused otherwise."""
    with Session(db) as session:
        row = session.exec(
            select(WebToken).where(WebToken.token_hash == token_hash(secret, token))
        ).first()
        return _grant(_usable(row, purpose, now))


def spend(db: Engine, secret: str, token: str, purpose: str, now: datetime) -> Grant:
    """Check a one-time token and mark it used, exactly once even under concurrent posts:
    the conditional UPDATE must change one row, else the other request spent it first."""
    with session_scope(db) as session:
        digest = token_hash(secret, token)
        row = _usable(
            session.exec(select(WebToken).where(WebToken.token_hash == digest)).first(),
            purpose,
            now,
        )
        result = session.execute(
            update(WebToken)
            .where(col(WebToken.id) == row.id, col(WebToken.used_at).is_(None))
            .values(used_at=now)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]  # rowcount is on CursorResult; Session.execute is typed as Result
            raise TokenRefused(410, "used")
        return _grant(row)


def revoke(
    db: Engine,
    now: datetime,
    *,
    token_id: int | None = None,
    person_id: str | None = None,
    occurrence_id: int | None = None,
) -> int:
    """Revoke one token, or every live token of a person (and occurrence); returns how many."""
    if token_id is None and person_id is None:
        raise ValueError("revoke needs a token id or a person")
    with session_scope(db) as session:
        query = update(WebToken).where(col(WebToken.revoked_at).is_(None))
        if token_id is not None:
            query = query.where(col(WebToken.id) == token_id)
        if person_id is not None:
            query = query.where(col(WebToken.person_id) == person_id)
        if occurrence_id is not None:
            query = query.where(col(WebToken.occurrence_id) == occurrence_id)
        result = session.execute(query.values(revoked_at=now))
        return int(result.rowcount)  # type: ignore[attr-defined]  # rowcount is on CursorResult; Session.execute is typed as Result


def purge_expired(db: Engine, now: datetime, keep: timedelta = timedelta(days=30)) -> int:
    """Forget tokens that expired more than `keep` ago (housekeeping)."""
    with session_scope(db) as session:
        result = session.execute(delete(WebToken).where(col(WebToken.expires_at) < now - keep))
        return int(result.rowcount)  # type: ignore[attr-defined]  # rowcount is on CursorResult; Session.execute is typed as Result
