"""Reading a form post with files: the size limit holds while the body arrives, only
document and image types are taken, and files are stored by content hash as the bot does."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path, PurePath

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.types import Message

from notifications.web.guard import Refusal
from scheduler.evidence_store import StoredFile, store_bytes

# What a plan's evidence is: decisions, reports, minutes, registers, photos of them.
ALLOWED = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
MAX_FILES = 10
DRAIN_FACTOR = 8


class UploadRefused(Refusal):
    """`reason` is a key of pages.REFUSALS: "too-large" or "file-type"."""


@dataclass(frozen=True)
class Upload:
    name: str
    mime_type: str
    content: bytes


async def read_form(request: Request, limit: int) -> FormData:
    """The form, refusing a body over `limit` bytes: first by its announced length, then
    while it streams in (a chunked body announces nothing)."""
    announced = request.headers.get("content-length", "")
    too_large = announced.isdigit() and int(announced) > limit
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        too_large = too_large or total > limit
        if too_large:
            # Keep reading (and dropping) a while, so the browser gets the refusal page
            # instead of a reset connection; past that, stop listening.
            if total > DRAIN_FACTOR * limit:
                break
            continue
        chunks.append(chunk)
    if too_large:
        raise UploadRefused("too-large")
    body = b"".join(chunks)

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return await Request(request.scope, replay).form(max_files=MAX_FILES, max_fields=50)


async def uploads_of(form: FormData) -> list[Upload]:
    """The `file` fields that carry a file, checked by name and by their first bytes."""
    files: list[Upload] = []
    for item in form.getlist("file"):
        if not isinstance(item, UploadFile) or not item.filename:
            continue
        content = await item.read()
        if not content:
            continue
        name = PurePath(item.filename.replace("\\", "/")).name
        suffix = Path(name).suffix.lower()
        if suffix not in ALLOWED or _looks_like_markup(content):
            raise UploadRefused(
                "file-type",
                f"Tệp «{name}» không được nhận: chỉ nhận PDF, ảnh (JPG, PNG) và tài liệu "
                "Office (Word, Excel, PowerPoint).",
            )
        files.append(Upload(name, ALLOWED[suffix], content))
    return files


def _looks_like_markup(content: bytes) -> bool:
    """HTML or SVG renamed to .pdf is still refused: a browser might sniff and run it."""
    head = content[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<script"))


async def store_uploads(data_dir: Path, files: list[Upload]) -> list[StoredFile]:
    return [
        await asyncio.to_thread(store_bytes, data_dir, f.content, f.name, f.mime_type)
        for f in files
    ]
