"""What the parser gathers for one clause ("vế") before it becomes rules."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class PeriodRef:
    """Months `first_month`..`last_month` of `year` (None when the phrase gives no year)."""

    first_month: int
    last_month: int
    year: int | None
    start: int  # span in the phrase
    end: int
    is_range: bool = False  # written as a range of months ("Tháng 2-3/2024"): a window


@dataclass(frozen=True)
class Anchor:
    """A day the phrase names: a date (day/month/year may be missing) or a weekday."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    before: bool = False  # "trước ngày …": due strictly before it
    month_start: bool = False  # "trước tháng 11/2022": the 1st of that month
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class AfterSpec:
    event_text: str
    event_key: str
    working_days: int | None
    calendar_days: int | None


@dataclass
class Clause:
    start: int | None = None
    end: int = 0
    label: list[str] = field(default_factory=list)
    qualifier: tuple[str, tuple[int, int] | None, str | None] | None = None  # text, months, kind
    periodic: bool = False
    ongoing: bool = False
    adhoc: str | None = None
    after: AfterSpec | None = None
    recurrence: str | None = None
    period_end_marker: str | None = None  # "cuối tháng" without a month
    periods: list[PeriodRef] = field(default_factory=list)  # one, or two for a window
    anchor: Anchor | None = None
    opens: Anchor | None = None  # "từ ngày …" of a window by dates
    on_day_off: str | None = None
    has_condition: bool = False  # "nếu trùng ngày nghỉ thì …" was read
    last_number: int | None = None
    assumptions: list[str] = field(default_factory=list)

    def copy(self) -> Clause:
        """A copy to try a reading on (its lists are copied, their items are immutable)."""
        return replace(self, label=list(self.label), periods=list(self.periods),
                       assumptions=list(self.assumptions))

    def period_end_marker_kind(self) -> str | None:
        """"cuối tháng" / "trong quý" with no number: the cadence it implies."""
        return {"thang": "monthly", "quy": "quarterly", "tuan": "weekly"}.get(
            self.period_end_marker or "")

    @property
    def has_timing(self) -> bool:
        return bool(self.ongoing or self.adhoc or self.after or self.recurrence or self.periods
                    or self.anchor or self.qualifier or self.periodic or self.period_end_marker)

    @property
    def is_empty(self) -> bool:
        return self.start is None
