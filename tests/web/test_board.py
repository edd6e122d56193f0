"""The board over real HTTP: sign-in links, sessions, scope, filters, actions, downloads."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import Session, select
from typer.testing import CliRunner

from nhacviec.cli import app
from scheduler.evidence_store import store_bytes
from scheduler.models import DONE, OPEN, WAIVED, Notification, Occurrence
from scheduler.service import record_evidence
from scheduler.web_tokens import LINK, issue_token
from tests.web.conftest import Engine, form_fields, running_engine, text_of

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2024, 7, 1, 8, 30, tzinfo=TZ)


def cli_login(engine: Engine, person: str) -> str:
    result = CliRunner().invoke(app, ["web", "login", person, "--config", str(engine.config_path)])
    assert result.exit_code == 0, result.output
    printed = result.stdout.strip().splitlines()[0]
    assert printed.startswith("http://127.0.0.1:1/dang-nhap/"), "base_url from config.toml"
    return urlparse(printed).path  # the test's server listens on its own port


async def sign_in(client: httpx.AsyncClient, link: str) -> None:
    page = await client.get(link)
    assert page.status_code == 200 and "Đăng nhập" in page.text
    entered = await client.post(link)
    assert entered.status_code == 303 and entered.headers["location"] == "/bang"
    cookie = entered.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def occurrences(engine: Engine, unit: str) -> list[Occurrence]:
    with Session(engine.db) as session:
        return list(
            session.exec(
                select(Occurrence).where(Occurrence.unit_id == unit, Occurrence.state == OPEN)
            )
        )


async def qmr_scenario(engine: Engine) -> None:
    base = engine.server.origin
    async with httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=30) as client:
        assert (await client.get("/bang")).headers["location"] == "/dang-nhap"
        assert (await client.get("/tep/1")).status_code == 403
        link = cli_login(engine, "tran-van-qmr")
        await sign_in(client, link)
        assert (await client.post(link)).status_code == 410, "a sign-in link works once"
        board = await client.get("/bang", params={"ky": "2024"})
        assert board.status_code == 200
        assert "I. " in board.text and "Sổ minh chứng" in board.text
        assert "Quá hạn" in board.text

        target = occurrences(engine, "ktht")[0]
        only = await client.get("/bang", params={"ky": "2024", "don-vi": "vhtt"})
        assert target.code not in only.text, "the unit filter keeps other units out"
        detail = await client.get(f"/bang/viec/{target.code}")
        assert detail.status_code == 200 and "Miễn việc này" in detail.text
        fields = form_fields(detail.text)
        missing = await client.post("/bang/mien", data={"ma": target.code, "ly-do": "x"})
        assert missing.status_code == 403
        waived = await client.post("/bang/mien", data={**fields, "ly-do": "Không phát sinh"})
        assert waived.status_code == 303
        assert engine.occurrence(target.code).state == WAIVED
        again = await client.post("/bang/mien", data={**fields, "ly-do": "Không phát sinh"})
        assert again.status_code == 410, "a replayed action form changes nothing"

        detail = await client.get(f"/bang/viec/{target.code}")
        reopen = await client.post(
            "/bang/mo-lai", data={**form_fields(detail.text), "ly-do": "Nhầm"}
        )
        assert reopen.status_code == 303 and engine.occurrence(target.code).state == OPEN

        board = await client.get("/bang", params={"ky": "2024"})
        adhoc = await client.post(
            "/bang/dot-xuat",
            data={**form_fields(board.text), "dong": "I.1", "ke-hoach": ""},
        )
        assert adhoc.status_code == 303 and "t%E1%BA%A5t" not in adhoc.headers["location"]
        with Session(engine.db) as session:
            started = session.exec(select(Occurrence).where(Occurrence.kind == "adhoc")).all()
        assert started and all(o.state == OPEN for o in started)


async def download_and_scope(engine: Engine) -> None:
    ctx, now = engine.web.ctx, engine.clock.now()
    target = occurrences(engine, "ktht")[0]
    data_dir = engine.config.path(engine.config.data_dir)
    html = store_bytes(data_dir, b"<html><script>alert(1)</script></html>", "x.pdf", "text/html")
    record_evidence(
        engine.db, ctx, target.code, "pham-truong-ktht", "Báo cáo 9", [html], "cli", now
    )
    other = occurrences(engine, "vhtt")[0]
    base = engine.server.origin
    async with httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=30) as client:
        await sign_in(client, cli_login(engine, "pham-truong-ktht"))
        board = await client.get("/bang", params={"ky": "2024"})
        assert board.status_code == 200
        assert other.code not in board.text, "a unit head sees their unit only"
        assert target.code in board.text
        file_id = re.search(r'href="/tep/(\d+)"', board.text)
        assert file_id is not None
        got = await client.get(f"/tep/{file_id.group(1)}")
        assert got.status_code == 200
        assert got.headers["content-disposition"].startswith("attachment;")
        assert got.headers["content-type"] == "application/octet-stream"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert (await client.get(f"/bang/viec/{other.code}")).status_code == 404
        assert "Miễn việc này" not in (await client.get(f"/bang/viec/{target.code}")).text
        assert engine.occurrence(target.code).state == DONE


async def email_sign_in(engine: Engine) -> None:
    base = engine.server.origin
    async with httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=30) as client:
        page = await client.post("/dang-nhap", data={"email": "QMR@namdong.example.vn"})
        assert page.status_code == 200 and "đã được gửi" in page.text
        stranger = await client.post("/dang-nhap", data={"email": "ai@example.com"})
        assert stranger.text.count("đã được gửi") == page.text.count("đã được gửi")
    with Session(engine.db) as session:
        queued = session.exec(
            select(Notification).where(Notification.template == "web_login")
        ).all()
    assert [n.person_id for n in queued] == ["tran-van-qmr"]
    await engine.dispatcher.dispatch_due()
    mail = next(m for m in engine.emails() if "đăng nhập" in str(m["Subject"]).lower())
    link = re.search(r"http://127\.0\.0\.1:\d+/dang-nhap/[\w-]+", text_of(mail))
    assert link is not None
    async with httpx.AsyncClient(follow_redirects=False, timeout=30) as client:
        await sign_in(client, link.group(0))
        assert (await client.get(f"{base}/bang")).status_code == 200


async def scenario(tmp_path: Path) -> None:
    async with running_engine(tmp_path, START) as engine:
        await engine.process.cycle()
        await qmr_scenario(engine)
        await download_and_scope(engine)
        await email_sign_in(engine)


def test_it_serves_the_board_to_the_qmr_and_unit_heads(tmp_path: Path) -> None:
    asyncio.run(scenario(tmp_path))


def test_it_refuses_a_login_for_someone_not_on_the_board(tmp_path: Path) -> None:
    async def run() -> None:
        async with running_engine(tmp_path, START) as engine:
            result = CliRunner().invoke(
                app, ["web", "login", "nobody", "--config", str(engine.config_path)]
            )
            assert result.exit_code != 0

    asyncio.run(run())


def test_it_revokes_a_persons_links_from_the_command_line(tmp_path: Path) -> None:
    async def run() -> None:
        async with running_engine(tmp_path, START) as engine:
            target = occurrences(engine, "ktht")[0]
            token = issue_token(
                engine.db,
                engine.web.secret,
                LINK,
                "pham-truong-ktht",
                engine.clock.now(),
                timedelta(days=30),
                occurrence_id=target.id,
            )
            async with httpx.AsyncClient(base_url=engine.server.origin, timeout=30) as client:
                assert (await client.get(f"/v/{token}")).status_code == 200
                result = CliRunner().invoke(
                    app,
                    [
                        *("web", "revoke", "pham-truong-ktht", "--occurrence", target.code),
                        *("--config", str(engine.config_path)),
                    ],
                )
                assert result.exit_code == 0, result.output
                assert "Đã thu hồi 2" in result.stdout, "the link and the form it rendered"
                gone = await client.get(f"/v/{token}")
                assert gone.status_code == 410 and "thu hồi" in gone.text

    asyncio.run(run())
