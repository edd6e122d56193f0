from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhacviec.cli.notify_cmd import app
from nhacviec.config import load_config
from tests.fakes.bot_api import TOKEN, FakeBotApi
from tests.fakes.database import database_url, is_empty
from tests.fakes.smtp_server import SMTP_PASSWORD, SMTP_USER, FakeSmtpServer

PEOPLE = """
[[roles]]
id = "qmr"
name = "Đại diện lãnh đạo về chất lượng"
people = ["nguyen-van-an"]

[[roles]]
id = "lanh-dao"
name = "Lãnh đạo UBND huyện"

[[people]]
id = "nguyen-van-an"
name = "Nguyễn Văn An"
email = "an.nv@namdong.example.vn"
telegram_chat_id = 1001

[[people]]
id = "tran-thi-binh"
name = "Trần Thị Bình"
email = "binh.tt@namdong.example.vn"

[[people]]
id = "pham-van-dung"
name = "Phạm Văn Dũng"
"""


def write_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"""
[database]
url = "{database_url(tmp_path, "notify")}"

[email]
from = "nhacviec@namdong.example.vn"
sender_name = "Nhắc việc ISO - UBND huyện Nam Đông"
outbox_dir = "var/outbox"

[telegram]
token_env = "NV_TEST_TELEGRAM_TOKEN"
{extra}
{PEOPLE}""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("NV_TEST_TELEGRAM_TOKEN", raising=False)
    monkeypatch.delenv("NHACVIEC_CONFIG", raising=False)
    return CliRunner()


def test_it_sends_the_test_message_to_files_and_the_console_by_default(
    tmp_path: Path, runner: CliRunner
) -> None:
    config = write_config(tmp_path)

    result = runner.invoke(app, ["test", "nguyen-van-an", "--config", str(config)])

    assert result.exit_code == 0, result.output
    assert "Gửi thử tới Nguyễn Văn An (nguyen-van-an):" in result.output
    assert "email    → an.nv@namdong.example.vn: đã gửi" in result.output
    assert "Telegram → 1001: đã gửi (console)" in result.output
    assert "Tin nhắn thử" in result.output  # the console's stand-in for Telegram
    [eml] = (tmp_path / "var" / "outbox").iterdir()
    mail = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert mail["Subject"] == "[Nhắc việc] Tin nhắn thử"
    body = mail.get_body(("plain",))
    assert body is not None
    assert "kênh email đã hoạt động" in body.get_content()
    assert is_empty(load_config(config).database_url())  # a test creates no database


def test_it_skips_a_channel_the_person_does_not_have(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["test", "tran-thi-binh", "--config", str(write_config(tmp_path))])

    assert result.exit_code == 0, result.output
    assert "Telegram —  bỏ qua: chưa khai báo địa chỉ" in result.output


def test_it_sends_over_smtp_and_the_bot_api_when_configured(
    tmp_path: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server: FakeSmtpServer,
    bot_api: FakeBotApi,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(smtp_server.ca.ca_file))
    monkeypatch.setenv("NV_TEST_SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.setenv("NV_TEST_TELEGRAM_TOKEN", TOKEN)
    config = write_config(
        tmp_path,
        f"""
base_url = "{bot_api.base_url}"
base_file_url = "{bot_api.base_file_url}"

[email.smtp]
host = "127.0.0.1"
port = {smtp_server.port}
security = "starttls"
username = "{SMTP_USER}"
password_env = "NV_TEST_SMTP_PASSWORD"
""",
    )

    result = runner.invoke(app, ["test", "nguyen-van-an", "--config", str(config)])

    assert result.exit_code == 0, result.output
    assert "Telegram → 1001: đã gửi (1001:1)" in result.output
    [received] = smtp_server.messages
    assert received.message["Subject"] == "[Nhắc việc] Tin nhắn thử"
    assert bot_api.messages(1001)[0]["text"].startswith("<b>Tin nhắn thử</b>")


def test_it_reports_the_reason_a_channel_failed(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, bot_api: FakeBotApi
) -> None:
    monkeypatch.setenv("NV_TEST_TELEGRAM_TOKEN", TOKEN)
    bot_api.fail("sendMessage", 403)
    config = write_config(tmp_path, f'base_url = "{bot_api.base_url}"')

    result = runner.invoke(app, ["test", "nguyen-van-an", "--config", str(config)])

    assert result.exit_code == 1
    assert "email    → an.nv@namdong.example.vn: đã gửi" in result.output
    assert "Telegram → 1001: thất bại — người nhận đã chặn bot" in result.output


def test_it_rejects_an_unknown_person_with_suggestions(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["test", "nguyen-van-anh", "--config", str(write_config(tmp_path))])

    assert result.exit_code == 1
    assert result.output.startswith("Lỗi: không có người 'nguyen-van-anh' trong danh bạ.")
    assert "Có phải: nguyen-van-an (Nguyễn Văn An)?" in result.output


def test_it_fails_for_a_person_with_no_channel(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["test", "pham-van-dung", "--config", str(write_config(tmp_path))])

    assert result.exit_code == 1
    assert "Lỗi: Phạm Văn Dũng (pham-van-dung) chưa có email hay Telegram" in result.output


def test_it_reports_a_config_it_cannot_read(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["test", "nguyen-van-an", "--config", str(tmp_path / "missing.toml")]
    )

    assert result.exit_code == 1
    assert result.output.startswith("Lỗi: không đọc được")
