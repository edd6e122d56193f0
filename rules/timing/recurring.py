"""Rules that repeat: which cadence a clause has, and what it keeps of the clause
(a day, a month, a weekday, a week of the month, a day relative to the period)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rules.timing.reading import Part
from rules.timing.rules_count import Count, NthWeekday
from rules.timing.rules_dated import Yearly
from rules.timing.rules_repeat import Every, MonthlyDay, Weekly

if TYPE_CHECKING:
    from rules.timing.clause import Bag, ClauseRules
    from rules.timing.schedule import Rule

_STANDARD = {
    ("yearly", 1): "yearly",
    ("yearly", 2): "halfyearly",
    ("yearly", 4): "quarterly",
    ("yearly", 12): "monthly",
    ("quarterly", 1): "quarterly",
    ("quarterly", 3): "monthly",
    ("monthly", 1): "monthly",
    ("weekly", 1): "weekly",
    ("term", 1): "term",
    ("halfyearly", 1): "halfyearly",
    ("schoolyear", 1): "yearly",
}
_MONTHS_KIND = {1: "monthly", 3: "quarterly", 6: "halfyearly", 12: "yearly"}
_REL_CADENCE = {
    "next_month": "monthly",
    "last": "quarterly",
    "first": "quarterly",
    "next_quarter": "quarterly",
    "next_year": "yearly",
}
_HINTS = {
    "yearly": "Trước ngày 30 tháng 8 hằng năm, Tháng 6 hằng năm",
    "monthly": "Ngày 15 hằng tháng, Trước ngày 25 hằng tháng",
    "weekly": "Vào thứ Hai hằng tuần",
    "quarterly": "Trước ngày 20 của tháng cuối quý",
    "halfyearly": "Định kỳ 6 tháng/lần, hoặc Trước ngày 15/6 và trước 30/11 hằng năm",
    "term": "Cuối mỗi học kỳ",
}


_CADENCE_PARTS = frozenset({"cadence", "qualifier", "count", "reldate", "deadline"})


def cadence_of(cr: ClauseRules, bag: Bag) -> str | tuple[int, str, str | None] | None:
    """The clause's cadence ("monthly"…), a count (times, unit, bound), or None."""
    if bag.kinds.isdisjoint(_CADENCE_PARTS) and not bag.shared_cadence:
        return None
    cadences = {p.value for p in bag.by["cadence"]}
    if bag.shared_cadence and not cadences:
        cadences = {bag.shared_cadence}
    if len(cadences) > 1:
        raise cr.error(
            bag,
            "hai chu kỳ khác nhau trong cùng một vế",
            "Định kỳ 6 tháng/lần, Định kỳ hằng quý, 2 lần/năm",
        )
    cadence = next(iter(cadences), None)
    qualifier = bag.first("qualifier")
    count = bag.first("count")
    if count is not None:
        return _count(cr, bag, count, cadence, qualifier)
    if cadence is None and qualifier is not None:
        kind, months = qualifier.value
        if bag.has("periodic") and kind == "months":
            cadence = _MONTHS_KIND.get(months)
            if cadence is None:
                raise cr.error(bag, f"chưa hỗ trợ chu kỳ {months} tháng", _HINTS["halfyearly"])
        elif kind in ("quarterly", "monthly", "weekly"):
            cadence = kind
            if not bag.has("reldate", "week", "days", "deadline"):
                cr.assumptions.append(
                    f"«{cr.label(bag) or cr.phrase[qualifier.start : qualifier.end]}»"
                    f" không ghi thời hạn: hiểu là hằng "
                    f"{ {'quarterly': 'quý', 'monthly': 'tháng', 'weekly': 'tuần'}[kind] }."
                )
    reldate = _reldate(bag)
    if cadence is None and reldate is not None:
        cadence = _REL_CADENCE[reldate.value[1]]
        cr.assumptions.append(
            f"«{cr.phrase[reldate.start : reldate.end]}» không ghi kỳ: hiểu là "
            f"báo cáo {({'monthly': 'tháng', 'quarterly': 'quý'}).get(cadence, 'năm')}."
        )
    return cadence


