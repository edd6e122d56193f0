"""Linking chats with one-time codes; unlinked chats learn how, and can do nothing else."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from scheduler.models import OPEN, TelegramLink
from tests.bot.conftest import (
    KTHT_GROUP,
    PHAM,
    PHAM_CHAT,
    STRANGER_CHAT,
    TCKH,
    TCKH_CHAT,
    BotWorld,
)


def test_it_links_a_person_with_a_one_time_code(bot_world: BotWorld) -> None:
    code = bot_world.invite(PHAM)

    async def scenario() -> str:
        async with bot_world.running():
            return await bot_world.chat(PHAM_CHAT).link(code)

    answer = asyncio.run(scenario())
    assert "Đã liên kết Telegram với" in answer and "Phạm Văn Trường" in answer
    (link,) = bot_world.rows(TelegramLink)
    assert (link.chat_id, link.person_id, link.unlinked_at) == (PHAM_CHAT, PHAM, None)
    assert [a.actor for a in bot_world.audit("telegram-linked")] == [PHAM]


def test_it_refuses_a_used_code_every_time(bot_world: BotWorld) -> None:
    code = bot_world.invite(PHAM)

    async def scenario() -> list[str]:
        async with bot_world.running():
            await bot_world.chat(PHAM_CHAT).link(code)
            return [await bot_world.chat(chat).link(code) for chat in (STRANGER_CHAT, TCKH_CHAT)]

    answers = asyncio.run(scenario())
    assert all("đã được dùng" in a for a in answers)
    assert [link.chat_id for link in bot_world.rows(TelegramLink)] == [PHAM_CHAT]
    assert len(bot_world.audit("telegram-refused")) == 2


def test_it_refuses_an_expired_code(bot_world: BotWorld) -> None:
    code = bot_world.invite(PHAM, hours=1)
    bot_world.clock.advance(timedelta(hours=2))

    async def scenario() -> str:
        async with bot_world.running():
            return await bot_world.chat(PHAM_CHAT).link(code)

    assert "hết hạn" in asyncio.run(scenario())
    assert bot_world.rows(TelegramLink) == []


def test_it_answers_an_unlinked_chat_with_how_to_link_and_nothing_else(bot_world: BotWorld) -> None:
    stranger = bot_world.chat(STRANGER_CHAT)

    async def scenario() -> list[str]:
        async with bot_world.running():
            return [
                await stranger.say("/viec"),
                await stranger.say("Xin chào"),
                await stranger.say(f"/xong {bot_world.code} Biên bản số 1"),
                await stranger.press(f"done:{bot_world.code}", message_id=1),
                await stranger.say("/start"),
            ]

    answers = asyncio.run(scenario())
    assert all("chưa được liên kết" in a and "/start MÃ" in a for a in answers)
    assert bot_world.occurrence().state == OPEN and bot_world.evidence() == []
    assert len(bot_world.audit("telegram-unlinked-chat")) == 5
    assert bot_world.api.state.callback_answers  # the button was answered, not left spinning


def test_it_links_a_unit_group_only_with_a_unit_code(bot_world: BotWorld) -> None:
    person_code, unit_code = bot_world.invite(TCKH), bot_world.invite(unit="ktht")
    group = bot_world.chat(KTHT_GROUP, user_id=4242)

    async def scenario() -> list[str]:
        async with bot_world.running():
            return [
                await group.say(f"/start@nhacviec_test_bot {person_code}"),
                await bot_world.chat(TCKH_CHAT).link(unit_code),
                await group.say(f"/start@nhacviec_test_bot {unit_code}"),
            ]

    in_group, in_private, linked = asyncio.run(scenario())
    assert "tin nhắn riêng" in in_group
    assert "nhóm Telegram của đơn vị" in in_private
    assert "Đã liên kết nhóm này với" in linked and "Phòng Kinh tế và Hạ tầng" in linked
    (link,) = bot_world.rows(TelegramLink)
    assert (link.chat_id, link.unit_id, link.person_id) == (KTHT_GROUP, "ktht", None)


def test_it_stays_silent_to_chatter_in_an_unlinked_group(bot_world: BotWorld) -> None:
    group = bot_world.chat(-1005550, user_id=4242)

    async def scenario() -> str:
        async with bot_world.running():
            bot_world.api.push_message(-1005550, "Chiều nay họp lúc 3 giờ nhé", from_id=4242)
            return await group.say("/viec@nhacviec_test_bot")  # processed after the chatter

    assert "Nhóm này chưa được liên kết" in asyncio.run(scenario())
    assert len(group.bot_messages()) == 1
    assert len(bot_world.audit("telegram-unlinked-chat")) == 1
