"""Written points of time -> dates: years filled in from the plan, and every guess noted."""

from __future__ import annotations

from datetime import date

from rules.timing.lunar import to_solar
from rules.timing.model import TimingError, TimingOptions
from rules.timing.reading import Part, Pt
from rules.timing.rule_base import month_end, plan_span
from rules.vndate import short_date


class Points:
    """Turns Pt values into dates for one phrase and plan year."""

    def __init__(
        self, phrase: str, year: int, options: TimingOptions, assumptions: list[str]
    ) -> None:
        self.phrase = phrase
        self.year = year
        self.options = options
        self.assumptions = assumptions

    def error(self, part: Part, message: str, hint: str | None = None) -> TimingError:
        return TimingError(self.phrase, (part.start, part.end), message, hint)

    def year_of(self, written: int | None, month: int, part: Part) -> int:
        """The year of a month: as written, else the plan's (school year: by the month)."""
        if written is not None:
            return written
        text = self.phrase[part.start : part.end].strip()
        start = self.options.school_year_start
        if start is not None:
            year = self.year if month >= start else self.year + 1
            self.assumptions.append(
                f"«{text}» không ghi năm: trong năm học {self.year}-"
                f"{self.year + 1}, tháng {month} thuộc năm {year}."
            )
            return year
        self.assumptions.append(f"«{text}» không ghi năm: hiểu là năm kế hoạch {self.year}.")
        return self.year

    def months(self, part: Part, pt: Pt | None = None) -> tuple[date, date]:
        """First and last day of a months point."""
        pt = pt or part.value
        (first_year, first_month), (last_year, last_month) = pt.first, pt.last
        if last_year is None and first_year is not None:
            last_year = first_year + (1 if last_month < first_month else 0)
        if last_year is None:
            last_year = self.year_of(None, last_month, part)
        if first_year is None:
            first_year = last_year - 1 if first_month > last_month else last_year
        return date(first_year, first_month, 1), month_end(last_year, last_month)

    def day(
        self, part: Part, pt: Pt, month_hint: tuple[int, int] | None = None, lunar: bool = False
    ) -> date:
        """A written date; `month_hint` (year, month) fills a missing month."""
        year, month = pt.first
        assert pt.day is not None
        if not month:
            if month_hint is None:
                raise self.error(
                    part,
                    f"ngày {pt.day} chưa ghi tháng",
                    "Trước ngày 15/6/2024, Ngày 15 hằng tháng",
                )
            hint_year, month = month_hint
            year = year if year is not None else hint_year
        if lunar:
            lunar_year = year if year is not None else self.year
            day = to_solar(lunar_year, month, pt.day)
            self.assumptions.append(
                f"Ngày {pt.day}/{month} âm lịch năm {lunar_year} là ngày "
                f"{short_date(day)} dương lịch."
            )
            return day
        year = self.year_of(year, month, part) if year is None else year
        try:
            return date(year, month, pt.day)
        except ValueError:
            raise self.error(
                part, f"không có ngày {pt.day}/{month}/{year}", "Trước ngày 15/6/2024"
            ) from None

    def festival(self, pt: Pt) -> date:
        month, day = pt.first
        assert month is not None
        return to_solar(self.year, month, day)

    def note_outside_year(self, first: date, last: date) -> None:
        span_first, span_last = plan_span(self.year, self.options)
        if last < span_first or first > span_last:
            shown = (
                short_date(last) if first == last else f"{short_date(first)} – {short_date(last)}"
            )
            self.assumptions.append(
                f"Mốc {shown} nằm ngoài năm kế hoạch {self.year}: "
                "có thể là năm cũ chép lại, cần kiểm tra."
            )
