"""Evidence files from a chat: size-checked before downloading, stored by content hash."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from telegram import Bot, Message
from telegram.error import TelegramError

from notifications.bot.deps import BotDeps
from notifications.bot.texts import file_size
from scheduler.evidence_store import StoredFile, store_bytes
from scheduler.service import ServiceError

log = logging.getLogger("nhacviec.bot")
MB = 1024 * 1024
CLOUD_LIMIT_MB = 20  # what the cloud Bot API lets a bot download; a local server allows more


@dataclass(frozen=True)
class Attachment:
    file_id: str
    size: int | None  # as Telegram announced it; may be missing
    name: str
    mime_type: str | None


def attachment_of(message: Message) -> Attachment | None:
    """The document or the largest photo of a message; None when it carries neither."""
    if message.document is not None:
        doc = message.document
        return Attachment(
            doc.file_id, doc.file_size, doc.file_name or f"tep-{doc.file_unique_id}", doc.mime_type
        )
    if message.photo:
        photo = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        return Attachment(
            photo.file_id, photo.file_size, f"anh-{photo.file_unique_id}.jpg", "image/jpeg"
        )
    return None


def max_file_bytes(max_evidence_mb: int, custom_server: bool) -> int:
    return (max_evidence_mb if custom_server else min(max_evidence_mb, CLOUD_LIMIT_MB)) * MB


def _check_size(size: int | None, limit: int, name: str) -> None:
    if size is not None and size > limit:
        raise ServiceError(
            f"Tệp «{name}» nặng {file_size(size)}, vượt giới hạn "
            f"{file_size(limit)} cho một minh chứng. Hãy gửi bản nhẹ hơn (nén, "
            f"chụp ảnh trang chính) hoặc ghi số văn bản thay cho tệp."
        )


async def fetch_evidence(bot: Bot, deps: BotDeps, message: Message) -> list[StoredFile]:
    """Download the message's file (if any) and store it; ServiceError when it cannot be taken.

    The announced size is checked before anything is downloaded, and again on what arrives.
    """
    item = attachment_of(message)
    if item is None:
        return []
    _check_size(item.size, deps.max_file_bytes, item.name)
    try:
        remote = await bot.get_file(item.file_id)
        _check_size(remote.file_size, deps.max_file_bytes, item.name)
        content = await remote.download_as_bytearray()
    except TelegramError as exc:
        log.warning("evidence file %s could not be fetched: %s", item.file_id, exc)
        raise ServiceError(
            f"Không tải được tệp «{item.name}» từ Telegram. Hãy gửi lại sau ít phút."
        ) from None
    _check_size(len(content), deps.max_file_bytes, item.name)
    stored = await asyncio.to_thread(
        store_bytes, deps.data_dir, bytes(content), item.name, item.mime_type
    )
    return [stored]
