"""One clause's Parts -> its rules: a cadence keeps the day it names, a one-off its dates.

Each builder function below reads one combination of items; the order of the checks in
ClauseRules.rules() is the order of precedence (an event, then "đột xuất", then a
cadence, then "thường xuyên", then dates).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from rules.timing.after import after_rule, after_tet
from rules.timing.lunar import to_lunar, to_solar
from rules.timing.model import TimingError, TimingOptions
from rules.timing.points import Points
from rules.timing.reading import Part, Pt
from rules.timing.recurring import recurring_rule
from rules.timing.rules_dated import Once, Window
from rules.timing.rules_event import AdHoc, Ongoing
from rules.timing.schedule import Rule
from rules.timing.spans import SpanRules
from rules.timing.words import strip_diacritics
from rules.vndate import short_date

_NOT_TIMING = frozenset({"label", "cond", "lunar_check", "solar"})
_QUALIFIER_TEXT = {"yearly": "năm", "quarterly": "quý", "monthly": "tháng", "weekly": "tuần"}


def _qualifier_text(part: Part) -> str:
    kind, months = part.value
    return f"{months} tháng" if kind == "months" else _QUALIFIER_TEXT[kind]


class Bag:
    """The Parts of one clause, by kind."""

    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts
        self.by: dict[str, list[Part]] = defaultdict(list)
        for part in parts:
            self.by[part.kind].append(part)
        self.kinds = frozenset(self.by)
        self.on_day_off: str | None = None
        self.shared_cadence: str | None = None
        self.labels: list[str] = (
            [p.value for p in self.by["label"]] if "label" in self.kinds else []
        )

    def first(self, kind: str) -> Part | None:
        if kind not in self.kinds:
            return None
        return self.by[kind][0]

    def has(self, *kinds: str) -> bool:
        return not self.kinds.isdisjoint(kinds)

    @property
    def start(self) -> int:
        return min(p.start for p in self.parts)

    @property
    def end(self) -> int:
        return max(p.end for p in self.parts)

    @property
    def is_label_only(self) -> bool:
        return all(p.kind == "label" for p in self.parts)

    def timing_kinds(self) -> frozenset[str]:
        return self.kinds - _NOT_TIMING


class ClauseRules(SpanRules):
    """Rules of one clause, for one phrase and plan year."""

    def __init__(
        self, phrase: str, year: int, options: TimingOptions, assumptions: list[str]
    ) -> None:
        self.phrase = phrase
        self.year = year
        self.options = options
        self.assumptions = assumptions
        self.points = Points(phrase, year, options, assumptions)

    def error(self, bag: Bag, message: str, hint: str | None = None) -> TimingError:
        return TimingError(self.phrase, (bag.start, bag.end), message, hint)

    def label(self, bag: Bag) -> str:
        """The activity: the label words and the report period, in the order written
        ("Báo cáo quý gửi …" -> "Báo cáo quý gửi"); a label shared from the clause before
        comes first ("Báo cáo 6 tháng …, năm …" -> "Báo cáo năm")."""
        qualifier = bag.first("qualifier")
        own = [p.value for p in bag.by["label"]] if "label" in bag.kinds else []
        if qualifier is None or not bag.labels:
            words = list(bag.labels)
        elif bag.labels == own:
            words = [
                p.value if p.kind == "label" else _qualifier_text(p)
                for p in bag.parts
                if p.kind == "label" or p is qualifier
            ]
        else:
            words = [*bag.labels, _qualifier_text(qualifier)]
        text = " ".join(words)
        return text[:1].upper() + text[1:]

    def rules(self, bag: Bag) -> list[Rule]:
        label = self.label(bag)
        text = self.phrase[bag.start : bag.end].strip()
        common: dict[str, Any] = {"label": label, "text": text}
        found: list[Rule] = (
            [self._after(bag, part, common) for part in bag.by["after"]]
            if "after" in bag.kinds
            else []
        )
        if bag.has("adhoc"):  # "đột xuất trong các trường hợp …": one trigger
            adhoc = bag.by["adhoc"]
            trigger = self.phrase[adhoc[0].start : adhoc[-1].end].strip(" .…")
            found.append(AdHoc(trigger=trigger, **common))
        if bag.has("after_tet"):
            found.append(self._after_tet(common))
        rule = recurring_rule(self, bag, common)
        if rule is not None:
            found.append(rule)
        elif bag.has("ongoing", "daily"):
            found.append(self._ongoing(bag, common))
        elif bag.timing_kinds() - {"after", "adhoc", "after_tet", "periodic", "lunar"}:
            found.append(self.dated(bag, common))
        if not found:
            raise self.error(bag, "không thấy thời hạn")
        return found

    def _after(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        return after_rule(self, bag, part, common)

    def _after_tet(self, common: dict[str, Any]) -> Window:
        return after_tet(self, common)

    def _ongoing(self, bag: Bag, common: dict[str, Any]) -> Ongoing:
        if bag.has("daily") and not bag.has("ongoing"):
            self.assumptions.append(
                "Việc «hằng ngày» được theo dõi như việc thường xuyên: "
                "không nhắc mỗi ngày, chỉ kiểm tra định kỳ."
            )
        return Ongoing(checkin=self.options.ongoing_checkin, **common)

    # --- one-offs -------------------------------------------------------------------------
    def dated(self, bag: Bag, common: dict[str, Any]) -> Rule:
        """A one-off: a span, a deadline, a date, or a period."""
        for kind in (
            "span",
            "open_from",
            "from_now",
            "deadline",
            "date",
            "days",
            "period",
            "term",
            "term_end",
            "school_year",
            "school_start",
            "school_end",
            "qualifier",
            "weekday",
            "week",
        ):
            part = bag.first(kind)
            if part is not None:
                return getattr(self, f"_{kind}")(bag, part, common)  # type: ignore[no-any-return]
        raise self.error(bag, "không thấy thời hạn")

    def month_hint(self, bag: Bag) -> tuple[int, int] | None:
        period = bag.first("period")
        if period is None or period.value.kind != "months":
            return None
        first, last = self.points.months(period)
        return (first.year, first.month) if first.month == last.month else None

    def _date_of(self, bag: Bag, part: Part, pt: Pt) -> date:
        day = self.points.day(part, pt, self.month_hint(bag), lunar=bag.has("lunar"))
        check = (
            next((c for c in bag.by["lunar_check"] if c.value[2] == part.end), None)
            if "lunar_check" in bag.kinds
            else None
        )
        if check is not None:
            lunar_day, lunar_month, _ = to_lunar(day)
            if (lunar_day, lunar_month) != check.value[:2]:
                self.assumptions.append(
                    f"Cảnh báo: ngày {short_date(day)} là ngày {lunar_day}/"
                    f"{lunar_month} âm lịch, không phải {check.value[0]}/"
                    f"{check.value[1]} âm lịch như ghi kèm; hạn theo ngày "
                    "dương lịch."
                )
            else:
                self.assumptions.append(
                    f"Đã đối chiếu: ngày {short_date(day)} đúng là ngày "
                    f"{lunar_day}/{lunar_month} âm lịch."
                )
        return day

    def _named(self, bag: Bag, part: Part, pt: Pt, before: bool, common: dict[str, Any]) -> Once:
        day = self.points.festival(pt) if pt.kind == "festival" else self._date_of(bag, part, pt)
        self.points.note_outside_year(day, day)
        return Once(last=day, named=True, before=before, on_day_off=bag.on_day_off, **common)

    def _deadline(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        point, before = part.value
        if point.kind == "weekday":
            raise self.error(
                bag, "thứ trong tuần chỉ dùng cho việc hằng tuần", "Vào thứ Hai hằng tuần"
            )
        if point.kind == "reldate":
            raise self.error(
                bag,
                "hạn tính theo kỳ báo cáo nhưng chưa rõ kỳ nào",
                "Báo cáo quý gửi trước ngày 20 của tháng cuối quý",
            )
        pt = point.value
        if pt.kind in ("date", "festival"):
            return self._named(bag, point, pt, before, common)
        if point.kind == "span":
            return self._span(bag, point, common)
        if point.kind == "days":
            raise self.error(bag, "nhiều ngày cho một việc làm một lần", "Ngày 01 và 15 hằng tháng")
        first, last = self.points.months(point)
        self.points.note_outside_year(first, last)
        if before:  # "trước tháng 11/2022": before its first day
            return Once(last=first, named=True, before=True, on_day_off=bag.on_day_off, **common)
        return Once(first=first, last=last, **common)

    def _date(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        return self._named(bag, part, part.value, False, common)

    def _days(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        if len(part.value) > 1:
            raise self.error(bag, "nhiều ngày cho một việc làm một lần", "Ngày 01 và 15 hằng tháng")
        return self._named(bag, part, Pt("date", (None, 0), day=part.value[0]), False, common)

    def _period(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        pt = part.value
        if pt.kind == "festival":
            return self._named(bag, part, pt, False, common)
        first, last = self.points.months(part)
        if bag.has("lunar"):  # "tháng Giêng (âm lịch)": from its 1st to the day before the next
            if first.month != last.month:
                raise self.error(bag, "chưa hỗ trợ nhiều tháng âm lịch", "Tháng Giêng âm lịch")
            year, month = first.year, first.month
            first = to_solar(year, month, 1)
            last = (
                to_solar(year, month + 1, 1) if month < 12 else to_solar(year + 1, 1, 1)
            ) - timedelta(days=1)
            self.assumptions.append(
                f"Tháng {month} âm lịch năm {year}: từ {short_date(first)} đến {short_date(last)}."
            )
            return Once(first=first, last=last, **common)
        written = self.phrase[part.start : part.end]
        if strip_diacritics(written.split()[0]) in ("dau", "giua"):
            self.assumptions.append(f"«{written}» được hiểu là trong tháng {first.month:02d}.")
        self.points.note_outside_year(first, last)
        if pt.range:
            return Window(first=first, last=last, **common)
        return Once(first=first, last=last, **common)

    def _qualifier(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        kind, months = part.value
        if kind in ("months", "yearly") and months is not None and 1 <= months <= 12:
            year = self.year
            first, last = date(year, 1, 1), date(year, months, 1)
            last = (last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            shown = "năm" if months == 12 else f"{months} tháng đầu năm"
            self.assumptions.append(
                f"«{common['label'] or self.phrase[part.start : part.end]}» "
                f"không ghi thời hạn: hiểu là kỳ {shown} {year}, hạn cuối kỳ."
            )
            return Once(first=first, last=last, **common)
        raise self.error(bag, "không thấy thời hạn")

    def _weekday(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        raise self.error(bag, "thứ trong tuần chỉ dùng cho việc hằng tuần", "Vào thứ Hai hằng tuần")

    def _week(self, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
        raise self.error(bag, "tuần thứ mấy của tháng nào?", "Tuần thứ hai hằng tháng")
