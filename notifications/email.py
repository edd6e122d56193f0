"""Email over SMTP (aiosmtplib): STARTTLS or implicit TLS, login, one connection per batch."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.message import EmailMessage

import aiosmtplib

from notifications.base import (
    BOUNCED,
    Channel,
    DeliveryError,
    DeliveryResult,
    OutgoingMessage,
)
from notifications.mime import deliverable_email
from notifications.settings import EmailConfig, SmtpConfig


class SmtpChannel(Channel):
    """Sends through one SMTP server.

    Outside a batch each send opens and closes its own connection. Inside
    `async with channel.batch():` one connection is kept open and reused, renewed after
    `smtp.batch_size` messages (servers cap messages per connection) or when the server
    has dropped it. When the server cannot be reached, the rest of the batch fails at
    once (transient) instead of waiting out the timeout once per message.
    """

    name = "email"

    def __init__(
        self,
        smtp: SmtpConfig,
        *,
        sender: str,
        sender_name: str,
        password: str | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self._smtp = smtp
        self._sender = sender
        self._sender_name = sender_name
        self._password = password if password is not None else smtp.password()
        self._tls_context = tls_context
        self._client: aiosmtplib.SMTP | None = None
        self._sent_on_connection = 0
        self._batch_depth = 0
        self._unreachable: DeliveryError | None = None
        self._lock = asyncio.Lock()
        self.connections_opened = 0  # for benchmarks and tests

    @classmethod
    def from_config(
        cls, email: EmailConfig, *, tls_context: ssl.SSLContext | None = None
    ) -> SmtpChannel:
        if email.smtp is None:
            raise ValueError("email.smtp is not configured")
        return cls(
            email.smtp, sender=email.sender, sender_name=email.sender_name, tls_context=tls_context
        )

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._unreachable = None
                await self._disconnect()

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        mail = deliverable_email(message, sender=self._sender, sender_name=self._sender_name)
        async with self._lock:
            if self._unreachable is not None:
                raise self._unreachable
            try:
                response = await self._send_reconnecting(mail)
            finally:
                if self._batch_depth == 0 or self._sent_on_connection >= self._smtp.batch_size:
                    await self._disconnect()
        return DeliveryResult(external_id=str(mail["Message-ID"]), detail=response)

    async def close(self) -> None:
        async with self._lock:
            await self._disconnect()

    async def _send_reconnecting(self, mail: EmailMessage) -> str:
        reused = self._client is not None and self._sent_on_connection > 0
        client = await self._connection()
        try:
            _errors, response = await client.send_message(mail)
        except aiosmtplib.SMTPServerDisconnected as exc:
            self._forget_connection()
            if not reused:
                raise _map_send_error(exc) from None
            # Usually a kept-open connection the server closed while idle, so one fresh
            # connection is worth it. Had it died mid-message instead, the resend carries
            # the same Message-ID (at-least-once, like the dispatcher).
            client = await self._connection()
            try:
                _errors, response = await client.send_message(mail)
            except (TimeoutError, aiosmtplib.SMTPException, OSError) as again:
                self._drop_if_broken(again)
                raise _map_send_error(again) from None
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            self._drop_if_broken(exc)
            raise _map_send_error(exc) from None
        self._sent_on_connection += 1
        return response

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        self._forget_connection()
        client = aiosmtplib.SMTP(
            hostname=self._smtp.host,
            port=self._smtp.port,
            timeout=self._smtp.timeout,
            use_tls=self._smtp.security == "tls",
            start_tls=self._smtp.security == "starttls",
            tls_context=self._tls_context,
        )
        try:
            await client.connect()
            if self._smtp.username:
                await client.login(self._smtp.username, self._password or "")
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            client.close()
            error = _map_connect_error(exc, self._smtp)
            if self._batch_depth > 0:
                self._unreachable = error
            raise error from None
        self._client = client
        self._sent_on_connection = 0
        self.connections_opened += 1
        return client

    def _drop_if_broken(self, exc: BaseException) -> None:
        # A refused recipient leaves the connection usable (aiosmtplib sent RSET);
        # a timeout or a lost connection does not.
        if not isinstance(exc, aiosmtplib.SMTPResponseException | aiosmtplib.SMTPRecipientsRefused):
            self._forget_connection()

    def _forget_connection(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None
        self._sent_on_connection = 0

    async def _disconnect(self) -> None:
        client, self._client = self._client, None
        self._sent_on_connection = 0
        if client is None or not client.is_connected:
            return
        try:
            await client.quit()
        except (TimeoutError, aiosmtplib.SMTPException, OSError):
            client.close()


def _map_connect_error(exc: BaseException, smtp: SmtpConfig) -> DeliveryError:
    """Failing to connect or log in is our problem, not the recipient's: always retried."""
    where = f"{smtp.host}:{smtp.port}"
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return DeliveryError(
            f"máy chủ SMTP {where} từ chối đăng nhập: {exc.code} {exc.message}", permanent=False
        )
    return DeliveryError(f"không kết nối được máy chủ SMTP {where}: {exc}", permanent=False)


def _map_send_error(exc: BaseException) -> DeliveryError:
    """4xx and network trouble are transient; 5xx about the recipient or message is permanent."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        refused = exc.recipients[0]
        return _by_code(refused.code, f"địa chỉ bị từ chối: {refused.code} {refused.message}")
    if isinstance(exc, aiosmtplib.SMTPSenderRefused):
        # Our own From address: fixable in config, so keep retrying rather than give up.
        return DeliveryError(f"địa chỉ gửi bị từ chối: {exc.code} {exc.message}", permanent=False)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return _by_code(exc.code, f"máy chủ SMTP từ chối: {exc.code} {exc.message}")
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        # e.g. a non-ASCII address on a server without SMTPUTF8: resending will not help.
        return DeliveryError(f"máy chủ SMTP không hỗ trợ: {exc}", permanent=True, problem=BOUNCED)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return DeliveryError("máy chủ SMTP không trả lời kịp (timeout)", permanent=False)
    return DeliveryError(f"mất kết nối SMTP: {exc}", permanent=False)


def _by_code(code: int, text: str) -> DeliveryError:
    if 500 <= code < 600:
        return DeliveryError(text, permanent=True, problem=BOUNCED)
    return DeliveryError(text, permanent=False)
