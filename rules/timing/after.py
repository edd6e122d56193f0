"""Rules counted from an event: "sau hoạt động ĐGNB", "trong vòng 03 ngày sau khi nhận được
phản ánh" (a named trigger), "45 ngày kể từ ngày kết thúc 6 tháng đầu năm" (from each
period's end), "Sau Tết Nguyên đán" (a window after Tết)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rules.timing.events import find_event
from rules.timing.lunar import to_solar
from rules.timing.reading import Part
from rules.timing.rules_dated import Window, Yearly
from rules.timing.rules_event import AfterEvent
from rules.timing.rules_repeat import Every
from rules.timing.words import strip_diacritics
from rules.vndate import short_date

if TYPE_CHECKING:
    from rules.timing.clause import Bag, ClauseRules
    from rules.timing.schedule import Rule

_TIME_WORDS = {"thang", "nam", "quy", "ngay", "tuan", "truoc", "hang", "moi", "dinh"}
_PERIOD_END = re.compile(r"^(?:ket thuc|het) (quy|thang|nam|6 thang dau nam|6 thang cuoi nam)\b")
_PERIOD_UNITS = {
    "quy": ("quarterly", None),
    "thang": ("monthly", None),
    "nam": ("yearly", None),
    "6 thang dau nam": ("yearly", (1, 6)),
    "6 thang cuoi nam": ("yearly", (7, 12)),
}


def _period_end(event_text: str) -> tuple[str, tuple[int, int] | None] | None:
    """ "kết thúc quý" -> ("quarterly", None): a deadline counted from each period's end."""
    found = _PERIOD_END.match(strip_diacritics(event_text))
    return _PERIOD_UNITS[found.group(1)] if found else None


def after_rule(cr: ClauseRules, bag: Bag, part: Part, common: dict[str, Any]) -> Rule:
    duration, event_text = part.value
    period_end = _period_end(event_text)
    if period_end is not None and duration is not None:
        unit, months = period_end
        cr.assumptions.append(f"«{event_text}»: hạn tính từ ngày cuối kỳ, mỗi kỳ một hạn.")
        if unit == "yearly":
            return Yearly(
                months=months,
                days_after=duration[0],
                working=duration[1] == "working",
                **common,
            )
        return Every(unit=unit, days_after=duration[0], working=duration[1] == "working", **common)
    event = find_event(event_text)
    words = strip_diacritics(event_text).split()
    if event is None and (not words or words[0].isdigit() or words[0] in _TIME_WORDS):
        raise cr.error(
            bag, f"chưa hiểu «sau {event_text}»: cần tên một sự kiện", "Sau hoạt động ĐGNB"
        )
    working = calendar = None
    if duration is None:
        working = cr.options.after_event_working_days
        cr.assumptions.append(
            f"Không ghi số ngày sau «{event_text}»: hạn là {working} "
            "ngày làm việc sau sự kiện (theo cấu hình)."
        )
    elif duration[1] == "working":
        working = duration[0]
    else:
        calendar = duration[0]
    if event is None:
        cr.assumptions.append(
            f"«{event_text}» không có trong danh mục sự kiện: cần khởi "
            "động thủ công khi sự kiện xảy ra."
        )
    return AfterEvent(
        event=event.key if event else "",
        event_text=event_text,
        working_days=working,
        calendar_days=calendar,
        on_day_off=bag.on_day_off,
        **common,
    )


def after_tet(cr: ClauseRules, common: dict[str, Any]) -> Window:
    first, last = to_solar(cr.year, 1, 1), to_solar(cr.year, 1, 15)
    cr.assumptions.append(
        f"«Sau Tết» được hiểu là từ mùng 1 Tết ({short_date(first)}) "
        f"đến Rằm tháng Giêng ({short_date(last)})."
    )
    return Window(first=first, last=last, named=True, **common)
