"""The QMR's board for a province (150 units x 26 rows): time to render over loopback HTTP.

The target (#12) is under 300 ms for the board's default view (this quarter). Figures are
printed, never asserted; the whole year unfiltered and one unit's view are printed beside it.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, func, select

from bench.synthetic import province_config, province_plan
from nhacviec.config import Config
from nhacviec.wiring import engine_context
from notifications.web.app import build_app
from notifications.web.deps import WebDeps
from notifications.web.server import serving
from notifications.web.settings import WebConfig
from scheduler.clock import ManualClock
from scheduler.db import open_database
from scheduler.engine_context import EngineContext
from scheduler.models import DONE, Evidence, Occurrence
from scheduler.sync import sync_plan
from scheduler.web_tokens import SESSION, issue_token

ROUNDS = 15


def _populate(db: Any, ctx: EngineContext, config: Config, now: datetime) -> dict[str, int]:
    """The plan compiled for 150 units, and two thirds of what fell due closed with evidence."""
    with Session(db) as session:
        sync_plan(session, ctx, province_plan(config), datetime(2023, 1, 1, tzinfo=ctx.tz))
        session.commit()
        due = session.exec(
            select(Occurrence).where(Occurrence.due_on <= now.astimezone(ctx.tz).date())
        ).all()
        for i, occurrence in enumerate(due):
            if i % 3 == 2:
                continue
            closed = datetime.combine(occurrence.due_on, datetime.min.time(), tzinfo=ctx.tz)
            occurrence.state, occurrence.closed_at = DONE, closed + timedelta(hours=9 + i % 40)
            occurrence.closed_by, occurrence.next_step_at = f"p{i % 150}", None
            session.add(occurrence)
            session.add(
                Evidence(
                    occurrence_id=occurrence.id or 0,
                    person_id=occurrence.closed_by,
                    channel="web",
                    text=f"Báo cáo số {i}/BC-UBND",
                    recorded_at=occurrence.closed_at,
                )
            )
        session.commit()
        total = session.exec(select(func.count()).select_from(Occurrence)).one()
    return {"occurrences": total, "closed": len(due) - len(due) // 3}


async def _time(client: httpx.AsyncClient, params: dict[str, str]) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = await client.get("/bang", params=params)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    return statistics.median(times) * 1000, size


async def _measure(deps: WebDeps, cookie: str) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    async with (
        serving(build_app(deps)) as server,
        httpx.AsyncClient(
            base_url=server.origin, cookies={"nhacviec_phien": cookie}, timeout=60
        ) as client,
    ):
        await client.get("/bang")  # templates compiled, caches warm
        for name, params in (
            ("board_quarter", {}),
            ("board_year_all_units", {"ky": "2023"}),
            ("board_one_unit_year", {"ky": "2023", "don-vi": "u7"}),
            ("board_overdue_year", {"ky": "2023", "trang-thai": "overdue"}),
        ):
            ms, size = await _time(client, params)
            figures[f"{name}_ms"] = round(ms, 1)
            figures[f"{name}_kb"] = round(size / 1024)
    return figures


def main() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        config = province_config(150, f"sqlite:///{Path(tmp) / 'bench.db'}")
        db = open_database(config.database_url())
        ctx = engine_context(config)
        now = datetime(2023, 8, 14, 9, 0, tzinfo=ctx.tz)
        figures: dict[str, Any] = _populate(db, ctx, config, now)
        secret = os.urandom(16).hex()
        settings = WebConfig(base_url="http://127.0.0.1:8080")
        deps = WebDeps(db, ctx, ManualClock(now), settings, secret, Path(tmp))
        cookie = issue_token(db, secret, SESSION, "tran-van-qmr", now, timedelta(hours=1))
        figures |= asyncio.run(_measure(deps, cookie))
        db.dispose()
    for key, value in figures.items():
        print(f"{key:28} {value}")
    print(f"{'target':28} board_quarter_ms < 300")
    return figures


if __name__ == "__main__":
    main()
