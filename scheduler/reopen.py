"""The QMR reopens a closed occurrence: done by mistake, or evidence that does not hold up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import col, select

from scheduler.audit import audit
from scheduler.db import session_scope
from scheduler.engine_context import EngineContext
from scheduler.models import DONE, OPEN, WAIVED, Evidence, Occurrence
from scheduler.service import ServiceError, find_occurrence


def reopen(
    db: Engine, ctx: EngineContext, ref: str, person_id: str, reason: str, now: datetime
) -> Occurrence:
    """Open a done or waived occurrence again; its evidence stays in the register, marked
    withdrawn, and the ladder resumes from where it stood."""
    person = ctx.directory.people.get(person_id)
    if person is None or person not in ctx.directory.role_people("qmr"):
        raise ServiceError("Chỉ Đại diện lãnh đạo về chất lượng (QMR) được mở lại một việc.")
    if not reason.strip():
        raise ServiceError("Cần ghi lý do mở lại.")
    with session_scope(db) as session:
        occurrence = find_occurrence(session, ref)
        if occurrence.state not in (DONE, WAIVED):
            raise ServiceError(f"Việc {occurrence.code} đang mở, không cần mở lại.")
        previous = occurrence.state
        for evidence in session.exec(
            select(Evidence).where(
                Evidence.occurrence_id == occurrence.id,
                col(Evidence.undone_at).is_(None),
            )
        ):
            evidence.undone_at = now
            session.add(evidence)
        occurrence.state, occurrence.closed_at, occurrence.closed_by = OPEN, None, None
        occurrence.waiver_reason = None
        occurrence.next_step_at = now
        session.add(occurrence)
        audit(
            session,
            now,
            person_id,
            "reopened",
            f"occurrence:{occurrence.id}",
            {"code": occurrence.code, "was": previous, "reason": reason.strip()},
        )
        return occurrence
