"""The append-only audit log: every change of state says who, what, when."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session

from scheduler.models import AuditLog


def audit(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    subject: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLog(
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            detail_json=json.dumps(detail or {}, ensure_ascii=False, default=str),
        )
    )
