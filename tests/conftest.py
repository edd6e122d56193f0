"""Shared fixtures. Fixture modules for the loopback servers live in tests/fakes/."""

from __future__ import annotations

pytest_plugins: list[str] = ["tests.fakes.smtp_server", "tests.fakes.bot_api"]
