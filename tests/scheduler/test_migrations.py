"""The schema comes from Alembic migrations, and they match the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from scheduler.db import make_engine, upgrade
from tests.fakes.database import database_url


def test_it_creates_every_table_through_migrations(tmp_path: Path) -> None:
    url = database_url(tmp_path, "m")
    upgrade(url)
    tables = set(inspect(make_engine(url)).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_it_has_no_model_change_without_a_migration(tmp_path: Path) -> None:
    url = database_url(tmp_path, "m")
    upgrade(url)
    with make_engine(url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_it_upgrades_an_existing_database_without_touching_it(tmp_path: Path) -> None:
    url = database_url(tmp_path, "m")
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        before = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        connection.exec_driver_sql(
            "INSERT INTO job_run (job, period, at) VALUES ('x', 'y', '2024-01-01')"
        )
        connection.commit()
    upgrade(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == before
        assert connection.exec_driver_sql("SELECT count(*) FROM job_run").scalar() == 1
    engine.dispose()


def test_it_reads_the_head_revision_from_the_files_as_alembic_does() -> None:
    from alembic.script import ScriptDirectory

    from scheduler.db import alembic_config, head_revision

    assert (
        head_revision()
        == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    )
