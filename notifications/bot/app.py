"""The bot's one builder: the Application, our dependencies, and every handler in one place."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import Engine
from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from notifications.bot.commands import COMMANDS, help_command, start, unknown_command
from notifications.bot.deps import DEPS_KEY, BotContext, BotDeps
from notifications.bot.durable import DurableRequest
from notifications.bot.evidence_files import max_file_bytes
from notifications.bot.gate import gate, on_error
from notifications.bot.kept_replies import KeptReplies
from notifications.bot.messages import on_button, on_edited, on_message, on_other
from notifications.bot.pacing import SharedRateLimiter
from notifications.bot.pending import PendingEvidence
from notifications.bot.texts import Texts
from notifications.ratelimit import RateLimiter
from notifications.render import Renderer
from notifications.settings import TelegramConfig
from scheduler.clock import Clock
from scheduler.engine_context import EngineContext


class BotConfigError(ValueError):
    """The bot cannot run with this configuration (no token, webhook without URL, ...)."""


def build_application(
    telegram: TelegramConfig,
    data_dir: Path,
    db: Engine,
    ctx: EngineContext,
    clock: Clock,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    token: str | None = None,
    limiter: RateLimiter | None = None,
) -> Application:
    """The bot, ready for `running_bot()` / `run_bot()`; evidence files go under `data_dir`.
    `limiter` is shared with the TelegramChannel that sends the reminders (one budget per
    bot token). Raises BotConfigError."""
    token = token or telegram.token()
    if not token:
        raise BotConfigError(f"Chưa có token của bot: đặt biến môi trường {telegram.token_env}.")
    _check_mode(telegram)
    base_url = base_url or telegram.base_url
    base_file_url = base_file_url or telegram.base_file_url
    builder = (
        Application.builder()
        .token(token)
        .context_types(ContextTypes(context=BotContext))
        .job_queue(None)  # one scheduler in the process: ours (STYLE.md)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
    )
    # Replies survive Bot API faults (durable.py) and are paced with the reminders (pacing.py).
    requests = (
        DurableRequest(HTTPXRequest(connection_pool_size=32), store=KeptReplies(db, clock)),
        DurableRequest(HTTPXRequest(connection_pool_size=1), retry=frozenset({"getUpdates"})),
    )
    builder = (
        builder.request(requests[0])
        .get_updates_request(requests[1])
        .rate_limiter(SharedRateLimiter(limiter or RateLimiter()))
    )
    if base_url:
        builder = builder.base_url(base_url)
    if base_file_url:
        builder = builder.base_file_url(base_file_url)
    application = builder.build()
    application.bot_data[DEPS_KEY] = BotDeps(
        telegram=telegram,
        db=db,
        ctx=ctx,
        clock=clock,
        data_dir=data_dir,
        max_file_bytes=max_file_bytes(telegram.max_evidence_mb, bool(base_url)),
        pending=PendingEvidence(),
        renderer=Renderer(),
        texts=Texts(ctx.tz),
        requests=requests,
    )
    register_handlers(application)
    return application


def _check_mode(telegram: TelegramConfig) -> None:
    if telegram.mode != "webhook":
        return
    if not telegram.webhook_url:
        raise BotConfigError(
            'telegram.mode = "webhook" cần telegram.webhook_url '
            "(địa chỉ HTTPS công khai mà Telegram gọi tới)."
        )
    if importlib.util.find_spec("tornado") is None:
        raise BotConfigError(
            "Chế độ webhook cần gói python-telegram-bot[webhooks] (tornado); "
            'hoặc dùng telegram.mode = "polling".'
        )


def register_handlers(application: Application) -> None:
    """Every handler, in order. Group -1 is the gate; group 0 does the work (first match)."""
    application.add_handler(TypeHandler(Update, gate), group=-1)
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("start", start, filters=new))
    application.add_handler(CommandHandler(["help", "trogiup"], help_command, filters=new))
    for name, callback, _description in COMMANDS:
        application.add_handler(CommandHandler(name, callback, filters=new))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, on_edited))
    application.add_handler(MessageHandler(new & filters.COMMAND, unknown_command))
    evidence = filters.TEXT | filters.Document.ALL | filters.PHOTO
    application.add_handler(MessageHandler(new & evidence, on_message))
    application.add_handler(MessageHandler(new, on_other))
    application.add_error_handler(on_error)
