"""The grammar's Transformer, second half: how often, how many times, after what, labels."""

from __future__ import annotations

from typing import Any

from lark import Token

from rules.timing.lexer_base import make_token
from rules.timing.read_dates import DateReader
from rules.timing.reading import Part

UNITS = {
    "NAM": "yearly",
    "QUY": "quarterly",
    "THANG": "monthly",
    "TUAN": "weekly",
    "HK": "term",
    "NAMHOC": "schoolyear",
}
_MONTHS_KIND = {1: "monthly", 3: "quarterly", 6: "halfyearly", 12: "yearly"}
_HINT_CADENCE = "Định kỳ 6 tháng/lần, Định kỳ hằng quý, 2 lần/năm"
_LONGEST_WAIT = 366  # days after an event; more is a typo, not a plan


class Reader(DateReader):
    """Tree -> lines of clauses of Parts. Raises TimingError on impossible numbers."""

    def label(self, c: list[Any]) -> Part:
        return self.part("label", c, c[0].value)

    def unit(self, c: list[Any]) -> Token:
        """The unit as a token, so the item it ends keeps its place in the phrase."""
        return make_token("UNIT", UNITS[c[0].type], c[0].start_pos, c[0].end_pos)

    def every(self, c: list[Any]) -> Part:
        return self.part("cadence", c, c[-1].value)

    def every_months(self, c: list[Any]) -> Part:
        months = next(t.value for t in c if isinstance(t, Token) and t.type == "NUM")
        times = [t.value for t in c if isinstance(t, Token) and t.type == "NUM"][1:]
        if times and times[0] != 1:
            raise self.error(c, f"chưa hiểu «{times[0]} lần» mỗi {months} tháng", _HINT_CADENCE)
        kind = _MONTHS_KIND.get(months)
        if kind is None:
            raise self.error(c, f"chưa hỗ trợ chu kỳ {months} tháng", _HINT_CADENCE)
        bound = next((t for t in c if isinstance(t, Token) and t.type == "BOUND"), None)
        if bound is not None:  # "ít nhất sáu tháng/lần": at least twice a year
            return self.part(
                "count", c, (12 // months, "yearly", "min" if bound.value == "min" else "max")
            )
        return self.part("cadence", c, kind)

    def every_years(self, c: list[Any]) -> Part:
        years = next(t for t in c if isinstance(t, Token) and t.type == "NUM")
        if years.value != 1:
            raise self.error(c, f"chưa hỗ trợ chu kỳ {years.value} năm", _HINT_CADENCE)
        if any(isinstance(t, Token) and t.type == "BOUND" for t in c):
            return self._count(c, years, "yearly")
        return self.part("cadence", c, "yearly")

    def school_year_word(self, c: list[Any]) -> Part:
        return self.part("label", c, "năm học")

    def _count(self, c: list[Any], times: Token, unit: str | None) -> Part:
        bound = next((t.value for t in c if isinstance(t, Token) and t.type == "BOUND"), None)
        if not 1 <= times.value <= 366:
            raise self.error(times, f"số lần {times.value} không hợp lệ", _HINT_CADENCE)
        return self.part("count", c, (times.value, unit, bound))

    def count(self, c: list[Any]) -> Part:
        times = next(t for t in c if isinstance(t, Token) and t.type == "NUM")
        unit = c[-1].value if isinstance(c[-1], Token) and c[-1].type == "UNIT" else None
        return self._count(c, times, unit)

    def count_of(self, c: list[Any]) -> Part:
        times = next(t for t in c if isinstance(t, Token) and t.type == "NUM")
        return self._count(c, times, c[-1].value)

    def months_report(self, c: list[Any]) -> Part:
        # "Báo cáo 6 tháng", "9 tháng": a report over N months of one year.
        months = self.month_number(c[0], c[0].value)
        return self.part("qualifier", c, ("months", months))

    def year_report(self, c: list[Any]) -> Part:
        return self.part("qualifier", c, ("yearly", 12))

    def quarter_report(self, c: list[Any]) -> Part:
        return self.part("qualifier", c, ("quarterly", None))

    def month_report(self, c: list[Any]) -> Part:
        return self.part("qualifier", c, ("monthly", None))

    def week_report(self, c: list[Any]) -> Part:
        return self.part("qualifier", c, ("weekly", None))

    # --- flags and events ---------------------------------------------------------------
    def ongoing(self, c: list[Any]) -> Part:
        return self.part("ongoing", c)

    def daily(self, c: list[Any]) -> Part:
        return self.part("daily", c)

    def adhoc(self, c: list[Any]) -> Part:
        return self.part("adhoc", c, c[0].value if isinstance(c[0].value, str) else "")

    def when_event(self, c: list[Any]) -> Part:
        if len(c) < 2:
            raise self.error(c, "thiếu điều kiện sau «khi»", "Khi có yêu cầu, Khi có văn bản mới")
        return self.part("adhoc", c, "")

    def after(self, c: list[Any]) -> Part:
        return self.part("after", c, (None, c[-1].value))

    def after_tet(self, c: list[Any]) -> Part:
        return self.part("after_tet", c)

    def after_time(self, c: list[Any]) -> Part:
        raise self.error(
            c,
            "chưa hiểu «sau …» một khoảng thời gian: cần tên một sự kiện",
            "Sau hoạt động ĐGNB, Trong thời hạn 15 ngày làm việc kể từ khi kết thúc ĐGNB",
        )

    def duration(self, c: list[Any]) -> tuple[int, str]:
        days, unit = c[0], c[1].type
        if not 0 < days.value <= _LONGEST_WAIT:
            raise self.error(
                c,
                f"thời hạn {days.value} ngày không hợp lệ",
                "Trong thời hạn 15 ngày làm việc kể từ khi kết thúc ĐGNB",
            )
        if unit == "TUAN":
            return days.value * 7, "calendar"
        return days.value, "working" if unit == "NGAYLV" else "calendar"

    def after_days(self, c: list[Any]) -> Part:
        duration = next(child for child in c if isinstance(child, tuple))
        return self.part("after", c, (duration, c[-1].value))

    def condition(self, c: list[Any]) -> Part:
        return self.part("cond", c, c[0].value)

    def week_of_month(self, c: list[Any]) -> Part:
        week = c[1].value
        if not (week == -1 or 1 <= week <= 5):
            raise self.error(c, f"tháng không có tuần thứ {week}", "Tuần thứ hai của tháng")
        return self.part("week", c, week)

    def lunar(self, c: list[Any]) -> Part:
        return self.part("lunar", c)

    def solar(self, c: list[Any]) -> Part:
        return self.part("solar", c)

    def lunar_check(self, c: list[Any]) -> Part:
        return self.part("lunar_check", c, c[0].value)

    def periodic(self, c: list[Any]) -> Part:
        return self.part("periodic", c)

    def end_of_each_month(self, c: list[Any]) -> Part:
        return self.part("cadence", c, "monthly")

    def end_of_each_quarter(self, c: list[Any]) -> Part:
        return self.part("cadence", c, "quarterly")

    def start_of_each_month(self, c: list[Any]) -> Part:
        raise self.error(c, "«đầu tháng» chưa rõ hạn ngày nào", "Trước ngày 05 hằng tháng")

    def start_of_each_quarter(self, c: list[Any]) -> Part:
        raise self.error(
            c, "«đầu quý» chưa rõ hạn ngày nào", "Trước ngày 10 của tháng đầu quý, Hằng quý"
        )
