"""A Telegram Bot API server on 127.0.0.1 for tests (aiohttp), in a thread of its own.

python-telegram-bot talks to it through its real HTTPX request code:

    bot = Bot(TOKEN, base_url=bot_api.base_url, base_file_url=bot_api.base_file_url)
    # or: Application.builder().token(TOKEN).base_url(bot_api.base_url)
    #         .base_file_url(bot_api.base_file_url).build()

Fixture `bot_api` -> FakeBotApi. Methods implemented: getMe, sendMessage, editMessageText,
editMessageReplyMarkup, answerCallbackQuery, sendDocument, getUpdates (long polling on a
queue), getFile and the file download (`/file/bot<token>/<path>`), deleteWebhook,
setWebhook, getWebhookInfo, setMyCommands, getMyCommands, sendChatAction, close, logOut.
Unknown methods answer 404 like Telegram; a wrong token answers 401.

What a test can do:
    bot_api.requests / bot_api.calls("sendMessage")   every request: method, params, time
    bot_api.messages(chat_id)                          what the bot has in a chat (edits applied)
    bot_api.fail("sendMessage", 429, retry_after=5)    errors on demand (403, 400, 429, 5xx),
    bot_api.slow("sendMessage", 1.0)                   or slow answers; `times`, `chat_id` filters
    bot_api.fail(None, 500, times=None) / bot_api.drop(None, times=None)
                                                       an outage: 500s or connections closed
                                                       unanswered, until clear_rules()
    bot_api.enforce_limits()                           Telegram's flood limits with real 429s
                                                       (30/s overall, 1/s per chat); counted
                                                       in bot_api.flood_refusals
    bot_api.push_message(chat_id, "text") / push_callback(chat_id, "done:K7M2Q", message_id=1)
    bot_api.push_document(chat_id, b"...", "bien-ban.pdf")  updates for getUpdates
    bot_api.add_file(b"...", "x.pdf")                  a file getFile can serve
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from tests.fakes.bot_api_objects import BOT_USER, BotState
from tests.fakes.bot_api_switches import FaultSwitches, FloodLimits, Rule
from tests.fakes.bot_api_updates import UpdatePushes

TOKEN = "123456:TEST-nhacviec-token"
# Parameters that are strings even when they look like JSON ("123" as a message text).
_TEXT_PARAMS = {
    "text",
    "caption",
    "callback_query_id",
    "data",
    "file_id",
    "parse_mode",
    "url",
    "description",
    "short_description",
    "name",
    "title",
    "query",
    "secret_token",
}


@dataclass
class RecordedRequest:
    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() when it arrived
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 200  # what the fake answered


class FakeBotApi(FaultSwitches, UpdatePushes):
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.requests: list[RecordedRequest] = []
        self.state = BotState()
        self.port = 0
        self._rules: list[Rule] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._new_update: asyncio.Event | None = None
        self._flood: FloodLimits | None = None
        self.flood_refusals: list[RecordedRequest] = []

    # -- addresses -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # -- what the test switches and reads -----------------------------------------------------

    def calls(self, method: str, *, ok: bool | None = None) -> list[RecordedRequest]:
        return [
            r
            for r in self.requests
            if r.method == method and (ok is None or (r.status == 200) == ok)
        ]

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        return self.state.chat_messages(chat_id)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), daemon=True, name="fake-bot-api"
        )
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Bot API did not start")

    def stop(self) -> None:
        if self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())
        ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        current = asyncio.current_task()
        stragglers = [t for t in asyncio.all_tasks() if t is not current]
        for task in stragglers:  # slow answers still sleeping
            task.cancel()
        await asyncio.gather(*stragglers, return_exceptions=True)

    async def _serve(self) -> None:
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    # -- HTTP ------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await _read_params(request)
        record = RecordedRequest(method, params, time.monotonic(), files)
        self.requests.append(record)
        if request.match_info["token"] != self.token:
            record.status = 401
            return _error(401, "Unauthorized")
        rule = self._take_rule(method, params.get("chat_id"))
        if rule is not None and rule.drop:
            assert request.transport is not None
            record.status = 0  # no answer at all
            request.transport.abort()
            return web.Response(status=500)  # never written: the connection is gone
        if rule is not None:
            if rule.delay:
                await asyncio.sleep(rule.delay)
            if rule.status != 200:
                record.status = rule.status
                return _error(rule.status, rule.description, rule.retry_after, rule.migrate_to)
        if method == "getUpdates":
            return await self._get_updates(params)
        if self._flood is not None and not self._flood.admit(method, params.get("chat_id")):
            record.status = 429
            self.flood_refusals.append(record)
            return _error(429, "Too Many Requests: retry after 1", 1)
        handler = getattr(self.state, f"api_{method}", None)
        if handler is None:
            record.status = 404
            return _error(404, "Not Found: method not found")
        with self._lock:
            result, status, description = handler(params, files)
        if status != 200:
            record.status = status
            return _error(status, description)
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        offset, timeout = int(params.get("offset") or 0), float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        assert self._new_update is not None
        with self._lock:
            pending = self.state.updates_from(offset, limit)
        if not pending and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
            with self._lock:
                pending = self.state.updates_from(offset, limit)
        return web.json_response({"ok": True, "result": pending})

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        content = self.state.file_content(request.match_info["path"])
        if content is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=content)


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        return dict(await request.json()), files
    if request.method == "GET":
        form: Any = request.query
    else:
        form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = value.file.read()
            params[key] = {"filename": value.filename, "content_type": value.content_type}
        elif key in _TEXT_PARAMS:
            params[key] = value
        else:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    return params, files


def _error(
    status: int, description: str, retry_after: int | None = None, migrate_to: int | None = None
) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    if migrate_to is not None:
        body["parameters"] = {"migrate_to_chat_id": migrate_to}
    return web.json_response(body, status=status)


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    api = FakeBotApi()
    api.start()
    try:
        yield api
    finally:
        api.stop()


__all__ = ["BOT_USER", "TOKEN", "FakeBotApi", "RecordedRequest", "bot_api"]
