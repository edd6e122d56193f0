"""Items that name a time: periods ("tháng 01/2024", "quý I/2023", "6 tháng đầu năm"),
ranges ("Tháng 12/2022 – Quý I/2023", "từ ngày … đến hết ngày …"), dates and weekdays."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bench.legacy_timing.clause import Anchor, Clause, PeriodRef
from bench.legacy_timing.cursor import Cursor, NumberGroup
from bench.legacy_timing.lexer import Token
from bench.legacy_timing.vocab import ROMAN, WEEKDAY_WORDS

MIN_YEAR, MAX_YEAR = 1900, 2200
_HINT_MONTH = "Tháng 01/2024, Tháng 2-3/2024"


class WhenItems(Cursor):
    # --- periods -------------------------------------------------------------------------
    def try_period(self, clause: Clause) -> bool:
        start = self.pos
        if self.at_words("trong") and not self.at_words("trong", "thoi|vong"):
            self.pos += 1
            if not self._within(clause):
                raise self.error_here("«trong» cần đi kèm năm, quý hoặc tháng",
                                      "Trong năm 2024, Trong quý I/2024, Trong tháng 3/2024")
            return True
        if self._end_of_unit(clause):
            return True
        period = self.period_spec(clause)
        if period is None:
            self.pos = start
            return False
        if self._range_follows():
            self.pos += 1
            end = self.period_spec(clause) or self._bare_month()
            clause.periods.extend([period, end])
            return True
        clause.periods.append(period)
        return True

    def _within(self, clause: Clause) -> bool:
        """After "trong": "trong năm" is the plan year; "trong tháng" belongs to a cadence."""
        if self.at_words("nam") and not self._next_is_year(1):
            token = self.take()[0]
            clause.periods.append(PeriodRef(1, 12, None, token.start, token.end))
            return True
        if self.at_words("thang|quy|tuan") and not self._next_is_number(1):
            clause.period_end_marker = self.take()[0].key
            return True
        return self.try_period(clause)

    def _end_of_unit(self, clause: Clause) -> bool:
        """"cuối tháng" / "cuối quý" with no number: the end of every such period."""
        if self.at_words("dau", "thang|quy|tuan") and not self._next_is_number(2):
            raise self.error_here("«đầu tháng/quý» chưa rõ hạn ngày nào",
                                  "Trước ngày 05 hằng tháng, Hằng quý")
        if not (self.at_words("cuoi", "thang|quy|tuan") and not self._next_is_number(2)):
            return False
        words = self.take(2)
        clause.period_end_marker = words[1].key
        if not clause.recurrence:
            clause.assumptions.append(f"«{words[0].text} {words[1].text}» không ghi kỳ cụ thể: "
                                      f"hiểu là cuối mỗi {words[1].norm}.")
        return True

    def _next_is_number(self, offset: int) -> bool:
        token = self.peek(offset)
        return token is not None and (token.kind == "num" or token.key in ROMAN)

    def _next_is_year(self, offset: int) -> bool:
        token = self.peek(offset)
        return token is not None and token.kind == "num" and token.value >= 1000

    def _range_follows(self) -> bool:
        token, after = self.peek(), self.peek(1)
        if token is None or after is None or not (token.kind == "dash" or token.is_word("den")):
            return False
        if after.is_word("thang", "quy") and self._next_is_number(2):
            return True
        following = self.peek(2)
        return after.kind == "num" and after.value <= 12 and not (
            following is not None and following.is_word("thang", "lan", "ngay", "nam"))

    def _bare_month(self) -> PeriodRef:
        group = self.number_group()
        assert group is not None  # _range_follows checked it
        return self._months_from_group(group)

    def period_spec(self, clause: Clause) -> PeriodRef | None:
        """One period, or None (nothing consumed) when the words are not a period."""
        token = self.peek()
        if token is None:
            return None
        if self.at_words("thang|t") and self._next_is_number(1) and self.peek(1).kind == "num" \
                and (token.key == "thang" or not self.peek(1).spaced):
            self.pos += 1
            return self._with_year(self._months_from_group(self.number_group()))
        if self.at_words("q") and self._next_is_number(1) and not self.peek(1).spaced:
            self.pos += 1
            return self._quarter(token.start)
        if self.at_words("quy") and self._next_is_number(1):
            self.pos += 1
            return self._quarter(token.start)
        if self.at_words("nam") and self._next_is_year(1):
            self.pos += 1
            year = self._year(self.take()[0])
            return PeriodRef(1, 12, year, token.start, self.last_end)
        return self._part_of_year(clause, token.start)

    def _months_from_group(self, group: NumberGroup) -> PeriodRef:
        parts, seps = group.parts, group.separators
        if len(parts) == 1:
            first = last = parts[0]
            year = None
        elif len(parts) == 2 and parts[1] >= 1000:
            first = last = parts[0]
            year = parts[1]
        elif len(parts) == 2 and seps[0] == "-":
            first, last, year = parts[0], parts[1], None
        elif len(parts) == 3 and seps[0] == "-" and parts[2] >= 1000:
            first, last, year = parts
        else:
            raise self.error(group.start, group.end, "không hiểu tháng này", _HINT_MONTH)
        for month in (first, last):
            if not 1 <= month <= 12:
                raise self.error(group.start, group.end, f"không có tháng {month}", _HINT_MONTH)
        if last < first:
            raise self.error(group.start, group.end, "tháng kết thúc đứng trước tháng bắt đầu",
                             "Tháng 12/2022 – Tháng 02/2023")
        if year is not None:
            self._check_year(year, group.start, group.end)
        return PeriodRef(first, last, year, group.start, group.end, is_range=last != first)

    def _with_year(self, period: PeriodRef) -> PeriodRef:
        """A year written after the period: "năm 2023", or "/2023" with spaces around."""
        if period.year is not None:
            return period
        if self.at_words("nam") and self._next_is_year(1):
            self.pos += 1
        elif not (self.peek() is not None and self.peek().kind == "slash"
                  and self._next_is_year(1)):
            return period
        else:
            self.pos += 1
        year = self._year(self.take()[0])
        return replace(period, year=year, end=self.last_end)

    def _year_right_after(self, period: PeriodRef) -> PeriodRef:
        """"6 tháng cuối năm 2023": the year follows "năm" directly."""
        if self._next_is_year(0):
            year = self._year(self.take()[0])
            return replace(period, year=year, end=self.last_end)
        return period

    def _year(self, token: Token) -> int:
        self._check_year(token.value, token.start, token.end)
        return token.value

    def _check_year(self, year: int, start: int, end: int) -> None:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise self.error(start, end, f"năm {year} không hợp lệ", "Tháng 01/2024")

    def _quarter(self, start: int) -> PeriodRef:
        first, year = self._quarter_number()
        last = first
        dash = self.peek()
        if dash is not None and dash.kind == "dash" and self._next_is_number(1) \
                and not self.at_words("thang", offset=1):
            self.pos += 1
            last, end_year = self._quarter_number()
            year = end_year or year
        if last < first:
            raise self.error(start, self.last_end, "quý kết thúc đứng trước quý bắt đầu")
        period = PeriodRef(3 * first - 2, 3 * last, year, start, self.last_end,
                           is_range=last != first)
        return self._with_year(period)

    def _quarter_number(self) -> tuple[int, int | None]:
        """"I", "IV", "2", "1/2024" -> (quarter, year written with it)."""
        token = self.peek()
        if token is not None and token.kind == "word" and token.key in ROMAN:
            self.pos += 1
            slash = self.peek()
            if slash is not None and slash.kind == "slash" and not slash.spaced \
                    and self._next_is_year(1):
                self.pos += 1
                return ROMAN[token.key], self._year(self.take()[0])
            return ROMAN[token.key], None
        group = self.number_group()
        if group is None or not 1 <= group.parts[0] <= 4 or len(group.parts) > 2 or (
                len(group.parts) == 2 and group.parts[1] < 1000):
            raise self.error_here("quý phải từ I đến IV", "Quý I/2024, Quý 2 năm 2024")
        if len(group.parts) == 2:
            self._check_year(group.parts[1], group.start, group.end)
            return group.parts[0], group.parts[1]
        return group.parts[0], None

    def _part_of_year(self, clause: Clause, start: int) -> PeriodRef | None:
        """"6 tháng đầu năm", "cuối năm", "đầu năm", "cuối quý II"."""
        saved = self.pos
        count = self.number()
        if count is not None and self.at_words("thang", "dau|cuoi", "nam"):
            first_half = self.tokens[self.pos + 1].key == "dau"
            self.pos += 3
            if not 1 <= count <= 12:
                raise self.error(start, self.last_end, f"không có {count} tháng trong năm")
            months = (1, count) if first_half else (13 - count, 12)
            return self._year_right_after(PeriodRef(*months, None, start, self.last_end))
        self.pos = saved
        if self.at_words("dau|cuoi|giua", "nam"):
            which = self.take(2)[0]
            month = {"dau": 1, "cuoi": 12, "giua": 6}[which.key]
            clause.assumptions.append(
                f"«{which.text} năm» được hiểu là trong tháng {month:02d}.")
            return self._year_right_after(PeriodRef(month, month, None, start, self.last_end))
        if self.at_words("cuoi", "quy") and self._next_is_number(2):
            self.pos += 1
            quarter = self.period_spec(clause)
            assert quarter is not None
            return replace(quarter, first_month=quarter.last_month, start=start)
        return None

    # --- dates ---------------------------------------------------------------------------
    def date_spec(self, before: bool = False) -> Anchor | None:
        """"15/6", "1/6/2023", "20.7.2020", "15-4", "30 tháng 8 [năm 2024]", "mười lăm"."""
        token = self.peek()
        if token is None:
            return None
        group = self.number_group()
        if group is None:
            day = self.number()
            if day is None:
                return None
            group = NumberGroup((day,), (), token.start, self.last_end)
        parts = list(group.parts)
        if len(parts) == 1 and self.at_words("thang") and self.peek(1) is not None \
                and self.peek(1).kind == "num":
            self.pos += 1
            months = self.number_group()
            parts.extend(months.parts)
        if len(parts) == 2 and self.at_words("nam") and self._next_is_year(1):
            self.pos += 1
            parts.append(self.take()[0].value)
        return self._anchor_from_parts(parts, before, token.start)

    def _anchor_from_parts(self, parts: list[int], before: bool, start: int) -> Anchor:
        end = self.last_end
        if len(parts) > 3:
            raise self.error(start, end, "không hiểu ngày này", "Trước ngày 15/6/2024")
        day, month, year = [*parts, None, None][:3]
        if year is not None:
            self._check_year(year, start, end)
        try:
            if month is not None:
                date(year or 2024, month, day)  # 2024: a leap year lets 29/2 through
            elif not 1 <= day <= 31:
                raise ValueError
        except (ValueError, OverflowError):
            shown = "/".join(str(p) for p in parts)
            raise self.error(start, end, f"không có ngày {shown}", "Trước ngày 15/6/2024") from None
        return Anchor(day=day, month=month, year=year, before=before, start=start, end=end)

    def weekday_spec(self) -> int | None:
        """"thứ Hai" … "thứ Bảy", "thứ 2" … "thứ 7", "Chủ nhật" (0 = Monday); advances."""
        if self.take_words("chu", "nhat"):
            return 6
        if not self.at_words("thu"):
            return None
        token = self.peek(1)
        if token is not None and token.kind == "num" and 2 <= token.value <= 7:
            self.pos += 2
            return token.value - 2
        if token is not None and token.kind == "word" and token.key in WEEKDAY_WORDS \
                and token.norm != "từ":
            self.pos += 2
            return WEEKDAY_WORDS[token.key]
        return None
