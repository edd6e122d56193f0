from __future__ import annotations

import asyncio
import socket
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

from notifications.base import (
    BLOCKED,
    NO_CHANNEL,
    REJECTED,
    Attachment,
    DeliveryError,
    OutgoingMessage,
    Recipient,
)
from notifications.ratelimit import RateLimiter
from notifications.render import Renderer
from notifications.telegram import TelegramChannel
from tests.fakes.bot_api import TOKEN, FakeBotApi
from tests.notifications.sample import AN, context
from tests.notifications.test_ratelimit import VirtualTime

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def channel_for(
    api: FakeBotApi, time: VirtualTime | None = None, timeout: float = 5.0
) -> TelegramChannel:
    time = time or VirtualTime()
    limiter = RateLimiter(monotonic=time.monotonic, sleep=time.sleep)
    return TelegramChannel(
        TOKEN,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        limiter=limiter,
        timeout=timeout,
        monotonic=time.monotonic,
    )


def reminder(to: Recipient = AN, **overrides: Any) -> OutgoingMessage:
    return Renderer().render(
        "reminder_before", context(**overrides), to, "occ12/L2/nguyen-van-an/telegram"
    )


async def send(channel: TelegramChannel, *messages: OutgoingMessage) -> list[str | None]:
    try:
        return [(await channel.send(m)).external_id for m in messages]
    finally:
        await channel.close()


def failure(channel: TelegramChannel, message: OutgoingMessage) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        run(send(channel, message))
    return caught.value


def test_it_sends_html_with_the_reminder_keyboard(bot_api: FakeBotApi) -> None:
    [external_id] = run(send(channel_for(bot_api), reminder()))

    [request] = bot_api.calls("sendMessage")
    assert external_id == "1001:1"
    assert request.params["chat_id"] == 1001
    assert request.params["parse_mode"] == "HTML"
    assert request.params["text"].startswith("<b>Sắp đến hạn: còn 7 ngày (5 ngày làm việc)</b>")
    keyboard = request.params["reply_markup"]["inline_keyboard"]
    assert keyboard == [
        [
            {"text": "✅ Đã hoàn thành", "callback_data": "done:K7M2Q"},
            {"text": "📎 Gửi minh chứng", "callback_data": "evidence:K7M2Q"},
        ],
        [{"text": "📋 Chi tiết", "callback_data": "detail:K7M2Q"}],
    ]
    assert request.params["link_preview_options"] == {"is_disabled": True}


def test_it_escapes_text_the_templates_did_not_render(bot_api: FakeBotApi) -> None:
    plain = OutgoingMessage(key="k", recipient=AN, subject="s", text="Báo cáo <quý> & năm")

    run(send(channel_for(bot_api), plain))

    assert bot_api.messages(1001)[0]["text"] == "Báo cáo &lt;quý&gt; &amp; năm"


def test_it_escapes_dynamic_parts_so_telegram_accepts_them(bot_api: FakeBotApi) -> None:
    message = reminder(row={"task": "Rà soát <TTHC> & cập nhật"})

    run(send(channel_for(bot_api), message))

    [sent] = bot_api.calls("sendMessage", ok=True)
    assert "Rà soát &lt;TTHC&gt; &amp; cập nhật" in sent.params["text"]
    assert "<TTHC>" not in sent.params["text"]


def test_it_treats_a_blocked_bot_as_permanent(bot_api: FakeBotApi) -> None:
    bot_api.fail("sendMessage", 403)

    error = failure(channel_for(bot_api), reminder())

    assert error.permanent and error.problem == BLOCKED
    assert "blocked" in str(error)


def test_it_treats_a_bad_request_as_permanent(bot_api: FakeBotApi) -> None:
    bot_api.fail("sendMessage", 400, "Bad Request: chat not found")

    error = failure(channel_for(bot_api), reminder())

    assert error.permanent and error.problem == REJECTED


def test_it_honours_retry_after_and_pauses_until_then(bot_api: FakeBotApi) -> None:
    time = VirtualTime()
    channel = channel_for(bot_api, time)
    bot_api.fail("sendMessage", 429, retry_after=30)

    async def three_tries() -> list[DeliveryError | str | None]:
        outcomes: list[DeliveryError | str | None] = []
        for advance in (0, 10, 25):
            time.now += advance
            try:
                outcomes.append((await channel.send(reminder())).external_id)
            except DeliveryError as exc:
                outcomes.append(exc)
        await channel.close()
        return outcomes

    first, second, third = run(three_tries())

    assert isinstance(first, DeliveryError) and not first.permanent
    assert first.retry_after == 30
    assert isinstance(second, DeliveryError) and second.retry_after == pytest.approx(20)
    assert third == "1001:1"
    assert len(bot_api.calls("sendMessage")) == 2  # the paused attempt never left


def test_it_treats_a_slow_answer_as_transient(bot_api: FakeBotApi) -> None:
    bot_api.slow("sendMessage", 3.0)

    error = failure(channel_for(bot_api, timeout=0.2), reminder())

    assert not error.permanent
    assert "timeout" in str(error)


def test_it_treats_a_server_error_as_transient(bot_api: FakeBotApi) -> None:
    bot_api.fail("sendMessage", 502)

    error = failure(channel_for(bot_api), reminder())

    assert not error.permanent


def test_it_pauses_after_the_bot_api_could_not_be_reached() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    time = VirtualTime()
    channel = TelegramChannel(
        TOKEN, base_url=f"http://127.0.0.1:{closed}/bot", monotonic=time.monotonic
    )

    async def twice() -> list[DeliveryError]:
        errors = []
        for _ in range(2):
            try:
                await channel.send(reminder())
            except DeliveryError as exc:
                errors.append(exc)
        await channel.close()
        return errors

    first, second = run(twice())

    assert not first.permanent and first.retry_after == 30.0
    assert "chờ" in str(second)  # failed fast: no second connection attempt


def test_it_treats_a_rejected_token_as_transient(bot_api: FakeBotApi) -> None:
    channel = TelegramChannel("999:wrong", base_url=bot_api.base_url)

    error = failure(channel, reminder())

    assert not error.permanent and error.problem is None


def test_it_paces_messages_to_one_chat(bot_api: FakeBotApi) -> None:
    time = VirtualTime()

    run(send(channel_for(bot_api, time), reminder(), reminder(), reminder()))

    assert time.sleeps == pytest.approx([1.1, 1.1])  # a second apart, and headroom
    assert len(bot_api.messages(1001)) == 3


def test_it_sends_attachments_as_documents(bot_api: FakeBotApi) -> None:
    message = OutgoingMessage(
        key="k",
        recipient=AN,
        subject="s",
        text="Báo cáo tuần",
        attachments=(Attachment("bao-cao.csv", b"a,b\n1,2\n", "text/csv"),),
    )

    run(send(channel_for(bot_api), message))

    [upload] = bot_api.calls("sendDocument")
    assert upload.files["document"] == b"a,b\n1,2\n"
    assert upload.params["document"]["filename"] == "bao-cao.csv"


def test_it_needs_a_chat_to_send_to(bot_api: FakeBotApi) -> None:
    error = failure(channel_for(bot_api), reminder(to=Recipient("x", "Không Có", "x@x.vn")))

    assert error.permanent and error.problem == NO_CHANNEL
    assert bot_api.requests == []
