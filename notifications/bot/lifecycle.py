"""Running the bot inside our own asyncio loop, beside the scheduler (no run_polling()).

async with running_bot(application):      # tests, scripts: fails if the start fails
    ...
await run_bot(application, stop)          # `nhacviec run`: until `stop` is set;
                                          # a failed start is logged and retried
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import Application

from notifications.bot.commands import COMMANDS
from notifications.bot.deps import BotDeps, bot_deps

log = logging.getLogger("nhacviec.bot")
ALLOWED_UPDATES = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY)
POLL_TIMEOUT = timedelta(seconds=30)
RETRY_START = 60.0  # seconds between attempts to start when Telegram cannot be reached


async def start_bot(application: Application) -> None:
    """initialize → start → polling (or webhook). On failure, undoes what it did and raises."""
    try:
        await application.initialize()
        await _send_kept_replies(application)
        await _publish_commands(application)
        await application.start()
        await _start_updates(application)
    except BaseException:
        await stop_bot(application)
        raise
    log.info(
        "Telegram bot @%s is running (%s)",
        application.bot.username,
        _deps(application).telegram.mode,
    )


async def stop_bot(application: Application) -> None:
    """The reverse of start_bot; safe on a half-started or already stopped application.
    A reply still retrying through a Bot API fault stops at once and is kept for the next
    start, so stopping takes seconds whatever the state of the API."""
    for request in _deps(application).requests:
        request.stop_retrying()
    updater = application.updater
    if updater is not None and updater.running:
        await updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


@contextlib.asynccontextmanager
async def running_bot(application: Application) -> AsyncIterator[Application]:
    await start_bot(application)
    try:
        yield application
    finally:
        await stop_bot(application)


async def run_bot(
    application: Application,
    stop: asyncio.Event,
    *,
    retry_seconds: float = RETRY_START,
) -> None:
    """Run the bot until `stop` is set. Never raises for Telegram being unreachable or
    refusing the token: the engine keeps running and the start is retried."""
    while not stop.is_set():
        try:
            await start_bot(application)
        except (TelegramError, OSError) as exc:
            log.error("Telegram bot could not start (%s); retrying in %.0f s", exc, retry_seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), retry_seconds)
            continue
        try:
            await stop.wait()
        finally:
            await stop_bot(application)
            log.info("Telegram bot stopped")
        return


def _deps(application: Application) -> BotDeps:
    return bot_deps(application.bot_data)


async def _send_kept_replies(application: Application) -> None:
    """Replies a stop interrupted during a fault go out before any new update is handled."""
    sent = 0
    for request in _deps(application).requests:
        sent += await request.send_kept()
    if sent:
        log.warning("sent %d reply(ies) kept from the last run", sent)


async def _publish_commands(application: Application) -> None:
    """The command menu phones show; a failure here is cosmetic, never fatal."""
    try:
        await application.bot.set_my_commands(
            [BotCommand(name, description) for name, _cb, description in COMMANDS]
        )
    except TelegramError as exc:
        log.warning("could not publish the bot's commands: %s", exc)


async def _start_updates(application: Application) -> None:
    updater = application.updater
    assert updater is not None
    telegram = _deps(application).telegram
    if telegram.mode == "webhook":
        assert telegram.webhook_url is not None  # build_application checked it
        await updater.start_webhook(
            listen=telegram.webhook_listen,
            port=telegram.webhook_port,
            url_path=urlparse(telegram.webhook_url).path.lstrip("/"),
            webhook_url=telegram.webhook_url,
            allowed_updates=ALLOWED_UPDATES,
            secret_token=webhook_secret(application.bot.token),
        )
        return
    await updater.start_polling(timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)


def webhook_secret(token: str) -> str:
    """Telegram echoes it in every webhook call, so forged calls are refused. Derived from the
    token: stable across restarts, never written to the config."""
    return hashlib.sha256(f"nhacviec-webhook:{token}".encode()).hexdigest()[:48]
