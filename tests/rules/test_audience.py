"""Who hears about an occurrence: group monitors scoped to the lead unit's own head."""

from __future__ import annotations

from datetime import date

from rules.audience import coordinating_units, hearers, monitor_scope, row_audience
from rules.bundle import bundle_subject, deadline_words, group_of
from rules.directory import Directory, Group, Person, Role, Unit
from rules.escalation import Step

D = Directory(
    units=(Unit("a", "Phòng A", head="ha"), Unit("b", "Phòng B", head="hb")),
    groups=(Group("all", "Thủ trưởng các cơ quan, đơn vị", members=("a", "b")),),
    roles=(Role("qmr", "QMR", people=("q",)),),
    people=(
        Person("ha", "Trưởng A", "a"),
        Person("sa", "Chuyên viên A", "a"),
        Person("hb", "Trưởng B", "b"),
        Person("q", "Quản"),
    ),
)
OVERDUE = Step("qua-han-1", "due", 1, ("lead", "monitors"), ("email",), "overdue")


def test_it_scopes_a_group_of_monitors_to_the_lead_units_own_head() -> None:
    scope = monitor_scope(D, D.resolve("QMR; Thủ trưởng các cơ quan, đơn vị"))
    for_a = [h.person.id for h in hearers(D, ("monitors",), "a", (), scope)]
    assert for_a == ["q", "ha"]
    assert "hb" not in for_a


def test_it_lets_a_named_unit_monitor_every_occurrence() -> None:
    scope = monitor_scope(D, D.resolve("Phòng B"))
    assert [h.person.id for h in hearers(D, ("monitors",), "a", (), scope)] == ["hb"]


def test_it_copies_coordinating_units_that_lead_none_of_the_rows_occurrences() -> None:
    assert coordinating_units(("a", "b"), ("a",)) == ("b",)
    assert coordinating_units(("a", "b"), ("a", "b")) == ()


def test_it_lists_per_unit_who_hears_at_each_step() -> None:
    found = row_audience(
        D, (OVERDUE,), D.resolve("Thủ trưởng các cơ quan, đơn vị"), D.resolve(""), D.resolve("")
    )
    assert [u.unit for u in found] == ["a", "b"]
    first = found[0].first_heard()
    assert [(h.person.id, h.reason, step) for h, step in first] == [
        ("ha", "lead", "qua-han-1"),
        ("sa", "lead", "qua-han-1"),
    ]


class Weekdays:
    def working_days_between(self, start: date, end: date) -> int:
        sign = 1 if end >= start else -1
        lo, hi = sorted((start, end))
        days = [date.fromordinal(o) for o in range(lo.toordinal() + 1, hi.toordinal() + 1)]
        return sign * sum(1 for d in days if d.weekday() < 5)


def test_it_says_deadlines_in_words() -> None:
    today = date(2024, 9, 9)  # a Monday
    assert deadline_words(today, date(2024, 9, 12), Weekdays()) == "còn 3 ngày"
    assert deadline_words(today, today, Weekdays()) == "đến hạn hôm nay"
    assert deadline_words(today, date(2024, 9, 2), Weekdays()) == "quá hạn 5 ngày làm việc"


def test_it_says_what_matters_first_in_the_subject() -> None:
    assert (
        bundle_subject(2, 1, date(2024, 9, 9))
        == "[Nhắc việc] 2 việc đến hạn, 1 việc quá hạn — thứ Hai, 09/09/2024"
    )
    assert group_of("lead") == "own" and group_of("monitor") == "monitored"
    assert group_of("qmr") == "escalated"
