"""Which channels a configuration means: SMTP or .eml files, the Bot API or the console."""

from __future__ import annotations

import ssl

from rich.console import Console

from nhacviec.config import Config
from notifications.base import Channel
from notifications.email import SmtpChannel
from notifications.outbox_files import ConsoleChannel, EmlFileChannel
from notifications.telegram import TelegramChannel


def build_channels(
    config: Config,
    *,
    console: Console | None = None,
    smtp_tls_context: ssl.SSLContext | None = None,
) -> dict[str, Channel]:
    """{"email": ..., "telegram": ...} for this configuration.

    Email goes over SMTP when `[email.smtp]` is set, else to .eml files in
    `email.outbox_dir`. Telegram goes to the Bot API when the token's environment variable
    is set, else to `console`. `smtp_tls_context` overrides the system CA store (tests).
    """
    email: Channel
    if config.email.smtp is not None:
        email = SmtpChannel.from_config(config.email, tls_context=smtp_tls_context)
    else:
        email = EmlFileChannel(
            config.path(config.email.outbox_dir),
            sender=config.email.sender,
            sender_name=config.email.sender_name,
        )
    telegram: Channel
    token = config.telegram.token()
    if token:
        telegram = TelegramChannel(
            token, base_url=config.telegram.base_url, base_file_url=config.telegram.base_file_url
        )
    else:
        telegram = ConsoleChannel(console)
    return {"email": email, "telegram": telegram}
