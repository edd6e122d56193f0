"""Dated deadlines of a schedule for one year, on the office's working-day calendar.

A period's deadline is its last working day (or its last day moved per the calendar,
with period_deadline="last_day"). A named date is due that day, moved per the calendar
(or per the phrase's own "nếu trùng ngày nghỉ thì …"); "trước ngày X" is due on the
last working day strictly before X, whatever the calendar's direction, since moving
it later would break the "before".
"""

from __future__ import annotations

import calendar as gregorian
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

from bench.legacy_timing.describe import ROMAN_NUMERALS, months_label, period_label
from bench.legacy_timing.lexer import strip_diacritics
from bench.legacy_timing.model import Deadline, Rule, Schedule, TimingOptions
from rules.calendar import WorkingCalendar
from rules.vndate import short_date, vietnamese_date

_Item = tuple[str, str, date | None, date]  # key, label, opens, due
_CHECKIN_PERIODS = {
    "monthly": [(m, m) for m in range(1, 13)], "quarterly": [(1, 3), (4, 6), (7, 9), (10, 12)],
    "halfyearly": [(1, 6), (7, 12)], "yearly": [(1, 12)], "none": [],
}


def month_end(year: int, month: int) -> date:
    return date(year, month, gregorian.monthrange(year, month)[1])


class _Expander:
    def __init__(self, year: int, calendar: WorkingCalendar, options: TimingOptions) -> None:
        self.year = year
        self.calendar = calendar
        self.options = options

    def named(self, day: date, rule: Rule, within: tuple[date, date] | None = None) -> date:
        """Due date of a named day; a repeating one stays in its own week/month/year
        when moving it the usual way would leave it (Monday 01/01 -> Tuesday 02/01)."""
        if rule.before:
            return self.calendar.adjust(day - timedelta(days=1), rule.on_day_off or "previous")
        due = self.calendar.adjust(day, rule.on_day_off)
        if within is None or within[0] <= due <= within[1]:
            return due
        usual = rule.on_day_off or self.calendar.on_day_off
        other = self.calendar.adjust(day, "next" if usual == "previous" else "previous")
        return other if within[0] <= other <= within[1] else due

    def period(self, first: date, last: date, rule: Rule) -> tuple[date, date]:
        """(opens, due) of a period."""
        if self.options.period_deadline == "last_day":
            due = self.calendar.adjust(last, rule.on_day_off)
        else:
            due = self.calendar.last_working_day(first, last)
        return min(self.calendar.next_working_day(first), due), due

    def months(self, first_month: int, last_month: int, rule: Rule) -> tuple[date, date]:
        return self.period(date(self.year, first_month, 1), month_end(self.year, last_month), rule)

    def expand(self, rule: Rule) -> Iterator[_Item]:
        yield from getattr(self, f"_{rule.kind}")(rule)

    def _once(self, rule: Rule) -> Iterator[_Item]:
        assert rule.last is not None
        if rule.named_date:
            label = ("Trước ngày " if rule.before else "Ngày ") + short_date(rule.last)
            yield rule.kind, rule.label or label, None, self.named(rule.last, rule)
            return
        assert rule.first is not None
        opens, due = self.period(rule.first, rule.last, rule)
        yield rule.kind, rule.label or period_label(rule.first, rule.last), opens, due

    def _window(self, rule: Rule) -> Iterator[_Item]:
        assert rule.first is not None and rule.last is not None
        if rule.named_date:
            due = self.named(rule.last, rule)
            opens = min(self.calendar.next_working_day(rule.first), due)
        else:
            opens, due = self.period(rule.first, rule.last, rule)
        yield "window", rule.label or period_label(rule.first, rule.last), opens, due

    def _yearly(self, rule: Rule) -> Iterator[_Item]:
        if rule.day is not None and rule.month is not None:
            day = min(rule.day, gregorian.monthrange(self.year, rule.month)[1])
            nominal = date(self.year, rule.month, day)
            label = ("Trước ngày " if rule.before else "Ngày ") + short_date(nominal)
            year = (date(self.year, 1, 1), date(self.year, 12, 31))
            yield (f"y-{rule.month:02d}-{rule.day:02d}", rule.label or label, None,
                   self.named(nominal, rule, year))
            return
        first, last = rule.months or (1, 12)
        opens, due = self.months(first, last, rule)
        part = months_label(first, last)
        label = f"Năm {self.year}" if (first, last) == (1, 12) else f"{part} năm {self.year}"
        yield f"y-{self.year}", rule.label or label[:1].upper() + label[1:], opens, due

    def _monthly(self, rule: Rule) -> Iterator[_Item]:
        for month in range(1, 13):
            key, label = f"m-{self.year}-{month:02d}", f"Tháng {month:02d}/{self.year}"
            if rule.day is not None:
                last = month_end(self.year, month)
                nominal = date(self.year, month, min(rule.day, last.day))
                due = self.named(nominal, rule, (date(self.year, month, 1), last))
                yield key, _with(rule.label, label), None, due
            else:
                yield key, _with(rule.label, label), *self.months(month, month, rule)

    def _quarterly(self, rule: Rule) -> Iterator[_Item]:
        for quarter in range(1, 5):
            label = f"Quý {ROMAN_NUMERALS[quarter]}/{self.year}"
            yield (f"q-{self.year}-{quarter}", _with(rule.label, label),
                   *self.months(3 * quarter - 2, 3 * quarter, rule))

    def _halfyearly(self, rule: Rule) -> Iterator[_Item]:
        for half, (first, last) in enumerate(((1, 6), (7, 12)), start=1):
            label = f"{months_label(first, last)} {self.year}"
            yield (f"h-{self.year}-{half}", _with(rule.label, label[:1].upper() + label[1:]),
                   *self.months(first, last, rule))

    def _weekly(self, rule: Rule) -> Iterator[_Item]:
        monday = date(self.year, 1, 1) - timedelta(days=date(self.year, 1, 1).weekday())
        while monday.year <= self.year:
            iso_year, week, _ = monday.isocalendar()
            key, label = f"w-{iso_year}-{week:02d}", f"Tuần {week}/{iso_year}"
            sunday = monday + timedelta(days=6)
            if rule.weekday is not None:
                nominal = monday + timedelta(days=rule.weekday)
                due, opens = self.named(nominal, rule, (monday, sunday)), None
                label = vietnamese_date(nominal)
            else:
                nominal = monday + timedelta(days=4)
                opens, due = self.period(monday, sunday, rule)
            if nominal.year == self.year:
                yield key, _with(rule.label, label), opens, due
            monday += timedelta(days=7)

    def _ongoing(self, rule: Rule) -> Iterator[_Item]:
        cadence = rule.checkin or self.options.ongoing_checkin
        for first, last in _CHECKIN_PERIODS[cadence]:
            _, due = self.months(first, last, rule)
            period = period_label(date(self.year, first, 1), month_end(self.year, last))
            suffix = _checkin_suffix(cadence, first)
            label = f"Kiểm tra định kỳ – {period}"
            yield (f"checkin-{self.year}{suffix}", _with(rule.label, label, ": "), None, due)

    def _adhoc(self, rule: Rule) -> Iterator[_Item]:
        return iter(())

    _after = _adhoc


