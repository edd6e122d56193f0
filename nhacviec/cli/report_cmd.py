"""`nhacviec report results | evidence`: the results report (.docx) and the evidence register."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption, load
from nhacviec.config import Config
from nhacviec.wiring import engine_context
from notifications.reports.facts import occurrence_facts
from notifications.reports.make import MadeReport, ReportError, make_results
from notifications.reports.register import write_bundle, write_register
from notifications.reports.results import Period
from rules.importers import load_plan
from rules.plan import Plan
from rules.vndate import short_date
from scheduler.db import open_database
from scheduler.engine_context import EngineContext
from scheduler.evidence_store import store_bytes
from scheduler.queries import engine_now
from scheduler.service import ServiceError, record_evidence

app = typer.Typer(help="Lập báo cáo kết quả thực hiện MTCL và sổ theo dõi minh chứng.")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

DateOption = Annotated[
    datetime | None,
    typer.Option(
        "--at", formats=["%Y-%m-%d"], help="Ngày lập (mặc định: hôm nay theo đồng hồ bộ máy)."
    ),
]


def _setup(config: Path) -> tuple[Config, Engine, EngineContext]:
    cfg = load(config)
    return cfg, open_database(cfg.database_url()), engine_context(cfg)


def _day(cfg: Config, db: Engine, at: datetime | None) -> date:
    return at.date() if at else engine_now(db).astimezone(cfg.tz).date()


def _plan_document(cfg: Config, key: str | None) -> Plan | None:
    """The plan as imported, for its objectives and targets (the database keeps the rows)."""
    for source in cfg.plans:
        if key is None or str(source.file) == key:
            return load_plan(cfg.path(source.file))
    return None


def _log_evidence(
    cfg: Config, db: Engine, ctx: EngineContext, made: MadeReport, by: str | None
) -> None:
    """Close the plan's own report row with the file, through the service `done` uses."""
    person = by or next((p.id for p in ctx.directory.role_people(cfg.reports.draft_role)), "")
    stored = store_bytes(cfg.path(cfg.data_dir), made.path.read_bytes(), made.path.name, DOCX)
    targets = [f for f in made.report_rows if f.occurrence.state == "open"]
    if not targets:
        typer.echo("Không có việc báo cáo đang mở của kỳ này để ghi minh chứng.")
        return
    for fact in targets:
        try:
            closure = record_evidence(
                db,
                ctx,
                fact.occurrence.code,
                person,
                f"Báo cáo kết quả thực hiện MTCL (tệp {made.path.name})",
                [stored],
                "cli",
                engine_now(db),
            )
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        timing = "đúng hạn" if closure.late_days == 0 else f"trễ {closure.late_days} ngày làm việc"
        typer.echo(
            f"Đã ghi minh chứng cho việc {closure.occurrence.code} — dòng {closure.row.ref} "
            f"({closure.occurrence.label}), hạn {short_date(closure.occurrence.due_on)}, {timing}."
        )


@app.command("results")
def results(
    out: Annotated[Path, typer.Option("--out", help="Tệp báo cáo .docx sẽ ghi.")],
    period: Annotated[
        str, typer.Option("--period", help="Kỳ báo cáo: 6m (6 tháng đầu năm) hoặc year (năm).")
    ],
    year: Annotated[
        int | None, typer.Option("--year", help="Năm (mặc định: năm của kế hoạch).")
    ] = None,
    at: DateOption = None,
    plan: Annotated[str | None, typer.Option("--plan", help="Kế hoạch (khi có nhiều).")] = None,
    log_evidence: Annotated[
        bool,
        typer.Option(
            "--log-evidence",
            help="Ghi tệp báo cáo làm minh chứng của dòng báo cáo kết quả MTCL trong kế hoạch.",
        ),
    ] = False,
    by: Annotated[
        str | None, typer.Option("--by", help="Người ghi minh chứng (mặc định: QMR).")
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Lập báo cáo kết quả thực hiện MTCL 6 tháng hoặc năm (.docx) theo mẫu của cơ quan."""
    if period not in ("6m", "year"):
        raise CommandError("--period phải là 6m hoặc year")
    chosen: Period = "6m" if period == "6m" else "year"
    cfg, db, ctx = _setup(config)
    template = cfg.path(cfg.reports.results_template) if cfg.reports.results_template else None
    if template is not None and not template.is_file():
        raise CommandError(f"không có tệp mẫu báo cáo {template} ([reports] results_template)")
    try:
        made = make_results(
            db,
            ctx,
            cfg.reports,
            out,
            period=chosen,
            at=_day(cfg, db, at),
            year=year,
            plan_key=plan,
            plan=_plan_document(cfg, plan),
            template=template,
        )
    except ReportError as exc:
        raise CommandError(str(exc)) from None
    done = sum(1 for f in made.facts if f.outcome in ("on-time", "late"))
    typer.echo(f"Đã lập báo cáo {out}: {len(made.facts)} việc trong kỳ, {done} đã hoàn thành.")
    if log_evidence:
        _log_evidence(cfg, db, ctx, made, by)
        return
    for fact in (f for f in made.report_rows if f.occurrence.state == "open"):
        typer.echo(
            f"Việc {fact.occurrence.code} (dòng {fact.row.ref}, {fact.occurrence.label}, hạn "
            f"{short_date(fact.occurrence.due_on)}) đang chờ báo cáo này: thêm --log-evidence "
            "để ghi tệp làm minh chứng hoàn thành."
        )


@app.command("evidence")
def evidence(
    out: Annotated[Path, typer.Option("--out", help="Tệp sổ minh chứng .xlsx sẽ ghi.")],
    bundle: Annotated[
        Path | None, typer.Option("--zip", help="Đóng gói sổ và các tệp minh chứng vào tệp .zip.")
    ] = None,
    at: DateOption = None,
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Lập sổ theo dõi minh chứng cho đánh giá (.xlsx): mỗi việc một dòng, kèm tệp và SHA-256."""
    cfg, db, ctx = _setup(config)
    day = _day(cfg, db, at)
    facts = occurrence_facts(db, ctx, day)
    register = write_register(facts, cfg.tz, f"Sổ theo dõi minh chứng đến ngày {short_date(day)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(register)
    files = sum(len(f.files) for f in facts)
    typer.echo(f"Đã lập sổ minh chứng {out}: {len(facts)} việc, {files} tệp minh chứng.")
    if bundle is not None:
        try:
            names = write_bundle(facts, register, cfg.path(cfg.data_dir), bundle)
        except OSError as exc:
            raise CommandError(f"không đóng gói được {bundle}: {exc}") from None
        typer.echo(f"Đã đóng gói {bundle}: sổ minh chứng và {len(names) - 1} tệp.")
