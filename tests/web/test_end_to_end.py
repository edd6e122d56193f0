"""Done-when of #12, on loopback: a reminder's link, followed over real HTTP, closes the task.

The engine runs with [web] and the file outbox; the test reads the .eml the dispatcher
wrote, opens the personal link, posts `evidence` and a PDF `file`, and checks what
`nhacviec status --json` and the audit log say. Then every kind of forged or stale post
is refused with its status, and nothing changes.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from typer.testing import CliRunner

from nhacviec.cli import app
from scheduler.models import DONE, OPEN
from scheduler.web_tokens import LINK, issue_token
from tests.web.conftest import LINK as LINK_RE
from tests.web.conftest import Engine, form_fields, running_engine, text_of

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2024, 7, 1, 8, 30, tzinfo=TZ)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CODE = re.compile(r"Mã nhiệm vụ: (\w+)")
ITEM = re.compile(r"mã (\w+) · (http://127\.0\.0\.1:\d+/v/[A-Za-z0-9_-]+)")


def reminders(engine: Engine) -> list[tuple[str, str, str]]:
    """(recipient address, occurrence code, link) of every reminder email with a link."""
    found = []
    for message in engine.emails():
        text = text_of(message)
        # A daily bundle lists "mã CODE · LINK" per item; a single reminder "Mã nhiệm vụ: CODE".
        items = ITEM.findall(text)
        if items:  # a bundle with links tells the reader to use them, not the command line
            assert "mở liên kết của việc đó" in text and "nhacviec done" not in text, text
        for code, link in items:
            found.append((str(message["To"]), code, link))
        links, code = LINK_RE.findall(text), CODE.search(text)
        if links and code:
            found.append((str(message["To"]), code.group(1), links[0]))
    return found


def status_json(engine: Engine) -> dict[str, dict[str, object]]:
    result = CliRunner().invoke(app, ["status", "--json", "--config", str(engine.config_path)])
    assert result.exit_code == 0, result.output
    return {o["code"]: o for o in json.loads(result.stdout)["occurrences"]}


async def post_evidence(
    client: httpx.AsyncClient, link: str, fields: dict[str, str], files: list[tuple[str, bytes]]
) -> httpx.Response:
    return await client.post(
        link,
        data=fields,
        files=[("file", (name, content)) for name, content in files] or None,
    )


async def scenario(tmp_path: Path) -> None:
    async with running_engine(tmp_path, START) as engine:
        await engine.process.cycle()
        sent = reminders(engine)
        assert sent, "the reminders carry a personal link"
        _to, code, link = sent[0]
        assert engine.occurrence(code).state == OPEN
        async with httpx.AsyncClient(follow_redirects=False, timeout=30) as client:
            page = await client.get(link)
            assert page.status_code == 200
            assert "Xác nhận hoàn thành" in page.text and code in page.text
            assert page.headers["referrer-policy"] == "no-referrer"
            fields = form_fields(page.text)
            answer = await post_evidence(
                client,
                link,
                {**fields, "evidence": "Báo cáo số 45/BC-UBND ngày 28/06/2024"},
                [("bao-cao.pdf", PDF)],
            )
            assert answer.status_code == 303
            assert answer.headers["location"].endswith("?da-ghi=1")
            confirmation = await client.get(link + "?da-ghi=1")
            assert "Đã ghi nhận minh chứng" in confirmation.text
            assert "Hoàn tác" in confirmation.text, "an undo button, valid 24 hours"

            # The occurrence is done, as the command line reports it; the ladder stopped.
            assert status_json(engine)[code]["status"] == "done"
            closed = engine.occurrence(code)
            assert closed.state == DONE and closed.next_step_at is None
            entry = [
                a for a in engine.audit("evidence") if json.loads(a.detail_json)["code"] == code
            ]
            assert len(entry) == 1 and json.loads(entry[0].detail_json)["channel"] == "web"
            engine.clock.advance(timedelta(days=7))
            before = {m["Message-ID"] for m in engine.emails()}
            await engine.process.cycle()
            later = [m for m in engine.emails() if m["Message-ID"] not in before]
            assert all(code not in text_of(m) for m in later), "no reminder after evidence"

            # A replayed form (the same post again) changes nothing.
            count = engine.evidence_count()
            replay = await post_evidence(
                client, link, {**fields, "evidence": "lần hai"}, [("bao-cao.pdf", PDF)]
            )
            assert replay.status_code == 410
            assert engine.evidence_count() == count

            await refusals(engine, client, [s for s in reminders(engine) if s[1] != code])


async def refusals(
    engine: Engine, client: httpx.AsyncClient, others: list[tuple[str, str, str]]
) -> None:
    """Each forged, stale or oversized post is refused; no evidence, no state change."""
    to_a, code_a, link_a = next(s for s in others if engine.occurrence(s[1]).state == OPEN)
    _to_b, code_b, link_b = next(
        s
        for s in others
        if s[0] != to_a and s[1] != code_a and engine.occurrence(s[1]).state == OPEN
    )
    fields_a = form_fields((await client.get(link_a)).text)
    fields_b = form_fields((await client.get(link_b)).text)
    data_dir = engine.config.path(engine.config.data_dir)
    files_before = sorted(data_dir.rglob("*")) if data_dir.exists() else []
    count = engine.evidence_count()
    text = {"evidence": "Công văn số 1"}

    token = link_a.rsplit("/", 1)[1]
    tampered = link_a[: -len(token)] + token[:-1] + ("A" if token[-1] != "A" else "B")
    assert (await client.get(tampered)).status_code == 404
    assert (await post_evidence(client, tampered, {**fields_a, **text}, [])).status_code == 404

    expired = issue_token(
        engine.db,
        engine.web.secret,
        LINK,
        _person(engine, to_a),
        engine.clock.now() - timedelta(days=31),
        timedelta(days=30),
        occurrence_id=engine.occurrence(code_a).id,
    )
    expired_link = engine.web.url(f"/v/{expired}")
    assert (await client.get(expired_link)).status_code == 410
    assert (await post_evidence(client, expired_link, {**fields_a, **text}, [])).status_code == 410

    # B's form (for B's occurrence) posted through A's link, and A's occurrence through B's.
    assert (await post_evidence(client, link_a, {**fields_b, **text}, [])).status_code == 403
    crossed = {**fields_b, "occurrence": code_a, **text}
    assert (await post_evidence(client, link_b, crossed, [])).status_code == 403

    missing = {k: v for k, v in fields_a.items() if k != "csrf"}
    assert (await post_evidence(client, link_a, {**missing, **text}, [])).status_code == 403

    big = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024)
    assert (
        await post_evidence(client, link_a, {**fields_a, **text}, [("lon.pdf", big)])
    ).status_code == 413
    page = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    assert (
        await post_evidence(client, link_a, {**fields_a, **text}, [("x.html", page)])
    ).status_code == 415
    disguised = [("bao-cao.pdf", page)]
    assert (await post_evidence(client, link_a, {**fields_a, **text}, disguised)).status_code == 415

    assert engine.evidence_count() == count
    assert engine.occurrence(code_a).state == OPEN and engine.occurrence(code_b).state == OPEN
    assert (sorted(data_dir.rglob("*")) if data_dir.exists() else []) == files_before

    # The untouched form still works afterwards: refusals spent nothing.
    ok = await post_evidence(client, link_a, {**fields_a, **text}, [])
    assert ok.status_code == 303 and engine.occurrence(code_a).state == DONE


def _person(engine: Engine, to: str) -> str:
    address = to.rsplit("<", 1)[-1].rstrip(">").strip()
    return next(p.id for p in engine.web.ctx.directory.people.values() if p.email == address)


def test_it_closes_a_task_from_the_link_in_its_reminder_and_refuses_forgeries(
    tmp_path: Path,
) -> None:
    asyncio.run(scenario(tmp_path))
