"""Telegram through python-telegram-bot's Bot (HTTPX), paced by our RateLimiter."""

from __future__ import annotations

import asyncio
import html
import time
import warnings
from collections.abc import Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest, HTTPXRequest

from notifications.base import (
    BLOCKED,
    NO_CHANNEL,
    REJECTED,
    Button,
    Channel,
    DeliveryError,
    DeliveryResult,
    OutgoingMessage,
)
from notifications.ratelimit import RateLimiter

BUTTONS_PER_ROW = 2
NETWORK_PAUSE = 30.0  # seconds without trying after the Bot API could not be reached


# python-telegram-bot's own defaults, for when [telegram] names no local Bot API server.
BOT_API_URL = "https://api.telegram.org/bot"
BOT_API_FILE_URL = "https://api.telegram.org/file/bot"


class TelegramChannel(Channel):
    """Sends HTML messages with inline keyboards; external_id is "chat_id:message_id".

    After a RetryAfter the channel sends nothing until the wait is over: further sends in
    that time fail at once as transient, with the remaining wait, instead of hammering.
    The same pause (NETWORK_PAUSE) follows a failure to reach the Bot API at all, so an
    outage costs one timeout per run, not one per message.
    """

    name = "telegram"
    concurrency = 16

    def __init__(
        self,
        token: str,
        *,
        base_url: str | None = None,
        base_file_url: str | None = None,
        limiter: RateLimiter | None = None,
        request: BaseRequest | None = None,
        timeout: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        request = request or HTTPXRequest(
            connection_pool_size=self.concurrency * 2,
            read_timeout=timeout,
            write_timeout=timeout,
            connect_timeout=timeout,
            pool_timeout=timeout,
        )
        self.bot = Bot(
            token,
            request=request,
            base_url=base_url or BOT_API_URL,
            base_file_url=base_file_url or BOT_API_FILE_URL,
        )
        self._limiter = limiter or RateLimiter(monotonic=monotonic)
        self._monotonic = monotonic
        self._paused_until = 0.0
        self._ready = asyncio.Lock()
        self._initialized = False

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        chat_id = message.recipient.telegram_chat_id
        if chat_id is None:
            raise DeliveryError(
                f"{message.recipient.person_id}: chưa liên kết Telegram",
                permanent=True,
                problem=NO_CHANNEL,
            )
        self._check_pause()
        try:
            try:
                return await self._send(chat_id, message)
            except ChatMigrated as exc:
                # The group became a supergroup: same people, new id. Sent there at once;
                # the dispatcher moves the link when it sees the new id in the result.
                return await self._send(exc.new_chat_id, message)
        except TelegramError as exc:
            raise self._map_error(exc) from None

    async def _send(self, chat_id: int, message: OutgoingMessage) -> DeliveryResult:
        await self._initialize()
        async with self._limiter.sending(chat_id):
            sent = await self.bot.send_message(
                chat_id=chat_id,
                text=message.telegram_html or html.escape(message.text),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(message.buttons),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        for item in message.attachments:
            async with self._limiter.sending(chat_id):
                await self.bot.send_document(
                    chat_id=chat_id, document=InputFile(item.content, filename=item.filename)
                )
        return DeliveryResult(external_id=f"{chat_id}:{sent.message_id}")

    async def close(self) -> None:
        if self._initialized:
            await self.bot.shutdown()
            self._initialized = False

    async def _initialize(self) -> None:
        async with self._ready:
            if not self._initialized:
                await self.bot.initialize()  # getMe: also proves the token works
                self._initialized = True

    def _check_pause(self) -> None:
        remaining = self._paused_until - self._monotonic()
        if remaining > 0:
            raise DeliveryError(
                f"Telegram yêu cầu chờ thêm {remaining:.0f} giây",
                permanent=False,
                retry_after=remaining,
            )

    def _map_error(self, exc: TelegramError) -> DeliveryError:
        if isinstance(exc, RetryAfter):
            wait = retry_after_seconds(exc)
            self._paused_until = max(self._paused_until, self._monotonic() + wait)
            return DeliveryError(
                f"Telegram giới hạn tốc độ, thử lại sau {wait:.0f} giây",
                permanent=False,
                retry_after=wait,
            )
        if isinstance(exc, Forbidden):
            return DeliveryError(
                f"người nhận đã chặn bot hoặc rời nhóm: {exc.message}",
                permanent=True,
                problem=BLOCKED,
            )
        if isinstance(exc, ChatMigrated):
            return DeliveryError(
                f"nhóm đã chuyển sang mã chat mới {exc.new_chat_id}",
                permanent=True,
                problem=REJECTED,
            )
        if isinstance(exc, BadRequest):
            return DeliveryError(
                f"Telegram từ chối tin nhắn: {exc.message}", permanent=True, problem=REJECTED
            )
        if isinstance(exc, TimedOut):
            return DeliveryError("Telegram không trả lời kịp (timeout)", permanent=False)
        if isinstance(exc, InvalidToken):
            return DeliveryError("Telegram từ chối token của bot", permanent=False)
        self._paused_until = max(self._paused_until, self._monotonic() + NETWORK_PAUSE)
        return DeliveryError(
            f"lỗi mạng khi gọi Telegram: {exc.message}", permanent=False, retry_after=NETWORK_PAUSE
        )


def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """Inline buttons, two to a row so they stay legible on a phone."""
    if not buttons:
        return None
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows]
    )


def retry_after_seconds(exc: RetryAfter) -> float:
    # PTB 22 warns that `retry_after` will become a timedelta; accept both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
