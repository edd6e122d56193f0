"""`nhacviec run` as a user starts it: loads, works, stops on a signal, and restarts where it was."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w

from tests.cli.engine_process import run_until
from tests.fakes.database import database_url, is_empty

ROOT = Path(__file__).resolve().parents[2]


def write_config(tmp_path: Path) -> Path:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["plans"][0]["file"] = str(ROOT / "examples" / "nam-dong-2024.docx")
    data["database"]["url"] = database_url(tmp_path, "run-test")
    target = tmp_path / "config.toml"
    target.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return target


REPLAY = ["--replay-from", "02/01/2024", "--speed", "400000"]


def test_it_runs_the_example_until_interrupted_and_resumes(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    first = run_until(
        config, REPLAY, "→ ", timeout=60.0
    )  # a reminder delivered: one line, recipient and channel
    assert "Kế hoạch" in first and "22 dòng" in first
    assert "Đã dừng" in first and "đã gửi" in first  # the summary when stopped
    assert "outcome=" not in first and "INFO" not in first, "quiet: the engine's log is -v"
    assert not is_empty(tomllib.loads(config.read_text(encoding="utf-8"))["database"]["url"])
    assert list((tmp_path / "var" / "outbox").glob("*.eml")), "emails are written to the outbox"
    second = run_until(config, REPLAY, "Đang chạy", timeout=60.0)
    assert "Việc mới 0" in second, "the second run reuses the first one's database"
