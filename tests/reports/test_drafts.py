"""The engine's draft job: the 6-month report drafted 5 working days before 14/6, once."""

from __future__ import annotations

import asyncio
import email
import json
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from nhacviec.wiring import build_dispatcher, configured_plans, register_checks
from notifications.base import Recipient
from notifications.render import Renderer
from notifications.reports.drafts import DraftCheck
from rules.importers import load_plan
from scheduler.clock import ManualClock
from scheduler.models import CANCELLED, Notification
from scheduler.runner import EngineProcess, Prepared
from tests.reports.conftest import FIRST_HALF, ROOT, make_office
from tests.reports.counting import counted, summary_table


def test_it_drafts_the_6_month_report_for_the_qmr_once(tmp_path: Path) -> None:
    office = make_office(tmp_path)
    office.simulate(date(2024, 1, 2), date(2024, 6, 6), FIRST_HALF)
    plan = load_plan(ROOT / "examples" / "nam-dong-2024.docx")
    drafts = tmp_path / "du-thao"

    def check() -> DraftCheck:
        return DraftCheck(office.db, office.ctx, office.cfg.reports, drafts, {plan.source: plan})

    at = lambda day: datetime.combine(day, time(8, 0), tzinfo=office.cfg.tz)  # noqa: E731
    assert check().run(at(date(2024, 6, 6))) == 0  # 6 working days before 14/6: not yet
    job = check()
    written = job.run(at(date(2024, 6, 7)))  # Friday, 5 working days before
    assert written == 2  # the QMR's email and Telegram
    (draft,) = drafts.glob("*.docx")
    assert draft.name.startswith("du-thao-bao-cao-6-thang-2024-")
    office.set_clock(date(2024, 6, 7))
    expected = counted(office.status(), date(2024, 1, 1), date(2024, 6, 30), date(2024, 6, 7))
    assert summary_table(draft) == expected
    assert job.run(at(date(2024, 6, 7))) == 0 and check().run(at(date(2024, 6, 10))) == 0
    with Session(office.db) as session:
        notes = session.exec(
            select(Notification).where(Notification.template == "report_draft")
        ).all()
    assert sorted((n.person_id, n.channel) for n in notes) == [
        ("tran-van-qmr", "email"),
        ("tran-van-qmr", "telegram"),
    ]
    note = notes[0]
    message = Renderer().render(
        note.template,
        json.loads(note.context_json),
        Recipient("tran-van-qmr", "Trần Văn Quản", "qmr@example.vn"),
        note.key,
    )
    assert "Dự thảo báo cáo" in message.subject and "6 tháng đầu năm 2024" in message.subject
    assert str(draft.resolve()) in message.text
    assert "--log-evidence" in message.text and "Báo cáo kết quả thực hiện MTCL" in message.text


def test_the_engine_cycle_drafts_and_delivers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = make_office(tmp_path)
    monkeypatch.delenv(office.cfg.telegram.token_env, raising=False)
    office.simulate(date(2024, 1, 2), date(2024, 6, 6), FIRST_HALF)
    with Session(office.db) as session:  # the simulation's reminders were its timeline
        session.execute(update(Notification).values(state=CANCELLED))
        session.commit()
    prepared = Prepared(office.db, office.ctx, configured_plans(office.cfg))
    clock = ManualClock(datetime.combine(date(2024, 6, 7), time(8, 0), tzinfo=office.cfg.tz))
    dispatcher = build_dispatcher(office.cfg, prepared, clock)
    process = EngineProcess(prepared, clock, dispatcher.dispatch_due)
    register_checks(process, office.cfg, prepared, clock, dispatcher)

    asyncio.run(process.cycle())
    asyncio.run(dispatcher.close())

    (draft,) = office.cfg.path(office.cfg.reports.drafts_dir).glob("du-thao-bao-cao-6-thang-*.docx")
    (mail,) = office.cfg.path(office.cfg.email.outbox_dir).glob("report-draft_*tran-van-qmr*.eml")
    body = email.message_from_bytes(mail.read_bytes())
    (text,) = [p for p in body.walk() if p.get_content_type() == "text/plain"]
    assert str(draft.resolve()) in text.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]  # get_payload(decode=True) is typed as a union; it is bytes for this part
