"""What every document here needs of an occurrence, read once: row, state, evidence, files.

The state is the one `nhacviec status` shows (scheduler.queries.status_lines), seen from a
given day, so a report dated in the past does not count work closed after that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scheduler.engine_context import EngineContext
from scheduler.models import (
    DONE,
    WAIVED,
    Evidence,
    EvidenceFile,
    Occurrence,
    PlanRecord,
    RowRecord,
)
from scheduler.queries import status_lines

# What a measure's state is called in the documents.
ON_TIME = "on-time"
LATE = "late"
NOT_DONE = "not-done"
EXEMPT = "exempt"
NOT_DUE = "not-due"


@dataclass(frozen=True)
class FileFact:
    name: str
    sha256: str
    stored_path: str  # relative to the data folder
    size: int


@dataclass(frozen=True)
class EvidenceFact:
    text: str
    person: str  # display name
    recorded_at: datetime
    files: tuple[FileFact, ...]


@dataclass(frozen=True)
class OccurrenceFact:
    occurrence: Occurrence
    row: RowRecord
    plan: PlanRecord
    unit: str
    outcome: str  # ON_TIME | LATE | NOT_DONE | EXEMPT | NOT_DUE
    late_days: int  # working days: late at closing, or overdue so far when still open
    closed_on: date | None  # local day
    closed_by: str  # display name, "" when open
    evidence: tuple[EvidenceFact, ...]

    @property
    def files(self) -> tuple[FileFact, ...]:
        return tuple(f for e in self.evidence for f in e.files)


def _outcome(ctx: EngineContext, occurrence: Occurrence, today: date) -> tuple[str, int]:
    closed = occurrence.closed_at.astimezone(ctx.tz).date() if occurrence.closed_at else None
    if occurrence.state == WAIVED and closed and closed <= today:
        return EXEMPT, 0
    if occurrence.state == DONE and closed and closed <= today:
        late = max(0, ctx.calendar.working_days_between(occurrence.due_on, closed))
        return (LATE if late else ON_TIME), late
    if today > occurrence.due_on:
        return NOT_DONE, max(0, ctx.calendar.working_days_between(occurrence.due_on, today))
    return NOT_DUE, 0


def _evidence_of(
    session: Session, ctx: EngineContext, ids: list[int], today: date
) -> dict[int, list[EvidenceFact]]:
    found: dict[int, list[EvidenceFact]] = {}
    if not ids:
        return found
    evidence = session.exec(
        select(Evidence)
        .where(col(Evidence.occurrence_id).in_(ids), col(Evidence.undone_at).is_(None))
        .order_by(col(Evidence.recorded_at))
    ).all()
    files: dict[int, list[FileFact]] = {}
    if evidence:
        for f in session.exec(
            select(EvidenceFile)
            .where(col(EvidenceFile.evidence_id).in_([e.id for e in evidence]))
            .order_by(col(EvidenceFile.id))
        ):
            files.setdefault(f.evidence_id, []).append(
                FileFact(f.original_name, f.sha256, f.stored_path, f.size)
            )
    for e in evidence:
        if e.recorded_at.astimezone(ctx.tz).date() > today:
            continue
        person = ctx.directory.display_name(e.person_id) or e.person_id
        found.setdefault(e.occurrence_id, []).append(
            EvidenceFact(e.text, person, e.recorded_at, tuple(files.get(e.id or 0, ())))
        )
    return found


def occurrence_facts(
    db: Engine, ctx: EngineContext, today: date, *, unit: str | None = None
) -> list[OccurrenceFact]:
    """Every occurrence `nhacviec status` lists (open, done, waived), as of `today`."""
    lines = status_lines(db, ctx, today, unit=unit)
    with Session(db) as session:
        evidence = _evidence_of(session, ctx, [line.occurrence.id or 0 for line in lines], today)
    facts = []
    for line in lines:
        o = line.occurrence
        outcome, late = _outcome(ctx, o, today)
        closed = outcome in (ON_TIME, LATE, EXEMPT)
        facts.append(
            OccurrenceFact(
                occurrence=o,
                row=line.row,
                plan=line.plan,
                unit=line.unit,
                outcome=outcome,
                late_days=late,
                closed_on=o.closed_at.astimezone(ctx.tz).date() if closed and o.closed_at else None,
                closed_by=(ctx.directory.display_name(o.closed_by or "") or (o.closed_by or ""))
                if closed
                else "",
                evidence=tuple(evidence.get(o.id or 0, ())) if outcome != EXEMPT else (),
            )
        )
    return facts


def outcome_text(fact: OccurrenceFact) -> str:
    """hoàn thành đúng hạn / hoàn thành trễ N ngày làm việc / chưa hoàn thành / được miễn."""
    if fact.outcome == ON_TIME:
        return "hoàn thành đúng hạn"
    if fact.outcome == LATE:
        return f"hoàn thành trễ {fact.late_days} ngày làm việc"
    if fact.outcome == EXEMPT:
        reason = (fact.occurrence.waiver_reason or "").strip()
        return "được miễn" + (f" (lý do: {reason})" if reason else "")
    if fact.outcome == NOT_DONE:
        return f"chưa hoàn thành (quá hạn {fact.late_days} ngày làm việc)"
    return "chưa hoàn thành (chưa đến hạn)"


def evidence_text(fact: OccurrenceFact) -> str:
    """The evidence cited by its name: what was written, then the files."""
    parts = [e.text for e in fact.evidence if e.text]
    names = [f.name for f in fact.files]
    if names:
        parts.append("tệp " + ", ".join(names))
    return "; ".join(parts)
