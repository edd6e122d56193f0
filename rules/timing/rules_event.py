"""Rules without a calendar of their own: after an event, ongoing work, ad hoc work."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from rules.calendar import WorkingCalendar
from rules.timing.describe import CADENCE_UNIT, EVERY, period_due, period_label, with_label
from rules.timing.events import EVENTS_BY_KEY
from rules.timing.model import TimingOptions
from rules.timing.rule_base import Expansion, Item, RuleBase, month_end

_CHECKIN_PERIODS = {
    "monthly": [(m, m) for m in range(1, 13)],
    "quarterly": [(1, 3), (4, 6), (7, 9), (10, 12)],
    "halfyearly": [(1, 6), (7, 12)],
    "yearly": [(1, 12)],
    "none": [],
}


@dataclass(frozen=True)
class AfterEvent(RuleBase):
    """Due `working_days` (or `calendar_days`) after an event: `event` is a key of events.py
    ("dgnb") when the event is one the plan's rows can be ("after ĐGNB"), else "" and the
    row is started by hand when `event_text` happens ("nhận được phản ánh")."""

    rule = "after"
    event: str
    event_text: str
    working_days: int | None = None
    calendar_days: int | None = None
    on_day_off: str | None = None
    label: str = ""
    text: str = ""

    def due_after(self, event_day: date, calendar: WorkingCalendar) -> date:
        """The due date once the event happened on `event_day`."""
        if self.calendar_days is not None:
            day = event_day + timedelta(days=self.calendar_days)
            mode = self.on_day_off if self.on_day_off in ("previous", "next") else None
            return calendar.adjust(day, mode)  # type: ignore[arg-type]
        return calendar.add_working_days(event_day, self.working_days or 0)

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        return iter(())

    def describe(self, options: TimingOptions) -> str:
        event = EVENTS_BY_KEY.get(self.event)
        name = event.name if event else self.event_text
        if self.calendar_days is not None:
            span = f"{self.calendar_days} ngày (theo lịch)"
        else:
            span = f"{self.working_days} ngày làm việc"
        start = "" if event else " (sự kiện ngoài kế hoạch: khởi động thủ công khi xảy ra)"
        return with_label(self.label, f"sau {name}; hạn: {span} kể từ khi {name} hoàn thành{start}")


@dataclass(frozen=True)
class Ongoing(RuleBase):
    """Ongoing work ("thường xuyên"): no deadline, check-ins every `checkin` (from `since`)."""

    rule = "ongoing"
    checkin: str = "quarterly"
    since: date | None = None
    label: str = ""
    text: str = ""

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        if self.since is not None and self.since.year > ctx.year:
            return
        for first, last in _CHECKIN_PERIODS[self.checkin]:
            _, due = ctx.period(date(ctx.year, first, 1), month_end(ctx.year, last))
            period = period_label(date(ctx.year, first, 1), month_end(ctx.year, last))
            label = f"Kiểm tra định kỳ – {period}"
            if self.label:
                label = f"{self.label}: {label[:1].lower()}{label[1:]}"
            yield f"checkin-{ctx.year}{_checkin_suffix(self.checkin, first)}", label, None, due

    def describe(self, options: TimingOptions) -> str:
        since = f"từ {period_label(self.since, self.since)} trở đi, " if self.since else ""
        if self.checkin == "none":
            return with_label(
                self.label, f"{since}thường xuyên, không có hạn cố định; không đặt lịch kiểm tra"
            )
        return with_label(
            self.label,
            f"{since}thường xuyên, không có hạn cố định; kiểm tra định "
            f"kỳ {EVERY[self.checkin]} vào "
            f"{period_due(CADENCE_UNIT[self.checkin], options)}",
        )


def _checkin_suffix(cadence: str, first_month: int) -> str:
    if cadence == "monthly":
        return f"-m{first_month:02d}"
    if cadence == "quarterly":
        return f"-q{(first_month + 2) // 3}"
    if cadence == "halfyearly":
        return f"-h{1 if first_month == 1 else 2}"
    return ""


@dataclass(frozen=True)
class AdHoc(RuleBase):
    """Started by hand when `trigger` happens ("đột xuất", "khi có văn bản mới")."""

    rule = "adhoc"
    trigger: str = "đột xuất"
    label: str = ""
    text: str = ""

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        return iter(())

    def describe(self, options: TimingOptions) -> str:
        trigger = self.trigger.strip() or "đột xuất"
        return with_label(
            self.label,
            f"{trigger.lower()}: không có lịch, bắt đầu khi được giao (khởi động thủ công)",
        )
