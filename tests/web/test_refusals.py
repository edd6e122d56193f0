"""Refusals are Vietnamese pages with the right status; guessing links gets a client stopped."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import Session, select

from notifications.web.ratelimit import FailureLimiter
from scheduler.models import OPEN, Occurrence
from scheduler.web_tokens import LINK, issue_token
from tests.web.conftest import Engine, form_fields, running_engine

START = datetime(2024, 7, 1, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _link(engine: Engine, person: str, unit: str) -> tuple[str, str]:
    with Session(engine.db) as session:
        occurrence = session.exec(
            select(Occurrence).where(Occurrence.unit_id == unit, Occurrence.state == OPEN)
        ).first()
    assert occurrence is not None and occurrence.id is not None
    token = issue_token(
        engine.db,
        engine.web.secret,
        LINK,
        person,
        engine.clock.now(),
        timedelta(days=30),
        occurrence_id=occurrence.id,
    )
    return f"/v/{token}", occurrence.code


async def scenario(tmp_path: Path) -> None:
    async with running_engine(tmp_path, START) as engine:
        engine.web.limiter = FailureLimiter(limit=3)
        path, code = _link(engine, "pham-truong-ktht", "ktht")
        async with httpx.AsyncClient(base_url=engine.server.origin, timeout=30) as client:
            unknown = await client.get("/khong-co")
            assert unknown.status_code == 404 and "Không tìm thấy" in unknown.text
            assert 'lang="vi"' in unknown.text

            page = await client.get(path)
            fields = form_fields(page.text)
            empty = await client.post(path, data={**fields, "evidence": "  "})
            assert empty.status_code == 400 and "Cần ghi minh chứng" in empty.text
            assert engine.occurrence(code).state == OPEN

            done = await client.post(path, data={**fields, "evidence": "Báo cáo số 3"})
            assert done.status_code == 303
            engine.clock.advance(timedelta(hours=25))
            late = await client.get(path)
            assert "Hoàn tác" not in late.text, "the undo button lasts 24 hours"

            for _ in range(3):
                assert (await client.get("/v/doan-bua")).status_code == 404
            blocked = await client.get(path)
            assert blocked.status_code == 429 and "Quá nhiều lần thử" in blocked.text


def test_it_answers_refusals_in_vietnamese_and_limits_guessing(tmp_path: Path) -> None:
    asyncio.run(scenario(tmp_path))
