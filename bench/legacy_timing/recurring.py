"""Rules that repeat: what a cadence keeps from its clause (a day, a month, a weekday)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.legacy_timing.clause import Clause
from bench.legacy_timing.model import Rule

if TYPE_CHECKING:
    from bench.legacy_timing.build import Builder

_HINTS = {
    "yearly": "Trước ngày 30 tháng 8 hằng năm, Tháng 6 hằng năm",
    "monthly": "Ngày 15 hằng tháng, Trước ngày 25 hằng tháng",
    "weekly": "Vào thứ Hai hằng tuần",
    "quarterly": "Định kỳ hằng quý (hạn: ngày làm việc cuối quý)",
    "halfyearly": "Định kỳ 6 tháng/lần, hoặc Trước ngày 15/6 và trước 30/11 hằng năm",
}


def recurring_rule(builder: Builder, clause: Clause, cadence: str, label: str, text: str) -> Rule:
    if cadence == "yearly":
        return _yearly(builder, clause, label, text)
    _no_period_but_the_year(builder, clause, cadence)
    anchor = clause.anchor
    if anchor is None:
        return Rule(cadence, label, text)  # type: ignore[arg-type]
    if cadence == "monthly" and anchor.day is not None and anchor.month is None:
        if anchor.day > 28:
            builder.assumptions.append(f"Tháng không có ngày {anchor.day}: hạn là ngày cuối "
                                       "tháng đó.")
        return Rule("monthly", label, text, day=anchor.day, before=anchor.before,
                    on_day_off=clause.on_day_off)  # type: ignore[arg-type]
    if cadence == "weekly" and anchor.weekday is not None:
        return Rule("weekly", label, text, weekday=anchor.weekday,
                    on_day_off=clause.on_day_off)  # type: ignore[arg-type]
    raise builder.error(clause, "hạn này không khớp với chu kỳ", _HINTS[cadence])


def _yearly(builder: Builder, clause: Clause, label: str, text: str) -> Rule:
    anchor = clause.anchor
    if anchor is not None:
        if anchor.weekday is not None or anchor.month is None or anchor.day is None:
            raise builder.error(clause, "hạn hằng năm cần ngày và tháng", _HINTS["yearly"])
        if anchor.year is not None:
            builder.assumptions.append(f"Việc hằng năm: bỏ qua năm {anchor.year} ghi kèm ngày "
                                       f"{anchor.day}/{anchor.month}.")
        if (anchor.day, anchor.month) == (29, 2):
            builder.assumptions.append("Năm không nhuận: hạn 29/02 thành 28/02.")
        return Rule("yearly", label, text, day=anchor.day, month=anchor.month,
                    before=anchor.before, on_day_off=clause.on_day_off)  # type: ignore[arg-type]
    months = _months_of_year(builder, clause)
    return Rule("yearly", label, text, months=None if months == (1, 12) else months)


def _months_of_year(builder: Builder, clause: Clause) -> tuple[int, int]:
    """"Tháng 6 hằng năm" -> (6, 6); "Quý I hằng năm" -> (1, 3); "Báo cáo 6 tháng" -> (1, 6)."""
    if len(clause.periods) > 1:
        return clause.periods[0].first_month, clause.periods[-1].last_month
    if clause.periods:
        period = clause.periods[0]
        if period.year is not None and period.year != builder.year:
            builder.assumptions.append(f"Việc hằng năm: bỏ qua năm {period.year}.")
        return period.first_month, period.last_month
    if clause.qualifier is not None and clause.qualifier[1] is not None:
        return clause.qualifier[1]
    return 1, 12


def _no_period_but_the_year(builder: Builder, clause: Clause, cadence: str) -> None:
    """"Hằng tháng trong năm 2024" is fine; "Hằng quý, tháng 6" is two readings at once."""
    for period in clause.periods:
        if (period.first_month, period.last_month) != (1, 12):
            raise builder.error(clause, "một vế có cả chu kỳ và một tháng/quý cụ thể",
                                _HINTS[cadence])
    if clause.qualifier is not None and clause.qualifier[1] not in (None, (1, 12)):
        raise builder.error(clause, "một vế có cả chu kỳ và kỳ báo cáo khác", _HINTS[cadence])
