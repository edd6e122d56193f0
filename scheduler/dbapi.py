"""Bulk writes straight through the DBAPI cursor, on the session's own transaction.

For the few statements run tens of thousands of times a tick or a sync, SQLAlchemy's
per-value parameter processing cost more than the database's work. These helpers take
values already in the database's form (db_value) and hand them to executemany as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session


def db_value(value: date | datetime | None, *, sqlite: bool) -> Any:
    """A date or instant as the database stores it, for a DBAPI cursor: SQLite keeps the
    text SQLAlchemy writes (UTC for instants, as SQLModel's UTCDateTime does); PostgreSQL's
    driver takes the objects themselves."""
    if value is None or not sqlite:
        return value.astimezone(UTC) if isinstance(value, datetime) else value
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return value.isoformat()


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def mark(connection: Connection) -> str:
    """The DBAPI's placeholder: sqlite3 takes ?, psycopg %s."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def execute_many(session: Session, sql: str, rows: Sequence[Sequence[Any]]) -> int:
    """Run `sql` (its placeholders written as ?) once per row; the rows it changed in all."""
    if not rows:
        return 0
    connection = session.connection()
    placeholder = mark(connection)
    statement = sql.replace("?", placeholder)
    base_error = connection.dialect.loaded_dbapi.Error
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(statement, rows)
        return int(cursor.rowcount)
    except base_error as exc:  # as SQLAlchemy raises it: IntegrityError, OperationalError…
        raise DBAPIError.instance(statement, None, exc, base_error) from exc
    finally:
        cursor.close()


def fetch_all(session: Session, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run a query (placeholders written as ?, values in the database's form) and return
    its rows as the driver gives them: no per-value result processing (SQLite's dates
    stay text)."""
    connection = session.connection()
    statement = sql.replace("?", mark(connection))
    base_error = connection.dialect.loaded_dbapi.Error
    cursor = connection.connection.cursor()
    try:
        cursor.execute(statement, params)
        return list(cursor.fetchall())
    except base_error as exc:
        raise DBAPIError.instance(statement, params, exc, base_error) from exc
    finally:
        cursor.close()


def insert_many(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    marks = ", ".join("?" for _ in columns)
    execute_many(session, f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
