"""A fault of ours reaches people as one Vietnamese line; the traceback goes to a file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhacviec.cli import COMMANDS, app


def broken_command() -> None:
    """Stands for any command with a bug in it."""
    raise ZeroDivisionError("chia cho 0 ở đâu đó")


def test_it_says_an_internal_error_in_one_line_and_keeps_the_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(COMMANDS, "hong", (__name__, "broken_command", "Lệnh hỏng."))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.delenv("NHACVIEC_DEBUG", raising=False)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = CliRunner().invoke(app, ["hong"])
    assert result.exit_code == 70
    said = result.output.strip()
    assert "Traceback" not in said and len(said.splitlines()) == 1
    assert said.startswith("Lỗi nội bộ của nhacviec") and "ZeroDivisionError" in said
    logged = re.search(r"ghi vào (\S+\.txt)", said)
    assert logged is not None
    kept = Path(logged.group(1)).read_text(encoding="utf-8")
    assert "Traceback" in kept and "chia cho 0 ở đâu đó" in kept
    assert Path(logged.group(1)).parent == tmp_path


def test_it_shows_the_traceback_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(COMMANDS, "hong", (__name__, "broken_command", "Lệnh hỏng."))
    monkeypatch.setenv("NHACVIEC_DEBUG", "1")
    result = CliRunner().invoke(app, ["hong"])
    assert isinstance(result.exception, ZeroDivisionError)
