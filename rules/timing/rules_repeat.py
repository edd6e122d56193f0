"""Rules that repeat over the plan: every period, a day of each month, a weekday, the
n-th week of a month, and N times per period."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from rules.timing.describe import (
    CADENCE_UNIT,
    EVERY,
    ROMAN_NUMERALS,
    moved,
    named_due,
    period_due,
    with_label,
)
from rules.timing.lunar import to_solar
from rules.timing.model import TimingOptions
from rules.timing.rule_base import Expansion, Item, RuleBase, add_months, clamp_day, month_end
from rules.vndate import WEEKDAYS, vietnamese_date

Period = tuple[str, str, date, date]  # key, label, first, last
_IN_PERIOD = {"last": "tháng cuối", "first": "tháng đầu", "next": "tháng sau"}


def periods(ctx: Expansion, unit: str) -> list[Period]:
    """The periods of `unit` whose last day falls in the plan (calendar or school year)."""
    first_day, last_day = ctx.span
    found: list[Period] = []
    for year in sorted({first_day.year, last_day.year}):
        found.extend(_periods_of_year(ctx, unit, year))
    return [p for p in found if first_day <= p[3] <= last_day]


def _periods_of_year(ctx: Expansion, unit: str, year: int) -> list[Period]:
    if unit == "monthly":
        return [
            (f"m-{year}-{m:02d}", f"Tháng {m:02d}/{year}", date(year, m, 1), month_end(year, m))
            for m in range(1, 13)
        ]
    if unit == "quarterly":
        return [
            (
                f"q-{year}-{q}",
                f"Quý {ROMAN_NUMERALS[q]}/{year}",
                date(year, 3 * q - 2, 1),
                month_end(year, 3 * q),
            )
            for q in range(1, 5)
        ]
    if unit == "halfyearly":
        return [
            (f"h-{year}-1", f"6 tháng đầu năm {year}", date(year, 1, 1), month_end(year, 6)),
            (f"h-{year}-2", f"6 tháng cuối năm {year}", date(year, 7, 1), month_end(year, 12)),
        ]
    if unit == "term":
        start = ctx.options.school_year_start or 9
        return [
            (
                f"hk-{year}-1",
                f"Học kỳ I năm học {year}-{year + 1}",
                date(year, start, 1),
                month_end(year + 1, 1),
            ),
            (
                f"hk-{year}-2",
                f"Học kỳ II năm học {year}-{year + 1}",
                date(year + 1, 2, 1),
                month_end(year + 1, 5),
            ),
        ]
    if unit == "yearly":
        return [(f"y-{year}", f"Năm {year}", date(year, 1, 1), date(year, 12, 31))]
    if unit == "weekly":
        monday = date(year, 1, 1) - timedelta(days=date(year, 1, 1).weekday())
        weeks: list[Period] = []
        while monday.year <= year:
            iso_year, week, _ = monday.isocalendar()
            if iso_year == year:
                weeks.append(
                    (
                        f"w-{iso_year}-{week:02d}",
                        f"Tuần {week}/{iso_year}",
                        monday,
                        monday + timedelta(days=6),
                    )
                )
            monday += timedelta(days=7)
        return weeks
    return []


@dataclass(frozen=True)
class Every(RuleBase):
    """Every `unit` (monthly, quarterly, halfyearly, term): due at the period's end, or on
    `day` of its first/last month or of the month after it (`month_in_period`)."""

    rule = "every"
    unit: str
    day: int | None = None
    month_in_period: str | None = None
    before: bool = False
    on_day_off: str | None = None
    days_after: int | None = None  # "30 ngày kể từ ngày kết thúc quý"
    working: bool = False  # days_after counts working days
    label: str = ""
    text: str = ""

    @property
    def kind(self) -> str:
        return self.unit

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        for key, shown, first, last in periods(ctx, self.unit):
            label = f"{self.label} – {shown}" if self.label else shown
            if self.days_after is not None:
                yield key, label, *ctx.after_end(last, self.days_after, self.working)
                continue
            if self.day is None:
                yield key, label, *ctx.period(first, last, self.on_day_off)
                continue
            anchor = {"first": first, "next": last + timedelta(days=1)}.get(
                self.month_in_period or "last", last
            )
            nominal = clamp_day(anchor.year, anchor.month, self.day)
            within = (date(anchor.year, anchor.month, 1), month_end(anchor.year, anchor.month))
            yield key, label, None, ctx.named(nominal, self.before, self.on_day_off, within)

    def describe(self, options: TimingOptions) -> str:
        every = EVERY[self.unit]
        if self.days_after is not None:
            unit = "ngày làm việc" if self.working else "ngày"
            return with_label(
                self.label,
                f"{every}; hạn: {self.days_after} {unit} sau ngày cuối {CADENCE_UNIT[self.unit]}",
            )
        if self.day is None:
            return with_label(
                self.label, f"{every}; hạn: {period_due(CADENCE_UNIT[self.unit], options)}"
            )
        where = _IN_PERIOD[self.month_in_period or "last"]
        unit = CADENCE_UNIT[self.unit]
        day = f"{self.day:02d} của {where} {unit if where != 'tháng sau' else 'kỳ'}".strip()
        return with_label(
            self.label, f"{every}; hạn: {named_due(day, self.before, self.on_day_off)}"
        )


@dataclass(frozen=True)
class MonthlyDay(RuleBase):
    """On `days` of every month (lunar months when `lunar`): "ngày 15 hằng tháng"."""

    rule = "monthly_day"
    days: tuple[int, ...]
    before: bool = False
    on_day_off: str | None = None
    lunar: bool = False
    label: str = ""
    text: str = ""

    kind = "monthly"  # type: ignore[assignment]

    @property
    def day(self) -> int:
        return self.days[0]

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        first_day, last_day = ctx.span
        months = (
            [add_months(first_day.year - 1, 1, i) for i in range(36)]
            if self.lunar
            else list(ctx.months())
        )
        for year, month in months:
            for day in self.days:
                key = f"{'al-' if self.lunar else ''}m-{year}-{month:02d}"
                key += f"-d{day:02d}" if len(self.days) > 1 else ""
                if self.lunar:
                    nominal = to_solar(year, month, day)
                    within = None
                else:
                    nominal = clamp_day(year, month, day)
                    within = (date(year, month, 1), month_end(year, month))
                if not first_day <= nominal <= last_day:
                    continue
                label = f"Ngày {day:02d}/{month:02d}" + (" âm lịch" if self.lunar else f"/{year}")
                yield (
                    key,
                    f"{self.label} – {label}" if self.label else label,
                    None,
                    ctx.named(nominal, self.before, self.on_day_off, within),
                )

    def describe(self, options: TimingOptions) -> str:
        days = " và ".join(f"{d:02d}" for d in self.days)
        cal = " (âm lịch)" if self.lunar else ""
        return with_label(
            self.label,
            f"hằng tháng{cal}; hạn: "
            f"{named_due(days + ' hằng tháng', self.before, self.on_day_off)}",
        )


@dataclass(frozen=True)
class Weekly(RuleBase):
    """Every week: on `weekday` (0 = Monday), or by the week's last working day."""

    rule = "weekly"
    weekday: int | None = None
    on_day_off: str | None = None
    label: str = ""
    text: str = ""

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        first_day, last_day = ctx.span
        monday = first_day - timedelta(days=first_day.weekday())
        while monday <= last_day:
            iso_year, week, _ = monday.isocalendar()
            key, label = f"w-{iso_year}-{week:02d}", f"Tuần {week}/{iso_year}"
            sunday = monday + timedelta(days=6)
            if self.weekday is not None:
                nominal = monday + timedelta(days=self.weekday)
                opens, due = None, ctx.named(nominal, False, self.on_day_off, (monday, sunday))
                label = vietnamese_date(nominal)
            else:
                nominal = monday + timedelta(days=4)
                opens, due = ctx.period(monday, sunday)
            if first_day <= nominal <= last_day:
                yield key, f"{self.label} – {label}" if self.label else label, opens, due
            monday += timedelta(days=7)

    def describe(self, options: TimingOptions) -> str:
        if self.weekday is not None:
            return with_label(
                self.label,
                f"hằng tuần; hạn: {WEEKDAYS[self.weekday]} hằng tuần{moved(self.on_day_off)}",
            )
        return with_label(self.label, f"hằng tuần; hạn: {period_due('tuần', options)}")
