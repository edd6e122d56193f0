"""The fake Bot API speaks enough Telegram for python-telegram-bot's own request code."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Bot, BotCommand, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest

from tests.fakes.bot_api import TOKEN, FakeBotApi

T = TypeVar("T")


def with_bot(api: FakeBotApi, use: Callable[[Bot], Awaitable[T]]) -> T:
    async def main() -> T:
        async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
            return await use(bot)

    return asyncio.run(main())


def test_it_answers_get_me_with_the_test_bot(bot_api: FakeBotApi) -> None:
    me = with_bot(bot_api, lambda bot: bot.get_me())

    assert me.username == "nhacviec_test_bot"


def test_it_serves_pushed_updates_once_confirmed_by_offset(bot_api: FakeBotApi) -> None:
    bot_api.push_message(1001, "/start ABC123")
    bot_api.push_callback(1001, "done:K7M2Q", message_id=5)

    async def poll(bot: Bot) -> tuple[list[Any], list[Any]]:
        first = await bot.get_updates(timeout=0)
        again = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
        return list(first), list(again)

    first, again = with_bot(bot_api, poll)

    assert first[0].message.text == "/start ABC123"
    assert first[1].callback_query.data == "done:K7M2Q"
    assert again == []


def test_it_wakes_a_long_poll_when_an_update_arrives(bot_api: FakeBotApi) -> None:
    async def poll(bot: Bot) -> list[Any]:
        loop = asyncio.get_running_loop()
        loop.call_later(0.1, bot_api.push_message, 1001, "xin chào")
        return list(await bot.get_updates(timeout=5, read_timeout=10))

    [update] = with_bot(bot_api, poll)

    assert update.message.text == "xin chào"


def test_it_links_a_reply_to_the_bot_message(bot_api: FakeBotApi) -> None:
    async def converse(bot: Bot) -> Any:
        sent = await bot.send_message(1001, "<b>Nhắc việc</b>", parse_mode=ParseMode.HTML)
        bot_api.push_message(1001, "Đã xong, QĐ số 12", reply_to_message_id=sent.message_id)
        [update] = await bot.get_updates(timeout=0)
        return update

    update = with_bot(bot_api, converse)

    assert update.message.reply_to_message.text == "<b>Nhắc việc</b>"


def test_it_serves_files_sent_by_people(bot_api: FakeBotApi) -> None:
    bot_api.push_document(1001, b"%PDF-1.4 bien ban", "bien-ban.pdf", caption="K7M2Q")

    async def download(bot: Bot) -> bytes:
        [update] = await bot.get_updates(timeout=0)
        assert update.message is not None and update.message.document is not None
        file = await bot.get_file(update.message.document.file_id)
        return bytes(await file.download_as_bytearray())

    assert with_bot(bot_api, download) == b"%PDF-1.4 bien ban"


def test_it_edits_messages_and_keyboards(bot_api: FakeBotApi) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("✅", callback_data="done:X")]])

    async def edit(bot: Bot) -> None:
        sent = await bot.send_message(1001, "Nhắc việc", reply_markup=keyboard)
        await bot.edit_message_text("Đã hoàn thành ✅", chat_id=1001, message_id=sent.message_id)
        await bot.edit_message_reply_markup(chat_id=1001, message_id=sent.message_id)
        await bot.answer_callback_query("42", text="Đã ghi nhận")

    with_bot(bot_api, edit)

    [message] = bot_api.messages(1001)
    assert message["text"] == "Đã hoàn thành ✅"
    assert "reply_markup" not in message
    assert bot_api.state.callback_answers[0]["text"] == "Đã ghi nhận"


def test_it_refuses_html_telegram_would_refuse(bot_api: FakeBotApi) -> None:
    async def bad(bot: Bot) -> str:
        try:
            await bot.send_message(1001, "a < b", parse_mode=ParseMode.HTML)
        except BadRequest as exc:
            return exc.message
        return "accepted"

    assert "can't parse entities" in with_bot(bot_api, bad).lower()


def test_it_keeps_commands_and_webhook_settings(bot_api: FakeBotApi) -> None:
    async def setup(bot: Bot) -> Any:
        await bot.delete_webhook(drop_pending_updates=True)
        await bot.set_my_commands([BotCommand("viec", "Việc của tôi")])
        return await bot.get_my_commands()

    [command] = with_bot(bot_api, setup)

    assert command.command == "viec"
    assert [r.method for r in bot_api.requests] == [
        "getMe",
        "deleteWebhook",
        "setMyCommands",
        "getMyCommands",
    ]


def test_it_marks_commands_with_their_entity(bot_api: FakeBotApi) -> None:
    bot_api.push_message(1001, "/start ABC123")
    bot_api.push_message(1001, "xin chào")

    async def poll(bot: Bot) -> list[Any]:
        return list(await bot.get_updates(timeout=0))

    command, plain = with_bot(bot_api, poll)

    assert command.message.entities[0].type == "bot_command"
    assert command.message.entities[0].length == len("/start")
    assert plain.message.entities == ()


def test_it_echoes_only_inline_keyboards_like_telegram(bot_api: FakeBotApi) -> None:
    async def send(bot: Bot) -> Any:
        return await bot.send_message(1001, "Gửi minh chứng:", reply_markup=ForceReply())

    sent = with_bot(bot_api, send)

    assert sent.reply_markup is None
    assert bot_api.calls("sendMessage")[0].params["reply_markup"] == {"force_reply": True}
