"""Lines of clauses -> rules: what a line's clauses share, then each clause's rules.

Along a line: a day-off rule covers the whole phrase; a label alone names the next
clause ("Kế hoạch và báo cáo: tháng 01/2024"); a weekday alone joins the next clause
("thứ Ba, tuần thứ ba hằng tháng"); consecutive single months with one year are one
window ("trong tháng 3, tháng 4 năm 2025"); a label and a trailing "hằng năm" cover the
clauses before them ("Báo cáo 6 tháng trước 15/6, năm trước 30/11 hằng năm").
"""

from __future__ import annotations

from rules.timing.clause import Bag, ClauseRules
from rules.timing.model import TimingError, TimingOptions
from rules.timing.reading import Part, Pt
from rules.timing.schedule import Rule

_HINT_BARE_PERIODIC = "Định kỳ hằng quý, Định kỳ 6 tháng/lần, Định kỳ hằng tháng"


class Builder:
    def __init__(self, phrase: str, year: int, options: TimingOptions) -> None:
        self.phrase = phrase
        self.year = year
        self.options = options
        self.assumptions: list[str] = []
        self.clauses = ClauseRules(phrase, year, options, self.assumptions)

    def error(self, bag: Bag, message: str, hint: str | None = None) -> TimingError:
        return TimingError(self.phrase, (bag.start, bag.end), message, hint)

    def rules(self, lines: list[list[list[Part]]]) -> list[Rule]:
        bags = [[Bag(parts) for parts in line] for line in lines]
        self._conditions(bags)
        rules: list[Rule] = []
        for line in bags:
            line = [bag for bag in line if bag.parts]
            if len(line) > 1:
                line = self._merge_label_only(line)
                line = self._merge_weekdays(line)
                line = self._merge_months(line)
                _share_labels(line)
                _share_cadence(line)
            for bag in self._fold_bare_periodic(line):
                rules.extend(self.clauses.rules(bag))
        return rules

    def _conditions(self, lines: list[list[Bag]]) -> None:
        """ "…; nếu trùng ngày nghỉ thì …": a day-off rule covers the phrase."""
        modes = [
            p.value for line in lines for bag in line if "cond" in bag.kinds for p in bag.by["cond"]
        ]
        if not modes:
            return
        if not all(modes):
            self.assumptions.append(
                "Không ghi cách dời hạn khi trùng ngày nghỉ: dời theo lịch "
                "làm việc (mặc định về ngày làm việc liền trước)."
            )
        mode = next((m for m in modes if m), None)
        for line in lines:
            for bag in line:
                own = next((p.value for p in bag.by["cond"] if p.value), None)
                bag.on_day_off = own or mode
                if bag.by["cond"] and not (bag.timing_kinds() or bag.labels):
                    bag.parts = []

    def _merge_label_only(self, line: list[Bag]) -> list[Bag]:
        merged: list[Bag] = []
        pending: list[str] = []
        for bag in line:
            if bag.is_label_only:
                if merged and merged[-1].has("adhoc", "after", "ongoing") and not pending:
                    continue  # "khi có thay đổi về cơ cấu tổ chức, nhân sự": still the trigger
                pending.extend(bag.labels if not pending else ["và", *bag.labels])
                continue
            if pending:
                bag.labels[:0] = [*pending, "và"] if bag.labels else pending
                pending = []
            merged.append(bag)
        if pending:
            raise self.error(line[-1], f"không thấy thời hạn cho «{' '.join(pending)}»")
        return merged

    @staticmethod
    def _merge_weekdays(line: list[Bag]) -> list[Bag]:
        merged: list[Bag] = []
        for bag in line:
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and previous.timing_kinds() <= {"weekday", "periodic"}
                and previous.has("weekday")
                and not bag.has("weekday")
            ):  # "thứ Ba và thứ Năm hằng tuần": two days
                merged[-1] = Bag([*previous.parts, *bag.parts])
                merged[-1].on_day_off = bag.on_day_off or previous.on_day_off
                continue
            merged.append(bag)
        return merged

    def _merge_months(self, line: list[Bag]) -> list[Bag]:
        """ "tháng 3, tháng 4 năm 2025": consecutive months sharing one year are one window."""
        merged: list[Bag] = []
        run: list[Bag] = []
        for bag in [*line, None]:
            if (
                bag is not None
                and _single_month(bag)
                and (not run or (_month(bag) == _month(run[-1]) + 1 and _year(run[-1]) is None))
            ):
                run.append(bag)
                continue
            if len(run) > 1 and not any(b.labels for b in run[1:]):
                first, last = run[0], run[-1]
                year = _year(last)
                head = first.by["period"][0]
                span = Part(
                    "period",
                    head.start,
                    last.end,
                    Pt("months", (year, _month(first)), (year, _month(last)), range=True),
                )
                window = Bag([*first.by["label"], span])
                window.on_day_off = first.on_day_off
                merged.append(window)
            else:
                merged.extend(run)
            run = []
            if bag is not None:
                if _single_month(bag):
                    run = [bag]
                else:
                    merged.append(bag)
        return merged

    def _fold_bare_periodic(self, line: list[Bag]) -> list[Bag]:
        """ "Định kỳ/Thường xuyên": a cadence-less "định kỳ" beside "thường xuyên" adds nothing."""
        if all("periodic" not in bag.kinds for bag in line):
            if len(line) == 1 and line[0].is_label_only:
                raise self.error(line[0], f"không thấy thời hạn cho «{' '.join(line[0].labels)}»")
            return line
        kept: list[Bag] = []
        ongoing = any(bag.has("ongoing") for bag in line)
        for bag in line:
            bare = (
                bag.has("periodic")
                and not (bag.timing_kinds() - {"periodic"})
                and not bag.shared_cadence
            )
            if bare and ongoing:
                self.assumptions.append(
                    "«Định kỳ» không ghi chu kỳ, đi cùng «thường xuyên»: "
                    "hiểu là việc thường xuyên, có kiểm tra định kỳ."
                )
                continue
            if bare:
                raise self.error(
                    bag,
                    "«định kỳ» chưa ghi chu kỳ (hằng tháng, hằng quý, 6 tháng/lần…)",
                    _HINT_BARE_PERIODIC,
                )
            kept.append(bag)
        return kept


