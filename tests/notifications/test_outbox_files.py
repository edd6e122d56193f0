from __future__ import annotations

import asyncio
import email
import email.policy
import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from nhacviec.config import Config, parse_config
from nhacviec.wiring import configured_channels
from notifications.base import NO_CHANNEL, DeliveryError, Recipient
from notifications.email import SmtpChannel
from notifications.outbox_files import ConsoleChannel, EmlFileChannel, safe_file_name
from notifications.render import Renderer
from notifications.telegram import TelegramChannel
from tests.notifications.sample import AN, ROLES, context

KEY = "occ12/L2/nguyen-van-an/email"


def reminder(key: str = KEY, to: Recipient = AN) -> Any:
    return Renderer().render("reminder_before", context(), to, key)


def eml_channel(tmp_path: Path) -> EmlFileChannel:
    return EmlFileChannel(
        tmp_path / "outbox", sender="nhacviec@namdong.example.vn", sender_name="Nhắc việc ISO"
    )


def test_it_writes_each_email_as_an_eml_file(tmp_path: Path) -> None:
    result = asyncio.run(eml_channel(tmp_path).send(reminder()))

    [path] = (tmp_path / "outbox").iterdir()
    assert path.name.startswith("occ12_L2_nguyen-van-an_email-") and path.suffix == ".eml"
    mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert mail["Subject"].startswith("[Nhắc việc] Còn 7 ngày: I.3")
    assert mail["To"].addresses[0].display_name == "Nguyễn Văn An"
    assert mail["Message-ID"] == result.external_id
    body = mail.get_body(("plain",))
    assert body is not None
    assert "thứ Sáu, 30/08/2024" in body.get_content()
    assert result.detail == str(path)


def test_it_overwrites_the_same_file_when_a_key_is_sent_again(tmp_path: Path) -> None:
    channel = eml_channel(tmp_path)

    async def twice() -> None:
        await channel.send(reminder())
        await channel.send(reminder())
        await channel.send(reminder("occ12/L3/nguyen-van-an/email"))

    asyncio.run(twice())

    assert len(list((tmp_path / "outbox").iterdir())) == 2


def test_it_keeps_file_names_safe_and_distinct() -> None:
    assert safe_file_name("../../etc/passwd") != safe_file_name("etc/passwd")
    assert "/" not in safe_file_name("../../etc/passwd")
    assert not safe_file_name("../x").startswith(".")
    assert len(safe_file_name("x" * 500)) < 140


def test_it_prints_telegram_messages_to_the_console() -> None:
    out = io.StringIO()
    channel = ConsoleChannel(Console(file=out, width=100, color_system=None))

    task = {"task": "Rà soát <TTHC> & cập nhật"}
    message = Renderer().render("reminder_before", context(row=task), AN, KEY)

    asyncio.run(channel.send(message))

    printed = out.getvalue()
    assert "Telegram → Nguyễn Văn An (1001)" in printed
    assert "Sắp đến hạn: còn 7 ngày (5 ngày làm việc)" in printed
    assert "Rà soát <TTHC> & cập nhật" in printed  # what the phone shows, not the markup
    assert "[✅ Đã hoàn thành]" in printed
    assert "<b>" not in printed and "&amp;" not in printed


def test_it_needs_an_address_even_on_the_console(tmp_path: Path) -> None:
    nobody = Recipient("le-van-dung", "Lê Văn Dũng")

    for channel in (ConsoleChannel(Console(file=io.StringIO())), eml_channel(tmp_path)):
        with pytest.raises(DeliveryError) as caught:
            asyncio.run(channel.send(reminder(to=nobody)))
        assert caught.value.permanent and caught.value.problem == NO_CHANNEL


def config(tmp_path: Path, **sections: Any) -> Config:
    return parse_config(
        {
            "email": {
                "from": "nhacviec@namdong.example.vn",
                "outbox_dir": "var/outbox",
                **sections.get("email", {}),
            },
            "telegram": {"token_env": "NV_TEST_TOKEN", **sections.get("telegram", {})},
            "roles": ROLES,
        },
        base_dir=tmp_path,
    )


def test_it_builds_file_and_console_channels_when_nothing_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NV_TEST_TOKEN", raising=False)

    channels = configured_channels(config(tmp_path))

    assert isinstance(channels["email"], EmlFileChannel)
    assert channels["email"].outbox_dir == tmp_path / "var" / "outbox"
    assert isinstance(channels["telegram"], ConsoleChannel)


def test_it_builds_smtp_and_bot_channels_when_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NV_TEST_TOKEN", "123:abc")

    channels = configured_channels(
        config(
            tmp_path,
            email={"smtp": {"host": "127.0.0.1", "port": 2525}},
            telegram={"base_url": "http://127.0.0.1:9/bot"},
        )
    )

    assert isinstance(channels["email"], SmtpChannel)
    assert isinstance(channels["telegram"], TelegramChannel)
    assert channels["telegram"].bot.base_url == "http://127.0.0.1:9/bot123:abc"
