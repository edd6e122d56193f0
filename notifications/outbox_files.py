"""The channels used when nothing is configured: .eml files, and Telegram on the console."""

from __future__ import annotations

import hashlib
import html
import os
import re
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from notifications.base import (
    NO_CHANNEL,
    Channel,
    DeliveryError,
    DeliveryResult,
    OutgoingMessage,
)
from notifications.mime import deliverable_email

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(key: str, suffix: str = ".eml") -> str:
    """A file name from an outbox key: readable, bounded, and distinct for distinct keys
    (the hash keeps "a/b" and "a_b" apart after unsafe characters are folded)."""
    readable = _UNSAFE.sub("_", key).strip("._")[:120] or "message"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{readable}-{digest}{suffix}"


class EmlFileChannel(Channel):
    """Writes each email as an .eml file; the same key overwrites the same file."""

    name = "email"

    def __init__(self, outbox_dir: Path, *, sender: str, sender_name: str) -> None:
        self.outbox_dir = outbox_dir
        self._sender = sender
        self._sender_name = sender_name

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        mail = deliverable_email(message, sender=self._sender, sender_name=self._sender_name)
        path = self.outbox_dir / safe_file_name(message.key)
        try:
            self.outbox_dir.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".eml.part")
            partial.write_bytes(bytes(mail))
            os.replace(partial, path)  # a reader never sees half a file
        except OSError as exc:
            raise DeliveryError(f"không ghi được {path}: {exc.strerror}", permanent=False) from None
        return DeliveryResult(external_id=str(mail["Message-ID"]), detail=str(path))


_TG_TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>")
_STYLES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "code": "cyan",
    "pre": "cyan",
}


def telegram_to_text(telegram_html: str) -> Text:
    """Telegram's HTML as styled console text: bold stays bold, other tags go."""
    out = Text()
    styles: list[str] = []
    position = 0
    for match in _TG_TAG.finditer(telegram_html):
        out.append(html.unescape(telegram_html[position : match.start()]), " ".join(styles))
        position = match.end()
        style = _STYLES.get(match.group(2))
        if style and match.group(1):
            if style in styles:
                styles.remove(style)
        elif style:
            styles.append(style)
    out.append(html.unescape(telegram_html[position:]), " ".join(styles))
    return out


class ConsoleChannel(Channel):
    """Stands in for Telegram without a bot token: prints what the phone would show."""

    name = "telegram"

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        recipient = message.recipient
        if recipient.telegram_chat_id is None:
            raise DeliveryError(
                f"{recipient.person_id}: chưa liên kết Telegram", permanent=True, problem=NO_CHANNEL
            )
        body = (
            telegram_to_text(message.telegram_html.rstrip())
            if message.telegram_html
            else Text(message.text.rstrip())
        )
        if message.buttons:
            body.append("\n\n" + "  ".join(f"[{b.text}]" for b in message.buttons))
        title = f"Telegram → {recipient.name} ({recipient.telegram_chat_id})"
        self.console.print(Panel(body, title=title, title_align="left", expand=False))
        return DeliveryResult(external_id=None, detail="console")
