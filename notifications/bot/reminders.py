"""Keep the reminders in chats truthful: once an occurrence closes, its messages say so.

The original text is rendered again from the outbox row (the same template and context
the dispatcher used), the status line is appended and the buttons are removed; an undo
puts the buttons back. A reminder that cannot be edited (deleted, too old, blocked) is
skipped: the confirmation the person just received is what matters.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging

from telegram import Bot
from telegram.error import RetryAfter, TelegramError

from notifications.base import Recipient
from notifications.bot.deps import BotDeps
from notifications.bot.views import sent_reminders
from notifications.render import TELEGRAM_LIMIT, clip_telegram_html, occurrence_buttons
from notifications.telegram import keyboard, retry_after_seconds
from scheduler.models import Notification, Occurrence, RowRecord

log = logging.getLogger("nhacviec.bot")
EDIT_RETRY_CAP = 10.0  # seconds: a longer wait is not worth holding the bot for
MAX_EDITS = 40  # an occurrence escalated for weeks has many reminders; the newest matter


def _original_html(deps: BotDeps, row: Notification, chat_id: int) -> str | None:
    person = deps.ctx.directory.people.get(row.person_id)
    if person is None:
        return None
    recipient = Recipient(person.id, person.name, person.email, chat_id)
    try:
        message = deps.renderer.render(
            row.template, json.loads(row.context_json), recipient, row.key
        )
    except Exception:  # a template changed since: fall back to the short summary
        log.info("reminder %s could not be re-rendered", row.key, exc_info=True)
        return None
    return message.telegram_html


def _with_status(original: str, status: str) -> str:
    room = TELEGRAM_LIMIT - len(status.encode("utf-16-le")) // 2 - 2
    return clip_telegram_html(original.rstrip(), limit=room) + "\n\n" + status


async def update_reminders(
    bot: Bot,
    deps: BotDeps,
    occurrence: Occurrence,
    row: RowRecord,
    status: str,
    *,
    reopened: bool = False,
) -> int:
    """Edit every Telegram reminder about `occurrence`; returns how many were edited."""
    sent = await asyncio.to_thread(sent_reminders, deps.db, occurrence.id or 0)
    fallback = deps.texts.render("reminder_fallback", occurrence=occurrence, row=row)
    edited = 0
    for item in sent[-MAX_EDITS:]:
        chat, _, message = (item.external_id or "").partition(":")
        if not (chat.lstrip("-").isdigit() and message.isdigit()):
            continue
        original = _original_html(deps, item, int(chat)) or fallback
        buttons = occurrence_buttons(json.loads(item.context_json)) if reopened else ()
        edit = functools.partial(
            bot.edit_message_text,
            _with_status(original, status),
            chat_id=int(chat),
            message_id=int(message),
            reply_markup=keyboard(buttons),
        )
        try:
            try:
                await edit()
            except RetryAfter as exc:
                # Left unedited, a closed task's reminder keeps its buttons: wait as told
                # (within reason) and edit once more.
                await asyncio.sleep(min(retry_after_seconds(exc), EDIT_RETRY_CAP))
                await edit()
            edited += 1
        except TelegramError as exc:
            log.info("reminder %s in chat %s not edited: %s", message, chat, exc)
    return edited
