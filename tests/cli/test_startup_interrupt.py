"""Ctrl-C while `nhacviec run` starts (before its own signal handlers are in place) is one
Vietnamese line and exit 130, at whatever moment it comes; once running, a clean stop.

The moments are found, not guessed: the interpreter reports each finished import on
stderr (-X importtime), and the command prints a line after each stage of start-up, so
the signal is sent right after one of them (and, for one case, a few ms later)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from tests.cli.test_run import REPLAY, write_config

_IMPORTED = "import time:"  # -X importtime's lines, one per finished import


def _start(config: Path, *python: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *python, "-m", "nhacviec", "run", "-c", str(config), *REPLAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200", "NHACVIEC_TELEGRAM_TOKEN": ""},
        cwd=config.parent,
    )


def _wait_for(stream: IO[str], found: Callable[[str], bool], deadline: float) -> None:
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            raise AssertionError("the process ended before the moment came")
        if found(line):
            return
    raise AssertionError("the moment did not come in time")


def _interrupt(process: subprocess.Popen[str], pause: float) -> tuple[int, str]:
    if pause:
        time.sleep(pause)  # a later moment of the same stage; any moment must pass
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(_IMPORTED)]
    return process.returncode, "\n".join(lines)


@pytest.mark.parametrize(
    ("module", "pause"),
    [("nhacviec.cli", 0.0), ("typer", 0.0), ("nhacviec.cli", 0.05)],
    ids=["after-the-cli-import", "while-the-cli-imports", "a-little-later"],
)
def test_it_says_stopped_when_interrupted_while_importing(
    tmp_path: Path, module: str, pause: float
) -> None:
    process = _start(write_config(tmp_path), "-X", "importtime")
    assert process.stderr is not None
    try:
        imported = lambda line: line.rsplit("|", 1)[-1].strip() == module  # noqa: E731
        _wait_for(process.stderr, imported, time.monotonic() + 60)
        code, err = _interrupt(process, pause)
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in err, err
    assert (code, err) == (130, "Đã dừng."), (code, err)


@pytest.mark.parametrize("marker", ["Kế hoạch", "Đang chạy"], ids=["plans-loaded", "running"])
def test_it_says_stopped_when_interrupted_while_starting(tmp_path: Path, marker: str) -> None:
    process = _start(write_config(tmp_path))
    assert process.stdout is not None
    try:
        _wait_for(process.stdout, lambda line: marker in line, time.monotonic() + 90)
        code, err = _interrupt(process, 0.0)
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in err, err
    if marker == "Đang chạy":  # the engine's handlers are in place: a clean stop
        assert (code, err) == (0, ""), err
    else:
        assert (code, err) in ((130, "Đã dừng."), (0, "")), (code, err)
