"""One place that gives a test its database URL: SQLite by default, PostgreSQL when asked.

Set NHACVIEC_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)
to run the suite against a PostgreSQL server: each call then creates a fresh, empty
database on that server, so tests never share state. Without it, each call is a new
SQLite file in the test's own tmp_path.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

ENV = "NHACVIEC_TEST_DATABASE_URL"


def on_postgres() -> bool:
    return bool(os.environ.get(ENV))


def database_url(tmp_path: Path, name: str = "test") -> str:
    """A URL of a new, empty database for one test."""
    server = os.environ.get(ENV)
    if not server:
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    fresh = f"nv_{name.replace('-', '_')[:20]}_{uuid.uuid4().hex[:10]}".lower()
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{fresh}"'))
    finally:
        admin.dispose()
    return make_url(server).set(database=fresh).render_as_string(hide_password=False)


def copy_database(source: str, tmp_path: Path, name: str = "copy") -> str:
    """A URL of a private copy of the database at `source` (a session-wide template).

    On SQLite the file is copied through SQLite's backup API, so a WAL still open is
    included; on PostgreSQL the copy is `CREATE DATABASE … TEMPLATE`, which needs no
    connection left open on the source (dispose its engines first).
    """
    if not source.startswith("postgresql"):
        target = tmp_path / f"{name}.db"
        with (
            sqlite3.connect(make_url(source).database or "") as src,
            sqlite3.connect(target) as dst,
        ):
            src.backup(dst)
        return f"sqlite:///{target}"
    url = make_url(source)
    fresh = f"nv_{name.replace('-', '_')[:20]}_{uuid.uuid4().hex[:10]}".lower()
    admin = create_engine(os.environ.get(ENV) or "", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{fresh}" TEMPLATE "{url.database}"'))
    finally:
        admin.dispose()
    return url.set(database=fresh).render_as_string(hide_password=False)


def is_empty(url: str) -> bool:
    """True when nothing was ever written there: no SQLite file, or no table on PostgreSQL."""
    if url.startswith("sqlite:///"):
        return not Path(url.removeprefix("sqlite:///")).exists()
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
