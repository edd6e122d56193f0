"""The configuration sections the scheduler reads: [database] and [[plans]]."""

from __future__ import annotations

from pathlib import Path

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
