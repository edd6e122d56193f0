"""What the engine keeps. The database is the truth; the scheduler only wakes the engine.

Instants are timezone-aware datetimes, stored and returned in UTC (SQLModel enforces
it); calendar dates (due dates) are plain dates in the plan's local sense.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Occurrence states
OPEN = "open"
DONE = "done"
WAIVED = "waived"
RETIRED = "retired"  # its row or deadline vanished from the plan; kept for the record

# Fact states
CARRIED = "carried"  # a bundle carries it
DROPPED = "dropped"  # its occurrence closed before a bundle could carry it
URGENT = "urgent"  # its step bypasses the bundle: the outbox has its own rows

# Notification (outbox) states
PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
CANCELLED = "cancelled"


class PlanRecord(SQLModel, table=True):
    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)  # the plan file's path as configured
    organisation: str = ""
    title: str = ""
    year: int
    source_file: str
    content_hash: str = Field(max_length=64)
    loaded_at: datetime


class RowRecord(SQLModel, table=True):
    __tablename__ = "plan_row"
    __table_args__ = (UniqueConstraint("plan_id", "identity"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    identity: str = Field(max_length=32)  # PlanRow.identity: stable across edits
    ref: str = Field(max_length=20)  # "I.3"
    section: str = Field(max_length=10)
    section_title: str = Field(sa_column=Column(Text, nullable=False))
    number: str = Field(default="", max_length=10)
    task: str = Field(sa_column=Column(Text, nullable=False))
    lead_text: str = Field(sa_column=Column(Text, nullable=False))
    coordinating_text: str = Field(sa_column=Column(Text, nullable=False))
    timing_text: str = Field(sa_column=Column(Text, nullable=False))
    monitors_text: str = Field(sa_column=Column(Text, nullable=False))
    evidence_json: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of items
    source: str = Field(default="", max_length=500)
    schedule_json: str = Field(default="", sa_column=Column(Text, nullable=False))
    monitors_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # person ids
    coordinating_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # unit ids
    # Units whose own head monitors their own occurrences (a group in the monitors column);
    # monitors_json holds the people who monitor every occurrence (roles, named units).
    monitor_units_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    active: bool = True


class Occurrence(SQLModel, table=True):
    """One deadline of one row for one lead unit: the thing that is reminded and escalated."""

    __table_args__ = (
        UniqueConstraint("row_id", "unit_id", "deadline_key"),
        Index("ix_occurrence_due_step", "state", "next_step_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=12)  # short code people type: "K7M2Q"
    row_id: int = Field(foreign_key="plan_row.id", index=True)
    unit_id: str = Field(default="", max_length=80, index=True)  # "" when the lead is unresolved
    deadline_key: str = Field(max_length=80)  # stable within the row: "monthly-2024-03"
    kind: str = Field(max_length=20)  # once|window|yearly|monthly|...|ongoing|adhoc|after
    label: str = Field(default="", max_length=200)
    opens_on: date | None = None
    due_on: date
    state: str = Field(default=OPEN, max_length=10)
    level: int = 0  # how many ladder steps have fired
    next_step_at: datetime | None = None  # UTC; None when nothing more is due
    created_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=80)
    waiver_reason: str | None = Field(default=None, sa_column=Column(Text))


class Notification(SQLModel, table=True):
    """The outbox: one row per (occurrence, step, recipient, channel); sent at most once."""

    __table_args__ = (Index("ix_notification_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    occurrence_id: int | None = Field(default=None, foreign_key="occurrence.id", index=True)
    step: str = Field(max_length=80)
    person_id: str = Field(max_length=80, index=True)
    channel: str = Field(max_length=20)  # email | telegram
    template: str = Field(max_length=40)
    context_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    state: str = Field(default=PENDING, max_length=12)
    attempts: int = 0
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    external_id: str | None = Field(default=None, max_length=200)  # Message-ID / chat:message
    duration_ms: int | None = None
    # While 'sending': the engine that claimed it (scheduler.liveness token) and until when
    # its claim holds, on the database's clock. Another engine takes the row over when the
    # owner is gone or the lease ran out, and the owner records a result only if it still
    # holds the claim.
    claimed_by: str | None = Field(default=None, max_length=40)
    lease_until: datetime | None = None


class ReminderFact(SQLModel, table=True):
    """One (occurrence, step, person): something a person must hear about.

    Under `[delivery] bundle = "daily"` the tick writes facts, not outbox rows; the day's
    bundle (one outbox row per person and channel) carries them, recorded in BundleItem.
    """

    __tablename__ = "reminder_fact"
    __table_args__ = (Index("ix_reminder_fact_due", "state", "not_before"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)  # occ{id}/L{level}/{person}
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    step: str = Field(max_length=80)
    level: int
    person_id: str = Field(max_length=80, index=True)
    reason: str = Field(max_length=40)  # lead | coordinating | monitor | a role id
    channels: str = Field(max_length=80)  # "email,telegram": where this person is reached
    template: str = Field(max_length=40)
    context_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    state: str = Field(default=PENDING, max_length=12)
    not_before: datetime  # the first bundle moment that may carry it
    created_at: datetime
    carried_at: datetime | None = None


class BundleItem(SQLModel, table=True):
    """Which facts a bundle (an outbox row of template "bundle") carried: each fact once per channel."""

    __tablename__ = "bundle_item"
    __table_args__ = (UniqueConstraint("fact_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notification.id", index=True)
    fact_id: int = Field(foreign_key="reminder_fact.id", index=True)
    channel: str = Field(max_length=20)


class Evidence(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True)
    person_id: str = Field(max_length=80)
    on_behalf: bool = False  # a monitor recorded it for the lead unit
    channel: str = Field(max_length=20)  # cli | telegram | simulate
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    recorded_at: datetime
    undone_at: datetime | None = None


class EvidenceFile(SQLModel, table=True):
    __tablename__ = "evidence_file"

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    sha256: str = Field(max_length=64, index=True)
    original_name: str = Field(max_length=300)
    mime_type: str = Field(default="application/octet-stream", max_length=120)
    size: int
    stored_path: str = Field(max_length=500)  # relative to the data folder


class AuditLog(SQLModel, table=True):
    """Append-only: what happened, who did it, to what."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=80)  # person id, "engine", "cli"
    action: str = Field(max_length=40)
    subject: str = Field(default="", max_length=120)  # "occurrence:12", "plan:3"
    detail_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))


