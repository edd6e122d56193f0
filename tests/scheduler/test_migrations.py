"""The schema comes from Alembic migrations, and they match the models exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

from scheduler.db import make_engine, upgrade


def test_it_creates_every_table_through_migrations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    tables = set(inspect(make_engine(url)).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_it_has_no_model_change_without_a_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    with make_engine(url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_it_upgrades_an_existing_database_without_touching_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO engine_state (key, value) VALUES ('clock', 'x')"))
    before = _schema_and_data(engine)
    upgrade(url)
    after = _schema_and_data(engine)
    engine.dispose()
    assert after == before
    assert ("clock", "x") in after["engine_state"]


def _schema_and_data(engine: Engine) -> dict[str, Any]:
    """Every table's CREATE statement, the Alembic revision and the rows of engine_state:
    what a second upgrade must leave exactly as it was (file sizes say nothing in WAL mode)."""
    with engine.connect() as connection:
        schema = connection.execute(
            text("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        ).all()
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        state = connection.execute(text("SELECT key, value FROM engine_state")).all()
    return {
        "schema": [tuple(r) for r in schema],
        "revision": [tuple(r) for r in revision],
        "engine_state": [tuple(r) for r in state],
    }
