"""More updates for the fake Bot API (tests/fakes/bot_api.py): photos, edits, channel posts,
stickers, files that claim to be huge. Each pushes onto the fake's getUpdates queue and
returns the update it queued.
"""

from __future__ import annotations

import re
import time
from typing import Any

from tests.fakes.bot_api import FakeBotApi

_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram attaches to a leading "/command" (PTB's CommandHandler
    and filters.COMMAND look for it, not for the slash)."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": len(match.group(0))}]


def push_text(
    api: FakeBotApi,
    chat_id: int,
    text: str,
    *,
    from_id: int | None = None,
    reply_to_message_id: int | None = None,
) -> dict[str, Any]:
    """Like FakeBotApi.push_message, with the entities Telegram would send."""
    extra: dict[str, Any] = {"text": text}
    if entities := command_entities(text):
        extra["entities"] = entities
    message = api.state.incoming(chat_id, from_id, reply_to_message_id=reply_to_message_id, **extra)
    return api.push_update({"message": message})


def push_photo(
    api: FakeBotApi,
    chat_id: int,
    content: bytes,
    *,
    caption: str | None = None,
    from_id: int | None = None,
    reply_to_message_id: int | None = None,
) -> dict[str, Any]:
    """A photo as Telegram sends it: several sizes, the largest last (all served by getFile)."""
    thumb = api.add_file(content[:64] or b"t", "thumb.jpg", mime_type="image/jpeg")
    full = api.add_file(content, "photo.jpg", mime_type="image/jpeg")
    sizes = [
        {
            "file_id": f["file_id"],
            "file_unique_id": f["file_unique_id"],
            "width": w,
            "height": h,
            "file_size": f["file_size"],
        }
        for f, w, h in ((thumb, 90, 120), (full, 960, 1280))
    ]
    extra: dict[str, Any] = {"photo": sizes}
    if caption is not None:
        extra["caption"] = caption
    message = api.state.incoming(chat_id, from_id, reply_to_message_id=reply_to_message_id, **extra)
    return api.push_update({"message": message})


def push_announced_document(
    api: FakeBotApi,
    chat_id: int,
    file_name: str,
    announced_size: int,
    *,
    from_id: int | None = None,
    caption: str | None = None,
    reply_to_message_id: int | None = None,
) -> dict[str, Any]:
    """A document whose announced file_size is `announced_size` (without storing that much):
    the bot must refuse it from the size alone, before any getFile."""
    document = {
        **api.add_file(b"%PDF-1.4 tiny", file_name, mime_type="application/pdf"),
        "file_size": announced_size,
    }
    extra: dict[str, Any] = {"document": document}
    if caption is not None:
        extra["caption"] = caption
    message = api.state.incoming(chat_id, from_id, reply_to_message_id=reply_to_message_id, **extra)
    return api.push_update({"message": message})


def push_edited(
    api: FakeBotApi, chat_id: int, text: str, *, from_id: int | None = None
) -> dict[str, Any]:
    message = api.state.incoming(chat_id, from_id, text=text)
    message["edit_date"] = int(time.time())
    return api.push_update({"edited_message": message})


def push_channel_post(api: FakeBotApi, chat_id: int, text: str) -> dict[str, Any]:
    post = {
        "message_id": api.state.next_id(f"message:{chat_id}"),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "channel", "title": "Kênh thông báo"},
        "sender_chat": {"id": chat_id, "type": "channel", "title": "Kênh thông báo"},
        "text": text,
    }
    return api.push_update({"channel_post": post})


def push_sticker(api: FakeBotApi, chat_id: int, *, from_id: int | None = None) -> dict[str, Any]:
    sticker = {
        "file_id": "sticker-1",
        "file_unique_id": "s1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    message = api.state.incoming(chat_id, from_id, sticker=sticker)
    return api.push_update({"message": message})


def push_bare_message(
    api: FakeBotApi, chat_id: int, *, from_id: int | None = None
) -> dict[str, Any]:
    """A message with no text, caption, file or anything else."""
    return api.push_update({"message": api.state.incoming(chat_id, from_id)})


def keep_only_inline_keyboards(api: FakeBotApi) -> None:
    """Make sendMessage answer like Telegram: a sent Message carries `reply_markup` only when
    it is an inline keyboard (a ForceReply or a reply keyboard is not echoed back; PTB cannot
    parse one there). The request itself is still recorded with its reply_markup.

    Until tests/fakes/bot_api_objects.py does this itself, wrap the fake's state instance.
    """
    send = api.state.api_sendMessage

    def send_like_telegram(params: dict[str, Any], files: dict[str, bytes]) -> Any:
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" not in markup:
            params = {k: v for k, v in params.items() if k != "reply_markup"}
        return send(params, files)

    api.state.api_sendMessage = send_like_telegram  # type: ignore[method-assign]  # the fake's method replaced on purpose, to answer as Telegram does
