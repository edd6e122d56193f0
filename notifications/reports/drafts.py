"""The engine job that drafts the plan's own results report before its deadline.

`[reports] draft_working_days` working days before the deadline of the report row's
occurrence ("Báo cáo 6 tháng", "Báo cáo năm"), the job writes the draft .docx under
`[reports] drafts_dir` and puts one "report_draft" message per QMR and channel in the
outbox, naming the draft's path. The message joins the QMR's other messages through the
dispatcher like any reminder; the file itself is not attached (the channels send text).
A JobRun row ("report-draft", "occ<id>") written with the outbox rows makes it once per
occurrence, across restarts and engines.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from notifications.reports.facts import NOT_DONE, NOT_DUE, OccurrenceFact, occurrence_facts
from notifications.reports.make import MadeReport, ReportError, make_results
from notifications.reports.report_rows import report_occurrences
from notifications.reports.results import PERIOD_NAMES, Period, overall
from notifications.reports.settings import ReportsConfig
from rules.plan import Plan
from scheduler.db import session_scope
from scheduler.engine_context import EngineContext
from scheduler.models import JobRun, Notification
from scheduler.people import channels_for, linked_chats
from scheduler.template_data import occurrence_context, plan_context, row_context

log = logging.getLogger("nhacviec.reports")

DRAFT_JOB = "report-draft"
DRAFT_TEMPLATE = "report_draft"
DRAFT_CHANNELS = ("email", "telegram")
PERIODS: tuple[Period, ...] = ("6m", "year")


def draft_name(period: Period, year: int, code: str) -> str:
    return f"du-thao-bao-cao-{'6-thang' if period == '6m' else 'nam'}-{year}-{code}.docx"


class DraftCheck:
    """Run on every engine cycle; does its work at most once a day and once per occurrence."""

    def __init__(
        self,
        db: Engine,
        ctx: EngineContext,
        settings: ReportsConfig,
        drafts_dir: Path,
        plans: Mapping[str, Plan],
        *,
        template: Path | None = None,
        dispatch: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.db, self.ctx, self.settings = db, ctx, settings
        self.drafts_dir, self.plans, self.template = drafts_dir, plans, template
        self.dispatch = dispatch
        self._checked: date | None = None

    async def __call__(self, now: datetime) -> None:
        written = await asyncio.to_thread(self.run, now)
        if written and self.dispatch is not None:
            await self.dispatch()

    def due_drafts(self, today: date) -> list[tuple[Period, OccurrenceFact]]:
        """The report occurrences whose draft moment has come and that have no draft yet."""
        facts = occurrence_facts(self.db, self.ctx, today)
        found: list[tuple[Period, OccurrenceFact]] = []
        for year in sorted({f.occurrence.due_on.year for f in facts}):
            for period in PERIODS:
                for fact in report_occurrences(facts, period, year):
                    left = self.ctx.calendar.working_days_between(today, fact.occurrence.due_on)
                    if (
                        fact.outcome in (NOT_DUE, NOT_DONE)
                        and 0 <= left <= self.settings.draft_working_days
                    ):
                        found.append((period, fact))
        with Session(self.db) as session:
            done = set(session.exec(select(JobRun.period).where(JobRun.job == DRAFT_JOB)).all())
        return [(p, f) for p, f in found if f"occ{f.occurrence.id}" not in done]

    def run(self, now: datetime) -> int:
        """Draft what is due today; the number of outbox rows written."""
        today = now.astimezone(self.ctx.tz).date()
        if today == self._checked:
            return 0
        written = 0
        for period, fact in self.due_drafts(today):
            try:
                made = self._draft(period, fact, today)
            except (ReportError, OSError, ValueError):
                # Tried again tomorrow (or on restart), not on every cycle of today.
                log.exception("không lập được dự thảo báo cáo cho việc %s", fact.occurrence.code)
                continue
            written += self._announce(period, fact, made, now)
        self._checked = today
        return written

    def _draft(self, period: Period, fact: OccurrenceFact, today: date) -> MadeReport:
        year = fact.occurrence.due_on.year
        return make_results(
            self.db,
            self.ctx,
            self.settings,
            self.drafts_dir / draft_name(period, year, fact.occurrence.code),
            period=period,
            at=today,
            year=year,
            plan_key=fact.plan.key,
            plan=self.plans.get(fact.plan.key),
            template=self.template,
        )

    def _announce(
        self, period: Period, fact: OccurrenceFact, made: MadeReport, now: datetime
    ) -> int:
        today = now.astimezone(self.ctx.tz).date()
        context = draft_context(self.ctx, period, fact, made, today)
        payload = json.dumps(context, ensure_ascii=False)
        send_at = self.ctx.sending_moment(now)
        try:
            with session_scope(self.db) as session:
                session.add(JobRun(job=DRAFT_JOB, period=f"occ{fact.occurrence.id}", at=now))
                linked = linked_chats(session)
                rows = [
                    Notification(
                        key=f"{DRAFT_JOB}/occ{fact.occurrence.id}/{person.id}/{channel}",
                        occurrence_id=fact.occurrence.id,
                        step=DRAFT_JOB,
                        person_id=person.id,
                        channel=channel,
                        template=DRAFT_TEMPLATE,
                        context_json=payload,
                        next_attempt_at=send_at,
                        created_at=now,
                    )
                    for person in self.ctx.directory.role_people(self.settings.draft_role)
                    for channel in channels_for(person, DRAFT_CHANNELS, linked)
                ]
                session.add_all(rows)
        except IntegrityError:  # another engine drafted it first; its file is the same
            return 0
        log.info("Dự thảo báo cáo %s: %s, %d thông báo", fact.occurrence.code, made.path, len(rows))
        return len(rows)


def draft_context(
    ctx: EngineContext, period: Period, fact: OccurrenceFact, made: MadeReport, today: date
) -> dict[str, Any]:
    """What the "report_draft" template receives: the reminder's context and the draft."""
    o = fact.occurrence
    tally = overall(made.facts).to_context("Tổng cộng")
    return {
        "plan": plan_context(fact.plan),
        "row": row_context(fact.row),
        "occurrence": occurrence_context(ctx, o),
        "step": {"name": DRAFT_JOB, "level": 0, "audience": "role:qmr"},
        "recipient_role": "qmr",
        "as_of": today.isoformat(),
        "days_left": (o.due_on - today).days,
        "working_days_left": ctx.calendar.working_days_between(today, o.due_on),
        "draft": {
            "path": str(made.path.resolve()),
            "name": made.path.name,
            "period": f"{PERIOD_NAMES[period]} {o.due_on.year}",
            "period_key": period,
            "year": o.due_on.year,
            "tally": tally,
        },
    }
