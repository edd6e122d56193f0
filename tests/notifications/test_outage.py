"""An SMTP server that refuses everything for 48 working hours loses nothing: every row
waits (visible in `status` and the digest's problem list), then arrives once, in order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from notifications.retry_budget import working_time
from rules.settings import CalendarConfig
from scheduler.delivery_view import delivery_troubles
from scheduler.models import FAILED, PENDING, SENT
from tests.notifications.outbox_world import AN, BINH, Outbox

CALENDAR = CalendarConfig()
TZ_NAME = "Asia/Ho_Chi_Minh"


@pytest.mark.timeout(300)
def test_it_keeps_every_email_through_48_working_hours_down_and_sends_them_in_order(
    outbox: Outbox,
) -> None:
    from zoneinfo import ZoneInfo

    measure = working_time(
        CALENDAR.working_calendar(), ZoneInfo(TZ_NAME), CALENDAR.work_start, CALENDAR.work_end
    )
    start = outbox.clock.now()
    outbox.smtp.fail("mail", 421, "4.3.2 Service not available", times=None)
    due = []
    for hour in range(6):  # due over the first working morning of the outage
        outbox.clock.set(start + timedelta(hours=hour))
        person = AN if hour % 2 else BINH
        due.append(outbox.add(person, "email", key=f"outage/{hour}/{person}"))
    seen_delayed = False
    while measure(start, outbox.clock.now()) < timedelta(hours=48):
        summary = outbox.dispatch(working_time=measure)
        assert summary.sent == 0 and summary.failed == 0
        troubles = delivery_troubles(outbox.db)
        assert {(t.person_id, t.problem) for t in troubles} == {(AN, "delayed"), (BINH, "delayed")}
        assert sum(t.waiting for t in troubles) == len(due), [
            (r.state, r.attempts, r.person_id, r.channel) for r in outbox.rows()
        ]
        seen_delayed = True
        outbox.clock.advance(timedelta(hours=2))  # past the one-hour backoff cap: a retry each time
    assert seen_delayed and {outbox.row(i).state for i in due} == {PENDING}
    assert FAILED not in {r.state for r in outbox.rows()}

    outbox.smtp.clear_failures()
    for _ in range(3):  # the backoff's next try, then the backlog pulled forward
        outbox.clock.advance(timedelta(hours=1))
        outbox.dispatch(working_time=measure)
    assert [outbox.row(i).state for i in due] == [SENT] * len(due)
    received = [m.message["Message-ID"] for m in outbox.smtp.messages]
    assert received == [outbox.row(i).external_id for i in due], "once each, in order due"
    assert delivery_troubles(outbox.db) == [], "the problems resolve when the mail goes"


def test_it_gives_up_after_the_budget_and_reports_it(outbox: Outbox) -> None:
    row_id = outbox.add(AN, "email")
    outbox.smtp.fail("data", 451, times=None)

    outbox.dispatch(retry_budget=timedelta(hours=1))
    outbox.clock.advance(timedelta(hours=2))
    summary = outbox.dispatch(retry_budget=timedelta(hours=1))

    assert summary.failed == 1 and outbox.row(row_id).state == FAILED
    assert [(t.person_id, t.problem) for t in delivery_troubles(outbox.db)] == [(AN, "gave-up")]
