"""Updates a test pushes to the fake Bot API, as people would send them to the bot."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from tests.fakes.bot_api_objects import BotState, command_entities, user


class UpdatePushes:
    """Messages, files and button presses for getUpdates (mixed into FakeBotApi)."""

    _lock: threading.Lock
    _loop: asyncio.AbstractEventLoop
    _new_update: asyncio.Event | None
    state: BotState

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (its update_id is assigned when missing)."""
        with self._lock:
            update = self.state.queue_update(update)
        if self._new_update is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update

    def push_message(
        self,
        chat_id: int,
        text: str,
        *,
        from_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """A person writes `text` in `chat_id` (optionally replying to a bot message); a
        leading "/command" carries its bot_command entity, as from Telegram."""
        extra: dict[str, Any] = {"text": text}
        if entities := command_entities(text):
            extra["entities"] = entities
        message = self.state.incoming(
            chat_id, from_id, reply_to_message_id=reply_to_message_id, **extra
        )
        return self.push_update({"message": message})

    def push_document(
        self,
        chat_id: int,
        content: bytes,
        file_name: str,
        *,
        mime_type: str = "application/pdf",
        caption: str | None = None,
        from_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """A person sends a file; getFile and the download URL then serve `content`."""
        document = self.add_file(content, file_name, mime_type=mime_type)
        extra: dict[str, Any] = {"document": document}
        if caption is not None:
            extra["caption"] = caption
        message = self.state.incoming(
            chat_id, from_id, reply_to_message_id=reply_to_message_id, **extra
        )
        return self.push_update({"message": message})

    def push_callback(
        self, chat_id: int, data: str, *, message_id: int, from_id: int | None = None
    ) -> dict[str, Any]:
        """A person presses an inline button with callback `data` under bot message `message_id`."""
        query = {
            "id": str(self.state.next_id("callback")),
            "from": user(from_id or chat_id),
            "chat_instance": f"ci-{chat_id}",
            "data": data,
            "message": self.state.find(chat_id, message_id) or self.state.stub(chat_id, message_id),
        }
        return self.push_update({"callback_query": query})

    def add_file(
        self,
        content: bytes,
        file_name: str = "file.bin",
        *,
        mime_type: str = "application/octet-stream",
    ) -> dict[str, Any]:
        """Store a file; returns its Document object (file_id, file_name, ...)."""
        with self._lock:
            return self.state.add_file(content, file_name, mime_type)
