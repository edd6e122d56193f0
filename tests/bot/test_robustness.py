"""Malformed or unexpected input never crashes the bot and never changes state; lifecycle."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from nhacviec.config import Config
from nhacviec.wiring import configured_bot
from notifications.bot import BotConfigError, run_bot
from scheduler.models import OPEN
from tests.bot.conftest import PHAM, PHAM_CHAT, REMIND_DAY, BotWorld, until
from tests.fakes.bot_api import TOKEN
from tests.fakes.bot_updates import (
    push_announced_document,
    push_bare_message,
    push_channel_post,
    push_edited,
    push_sticker,
)


def _no_bot_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith(("nhacviec.bot", "telegram")) and r.levelno >= logging.ERROR
    ]


def test_it_survives_malformed_updates_without_changing_state(
    bot_world: BotWorld, caplog: pytest.LogCaptureFixture
) -> None:
    pham, api = bot_world.chat(PHAM_CHAT), bot_world.api

    async def scenario() -> list[str]:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            return [
                await pham.answer(lambda: push_bare_message(api, PHAM_CHAT)),
                await pham.answer(lambda: push_sticker(api, PHAM_CHAT)),
                await pham.answer(lambda: push_edited(api, PHAM_CHAT, f"/xong {bot_world.code} x")),
                await pham.press("xoa-het:" + bot_world.code, message_id=reminder),
                await pham.press("done", message_id=reminder),
                await pham.press("done:ZZZZZZ", message_id=reminder),
                await pham.say("/xong ZZZZZZ Biên bản giả"),
                await pham.say("/xong"),
                await pham.say("Chào bot"),
                await pham.say("/lenhla"),
                await pham.answer(
                    lambda: (
                        push_channel_post(api, -1009999, "tin kênh")
                        and api.push_message(PHAM_CHAT, "/trogiup")
                    )
                ),
            ]

    answers = asyncio.run(scenario())
    assert "chỉ nhận văn bản, tệp hoặc ảnh" in answers[0] and "chỉ nhận" in answers[1]
    assert "tin nhắn đã sửa" in answers[2]
    assert "không còn dùng được" in answers[3] and "không còn dùng được" in answers[4]
    assert "Không tìm thấy việc có mã «ZZZZZZ»" in answers[5]
    assert "Không tìm thấy việc có mã «ZZZZZZ»" in answers[6]
    assert "Cách dùng" in answers[7]
    assert "Bot chưa hiểu" in answers[8] and "Bot chưa hiểu" in answers[9]
    assert "hướng dẫn" in answers[10]  # the channel post was ignored without a word
    assert bot_world.occurrence().state == OPEN and bot_world.evidence() == []
    assert _no_bot_errors(caplog) == []
    assert len(bot_world.audit("telegram-unknown")) >= 4


def test_it_refuses_a_huge_file_before_downloading_it(bot_world: BotWorld) -> None:
    pham, api = bot_world.chat(PHAM_CHAT), bot_world.api

    async def scenario() -> str:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            return await pham.answer(
                lambda: push_announced_document(
                    api,
                    PHAM_CHAT,
                    "ho-so-scan.pdf",
                    300 * 1024 * 1024,
                    reply_to_message_id=reminder,
                )
            )

    answer = asyncio.run(scenario())
    assert "ho-so-scan.pdf" in answer and "vượt giới hạn" in answer and "20,0 MB" in answer
    assert api.calls("getFile") == [] and bot_world.files() == []
    assert bot_world.occurrence().state == OPEN


def test_it_stores_the_same_file_twice_once(bot_world: BotWorld) -> None:
    pham = bot_world.chat(PHAM_CHAT)
    content = b"%PDF-1.4 so theo doi" * 50
    other = next(line for line in bot_world.rows_open_for("ktht") if line != bot_world.code)

    async def scenario() -> None:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            for code in (bot_world.code, other):
                await pham.send_file(content, "so-theo-doi.pdf", caption=f"/xong {code}")

    asyncio.run(scenario())
    first, second = bot_world.files()
    assert first.sha256 == second.sha256 and first.stored_path == second.stored_path
    assert len(list((bot_world.data_dir / "evidence").rglob("*"))) == 2  # one folder, one file


def test_it_forgets_the_evidence_prompt_after_half_an_hour(bot_world: BotWorld) -> None:
    pham = bot_world.chat(PHAM_CHAT)

    async def scenario() -> str:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            await pham.press(f"done:{bot_world.code}", message_id=reminder)
            bot_world.clock.advance(timedelta(minutes=31))
            return await pham.say("Biên bản số 5")

    assert "Bot chưa hiểu" in asyncio.run(scenario())
    assert bot_world.occurrence().state == OPEN


def test_it_answers_politely_when_a_handler_fails(
    bot_world: BotWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> list[object]:
        raise RuntimeError("database went away")

    monkeypatch.setattr("notifications.bot.commands.open_tasks", broken)
    pham = bot_world.chat(PHAM_CHAT)

    async def scenario() -> tuple[str, str]:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            return await pham.say("/viec"), await pham.say("/trogiup")

    failed, after = asyncio.run(scenario())
    assert "Xin lỗi, bot gặp lỗi" in failed and "hướng dẫn" in after


def test_it_keeps_trying_to_start_and_stops_cleanly(bot_world: BotWorld) -> None:
    api = bot_world.api
    api.fail("getMe", 502, times=2)

    async def scenario() -> bool:
        application = bot_world.application()
        stop = asyncio.Event()
        task = asyncio.create_task(run_bot(application, stop, retry_seconds=0.05))
        await until(
            lambda: application.updater is not None and application.updater.running,
            "polling to start after two failures",
        )
        reply = await bot_world.chat(PHAM_CHAT).say("/start")
        stop.set()
        await asyncio.wait_for(task, 10)
        return "chưa được liên kết" in reply and not application.running

    assert asyncio.run(scenario())
    assert len(api.calls("getMe", ok=False)) == 2


def test_it_needs_a_token_and_a_webhook_url(
    bot_world: BotWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = bot_world.config
    monkeypatch.delenv(config.telegram.token_env, raising=False)
    with pytest.raises(BotConfigError, match=config.telegram.token_env):
        configured_bot(config, bot_world.db, bot_world.ctx, bot_world.clock)
    webhook = Config.model_validate(
        {
            **config.model_dump(by_alias=True),
            "base_dir": config.base_dir,
            "telegram": {"mode": "webhook"},
        }
    )
    with pytest.raises(BotConfigError, match="webhook_url"):
        configured_bot(webhook, bot_world.db, bot_world.ctx, bot_world.clock, token=TOKEN)
