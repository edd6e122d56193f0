"""The configuration sections the scheduler reads: [database], [[plans]] and [delivery]."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SQLITE = "sqlite:///"


class DatabaseConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = "sqlite:///var/nhacviec.db"

    def resolved_url(self, base_dir: Path) -> str:
        """The URL with a relative SQLite path made relative to `base_dir` (config's folder)."""
        url = self.url
        if url.startswith(SQLITE) and not url.startswith(SQLITE + "/") and ":memory:" not in url:
            return SQLITE + str(base_dir / url[len(SQLITE) :])
        return url


class PlanSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    file: Path
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
    send_at: time = time(7, 30)
