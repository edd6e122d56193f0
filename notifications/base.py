"""The contract between the engine's outbox and the channels that reach people.

A channel gets a fully rendered message and either returns a DeliveryResult or raises
DeliveryError(permanent=...). Library exceptions never cross this boundary.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class DeliveryResult:
    external_id: str | None = None  # Message-ID, or "chat_id:message_id" for Telegram
    detail: str = ""


class DeliveryError(Exception):
    """A send failed. `permanent` failures are not retried; transient ones are, later."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Channel(ABC):
    """One transport. Subclasses map their library's errors to DeliveryError."""

    name: str

    @abstractmethod
    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        """Deliver one message or raise DeliveryError."""

    async def close(self) -> None:
        """Release connections. Called once when the dispatcher is done with the channel."""
