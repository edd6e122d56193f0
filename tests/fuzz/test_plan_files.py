"""`nhacviec plan check` on damaged Word and Excel files: the project's own one-line error
(or the usual report when the damage left a readable plan), never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from nhacviec.cli import app
from tests.fuzz.archives import Damaged, damaged
from tests.fuzz.verdict import assert_own_error

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(file: Damaged) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"ke-hoach.{file.suffix}"
        path.write_bytes(file.content)
        result = CliRunner().invoke(app, ["plan", "check", str(path)])
    assert_own_error(result, allow_success=True)


@_SETTINGS
@given(damaged("docx"))
def test_it_reads_a_damaged_word_file_or_says_why_not(file: Damaged) -> None:
    _check(file)


@_SETTINGS
@given(damaged("xlsx"))
def test_it_reads_a_damaged_excel_file_or_says_why_not(file: Damaged) -> None:
    _check(file)
