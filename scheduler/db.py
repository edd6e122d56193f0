"""The database: engine creation and schema upgrades through Alembic."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlmodel import Session, create_engine

import scheduler.models  # noqa: F401  (registers the tables on SQLModel.metadata)

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get their folder created and WAL for a reader + writer."""
    connect_args: dict[str, object] = {}
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        connect_args["check_same_thread"] = False
    engine = create_engine(url, connect_args=connect_args)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # Durable across a process crash in WAL mode; only a power cut may lose the
            # last commits, which the engine's idempotent outbox tolerates.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Create or upgrade the schema to the newest migration."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


def open_database(url: str) -> Engine:
    upgrade(url)
    return make_engine(url)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _regenerate_initial() -> None:
    """Developer tool, before the first release: rebuild 0001 from the models."""
    import tempfile

    target = MIGRATIONS / "versions" / "0001_initial.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/empty.db"
        command.revision(alembic_config(url), message="initial", autogenerate=True, rev_id="0001")
    produced = next((MIGRATIONS / "versions").glob("0001_*.py"))
    produced.rename(target)
    print(f"wrote {target}")


if __name__ == "__main__":
    if sys.argv[1:] == ["regenerate-initial"]:
        _regenerate_initial()
    else:
        print("usage: python -m scheduler.db regenerate-initial", file=sys.stderr)
        sys.exit(2)
