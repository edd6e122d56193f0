"""A chat as a person sees it in the bot tests, and waiting on the fake server's state."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.fakes.bot_api import FakeBotApi
from tests.fakes.bot_updates import push_text

if TYPE_CHECKING:
    from tests.bot.conftest import BotWorld


async def until(predicate: Callable[[], object], what: str, within: float = 10.0) -> None:
    """Wait for `predicate()` to hold, checking it every 10 ms; fail naming `what`.

    The fake server lives in another thread and offers no event to await: its state is
    checked instead, with a deadline, never slept on blindly.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        if predicate():
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {what}")
        await asyncio.sleep(0.01)


@dataclass
class Chat:
    """One chat as a person sees it: what they push, and the bot's next message there."""

    world: BotWorld
    chat_id: int
    user_id: int | None = None

    @property
    def api(self) -> FakeBotApi:
        return self.world.api

    def bot_messages(self) -> list[dict[str, Any]]:
        return self.api.messages(self.chat_id)

    async def answer(self, push: Callable[[], object]) -> str:
        """Run `push` (which queues an update) and return the text of the bot's next message."""
        before = len(self.bot_messages())
        push()
        await until(lambda: len(self.bot_messages()) > before, f"a reply in chat {self.chat_id}")
        return str(self.bot_messages()[before]["text"])

    async def say(self, text: str, *, reply_to: int | None = None) -> str:
        return await self.answer(
            lambda: push_text(
                self.api, self.chat_id, text, from_id=self.user_id, reply_to_message_id=reply_to
            )
        )

    async def send_file(
        self, content: bytes, name: str, *, caption: str | None = None, reply_to: int | None = None
    ) -> str:
        return await self.answer(
            lambda: self.api.push_document(
                self.chat_id,
                content,
                name,
                caption=caption,
                from_id=self.user_id,
                reply_to_message_id=reply_to,
            )
        )

    async def press(self, data: str, message_id: int) -> str:
        return await self.answer(
            lambda: self.api.push_callback(
                self.chat_id, data, message_id=message_id, from_id=self.user_id
            )
        )

    async def link(self, code: str) -> str:
        return await self.say(f"/start {code}")
