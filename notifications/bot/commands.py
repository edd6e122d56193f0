"""Slash commands: /start, /trogiup, /viec, /quahan, /chitiet, /xong, /hoantac, /mien, /huy."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ChatType

from notifications.bot.deps import BotContext, record_audit, telegram_actor, update_detail
from notifications.bot.gate import addressed_to_bot
from notifications.bot.linking import redeem_invite, resolve_actor
from notifications.bot.marking import (
    ask_for_evidence,
    close_with_evidence,
    refuse,
    reply,
    undo_last,
    waive_occurrence,
)
from notifications.bot.views import code_for_reminder, occurrence_detail, open_tasks, overdue_tasks
from scheduler.codes import normalise_code
from scheduler.service import ServiceError

LIST_LIMIT = 20


async def start(update: Update, context: BotContext) -> None:
    """/start CODE links this chat; /start alone greets a linked chat or explains linking."""
    deps, chat, user = context.deps, update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    private = chat.type == ChatType.PRIVATE
    if not context.args:
        actor = await asyncio.to_thread(
            resolve_actor, deps.db, deps.ctx.directory, chat.id, private, user.id
        )
        if actor is None:
            await record_audit(
                deps, telegram_actor(update), "telegram-unlinked-chat", "", update_detail(update)
            )
            await reply(update, deps.texts.render("unlinked", group=not private))
            return
        context.actor = actor
        await help_command(update, context)
        return
    try:
        link = await asyncio.to_thread(
            redeem_invite,
            deps.db,
            deps.ctx.directory,
            context.args[0],
            chat.id,
            private,
            deps.clock.now(),
            telegram_actor(update),
        )
    except ServiceError as exc:
        await refuse(update, context, str(exc))
        return
    directory = deps.ctx.directory
    unit = link.unit_id or directory.people[link.person_id or ""].unit
    await reply(
        update,
        deps.texts.render(
            "linked",
            person_name=directory.display_name(link.person_id or ""),
            unit_name=directory.display_name(unit) if unit else "",
            group=not private,
        ),
    )


async def help_command(update: Update, context: BotContext) -> None:
    """/trogiup: how to answer a reminder, and the commands."""
    deps, actor = context.deps, context.actor
    directory = deps.ctx.directory
    unit = actor.unit_id or directory.people[actor.person_id].unit
    await reply(
        update,
        deps.texts.render(
            "help",
            person_name=directory.display_name(actor.person_id),
            unit_name=directory.display_name(unit) if unit else "",
            group=actor.unit_id is not None,
        ),
    )


async def my_tasks(update: Update, context: BotContext) -> None:
    """/viec: the open occurrences of my unit, soonest due first, with their codes."""
    deps, actor = context.deps, context.actor
    today = deps.clock.now().astimezone(deps.ctx.tz).date()
    lines = await asyncio.to_thread(open_tasks, deps.db, deps.ctx, actor, today)
    unit = actor.unit_id or deps.ctx.directory.people[actor.person_id].unit
    await reply(
        update,
        deps.texts.render(
            "task_list",
            kind="open",
            lines=lines,
            limit=LIST_LIMIT,
            unit_name=deps.ctx.directory.display_name(unit) if unit else "",
        ),
    )


async def overdue(update: Update, context: BotContext) -> None:
    """/quahan: overdue occurrences I lead or monitor."""
    deps, actor = context.deps, context.actor
    today = deps.clock.now().astimezone(deps.ctx.tz).date()
    lines = await asyncio.to_thread(overdue_tasks, deps.db, deps.ctx, actor.person_id, today)
    await reply(
        update,
        deps.texts.render("task_list", kind="overdue", lines=lines, limit=LIST_LIMIT, unit_name=""),
    )


async def code_and_rest(update: Update, context: BotContext) -> tuple[str | None, str]:
    """(code, the rest of the text) of a command: the code is the replied-to reminder's when
    the command answers one, else the first argument."""
    message = update.effective_message
    assert message is not None
    parts = (message.text or "").split(maxsplit=1)
    rest = parts[1] if len(parts) > 1 else ""
    replied = message.reply_to_message
    if replied is not None:
        code = await asyncio.to_thread(
            code_for_reminder, context.deps.db, message.chat_id, replied.message_id
        )
        if code is not None:
            first, _, after = rest.partition(" ")
            return code, after.strip() if normalise_code(first) == code else rest.strip()
    if not rest:
        return None, ""
    first, _, after = rest.partition(" ")
    return first, after.strip()


async def detail(update: Update, context: BotContext) -> None:
    """/chitiet MÃ: one occurrence, its state and history."""
    await show_detail(update, context, (await code_and_rest(update, context))[0])


async def show_detail(update: Update, context: BotContext, code: str | None) -> None:
    deps = context.deps
    if not code:
        await reply(update, deps.texts.render("usage", command="chitiet"))
        return
    today = deps.clock.now().astimezone(deps.ctx.tz).date()
    try:
        found = await asyncio.to_thread(occurrence_detail, deps.db, deps.ctx, code, today)
    except ServiceError as exc:
        await refuse(update, context, str(exc), code=code)
        return
    await reply(update, deps.texts.render("detail", d=found))


async def done(update: Update, context: BotContext) -> None:
    """/xong MÃ [minh chứng]: evidence by command; without evidence, the bot asks for it."""
    code, text = await code_and_rest(update, context)
    if code is None:
        await reply(update, context.deps.texts.render("usage", command="xong"))
    elif text:
        await close_with_evidence(update, context, code, text)
    else:
        await ask_for_evidence(update, context, code)


async def undo(update: Update, context: BotContext) -> None:
    """/hoantac [MÃ]: undo my last evidence (within 24 hours); the occurrence opens again."""
    code, _rest = await code_and_rest(update, context)
    await undo_last(update, context, code)


async def waive_command(update: Update, context: BotContext) -> None:
    """/mien MÃ lý do: the QMR waives an occurrence."""
    code, reason = await code_and_rest(update, context)
    if code is None or not reason:
        await reply(update, context.deps.texts.render("usage", command="mien"))
        return
    await waive_occurrence(update, context, code, reason)


async def cancel(update: Update, context: BotContext) -> None:
    """/huy: stop waiting for evidence from me in this chat."""
    actor = context.actor
    code = context.deps.pending.clear(actor.chat_id, actor.sender_id)
    await reply(update, context.deps.texts.render("cancelled", code=code))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command we do not have: point to /trogiup (in groups, only when meant for us)."""
    if not addressed_to_bot(update, context):
        return
    await record_audit(
        context.deps, context.actor.person_id, "telegram-unknown", "", update_detail(update)
    )
    await reply(update, context.deps.texts.render("hint"))


COMMANDS = (  # (command, handler, description shown in Telegram's command menu)
    ("viec", my_tasks, "Việc đang mở của đơn vị"),
    ("quahan", overdue, "Việc quá hạn tôi chủ trì hoặc theo dõi"),
    ("chitiet", detail, "Chi tiết một việc: /chitiet MÃ"),
    ("xong", done, "Báo hoàn thành: /xong MÃ minh chứng"),
    ("hoantac", undo, "Hoàn tác lần báo hoàn thành gần nhất"),
    ("mien", waive_command, "Miễn một việc (QMR): /mien MÃ lý do"),
    ("huy", cancel, "Thôi gửi minh chứng đang chờ"),
    ("trogiup", help_command, "Hướng dẫn"),
)
