"""The grammar's Transformer: one method per rule of grammar.lark, each making a Part.

A Part is one item of a clause: its grammar name (`kind`), where it was written, and
what it says (`value`). Points of time are Pt values: whole months (`first`..`last` as
(year or None, month)), a date (year, month, day; any may be None), or a bare number
after a range dash whose meaning the first end of the range gives ("Quý II-III").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lark import Token, Transformer

from rules.timing.model import TimingError

MIN_YEAR, MAX_YEAR = 1900, 2200


@dataclass(frozen=True, slots=True)
class Pt:
    """A point or period of time as written (years may be missing)."""

    kind: str  # months | date | bare | roman | festival
    first: tuple[int | None, int] = (None, 1)  # months: (year, month)
    last: tuple[int | None, int] = (None, 12)
    day: int | None = None  # date: day, with first as (year, month or 0)
    number: int | None = None  # bare / roman; festival: lunar (month, day) in first
    range: bool = False  # written as a range ("Tháng 2-3/2024", "2025-2026"): a window


@dataclass(frozen=True, slots=True)
class Part:
    kind: str
    start: int
    end: int
    value: Any = None
    flag: bool = False  # a span ending "trước" its last point


def _span(children: list[Any]) -> tuple[int, int]:
    """(start, end) of a rule's children, which come in the order they were written."""
    start = end = None
    for child in children:
        if isinstance(child, Token):
            start = child.start_pos
            break
        if isinstance(child, Part):
            start = child.start
            break
    for child in reversed(children):
        if isinstance(child, Token):
            end = child.end_pos
            break
        if isinstance(child, Part):
            end = child.end
            break
    return (start, end) if start is not None and end is not None else (0, 0)


