"""Which channels a configuration means: SMTP or .eml files, the Bot API or the console."""

from __future__ import annotations

import ssl
from pathlib import Path

from rich.console import Console

from notifications.base import Channel
from notifications.email import SmtpChannel
from notifications.outbox_files import ConsoleChannel, EmlFileChannel
from notifications.ratelimit import RateLimiter
from notifications.settings import EmailConfig, TelegramConfig
from notifications.telegram import TelegramChannel


def build_channels(
    email_config: EmailConfig,
    telegram_config: TelegramConfig,
    *,
    outbox_dir: Path,
    console: Console | None = None,
    smtp_tls_context: ssl.SSLContext | None = None,
    telegram_limiter: RateLimiter | None = None,
) -> dict[str, Channel]:
    """{"email": ..., "telegram": ...} for these sections.

    Email goes over SMTP when `[email.smtp]` is set, else to .eml files in `outbox_dir`
    (`email.outbox_dir` resolved against the config's folder). Telegram goes to the Bot API when the token's environment variable
    is set, else to `console`. `smtp_tls_context` overrides the system CA store (tests).
    `telegram_limiter` is the one the bot uses too, so replies and reminders share it.
    """
    email: Channel
    if email_config.smtp is not None:
        email = SmtpChannel.from_config(email_config, tls_context=smtp_tls_context)
    else:
        email = EmlFileChannel(
            outbox_dir, sender=email_config.sender, sender_name=email_config.sender_name
        )
    telegram: Channel
    token = telegram_config.token()
    if token:
        telegram = TelegramChannel(
            token,
            base_url=telegram_config.base_url,
            base_file_url=telegram_config.base_file_url,
            limiter=telegram_limiter,
        )
    else:
        telegram = ConsoleChannel(console)
    return {"email": email, "telegram": telegram}
