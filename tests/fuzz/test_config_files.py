"""`nhacviec config check` on broken config files: the project's own report, in Vietnamese,
naming the key (or OK when the change happened to be valid), never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from nhacviec.cli import app
from tests.fuzz.configs import Mutated, mutated_config
from tests.fuzz.verdict import assert_own_error


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_config())
def test_it_checks_a_broken_config_or_says_what_to_fix(config: Mutated) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_text(config.text, encoding="utf-8")
        result = CliRunner().invoke(app, ["config", "check", "-c", str(path)])
    assert_own_error(result, allow_success=True, one_line=False)
    if result.exit_code == 0:
        assert result.stdout.rstrip().splitlines()[-1].startswith("OK:"), result.stdout
