"""How a rule reads back in Vietnamese, for people checking what the compiler understood."""

from __future__ import annotations

import calendar as gregorian
from datetime import date

from bench.legacy_timing.events import EVENTS_BY_KEY
from bench.legacy_timing.model import Rule, TimingOptions
from rules.vndate import WEEKDAYS, short_date

ROMAN_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}
EVERY = {"yearly": "hằng năm", "quarterly": "hằng quý", "monthly": "hằng tháng",
         "weekly": "hằng tuần", "halfyearly": "6 tháng một lần"}
CADENCE_UNIT = {"yearly": "năm", "quarterly": "quý", "monthly": "tháng", "halfyearly": "kỳ 6 tháng"}
BEFORE_READING = ("«Trước ngày X» được hiểu đúng nghĩa chữ: hạn là ngày làm việc cuối cùng trước "
                  "ngày X (nhắc sớm một ngày thì vô hại, trễ một ngày thì không).")


def _is_month_end(day: date) -> bool:
    return day.day == gregorian.monthrange(day.year, day.month)[1]


def months_label(first_month: int, last_month: int) -> str:
    """(6, 6) -> "tháng 6"; (1, 3) -> "quý I"; (1, 6) -> "6 tháng đầu năm"."""
    if first_month == last_month:
        return f"tháng {first_month}"
    if (first_month, last_month) == (1, 6):
        return "6 tháng đầu năm"
    if (first_month, last_month) == (7, 12):
        return "6 tháng cuối năm"
    if first_month % 3 == 1 and last_month == first_month + 2:
        return f"quý {ROMAN_NUMERALS[last_month // 3]}"
    if (first_month, last_month) == (1, 12):
        return "cả năm"
    return f"tháng {first_month}–{last_month}"


def period_label(first: date, last: date) -> str:
    """"Tháng 01/2024", "Quý I/2023", "6 tháng đầu năm 2024", "Năm 2023", "Tháng 12/2022 –
    tháng 03/2023"; a span of days otherwise."""
    if first.day != 1 or not _is_month_end(last):
        return short_date(first) if first == last else f"{short_date(first)} – {short_date(last)}"
    if first.year != last.year:
        return f"Tháng {first.month:02d}/{first.year} – tháng {last.month:02d}/{last.year}"
    if first.month == last.month:
        return f"Tháng {first.month:02d}/{first.year}"
    if (first.month, last.month) == (1, 12):
        return f"Năm {first.year}"
    text = months_label(first.month, last.month)
    if text.startswith("quý"):
        return f"Quý {ROMAN_NUMERALS[last.month // 3]}/{first.year}"
    if text.startswith("6 tháng"):
        return f"{text} {first.year}"
    return f"Tháng {first.month:02d}–{last.month:02d}/{first.year}"


def _period_unit(first: date, last: date) -> str:
    if first.year == last.year and first.month == last.month:
        return "tháng"
    if first.year == last.year and (first.month, last.month) == (1, 12):
        return "năm"
    label = months_label(first.month, last.month) if first.year == last.year else ""
    return "quý" if label.startswith("quý") else "kỳ"


def _period_due(unit: str, options: TimingOptions) -> str:
    if options.period_deadline == "last_day":
        return f"ngày cuối {unit} (nếu trùng ngày nghỉ thì dời theo lịch làm việc)"
    return f"ngày làm việc cuối {unit}"


def _moved(on_day_off: str | None) -> str:
    if on_day_off == "previous":
        return " (nếu trùng ngày nghỉ thì lùi về ngày làm việc liền trước)"
    if on_day_off == "next":
        return " (nếu trùng ngày nghỉ thì dời sang ngày làm việc liền sau)"
    return " (nếu trùng ngày nghỉ thì dời theo lịch làm việc)"


def named_due(day_text: str, before: bool, on_day_off: str | None) -> str:
    if before:
        return f"trước ngày {day_text} (tức ngày làm việc cuối cùng trước ngày đó)"
    return f"ngày {day_text}{_moved(on_day_off)}"