def _count(
    cr: ClauseRules, bag: Bag, count: Part, cadence: str | None, qualifier: Part | None
) -> str | tuple[int, str, str | None]:
    times, unit, bound = count.value
    unit = unit or cadence
    if unit is None and qualifier is not None and qualifier.value[0] != "months":
        unit = qualifier.value[0]
    if unit is None:
        raise cr.error(bag, f"{times} lần mỗi năm, quý hay tháng?", "03 lần/năm, 01 lần/quý")
    if bound is None and (unit, times) in _STANDARD:
        return _STANDARD[(unit, times)]
    if unit == "schoolyear":
        unit = "yearly"
    return times, unit, bound


def _reldate(bag: Bag) -> Part | None:
    found = bag.first("reldate")
    if found is not None:
        return found
    deadline = bag.first("deadline")
    if deadline is not None and deadline.value[0].kind == "reldate":
        return deadline.value[0]
    return None


def recurring_rule(cr: ClauseRules, bag: Bag, common: dict[str, Any]) -> Rule | None:
    cadence = cadence_of(cr, bag)
    if cadence is None:
        return None
    if bag.has("span", "open_from", "from_now"):
        raise cr.error(
            bag,
            "chưa hỗ trợ một khoảng thời gian lặp lại theo chu kỳ",
            "Tách thành «Hằng năm» và «Từ ngày 12/10 đến ngày 14/10/2024»",
        )
    if isinstance(cadence, tuple):
        times, unit, bound = cadence
        return Count(times=times, unit=unit, bound=bound, **common)
    if cadence == "yearly":
        return _yearly(cr, bag, common)
    _no_period_but_the_year(cr, bag, cadence)
    if bag.has("week"):
        return _nth_weekday(cr, bag, cadence, None, common)
    reldate = _reldate(bag)
    before = _before(bag)
    if reldate is not None:
        day, where = reldate.value
        if _REL_CADENCE[where] != cadence and not (where == "next_month" and cadence == "monthly"):
            raise cr.error(bag, "hạn này không khớp với chu kỳ", _HINTS.get(cadence))
        which = {"next_month": "next", "next_quarter": "next"}.get(where, where)
        return Every(
            unit=cadence,
            day=day,
            month_in_period=which,
            before=before,
            on_day_off=bag.on_day_off,
            **common,
        )
    if cadence == "weekly":
        weekday = _weekday(bag)
        return Weekly(weekday=weekday, on_day_off=bag.on_day_off, **common)
    days = _days(bag)
    if cadence == "monthly" and days:
        if max(days) > 28:
            cr.assumptions.append(f"Tháng không có ngày {max(days)}: hạn là ngày cuối tháng đó.")
        return MonthlyDay(
            days=days, before=before, on_day_off=bag.on_day_off, lunar=bag.has("lunar"), **common
        )
    if days or bag.has("weekday"):
        raise cr.error(bag, "hạn này không khớp với chu kỳ", _HINTS.get(cadence))
    return Every(unit=cadence, **common)


def _before(bag: Bag) -> bool:
    deadline = bag.first("deadline")
    return bool(deadline is not None and deadline.value[1])


def _weekday(bag: Bag) -> int | None:
    part = bag.first("weekday")
    if part is not None:
        return int(part.value)
    deadline = bag.first("deadline")
    if deadline is not None and deadline.value[0].kind == "weekday":
        return int(deadline.value[0].value)
    return None


def _days(bag: Bag) -> tuple[int, ...]:
    """Days of the month the clause names: "ngày 01 và 15", "trước ngày 25", "mùng 1"."""
    part = bag.first("days")
    if part is not None:
        return tuple(part.value)
    deadline = bag.first("deadline")
    point = deadline.value[0] if deadline is not None else bag.first("date")
    if point is not None and point.kind == "days":  # "trước ngày 15 và 25 hằng tháng"
        return tuple(point.value)
    if point is not None and point.kind == "date" and not point.value.first[1]:
        return (int(point.value.day),)
    return ()


