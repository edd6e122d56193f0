"""Who is asking: a personal link, a session cookie, and the one-time form tokens (CSRF).

A form token is issued with each rendering of a form, bound to the person, the
occurrence and the link or session that rendered it, and spent by the post: a missing
one is 403, a foreign one 403, a spent one 410. Failed link lookups count against the
client's address; past the limit every lookup is 429 without touching the database.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from starlette.datastructures import FormData
from starlette.requests import Request

from notifications.web.deps import FORM_LIFETIME, WebDeps
from notifications.web.pages import client_address
from scheduler.web_tokens import FORM, SESSION, Grant, TokenRefused, check, issue_token, spend

SESSION_COOKIE = "nhacviec_phien"
_FORM_REASONS = {"used": "form-used", "expired": "form-expired"}


class Refusal(Exception):
    """Stop the request with the refusal page `reason` (a key of pages.REFUSALS)."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


async def lookup(deps: WebDeps, request: Request, token: str, purpose: str) -> Grant:
    client = client_address(request)
    if deps.limiter.blocked(client):
        raise Refusal("too-many")
    try:
        return await asyncio.to_thread(
            check, deps.db, deps.secret, token, purpose, deps.clock.now()
        )
    except TokenRefused as exc:
        if exc.status == 404:
            deps.limiter.failed(client)
        raise Refusal(exc.reason) from None


async def signed_in(deps: WebDeps, request: Request) -> Grant:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Refusal("signed-out")
    try:
        return await lookup(deps, request, token, SESSION)
    except Refusal as exc:
        raise Refusal("too-many" if exc.reason == "too-many" else "signed-out") from None


async def new_form(deps: WebDeps, grant: Grant, occurrence_id: int | None = None) -> str:
    return await asyncio.to_thread(
        issue_token,
        deps.db,
        deps.secret,
        FORM,
        grant.person_id,
        deps.clock.now(),
        FORM_LIFETIME,
        occurrence_id=occurrence_id if occurrence_id is not None else grant.occurrence_id,
        parent_id=grant.token_id,
    )


async def check_form(
    deps: WebDeps,
    form: FormData,
    grant: Grant,
    now: datetime,
    *,
    occurrence_id: int | None = None,
    spend_it: bool = False,
) -> Grant:
    """The form's token belongs to this link or session (and occurrence), and is unspent."""
    value = form.get("csrf")
    if not isinstance(value, str) or not value:
        raise Refusal("form-missing")
    action = spend if spend_it else check
    try:
        form_grant = await asyncio.to_thread(action, deps.db, deps.secret, value, FORM, now)
    except TokenRefused as exc:
        raise Refusal(_FORM_REASONS.get(exc.reason, "form-bad")) from None
    wanted = grant.occurrence_id if occurrence_id is None else occurrence_id
    if (
        form_grant.parent_id != grant.token_id
        or form_grant.person_id != grant.person_id
        or form_grant.occurrence_id != wanted
    ):
        raise Refusal("form-bad")
    return form_grant