class WhenReader(Transformer[Token, Any]):
    """The rules that name a time: periods, ranges, dates (read_how.py has the rest)."""

    def error(self, where: list[Any] | Token, message: str, hint: str | None = None) -> TimingError:
        """An error at `where`; parser.parse() fills in the phrase."""
        start, end = _span(where if isinstance(where, list) else [where])
        return TimingError("", (start, end), message, hint)

    def part(self, kind: str, children: list[Any], value: Any = None, flag: bool = False) -> Part:
        start, end = _span(children)
        return Part(kind, start, end, value, flag)

    # --- checks -------------------------------------------------------------------------
    def month_number(self, token: Token, value: int) -> int:
        if not 1 <= value <= 12:
            raise self.error(token, f"không có tháng {value}", "Tháng 01/2024, Tháng 2-3/2024")
        return value

    def year_number(self, token: Token, value: int) -> int:
        if not MIN_YEAR <= value <= MAX_YEAR:
            raise self.error(token, f"năm {value} không hợp lệ", "Tháng 01/2024")
        return value

    def date_parts(self, token: Token, day: int, month: int | None, year: int | None) -> Pt:
        try:
            if month is not None:
                date(year or 2024, month, day)  # 2024: a leap year lets 29/2 through
            elif not 1 <= day <= 31:
                raise ValueError
        except (ValueError, OverflowError):
            shown = "/".join(str(p) for p in (day, month, year) if p is not None)
            raise self.error(token, f"không có ngày {shown}", "Trước ngày 15/6/2024") from None
        if year is not None:
            self.year_number(token, year)
        return Pt("date", (year, month or 0), day=day)

    def months_pt(
        self,
        tokens: list[Any],
        first: int,
        last: int,
        year: int | None,
        first_year: int | None = None,
    ) -> Pt:
        for token in tokens[:1]:
            self.month_number(token, first)
            self.month_number(token, last)
        if year is not None:
            self.year_number(tokens[0], year)
        start_year = first_year if first_year is not None else year
        if first_year is None and year is not None and last < first:
            start_year = year - 1
        elif last < first and year is None:
            raise self.error(
                tokens, "tháng kết thúc đứng trước tháng bắt đầu", "Tháng 12/2022 – Tháng 02/2023"
            )
        return Pt("months", (start_year, first), (year, last), range=first != last)

    @staticmethod
    def _year(children: list[Any]) -> int | None:
        for child in children:
            if isinstance(child, Token) and child.type in ("YSUF", "NAMYEAR"):
                return int(child.value)
        return None

    # --- structure ------------------------------------------------------------------------
    def phrase(self, children: list[Any]) -> list[list[list[Part]]]:
        """Items, split into lines of clauses at the separators."""
        lines: list[list[list[Part]]] = [[[]]]
        for child in children:
            if isinstance(child, Part):
                lines[-1][-1].append(child)
            elif child.type == "LINESEP":
                lines.append([[]])
            else:
                lines[-1].append([])
        return lines

    # --- periods ----------------------------------------------------------------------
    def month(self, c: list[Any]) -> Part:
        pt = self.months_pt(c[1:], c[1].value, c[1].value, self._year(c))
        return self.part("period", c, pt)

    def month_my(self, c: list[Any]) -> Part:
        month, year = c[1].value
        return self.part("period", c, self.months_pt(c[1:], month, month, year))

    def months(self, c: list[Any]) -> Part:
        first, last = c[1].value
        return self.part("period", c, self.months_pt(c[1:], first, last, self._year(c)))

    def months_y(self, c: list[Any]) -> Part:
        first, last, year = c[1].value
        return self.part("period", c, self.months_pt(c[1:], first, last, year))

    def _quarter(self, c: list[Any], number: int, year: int | None) -> Part:
        if not 1 <= number <= 4:
            raise self.error(c[1], "quý phải từ I đến IV", "Quý I/2024, Quý 2 năm 2024")
        if year is not None:
            self.year_number(c[1], year)
        return self.part("period", c, Pt("months", (year, 3 * number - 2), (year, 3 * number)))

    def quarter(self, c: list[Any]) -> Part:
        return self._quarter(c, c[1].value, self._year(c))

    def quarter_my(self, c: list[Any]) -> Part:
        return self._quarter(c, *c[1].value)

    def _part_of_year(self, c: list[Any], first: int, last: int) -> Pt:
        year = self._year(c)
        return Pt("months", (year, first), (year, last))

    def first_months(self, c: list[Any]) -> Part:
        count = c[0].value
        if not 1 <= count <= 12:
            raise self.error(c, f"không có {count} tháng trong năm")
        return self.part("period", c, self._part_of_year(c, 1, count))

    def last_months(self, c: list[Any]) -> Part:
        count = c[0].value
        if not 1 <= count <= 12:
            raise self.error(c, f"không có {count} tháng trong năm")
        return self.part("period", c, self._part_of_year(c, 13 - count, 12))

    def half_year(self, c: list[Any]) -> Part:
        return self.part("cadence", c, "halfyearly")

    def the_year(self, c: list[Any]) -> Part:
        year = self.year_number(c[0], c[0].value)
        return self.part("period", c, Pt("months", (year, 1), (year, 12)))

    def years(self, c: list[Any]) -> Part:
        token = c[-1]
        first, last = (self.year_number(token, y) for y in token.value)
        if last < first:
            raise self.error(token, "năm kết thúc đứng trước năm bắt đầu", "Giai đoạn 2025-2026")
        return self.part("period", c, Pt("months", (first, 1), (last, 12), range=first != last))

    def term(self, c: list[Any]) -> Part:
        if c[0].value is None:
            raise self.error(c, "chưa ghi học kỳ nào", "Học kỳ II năm học 2025-2026")
        return self.part("term", c, c[0].value)

    def school_year(self, c: list[Any]) -> Part:
        return self.part("school_year", c, c[1].value)

    def tet(self, c: list[Any]) -> Part:
        return self.part("period", c, Pt("festival", (1, 1)))

    def mid_autumn(self, c: list[Any]) -> Part:
        return self.part("period", c, Pt("festival", (8, 15)))

    def end_of_month(self, c: list[Any]) -> Part:
        return c[1]

    def start_of_month(self, c: list[Any]) -> Part:
        raise self.error(
            c, "«đầu tháng» chưa rõ hạn ngày nào", "Trước ngày 10/3/2020, Tháng 3/2020"
        )

    def end_of_quarter(self, c: list[Any]) -> Part:
        pt = c[1].value
        return self.part("period", c, Pt("months", pt.last, pt.last))

    def end_of_term(self, c: list[Any]) -> Part:
        return self.part("term_end", c, c[1].value)

    def _year_month(self, c: list[Any], month: int) -> Part:
        token = c[-1]
        year = token.value if token.type == "NAMYEAR" else None
        return self.part("period", c, Pt("months", (year, month), (year, month)))

    def end_of_year(self, c: list[Any]) -> Part:
        return self._year_month(c, 12)

    def start_of_year(self, c: list[Any]) -> Part:
        return self._year_month(c, 1)

    def middle_of_year(self, c: list[Any]) -> Part:
        return self._year_month(c, 6)

    def start_of_school_year(self, c: list[Any]) -> Part:
        return self.part("school_start", c)

    def end_of_school_year(self, c: list[Any]) -> Part:
        return self.part("school_end", c)

    # --- ranges ------------------------------------------------------------------------
    def span(self, c: list[Any]) -> Part:
        points = [child for child in c if isinstance(child, Part)]
        return self.part("span", c, (points[0], points[-1]))

    def span_to_deadline(self, c: list[Any]) -> Part:
        """ "từ tháng 9/2025 và hoàn thành trước ngày 15/10/2025": one window."""
        point, before = c[-1].value
        return self.part("span", c, (c[1], point), before)

    def open_from(self, c: list[Any]) -> Part:
        return self.part("open_from", c, c[1])

    def from_now(self, c: list[Any]) -> Part:
        return self.part("from_now", c, c[-1])

    def day_span(self, c: list[Any]) -> Part:
        token = c[-1]
        first, last, month, year = token.value
        self.date_parts(token, first, month, year)
        self.date_parts(token, last, month, year)
        if last < first:
            raise self.error(token, "ngày kết thúc đứng trước ngày bắt đầu")
        return self.part(
            "span",
            c,
            (
                Part("date", token.start_pos, token.end_pos, Pt("date", (year, month), day=first)),
                Part("date", token.start_pos, token.end_pos, Pt("date", (year, month), day=last)),
            ),
        )

    def point(self, c: list[Any]) -> Part:
        """ "ngày 15/6": the word "ngày" adds nothing to the date."""
        return next(child for child in c if isinstance(child, Part))

    def day_point(self, c: list[Any]) -> Part:
        return self.part("date", c, self.date_parts(c[1], c[1].value, None, None))

    def bare_number(self, c: list[Any]) -> Part:
        return self.part("bare", c, Pt("bare", (self._year(c), 0), number=c[0].value))

    def bare_roman(self, c: list[Any]) -> Part:
        return self.part("bare", c, Pt("roman", (self._year(c), 0), number=c[0].value))

    def bare_my(self, c: list[Any]) -> Part:
        number, year = c[0].value
        return self.part("bare", c, Pt("bare", (year, 0), number=number))
