"""Changes made outside the bot (the web page, the board) shown in the chats: the
reminders about the occurrence get the same status line the bot's own flows append."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram.ext import Application

from notifications.bot.deps import BotDeps, bot_deps
from notifications.bot.reminders import update_reminders
from scheduler.models import Occurrence, RowRecord

ChangeHook = Callable[[Occurrence, RowRecord, str, str], Awaitable[None]]


def reminder_editor(application: Application) -> ChangeHook:
    """A hook `(occurrence, row, what, by)` with what in done | undone | waived | reopened."""

    async def edit(occurrence: Occurrence, row: RowRecord, what: str, by: str) -> None:
        if not application.running:
            return
        deps: BotDeps = bot_deps(application.bot_data)
        directory = deps.ctx.directory
        now = deps.clock.now()
        if what == "done":
            person = directory.people.get(by)
            status = deps.texts.render(
                "status_done",
                person_name=directory.display_name(by),
                at=now,
                on_behalf=person is None or person.unit != occurrence.unit_id,
            )
        elif what == "waived":
            status = deps.texts.render(
                "status_waived",
                person_name=directory.display_name(by),
                at=now,
                reason=occurrence.waiver_reason or "",
            )
        else:
            status = deps.texts.render("status_undone", at=now)
        reopened = what in ("undone", "reopened")
        await update_reminders(application.bot, deps, occurrence, row, status, reopened=reopened)

    return edit
