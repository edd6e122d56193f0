"""Shared fixtures. Fixture modules for the loopback servers live in tests/fakes/."""

from __future__ import annotations

import os
import tempfile

from hypothesis import settings

pytest_plugins: list[str] = ["tests.fakes.smtp_server", "tests.fakes.bot_api"]

# `make test` tries the same examples on every machine, so a red CI is one a developer can
# reproduce; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) draws new ones on every run, to find
# what the fixed ones miss.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("fuzz", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# The timing parser's tables (nhacviec/parser_cache.py) go to a folder of this run, not to
# the home folder of the machine running the tests; CLI subprocesses inherit it.
os.environ.setdefault("NHACVIEC_CACHE_DIR", tempfile.mkdtemp(prefix="nhacviec-test-cache-"))
