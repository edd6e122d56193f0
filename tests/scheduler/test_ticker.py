"""The engine on a virtual clock: ladder, evidence, waiver, edits, groups, outages, crashes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlmodel import Session, select

from rules.timing import compile_phrase
from scheduler.models import DONE, OPEN, RETIRED, WAIVED, AuditLog, Evidence, Occurrence
from scheduler.service import ServiceError, record_evidence, waive
from tests.scheduler.conftest import World

AUDIT = "I.3"


def audit_occurrence(world: World) -> Occurrence:
    (occurrence,) = [o for o in world.occurrences(AUDIT) if o.unit_id == "ktht"]
    return occurrence


def steps_for(world: World, occurrence: Occurrence) -> list[tuple[str, str, str]]:
    return [
        (n.step, n.person_id, n.channel)
        for n in world.notifications(lambda n: n.occurrence_id == occurrence.id)
    ]


def test_it_compiles_one_occurrence_per_lead_and_deadline(world: World) -> None:
    world.sync(world.at(date(2024, 1, 2)))
    occurrence = audit_occurrence(world)
    assert occurrence.due_on == date(2024, 8, 29) and occurrence.state == OPEN
    group_row = world.occurrences("II.1")  # lead: "Các cơ quan, đơn vị, UBND các xã, thị trấn"
    assert {o.unit_id for o in group_row} == set(world.ctx.directory.groups["tat-ca"].members)


def test_it_climbs_the_ladder_in_order_with_the_right_audience(world: World) -> None:
    world.sync(world.at(date(2024, 1, 2)))
    occurrence = audit_occurrence(world)
    day = date(2024, 8, 1)
    while day <= date(2024, 9, 30):
        world.ticker.tick(world.at(day, 9))
        day += timedelta(days=1)
    sent = steps_for(world, occurrence)
    order = list(dict.fromkeys(step for step, _p, _c in sent))
    assert order == [
        "truoc-5-ngay",
        "truoc-1-ngay",
        "den-han",
        "qua-han-1",
        "qua-han-qmr",
        "qua-han-lanh-dao",
        "nhac-lai-hang-tuan",
    ]
    audience = {step: {p for s, p, _c in sent if s == step} for step in order}
    assert audience["truoc-5-ngay"] == {"pham-truong-ktht", "le-thi-thuky"}
    assert "tran-van-qmr" in audience["qua-han-qmr"]
    assert "nguyen-chu-tich" in audience["qua-han-lanh-dao"]
    assert "nguyen-chu-tich" not in audience["qua-han-qmr"]
    assert ("qua-han-lanh-dao", "tran-van-qmr", "telegram") in sent  # QMR has Telegram too
    assert "nguyen-chu-tich" not in audience["nhac-lai-hang-tuan"]  # leadership has the digest
    repeats = [
        n.created_at.astimezone(world.ctx.tz).date()
        for n in world.notifications(
            lambda n: (
                n.occurrence_id == occurrence.id
                and n.step == "nhac-lai-hang-tuan"
                and n.person_id == "pham-truong-ktht"
                and n.channel == "email"
            )
        )
    ]
    assert repeats == [date(2024, 9, 18), date(2024, 9, 25)]  # +12 working days, then weekly


def test_it_sends_each_step_once_after_a_ten_day_outage(world: World) -> None:
    world.sync(world.at(date(2024, 1, 2)))
    occurrence = audit_occurrence(world)
    world.ticker.tick(world.at(date(2024, 8, 22), 9))  # due 29/8: "5 days before" goes out
    world.ticker.tick(world.at(date(2024, 9, 4), 9))  # down from 22/8 to 4/9 (2-3/9: Quốc khánh)
    world.ticker.tick(world.at(date(2024, 9, 4), 9, 5))  # a second tick changes nothing
    steps = [
        s for s, p, c in steps_for(world, occurrence) if p == "pham-truong-ktht" and c == "email"
    ]
    assert steps == ["truoc-5-ngay", "qua-han-1"]  # "1 day before" and "due today" were missed


def test_it_stops_the_ladder_on_evidence_and_cancels_what_was_not_sent(world: World) -> None:
    world.sync(world.at(date(2024, 1, 2)))
    occurrence = audit_occurrence(world)
    world.ticker.tick(world.at(date(2024, 8, 23), 7, 35))
    pending = world.notifications(lambda n: n.occurrence_id == occurrence.id)
    assert pending and all(n.state == "pending" for n in pending)
    closure = record_evidence(
        world.db,
        world.ctx,
        occurrence.code,
        "pham-truong-ktht",
        "Chương trình ĐGNB số 12/CT-UBND",
        [],
        "cli",
        world.at(date(2024, 8, 23), 10),
    )
    assert closure.late_days == 0 and not closure.on_behalf
    assert all(
        n.state == "cancelled"
        for n in world.notifications(lambda n: n.occurrence_id == occurrence.id)
    )
    world.ticker.tick(world.at(date(2024, 10, 1), 9))
    assert len(world.notifications(lambda n: n.occurrence_id == occurrence.id)) == len(pending)
    with Session(world.db) as session:
        stored = session.get(Occurrence, occurrence.id)
        assert stored is not None
        assert stored.state == DONE
        assert session.exec(select(Evidence)).one().text == "Chương trình ĐGNB số 12/CT-UBND"
        actions = [a.action for a in session.exec(select(AuditLog))]
    assert "evidence" in actions and "after-started" in actions


def test_it_refuses_evidence_from_someone_outside_the_lead_unit(world: World) -> None:
    world.sync(world.at(date(2024, 1, 2)))
    occurrence = audit_occurrence(world)
    try:
        record_evidence(
            world.db,
            world.ctx,
            occurrence.code,
            "ho-truong-tckh",
            "x",
            [],
            "cli",
            world.at(date(2024, 8, 23)),
        )
    except ServiceError as exc:
        assert "không thể báo hoàn thành" in str(exc)
    else:
        raise AssertionError("a person of another unit closed the occurrence")
    closure = record_evidence(
        world.db,
        world.ctx,
        occurrence.code,
        "tran-van-qmr",
        "Biên bản",
        [],
        "cli",
        world.at(date(2024, 9, 4)),
    )
    assert closure.on_behalf and closure.late_days == 2  # 30/8 and 4/9; 2-3/9 are Quốc khánh


def test_it_lets_only_the_qmr_waive(world: World) -> None:
    world.sync(world.at(date(2024, 1, 2)))
    occurrence = audit_occurrence(world)
    try:
        waive(
            world.db,
            world.ctx,
            occurrence.code,
            "pham-truong-ktht",
            "không cần",
            world.at(date(2024, 8, 1)),
        )
    except ServiceError:
        pass
    else:
        raise AssertionError("a unit head waived an occurrence")
    waive(
        world.db,
        world.ctx,
        occurrence.code,
        "tran-van-qmr",
        "Đã ĐGNB cùng đợt của tỉnh",
        world.at(date(2024, 8, 1)),
    )
    world.ticker.tick(world.at(date(2024, 9, 30)))
    with Session(world.db) as session:
        stored = session.get(Occurrence, occurrence.id)
        assert stored is not None
        assert stored.state == WAIVED
    assert steps_for(world, occurrence) == []


def test_it_updates_an_edited_plan_in_place_without_losing_evidence(world: World) -> None:
    world.sync(world.at(date(2024, 1, 2)))
    (kpi,) = [o for o in world.occurrences("I.1") if o.unit_id == "ktht"]  # "Tháng 01/2024"
    record_evidence(
        world.db,
        world.ctx,
        kpi.code,
        "pham-truong-ktht",
        "QĐ 29/QĐ-UBND",
        [],
        "cli",
        world.at(date(2024, 1, 12)),
    )
    audit_before = audit_occurrence(world)
    world.ticker.tick(world.at(date(2024, 8, 23), 9))
    sent_before = len(world.notifications())
    plan = world.plans[0]
    edited_rows = []
    for item in plan.rows:
        if item.row.ref == "I.3":
            row = replace(item.row, timing="Trước ngày 15 tháng 9 hàng năm")
            item = replace(
                item, row=row, timing_text=row.timing, schedule=compile_phrase(row.timing, 2024)
            )
        edited_rows.append(item)
    world.sync(world.at(date(2024, 8, 23), 10), [replace(plan, rows=edited_rows)])
    audit_after = audit_occurrence(world)
    assert audit_after.id == audit_before.id and audit_after.code == audit_before.code
    assert audit_after.due_on == date(2024, 9, 13)
    (kpi_after,) = [o for o in world.occurrences("I.1") if o.unit_id == "ktht"]
    assert kpi_after.state == DONE
    world.ticker.tick(world.at(date(2024, 8, 23), 11))
    assert len(world.notifications()) == sent_before


def test_it_retires_deadlines_that_vanish_from_the_plan(world: World) -> None:
    world.sync(world.at(date(2024, 1, 2)))
    plan = world.plans[0]
    world.sync(
        world.at(date(2024, 3, 1)),
        [replace(plan, rows=[r for r in plan.rows if r.row.ref != "I.3"])],
    )
    assert {o.state for o in world.occurrences(AUDIT)} == {RETIRED}
    world.ticker.tick(world.at(date(2024, 9, 30)))
    assert (
        world.notifications(
            lambda n: n.step.startswith("qua-han") and n.occurrence_id == audit_occurrence(world).id
        )
        == []
    )
