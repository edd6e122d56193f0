"""A row's timing when the plan splits it over several columns, composed into one phrase.

"Tần suất" + "Thời hạn" gives "Hằng quý; trước ngày 15 của tháng cuối quý"; "Bắt đầu" +
"Kết thúc" gives "Từ 01/03/2025 đến 30/04/2025". The timing compiler reads these forms;
`plan check` shows both the parts and the phrase.
"""

from __future__ import annotations

import re

from rules.plan import normalise_key

_DATE = re.compile(r"^\d{1,2}/\d{1,2}(?:/\d{2,4})?$")
_STARTS_WITH = re.compile(r"^(?:từ|trước|đến|chậm\s+nhất|trong|sau)\b", re.IGNORECASE)


def compose_timing(parts: dict[str, str]) -> str:
    """One phrase from the non-empty parts, in the order a person would say them."""
    present = {role: text.strip() for role, text in parts.items() if text.strip()}
    if not present:
        return ""
    if len(present) == 1:
        role, text = next(iter(present.items()))
        return _lone(role, text)
    clauses: list[str] = []
    for role in ("frequency", "timing", "deadline"):
        others = [text for other, text in present.items() if other != role]
        if role in present and not _said(present[role], others):
            clauses.append(_deadline(present[role]) if role == "deadline" else present[role])
    window = _window(present.get("start", ""), present.get("end", ""))
    if window:
        clauses.append(window)
    phrase = clauses[0]
    for clause in clauses[1:]:
        phrase = f"{phrase}; {_lower_first(clause)}"
    return phrase


def _lone(role: str, text: str) -> str:
    if role == "start":
        return _window(text, "")
    if role in ("end", "deadline"):
        return _deadline(text)
    return text


def _window(start: str, end: str) -> str:
    start, end = start.strip(), end.strip()
    if start and end:
        return f"Từ {_lower_first(_bare(start))} đến {_lower_first(_bare(end))}"
    if start:
        return start if _STARTS_WITH.match(start) else f"Từ {_lower_first(start)}"
    return _deadline(end) if end else ""


def _deadline(text: str) -> str:
    """A bare date becomes "Trước ngày 30/04/2025"; a phrase is kept as written."""
    if _DATE.match(text):
        return f"Trước ngày {text}"
    return text


def _bare(text: str) -> str:
    """ "Từ ngày 01/03" in a start column reads "01/03" inside "Từ ... đến ..."."""
    return re.sub(r"^(?:từ|đến)\s+(?:ngày\s+)?", "", text, flags=re.IGNORECASE)


def _said(text: str, others: list[str]) -> bool:
    """A part another part already says ("Hằng quý" in "Hằng quý, trước ngày 15")."""
    key = normalise_key(text)
    return any(key in normalise_key(other) and key != normalise_key(other) for other in others)


def _lower_first(text: str) -> str:
    """ "Trước ngày 15" -> "trước ngày 15"; "ĐGNB", "Quý I" and dates are left alone."""
    if len(text) > 1 and text[0].isupper() and text[1].islower() and not text.startswith("Quý"):
        return text[0].lower() + text[1:]
    return text
