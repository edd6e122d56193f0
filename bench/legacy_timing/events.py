"""The events a row can wait for ("sau hoạt động ĐGNB"), in one table.

An "after" rule names an event by key; the engine starts it when a row whose task
describes that event is done. `event_matches` decides "describes": the event is named
in the task, and not only as the object of a plan or a report about it ("Xây dựng Kế
hoạch ĐGNB" prepares the audit, "triển khai ĐGNB" is the audit).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    key: str
    name: str  # shown to people, mid-sentence ("sau đánh giá nội bộ (ĐGNB)")
    patterns: tuple[str, ...]  # diacritic-stripped, lower case, single spaces


EVENTS: tuple[Event, ...] = (
    Event("dgnb", "đánh giá nội bộ (ĐGNB)", ("dgnb", "danh gia noi bo")),
    Event("xem-xet-lanh-dao", "xem xét của lãnh đạo",
          ("xem xet cua lanh dao", "xem xet lanh dao", "hop xem xet", "xxld")),
    Event("danh-gia-chung-nhan", "đánh giá của tổ chức chứng nhận",
          ("danh gia chung nhan", "danh gia giam sat", "danh gia tai chung nhan")),
    Event("kiem-tra-iso", "kiểm tra việc áp dụng HTQLCL",
          ("kiem tra iso", "kiem tra htqlcl", "kiem tra viec ap dung")),
    Event("ban-hanh-mtcl", "ban hành MTCL và Kế hoạch thực hiện MTCL",
          ("ban hanh mtcl", "cong bo mtcl", "xay dung mtcl")),
    Event("khac-phuc", "hành động khắc phục", ("hanh dong khac phuc",)),
)
EVENTS_BY_KEY = {event.key: event for event in EVENTS}
EVENT_WORDS = frozenset(word for event in EVENTS for p in event.patterns for word in p.split())

# Two words before the event's name that make the row about something else.
_NOT_THE_EVENT = {"ke hoach", "chuong trinh", "ket qua", "bao cao"}
_PARENTHESISED = re.compile(r"\([^()]*\)")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " " + _NOT_WORD.sub(" ", text).strip() + " "


def find_event(text: str) -> Event | None:
    """The event `text` names ("hoạt động ĐGNB" -> dgnb), or None."""
    plain = _plain(text)
    for event in EVENTS:
        if any(f" {pattern} " in plain for pattern in event.patterns):
            return event
    return None


def event_matches(event_key: str, task_text: str) -> bool:
    """Does a plan row's task text describe this event?

    event_matches("dgnb", "Xây dựng chương trình ĐGNB và triển khai ĐGNB") is True;
    event_matches("dgnb", "Xây dựng Kế hoạch Đánh giá nội bộ (ĐGNB) năm 2024") is False.
    """
    event = EVENTS_BY_KEY.get(event_key)
    if event is None:
        return False
    # "(ĐGNB)" only abbreviates the name just before it.
    plain = _plain(_PARENTHESISED.sub(" ", task_text))
    for pattern in event.patterns:
        for found in re.finditer(f" {re.escape(pattern)} ", plain):
            before = " ".join(plain[: found.start()].split()[-2:])
            if before not in _NOT_THE_EVENT:
                return True
    return False
