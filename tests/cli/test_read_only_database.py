"""A database that refuses writes (read-only, full) stops `nhacviec run` with one
Vietnamese line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection

from scheduler.db import database_fault, make_engine, open_database
from tests.cli.test_concurrent_start import write_config
from tests.fakes.database import ENV, on_postgres


def run_engine(config: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "nhacviec", "run", "--config", str(config)]
    command += ["--replay-from", "02/01/2024"]
    environment = {**os.environ, "NHACVIEC_TELEGRAM_TOKEN": "", "COLUMNS": "1000"}
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, cwd=config.parent, timeout=120
    )


def make_read_only(url: str, tmp_path: Path) -> None:
    if url.startswith("postgresql"):
        name = make_url(url).database
        admin = create_engine(os.environ[ENV], isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(
                text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            )
        admin.dispose()
        return
    database = Path(url.removeprefix("sqlite:///"))
    for path in database.parent.glob(database.name + "*"):
        path.chmod(0o444)
    database.parent.chmod(0o555)


@pytest.mark.skipif(
    not on_postgres() and os.geteuid() == 0, reason="root writes a read-only file anyway"
)
def test_it_stops_with_one_line_on_a_read_only_database(tmp_path: Path) -> None:
    config, url = write_config(tmp_path)
    open_database(url).dispose()  # the schema exists; only writes are refused
    make_read_only(url, tmp_path)
    try:
        result = run_engine(config)
    finally:
        if not on_postgres():
            Path(url.removeprefix("sqlite:///")).parent.chmod(0o755)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "chỉ cho đọc" in lines[0], result.stderr


@pytest.mark.parametrize(
    ("pragma", "words"),
    [("PRAGMA query_only=ON", "chỉ cho đọc"), ("PRAGMA max_page_count=1", "đã đầy")],
)
@pytest.mark.skipif(on_postgres(), reason="the pragmas are SQLite's")
def test_it_names_a_refused_write_in_vietnamese(tmp_path: Path, pragma: str, words: str) -> None:
    db = make_engine(f"sqlite:///{tmp_path / 'refusing.db'}")
    with db.begin() as connection:
        connection.execute(text("CREATE TABLE t (x TEXT)"))
    db.dispose()

    @event.listens_for(db, "connect")
    def _refuse(dbapi_connection: DBAPIConnection, _record: object) -> None:
        dbapi_connection.cursor().execute(pragma)

    with pytest.raises(Exception) as raised, db.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (:x)"), [{"x": "a" * 4000}] * 50)
    fault = database_fault(raised.value)
    assert fault is not None and words in fault
    db.dispose()
