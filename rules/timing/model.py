"""Options, dated deadlines and errors: the values every part of the compiler shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Cadence = Literal["monthly", "quarterly", "halfyearly", "yearly", "none"]
OnDayOff = Literal["previous", "next", "nearest"]
RECURRING_KINDS = (
    "yearly",
    "monthly",
    "quarterly",
    "halfyearly",
    "weekly",
    "term",
    "nth_weekday",
    "count",
)


@dataclass(frozen=True)
class TimingOptions:
    """How the compiler reads what a phrase leaves open (the [timing] section of config).

    `school_year_start`: the month a school year starts (8 or 9) when the plan is a
    school-year plan ("NĂM HỌC 2025 – 2026"); the plan year is then the year it starts in,
    months from that month on fall in it and earlier months in the next one, and
    recurring rows run over the school year. `plan_date`: the day the plan was signed,
    for "từ nay đến hết năm" (the 1st of January of the plan year when not given).
    """

    ongoing_checkin: Cadence = "quarterly"
    period_deadline: Literal["last_working_day", "last_day"] = "last_working_day"
    after_event_working_days: int = 10
    school_year_start: int | None = None
    plan_date: date | None = None


@dataclass(frozen=True)
class Deadline:
    """A dated due date. `key` identifies it within its row whatever the calendar does."""

    key: str
    kind: str
    label: str
    opens: date | None
    due: date

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "label": self.label,
            "opens": self.opens.isoformat() if self.opens else None,
            "due": self.due.isoformat(),
        }


class TimingError(ValueError):
    """A phrase (or part of it) that cannot be read. Never means "no deadline".

    `span` is (start, end) in `phrase`, the NFC form of the text given; `message` and
    `hint` are Vietnamese and meant for the person who typed the plan. Without an explicit
    hint, the closest known word and form are suggested (worked out only when asked for).
    """

    def __init__(
        self, phrase: str, span: tuple[int, int], message: str, hint: str | None = None
    ) -> None:
        self.phrase = phrase
        self.span = span
        self.message = message
        self._hint = hint
        super().__init__(phrase, span, message)

    @property
    def hint(self) -> str:
        if self._hint is None:
            from rules.timing.hints import hint_for  # difflib: only when a person asks

            self._hint = hint_for(self.phrase, self.part if self.span[1] > self.span[0] else "")
        return self._hint

    @property
    def part(self) -> str:
        start, end = self.span
        return self.phrase[start:end].strip() or self.phrase.strip()

    def __str__(self) -> str:
        if not self.phrase.strip():
            text = self.message[:1].upper() + self.message[1:]
            return f"{text}. Gợi ý: {self.hint}" if self.hint else text
        text = f"Không đọc được thời gian thực hiện «{self.phrase.strip()}»: {self.message}"
        if self.part and self.part != self.phrase.strip() and f"«{self.part}»" not in self.message:
            text += f" (ở «{self.part}»)"
        if self.hint:
            text += f". Gợi ý: {self.hint}"
        return text