def _nth_weekday(
    cr: ClauseRules, bag: Bag, cadence: str, month: int | None, common: dict[str, Any]
) -> Rule:
    if cadence != "monthly" and month is None:
        raise cr.error(
            bag,
            "tuần thứ mấy của tháng: cần «hằng tháng» hoặc một tháng",
            "Tuần thứ hai hằng tháng, Tuần thứ 2 của tháng 3 hằng năm",
        )
    week = bag.first("week")
    assert week is not None
    return NthWeekday(
        week=week.value, weekday=_weekday(bag), month=month, on_day_off=bag.on_day_off, **common
    )


def _yearly(cr: ClauseRules, bag: Bag, common: dict[str, Any]) -> Rule:
    periods = [p for p in bag.by["period"] if p.value.kind == "months"]
    month_of = None
    if len(periods) == 1 and periods[0].value.first[1] == periods[0].value.last[1]:
        month_of = periods[0].value.first[1]
    if bag.has("week"):
        return _nth_weekday(cr, bag, "yearly", month_of, common)
    deadline = bag.first("deadline")
    if (
        deadline is not None
        and deadline.value[0].kind == "period"
        and deadline.value[0].value.kind == "months"
    ):
        pt = deadline.value[0].value
        if deadline.value[1]:  # "trước tháng 11 hằng năm": before its first day
            return Yearly(day=1, month=pt.first[1], before=True, **common)
        return Yearly(months=(pt.first[1], pt.last[1]), **common)
    anchor = _anchor(bag)
    lunar = bag.has("lunar") or any(p.value.kind == "festival" for p in bag.by["period"])
    if anchor is not None:
        day, month = anchor
        if month is None:
            month = month_of
        if month is None:
            raise cr.error(bag, "hạn hằng năm cần ngày và tháng", _HINTS["yearly"])
        if (day, month) == (29, 2):
            cr.assumptions.append("Năm không nhuận: hạn 29/02 thành 28/02.")
        return Yearly(
            day=day,
            month=month,
            before=_before(bag),
            on_day_off=bag.on_day_off,
            lunar=lunar,
            **common,
        )
    if periods and lunar:
        raise cr.error(
            bag,
            "chưa hỗ trợ cả một tháng âm lịch lặp lại hằng năm",
            "Ngày 15 tháng Giêng âm lịch hằng năm",
        )
    if periods:
        first = periods[0].value.first[1]
        last = periods[-1].value.last[1]
        for period in periods:
            written = period.value.last[0]
            if written is not None and written != cr.year:
                cr.assumptions.append(f"Việc hằng năm: bỏ qua năm {written}.")
        return Yearly(months=None if (first, last) == (1, 12) else (first, last), **common)
    qualifier = bag.first("qualifier")
    if qualifier is not None and qualifier.value[0] == "months":
        return Yearly(months=(1, qualifier.value[1]), **common)
    return Yearly(**common)


def _anchor(bag: Bag) -> tuple[int, int | None] | None:
    deadline = bag.first("deadline")
    point = deadline.value[0] if deadline is not None else bag.first("date")
    if point is not None and point.kind == "date":
        pt = point.value
        return int(pt.day), pt.first[1] or None
    if point is not None and point.kind == "period" and point.value.kind == "festival":
        month, day = point.value.first
        return day, month
    part = bag.first("days")
    if part is not None and len(part.value) == 1:
        return int(part.value[0]), None
    return None


def _no_period_but_the_year(cr: ClauseRules, bag: Bag, cadence: str) -> None:
    """ "Hằng tháng trong năm 2024" is fine; "Hằng quý, tháng 6" is two readings at once."""
    for period in bag.by["period"]:
        pt = period.value
        if pt.kind != "months" or (pt.first[1], pt.last[1]) != (1, 12):
            raise cr.error(bag, "một vế có cả chu kỳ và một tháng/quý cụ thể", _HINTS.get(cadence))
    qualifier = bag.first("qualifier")
    if (
        qualifier is not None
        and qualifier.value[0] == "months"
        and qualifier.value[1] != 12
        and not bag.has("periodic")
    ):
        raise cr.error(bag, "một vế có cả chu kỳ và kỳ báo cáo khác", _HINTS.get(cadence))
