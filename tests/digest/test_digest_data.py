"""The digest's numbers for Nam Đông on Monday 9/9/2024, 07:30, after a simulated year so far.

Days late are counted by hand in working days: 31/8-1/9 is a weekend and 2/9-3/9 is
Quốc khánh, so a task due Friday 30/8 is 4 working days late on Monday 9/9 (4, 5, 6, 9/9).
"""

from __future__ import annotations

from datetime import date, timedelta

from notifications.digest_data import build_digest
from notifications.digest_model import Digest, shares
from scheduler.db import session_scope
from scheduler.models import DeliveryProblem
from tests.digest.conftest import State


def digest(state: State, **options: object) -> Digest:
    return build_digest(state.db, state.ctx, state.problems, state.now, **options)  # type: ignore[arg-type]  # options are the builder's keywords, passed through untyped


def test_it_groups_overdue_work_by_unit_with_working_days_late(state: State) -> None:
    result = digest(state)

    counts = {group.unit_id: len(group.entries) for group in result.overdue}
    assert counts == {
        "ktht": 26,
        "noivu": 23,
        "ldtbxh": 21,
        "nnptnt": 21,
        "tckh": 21,
        "vhtt": 21,
        "tthcc": 17,
        "khe-tre": 13,
        "huong-phu": 13,
        "vp": 13,
        "": 2,
    }
    assert [g.unit_id for g in result.overdue][:2] == ["ktht", "noivu"]  # most overdue first
    ktht = result.overdue[0]
    assert ktht.unit == "Phòng Kinh tế và Hạ tầng"
    first, last = ktht.entries[0], ktht.entries[-1]
    assert (first.ref, first.label, first.days_late) == ("II.1", "Tháng 01/2024", 148)
    assert (first.reached, first.reached_name) == ("role:lanh-dao", "Lãnh đạo UBND huyện")
    assert (last.ref, last.label, last.due_on) == ("II.2", "Tháng 08/2024", date(2024, 8, 30))
    assert (last.days_late, last.level, last.reached) == (4, 5, "role:qmr")
    assert all(i.ref != "I.3" for i in ktht.entries), "the audit's evidence came on 5/9"


def test_it_keeps_work_without_a_resolved_lead_visible(state: State) -> None:
    unresolved = next(g for g in digest(state).overdue if g.unit_id == "")

    assert [(i.ref, i.unit) for i in unresolved.entries] == [("V.1", ""), ("V.1", "")]
    assert all(i.reached == "lead" for i in unresolved.entries)


def test_it_lists_the_escalations_of_the_week_and_tells_repeats_apart(state: State) -> None:
    result = digest(state)

    fresh = [(e.on, e.ref, e.unit_id, e.step) for e in result.escalated if not e.repeat]
    # 21: I.3's step to the QMR went out in the 5/9 07:30 bundle, before the evidence at
    # noon (unbundled, the simulation's undelivered row was cancelled by that evidence).
    assert len(fresh) == 21
    assert (date(2024, 9, 4), "II.2", "tckh", "qua-han-1") in fresh
    assert (date(2024, 9, 6), "II.2", "tckh", "qua-han-qmr") in fresh
    to_qmr = next(e for e in result.escalated if e.unit_id == "ktht" and e.step == "qua-han-qmr")
    assert to_qmr.reached_name == "Đại diện lãnh đạo về chất lượng (QMR)"
    assert "Trần Văn Quản" in to_qmr.recipients and to_qmr.failed == ()
    repeats = [e for e in result.escalated if e.repeat]
    assert len(repeats) == 107 and {e.step for e in repeats} == {"nhac-lai-hang-tuan"}
    assert all(date(2024, 9, 2) <= e.on <= date(2024, 9, 9) for e in result.escalated)


def test_it_lists_what_falls_due_in_the_next_two_weeks(state: State) -> None:
    due = digest(state).due_soon

    # The management review follows the internal audit: 10 working days after 5/9.
    assert [(d.ref, d.label, d.due_on, d.working_days_left) for d in due] == [
        ("I.4", "Sau hoạt động ĐGNB", date(2024, 9, 19), 8)
    ]


def test_it_reports_the_weeks_completions_on_time_and_late_with_their_evidence(
    state: State,
) -> None:
    done = digest(state).completed

    assert [(d.ref, d.closed_on, d.days_late) for d in done] == [
        ("I.3", date(2024, 9, 5), 3),
        ("I.5", date(2024, 9, 6), 0),
    ]
    assert done[0].evidence == ("Minh chứng (mô phỏng)",) and done[0].by == "Lê Thị Thư"


def test_it_shares_each_objective_between_on_time_late_open_and_overdue(state: State) -> None:
    objectives = {o.section: o for o in digest(state).objectives}

    assert list(objectives) == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]  # IX unread
    first = objectives["I"]
    assert (first.on_time, first.late, first.open, first.overdue) == (2, 1, 23, 23)
    assert first.title.startswith("100% các cơ quan, đơn vị, UBND các xã, thị trấn")
    second = objectives["II"]
    assert (second.on_time, second.late, second.open, second.overdue) == (0, 0, 40, 90)
    bar = next(o for o in digest(state).to_context()["objectives"] if o["section"] == "I")
    assert bar["pct"] == {"on_time": 4, "late": 2, "open": 47, "overdue": 47}
    assert (bar["done_pct"], bar["cells_done"], bar["cells_rest"]) == (6, 1, 9)


def test_it_reports_unreachable_people_until_they_are_reachable_again(state: State) -> None:
    seen = state.now - timedelta(days=3)
    with session_scope(state.db) as session:
        session.add(
            DeliveryProblem(
                person_id="ho-truong-tckh",
                channel="email",
                problem="bounced",
                detail="550 5.1.1 mailbox unavailable",
                first_seen=seen,
                last_seen=seen,
            )
        )
        session.add(
            DeliveryProblem(
                person_id="vo-truong-nn",
                channel="email",
                problem="bounced",
                first_seen=seen,
                last_seen=seen,
                resolved_at=state.now,
            )
        )

    issues = digest(state).delivery

    assert [(i.person, i.channel, i.problem, i.since) for i in issues] == [
        ("Hồ Thị Hạnh", "email", "bounced", date(2024, 9, 6))
    ]


def test_it_carries_the_plans_problems_to_the_qmr_only(state: State) -> None:
    whole = digest(state)
    unit = digest(state, units=("noivu",))

    errors = [(p.code, p.row_ref) for p in whole.plan_problems if p.severity == "error"]
    assert errors == [
        ("unresolved-name", "V.1"),
        ("unresolved-name", "V.1"),
        ("unreadable-timing", "IX"),
    ]
    # The same pipeline as `plan check`: the stale years reach the QMR too.
    stale = [p.row_ref for p in whole.plan_problems if p.code == "stale-year"]
    assert stale == ["I.1", "I.6"]
    assert unit.plan_problems == ()


def test_it_limits_a_unit_heads_digest_to_their_units(state: State) -> None:
    result = digest(state, units=("noivu",))

    assert [g.unit_id for g in result.overdue] == ["noivu"]
    assert result.units == ("Phòng Nội vụ",)
    assert {e.unit_id for e in result.escalated} == {"noivu"}
    assert result.completed == () and result.due_soon == ()


def test_it_splits_a_whole_so_the_parts_add_up() -> None:
    assert shares([1, 1, 1]) == [34, 33, 33]
    assert shares([2, 1, 23, 23]) == [4, 2, 47, 47]
    assert shares([0, 0]) == [0, 0]
    assert sum(shares([3, 7, 11, 13], 10)) == 10