def _single_month(bag: Bag) -> bool:
    if bag.timing_kinds() != {"period"} or len(bag.by["period"]) != 1:
        return False
    pt = bag.by["period"][0].value
    return (
        pt.kind == "months"
        and pt.first[1] == pt.last[1]
        and not pt.range
        and pt.first[0] == pt.last[0]
    )


def _month(bag: Bag) -> int:
    return int(bag.by["period"][0].value.first[1])


def _year(bag: Bag) -> int | None:
    year = bag.by["period"][0].value.last[0]
    return int(year) if year is not None else None


def _share_labels(line: list[Bag]) -> None:
    """ "Báo cáo 6 tháng …, năm …": the second clause is "Báo cáo năm"."""
    previous: list[str] = []
    for bag in line:
        if bag.labels:
            previous = bag.labels
        elif previous and bag.has("qualifier"):
            bag.labels = list(previous)


def _share_cadence(line: list[Bag]) -> None:
    """ "Trước ngày 15/6 và trước 30/11 hằng năm": the cadence covers the other dates."""
    cadences = {p.value for bag in line for p in bag.by["cadence"]}
    for bag in line:
        if bag.has("cadence", "count", "ongoing", "adhoc", "after"):
            continue
        deadline = bag.first("deadline")
        point = deadline.value[0] if deadline is not None else bag.first("date")
        pt = point.value if point is not None and isinstance(point.value, Pt) else None
        yearless_date = pt is not None and pt.kind == "date" and pt.first[0] is None and pt.first[1]
        periods = bag.by["period"]
        yearless_period = bool(periods) and all(p.value.last[0] is None for p in periods)
        if "yearly" in cadences and (yearless_date or yearless_period):
            bag.shared_cadence = "yearly"
        elif "monthly" in cadences and (
            bag.has("days") or (pt is not None and pt.kind == "date" and not pt.first[1])
        ):
            bag.shared_cadence = "monthly"
        elif "weekly" in cadences and bag.has("weekday") and not bag.has("week"):
            bag.shared_cadence = "weekly"
