"""The configuration sections the channels read: [email], [email.smtp], [telegram], [digest].

Secrets are never in the file: only the names of the environment variables that hold them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rules.settings import PathText


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DigestConfig(_Section):
    cron: str = "30 7 * * mon"
    send_when_quiet: bool = True
    unit_heads: bool = False
    to_role: str = "qmr"


class SmtpConfig(_Section):
    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password_env: str = "NHACVIEC_SMTP_PASSWORD"
    timeout: float = Field(30.0, gt=0)
    batch_size: int = Field(50, ge=1)

    def password(self) -> str | None:
        return os.environ.get(self.password_env)


class EmailConfig(_Section):
    sender: str = Field("nhacviec@localhost", alias="from")
    sender_name: str = "Nhắc việc ISO"
    outbox_dir: PathText = Path("var/outbox")
    smtp: SmtpConfig | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TelegramConfig(_Section):
    token_env: str = "NHACVIEC_TELEGRAM_TOKEN"
    base_url: str | None = (
        None  # e.g. a local Bot API server; python-telegram-bot's default otherwise
    )
    base_file_url: str | None = None
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8443, ge=1, le=65535)
    max_evidence_mb: int = Field(20, ge=1, le=2000)

    def token(self) -> str | None:
        return os.environ.get(self.token_env) or None
