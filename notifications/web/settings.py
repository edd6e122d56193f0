"""The `[web]` section of config.toml: where the web app listens and how its links behave.

The signing secret is never in the file: only the name of the environment variable
that holds it (like the SMTP password and the Telegram token).
"""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field, field_validator

MB = 1024 * 1024


class WebConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    listen: str = "127.0.0.1:8080"
    base_url: str = "http://127.0.0.1:8080"
    secret_env: str = "NHACVIEC_WEB_SECRET"
    token_days: int = Field(
        default=30, ge=1, le=366, description="lifetime of a link in a reminder"
    )
    max_upload_mb: int = Field(
        default=20, ge=1, le=500, description="one form post, all files together"
    )
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    login_minutes: int = Field(default=30, ge=5, le=24 * 60)

    @field_validator("listen")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ValueError(f"'{value}' is not host:port (e.g. 127.0.0.1:8080)")
        return value

    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"'{value}' must start with https:// (or http:// on loopback)")
        return value.rstrip("/")

    @property
    def host(self) -> str:
        return self.listen.rpartition(":")[0].strip("[]")

    @property
    def port(self) -> int:
        return int(self.listen.rpartition(":")[2])

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * MB

    def secret(self) -> str | None:
        return os.environ.get(self.secret_env) or None
