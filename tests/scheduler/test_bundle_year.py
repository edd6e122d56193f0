"""The Nam Đông year with no evidence, bundled and unbundled: what people receive.

Both years run once per session (about a minute each); the tests read their databases.
"""

from __future__ import annotations

import email
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from notifications.base import Recipient
from notifications.mime import build_email
from notifications.render import Renderer
from scheduler.engine_context import EngineContext
from scheduler.models import BundleItem, Notification, Occurrence, ReminderFact, RowRecord
from scheduler.simulate import Message, Simulation
from tests.scheduler.conftest import World, make_world

BEFORE = 44_852  # messages of this year before #11 (unscoped monitors, no bundles)


@dataclass
class Year:
    world: World
    messages: list[Message]

    @property
    def db(self) -> Engine:
        return self.world.db

    @property
    def ctx(self) -> EngineContext:
        return self.world.ctx


def _year(tmp_path: Path, bundle: str) -> Year:
    world = make_world(tmp_path, bundle)
    messages = list(
        Simulation(world.db, world.ctx, world.plans).run(date(2024, 1, 1), date(2024, 12, 31))
    )
    return Year(world, messages)


@pytest.fixture(scope="module")
def daily(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Year]:
    year = _year(tmp_path_factory.mktemp("daily"), "daily")
    yield year
    year.db.dispose()


@pytest.fixture(scope="module")
def off(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Year]:
    year = _year(tmp_path_factory.mktemp("off"), "off")
    yield year
    year.db.dispose()


def test_it_sends_each_person_at_most_one_reminder_per_channel_per_day(daily: Year) -> None:
    per_day = Counter((m.to, m.channel, m.at.date()) for m in daily.messages)
    assert max(per_day.values()) == 1
    assert {m.kind for m in daily.messages} == {"bundle"}
    assert len(daily.messages) * 10 <= BEFORE, len(daily.messages)


def test_it_carries_every_unbundled_fact_in_exactly_one_bundle(daily: Year, off: Year) -> None:
    with Session(off.db) as session:
        unbundled = Counter(
            (code, key.split("/")[1], person, channel)
            for key, code, person, channel in session.exec(
                select(
                    Notification.key, Occurrence.code, Notification.person_id, Notification.channel
                ).join(Occurrence, col(Notification.occurrence_id) == col(Occurrence.id))
            )
        )
    with Session(daily.db) as session:
        carried = Counter(
            (code, f"L{level}", person, channel)
            for code, level, person, channel in session.exec(
                select(
                    Occurrence.code, ReminderFact.level, ReminderFact.person_id, BundleItem.channel
                )
                .join(ReminderFact, col(BundleItem.fact_id) == col(ReminderFact.id))
                .join(Occurrence, col(ReminderFact.occurrence_id) == col(Occurrence.id))
                .join(Notification, col(Notification.id) == col(BundleItem.notification_id))
                .where(col(Notification.template) == "bundle")
            )
        )
    assert max(unbundled.values()) == 1
    assert set(carried) == set(unbundled)
    assert max(carried.values()) == 1


def test_it_tells_a_unit_head_only_of_their_own_units_work_unless_a_step_names_them(
    daily: Year,
) -> None:
    directory = daily.ctx.directory
    head_of = {u.head: u.id for u in directory.units.values() if u.head}
    with Session(daily.db) as session:
        found = session.exec(
            select(ReminderFact, Occurrence, RowRecord)
            .join(Occurrence, col(ReminderFact.occurrence_id) == col(Occurrence.id))
            .join(RowRecord, col(Occurrence.row_id) == col(RowRecord.id))
        ).all()
    assert found
    for fact, occurrence, row in found:
        unit = head_of.get(fact.person_id)
        if unit is None or unit == occurrence.unit_id or fact.reason != "monitor":
            continue
        # Another unit's work reaches a head only when the plan names their unit or role.
        assert fact.person_id in json.loads(row.monitors_json), (fact.key, row.ref)


def test_it_writes_subjects_that_decode_to_their_text(daily: Year, off: Year) -> None:
    renderer = Renderer()
    checked = 0
    for year in (daily, off):
        with Session(year.db) as session:
            notes = session.exec(select(Notification).where(Notification.channel == "email"))
            seen: set[str] = set()
            for note in notes:
                person = year.ctx.directory.people[note.person_id]
                to = Recipient(person.id, person.name, person.email or "x@example.vn")
                message = renderer.render(
                    note.template, json.loads(note.context_json), to, note.key
                )
                if note.template == "bundle":
                    assert message.subject == json.loads(note.context_json)["subject_text"]
                    assert message.subject.startswith("[Nhắc việc] ")
                if message.subject in seen:
                    continue
                seen.add(message.subject)
                mail = build_email(message, sender="nhacviec@example.vn", sender_name="Nhắc việc")
                parsed = email.message_from_bytes(mail.as_bytes(), policy=default)
                assert str(parsed["Subject"]) == message.subject
                checked += 1
    assert checked > 200
