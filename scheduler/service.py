"""What people do to occurrences: log evidence, undo, waive, start an ad hoc task.

Used by the CLI and the Telegram bot alike; every action is checked against who may do
it and written to the audit log. Logging evidence stops the ladder at once and starts
the occurrences that wait for this one ("sau hoạt động ĐGNB").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from rules.timing import Deadline
from scheduler.audit import audit
from scheduler.codes import normalise_code
from scheduler.db import session_scope
from scheduler.engine_context import EngineContext
from scheduler.evidence_store import StoredFile
from scheduler.followers import start_followers
from scheduler.models import (
    DONE,
    OPEN,
    WAIVED,
    Evidence,
    EvidenceFile,
    Occurrence,
    PlanRecord,
    RowRecord,
)
from scheduler.occurrence_writer import OccurrenceWriter, cancel_pending
from scheduler.sync import lead_unit_ids

UNDO_WINDOW = timedelta(hours=24)


class ServiceError(Exception):
    """A refused or impossible action, with a Vietnamese message for the person."""


@dataclass(frozen=True)
class Closure:
    occurrence: Occurrence
    row: RowRecord
    evidence_id: int
    on_behalf: bool
    late_days: int  # working days late (0 when on time)
    started: tuple[Occurrence, ...]  # occurrences that were waiting for this one


def find_occurrence(session: Session, ref: str) -> Occurrence:
    """By short code ("K7M2Q") or numeric id."""
    text = ref.strip()
    occurrence = (
        session.get(Occurrence, int(text))
        if text.isdigit()
        else session.exec(
            select(Occurrence).where(col(Occurrence.code) == normalise_code(text))
        ).first()
    )
    if occurrence is None:
        raise ServiceError(f"Không tìm thấy việc có mã «{text}».")
    return occurrence


def authority(
    ctx: EngineContext, person_id: str, occurrence: Occurrence, row: RowRecord
) -> str | None:
    """'lead' when the person's unit leads it, 'monitor' when they monitor the row, else None."""
    person = ctx.directory.people.get(person_id)
    if person is None:
        return None
    if occurrence.unit_id and person.unit == occurrence.unit_id:
        return "lead"
    if person_id in json.loads(row.monitors_json) or person in ctx.directory.role_people("qmr"):
        return "monitor"
    return None


def _require_person(ctx: EngineContext, person_id: str) -> None:
    if person_id not in ctx.directory.people:
        raise ServiceError(f"Không có người «{person_id}» trong danh bạ (config.toml [[people]]).")


def record_evidence(
    db: Engine,
    ctx: EngineContext,
    ref: str,
    person_id: str,
    text: str,
    files: list[StoredFile],
    channel: str,
    now: datetime,
) -> Closure:
    with session_scope(db) as session:
        return record_evidence_in(session, ctx, ref, person_id, text, files, channel, now)


def record_evidence_in(
    session: Session,
    ctx: EngineContext,
    ref: str,
    person_id: str,
    text: str,
    files: list[StoredFile],
    channel: str,
    now: datetime,
) -> Closure:
    """record_evidence inside the caller's transaction (a simulation logs a day's evidence
    in one). Every refusal comes before the first write, so a caller may go on after one."""
    _require_person(ctx, person_id)
    occurrence = find_occurrence(session, ref)
    row = session.get(RowRecord, occurrence.row_id)
    assert row is not None
    if occurrence.state != OPEN:
        raise ServiceError(f"Việc {occurrence.code} đã {_state_name(occurrence.state)}.")
    role = authority(ctx, person_id, occurrence, row)
    if role is None:
        raise ServiceError(
            f"{ctx.directory.people[person_id].name} không thuộc đơn vị chủ trì "
            f"và không theo dõi dòng {row.ref}, nên không thể báo hoàn thành."
        )
    if not text.strip() and not files:
        raise ServiceError("Cần ghi minh chứng (số văn bản, nội dung) hoặc gửi kèm tệp.")
    evidence = Evidence(
        occurrence_id=occurrence.id or 0,
        person_id=person_id,
        on_behalf=role == "monitor",
        channel=channel,
        text=text.strip(),
        recorded_at=now,
    )
    _add_evidence(session, evidence, files)
    _close(session, occurrence, DONE, person_id, now)
    today = now.astimezone(ctx.tz).date()
    late = max(0, ctx.calendar.working_days_between(occurrence.due_on, today))
    audit(
        session,
        now,
        person_id,
        "evidence",
        f"occurrence:{occurrence.id}",
        {
            "code": occurrence.code,
            "channel": channel,
            "text": text,
            "files": [f.sha256 for f in files],
            "on_behalf": role == "monitor",
        },
    )
    started = start_followers(session, ctx, occurrence, row, now)
    return Closure(occurrence, row, evidence.id or 0, role == "monitor", late, started)


