"""The bot's one builder: the Application, our dependencies, and every handler in one place."""

from __future__ import annotations

import importlib.util

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

from nhacviec.config import Config
from notifications.bot import commands, messages
from notifications.bot.context import DEPS_KEY, BotContext, BotDeps
from notifications.bot.evidence_files import max_file_bytes
from notifications.bot.gate import gate, on_error
from notifications.bot.pending import PendingEvidence
from notifications.bot.texts import Texts
from notifications.render import Renderer
from scheduler.clock import Clock
from scheduler.context import EngineContext

COMMANDS = (  # (command, handler, description shown in Telegram's command menu)
    ("viec", commands.my_tasks, "Việc đang mở của đơn vị"),
    ("quahan", commands.overdue, "Việc quá hạn tôi chủ trì hoặc theo dõi"),
    ("chitiet", commands.detail, "Chi tiết một việc: /chitiet MÃ"),
    ("xong", commands.done, "Báo hoàn thành: /xong MÃ minh chứng"),
    ("hoantac", commands.undo, "Hoàn tác lần báo hoàn thành gần nhất"),
    ("mien", commands.waive_command, "Miễn một việc (QMR): /mien MÃ lý do"),
    ("huy", commands.cancel, "Thôi gửi minh chứng đang chờ"),
    ("trogiup", commands.help_command, "Hướng dẫn"),
)


class BotConfigError(ValueError):
    """The bot cannot run with this configuration (no token, webhook without URL, ...)."""


def build_application(
    config: Config,
    db: Engine,
    ctx: EngineContext,
    clock: Clock,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    token: str | None = None,
) -> Application:  # type: ignore[type-arg]
    """The bot, ready for `running_bot()` / `run_bot()`. Raises BotConfigError."""
    token = token or config.telegram.token()
    if not token:
        raise BotConfigError(
            f"Chưa có token của bot: đặt biến môi trường {config.telegram.token_env}."
        )
    _check_mode(config)
    base_url = base_url or config.telegram.base_url
    base_file_url = base_file_url or config.telegram.base_file_url
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
    if base_url:
        builder = builder.base_url(base_url)
    if base_file_url:
        builder = builder.base_file_url(base_file_url)
    application = builder.build()
    application.bot_data[DEPS_KEY] = BotDeps(
        config=config,
        db=db,
        ctx=ctx,
        clock=clock,
        data_dir=config.path(config.data_dir),
        max_file_bytes=max_file_bytes(config.telegram.max_evidence_mb, bool(base_url)),
        pending=PendingEvidence(),
        renderer=Renderer(),
        texts=Texts(ctx.tz),
    )
    register_handlers(application)
    return application


def _check_mode(config: Config) -> None:
    if config.telegram.mode != "webhook":
        return
    if not config.telegram.webhook_url:
        raise BotConfigError(
            'telegram.mode = "webhook" cần telegram.webhook_url '
            "(địa chỉ HTTPS công khai mà Telegram gọi tới)."
        )
    if importlib.util.find_spec("tornado") is None:
        raise BotConfigError(
            "Chế độ webhook cần gói python-telegram-bot[webhooks] (tornado); "
            'hoặc dùng telegram.mode = "polling".'
        )


def register_handlers(application: Application) -> None:  # type: ignore[type-arg]
    """Every handler, in order. Group -1 is the gate; group 0 does the work (first match)."""
    application.add_handler(TypeHandler(Update, gate), group=-1)
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("start", commands.start, filters=new))
    application.add_handler(CommandHandler(["help", "trogiup"], commands.help_command, filters=new))
    for name, callback, _description in COMMANDS:
        application.add_handler(CommandHandler(name, callback, filters=new))
    application.add_handler(CallbackQueryHandler(messages.on_button))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, messages.on_edited))
    application.add_handler(MessageHandler(new & filters.COMMAND, commands.unknown_command))
    evidence = filters.TEXT | filters.Document.ALL | filters.PHOTO
    application.add_handler(MessageHandler(new & evidence, messages.on_message))
    application.add_handler(MessageHandler(new, messages.on_other))
    application.add_error_handler(on_error)  # type: ignore[arg-type]
