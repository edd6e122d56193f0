"""From clauses to rules: labels shared along a line, a trailing "hằng năm" shared by the
dates before it, years filled in from the plan year, and every guess written down."""

from __future__ import annotations

import calendar as gregorian
from datetime import date

from bench.legacy_timing.clause import Anchor, Clause
from bench.legacy_timing.describe import EVERY, period_label
from bench.legacy_timing.model import Rule, TimingError, TimingOptions
from bench.legacy_timing.recurring import recurring_rule
from rules.vndate import short_date as dmy

_HINT_BARE_PERIODIC = "Định kỳ hằng quý, Định kỳ 6 tháng/lần, Định kỳ hằng tháng"


class Builder:
    def __init__(self, phrase: str, year: int, options: TimingOptions) -> None:
        self.phrase = phrase
        self.year = year
        self.options = options
        self.assumptions: list[str] = []

    def error(self, clause: Clause, message: str, hint: str | None = None) -> TimingError:
        return TimingError(self.phrase, (clause.start or 0, clause.end), message, hint)

    def rules(self, groups: list[list[Clause]]) -> list[Rule]:
        rules: list[Rule] = []
        for group in groups:
            clauses = self._merge_label_only(self._apply_conditions(group))
            _share_labels(clauses)
            _share_cadence(clauses)
            clauses = self._fold_bare_periodic(clauses)
            for clause in clauses:
                self.assumptions.extend(clause.assumptions)
                rules.extend(self._clause_rules(clause))
        return rules

    def _apply_conditions(self, group: list[Clause]) -> list[Clause]:
        """"ngày 15 hằng tháng, nếu trùng ngày nghỉ thì …": the condition covers its line."""
        conditions = [c for c in group if c.has_condition and not c.has_timing and not c.label]
        if not conditions:
            return group
        rest = [c for c in group if c not in conditions]
        for condition in conditions:
            self.assumptions.extend(condition.assumptions)
            for clause in rest:
                clause.on_day_off = clause.on_day_off or condition.on_day_off
        return rest

    def _merge_label_only(self, group: list[Clause]) -> list[Clause]:
        """"Kế hoạch và báo cáo: tháng 01/2024": a label alone names the next clause too."""
        merged: list[Clause] = []
        pending: list[str] = []
        for clause in group:
            if not clause.has_timing and clause.label:
                pending.extend(clause.label if not pending else ["và", *clause.label])
                continue
            if not clause.has_timing:
                raise self.error(clause, "không thấy thời hạn", None)
            if pending:
                clause.label[:0] = [*pending, "và"] if clause.label else pending
                pending = []
            merged.append(clause)
        if pending:
            raise self.error(group[-1], f"không thấy thời hạn cho «{' '.join(pending)}»")
        return merged

    def _fold_bare_periodic(self, clauses: list[Clause]) -> list[Clause]:
        """"Định kỳ/Thường xuyên": a cadence-less "định kỳ" beside "thường xuyên" adds nothing."""
        kept: list[Clause] = []
        ongoing = any(c.ongoing for c in clauses)
        for clause in clauses:
            bare = clause.periodic and not (clause.recurrence or clause.qualifier or clause.periods
                                            or clause.anchor or clause.ongoing)
            if bare and ongoing:
                self.assumptions.append("«Định kỳ» không ghi chu kỳ, đi cùng «thường xuyên»: "
                                        "hiểu là việc thường xuyên, có kiểm tra định kỳ.")
                continue
            if bare:
                raise self.error(clause, "«định kỳ» chưa ghi chu kỳ (hằng tháng, hằng quý, "
                                 "6 tháng/lần…)", _HINT_BARE_PERIODIC)
            kept.append(clause)
        return kept

    def _clause_rules(self, clause: Clause) -> list[Rule]:
        label = _label(clause)
        text = self.phrase[clause.start or 0:clause.end].strip()
        rules: list[Rule] = []
        if clause.after is not None:
            rules.append(self._after_rule(clause, label, text))
        if clause.adhoc is not None:
            rules.append(Rule("adhoc", label, text, trigger=clause.adhoc))
        cadence = clause.recurrence or clause.period_end_marker_kind()
        if cadence is None and clause.qualifier and clause.qualifier[2]:
            cadence = clause.qualifier[2]
            self.assumptions.append(f"«{label}» không ghi thời hạn: hiểu là {EVERY[cadence]}.")
        if cadence is not None:
            rules.append(recurring_rule(self, clause, cadence, label, text))
        elif clause.ongoing:
            rules.append(Rule("ongoing", label, text, checkin=self.options.ongoing_checkin))
        elif clause.periods or clause.opens or clause.anchor or clause.qualifier:
            rules.append(self._dated_rule(clause, label, text))
        if not rules:
            raise self.error(clause, "không thấy thời hạn")
        return rules

    def _after_rule(self, clause: Clause, label: str, text: str) -> Rule:
        after = clause.after
        assert after is not None
        working = after.working_days
        if working is None and after.calendar_days is None:
            working = self.options.after_event_working_days
            self.assumptions.append(f"Không ghi số ngày sau «{after.event_text}»: hạn là "
                                    f"{working} ngày làm việc sau sự kiện (theo cấu hình).")
        if not after.event_key:
            self.assumptions.append(f"«{after.event_text}» không có trong danh mục sự kiện: "
                                    "cần khởi động thủ công khi sự kiện xảy ra.")
        return Rule("after", label, text, event=after.event_key, event_text=after.event_text,
                    working_days=working, calendar_days=after.calendar_days,
                    on_day_off=clause.on_day_off)  # type: ignore[arg-type]

    def _dated_rule(self, clause: Clause, label: str, text: str) -> Rule:
        """A one-off: a period, a window, or a named date."""
        if clause.opens is not None and clause.anchor is not None:
            return self._date_window(clause, label, text)
        if clause.periods:
            first, last, is_window = self._resolve_periods(clause)
            if clause.anchor is not None:
                return self._date_in_period(clause, first, label, text)
            rule = Rule("window" if is_window else "once", label, text, first=first, last=last)
            self._note_outside_year(first, last)
            return rule
        if clause.anchor is not None:
            due = self._resolve_anchor(clause, clause.anchor)
            self._note_outside_year(due, due)
            return Rule("once", label, text, last=due, named_date=True,
                        before=clause.anchor.before, on_day_off=clause.on_day_off)  # type: ignore[arg-type]
        assert clause.qualifier is not None and clause.qualifier[1] is not None
        first_month, last_month = clause.qualifier[1]
        first, last = date(self.year, first_month, 1), month_end(self.year, last_month)
        self.assumptions.append(f"«{label}» không ghi thời hạn: hiểu là kỳ "
                                f"{period_label(first, last).lower()}, hạn cuối kỳ.")
        return Rule("once", label, text, first=first, last=last)

    def _date_window(self, clause: Clause, label: str, text: str) -> Rule:
        assert clause.opens is not None and clause.anchor is not None
        closes = self._resolve_anchor(clause, clause.anchor)
        opens_anchor = clause.opens
        if opens_anchor.month is None:
            opens_anchor = Anchor(day=opens_anchor.day, month=closes.month, year=closes.year)
        elif opens_anchor.year is None:
            opens_anchor = Anchor(day=opens_anchor.day, month=opens_anchor.month, year=closes.year)
        opens = self._resolve_anchor(clause, opens_anchor)
        if opens > closes:
            raise self.error(clause, "ngày bắt đầu sau ngày kết thúc")
        self._note_outside_year(opens, closes)
        return Rule("window", label, text, first=opens, last=closes, named_date=True,
                    on_day_off=clause.on_day_off)  # type: ignore[arg-type]

    def _date_in_period(self, clause: Clause, first: date, label: str, text: str) -> Rule:
        """"Tháng 01/2024, trước ngày 20": the day belongs to that month."""
        anchor = clause.anchor
        assert anchor is not None
        if anchor.weekday is not None:
            raise self.error(clause, "chưa hiểu thứ trong tuần cho một việc làm một lần",
                             "Vào thứ Hai hằng tuần")
        month = anchor.month or first.month
        year = anchor.year or first.year
        due = self._make_date(clause, year, month, anchor.day or 1)
        return Rule("once", label, text, last=due, named_date=True, before=anchor.before,
                    on_day_off=clause.on_day_off)  # type: ignore[arg-type]

    def _resolve_periods(self, clause: Clause) -> tuple[date, date, bool]:
        if len(clause.periods) == 1:
            period = clause.periods[0]
            year = self._year_of(period.year, clause)
            return (date(year, period.first_month, 1), month_end(year, period.last_month),
                    period.is_range)
        start, end = clause.periods[0], clause.periods[-1]
        end_year = end.year if end.year is not None else (start.year or self._year_of(None,
                                                                                      clause))
        start_year = start.year
        if start_year is None:
            start_year = end_year - 1 if start.first_month > end.last_month else end_year
        first, last = date(start_year, start.first_month, 1), month_end(end_year, end.last_month)
        if last < first:
            raise self.error(clause, "mốc kết thúc đứng trước mốc bắt đầu",
                             "Tháng 12/2023 – Quý I/2024")
        return first, last, True

    def _resolve_anchor(self, clause: Clause, anchor: Anchor) -> date:
        if anchor.weekday is not None:
            raise self.error(clause, "thứ trong tuần chỉ dùng cho việc hằng tuần",
                             "Vào thứ Hai hằng tuần")
        if anchor.month is None:
            raise self.error(clause, f"ngày {anchor.day} chưa ghi tháng",
                             "Trước ngày 15/6/2024, Ngày 15 hằng tháng")
        year = self._year_of(anchor.year, clause)
        return self._make_date(clause, year, anchor.month, anchor.day or 1)

    def _make_date(self, clause: Clause, year: int, month: int, day: int) -> date:
        try:
            return date(year, month, day)
        except (ValueError, OverflowError):
            raise self.error(clause, f"không có ngày {day}/{month}/{year}",
                             "Trước ngày 15/6/2024") from None

    def _year_of(self, written: int | None, clause: Clause) -> int:
        if written is not None:
            return written
        text = self.phrase[clause.start or 0:clause.end].strip()
        self.assumptions.append(f"«{text}» không ghi năm: hiểu là năm kế hoạch {self.year}.")
        return self.year

    def _note_outside_year(self, first: date, last: date) -> None:
        if last.year < self.year or first.year > self.year:
            shown = dmy(last) if first == last else f"{dmy(first)} – {dmy(last)}"
            self.assumptions.append(f"Mốc {shown} nằm ngoài năm kế hoạch {self.year}: "
                                    "có thể là năm cũ chép lại, cần kiểm tra.")


