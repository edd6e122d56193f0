"""`simulate` over 2024 with the Nam Đông plan: the internal audit row and what follows it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from scheduler.simulate import EvidenceAt, Simulation
from tests.scheduler.conftest import World, make_world

AUDIT_ROW = (
    "I.3"  # Xây dựng chương trình ĐGNB và triển khai ĐGNB — "Trước ngày 30 tháng 8 hàng năm"
)
REVIEW_ROW = "I.4"  # Xem xét của lãnh đạo — "... hoặc đột xuất/sau hoạt động ĐGNB"


@dataclass(frozen=True)
class Entry:
    """One item of one message, flattened (bundle = "off": one item per message)."""

    at: datetime
    row: str
    label: str
    step: str
    to: str  # the recipient's name


def run(world: World, evidence: Sequence[EvidenceAt] = ()) -> list[Entry]:
    simulation = Simulation(world.db, world.ctx, world.plans)
    return [
        Entry(m.at, i.row, i.label, i.step, m.name)
        for m in simulation.run(date(2024, 1, 1), date(2024, 12, 31), evidence)
        for i in m.items
    ]


def year(
    tmp_path_factory: pytest.TempPathFactory, evidence: tuple[EvidenceAt, ...] = ()
) -> Iterator[tuple[World, list[Entry]]]:
    """2024 simulated once for the module: a year takes seconds, and the tests only read it."""
    world = make_world(tmp_path_factory.mktemp("year"), "off")
    yield world, run(world, evidence)
    world.db.dispose()


@pytest.fixture(scope="module")
def plain_year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, list[Entry]]]:
    """2024 with no evidence logged at all."""
    yield from year(tmp_path_factory)


@pytest.fixture(scope="module")
def audit_done_year(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[World, list[Entry]]]:
    """2024 with the internal audit's evidence logged on 20/8."""
    yield from year(tmp_path_factory, (EvidenceAt(AUDIT_ROW, date(2024, 8, 20)),))


def test_it_reminds_the_lead_before_the_audit_deadline_and_escalates_after(
    plain_year: tuple[World, list[Entry]],
) -> None:
    timeline = [e for e in plain_year[1] if e.row == AUDIT_ROW]
    before = [e for e in timeline if e.at.date() < date(2024, 8, 29)]
    after = [e for e in timeline if e.at.date() > date(2024, 8, 29)]
    assert before and "Phạm Văn Trường" in {e.to for e in before}
    assert all(e.to != "Trần Văn Quản" for e in before)
    assert {e.step for e in before} >= {"truoc-5-ngay", "truoc-1-ngay"}
    escalated = {e.to for e in after if e.step == "qua-han-qmr"}
    assert {"Trần Văn Quản", "Lê Thị Thư"} <= escalated
    assert any(e.step == "qua-han-lanh-dao" and e.to == "Nguyễn Văn Chủ" for e in after)


def test_it_stops_on_evidence_and_starts_the_management_review(
    audit_done_year: tuple[World, list[Entry]],
) -> None:
    timeline = audit_done_year[1]
    audit = [e for e in timeline if e.row == AUDIT_ROW]
    assert audit == []  # the first reminder would have gone out on 22/8, five working days ahead
    review_after = [
        e
        for e in timeline
        if e.row == REVIEW_ROW and e.at.date() >= date(2024, 8, 20) and e.label.startswith("Sau")
    ]
    assert review_after, "the management review follows the internal audit"


def test_it_sends_nothing_on_days_off_or_outside_working_hours(
    plain_year: tuple[World, list[Entry]],
) -> None:
    world, timeline = plain_year
    assert len(timeline) > 100
    for entry in timeline:
        assert world.ctx.calendar.is_working_day(entry.at.date()), entry
        assert world.ctx.work_start <= entry.at.time() < world.ctx.work_end, entry
    tet = [e for e in timeline if date(2024, 2, 8) <= e.at.date() <= date(2024, 2, 14)]
    assert tet == []
