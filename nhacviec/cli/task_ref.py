"""A task named as people name it: its code ("K7M2QX"), or its row and period ("I.3 2024",
"II.1 quý 3"); an unknown row is an error that lists the rows there are."""

from __future__ import annotations

import difflib
import re
import unicodedata

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from nhacviec.cli.common import CommandError
from rules.vndate import vietnamese_date
from scheduler.models import OPEN, Occurrence, RowRecord
from scheduler.service import ServiceError, find_occurrence

_ROMAN_QUARTERS = {"1": "i", "2": "ii", "3": "iii", "4": "iv"}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _matches(occurrence: Occurrence, period: str) -> bool:
    wanted = _fold(period)
    haystack = _fold(f"{occurrence.label} {occurrence.deadline_key} {occurrence.due_on:%d/%m/%Y}")
    if wanted in haystack:
        return True
    quarter = re.fullmatch(r"(?:quý|q)\s*([1-4]|i{1,3}|iv)", wanted)
    if quarter:
        number = quarter.group(1)
        roman = _ROMAN_QUARTERS.get(number, number)
        return f"quý {roman}/" in haystack or f"quý {roman} " in haystack
    return False


def _describe(o: Occurrence) -> str:
    return f"{o.code} ({o.label or o.deadline_key}, hạn {vietnamese_date(o.due_on)})"


def resolve_task(db: Engine, text: str) -> str:
    """The occurrence code `text` names; raises CommandError with the choices otherwise."""
    with Session(db) as session:
        try:
            return find_occurrence(session, text).code
        except ServiceError:
            pass
        ref, _, period = text.strip().partition(" ")
        rows = session.exec(select(RowRecord).where(RowRecord.active == True)).all()  # noqa: E712
        refs = sorted({r.ref for r in rows})
        chosen = [r.id for r in rows if r.ref.casefold() == ref.casefold()]
        if not chosen:
            close = difflib.get_close_matches(ref, refs, n=3, cutoff=0.5)
            hint = f" Gần giống: {', '.join(close)}." if close else ""
            raise CommandError(
                f"không có việc mã «{text}», cũng không có dòng «{ref}» trong kế hoạch.{hint}"
            )
        found = session.exec(
            select(Occurrence)
            .where(col(Occurrence.row_id).in_(chosen))
            .order_by(col(Occurrence.due_on))
        ).all()
    if period:
        found = [o for o in found if _matches(o, period)]
    open_ones = [o for o in found if o.state == OPEN]
    candidates = open_ones or found
    if len(candidates) == 1:
        return candidates[0].code
    if not candidates:
        raise CommandError(f"dòng {ref} không có việc nào khớp «{period}».")
    listing = "; ".join(_describe(o) for o in candidates[:8])
    more = f" … và {len(candidates) - 8} việc nữa" if len(candidates) > 8 else ""
    raise CommandError(
        f"«{text}» chỉ {len(candidates)} việc: {listing}{more}. Ghi mã việc, "
        f"hoặc thêm kỳ (ví dụ «{ref} quý 3», «{ref} 2024»)."
    )
