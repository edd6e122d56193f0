"""Start `nhacviec run` as a user does, wait for a line, and stop it as Ctrl-C does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def run_until(config: Path, extra: list[str], marker: str, timeout: float = 90.0) -> str:
    """The engine's whole output, once `marker` appeared and SIGINT stopped it cleanly."""
    env = {**os.environ, "COLUMNS": "200", "NHACVIEC_TELEGRAM_TOKEN": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "nhacviec", "run", "-c", str(config), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=config.parent,
    )
    assert process.stdout is not None
    output = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            if marker in line:
                process.send_signal(signal.SIGINT)
                break
        rest, _ = process.communicate(timeout=60)
        output.append(rest)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, "".join(output)
    return "".join(output)
