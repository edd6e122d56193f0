"""One attempt to deliver a claimed outbox row: find the person, render, send.

Every failure comes back as a DeliveryError (permanent or not) for the recorder; nothing
raises into the dispatcher, whose claim bookkeeping must always run.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace

from sqlalchemy import Engine

from notifications.base import Channel, DeliveryError
from notifications.recipients import follow_migration, recipient_of
from notifications.render import Renderer
from rules.directory import Directory
from scheduler.clock import Clock
from scheduler.models import Notification

log = logging.getLogger("nhacviec.dispatch")


async def send_once(
    db: Engine,
    directory: Directory,
    renderer: Renderer,
    clock: Clock,
    channel: Channel | None,
    row: Notification,
) -> tuple[str | None, DeliveryError | None]:
    """(external id, None) when the channel took the message, else (None, the error)."""
    try:
        if channel is None:
            raise DeliveryError(f"chưa cấu hình kênh '{row.channel}'", permanent=True)
        recipient = await asyncio.to_thread(recipient_of, db, directory, row)
        try:
            message = renderer.render(
                row.template, json.loads(row.context_json), recipient, row.key
            )
        except Exception as exc:
            # Templates and context are ours: retried, so a fixed deploy still delivers.
            raise DeliveryError(
                f"lỗi mẫu thông báo {row.template}: {exc}", permanent=False
            ) from exc
        result = await channel.send(replace(message, written_at=clock.now()))
        await asyncio.to_thread(follow_migration, db, recipient, result.external_id)
        return result.external_id, None
    except DeliveryError as exc:
        return None, exc
    except Exception as exc:
        log.exception("id=%s channel %s raised instead of DeliveryError", row.id, row.channel)
        return None, DeliveryError(f"lỗi không lường trước: {exc!r}", permanent=False)