class DeliveryProblem(SQLModel, table=True):
    """A person who cannot be reached on a channel: bounced, blocked the bot, no channel."""

    __tablename__ = "delivery_problem"
    __table_args__ = (UniqueConstraint("person_id", "channel", "problem"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(max_length=80)
    channel: str = Field(max_length=20)
    problem: str = Field(max_length=40)  # bounced | blocked | no-channel | ...
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None = None


class JobRun(SQLModel, table=True):
    """A periodic job's run for a period ("digest", "2024-W36"): done once, even across restarts."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=40)
    period: str = Field(max_length=40)
    at: datetime


class EngineState(SQLModel, table=True):
    """Small key/value facts the engine keeps between runs (the last virtual time, ...)."""

    __tablename__ = "engine_state"

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(default="", sa_column=Column(Text, nullable=False))


class TelegramLink(SQLModel, table=True):
    """A Telegram chat bound to a person (private chat) or to a unit (group chat)."""

    __tablename__ = "telegram_link"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    person_id: str | None = Field(default=None, max_length=80, index=True)
    unit_id: str | None = Field(default=None, max_length=80)
    linked_at: datetime
    unlinked_at: datetime | None = None


class InviteCode(SQLModel, table=True):
    """A one-time code that links a chat: `/start CODE`."""

    __tablename__ = "invite_code"

    code: str = Field(primary_key=True, max_length=40)
    person_id: str | None = Field(default=None, max_length=80)
    unit_id: str | None = Field(default=None, max_length=80)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_by_chat: int | None = Field(default=None, sa_column=Column(BigInteger))


class WebToken(SQLModel, table=True):
    """A secret a browser presents: a reminder's link, a sign-in link, a session, a form.

    Only a keyed hash of the secret is stored, so the table cannot be turned back into
    working links. Each is bound to a person (and, for links and forms, to one occurrence).
    """

    __tablename__ = "web_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    purpose: str = Field(max_length=10)  # link | login | session | form
    person_id: str = Field(max_length=80, index=True)
    occurrence_id: int | None = Field(default=None, foreign_key="occurrence.id", index=True)
    parent_id: int | None = Field(default=None)  # a form's link or session
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None  # one-time tokens (login, form) once spent
    revoked_at: datetime | None = None


class KeptReply(SQLModel, table=True):
    """A bot reply the Bot API has not taken yet (a fault): sent on the next start."""

    __tablename__ = "kept_reply"

    id: int | None = Field(default=None, primary_key=True)
    endpoint: str = Field(max_length=40)
    parameters_json: str = Field(sa_column=Column(Text, nullable=False))
    kept_at: datetime
    delivered_at: datetime | None = Field(default=None, index=True)
