"""Plain messages and buttons: evidence by reply, the reminder's buttons, everything else."""

from __future__ import annotations

import asyncio
import re

from telegram import Update

from notifications.bot.commands import show_detail
from notifications.bot.deps import BotContext, record_audit, update_detail
from notifications.bot.gate import addressed_to_bot
from notifications.bot.marking import ask_for_evidence, close_with_evidence, reply
from notifications.bot.views import code_for_reminder

_CAPTION_COMMAND = re.compile(r"^/(?P<name>[A-Za-z_]+)(?:@\w+)?(?:\s+(?P<rest>.*))?$", re.DOTALL)
BUTTON_ACTIONS = ("done", "evidence", "detail")


def caption_done(caption: str | None) -> tuple[str | None, str] | None:
    """ "/xong K7M2QX Biên bản số 5" as a file's caption -> ("K7M2QX", "Biên bản số 5");
    "/xong" alone -> (None, ""); any other caption -> None (it is plain evidence text)."""
    match = _CAPTION_COMMAND.match((caption or "").strip())
    if match is None or match["name"].lower() != "xong":
        return None
    first, _, after = (match["rest"] or "").strip().partition(" ")
    return (first or None), after.strip()


async def on_message(update: Update, context: BotContext) -> None:
    """Evidence: a reply to a reminder, the answer the bot asked for, or a file captioned /xong."""
    deps, actor, message = context.deps, context.actor, update.message
    assert message is not None
    text = message.text or message.caption or ""
    code: str | None = None
    from_caption = caption_done(message.caption)
    if from_caption is not None:
        code, text = from_caption
    replied = message.reply_to_message
    if code is None and replied is not None:
        code = await asyncio.to_thread(
            code_for_reminder, deps.db, message.chat_id, replied.message_id
        )
    addressed = addressed_to_bot(update, context)
    if code is None and addressed:  # group chatter after a ✅ tap is not evidence
        code = deps.pending.peek(actor.chat_id, actor.sender_id, deps.clock.now())
    if code is not None:
        await close_with_evidence(update, context, code, text)
    elif addressed:
        await record_audit(deps, actor.person_id, "telegram-unknown", "", update_detail(update))
        await reply(update, deps.texts.render("hint"))


async def on_button(update: Update, context: BotContext) -> None:
    """The reminder's buttons: ✅ and 📎 ask for the evidence, 📋 shows the occurrence."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    action, _, code = (query.data or "").partition(":")
    if action not in BUTTON_ACTIONS or not code.strip():
        await record_audit(
            context.deps, context.actor.person_id, "telegram-unknown", "", update_detail(update)
        )
        await reply(update, context.deps.texts.render("unknown_button"))
    elif action == "detail":
        await show_detail(update, context, code.strip())
    else:
        await ask_for_evidence(update, context, code.strip())


async def on_edited(update: Update, context: BotContext) -> None:
    """An edited message changes nothing; say so where the person will see it."""
    if not addressed_to_bot(update, context):
        return
    await record_audit(
        context.deps,
        context.actor.person_id,
        "telegram-ignored",
        "",
        update_detail(update, reason="edited message"),
    )
    await reply(update, context.deps.texts.render("edited"))


async def on_other(update: Update, context: BotContext) -> None:
    """Stickers, voice notes, locations...: not evidence."""
    if addressed_to_bot(update, context):
        await reply(update, context.deps.texts.render("unsupported"))
