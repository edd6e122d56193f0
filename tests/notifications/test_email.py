from __future__ import annotations

import asyncio
import socket
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from notifications.base import BOUNCED, NO_CHANNEL, DeliveryError, OutgoingMessage, Recipient
from notifications.email import SmtpChannel
from notifications.mime import message_id
from notifications.render import Renderer
from tests.fakes.smtp_server import SMTP_PASSWORD, SMTP_USER, FakeSmtpServer
from tests.notifications.sample import AN, context

T = TypeVar("T")
SENDER = "nhacviec@namdong.example.vn"
SENDER_NAME = "Nhắc việc ISO - UBND huyện Nam Đông"


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def channel_for(server: FakeSmtpServer, **overrides: Any) -> SmtpChannel:
    password = overrides.pop("password", SMTP_PASSWORD)
    return SmtpChannel(
        server.config(**overrides),
        sender=SENDER,
        sender_name=SENDER_NAME,
        password=password,
        tls_context=server.client_context(),
    )


def reminder(key: str = "occ12/L2/nguyen-van-an/email", to: Recipient = AN) -> OutgoingMessage:
    return Renderer().render("reminder_before", context(), to, key)


async def send_all(channel: SmtpChannel, messages: list[OutgoingMessage]) -> list[str | None]:
    ids = []
    async with channel.batch():
        for message in messages:
            ids.append((await channel.send(message)).external_id)
    return ids


def failure(coro: Coroutine[Any, Any, Any]) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        run(coro)
    return caught.value


def test_it_sends_text_and_html_with_vietnamese_headers(smtp_server: FakeSmtpServer) -> None:
    result = run(channel_for(smtp_server).send(reminder()))

    [received] = smtp_server.messages
    mail = received.message
    assert mail["Subject"] == (
        "[Nhắc việc] Còn 7 ngày: I.3 Xây dựng chương trình ĐGNB và "
        "triển khai ĐGNB (hạn thứ Sáu, 30/08/2024)"
    )
    assert mail["From"].addresses[0].display_name == SENDER_NAME
    assert mail["From"].addresses[0].addr_spec == SENDER
    assert mail["To"].addresses[0].display_name == "Nguyễn Văn An"
    assert received.rcpt_tos == ["an.nv@namdong.example.vn"]
    assert (
        mail["Message-ID"]
        == result.external_id
        == message_id("occ12/L2/nguyen-van-an/email", "namdong.example.vn")
    )
    plain, rich = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and rich is not None
    text, html = plain.get_content(), rich.get_content()
    assert "Kính gửi Nguyễn Văn An," in text
    assert "Hạn chót: thứ Sáu, 30/08/2024 — còn 7 ngày (5 ngày làm việc)" in text
    assert "<strong>Xây dựng chương trình ĐGNB và triển khai ĐGNB</strong>" in html
    assert received.login == SMTP_USER and received.tls


def test_it_encodes_the_subject_and_names_for_old_mail_readers(smtp_server: FakeSmtpServer) -> None:
    run(channel_for(smtp_server).send(reminder()))

    raw_headers = smtp_server.messages[0].data.split(b"\r\n\r\n")[0]
    raw_headers.decode("ascii")  # RFC 2047 encoded words: no raw UTF-8 in headers
    assert b"=?utf-8?" in raw_headers


def test_it_sends_over_implicit_tls(smtps_server: FakeSmtpServer) -> None:
    run(channel_for(smtps_server).send(reminder()))

    assert smtps_server.messages[0].tls
    assert smtps_server.messages[0].login == SMTP_USER


def test_it_reuses_one_connection_for_a_batch(smtp_server: FakeSmtpServer) -> None:
    messages = [reminder(f"occ12/L2/p{i}/email") for i in range(5)]

    run(send_all(channel_for(smtp_server), messages))

    assert len(smtp_server.messages) == 5
    assert smtp_server.connections == 1


def test_it_opens_a_connection_per_message_outside_a_batch(smtp_server: FakeSmtpServer) -> None:
    channel = channel_for(smtp_server)

    async def one_by_one() -> None:
        for i in range(3):
            await channel.send(reminder(f"occ12/L2/p{i}/email"))

    run(one_by_one())

    assert smtp_server.connections == 3


def test_it_renews_the_connection_after_batch_size_messages(smtp_server: FakeSmtpServer) -> None:
    messages = [reminder(f"occ12/L2/p{i}/email") for i in range(5)]

    run(send_all(channel_for(smtp_server, batch_size=2), messages))

    assert [m.connection for m in smtp_server.messages] == [1, 1, 2, 2, 3]


