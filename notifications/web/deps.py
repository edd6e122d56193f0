"""What every page shares: the database, the engine's context and clock, the settings,
and the hooks the engine process plugs in (Telegram edits, sign-in emails)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from notifications.web.ratelimit import FailureLimiter
from notifications.web.settings import WebConfig
from scheduler.clock import Clock
from scheduler.engine_context import EngineContext
from scheduler.models import Occurrence, RowRecord

log = logging.getLogger("nhacviec.web")
FORM_LIFETIME = timedelta(hours=24)

# (occurrence, row, what happened: "done" | "undone" | "waived" | "reopened", by whom)
ChangeHook = Callable[[Occurrence, RowRecord, str, str], Awaitable[None]]
# (person id, one-time sign-in link): puts the sign-in email in the outbox
LoginMailer = Callable[[str, str], Awaitable[None]]

BOARD_ROLES = ("qmr", "thu-ky-iso", "bcd-iso", "lanh-dao")


@dataclass
class WebDeps:
    db: Engine
    ctx: EngineContext
    clock: Clock
    settings: WebConfig
    secret: str
    data_dir: Path
    limiter: FailureLimiter = field(default_factory=FailureLimiter)
    on_change: list[ChangeHook] = field(default_factory=list)
    send_login: LoginMailer | None = None

    @property
    def link_lifetime(self) -> timedelta:
        return timedelta(days=self.settings.token_days)

    @property
    def secure_cookies(self) -> bool:
        return self.settings.base_url.startswith("https://")

    def url(self, path: str) -> str:
        return self.settings.base_url + path

    async def changed(self, occurrence: Occurrence, row: RowRecord, what: str, by: str) -> None:
        """Tell the other channels (the bot edits its reminders); never fails the request."""
        for hook in self.on_change:
            try:
                await hook(occurrence, row, what, by)
            except Exception:
                log.exception("change hook failed for %s", occurrence.code)
