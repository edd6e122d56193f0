"""The grammar's Transformer, dates and deadlines: "15/6", "30 tháng 8", "trước ngày 20 của
tháng cuối quý", "ngày 01 và 15"."""

from __future__ import annotations

from typing import Any

from lark import Token

from rules.timing.reading import Part, WhenReader


class DateReader(WhenReader):
    # --- dates ---------------------------------------------------------------------------
    def dm(self, c: list[Any]) -> Part:
        day, month = c[0].value
        return self.part("date", c, self.date_parts(c[0], day, month, None))

    def dmy(self, c: list[Any]) -> Part:
        return self.part("date", c, self.date_parts(c[0], *c[0].value))

    dm_dash = dm

    def d_month(self, c: list[Any]) -> Part:
        return self.part("date", c, self.date_parts(c[2], c[0].value, c[2].value, self._year(c)))

    def d_month_my(self, c: list[Any]) -> Part:
        month, year = c[2].value
        return self.part("date", c, self.date_parts(c[2], c[0].value, month, year))

    def before(self, c: list[Any]) -> Part:
        return self.part("deadline", c, (c[-1], True))

    def by(self, c: list[Any]) -> Part:
        return self.part("deadline", c, (c[-1], False))

    def _reldate(self, c: list[Any], rel: str) -> Part:
        day = next(child for child in c if isinstance(child, Token) and child.type == "NUM")
        self.date_parts(day, day.value, None, None)
        return self.part("reldate", c, (day.value, rel))

    def day_of_last_month_of_quarter(self, c: list[Any]) -> Part:
        return self._reldate(c, "last")

    def day_of_first_month_of_quarter(self, c: list[Any]) -> Part:
        return self._reldate(c, "first")

    def day_of_next_month(self, c: list[Any]) -> Part:
        return self._reldate(c, "next_month")

    def day_of_next_quarter(self, c: list[Any]) -> Part:
        return self._reldate(c, "next_quarter")

    def date_of_next_year(self, c: list[Any]) -> Part:
        numbers = [child for child in c if isinstance(child, Token) and child.type == "NUM"]
        self.date_parts(numbers[0], numbers[0].value, numbers[1].value, None)
        return self.part("reldate", c, ((numbers[0].value, numbers[1].value), "next_year"))

    def weekday(self, c: list[Any]) -> Part:
        return self.part("weekday", c, c[-1].value)

    def days(self, c: list[Any]) -> Part:
        numbers = [child for child in c if isinstance(child, Token) and child.type == "NUM"]
        for number in numbers:
            self.date_parts(number, number.value, None, None)
        return self.part("days", c, tuple(n.value for n in numbers))

    def bare_date(self, c: list[Any]) -> Part:
        return c[-1]
