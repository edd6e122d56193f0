"""`nhacviec people invite | links | unlink`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from sqlmodel import Session, select
from typer.testing import CliRunner

from nhacviec.cli.common import CommandError
from nhacviec.cli.people_cmd import people_app
from nhacviec.config import load_config
from notifications.bot.linking import redeem_invite
from scheduler.db import open_database
from scheduler.models import InviteCode, TelegramLink
from tests.bot.conftest import PHAM, ROOT
from tests.fakes.bot_api import TOKEN, FakeBotApi
from tests.fakes.database import database_url

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(people_app, name="people")
    return app


def _url(tmp_path: Path) -> str:
    """One database per test, however often the test writes its config file."""
    if tmp_path not in _URLS:
        _URLS[tmp_path] = database_url(tmp_path, "cli")
    return _URLS[tmp_path]


_URLS: dict[Path, str] = {}


def _config_file(tmp_path: Path, api: FakeBotApi) -> Path:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('url = "sqlite:///var/nhacviec.db"', f'url = "{_url(tmp_path)}"')
    text = text.replace(
        'token_env = "NHACVIEC_TELEGRAM_TOKEN"',
        f'token_env = "NHACVIEC_TELEGRAM_TOKEN"\nbase_url = "{api.base_url}"',
    )
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _invites(path: Path) -> list[InviteCode]:
    with Session(open_database(_url(path.parent))) as session:
        return list(session.exec(select(InviteCode)))


def test_it_prints_an_invite_code_with_a_deep_link(
    tmp_path: Path, bot_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHACVIEC_TELEGRAM_TOKEN", TOKEN)
    config = _config_file(tmp_path, bot_api)
    result = runner.invoke(_app(), ["people", "invite", PHAM, "--config", str(config)])
    assert result.exit_code == 0, result.output
    (invite,) = _invites(config)
    assert f"Mã liên kết cho Phạm Văn Trường: {invite.code}" in result.output
    assert f"https://t.me/nhacviec_test_bot?start={invite.code}" in result.output
    assert f"/start {invite.code}" in result.output
    assert invite.expires_at - invite.created_at == timedelta(hours=72)
    assert invite.person_id == "pham-truong-ktht" and bot_api.calls("getMe")


def test_it_invites_a_unit_group_without_asking_telegram_when_there_is_no_token(
    tmp_path: Path, bot_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NHACVIEC_TELEGRAM_TOKEN", raising=False)
    config = _config_file(tmp_path, bot_api)
    plain = runner.invoke(
        _app(), ["people", "invite", "--unit", "ktht", "--hours", "24", "--config", str(config)]
    )
    named = runner.invoke(
        _app(), ["people", "invite", "--unit", "ktht", "--bot", "@nv_bot", "--config", str(config)]
    )
    assert plain.exit_code == 0 and named.exit_code == 0
    assert "t.me" not in plain.output and "trong nhóm Telegram của đơn vị" in plain.output
    assert re.search(r"https://t\.me/nv_bot\?startgroup=[A-Z0-9]{10}", named.output)
    assert bot_api.requests == []
    assert {i.unit_id for i in _invites(config)} == {"ktht"}


def test_it_refuses_an_unknown_person_or_both_kinds(tmp_path: Path, bot_api: FakeBotApi) -> None:
    config = _config_file(tmp_path, bot_api)
    unknown = runner.invoke(_app(), ["people", "invite", "ai-do", "--config", str(config)])
    both = runner.invoke(
        _app(), ["people", "invite", "pham-truong-ktht", "--unit", "ktht", "--config", str(config)]
    )
    assert isinstance(unknown.exception, CommandError) and "ai-do" in str(unknown.exception)
    assert isinstance(both.exception, CommandError)


def test_it_lists_and_ends_links(tmp_path: Path, bot_api: FakeBotApi) -> None:
    config = _config_file(tmp_path, bot_api)
    db = open_database(_url(tmp_path))
    invite = runner.invoke(_app(), ["people", "invite", PHAM, "--config", str(config)])
    found = re.search(r": ([A-Z0-9]{10}) ", invite.output)
    assert found is not None, invite.output
    code = found.group(1)
    # The CLI stamps invites with the engine's now: the real one for a database never replayed.
    redeem_invite(db, load_config(config).directory(), code, 7003, True, datetime.now(UTC), "test")
    listed = runner.invoke(_app(), ["people", "links", "--config", str(config)])
    ended = runner.invoke(_app(), ["people", "unlink", "pham-truong-ktht", "--config", str(config)])
    assert "7003" in listed.output and "Phạm Văn Trường" in listed.output
    assert "Đã gỡ 1 liên kết." in ended.output
    with Session(db) as session:
        (link,) = session.exec(select(TelegramLink))
    assert link.unlinked_at is not None
