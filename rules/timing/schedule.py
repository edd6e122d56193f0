"""A compiled phrase: its typed rules, JSON both ways, and its description in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.timing.model import TimingOptions
from rules.timing.rules_count import Count, NthWeekday
from rules.timing.rules_dated import Once, Window, Yearly
from rules.timing.rules_event import AdHoc, AfterEvent, Ongoing
from rules.timing.rules_repeat import Every, MonthlyDay, Weekly

Rule = (
    Once
    | Window
    | Yearly
    | Every
    | MonthlyDay
    | Weekly
    | NthWeekday
    | Count
    | AfterEvent
    | Ongoing
    | AdHoc
)
RULE_TYPES: dict[str, type[Any]] = {
    cls.rule: cls
    for cls in (
        Once,
        Window,
        Yearly,
        Every,
        MonthlyDay,
        Weekly,
        NthWeekday,
        Count,
        AfterEvent,
        Ongoing,
        AdHoc,
    )
}


def rule_from_json(data: dict[str, Any]) -> Rule:
    """A rule from its JSON; also reads the JSON of the compiler before issue 18 (no "rule")."""
    tag = data.get("rule")
    if tag is None:
        return _legacy_rule(data)
    return RULE_TYPES[tag].from_json(data)  # type: ignore[no-any-return]


def _legacy_rule(data: dict[str, Any]) -> Rule:
    kind, label, text = data["kind"], data.get("label", ""), data.get("text", "")
    common = {"label": label, "text": text}

    def day(key: str) -> date | None:
        return date.fromisoformat(data[key]) if data.get(key) else None

    if kind in ("once", "window"):
        last = day("last")
        assert last is not None
        if kind == "window" and day("first") is not None:
            return Window(
                first=day("first"),
                last=last,
                named=bool(data.get("named_date")),
                on_day_off=data.get("on_day_off"),
                **common,
            )  # type: ignore[arg-type]
        return Once(
            last=last,
            first=day("first"),
            named=bool(data.get("named_date")),
            before=bool(data.get("before")),
            on_day_off=data.get("on_day_off"),
            **common,
        )
    if kind == "yearly":
        months = tuple(data["months"]) if data.get("months") else None
        return Yearly(
            day=data.get("day"),
            month=data.get("month"),
            months=months,  # type: ignore[arg-type]
            before=bool(data.get("before")),
            on_day_off=data.get("on_day_off"),
            **common,
        )
    if kind == "monthly" and data.get("day") is not None:
        return MonthlyDay(
            days=(data["day"],),
            before=bool(data.get("before")),
            on_day_off=data.get("on_day_off"),
            **common,
        )
    if kind in ("monthly", "quarterly", "halfyearly"):
        return Every(unit=kind, **common)
    if kind == "weekly":
        return Weekly(weekday=data.get("weekday"), on_day_off=data.get("on_day_off"), **common)
    if kind == "ongoing":
        return Ongoing(checkin=data.get("checkin") or "quarterly", **common)
    if kind == "adhoc":
        return AdHoc(trigger=data.get("trigger", ""), **common)
    if kind == "after":
        return AfterEvent(
            event=data.get("event", ""),
            event_text=data.get("event_text", ""),
            working_days=data.get("working_days"),
            calendar_days=data.get("calendar_days"),
            on_day_off=data.get("on_day_off"),
            **common,
        )
    raise ValueError(f"không đọc được quy tắc đã lưu: {kind}")


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
        """The row may be started by hand at any time (it has an ad hoc rule)."""
        return any(rule.kind == "adhoc" for rule in self.rules)

    @property
    def is_ongoing_only(self) -> bool:
        """Nothing but "thường xuyên": no hard deadline, only check-ins."""
        return bool(self.rules) and all(rule.kind == "ongoing" for rule in self.rules)

    @property
    def after_rules(self) -> tuple[AfterEvent, ...]:
        return tuple(rule for rule in self.rules if isinstance(rule, AfterEvent))

    def describe(self) -> str:
        """How the phrase was read, in Vietnamese: one line per rule."""
        return "\n".join(rule.describe(self.options) for rule in self.rules)

    def to_json(self) -> dict[str, Any]:
        options = self.options
        return {
            "phrase": self.phrase,
            "year": self.year,
            "rules": [rule.to_json() for rule in self.rules],
            "note": self.note,
            "assumptions": list(self.assumptions),
            "description": self.describe(),
            "options": {
                "ongoing_checkin": options.ongoing_checkin,
                "period_deadline": options.period_deadline,
                "after_event_working_days": options.after_event_working_days,
                "school_year_start": options.school_year_start,
                "plan_date": options.plan_date.isoformat() if options.plan_date else None,
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Schedule:
        """The inverse of to_json, for this JSON and the stored JSON of the old compiler."""
        raw = data.get("options") or {}
        options = TimingOptions(
            ongoing_checkin=raw.get("ongoing_checkin", "quarterly"),
            period_deadline=raw.get("period_deadline", "last_working_day"),
            after_event_working_days=raw.get("after_event_working_days", 10),
            school_year_start=raw.get("school_year_start"),
            plan_date=date.fromisoformat(raw["plan_date"]) if raw.get("plan_date") else None,
        )
        return cls(
            phrase=data["phrase"],
            year=data["year"],
            rules=tuple(rule_from_json(rule) for rule in data["rules"]),
            note=data.get("note", ""),
            assumptions=tuple(data.get("assumptions", ())),
            options=options,
        )
