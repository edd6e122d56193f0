"""The contract between the engine's outbox and the channels that reach people.

A channel gets a fully rendered message and either returns a DeliveryResult or raises
DeliveryError(permanent=...). Library exceptions never cross this boundary.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Recipient:
    person_id: str
    name: str
    email: str | None = None
    telegram_chat_id: int | None = None


@dataclass(frozen=True)
class Button:
    """An inline button; `data` is the callback data the bot handles ("done:K7M2Q")."""

    text: str
    data: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one person on one channel, rendered and ready to send."""

    key: str  # the outbox key: stable, so a resend can be recognised (email Message-ID)
    recipient: Recipient
    subject: str
    text: str  # plain text (email text part, console)
    html: str | None = None  # email HTML part
    telegram_html: str | None = None  # Telegram's HTML subset, already clipped to 4,096
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = field(default=())
    # The engine's clock when the message left: a replay's virtual time, so the email's
    # Date: header agrees with its body. None means now (a message made outside the engine).
    written_at: datetime | None = None


@dataclass(frozen=True)
class DeliveryResult:
    external_id: str | None = None  # Message-ID, or "chat_id:message_id" for Telegram
    detail: str = ""


# DeliveryError.problem: why a person cannot be reached (recorded as a DeliveryProblem).
BOUNCED = "bounced"  # the mail server refused the address for good (5xx)
BLOCKED = "blocked"  # the person blocked the bot, or it was removed from the group
REJECTED = "rejected"  # Telegram refused the message or the chat (bad request, chat not found)
NO_CHANNEL = "no-channel"  # the directory has no address for this channel
# Not the person's fault, but the QMR should know: the server keeps failing.
DELAYED = "delayed"  # transient failures, still being retried (resolved by the next success)
GAVE_UP = "gave-up"  # transient failures for the whole retry budget: the row failed


class DeliveryError(Exception):
    """A send failed. `permanent` failures are not retried; transient ones are, later.

    `retry_after` (seconds) is the earliest sensible retry the service asked for.
    `problem` names what is wrong with the *recipient* (one of the constants above); it is
    None when the fault is ours or the server's (a bad template, a login failure), so the
    person is not flagged for it.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        retry_after: float | None = None,
        problem: str | None = None,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.problem = problem


class Channel(ABC):
    """One transport. Subclasses map their library's errors to DeliveryError."""

    name: str
    # How many sends the dispatcher may run at once on this channel (an SMTP connection is
    # one conversation; Telegram paces itself with its rate limiter).
    concurrency: int = 1

    @asynccontextmanager
    async def batch(self) -> AsyncIterator[None]:
        """Sends inside `async with channel.batch():` may share a connection.

        The default does nothing; SMTP keeps one connection open for the whole batch.
        """
        yield

    @abstractmethod
    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        """Deliver one message or raise DeliveryError."""

    async def close(self) -> None:
        """Release connections. Called once when the dispatcher is done with the channel."""
        return None  # most channels hold nothing open
