"""Signing in to the board: a one-time link by email (or `nhacviec web login PERSON`).

Opening the link shows a button; only pressing it spends the link and starts the session,
so a mail scanner that fetches links does not sign anyone in (or burn the link). The
session is a random token in an HTTP-only, SameSite cookie, stored hashed and revocable.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from notifications.web.access import may_sign_in
from notifications.web.deps import WebDeps
from notifications.web.guard import SESSION_COOKIE, Refusal, check_form, lookup, signed_in
from notifications.web.pages import Pages, client_address
from notifications.web.uploads import UploadRefused, read_form
from scheduler.web_tokens import LOGIN, SESSION, TokenRefused, issue_token, revoke, spend


def login_link(deps: WebDeps, person_id: str) -> str:
    """A one-time sign-in link for the board (the CLI prints it, the email carries it)."""
    token = issue_token(
        deps.db,
        deps.secret,
        LOGIN,
        person_id,
        deps.clock.now(),
        timedelta(minutes=deps.settings.login_minutes),
    )
    return deps.url(f"/dang-nhap/{token}")


class SignInPages:
    def __init__(self, deps: WebDeps, pages: Pages) -> None:
        self.deps, self.pages = deps, pages

    async def ask(self, request: Request) -> Response:
        return self.pages.render("signin.html", sent=False, mailer=self.deps.send_login is not None)

    async def send(self, request: Request) -> Response:
        """Email a sign-in link to a person allowed on the board; the answer is the same
        whoever asks, so the page does not reveal who has an account."""
        deps, client = self.deps, client_address(request)
        if deps.limiter.blocked(client):
            return self.pages.refusal("too-many")
        try:
            form = await read_form(request, 16 * 1024)
        except UploadRefused as exc:
            return self.pages.refusal(exc.reason)
        email = str(form.get("email") or "").strip().lower()
        person = next(
            (p for p in deps.ctx.directory.people.values() if p.email and p.email.lower() == email),
            None,
        )
        if person is not None and may_sign_in(deps.ctx, person.id) and deps.send_login:
            link = await asyncio.to_thread(login_link, deps, person.id)
            await deps.send_login(person.id, link)
        else:
            deps.limiter.failed(client)
        return self.pages.render("signin.html", sent=True, mailer=deps.send_login is not None)

    async def confirm(self, request: Request) -> Response:
        token = request.path_params["token"]
        try:
            grant = await lookup(self.deps, request, token, LOGIN)
        except Refusal as exc:
            return self.pages.refusal(exc.reason, back="/dang-nhap")
        name = self.deps.ctx.directory.display_name(grant.person_id)
        return self.pages.render("signin_confirm.html", token=token, person=name)

    async def enter(self, request: Request) -> Response:
        deps, token = self.deps, request.path_params["token"]
        try:
            await lookup(deps, request, token, LOGIN)  # counts failures, honours the limit
            grant = await asyncio.to_thread(
                spend, deps.db, deps.secret, token, LOGIN, deps.clock.now()
            )
        except Refusal as exc:
            return self.pages.refusal(exc.reason, back="/dang-nhap")
        except TokenRefused as exc:
            return self.pages.refusal(exc.reason, back="/dang-nhap")
        if not may_sign_in(deps.ctx, grant.person_id):
            return self.pages.refusal("forbidden")
        lifetime = timedelta(hours=deps.settings.session_hours)
        session = await asyncio.to_thread(
            issue_token, deps.db, deps.secret, SESSION, grant.person_id, deps.clock.now(), lifetime
        )
        response = RedirectResponse("/bang", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            session,
            max_age=int(lifetime.total_seconds()),
            httponly=True,
            samesite="lax",  # the board opens from links in emails; forms carry CSRF tokens
            secure=deps.secure_cookies,
            path="/",
        )
        return response

    async def leave(self, request: Request) -> Response:
        deps = self.deps
        try:
            grant = await signed_in(deps, request)
            form = await read_form(request, 16 * 1024)
            await check_form(deps, form, grant, deps.clock.now(), spend_it=True)
        except Refusal:  # an UploadRefused too
            return RedirectResponse("/dang-nhap", status_code=303)
        await asyncio.to_thread(revoke, deps.db, deps.clock.now(), token_id=grant.token_id)
        response = RedirectResponse("/dang-nhap", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
