"""Web tokens as state: stored hashed, bound, expiring, spent once, revocable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from scheduler.models import WebToken
from scheduler.web_tokens import (
    FORM,
    LINK,
    LOGIN,
    TokenRefused,
    check,
    issue_token,
    purge_expired,
    revoke,
    spend,
)

NOW = datetime(2024, 7, 1, 1, 30, tzinfo=UTC)
SECRET = "s" * 32
DAY = timedelta(days=1)


def refusal(call: Callable[[], object]) -> tuple[int, str]:
    with pytest.raises(TokenRefused) as caught:
        call()
    return caught.value.status, caught.value.reason


def test_it_stores_only_a_keyed_hash(db: Engine) -> None:
    token = issue_token(db, SECRET, LINK, "ktht", NOW, DAY)
    with Session(db) as session:
        stored = session.exec(select(WebToken)).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert check(db, SECRET, token, LINK, NOW).person_id == "ktht"
    assert refusal(lambda: check(db, "other-secret" * 3, token, LINK, NOW)) == (404, "unknown")


def test_it_refuses_tampered_expired_revoked_and_wrong_purpose(db: Engine) -> None:
    token = issue_token(db, SECRET, LINK, "ktht", NOW, DAY)
    assert refusal(lambda: check(db, SECRET, token[:-1] + "x", LINK, NOW))[0] == 404
    assert refusal(lambda: check(db, SECRET, token, LINK, NOW + DAY)) == (410, "expired")
    assert refusal(lambda: check(db, SECRET, token, LOGIN, NOW)) == (403, "purpose")
    assert revoke(db, NOW, person_id="ktht") == 1
    assert refusal(lambda: check(db, SECRET, token, LINK, NOW)) == (410, "revoked")


def test_it_spends_a_one_time_token_once(db: Engine) -> None:
    token = issue_token(db, SECRET, FORM, "ktht", NOW, DAY, occurrence_id=None, parent_id=7)
    grant = spend(db, SECRET, token, FORM, NOW)
    assert grant.parent_id == 7
    assert refusal(lambda: spend(db, SECRET, token, FORM, NOW)) == (410, "used")
    assert refusal(lambda: check(db, SECRET, token, FORM, NOW)) == (410, "used")


def test_it_forgets_long_expired_tokens(db: Engine) -> None:
    issue_token(db, SECRET, LINK, "ktht", NOW - 90 * DAY, DAY)
    live = issue_token(db, SECRET, LINK, "ktht", NOW, DAY)
    assert purge_expired(db, NOW) == 1
    assert check(db, SECRET, live, LINK, NOW).person_id == "ktht"
