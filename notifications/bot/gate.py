"""Before any handler: who is this chat? And after any failure: one polite answer.

The gate runs in handler group -1 for every update. A linked chat goes on with its actor
resolved; `/start` goes on so a code can be redeemed; everything else from an unlinked
chat gets the one explanation of how to be linked, and nothing more.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from notifications.bot.deps import BotContext, record_audit, telegram_actor, update_detail
from notifications.bot.durable import BotStopping
from notifications.bot.linking import resolve_actor

log = logging.getLogger("nhacviec.bot")


def is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


def addressed_to_bot(update: Update, context: BotContext) -> bool:
    """Whether the person spoke to the bot: a private chat, a button, a command for us, a
    reply to one of our messages, or a mention. Group chatter is none of these."""
    if is_private(update) or update.callback_query is not None:
        return True
    message = update.effective_message
    if message is None:
        return False
    text = message.text or message.caption or ""
    username = context.bot.username
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        return "@" not in command or command.lower().endswith(f"@{username}".lower())
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None:
        return replied.from_user.id == context.bot.id
    return f"@{username}".lower() in text.lower()


def _is_start(update: Update) -> bool:
    message = update.message
    text = (message.text or "") if message else ""
    return text == "/start" or text.startswith(("/start ", "/start@"))


async def gate(update: Update, context: BotContext) -> None:
    """Resolve who acts for a linked chat; stop everything else after one explanation."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or user.is_bot or chat.type == ChatType.CHANNEL:
        if update.callback_query is not None:
            await update.callback_query.answer()
        raise ApplicationHandlerStop  # channel posts, bots, service updates: nothing to do
    if _is_start(update):
        return
    deps = context.deps
    actor = await asyncio.to_thread(
        resolve_actor, deps.db, deps.ctx.directory, chat.id, chat.type == ChatType.PRIVATE, user.id
    )
    if actor is not None:
        context.actor = actor
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    if addressed_to_bot(update, context):
        await record_audit(
            deps, telegram_actor(update), "telegram-unlinked-chat", "", update_detail(update)
        )
        try:
            await context.bot.send_message(
                chat.id, deps.texts.render("unlinked", group=chat.type != ChatType.PRIVATE)
            )
        except TelegramError as exc:  # kept for later, or undeliverable: the update stops anyway
            log.info("could not answer unlinked chat %s: %s", chat.id, exc)
    raise ApplicationHandlerStop


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with the update, and tell the person something went wrong."""
    if isinstance(context.error, BotStopping):  # its reply is kept and sent at the next start
        log.info("bot stopped while an update's reply waited on the Bot API: %s", context.error)
        return
    log.error("bot update failed: %r", update, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, context.deps.texts.render("error"))
    except TelegramError:
        log.warning("could not tell chat %s about the failure", update.effective_chat.id)