def _checkin_suffix(cadence: str, first_month: int) -> str:
    if cadence == "monthly":
        return f"-m{first_month:02d}"
    if cadence == "quarterly":
        return f"-q{(first_month + 2) // 3}"
    if cadence == "halfyearly":
        return f"-h{1 if first_month == 1 else 2}"
    return ""


def _with(label: str, period: str, joiner: str = " – ") -> str:
    if not label:
        return period
    return label + joiner + (period[:1].lower() + period[1:] if joiner == ": " else period)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text)).strip("-")


def rule_deadlines(schedule: Schedule, year: int,
                   calendar: WorkingCalendar) -> list[list[Deadline]]:
    """The deadlines of each rule, in rule order (adhoc and after rules have none)."""
    expander = _Expander(year, calendar, schedule.options)
    per_rule = [list(expander.expand(rule)) for rule in schedule.rules]
    counts = Counter(item[0] for items in per_rule for item in items)
    result: list[list[Deadline]] = []
    used: set[str] = set()
    for index, (rule, items) in enumerate(zip(schedule.rules, per_rule, strict=True)):
        dated: list[Deadline] = []
        for key, label, opens, due in items:
            if counts[key] > 1:  # two rules give the same key: tell them apart by label
                key = f"{_slug(rule.label) or f'r{index + 1}'}/{key}"
                if key in used:
                    key = f"{key}-{index + 1}"
            used.add(key)
            dated.append(Deadline(key, rule.kind, label, opens, due))
        result.append(dated)
    return result


def deadlines(schedule: Schedule, year: int, calendar: WorkingCalendar) -> list[Deadline]:
    """Every dated due date of `schedule` for `year`, sorted (check-ins included)."""
    flat = [deadline for dated in rule_deadlines(schedule, year, calendar) for deadline in dated]
    return sorted(flat, key=lambda deadline: (deadline.due, deadline.key))
