"""A database file removed under a running engine stops it with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_concurrent_start import Engine, wait_for, write_config
from tests.fakes.database import on_postgres


@pytest.mark.skipif(on_postgres(), reason="a database file is SQLite's")
def test_it_stops_with_one_line_when_the_database_file_is_removed(tmp_path: Path) -> None:
    config, url = write_config(tmp_path)
    engine = Engine(config)
    try:
        wait_for(lambda: "outcome=sent" in engine.output, "a reminder to be delivered")
        database = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        wait_for(lambda: engine.process.poll() is not None, "the engine to stop", within=30)
    finally:
        code = engine.stop()
    assert code == 1, engine.output
    assert engine.output.count("đã bị xoá hoặc thay thế") == 2, engine.output  # log + Error:
    assert "Traceback" not in engine.output
    assert not database.exists(), "nothing wrote a new, empty database"
