"""When the weekly digest goes out, on the engine's clock: Monday 07:30, moved past holidays,
once a week across restarts. Time is a ManualClock; nothing sleeps."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from nhacviec.config import ConfigError
from nhacviec.wiring import build_dispatcher, register_checks
from notifications.digest import DigestCheck, WeeklyMoment, compose, crontab_trigger
from scheduler.clock import ManualClock
from scheduler.loading import CompiledPlan
from scheduler.models import SENT, JobRun, Notification
from scheduler.runner import EngineProcess, Prepared
from tests.digest.conftest import State, fresh_state

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(day: date, hour: int = 7, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def digest_rows(state: State) -> list[Notification]:
    with Session(state.db) as session:
        return list(
            session.exec(
                select(Notification)
                .where(col(Notification.step) == "digest")
                .order_by(col(Notification.id))
            )
        )


def run_at(check: DigestCheck, clock: ManualClock, moment: datetime) -> None:
    clock.set(moment)
    asyncio.run(check(clock.now()))


@pytest.fixture
def fresh(tmp_path: Path, compiled: list[CompiledPlan]) -> State:
    return fresh_state(tmp_path, compiled)


def test_it_fires_on_monday_morning_on_a_virtual_clock(fresh: State) -> None:
    check = DigestCheck(fresh.db, fresh.ctx, fresh.config.digest, fresh.problems)
    clock = ManualClock(local(date(2024, 9, 6), 17, 0))  # a Friday afternoon

    for moment in (local(date(2024, 9, 8), 23, 59), local(date(2024, 9, 9), 7, 29)):
        run_at(check, clock, moment)
        assert digest_rows(fresh) == [], moment
    run_at(check, clock, local(date(2024, 9, 9), 7, 30))

    rows = digest_rows(fresh)
    assert [r.key for r in rows] == [
        "digest/2024-W37/tran-van-qmr/email",
        "digest/2024-W37/tran-van-qmr/telegram",
    ]
    assert all(r.next_attempt_at == local(date(2024, 9, 9)) for r in rows)
    assert {r.template for r in rows} == {"digest"}


def test_it_moves_past_quoc_khanh_to_the_next_working_day(fresh: State) -> None:
    calendar = fresh.ctx.calendar
    # In 2024 the National Day break ran from Saturday 31/8 to Tuesday 3/9: Monday and
    # Tuesday are both off, so the digest of that week goes out on Wednesday.
    assert calendar.day_off_reason(date(2024, 9, 2)) == "Quốc khánh"
    assert calendar.day_off_reason(date(2024, 9, 3)) == "Quốc khánh"
    assert calendar.is_working_day(date(2024, 9, 4))
    check = DigestCheck(fresh.db, fresh.ctx, fresh.config.digest, fresh.problems)
    clock = ManualClock(local(date(2024, 9, 2), 0, 0))

    for moment in (
        local(date(2024, 9, 2)),
        local(date(2024, 9, 3), 16, 0),
        local(date(2024, 9, 4), 7, 29),
    ):
        run_at(check, clock, moment)
        assert digest_rows(fresh) == [], moment
    run_at(check, clock, local(date(2024, 9, 4)))

    rows = digest_rows(fresh)
    assert rows and all(r.key.startswith("digest/2024-W36/") for r in rows)
    assert all(r.next_attempt_at == local(date(2024, 9, 4)) for r in rows)


def test_it_moves_to_tuesday_after_a_monday_holiday(fresh: State) -> None:
    schedule = WeeklyMoment("30 7 * * mon", TZ, fresh.ctx.calendar)

    assert fresh.ctx.calendar.day_off_reason(date(2024, 1, 1)) is not None  # Tết Dương lịch
    slot = schedule.slot(local(date(2024, 1, 3), 12, 0))
    assert slot is not None and slot.moment == local(date(2024, 1, 2))
    assert slot.period == "2024-W01"
    assert schedule.previous(slot) == local(date(2023, 12, 25))


def test_it_is_not_sent_twice_after_a_restart(fresh: State) -> None:
    first = DigestCheck(fresh.db, fresh.ctx, fresh.config.digest, fresh.problems)
    assert first.run(local(date(2024, 9, 9))) == 2

    restarted = DigestCheck(fresh.db, fresh.ctx, fresh.config.digest, fresh.problems)
    assert restarted.run(local(date(2024, 9, 9), 7, 31)) is None
    assert restarted.run(local(date(2024, 9, 13), 16, 0)) is None
    assert len(digest_rows(fresh)) == 2
    assert restarted.run(local(date(2024, 9, 16))) == 2  # next week's
    with Session(fresh.db) as session:
        assert [r.period for r in session.exec(select(JobRun).order_by(col(JobRun.id)))] == [
            "2024-W37",
            "2024-W38",
        ]


def test_it_catches_up_once_after_downtime_and_waits_for_working_hours(fresh: State) -> None:
    check = DigestCheck(fresh.db, fresh.ctx, fresh.config.digest, fresh.problems)

    assert check.run(local(date(2024, 9, 9), 19, 0)) == 2  # the engine was down all day
    assert check.run(local(date(2024, 9, 10), 8, 0)) is None
    assert {r.next_attempt_at for r in digest_rows(fresh)} == {local(date(2024, 9, 10))}


def test_it_leaves_a_missed_week_to_the_next_digest_when_it_could_not_arrive_in_time(
    fresh: State,
) -> None:
    check = DigestCheck(fresh.db, fresh.ctx, fresh.config.digest, fresh.problems)

    # Down from Monday to Friday evening: the earliest sending moment is next Monday.
    assert check.run(local(date(2024, 9, 13), 18, 0)) == 0
    assert check.run(local(date(2024, 9, 16))) == 2
    assert {r.key.split("/")[1] for r in digest_rows(fresh)} == {"2024-W38"}


def test_it_sends_a_quiet_week_only_when_asked_to(
    tmp_path: Path, compiled: list[CompiledPlan]
) -> None:
    # 8/1/2024: nothing is due yet and nothing was escalated (plan problems left out).
    sent: dict[bool, list[Notification]] = {}
    for quiet_too in (True, False):
        state = fresh_state(tmp_path / str(quiet_too), compiled, send_when_quiet=quiet_too)
        check = DigestCheck(state.db, state.ctx, state.config.digest, [])
        check.run(local(date(2024, 1, 8)))
        assert check.run(local(date(2024, 1, 8), 9, 0)) is None, "the week is done either way"
        sent[quiet_too] = digest_rows(state)

    assert sent[False] == []
    assert [r.channel for r in sent[True]] == ["email", "telegram"]
    context = json.loads(sent[True][0].context_json)
    assert context["quiet"] is True and context["counts"]["overdue"] == 0


def test_it_gives_unit_heads_their_own_units_when_configured(
    tmp_path: Path, compiled: list[CompiledPlan]
) -> None:
    state = fresh_state(tmp_path, compiled, unit_heads=True)

    chosen = {
        person.id: digest
        for person, digest in compose(
            state.db, state.ctx, state.config.digest, state.problems, local(date(2024, 9, 9))
        )
    }

    assert chosen["tran-van-qmr"].units == () and chosen["tran-van-qmr"].plan_problems
    office = chosen["do-chanh-vp"]  # heads two units: one digest for both
    assert office.units == ("Bộ phận một cửa", "Văn phòng HĐND và UBND huyện")
    assert {g.unit_id for g in office.overdue} == {"vp"}
    assert {g.unit_id for g in chosen["bui-truong-nv"].overdue} == {"noivu"}
    assert "le-thi-thuky" not in chosen, "the ISO secretary heads no unit"


def test_it_reads_crontab_weekday_numbers_as_cron_does() -> None:
    sunday = datetime(2024, 9, 8, 0, 0, tzinfo=TZ)

    def next_fire(cron: str) -> datetime | None:
        # APScheduler 3 publishes no types: the annotation says what it returns.
        fire: datetime | None = crontab_trigger(cron, TZ).get_next_fire_time(None, sunday)
        return fire

    assert next_fire("30 7 * * 1") == local(date(2024, 9, 9))  # 1 = Monday, not Tuesday
    assert next_fire("30 7 * * 0") == local(date(2024, 9, 8))
    assert next_fire("30 7 * * 7") == local(date(2024, 9, 8))
    assert next_fire("30 7 * * 2-5") == local(date(2024, 9, 10))
    assert next_fire("30 7 * * mon") == local(date(2024, 9, 9))
    assert next_fire("30 7 * * */3") == local(date(2024, 9, 8))  # sun, wed, sat


def test_it_refuses_a_cron_line_it_cannot_read(state: State) -> None:
    bad = state.config.model_copy(
        update={"digest": state.config.digest.model_copy(update={"cron": "30 7 * * 9"})}
    )
    prepared = Prepared(state.db, state.ctx, state.plans)
    clock = ManualClock(state.now)
    dispatcher = build_dispatcher(bad, prepared, clock)
    process = EngineProcess(prepared, clock, dispatcher.dispatch_due)

    with pytest.raises(ConfigError, match=r"digest\.cron"):
        register_checks(process, bad, prepared, clock, dispatcher)


def test_it_runs_in_the_engine_cycle_and_delivers_at_once(
    state: State, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(state.config.telegram.token_env, raising=False)
    prepared = Prepared(state.db, state.ctx, state.plans)
    clock = ManualClock(local(date(2024, 9, 9), 7, 0))
    dispatcher = build_dispatcher(state.config, prepared, clock)
    process = EngineProcess(prepared, clock, dispatcher.dispatch_due)
    register_checks(process, state.config, prepared, clock, dispatcher)
    outbox = state.config.path(state.config.email.outbox_dir)

    asyncio.run(process.cycle())
    assert digest_rows(state) == []
    clock.set(local(date(2024, 9, 9)))
    asyncio.run(process.cycle())

    assert {r.state for r in digest_rows(state)} == {SENT}
    [mail] = outbox.glob("digest_2024-W37_tran-van-qmr_email*.eml")
    assert "Subject: =?utf-8?" in mail.read_text(encoding="utf-8")
