"""[web] in config.toml: validated like every section; the secret only from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from nhacviec.config import ConfigError, load_config, masked
from nhacviec.web_wiring import build_web
from nhacviec.wiring import engine_context
from notifications.web.ratelimit import FailureLimiter
from scheduler.clock import ManualClock
from scheduler.db import open_database
from tests.web.conftest import write_config


def test_it_names_a_bad_listen_address(tmp_path: Path) -> None:
    path = write_config(tmp_path, listen="8080")
    with pytest.raises(ConfigError, match=r"web\.listen"):
        load_config(path)


def test_it_needs_the_secret_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NHACVIEC_WEB_SECRET")
    config = load_config(write_config(tmp_path))
    assert masked(config)["web"]["secret"] == "(chưa đặt)"
    db = open_database(config.database_url())
    clock = ManualClock(__import__("datetime").datetime(2024, 7, 1, tzinfo=config.tz))
    with pytest.raises(ConfigError, match="NHACVIEC_WEB_SECRET"):
        build_web(config, db, engine_context(config), clock)
    db.dispose()


def test_it_blocks_a_client_after_too_many_failures() -> None:
    now = [0.0]
    limiter = FailureLimiter(limit=3, window_seconds=60, monotonic=lambda: now[0])
    for _ in range(3):
        assert not limiter.blocked("10.0.0.1")
        limiter.failed("10.0.0.1")
    assert limiter.blocked("10.0.0.1") and not limiter.blocked("10.0.0.2")
    now[0] = 61.0
    assert not limiter.blocked("10.0.0.1"), "the window slides"
