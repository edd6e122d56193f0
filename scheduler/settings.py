"""The configuration sections the scheduler reads: [database], [[plans]] and [delivery]."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rules.settings import LocalTime, PathText

SQLITE = "sqlite:///"
_EXAMPLES = "ví dụ sqlite:///var/nhacviec.db hoặc postgresql+psycopg://người-dùng@máy/tên"


def usable_url(value: str) -> str:
    """The URL when SQLAlchemy can parse it and has its driver; else a Vietnamese ValueError.
    The value itself is not repeated: it may hold a password."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(value)
    except Exception:  # ArgumentError, or ValueError for a port that is not a number
        raise ValueError(f"không phải địa chỉ cơ sở dữ liệu ({_EXAMPLES})") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(f"chỉ dùng được SQLite hoặc PostgreSQL ({_EXAMPLES})")
    try:
        url.get_dialect().import_dbapi()
    except Exception:  # NoSuchModuleError, ImportError: the driver is not installed
        raise ValueError(
            f"chưa cài trình điều khiển «{url.drivername}»; với PostgreSQL dùng "
            "postgresql+psycopg://… (pip install 'nhacviec[postgres]')"
        ) from None
    return value


class DatabaseConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = "sqlite:///var/nhacviec.db"

    @field_validator("url")
    @classmethod
    def _usable(cls, value: str) -> str:
        return usable_url(value)

    def resolved_url(self, base_dir: Path) -> str:
        """The URL with a relative SQLite path made relative to `base_dir` (config's folder)."""
        url = self.url
        if url.startswith(SQLITE) and not url.startswith(SQLITE + "/") and ":memory:" not in url:
            return SQLITE + str(base_dir / url[len(SQLITE) :])
        return url


class PlanSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    file: PathText
    year: int | None = None
    # Row ref ("I.3") -> a timing phrase to use instead of the one in the document.
    schedules: dict[str, str] = Field(default_factory=dict)


class DeliveryConfig(BaseModel):
    """[delivery]: how reminders reach people.

    `bundle = "daily"`: each person gets at most one reminder message per channel per
    working day, composed at `send_at` (or at the first tick after it), carrying every
    item due for them; a step with `urgent = true` bypasses it. `"off"`: one message per
    item, sent when its step fires.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    bundle: Literal["daily", "off"] = "daily"
    send_at: LocalTime = time(7, 30)
    # Working hours (inside [calendar] work_start..work_end on working days) during which a
    # transient failure (server down, 4xx, timeouts) is retried before the row fails.
    retry_hours: float = Field(72.0, gt=0, le=10_000)
