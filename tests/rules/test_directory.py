"""Free-text names of the plan resolve to the directory, or are reported with suggestions."""

from __future__ import annotations

from pathlib import Path

from nhacviec.config import load_config
from rules.directory import Directory, Group, Person, Role, Unit

ROOT = Path(__file__).resolve().parents[2]


def directory() -> Directory:
    return load_config(ROOT / "config.toml").directory()


def test_it_resolves_a_unit_by_name_and_alias() -> None:
    d = directory()
    assert d.resolve("Phòng Kinh tế và Hạ tầng").units == ("ktht",)
    assert d.resolve("Phòng KT&HT").units == ("ktht",)
    assert d.resolve("  phòng kinh tế  và hạ tầng. ").units == ("ktht",)


def test_it_resolves_a_group_whose_name_has_commas() -> None:
    resolution = directory().resolve("Các cơ quan, đơn vị, UBND các xã, thị trấn")
    assert resolution.groups == ("tat-ca",) and not resolution.unresolved


def test_it_splits_a_cell_into_several_names() -> None:
    resolution = directory().resolve("Phòng Văn hóa và Thông tin, Phòng Nội vụ")
    assert resolution.units == ("vhtt", "noivu")
    monitors = directory().resolve("- QMR; - Thư ký ISO.")
    assert monitors.roles == ("qmr", "thu-ky-iso") and not monitors.unresolved


def test_it_keeps_a_dash_inside_a_name() -> None:
    assert directory().resolve("Phòng Lao động - TBXH").units == ("ldtbxh",)
    assert directory().resolve("Phòng Lao động - TBXH, Phòng Nội vụ").units == ("ldtbxh", "noivu")


def test_it_reports_an_unknown_name_with_suggestions() -> None:
    resolution = directory().resolve("Phòng Kinh tế và Hạ tầg, Phòng Tư pháp")
    assert resolution.unresolved == ("phòng kinh tế và hạ tầg", "phòng tư pháp")
    assert "phòng kinh tế và hạ tầng" in resolution.suggestions["phòng kinh tế và hạ tầg"]


def test_it_expands_a_group_into_one_lead_per_member() -> None:
    d = directory()
    units = d.lead_units(d.resolve("Các cơ quan, đơn vị, UBND các xã, thị trấn"))
    assert "ktht" in units and "huong-phu" in units and len(units) == len(set(units))


def test_it_escalates_a_group_of_monitors_to_the_heads_of_its_units() -> None:
    d = Directory(
        units=(Unit("a", "Phòng A", head="ha"), Unit("b", "Phòng B")),
        groups=(Group("g", "Các phòng", members=("a", "b")),),
        roles=(Role("qmr", "QMR", people=("q",)),),
        people=(
            Person("ha", "Trưởng A", "a"),
            Person("x", "Chuyên viên A", "a"),
            Person("b1", "Chuyên viên B", "b"),
            Person("q", "Quản"),
        ),
    )
    people = d.monitor_people(d.resolve("QMR; Các phòng"))
    assert [p.id for p in people] == ["q", "ha", "b1"]
