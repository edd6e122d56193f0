"""Rules tied to the calendar: a one-off (Once), a span (Window), a date every year (Yearly)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from rules.timing.describe import (
    months_label,
    named_due,
    period_due,
    period_label,
    period_unit,
    with_label,
)
from rules.timing.lunar import to_solar
from rules.timing.model import TimingOptions
from rules.timing.rule_base import Expansion, Item, RuleBase, clamp_day, month_end
from rules.vndate import short_date


@dataclass(frozen=True)
class Once(RuleBase):
    """Done once: over a period `first`..`last` (due its last working day), or by a named
    date `last` (`named`; due that day, or the working day before it when `before`)."""

    rule = "once"
    last: date
    first: date | None = None
    named: bool = False
    before: bool = False
    on_day_off: str | None = None
    label: str = ""
    text: str = ""

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        if self.named or self.first is None:
            shown = ("Trước ngày " if self.before else "Ngày ") + short_date(self.last)
            yield (
                "once",
                self.label or shown,
                None,
                ctx.named(self.last, self.before, self.on_day_off),
            )
            return
        opens, due = ctx.period(self.first, self.last, self.on_day_off)
        yield "once", self.label or period_label(self.first, self.last), opens, due

    def describe(self, options: TimingOptions) -> str:
        if self.named or self.first is None:
            due = named_due(short_date(self.last), self.before, self.on_day_off)
            return with_label(self.label, f"một lần; hạn: {due}")
        unit = period_unit(self.first, self.last)
        body = f"{period_label(self.first, self.last)}; hạn: {period_due(unit, options)}"
        return with_label(self.label, body)


@dataclass(frozen=True)
class Window(RuleBase):
    """Done within `first`..`last`: opens on `first`, due at the end (a named last day when
    `named`)."""

    rule = "window"
    first: date
    last: date
    named: bool = False
    on_day_off: str | None = None
    label: str = ""
    text: str = ""

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        if self.named:
            due = ctx.named(self.last, False, self.on_day_off)
            opens = min(ctx.calendar.next_working_day(self.first), due)
        else:
            opens, due = ctx.period(self.first, self.last, self.on_day_off)
        yield "window", self.label or period_label(self.first, self.last), opens, due

    def describe(self, options: TimingOptions) -> str:
        if self.named:
            body = (
                f"từ ngày {short_date(self.first)} đến hết ngày {short_date(self.last)}; "
                f"hạn: {named_due(short_date(self.last), False, self.on_day_off)}"
            )
        else:
            body = (
                f"trong khoảng {period_label(self.first, self.last).lower()}; hạn: "
                f"{period_due('đợt', options)}"
            )
        return with_label(self.label, body)


@dataclass(frozen=True)
class Yearly(RuleBase):
    """Every year: on `day`/`month` (of the lunar calendar when `lunar`), or over months
    `months` (first, last) of the year ("tháng 6 hằng năm", "quý I hằng năm"), or the year."""

    rule = "yearly"
    day: int | None = None
    month: int | None = None
    months: tuple[int, int] | None = None
    before: bool = False
    on_day_off: str | None = None
    lunar: bool = False
    days_after: int | None = None  # "45 ngày kể từ ngày kết thúc 6 tháng đầu năm"
    working: bool = False
    label: str = ""
    text: str = ""

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        if self.day is not None and self.month is not None:
            yield from self._dates(ctx)
            return
        first, last = self.months or (1, 12)
        span_first = ctx.span[0]
        year = ctx.year if first >= span_first.month or span_first.month == 1 else ctx.year + 1
        opens, due = ctx.month_period(year, first, last)
        if self.days_after is not None:
            last_year = year if last >= first else year + 1
            opens, due = ctx.after_end(month_end(last_year, last), self.days_after, self.working)
        part = months_label(first, last)
        shown = f"Năm {ctx.year}" if (first, last) == (1, 12) else f"{part} năm {year}"
        yield f"y-{ctx.year}", self.label or shown[:1].upper() + shown[1:], opens, due

    def _dates(self, ctx: Expansion) -> Iterator[Item]:
        assert self.day is not None and self.month is not None
        span = ctx.span
        for year in (ctx.year, ctx.year + 1):
            nominal = (
                to_solar(year, self.month, self.day)
                if self.lunar
                else clamp_day(year, self.month, self.day)
            )
            if not span[0] <= nominal <= span[1]:
                continue
            shown = ("Trước ngày " if self.before else "Ngày ") + short_date(nominal)
            due = ctx.named(nominal, self.before, self.on_day_off, span)
            key = f"y-{'al-' if self.lunar else ''}{self.month:02d}-{self.day:02d}"
            yield key, self.label or shown, None, due
            return

    def describe(self, options: TimingOptions) -> str:
        if self.day is not None and self.month is not None:
            written = f"{self.day:02d}/{self.month:02d}" + (" âm lịch" if self.lunar else "")
            return with_label(
                self.label, f"hằng năm; hạn: {named_due(written, self.before, self.on_day_off)}"
            )
        if self.days_after is not None:
            unit = "ngày làm việc" if self.working else "ngày"
            part = months_label(*(self.months or (1, 12)))
            return with_label(
                self.label, f"hằng năm, {part}; hạn: {self.days_after} {unit} sau ngày cuối kỳ"
            )
        if self.months is None:
            return with_label(self.label, f"hằng năm; hạn: {period_due('năm', options)}")
        part = months_label(*self.months)
        unit = part if part.startswith(("tháng", "quý")) else "tháng " + str(self.months[1])
        return with_label(self.label, f"hằng năm, {part}; hạn: {period_due(unit, options)}")
