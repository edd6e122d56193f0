"""The web app in the engine process: its dependencies, links for reminders, sign-in emails."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from nhacviec.config import Config, ConfigError
from notifications.web.app import build_app
from notifications.web.deps import WebDeps
from notifications.web.server import WebServer
from scheduler.clock import Clock
from scheduler.db import session_scope
from scheduler.engine_context import EngineContext
from scheduler.models import Notification
from scheduler.web_tokens import purge_expired

LOGIN_MAIL_EVERY = 120  # seconds


def build_web(config: Config, db: Engine, ctx: EngineContext, clock: Clock) -> WebDeps | None:
    """None when [web] is not configured; ConfigError when it is but has no secret."""
    settings = config.web
    if settings is None:
        return None
    secret = settings.secret()
    if not secret or len(secret) < 16:
        raise ConfigError(
            f"web: đặt biến môi trường {settings.secret_env} (ít nhất 16 ký tự ngẫu nhiên, "
            "ví dụ: openssl rand -hex 32) để ký đường liên kết."
        )
    deps = WebDeps(db, ctx, clock, settings, secret, Path(config.path(config.data_dir)))
    deps.send_login = login_mailer(deps)
    return deps


def login_mailer(deps: WebDeps) -> Callable[[str, str], Awaitable[None]]:
    """Sign-in emails go through the outbox like every other message: the dispatcher sends
    them on its next cycle, with retries, and records the attempt."""

    async def send(person_id: str, link: str) -> None:
        now = deps.clock.now()
        slot = int(now.timestamp()) // LOGIN_MAIL_EVERY  # one sign-in email per person per slot

        def enqueue() -> None:
            with contextlib.suppress(IntegrityError), session_scope(deps.db) as session:
                session.add(
                    Notification(
                        key=f"web-login:{person_id}:{slot}",
                        occurrence_id=None,
                        step="web-login",
                        person_id=person_id,
                        channel="email",
                        template="web_login",
                        context_json=json.dumps(
                            {"link": link, "minutes": deps.settings.login_minutes}
                        ),
                        next_attempt_at=now,
                        created_at=now,
                    )
                )

        await asyncio.to_thread(enqueue)

    return send


def web_server(deps: WebDeps, announce: Callable[[str], None] | None = None) -> WebServer:
    """The app bound to `[web].listen`; fails at once (port taken) rather than mid-run."""
    try:
        return WebServer(build_app(deps), deps.settings.host, deps.settings.port, announce)
    except OSError as exc:
        raise ConfigError(f"web.listen: không mở được {deps.settings.listen}: {exc}") from None


def housekeeping(deps: WebDeps) -> Callable[[], Awaitable[int]]:
    """Forget links, sessions and forms long expired."""

    async def purge() -> int:
        return await asyncio.to_thread(purge_expired, deps.db, deps.clock.now())

    return purge
