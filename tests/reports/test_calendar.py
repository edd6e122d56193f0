"""`nhacviec calendar`: one all-day event per occurrence, alarms, UIDs kept across plan edits."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event
from sqlmodel import Session, select

from scheduler.models import RowRecord
from tests.reports.conftest import FIRST_HALF, ROOT, Office, make_office


def _events(office: Office, out: Path, *args: str) -> dict[str, tuple[str, Event]]:
    """code -> (UID, the event), read back with icalendar."""
    office.invoke("calendar", *args, "--out", str(out))
    calendar = Calendar.from_ical(out.read_bytes())
    found: dict[str, tuple[str, Event]] = {}
    for event in calendar.walk("VEVENT"):
        code = re.search(r"Mã việc: (\w+)", str(event["DESCRIPTION"]))
        assert code is not None
        assert code[1] not in found
        assert isinstance(event, Event)
        found[code[1]] = (str(event["UID"]), event)
    return found


def test_it_has_one_all_day_event_per_occurrence_of_the_unit(
    half_year: Office, tmp_path: Path
) -> None:
    events = _events(half_year, tmp_path / "ktht.ics", "--unit", "ktht")
    status = json.loads(half_year.invoke("status", "--json", "--unit", "ktht"))["occurrences"]
    assert sorted(events) == sorted(line["code"] for line in status)
    by_code = {line["code"]: line for line in status}
    for code, (_uid, event) in events.items():
        start = event.start
        assert start == date.fromisoformat(by_code[code]["due"])
        assert event.end == start + timedelta(days=1)
        alarms = event.walk("VALARM")
        if by_code[code]["status"] in ("done", "waived"):
            assert alarms == [] and str(event["SUMMARY"]).startswith("✔")
        else:
            (alarm,) = alarms
            assert isinstance(alarm, Alarm)
            trigger = alarm.TRIGGER
            assert trigger == -timedelta(hours=16, minutes=30)  # 07:30 the day before
    (audit,) = [e for _u, e in events.values() if "[I.3]" in str(e["SUMMARY"])]
    description = str(audit["DESCRIPTION"])
    assert "Dòng I.3: Xây dựng chương trình ĐGNB" in description
    assert (
        "Hạn chót: 29/08/2024" in description
        and "Minh chứng cần có: Chương trình ĐGNB" in description
    )


def test_a_persons_calendar_holds_their_units_work_and_the_rows_they_monitor(
    half_year: Office, tmp_path: Path
) -> None:
    events = _events(half_year, tmp_path / "thu-ky.ics", "--person", "le-thi-thuky")
    person = half_year.ctx.directory.people["le-thi-thuky"]
    with Session(half_year.db) as session:
        monitored = {
            row.ref
            for row in session.exec(select(RowRecord))
            if "le-thi-thuky" in json.loads(row.monitors_json)
        }
    expected = [
        line["code"]
        for line in half_year.status()
        if line["row"] in monitored or (person.unit and line["unit_id"] == person.unit)
    ]
    assert monitored and sorted(events) == sorted(expected)


def test_it_keeps_the_uids_of_unchanged_occurrences_after_a_mid_year_edit(tmp_path: Path) -> None:
    plan = tmp_path / "ke-hoach.txt"
    text = (ROOT / "examples" / "nam-dong-2024.txt").read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    office = make_office(tmp_path, plan)
    office.simulate(date(2024, 1, 2), date(2024, 3, 31), FIRST_HALF)
    before = _events(office, tmp_path / "truoc.ics")
    # Mid-year, the office edits the plan: I.5 becomes quarterly instead of yearly.
    edited = text.replace("Hàng năm\t<ul", "Hàng quý\t<ul", 1)
    assert edited != text
    plan.write_text(edited, encoding="utf-8")
    office.simulate(date(2024, 4, 1), date(2024, 6, 30), ())
    after = _events(office, tmp_path / "sau.ics")
    assert sorted(after) == sorted(line["code"] for line in office.status())
    changed = {code for code, (_u, e) in before.items() if "[I.5]" in str(e["SUMMARY"])}
    assert len(changed) == 1 and not changed & set(after)  # the yearly deadline was retired
    kept = set(before) - changed
    assert kept <= set(after)
    assert all(before[code][0] == after[code][0] for code in kept)
    quarterly = [e for _u, e in after.values() if "[I.5]" in str(e["SUMMARY"])]
    assert len(quarterly) == 4
