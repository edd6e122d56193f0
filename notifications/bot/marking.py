"""The flows that change an occurrence: evidence, the evidence prompt, undo, waive.

Each one calls a service function (which checks who may do it and audits it), replies with
what happened, and updates the reminders in the chats. A ServiceError becomes a polite
refusal that is audited too; nothing is changed then.
"""

from __future__ import annotations

import asyncio

from markupsafe import Markup
from sqlmodel import Session
from telegram import ForceReply, Message, Update
from telegram.constants import ChatType

from notifications.bot.deps import BotContext, record_audit, telegram_actor, update_detail
from notifications.bot.evidence_files import fetch_evidence
from notifications.bot.reminders import update_reminders
from notifications.bot.views import check_can_close
from scheduler.models import RowRecord
from scheduler.service import ServiceError, record_evidence, undo_evidence, waive

CHANNEL = "telegram"


async def reply(update: Update, text: str) -> Message | None:
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(text)


async def refuse(update: Update, context: BotContext, reason: str, **detail: object) -> None:
    """Say no, politely and with the reason, and keep a trace of who was refused what."""
    actor = context.actor_or_none
    await record_audit(
        context.deps,
        actor.person_id if actor else telegram_actor(update),
        "telegram-refused",
        "",
        update_detail(update, reason=reason, **detail),
    )
    await reply(update, context.deps.texts.render("refused", reason=reason))


async def close_with_evidence(update: Update, context: BotContext, code: str, text: str) -> None:
    """Record `text` and the message's file as evidence for `code`; the occurrence is done."""
    deps, actor = context.deps, context.actor
    message = update.effective_message
    assert message is not None
    try:
        await asyncio.to_thread(check_can_close, deps.db, deps.ctx, code, actor.person_id)
        files = await fetch_evidence(context.bot, deps, message)
        closure = await asyncio.to_thread(
            record_evidence,
            deps.db,
            deps.ctx,
            code,
            actor.person_id,
            text,
            files,
            CHANNEL,
            deps.clock.now(),
        )
    except ServiceError as exc:
        await refuse(update, context, str(exc), code=code)
        return
    deps.pending.clear(actor.chat_id, actor.sender_id)
    await record_audit(
        deps,
        actor.person_id,
        "telegram-evidence",
        f"occurrence:{closure.occurrence.id}",
        update_detail(
            update,
            code=closure.occurrence.code,
            as_unit_head=actor.as_unit_head,
            unit=actor.unit_id,
        ),
    )
    directory = deps.ctx.directory
    await reply(
        update,
        deps.texts.render(
            "recorded",
            closure=closure,
            files=files,
            text=text.strip(),
            person_name=directory.display_name(actor.person_id),
            unit_name=directory.display_name(closure.occurrence.unit_id) or closure.row.lead_text,
            from_group=actor.unit_id is not None,
        ),
    )
    status = deps.texts.render(
        "status_done",
        person_name=directory.display_name(actor.person_id),
        at=deps.clock.now(),
        on_behalf=closure.on_behalf,
    )
    await update_reminders(context.bot, deps, closure.occurrence, closure.row, status)


async def ask_for_evidence(update: Update, context: BotContext, code: str) -> None:
    """Remember that this person's next message here is evidence for `code`, and ask for it."""
    deps, actor = context.deps, context.actor
    try:
        occurrence, row = await asyncio.to_thread(
            check_can_close, deps.db, deps.ctx, code, actor.person_id
        )
    except ServiceError as exc:
        await refuse(update, context, str(exc), code=code)
        return
    deps.pending.expect(actor.chat_id, actor.sender_id, occurrence.code, deps.clock.now())
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    # In a group, selective ForceReply reaches only people mentioned in the prompt.
    mention = Markup(user.mention_html()) if chat.type != ChatType.PRIVATE else ""
    await context.bot.send_message(
        chat.id,
        deps.texts.render("ask_evidence", occurrence=occurrence, row=row, mention=mention),
        reply_markup=ForceReply(
            selective=True, input_field_placeholder="Số văn bản, tệp, hoặc «không có tệp»"
        ),
    )


# An unlinked member of a unit group reports for the unit (recorded under its head), but
# undoing or waiving changes someone's record: only a person who linked their own chat may.
UNLINKED_GROUP_MEMBER = (
    "Bạn chưa liên kết Telegram với tên của mình, nên trong nhóm chỉ có thể xem việc và báo "
    "hoàn thành cho đơn vị. Để hoàn tác hoặc miễn việc, hãy nhắn riêng cho bot /start MÃ."
)


async def undo_last(update: Update, context: BotContext, code: str | None) -> None:
    deps, actor = context.deps, context.actor
    if actor.as_unit_head:
        await refuse(update, context, UNLINKED_GROUP_MEMBER, code=code)
        return
    try:
        occurrence = await asyncio.to_thread(
            undo_evidence, deps.db, deps.ctx, actor.person_id, deps.clock.now(), code
        )
    except ServiceError as exc:
        await refuse(update, context, str(exc), code=code)
        return
    row = await asyncio.to_thread(_row, context, occurrence.row_id)
    await reply(update, deps.texts.render("undone", occurrence=occurrence, row=row))
    if row is not None:
        status = deps.texts.render("status_undone", at=deps.clock.now())
        await update_reminders(context.bot, deps, occurrence, row, status, reopened=True)


async def waive_occurrence(update: Update, context: BotContext, code: str, reason: str) -> None:
    deps, actor = context.deps, context.actor
    if actor.as_unit_head:
        await refuse(update, context, UNLINKED_GROUP_MEMBER, code=code)
        return
    try:
        occurrence = await asyncio.to_thread(
            waive, deps.db, deps.ctx, code, actor.person_id, reason, deps.clock.now()
        )
    except ServiceError as exc:
        await refuse(update, context, str(exc), code=code)
        return
    await reply(update, deps.texts.render("waived", occurrence=occurrence, reason=reason.strip()))
    row = await asyncio.to_thread(_row, context, occurrence.row_id)
    if row is not None:
        status = deps.texts.render(
            "status_waived",
            person_name=deps.ctx.directory.display_name(actor.person_id),
            at=deps.clock.now(),
            reason=reason.strip(),
        )
        await update_reminders(context.bot, deps, occurrence, row, status)


def _row(context: BotContext, row_id: int) -> RowRecord | None:
    with Session(context.deps.db) as session:
        return session.get(RowRecord, row_id)
