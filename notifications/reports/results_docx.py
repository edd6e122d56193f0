"""Write the results report (.docx) from a Word template with docxtpl.

The template receives (all strings unless said):
  parent_body, body, body_upper, document_code, place_date, subtitle, intro,
  objectives: [{section, title, targets: [str], achieved, tally,
                measures: [{ref, task, lead, kpi, summary,
                            lines: [{text, code, label, unit, due, closed, state, outcome,
                                     evidence}]}]}],
  summary: [{name, total, on_time, late, not_done, exempt, rate, on_time_rate}], total (the same),
  summary_note, nonconformities: [{ref, task, label, unit, due, late_days, code}],
  signer_title, signer_name, recipients: [str], period, year, as_of (dd/mm/yyyy).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate  # type: ignore[import-untyped]  # docxtpl ships no type hints

from notifications.reports.facts import OccurrenceFact
from notifications.reports.results import (
    PERIOD_NAMES,
    Period,
    in_scope,
    objectives_context,
    open_nonconformities,
    overall,
    period_bounds,
)
from notifications.reports.settings import ReportsConfig
from notifications.reports.vn_text import document_date, place_of, short_date
from rules.plan import Plan

SHIPPED_TEMPLATE = Path(__file__).with_name("templates") / "bao-cao-ket-qua.docx"


@dataclass(frozen=True)
class ResultsRequest:
    period: Period
    year: int
    at: date  # the report's date: the state of the work as of this day
    organisation: str  # from the plan, when [reports] body is not set
    signer_name: str  # the QMR


def scoped(facts: Sequence[OccurrenceFact], request: ResultsRequest) -> list[OccurrenceFact]:
    first, last = period_bounds(request.period, request.year)
    return [f for f in facts if in_scope(f, first, last, request.at)]


def results_context(
    facts: Sequence[OccurrenceFact],
    request: ResultsRequest,
    settings: ReportsConfig,
    plan: Plan | None = None,
) -> dict[str, Any]:
    """Everything the template shows; `facts` are already the period's (see `scoped`)."""
    body = settings.body or request.organisation
    place = settings.place or place_of(body)
    period_name = PERIOD_NAMES[request.period]
    objectives = objectives_context(plan, facts)
    total = overall(facts)
    first, last = period_bounds(request.period, request.year)
    return {
        "parent_body": settings.parent_body.upper(),
        "body": body,
        "body_upper": body.upper(),
        "document_code": settings.document_code,
        "place_date": (f"{place}, " if place else "") + document_date(request.at),
        "subtitle": f"Kết quả thực hiện Mục tiêu chất lượng {period_name} {request.year}",
        "intro": (
            f"Thực hiện Kế hoạch thực hiện Mục tiêu chất lượng năm {request.year}, "
            f"{body or 'cơ quan'} báo cáo kết quả thực hiện {period_name} {request.year} "
            f"(từ ngày {short_date(first)} đến ngày {short_date(min(last, request.at))}) như sau:"
        ),
        "objectives": objectives,
        "summary": [o["tally"] for o in objectives],
        "total": total.to_context("Tổng cộng"),
        "summary_note": (
            "Số việc: các lần thực hiện có hạn trong kỳ đến ngày báo cáo, và các lần có hạn sau "
            "đó trong kỳ đã hoàn thành sớm. Tỷ lệ hoàn thành tính trên số việc không kể việc "
            f"được miễn; tỷ lệ hoàn thành đúng hạn: {total.to_context('')['on_time_rate']}."
        ),
        "nonconformities": open_nonconformities(facts),
        "signer_title": settings.signer_title,
        "signer_name": request.signer_name,
        "recipients": ["Ban chỉ đạo ISO", "Lãnh đạo cơ quan", "Các đơn vị"],
        "period": request.period,
        "year": request.year,
        "as_of": short_date(request.at),
    }


def render_results(context: dict[str, Any], out: Path, template: Path | None = None) -> Path:
    document = DocxTemplate(str(template or SHIPPED_TEMPLATE))
    document.render(context, autoescape=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out
