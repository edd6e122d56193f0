"""`nhacviec run` as a user starts it: loads, works, stops on a signal, and restarts where it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parents[2]


def write_config(tmp_path: Path) -> Path:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    data["database"]["url"] = "sqlite:///var/run-test.db"
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return target


def run_until(config: Path, marker: str, timeout: float = 60.0) -> str:
    """Start the engine, wait for `marker` in its output, then interrupt it like Ctrl-C."""
    env = {**os.environ, "COLUMNS": "200", "NHACVIEC_TELEGRAM_TOKEN": ""}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nhacviec",
            "run",
            "--config",
            str(config),
            "--replay-from",
            "02/01/2024",
            "--speed",
            "400000",
        ],
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
        rest, _ = process.communicate(timeout=30)
        output.append(rest)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, "".join(output)
    return "".join(output)


def test_it_runs_the_example_until_interrupted_and_resumes(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    first = run_until(config, "→ ")  # a reminder delivered: one line, recipient and channel
    assert "Kế hoạch" in first and "22 dòng" in first
    assert "Đã dừng" in first and "đã gửi" in first  # the summary when stopped
    assert "outcome=" not in first and "INFO" not in first, "quiet: the engine's log is -v"
    assert (tmp_path / "var" / "run-test.db").exists()
    assert list((tmp_path / "var" / "outbox").glob("*.eml")), "emails are written to the outbox"
    second = run_until(config, "Đang chạy")
    assert "Việc mới 0" in second, "the second run reuses the first one's database"
