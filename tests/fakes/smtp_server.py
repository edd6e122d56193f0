"""A real SMTP server on 127.0.0.1 for tests: aiosmtpd with STARTTLS and AUTH.

Fixtures:
    smtp_ca       a throwaway certificate authority (trustme); `smtp_ca.client_context()`
                  trusts it, `smtp_ca.ca_file` is its PEM (for SSL_CERT_FILE).
    smtp_server   STARTTLS required, AUTH LOGIN/PLAIN required (SMTP_USER / SMTP_PASSWORD).
    smtps_server  the same behind implicit TLS (port 465 style).

A FakeSmtpServer records every accepted message (`.messages`, parsed with the default
policy so headers come back decoded) and counts connections (`.connections`). Failures
are switched on with `fail(stage, code)`: 4xx or 5xx at MAIL, RCPT or DATA, for the next
`times` messages (None: until `clear_failures()`), optionally for one address only.
`drop_connections()` closes every open connection, as an idle timeout would.

    def test_it_sends(smtp_server):
        channel = SmtpChannel(smtp_server.config(), sender=..., sender_name=...,
                              password=SMTP_PASSWORD, tls_context=smtp_server.client_context())
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from notifications.settings import SmtpConfig
from tests.fakes.smtp_handler import ReceivedMessage, SmtpHandler


class _QuietLegacyNotices(logging.Filter):
    """aiosmtpd logs a deprecation for its own use of Session.login_data on every login."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        return "login_data is deprecated" not in text and "auth_require_tls" not in text


logging.getLogger("mail.log").addFilter(_QuietLegacyNotices())

SMTP_USER = "nhacviec@namdong.example.vn"
SMTP_PASSWORD = "mật-khẩu-thử"


@dataclass
class _Failure:
    stage: str  # "mail" | "rcpt" | "data"
    code: int
    text: str
    times: int | None
    address: str | None = None


@dataclass
class CertificateAuthority:
    ca: trustme.CA
    ca_file: Path
    server_context: ssl.SSLContext = field(init=False)

    def __post_init__(self) -> None:
        self.server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(self.server_context)

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context


class FakeSmtpServer:
    def __init__(
        self, ca: CertificateAuthority, *, implicit_tls: bool = False, auth: bool = True
    ) -> None:
        self.ca = ca
        self.implicit_tls = implicit_tls
        self.messages: list[ReceivedMessage] = []
        self.connections = 0
        self.port = 0
        self._failures: list[_Failure] = []
        self._lock = threading.Lock()
        self._live: set[SMTP] = set()
        kwargs: dict[str, Any] = {"enable_SMTPUTF8": True}
        if auth:
            kwargs |= {"auth_required": True, "authenticator": self._authenticate}
        if implicit_tls:
            # The whole connection is TLS; aiosmtpd only knows about STARTTLS for this check.
            kwargs |= {"ssl_context": ca.server_context, "auth_require_tls": False}
        else:
            kwargs |= {"tls_context": ca.server_context, "require_starttls": True}
        self._controller = _Controller(self, **kwargs)

    # -- switches the tests use -------------------------------------------------------------

    def fail(
        self,
        stage: str,
        code: int,
        text: str = "",
        *,
        times: int | None = 1,
        address: str | None = None,
    ) -> None:
        """Answer `code` at `stage` ("mail", "rcpt", "data") for the next `times` messages."""
        default = "Try again later" if code < 500 else "Requested action not taken"
        with self._lock:
            self._failures.append(_Failure(stage, code, text or default, times, address))

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def drop_connections(self) -> None:
        """Close every open client connection from the server side, and wait for it."""

        async def close_all() -> None:
            for protocol in list(self._live):
                if protocol.transport is not None:
                    protocol.transport.close()
            await asyncio.sleep(0.01)

        asyncio.run_coroutine_threadsafe(close_all(), self._controller.loop).result(5)

    def config(self, **overrides: Any) -> SmtpConfig:
        values: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": self.port,
            "username": SMTP_USER,
            "timeout": 5.0,
            "security": "tls" if self.implicit_tls else "starttls",
        }
        return SmtpConfig(**(values | overrides))

    def client_context(self) -> ssl.SSLContext:
        return self.ca.client_context()

    # -- server side ------------------------------------------------------------------------

    def start(self) -> None:
        # Under implicit TLS aiosmtpd cannot tell AUTH is protected and warns per connection.
        # Set here, inside the test's own warning filters, so the suite's are left alone.
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        self._controller.start()
        self.connections = 0  # the controller's own start-up probe does not count

    def stop(self) -> None:
        self._controller.stop()

    def take_failure(self, stage: str, address: str | None = None) -> str | None:
        with self._lock:
            for failure in self._failures:
                if failure.stage == stage and failure.address in (None, address):
                    if failure.times is not None:
                        failure.times -= 1
                        if failure.times <= 0:
                            self._failures.remove(failure)
                    return f"{failure.code} {failure.text}"
        return None

    @staticmethod
    def _authenticate(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == SMTP_USER
            and auth_data.password.decode() == SMTP_PASSWORD
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data)


class _Controller(Controller):
    """Binds a free port on 127.0.0.1 and numbers the connections it serves."""

    def __init__(self, fake: FakeSmtpServer, **kwargs: Any) -> None:
        super().__init__(SmtpHandler(fake), hostname="127.0.0.1", port=0, **kwargs)
        self.fake = fake

    def factory(self) -> SMTP:
        smtpd = _TrackedSMTP(self.handler, self.fake, **self.SMTP_kwargs)
        self.fake.connections += 1
        smtpd.connection_number = self.fake.connections
        return smtpd

    def _create_server(self) -> Any:
        return self._bind()

    async def _bind(self) -> asyncio.AbstractServer:
        server = await self.loop.create_server(
            self._factory_invoker, host=self.hostname, port=0, ssl=self.ssl_context
        )
        self.port = self.fake.port = server.sockets[0].getsockname()[1]
        return server


class _TrackedSMTP(SMTP):
    connection_number = 0

    def __init__(self, handler: Any, fake: FakeSmtpServer, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.fake = fake

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.fake._live.add(self)

    def connection_lost(self, error: Exception | None) -> None:
        self.fake._live.discard(self)
        super().connection_lost(error)


@pytest.fixture(scope="session")
def smtp_ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    ca = trustme.CA()
    ca_file = tmp_path_factory.mktemp("smtp-ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return CertificateAuthority(ca, ca_file)


def _running(server: FakeSmtpServer) -> Iterator[FakeSmtpServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_server(smtp_ca: CertificateAuthority) -> Iterator[FakeSmtpServer]:
    yield from _running(FakeSmtpServer(smtp_ca))


@pytest.fixture
def smtps_server(smtp_ca: CertificateAuthority) -> Iterator[FakeSmtpServer]:
    yield from _running(FakeSmtpServer(smtp_ca, implicit_tls=True))
