"""Evidence logged on the web page edits the Telegram reminders, as the bot's own flow does."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx

from notifications.bot.elsewhere import reminder_editor
from notifications.web.app import build_app
from notifications.web.deps import WebDeps
from notifications.web.server import serving
from notifications.web.settings import WebConfig
from scheduler.models import DONE, OPEN
from scheduler.web_tokens import LINK, issue_token
from tests.bot.conftest import PHAM, PHAM_CHAT, REMIND_DAY, BotWorld, until
from tests.bot.test_marking import _edited_in, _reminder
from tests.web.conftest import form_fields

SECRET = "web-edit-secret-0123456789"


def test_it_edits_the_telegram_reminder_when_evidence_comes_from_the_web(
    bot_world: BotWorld, tmp_path: Path
) -> None:
    pham = bot_world.chat(PHAM_CHAT)

    async def scenario() -> None:
        async with bot_world.running() as application:
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            deps = WebDeps(
                bot_world.db, bot_world.ctx, bot_world.clock, WebConfig(), SECRET, tmp_path
            )
            deps.on_change.append(reminder_editor(application))
            occurrence = bot_world.occurrence()
            token = issue_token(
                bot_world.db,
                SECRET,
                LINK,
                PHAM,
                bot_world.clock.now(),
                timedelta(days=30),
                occurrence_id=occurrence.id,
            )
            async with (
                serving(build_app(deps)) as server,
                httpx.AsyncClient(base_url=server.origin, timeout=30) as client,
            ):
                page = await client.get(f"/v/{token}")
                posted = await client.post(
                    f"/v/{token}", data={**form_fields(page.text), "evidence": "Biên bản số 12"}
                )
                assert posted.status_code == 303
                await until(lambda: _edited_in(bot_world, PHAM_CHAT, reminder), "the edit")
                edited = _reminder(bot_world, PHAM_CHAT, reminder)
                assert "Đã hoàn thành" in str(edited["text"]) and "reply_markup" not in edited
                assert bot_world.occurrence().state == DONE
                assert bot_world.evidence()[0].channel == "web"

                confirmation = await client.get(f"/v/{token}?da-ghi=1")
                undone = await client.post(
                    f"/v/{token}/hoan-tac", data=form_fields(confirmation.text)
                )
                assert undone.status_code == 303 and bot_world.occurrence().state == OPEN
                await until(
                    lambda: "reply_markup" in _reminder(bot_world, PHAM_CHAT, reminder),
                    "the buttons back after the undo",
                )

    asyncio.run(scenario())
