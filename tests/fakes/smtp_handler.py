"""What the fake SMTP server does with a session: failures on demand, messages kept."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from typing import TYPE_CHECKING

from aiosmtpd.smtp import SMTP, Envelope, LoginPassword, Session

if TYPE_CHECKING:
    from tests.fakes.smtp_server import FakeSmtpServer


@dataclass
class ReceivedMessage:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    connection: int  # which connection (1, 2, ...) carried it
    login: str | None
    tls: bool

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class SmtpHandler:
    """aiosmtpd's handler: each stage may answer a failure the test asked for."""

    def __init__(self, fake: FakeSmtpServer) -> None:
        self.fake = fake

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        failure = self.fake.take_failure("mail")
        if failure:
            return failure
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        failure = self.fake.take_failure("rcpt", address)
        if failure:
            return failure
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        failure = self.fake.take_failure("data")
        if failure:
            return failure
        data = envelope.original_content or envelope.content or b""
        # aiosmtpd gives text only with decode_data=True, which this server never sets.
        assert isinstance(data, bytes)
        login = (
            session.auth_data.login.decode()
            if isinstance(session.auth_data, LoginPassword)
            else None
        )
        self.fake.messages.append(
            ReceivedMessage(
                mail_from=envelope.mail_from or "",
                rcpt_tos=list(envelope.rcpt_tos),
                data=data,
                connection=getattr(server, "connection_number", 0),
                login=login,
                tls=session.ssl is not None or self.fake.implicit_tls,
            )
        )
        return "250 Message accepted for delivery"
