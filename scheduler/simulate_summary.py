"""What each person received over a simulated period: the figures `simulate --summary` prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from scheduler.simulate import Message

REMINDER_KINDS_EXCLUDED = frozenset({"digest", "reply"})


@dataclass(frozen=True)
class PersonSummary:
    person: str
    name: str
    messages: int  # every message, all channels
    per_week: float  # messages per week of the period, all channels
    max_per_day: int  # most reminder messages on one channel in one day
    items: int  # items carried, all channels

    def to_json(self) -> dict[str, object]:
        return {
            "to": self.person,
            "name": self.name,
            "messages": self.messages,
            "per_week": round(self.per_week, 1),
            "max_per_day": self.max_per_day,
            "items": self.items,
        }


def summarise(messages: Iterable[Message], start: date, end: date) -> list[PersonSummary]:
    """Per person, most messages first."""
    weeks = max(((end - start).days + 1) / 7, 1 / 7)
    totals: Counter[str] = Counter()
    items: Counter[str] = Counter()
    per_day: Counter[tuple[str, str, date]] = Counter()
    names: dict[str, str] = {}
    for message in messages:
        totals[message.to] += 1
        items[message.to] += len(message.items)
        names[message.to] = message.name
        if message.kind not in REMINDER_KINDS_EXCLUDED:
            per_day[(message.to, message.channel, message.at.date())] += 1
    most: Counter[str] = Counter()
    for (person, _channel, _day), count in per_day.items():
        most[person] = max(most[person], count)
    return [
        PersonSummary(person, names[person], total, total / weeks, most[person], items[person])
        for person, total in totals.most_common()
    ]
