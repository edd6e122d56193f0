"""One-offs over a span: ranges of any shape, open-ended ranges, semesters, school years.

A range is one window, never two unrelated one-off dates. The second end may be a bare
number ("Quý II-III/2024", "tháng 3 - 5/2024", "từ ngày 3 đến 12/6"): it takes its meaning
from the first end, and a year written on either end is shared.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rules.timing.model import TimingError, TimingOptions
from rules.timing.reading import Part, Pt
from rules.timing.rule_base import month_end
from rules.timing.rules_dated import Once, Window
from rules.timing.rules_event import Ongoing
from rules.vndate import short_date

if TYPE_CHECKING:
    from rules.timing.bag import Bag
    from rules.timing.points import Points
    from rules.timing.schedule import Rule

_HINT_RANGE = "Tháng 12/2023 – Quý I/2024, Từ ngày 01/3/2024 đến hết ngày 15/3/2024"


_RANGE_ENDS = frozenset({"date", "festival", "months"})


class SpanRules:
    phrase: str
    year: int
    options: TimingOptions
    assumptions: list[str]
    points: Points

    def error(self, bag: Bag, message: str, hint: str | None = None) -> TimingError:
        raise NotImplementedError  # ClauseRules

    def _date_of(self, bag: Bag, part: Part, pt: Pt) -> date:
        raise NotImplementedError  # ClauseRules

    def range_error(self, first: Part, last: Part) -> TimingError:
        return TimingError(
            self.phrase, (first.start, last.end), "không hiểu khoảng thời gian này", _HINT_RANGE
        )

    def school_start_month(self) -> int:
        start = self.options.school_year_start
        return start if start is not None else 9

    # --- ranges -----------------------------------------------------------------------------
    def _end_point(self, first: Part, last: Part) -> Part:
        """A bare second end ("III", "5/2024") read like the first end."""
        pt = last.value
        if last.kind != "bare":
            return last
        year = pt.first[0]
        number = pt.number
        assert number is not None
        head = first.value
        if head.kind == "date":
            if pt.kind == "roman":
                raise self.range_error(first, last)
            return Part("date", last.start, last.end, Pt("date", (year, head.first[1]), day=number))
        span = head.last[1] - head.first[1] + 1 if head.kind == "months" else 1
        if pt.kind == "roman" or span == 3:
            month_first, month_last = 3 * number - 2, 3 * number
            if not 1 <= number <= 4:
                raise self.range_error(first, last)
        else:
            month_first = month_last = number
            if not 1 <= number <= 12:
                raise self.range_error(first, last)
        return Part(
            "period", last.start, last.end, Pt("months", (year, month_first), (year, month_last))
        )

    def _span(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        first_part, last_part = part.value
        last_part = self._end_point(first_part, last_part)
        first_pt, last_pt = first_part.value, last_part.value
        # "2024 đến thứ Hai": a range needs a date, a month or a festival at each end.
        if not all(isinstance(pt, Pt) and pt.kind in _RANGE_ENDS for pt in (first_pt, last_pt)):
            raise self.range_error(first_part, last_part)
        if first_pt.kind == "date" and not first_pt.first[1] and last_pt.kind == "date":
            first_pt = Pt("date", (first_pt.first[0], last_pt.first[1]), day=first_pt.day)
        years = [y for y in (first_pt.first[0], last_pt.first[0], last_pt.last[0]) if y]
        shared = years[-1] if years else None
        closes, named = self._end_of(bag, last_part, last_pt)
        if part.flag and named:  # "… và hoàn thành trước ngày 15/10": the day before
            closes -= timedelta(days=1)
        opens = self._start_of(bag, first_part, first_pt, shared, closes)
        if opens > closes:
            raise self.error(bag, "mốc kết thúc đứng trước mốc bắt đầu", _HINT_RANGE)
        self.points.note_outside_year(opens, closes)
        return Window(first=opens, last=closes, named=named, on_day_off=bag.on_day_off, **common)

    def _end_of(self, bag: Bag, part: Part, pt: Pt) -> tuple[date, bool]:
        if pt.kind == "date":
            return self._date_of(bag, part, pt), True
        if pt.kind == "festival":
            return self.points.festival(pt), True
        return self.points.months(part)[1], False

    def _start_of(self, bag: Bag, part: Part, pt: Pt, shared: int | None, closes: date) -> date:
        if pt.kind == "festival":
            return self.points.festival(pt)
        if pt.kind == "date":
            year, month = pt.first
            if year is None:
                year = closes.year - (1 if month and month > closes.month else 0)
                pt = Pt("date", (year, month), day=pt.day)
            return self._date_of(bag, part, pt)
        (first_year, first_month), (last_year, last_month) = pt.first, pt.last
        if first_year is None:
            year = closes.year - (1 if first_month > closes.month else 0)
            pt = Pt("months", (year, first_month), (last_year or year, last_month))
        return self.points.months(part, pt)[0]

    def _open_from(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        """ "Từ năm 2025 trở đi": ongoing from then on."""
        point = part.value
        if point.value.kind == "date":
            since = self._date_of(bag, point, point.value)
        else:
            since = self.points.months(point)[0]
        self.assumptions.append(
            f"«{self.phrase[part.start : part.end]}»: việc thường xuyên từ "
            f"{short_date(since)}, kiểm tra định kỳ."
        )
        return Ongoing(
            checkin=self.options.ongoing_checkin,
            since=since,
            **common,
        )

    def _from_now(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        """ "Từ nay đến hết năm": from the plan's date (or the 1st of January) to the end."""
        plan_date = self.options.plan_date
        opens = plan_date or date(self.year, 1, 1)
        if plan_date is None:
            self.assumptions.append(
                f"«từ nay»: chưa biết ngày ký kế hoạch, hiểu là từ {short_date(opens)}."
            )
        end = part.value
        closes = (
            end.value.kind == "date" and self._date_of(bag, end, end.value)
        ) or self.points.months(end)[1]
        return Window(first=opens, last=closes, named=end.value.kind == "date", **common)

    # --- school years -------------------------------------------------------------------
    def school_year_of(self, bag: Bag) -> int:
        found = bag.first("school_year")
        if found is not None:
            return int(found.value[0])
        if self.options.school_year_start is None:
            self.assumptions.append(
                f"Không ghi năm học: hiểu là năm học {self.year}-{self.year + 1}."
            )
        return self.year

    def term_months(self, bag: Bag, term: int) -> tuple[date, date]:
        start_year = self.school_year_of(bag)
        start = self.school_start_month()
        self.assumptions.append(
            f"Học kỳ I: tháng {start}/{start_year} – tháng 01/"
            f"{start_year + 1}; học kỳ II: tháng 02 – tháng 05/"
            f"{start_year + 1} (khung năm học của Bộ GD&ĐT)."
        )
        if term == 1:
            return date(start_year, start, 1), month_end(start_year + 1, 1)
        return date(start_year + 1, 2, 1), month_end(start_year + 1, 5)

    def _term(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        first, last = self.term_months(bag, part.value)
        return Once(first=first, last=last, **common)

    def _term_end(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        _, last = self.term_months(bag, part.value)
        return Once(first=last.replace(day=1), last=last, **common)

    def _school_year(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        first_year, last_year = part.value
        start = self.school_start_month()
        return Window(first=date(first_year, start, 1), last=month_end(last_year, 5), **common)

    def _school_start(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        year, start = self.school_year_of(bag), self.school_start_month()
        self.assumptions.append(f"«Đầu năm học» được hiểu là tháng {start}/{year}.")
        return Once(first=date(year, start, 1), last=month_end(year, start), **common)

    def _school_end(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        year = self.school_year_of(bag) + 1
        self.assumptions.append(f"«Cuối năm học» được hiểu là tháng 05/{year}.")
        return Once(first=date(year, 5, 1), last=month_end(year, 5), **common)
