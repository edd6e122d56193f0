"""The typed result of compiling a timing phrase: rules, dated deadlines, errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rules.calendar import WorkingCalendar

RuleKind = Literal[
    "once", "window", "yearly", "monthly", "quarterly", "halfyearly", "weekly",
    "ongoing", "adhoc", "after",
]
Cadence = Literal["monthly", "quarterly", "halfyearly", "yearly", "none"]
RECURRING_KINDS = ("yearly", "monthly", "quarterly", "halfyearly", "weekly")


@dataclass(frozen=True)
class TimingOptions:
    """How the compiler reads what a phrase leaves open (the [timing] section of config)."""

    ongoing_checkin: Cadence = "quarterly"
    period_deadline: Literal["last_working_day", "last_day"] = "last_working_day"
    after_event_working_days: int = 10


@dataclass(frozen=True)
class Rule:
    """One timing rule of a row. Which fields matter depends on `kind`:

    - once / window: `first`..`last` is the period (opens on `first`); when `named_date`
      is set, `last` is a date the phrase names and the deadline is that date, or the
      working day before it when `before` is set ("trước ngày …").
    - yearly: `day`+`month` for a fixed date each year, or `months` (first, last month)
      for a part of the year ("tháng 6 hằng năm", "quý I hằng năm"); neither: whole year.
    - monthly: `day` of the month, or the whole month. weekly: `weekday` (0 = Monday).
    - quarterly / halfyearly: the whole quarter / half. ongoing: check-ins every `checkin`.
    - adhoc: `trigger` as written. after: `event` key ("dgnb"), `event_text` as written,
      `working_days` (or `calendar_days`) after the event.
    """

    kind: RuleKind
    label: str = ""
    text: str = ""
    first: date | None = None
    last: date | None = None
    named_date: bool = False
    before: bool = False
    months: tuple[int, int] | None = None
    day: int | None = None
    month: int | None = None
    weekday: int | None = None
    checkin: Cadence | None = None
    trigger: str = ""
    event: str = ""
    event_text: str = ""
    working_days: int | None = None
    calendar_days: int | None = None
    on_day_off: Literal["previous", "next"] | None = None

    def to_json(self) -> dict[str, Any]:
        """kind, label, text, then the fields of this kind (null when not given)."""
        data: dict[str, Any] = {"kind": self.kind, "label": self.label, "text": self.text}
        for name in _KIND_FIELDS[self.kind]:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            data[name] = value
        return data

    def due_after(self, event_day: date, calendar: WorkingCalendar) -> date:
        """An "after" rule's due date once its event happened on `event_day`."""
        if self.calendar_days is not None:
            return calendar.adjust(event_day + timedelta(days=self.calendar_days), self.on_day_off)
        return calendar.add_working_days(event_day, self.working_days or 0)


_DATED = ("first", "last", "named_date", "before", "on_day_off")
_KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "once": _DATED, "window": _DATED,
    "yearly": ("day", "month", "months", "before", "on_day_off"),
    "monthly": ("day", "before", "on_day_off"), "weekly": ("weekday", "on_day_off"),
    "quarterly": (), "halfyearly": (), "ongoing": ("checkin",), "adhoc": ("trigger",),
    "after": ("event", "event_text", "working_days", "calendar_days", "on_day_off"),
}


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
            "key": self.key, "kind": self.kind, "label": self.label,
            "opens": self.opens.isoformat() if self.opens else None, "due": self.due.isoformat(),
        }


@dataclass(frozen=True)
class Schedule:
    """How one "Thời gian thực hiện" cell was read, for one plan year."""

    phrase: str
    year: int
    rules: tuple[Rule, ...]
    note: str = ""
    assumptions: tuple[str, ...] = ()
    options: TimingOptions = field(default_factory=TimingOptions)

    @property
    def is_adhoc(self) -> bool:
        """The row may be started by hand at any time (it has an "đột xuất" rule)."""
        return any(rule.kind == "adhoc" for rule in self.rules)

    @property
    def is_ongoing_only(self) -> bool:
        """Nothing but "thường xuyên": no hard deadline, only check-ins."""
        return bool(self.rules) and all(rule.kind == "ongoing" for rule in self.rules)

    @property
    def after_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.kind == "after")

    def describe(self) -> str:
        """How the phrase was read, in Vietnamese: one line per rule."""
        from bench.legacy_timing.describe import describe_rule

        return "\n".join(describe_rule(rule, self.options) for rule in self.rules)

    def to_json(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "year": self.year,
            "rules": [rule.to_json() for rule in self.rules],
            "note": self.note,
            "assumptions": list(self.assumptions),
            "description": self.describe(),
        }


class TimingError(ValueError):
    """A phrase (or part of it) that cannot be read. Never means "no deadline".

    `span` is (start, end) in `phrase`, the NFC form of the text given; `message` and
    `hint` are Vietnamese and meant for the person who typed the plan. Without an explicit
    hint, the closest known word and form are suggested (worked out only when asked for:
    the parser raises and catches these while trying readings).
    """

    def __init__(self, phrase: str, span: tuple[int, int], message: str,
                 hint: str | None = None) -> None:
        self.phrase = phrase
        self.span = span
        self.message = message
        self._hint = hint
        super().__init__(phrase, span, message)

    @property
    def hint(self) -> str:
        if self._hint is None:
            from bench.legacy_timing.hints import hint_for

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
