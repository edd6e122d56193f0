"""Rules that repeat by week of the month or by number: the n-th week, N times per period."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from rules.timing.describe import CADENCE_UNIT, moved, period_due, with_label
from rules.timing.model import TimingOptions
from rules.timing.rule_base import Expansion, Item, RuleBase, add_months, month_end
from rules.timing.rules_repeat import periods
from rules.vndate import WEEKDAYS


@dataclass(frozen=True)
class NthWeekday(RuleBase):
    """The `week`-th week of a month (days 1–7, 8–14 …; -1 = its last 7 days), on `weekday`
    or by that week's last working day; every month, or `month` of every year."""

    rule = "nth_weekday"
    week: int
    weekday: int | None = None
    month: int | None = None
    on_day_off: str | None = None
    label: str = ""
    text: str = ""

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        for year, month in ctx.months():
            if self.month is not None and month != self.month:
                continue
            last = month_end(year, month)
            first = (
                last - timedelta(days=6)
                if self.week < 0
                else date(year, month, min(7 * (self.week - 1) + 1, last.day))
            )
            end = min(first + timedelta(days=6), last)
            key = f"y-{year}" if self.month is not None else f"m-{year}-{month:02d}"
            shown = f"Tuần {'cuối' if self.week < 0 else self.week} tháng {month:02d}/{year}"
            label = f"{self.label} – {shown}" if self.label else shown
            if self.weekday is None:
                yield key, label, *ctx.period(first, end)
                continue
            nominal = first + timedelta(days=(self.weekday - first.weekday()) % 7)
            yield (
                key,
                label,
                None,
                ctx.named(nominal, False, self.on_day_off, (date(year, month, 1), last)),
            )

    def describe(self, options: TimingOptions) -> str:
        week = "tuần cuối" if self.week < 0 else f"tuần thứ {self.week}"
        where = f"tháng {self.month} hằng năm" if self.month else "hằng tháng"
        rule = "(tuần thứ N là các ngày 7N-6 đến 7N của tháng)"
        if self.weekday is None:
            return with_label(
                self.label, f"{week} của {where} {rule}; hạn: ngày làm việc cuối tuần đó"
            )
        return with_label(
            self.label,
            f"{WEEKDAYS[self.weekday]} {week} của {where} {rule}{moved(self.on_day_off)}",
        )


@dataclass(frozen=True)
class Count(RuleBase):
    """`times` times per `unit` (yearly, quarterly, monthly, term), spread evenly: each
    share of the period is due at its end. `bound` "min"/"max" says it is at least / at most."""

    rule = "count"
    times: int
    unit: str = "yearly"
    bound: str | None = None
    label: str = ""
    text: str = ""

    def expand(self, ctx: Expansion) -> Iterator[Item]:
        for key, shown, first, last in periods(ctx, self.unit):
            length = (last - first).days + 1
            start = first
            for index in range(1, self.times + 1):
                end = first + timedelta(days=round(length * index / self.times) - 1)
                if self.times < 12 and 12 % self.times == 0 and self.unit == "yearly":
                    end = month_end(
                        *add_months(first.year, first.month, 12 * index // self.times - 1)
                    )
                label = f"Lần {index}/{self.times} – {shown}"
                yield (
                    f"c-{key}-{index}",
                    f"{self.label} – {label}" if self.label else label,
                    *ctx.period(start, end),
                )
                start = end + timedelta(days=1)

    def describe(self, options: TimingOptions) -> str:
        bound = {"min": "tối thiểu ", "max": "tối đa "}.get(self.bound or "", "")
        unit = CADENCE_UNIT.get(self.unit, self.unit)
        note = (
            " (số lần là mức tối thiểu; hạn đặt cho đúng số lần đó)"
            if self.bound == "min"
            else " (số lần là mức tối đa; hạn đặt cho đúng số lần đó)"
            if self.bound
            else ""
        )
        return with_label(
            self.label,
            f"{bound}{self.times} lần mỗi {unit}, chia đều; hạn: "
            f"{period_due('mỗi phần', options)}{note}",
        )