def test_it_reconnects_when_the_server_dropped_the_connection(smtp_server: FakeSmtpServer) -> None:
    channel = channel_for(smtp_server)

    async def with_a_drop() -> None:
        async with channel.batch():
            await channel.send(reminder("k1"))
            smtp_server.drop_connections()
            await asyncio.sleep(0.05)  # let the client see the close
            await channel.send(reminder("k2"))

    run(with_a_drop())

    assert [m.connection for m in smtp_server.messages] == [1, 2]


def test_it_gives_a_resend_the_same_message_id(smtp_server: FakeSmtpServer) -> None:
    channel = channel_for(smtp_server)

    run(
        send_all(
            channel,
            [
                reminder("occ12/L2/a/email"),
                reminder("occ12/L2/a/email"),
                reminder("occ12/L3/a/email"),
            ],
        )
    )

    ids = [m.message["Message-ID"] for m in smtp_server.messages]
    assert ids[0] == ids[1] != ids[2]


def test_it_treats_a_4xx_answer_as_transient(smtp_server: FakeSmtpServer) -> None:
    smtp_server.fail("data", 451, "Greylisted, try again later")

    error = failure(channel_for(smtp_server).send(reminder()))

    assert not error.permanent and error.problem is None
    assert "451" in str(error)
    assert smtp_server.messages == []


def test_it_treats_a_refused_recipient_as_a_permanent_bounce(smtp_server: FakeSmtpServer) -> None:
    smtp_server.fail("rcpt", 550, "5.1.1 Mailbox does not exist")

    error = failure(channel_for(smtp_server).send(reminder()))

    assert error.permanent and error.problem == BOUNCED
    assert "550" in str(error)


def test_it_treats_a_5xx_on_the_message_as_permanent(smtp_server: FakeSmtpServer) -> None:
    smtp_server.fail("data", 554, "Message rejected")

    error = failure(channel_for(smtp_server).send(reminder()))

    assert error.permanent and error.problem == BOUNCED


def test_it_keeps_the_connection_after_a_refused_recipient(smtp_server: FakeSmtpServer) -> None:
    smtp_server.fail("rcpt", 550, address="an.nv@namdong.example.vn")
    channel = channel_for(smtp_server)
    other = Recipient("tran-thi-binh", "Trần Thị Bình", "binh.tt@namdong.example.vn")

    async def mixed() -> list[bool]:
        outcomes = []
        async with channel.batch():
            for message in (reminder("k1"), reminder("k2", other)):
                try:
                    await channel.send(message)
                    outcomes.append(True)
                except DeliveryError:
                    outcomes.append(False)
        return outcomes

    assert run(mixed()) == [False, True]
    assert smtp_server.connections == 1


def test_it_treats_a_login_failure_as_transient(smtp_server: FakeSmtpServer) -> None:
    error = failure(channel_for(smtp_server, password="sai-mật-khẩu").send(reminder()))

    assert not error.permanent and error.problem is None
    assert "đăng nhập" in str(error)


def test_it_treats_a_closed_port_as_transient(smtp_server: FakeSmtpServer) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    error = failure(channel_for(smtp_server, port=closed_port).send(reminder()))

    assert not error.permanent


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        yield listener.getsockname()[1]


def test_it_gives_up_on_a_silent_server_after_the_timeout(
    smtp_server: FakeSmtpServer, silent_port: int
) -> None:
    error = failure(channel_for(smtp_server, port=silent_port, timeout=0.3).send(reminder()))

    assert not error.permanent


def test_it_stops_trying_an_unreachable_server_for_the_rest_of_a_batch(
    smtp_server: FakeSmtpServer,
) -> None:
    with socket.socket() as listener:  # accepts connections, never speaks
        listener.bind(("127.0.0.1", 0))
        listener.listen(10)
        channel = channel_for(smtp_server, port=listener.getsockname()[1], timeout=0.3)

        async def batch_of_three() -> list[bool]:
            outcomes = []
            async with channel.batch():
                for i in range(3):
                    try:
                        await channel.send(reminder(f"k{i}"))
                    except DeliveryError as exc:
                        outcomes.append(exc.permanent)
            return outcomes

        assert run(batch_of_three()) == [False, False, False]
        listener.setblocking(False)
        attempts = 0
        while True:
            try:
                listener.accept()[0].close()
            except BlockingIOError:
                break
            attempts += 1

    assert attempts == 1


def test_it_refuses_a_person_without_an_address(smtp_server: FakeSmtpServer) -> None:
    nobody = Recipient("le-van-dung", "Lê Văn Dũng")

    error = failure(channel_for(smtp_server).send(reminder(to=nobody)))

    assert error.permanent and error.problem == NO_CHANNEL
    assert smtp_server.connections == 0
