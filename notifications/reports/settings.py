"""The `[reports]` section of config.toml: the results template, the draft job, calendars."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from rules.settings import PathText


class ReportsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # An office's own Word template (docxtpl tags); the shipped one when not set.
    results_template: PathText | None = None
    # The header of the report, as the office writes it.
    parent_body: str = Field("", description="cơ quan chủ quản, dòng trên tên cơ quan")
    body: str = Field("", description="tên cơ quan; mặc định: tên trong kế hoạch")
    document_code: str = Field("UBND", description="Số: …/BC-<document_code>")
    place: str = Field("", description="địa danh ở dòng ngày tháng, ví dụ Nam Đông")
    signer_title: str = "ĐẠI DIỆN LÃNH ĐẠO VỀ CHẤT LƯỢNG"
    # The draft of the plan's own report row, made this many working days before its deadline.
    draft_working_days: int = Field(5, ge=0, le=60)
    drafts_dir: PathText = Path("var/reports")
    draft_role: str = "qmr"
    # Calendars: an alarm this many days before the deadline, at the start of the working day.
    calendar_alarm_days: int = Field(1, ge=0, le=30)