def describe_rule(rule: Rule, options: TimingOptions) -> str:
    body = _BODIES[rule.kind](rule, options)
    if rule.label:
        return f"{rule.label}: {body[:1].lower()}{body[1:]}"
    return body[:1].upper() + body[1:]


def _once(rule: Rule, options: TimingOptions) -> str:
    assert rule.last is not None
    if rule.named_date:
        return f"một lần; hạn: {named_due(short_date(rule.last), rule.before, rule.on_day_off)}"
    assert rule.first is not None
    unit = _period_unit(rule.first, rule.last)
    return f"{period_label(rule.first, rule.last)}; hạn: {_period_due(unit, options)}"


def _window(rule: Rule, options: TimingOptions) -> str:
    assert rule.first is not None and rule.last is not None
    if rule.named_date:
        return (f"từ ngày {short_date(rule.first)} đến hết ngày {short_date(rule.last)}; hạn: "
                f"{named_due(short_date(rule.last), False, rule.on_day_off)}")
    return (f"trong khoảng {period_label(rule.first, rule.last).lower()}; hạn: "
            f"{_period_due('đợt', options)}")


def _yearly(rule: Rule, options: TimingOptions) -> str:
    if rule.day is not None and rule.month is not None:
        due = named_due(f"{rule.day:02d}/{rule.month:02d}", rule.before, rule.on_day_off)
        return f"hằng năm; hạn: {due}"
    if rule.months is None:
        return f"hằng năm; hạn: {_period_due('năm', options)}"
    part = months_label(*rule.months)
    unit = part if part.startswith(("tháng", "quý")) else "tháng " + str(rule.months[1])
    return f"hằng năm, {part}; hạn: {_period_due(unit, options)}"


def _monthly(rule: Rule, options: TimingOptions) -> str:
    if rule.day is not None:
        due = named_due(f"{rule.day:02d} hằng tháng", rule.before, rule.on_day_off)
        return f"hằng tháng; hạn: {due}"
    return f"hằng tháng; hạn: {_period_due('tháng', options)}"


def _weekly(rule: Rule, options: TimingOptions) -> str:
    if rule.weekday is not None:
        return f"hằng tuần; hạn: {WEEKDAYS[rule.weekday]} hằng tuần{_moved(rule.on_day_off)}"
    return f"hằng tuần; hạn: {_period_due('tuần', options)}"


def _ongoing(rule: Rule, options: TimingOptions) -> str:
    cadence = rule.checkin or options.ongoing_checkin
    if cadence == "none":
        return "thường xuyên, không có hạn cố định; không đặt lịch kiểm tra"
    return (f"thường xuyên, không có hạn cố định; kiểm tra định kỳ {EVERY[cadence]} vào "
            f"{_period_due(CADENCE_UNIT[cadence], options)}")


def _adhoc(rule: Rule, options: TimingOptions) -> str:
    trigger = rule.trigger.strip() or "đột xuất"
    return f"{trigger.lower()}: không có lịch, bắt đầu khi được giao (khởi động thủ công)"


def _after(rule: Rule, options: TimingOptions) -> str:
    event = EVENTS_BY_KEY.get(rule.event)
    name = event.name if event else rule.event_text
    if rule.calendar_days is not None:
        span = f"{rule.calendar_days} ngày (theo lịch)"
    else:
        span = f"{rule.working_days} ngày làm việc"
    return f"sau {name}; hạn: {span} kể từ khi {name} hoàn thành"


_BODIES = {
    "once": _once, "window": _window, "yearly": _yearly, "monthly": _monthly,
    "quarterly": lambda rule, options: f"hằng quý; hạn: {_period_due('quý', options)}",
    "halfyearly": lambda rule, options: (
        f"6 tháng một lần; hạn: {_period_due('tháng 6 và cuối tháng 12', options)}"),
    "weekly": _weekly, "ongoing": _ongoing, "adhoc": _adhoc, "after": _after,
}
