"""What every handler shares: the dependencies, who is acting, and the audit helper."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from notifications.bot.durable import DurableRequest
from notifications.bot.pending import PendingEvidence
from notifications.bot.texts import Texts
from notifications.render import Renderer
from notifications.settings import TelegramConfig
from scheduler.audit import audit
from scheduler.clock import Clock
from scheduler.db import session_scope
from scheduler.engine_context import EngineContext

DEPS_KEY = "nhacviec"


def bot_deps(bot_data: Mapping[Any, Any]) -> BotDeps:
    """Our dependencies, as build_application stored them in PTB's untyped bot_data."""
    deps = bot_data[DEPS_KEY]
    if not isinstance(deps, BotDeps):
        raise TypeError(f"bot_data[{DEPS_KEY!r}] is not BotDeps: {type(deps).__name__}")
    return deps


@dataclass(frozen=True)
class Actor:
    """Who an update acts as. In a unit's group chat, `unit_id` is set and the person is the
    sender when they linked their own chat, else the unit's head (`as_unit_head`)."""

    person_id: str
    chat_id: int
    sender_id: int
    unit_id: str | None = None
    as_unit_head: bool = False


@dataclass
class BotDeps:
    telegram: TelegramConfig
    db: Engine
    ctx: EngineContext
    clock: Clock
    data_dir: Path
    max_file_bytes: int
    pending: PendingEvidence
    renderer: Renderer
    texts: Texts
    # The bot's HTTP layers (replies, getUpdates): told to stop retrying when the bot stops.
    requests: tuple[DurableRequest, ...] = ()


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with our dependencies and the actor the gate resolved for this update."""

    _nhacviec_actor: Actor | None = None

    @property
    def deps(self) -> BotDeps:
        return bot_deps(self.bot_data)

    @property
    def actor(self) -> Actor:
        if self._nhacviec_actor is None:
            raise RuntimeError("the gate did not resolve an actor for this update")
        return self._nhacviec_actor

    @actor.setter
    def actor(self, value: Actor) -> None:
        self._nhacviec_actor = value

    @property
    def actor_or_none(self) -> Actor | None:
        return self._nhacviec_actor


def telegram_actor(update: Update) -> str:
    """The audit log's actor for someone we cannot name: their Telegram user id."""
    user = update.effective_user
    return f"telegram:{user.id}" if user else "telegram:?"


async def record_audit(
    deps: BotDeps, actor: str, action: str, subject: str = "", detail: dict[str, Any] | None = None
) -> None:
    def write() -> None:
        with session_scope(deps.db) as session:
            audit(session, deps.clock.now(), actor, action, subject, detail)

    await asyncio.to_thread(write)


def update_detail(update: Update, **extra: Any) -> dict[str, Any]:
    """The facts about an update worth keeping in the audit log (never file contents)."""
    message = update.effective_message
    detail: dict[str, Any] = {
        "chat_id": update.effective_chat.id if update.effective_chat else None,
        "user_id": update.effective_user.id if update.effective_user else None,
        "update_id": update.update_id,
    }
    if message is not None and (message.text or message.caption):
        detail["text"] = (message.text or message.caption or "")[:500]
    if update.callback_query is not None:
        detail["data"] = (update.callback_query.data or "")[:100]
    return {**detail, **extra}
