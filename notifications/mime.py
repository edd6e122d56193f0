"""Turning an OutgoingMessage into a MIME email: shared by SMTP and the .eml outbox."""

from __future__ import annotations

import base64
import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formatdate

from notifications.base import BOUNCED, NO_CHANNEL, DeliveryError, OutgoingMessage


def domain_of(address: str) -> str:
    """The sender's domain, for Message-IDs; "localhost" when the address has none."""
    return address.rpartition("@")[2] or "localhost"


def message_id(key: str, domain: str) -> str:
    """A Message-ID that depends only on the outbox key: a resend carries the same one,
    so a mail client (or a person) can tell it is the same reminder again."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<nhacviec.{digest}@{domain}>"


_PREFIX, _SUFFIX = "=?utf-8?b?", "?="


def encoded_phrase(text: str, room: int) -> str:
    """RFC 2047 encoded-words for `text`, split only after a space, each space kept inside
    the encoded text. Decoders drop the folding whitespace between adjacent encoded-words,
    so a word boundary at a split must travel inside a word, never between two."""
    max_bytes = (room - len(_PREFIX) - len(_SUFFIX)) // 4 * 3
    words = text.split(" ")
    tokens = [f"{word} " for word in words[:-1]] + [words[-1]]
    chunks: list[str] = []
    current = ""
    for token in tokens:
        if len((current + token).encode()) <= max_bytes:
            current += token
            continue
        if current:
            chunks.append(current)
        while len(token.encode()) > max_bytes:  # one word longer than an encoded-word
            piece = ""
            for char in token:
                if len((piece + char).encode()) > max_bytes:
                    break
                piece += char
            chunks.append(piece)
            token = token[len(piece) :]
        current = token
    if current:
        chunks.append(current)
    return "\r\n ".join(
        _PREFIX + base64.b64encode(chunk.encode()).decode("ascii") + _SUFFIX for chunk in chunks
    )


class _Policy(EmailPolicy):
    """The SMTP policy, except that a non-ASCII Subject is encoded by `encoded_phrase`.

    Python 3.11's folder splits encoded-words in mid-word and between words, so a quarter
    of the subjects decoded with words glued together ("nhiệm vụnăm 2024")."""

    def _fold(self, name: str, value: str, refold_binary: bool = False) -> str:
        text = str(value)
        if name.lower() == "subject" and not text.isascii():
            room = self.max_line_length - len(name) - 3 if self.max_line_length else 75
            return f"{name}: {encoded_phrase(text, min(room, 75))}{self.linesep}"
        return str(super()._fold(name, value, refold_binary))  # type: ignore[misc]  # typeshed does not declare the policy's private _fold


SMTP_POLICY = _Policy(linesep="\r\n")


def build_email(message: OutgoingMessage, *, sender: str, sender_name: str) -> EmailMessage:
    """A multipart/alternative (text + HTML) email, attachments after it.

    The SMTP policy RFC 2047-encodes the Vietnamese subject (whole words, see
    `encoded_phrase`) and display names and writes
    CRLF line ends; bodies are UTF-8.
    """
    to_address = message.recipient.email
    if not to_address:
        raise ValueError(f"{message.recipient.person_id} has no email address")
    mail = EmailMessage(policy=SMTP_POLICY)
    mail["Subject"] = message.subject
    mail["From"] = _address(sender_name, sender)
    mail["To"] = _address(message.recipient.name, to_address)
    written = message.written_at
    mail["Date"] = format_datetime(written) if written else formatdate(localtime=False)
    mail["Message-ID"] = message_id(message.key, domain_of(sender))
    mail["X-Nhacviec-Key"] = message.key
    # Reminders are machine-sent: ask auto-responders (vacation replies) to stay quiet.
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.text, charset="utf-8")
    if message.html:
        mail.add_alternative(message.html, subtype="html", charset="utf-8")
    for item in message.attachments:
        maintype, _, subtype = item.mime_type.partition("/")
        mail.add_attachment(
            item.content,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=item.filename,
        )
    return mail


def _address(display_name: str, addr: str) -> Address:
    return Address(display_name=display_name, addr_spec=addr)


def deliverable_email(message: OutgoingMessage, *, sender: str, sender_name: str) -> EmailMessage:
    """The email for `message`, or the permanent DeliveryError every email channel raises."""
    if not message.recipient.email:
        raise DeliveryError(
            f"{message.recipient.person_id}: chưa có địa chỉ email",
            permanent=True,
            problem=NO_CHANNEL,
        )
    try:
        return build_email(message, sender=sender, sender_name=sender_name)
    except ValueError as exc:
        raise DeliveryError(
            f"địa chỉ email không hợp lệ: {exc}", permanent=True, problem=BOUNCED
        ) from None