def _add_evidence(session: Session, evidence: Evidence, files: list[StoredFile]) -> None:
    session.add(evidence)
    session.flush()
    for stored in files:
        session.add(
            EvidenceFile(
                evidence_id=evidence.id or 0,
                sha256=stored.sha256,
                original_name=stored.original_name,
                mime_type=stored.mime_type,
                size=stored.size,
                stored_path=stored.relative_path,
            )
        )


def _close(session: Session, occurrence: Occurrence, state: str, by: str, now: datetime) -> None:
    occurrence.state, occurrence.closed_at, occurrence.closed_by = state, now, by
    occurrence.next_step_at = None
    session.add(occurrence)
    cancel_pending(session, occurrence.id)


def _state_name(state: str) -> str:
    return {DONE: "hoàn thành", WAIVED: "được miễn", OPEN: "đang mở"}.get(state, "ngừng theo dõi")


def undo_evidence(
    db: Engine, ctx: EngineContext, person_id: str, now: datetime, ref: str | None = None
) -> Occurrence:
    """Undo this person's last evidence (within 24 hours): the occurrence is open again."""
    with session_scope(db) as session:
        query = select(Evidence).where(
            col(Evidence.person_id) == person_id,
            col(Evidence.undone_at).is_(None),
            col(Evidence.recorded_at) >= now - UNDO_WINDOW,
        )
        if ref is not None:
            query = query.where(col(Evidence.occurrence_id) == find_occurrence(session, ref).id)
        evidence = session.exec(query.order_by(col(Evidence.recorded_at).desc())).first()
        if evidence is None:
            raise ServiceError("Không có minh chứng nào trong 24 giờ qua để hoàn tác.")
        evidence.undone_at = now
        occurrence = session.get(Occurrence, evidence.occurrence_id)
        assert occurrence is not None
        occurrence.state, occurrence.closed_at, occurrence.closed_by = OPEN, None, None
        occurrence.next_step_at = now
        session.add_all([evidence, occurrence])
        audit(
            session,
            now,
            person_id,
            "evidence-undone",
            f"occurrence:{occurrence.id}",
            {"code": occurrence.code, "evidence": evidence.id},
        )
        return occurrence


def waive(
    db: Engine, ctx: EngineContext, ref: str, person_id: str, reason: str, now: datetime
) -> Occurrence:
    _require_person(ctx, person_id)
    if ctx.directory.people[person_id] not in ctx.directory.role_people("qmr"):
        raise ServiceError("Chỉ Đại diện lãnh đạo về chất lượng (QMR) được miễn một việc.")
    if not reason.strip():
        raise ServiceError("Cần ghi lý do miễn.")
    with session_scope(db) as session:
        occurrence = find_occurrence(session, ref)
        if occurrence.state != OPEN:
            raise ServiceError(f"Việc {occurrence.code} đã {_state_name(occurrence.state)}.")
        occurrence.waiver_reason = reason.strip()
        _close(session, occurrence, WAIVED, person_id, now)
        audit(
            session,
            now,
            person_id,
            "waived",
            f"occurrence:{occurrence.id}",
            {"code": occurrence.code, "reason": reason},
        )
        return occurrence


def start_adhoc(
    db: Engine,
    ctx: EngineContext,
    row_ref: str,
    person_id: str,
    now: datetime,
    plan_key: str | None = None,
) -> tuple[Occurrence, ...]:
    """Start an ad hoc ("đột xuất") task of a row now: due in the configured working days."""
    _require_person(ctx, person_id)
    with session_scope(db) as session:
        query = (
            select(RowRecord, PlanRecord)
            .join(PlanRecord)
            .where(col(RowRecord.ref) == row_ref, col(RowRecord.active).is_(True))
        )
        if plan_key:
            query = query.where(col(PlanRecord.key) == plan_key)
        found = session.exec(query).all()
        if not found:
            raise ServiceError(f"Không có dòng «{row_ref}» trong kế hoạch.")
        if len(found) > 1:
            raise ServiceError(
                f"Dòng «{row_ref}» có trong nhiều kế hoạch; chọn bằng --plan: "
                + ", ".join(p.key for _r, p in found)
            )
        row, plan = found[0]
        today = now.astimezone(ctx.tz).date()
        count = len(
            session.exec(
                select(Occurrence.id).where(
                    col(Occurrence.row_id) == row.id, col(Occurrence.kind) == "adhoc"
                )
            ).all()
        )
        deadline = Deadline(
            key=f"adhoc-{count + 1}",
            kind="adhoc",
            label="Đột xuất",
            opens=today,
            due=ctx.calendar.add_working_days(today, ctx.adhoc_working_days),
        )
        writer = OccurrenceWriter(session, ctx, plan.key, now)
        units = lead_unit_ids(ctx.directory, ctx.directory.resolve(row.lead_text))
        created = tuple(writer.create(row, unit_id, deadline) for unit_id in units)
        session.flush()
        audit(
            session,
            now,
            person_id,
            "adhoc-started",
            f"row:{row.id}",
            {"ref": row.ref, "codes": [o.code for o in created]},
        )
        return created
