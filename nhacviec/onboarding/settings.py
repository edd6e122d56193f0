"""[run]: what `nhacviec run` asks before it starts on the real clock."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RunConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # More than this many notifications to catch up at start, or more than this share of
    # the deadlines already past, and `run` asks for --catch-up or --from-today first.
    catch_up_limit: int = Field(30, ge=0)
    past_share_limit: float = Field(0.5, ge=0.0, le=1.0)
