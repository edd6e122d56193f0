"""Turning an OutgoingMessage into a MIME email: shared by SMTP and the .eml outbox."""

from __future__ import annotations

import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate

from notifications.base import BOUNCED, NO_CHANNEL, DeliveryError, OutgoingMessage


def domain_of(address: str) -> str:
    """The sender's domain, for Message-IDs; "localhost" when the address has none."""
    return address.rpartition("@")[2] or "localhost"


def message_id(key: str, domain: str) -> str:
    """A Message-ID that depends only on the outbox key: a resend carries the same one,
    so a mail client (or a person) can tell it is the same reminder again."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<nhacviec.{digest}@{domain}>"


def build_email(message: OutgoingMessage, *, sender: str, sender_name: str) -> EmailMessage:
    """A multipart/alternative (text + HTML) email, attachments after it.

    The SMTP policy RFC 2047-encodes the Vietnamese subject and display names and writes
    CRLF line ends; bodies are UTF-8.
    """
    to_address = message.recipient.email
    if not to_address:
        raise ValueError(f"{message.recipient.person_id} has no email address")
    mail = EmailMessage(policy=SMTP)
    mail["Subject"] = message.subject
    mail["From"] = _address(sender_name, sender)
    mail["To"] = _address(message.recipient.name, to_address)
    mail["Date"] = formatdate(localtime=False)
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
