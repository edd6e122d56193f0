"""What `run` prints: one line per delivered message (time, recipient, channel, rows), and
a summary when it stops. Read from the outbox after each delivery, so it shows what was
really sent, whatever the channel."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from rules.directory import Directory
from scheduler.models import PENDING, SENT, Notification, Occurrence, RowRecord

CHANNELS = {"email": "email", "telegram": "Telegram"}


@dataclass
class DeliveryPrinter:
    db: Engine
    directory: Directory
    tz: ZoneInfo
    seen: int = 0
    sent: Counter[str] = field(default_factory=Counter)
    people: set[str] = field(default_factory=set)

    def start(self) -> None:
        with Session(self.db) as session:
            self.seen = session.exec(select(func.max(Notification.id))).one() or 0

    def _rows(self) -> list[tuple[Notification, str]]:
        with Session(self.db) as session:
            found = session.exec(
                select(Notification, RowRecord.ref)
                .outerjoin(Occurrence, col(Notification.occurrence_id) == col(Occurrence.id))
                .outerjoin(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
                .where(col(Notification.id) > self.seen, col(Notification.state) == SENT)
                .order_by(col(Notification.id))
            ).all()
        return [(n, ref or "") for n, ref in found]

    def print_new(self) -> None:
        """Print the messages sent since the last call; one line per message (bundle)."""
        rows = self._rows()
        if not rows:
            return
        # Facts carried by one message share its external id (a bundle); else one each.
        messages: dict[tuple[str, str, str], list[tuple[Notification, str]]] = {}
        for note, ref in rows:
            key = (note.person_id, note.channel, note.external_id or f"#{note.id}")
            messages.setdefault(key, []).append((note, ref))
        for (person, channel, _), items in messages.items():
            first = items[0][0]
            at = (first.sent_at or first.next_attempt_at).astimezone(self.tz)
            refs = ", ".join(dict.fromkeys(ref or "tổng hợp tuần" for _, ref in items))
            typer.echo(
                f"{at:%d/%m/%Y %H:%M}  {refs}  → {self.directory.display_name(person)} "
                f"({CHANNELS.get(channel, channel)})"
            )
            self.sent[channel] += 1
            self.people.add(person)
        self.seen = max(n.id or 0 for n, _ in rows)

    def waiting(self) -> int:
        with Session(self.db) as session:
            return session.exec(
                select(func.count()).select_from(Notification).where(Notification.state == PENDING)
            ).one()

    def summary(self, stopped_at: datetime) -> str:
        total = sum(self.sent.values())
        parts = ", ".join(f"{n} {CHANNELS.get(c, c)}" for c, n in sorted(self.sent.items()))
        detail = f" ({parts})" if parts else ""
        return (
            f"Đã dừng lúc {stopped_at.astimezone(self.tz):%H:%M %d/%m/%Y}: "
            f"đã gửi {total} tin{detail} cho {len(self.people)} người."
        )
