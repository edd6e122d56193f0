"""`nhacviec run` with [web]: the web app serves in the engine process and stops with it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import tomli_w

from tests.cli.test_run import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_serves_the_web_app_while_the_engine_runs(tmp_path: Path) -> None:
    port = _free_port()
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    data["database"]["url"] = "sqlite:///var/run-web.db"
    data["web"] = {"listen": f"127.0.0.1:{port}", "base_url": f"http://127.0.0.1:{port}"}
    config = tmp_path / "config.toml"
    config.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    env = {
        **os.environ,
        "COLUMNS": "200",
        "NHACVIEC_TELEGRAM_TOKEN": "",
        "NHACVIEC_WEB_SECRET": "run-test-secret-0123456789",
    }
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "nhacviec", "run", "--config", str(config)),
            *("--replay-from", "02/01/2024", "--speed", "1"),  # the real clock refuses 2024
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert process.stdout is not None
    output: list[str] = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            if "Trang web đang chạy:" in line:
                break
        assert any("Trang web đang chạy:" in line for line in output), "".join(output)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap", timeout=10) as page:
            body = page.read().decode("utf-8")
        assert "Đăng nhập bảng theo dõi" in body
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
        output.append(rest)
    finally:
        if process.poll() is None:
            process.kill()
    text = "".join(output)
    assert process.returncode == 0, text
    assert "Đã dừng" in text