def _label(clause: Clause) -> str:
    words = list(clause.label)
    if clause.qualifier is not None:
        words.append(clause.qualifier[0] if words else f"kỳ {clause.qualifier[0]}")
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _share_labels(clauses: list[Clause]) -> None:
    """"Báo cáo 6 tháng …, năm …": the second clause is "Báo cáo năm"."""
    previous: list[str] = []
    for clause in clauses:
        if clause.label:
            previous = clause.label
        elif previous and clause.qualifier is not None:
            clause.label = list(previous)


def _share_cadence(clauses: list[Clause]) -> None:
    """"Trước ngày 15/6 và trước 30/11 hằng năm": the cadence covers the earlier dates."""
    cadences = {c.recurrence for c in clauses if c.recurrence}
    for clause in clauses:
        if clause.recurrence or clause.ongoing or clause.adhoc or clause.after:
            continue
        anchor = clause.anchor
        yearless_date = anchor is not None and anchor.year is None and anchor.month is not None
        yearless_period = bool(clause.periods) and all(p.year is None for p in clause.periods)
        if "yearly" in cadences and (yearless_date or yearless_period):
            clause.recurrence = "yearly"
        elif "monthly" in cadences and anchor is not None and anchor.month is None \
                and anchor.day is not None:
            clause.recurrence = "monthly"
        elif "weekly" in cadences and anchor is not None and anchor.weekday is not None:
            clause.recurrence = "weekly"


def month_end(year: int, month: int) -> date:
    return date(year, month, gregorian.monthrange(year, month)[1])

