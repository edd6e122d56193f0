"""The QMR's weekly digest carries a personal link on each overdue and due-soon item."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from notifications.digest import DigestCheck
from tests.web.conftest import LINK, running_engine, text_of

MONDAY = datetime(2024, 7, 1, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


async def scenario(tmp_path: Path) -> None:
    async with running_engine(tmp_path, MONDAY) as engine:
        check = DigestCheck(
            engine.db,
            engine.web.ctx,
            engine.config.digest,
            [],
            dispatch=engine.dispatcher.dispatch_due,
        )
        await check(engine.clock.now())
        digest = next(m for m in engine.emails() if "qmr@" in str(m["To"]))
        links = LINK.findall(text_of(digest))
        assert links, "overdue items link to their pages"
        html = digest.get_body(preferencelist=("html",))
        assert html is not None and "mở việc này" in str(html.get_content())
        async with httpx.AsyncClient(timeout=30) as client:
            page = await client.get(links[0])
        assert page.status_code == 200 and "Xác nhận hoàn thành" in page.text, (
            "the QMR monitors every row, so may close it on behalf of the lead"
        )


def test_it_links_every_overdue_item_of_the_digest(tmp_path: Path) -> None:
    asyncio.run(scenario(tmp_path))
