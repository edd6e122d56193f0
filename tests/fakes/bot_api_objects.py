"""The fake Bot API's memory and its methods: chats, messages, files, the update queue.

Each `api_<method>(params, files)` returns (result, status, description). sendMessage and
editMessageText check parse_mode=HTML the way Telegram does (known tags only, balanced,
bare "<" and "&" refused) and the 4,096-character limit, so escaping bugs fail tests.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from typing import Any

from tests.fakes.telegram_html import check_html

BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Nhắc việc ISO",
    "username": "nhacviec_test_bot",
}
_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
Result = tuple[Any, int, str]
OK = 200


def user(user_id: int) -> dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": f"Người dùng {user_id}",
        "language_code": "vi",
    }


def chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"Người dùng {chat_id}"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": f"Nhóm {chat_id}"}


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram attaches to a leading "/command" (what PTB's
    CommandHandler looks for, rather than the slash)."""
    match = _COMMAND.match(text)
    return [{"type": "bot_command", "offset": 0, "length": len(match.group(0))}] if match else []


def inline_markup(params: dict[str, Any]) -> dict[str, Any]:
    """Telegram echoes reply_markup in the sent Message only for inline keyboards."""
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return {"reply_markup": markup}
    return {}


class BotState:
    def __init__(self) -> None:
        self._ids: dict[str, int] = defaultdict(int)
        self._messages: dict[tuple[Any, int], dict[str, Any]] = {}
        self._updates: list[dict[str, Any]] = []
        self._files: dict[str, tuple[str, bytes, dict[str, Any]]] = {}
        self.commands: list[dict[str, Any]] = []
        self.webhook_url = ""
        self.callback_answers: list[dict[str, Any]] = []

    def next_id(self, kind: str) -> int:
        self._ids[kind] += 1
        return self._ids[kind]

    # -- messages --------------------------------------------------------------------------

    def _store(self, chat_id: Any, sender: dict[str, Any], **fields: Any) -> dict[str, Any]:
        message_id = self.next_id(f"message:{chat_id}")
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat(chat_id),
            "from": sender,
            **fields,
        }
        self._messages[(chat_id, message_id)] = message
        return message

    def incoming(
        self,
        chat_id: int,
        from_id: int | None,
        *,
        reply_to_message_id: int | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        if reply_to_message_id is not None:
            fields["reply_to_message"] = self.find(chat_id, reply_to_message_id) or self.stub(
                chat_id, reply_to_message_id
            )
        return self._store(chat_id, user(from_id or chat_id), **fields)

    def find(self, chat_id: Any, message_id: int) -> dict[str, Any] | None:
        return self._messages.get((chat_id, message_id))

    @staticmethod
    def stub(chat_id: int, message_id: int) -> dict[str, Any]:
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat(chat_id),
            "from": BOT_USER,
            "text": "",
        }

    def chat_messages(self, chat_id: Any) -> list[dict[str, Any]]:
        """The bot's messages in a chat, oldest first, as they stand after edits."""
        return [
            m
            for (c, _), m in sorted(self._messages.items(), key=lambda kv: kv[0][1])
            if c == chat_id and m["from"]["id"] == BOT_USER["id"]
        ]

    # -- updates and files -------------------------------------------------------------------

    def queue_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self.next_id("update"), **update}
        self._updates.append(update)
        return update

    def updates_from(self, offset: int, limit: int) -> list[dict[str, Any]]:
        """Like Telegram: an offset confirms (and forgets) every update before it."""
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return self._updates[:limit]

    def add_file(self, content: bytes, file_name: str, mime_type: str) -> dict[str, Any]:
        number = self.next_id("file")
        file_id = f"file-{number}"
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{number}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        self._files[file_id] = (f"documents/{number}-{file_name}", content, document)
        return document

    def file_content(self, path: str) -> bytes | None:
        return next((c for p, c, _ in self._files.values() if p == path), None)

    # -- methods -----------------------------------------------------------------------------

    def api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        return (
            {
                **BOT_USER,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            },
            OK,
            "",
        )

    def api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        text = str(params.get("text") or "")
        if "chat_id" not in params:
            return None, 400, "Bad Request: chat_id is empty"
        if not text:
            return None, 400, "Bad Request: message text is empty"
        problem = check_html(text) if params.get("parse_mode") == "HTML" else None
        if problem:
            return None, 400, problem
        return self._store(params["chat_id"], BOT_USER, text=text, **inline_markup(params)), OK, ""

    def api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        message = self.find(params.get("chat_id"), int(params.get("message_id") or 0))
        if message is None:
            return None, 400, "Bad Request: message to edit not found"
        text = str(params.get("text") or "")
        problem = check_html(text) if params.get("parse_mode") == "HTML" else None
        if problem:
            return None, 400, problem
        if text == message.get("text") and params.get("reply_markup") == message.get(
            "reply_markup"
        ):
            return None, 400, "Bad Request: message is not modified"
        message.update(text=text, edit_date=int(time.time()))
        message.pop("reply_markup", None)
        message.update(inline_markup(params))
        return message, OK, ""

    def api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        message = self.find(params.get("chat_id"), int(params.get("message_id") or 0))
        if message is None:
            return None, 400, "Bad Request: message to edit not found"
        message.pop("reply_markup", None)
        message.update(inline_markup(params), edit_date=int(time.time()))
        return message, OK, ""

    def api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        self.callback_answers.append(params)
        return True, OK, ""

    def api_sendDocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        if "document" not in files:
            return None, 400, "Bad Request: there is no document in the request"
        meta = params["document"]
        document = self.add_file(
            files["document"],
            meta.get("filename") or "document",
            meta.get("content_type") or "application/octet-stream",
        )
        extra = {"caption": params["caption"]} if params.get("caption") else {}
        return self._store(params["chat_id"], BOT_USER, document=document, **extra), OK, ""

    def api_getFile(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            return None, 400, "Bad Request: invalid file_id"
        path, content, document = stored
        return (
            {
                "file_id": document["file_id"],
                "file_unique_id": document["file_unique_id"],
                "file_size": len(content),
                "file_path": path,
            },
            OK,
            "",
        )

    def api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        self.commands = list(params.get("commands") or [])
        return True, OK, ""

    def api_getMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        return self.commands, OK, ""

    def api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        self.webhook_url = str(params.get("url") or "")
        return True, OK, ""

    def api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True, OK, ""

    def api_getWebhookInfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        return (
            {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            },
            OK,
            "",
        )

    def api_sendChatAction(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        return True, OK, ""

    def api_close(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        return True, OK, ""

    def api_logOut(self, params: dict[str, Any], files: dict[str, bytes]) -> Result:
        return True, OK, ""
