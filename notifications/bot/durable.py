"""The bot's HTTP layer: a reply is retried until the Bot API takes it, never dropped.

PTB's Updater acknowledges an update (advances the offset) as soon as getUpdates returns
it, before any handler runs. A reply that then meets a 500 or a dropped connection would
be lost: the command is never delivered again. So the requests that carry an answer
(sendMessage, editMessageText, editMessageReplyMarkup) are retried here, with a capped
backoff, for as long as the fault lasts. Updates are handled one at a time, so the
handler waits and the replies still arrive in the order of the commands.

getUpdates is retried the same way: PTB's own polling loop backs off up to 30 s, which
made the bot answer half a minute after the API was back; here the wait stays under
`cap`. A 4xx (and a 429, which the rate limiter handles) is an answer, not a fault.

When the bot stops, a reply still waiting is kept (`KeptReplies`, in the database) and
sent first on the next start, so a shutdown during an outage loses nothing either.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, Protocol

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter

log = logging.getLogger("nhacviec.bot")

# Endpoints whose request is an answer someone waits for. answerCallbackQuery is not one:
# after a fault the query has expired, and the button's spinner stops on its own.
REPLIES = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})
FIRST_WAIT = 0.25  # seconds before the first retry
CAP = 5.0  # the longest wait between two tries: the bot answers within this of recovery


class ReplyStore(Protocol):
    """Where a reply waiting on a fault is kept across restarts (see kept_replies.py)."""

    def keep(self, endpoint: str, parameters: dict[str, Any]) -> int: ...

    def delivered(self, reply_id: int) -> None: ...

    def waiting(self) -> list[tuple[int, str, dict[str, Any]]]: ...


class BotStopping(NetworkError):
    """The bot is stopping while a reply waits on a fault: it is kept for the next start."""


class DurableRequest(BaseRequest):
    """Wraps PTB's HTTPXRequest; retries replies (and getUpdates) through 5xx and dropped
    connections until they succeed or the bot stops."""

    def __init__(
        self,
        inner: BaseRequest,
        *,
        store: ReplyStore | None = None,
        retry: frozenset[str] = REPLIES,
        first_wait: float = FIRST_WAIT,
        cap: float = CAP,
        run_sync: Callable[..., Any] = asyncio.to_thread,
    ) -> None:
        self._inner = inner
        self._store = store
        self._retry = retry
        self._first_wait = first_wait
        self._cap = cap
        self._run_sync = run_sync
        self._stopping = asyncio.Event()
        self._base_url: str | None = None  # learnt from a request: the token stays in memory

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        self._stopping.clear()
        await self._inner.initialize()

    async def shutdown(self) -> None:
        self._stopping.set()
        await self._inner.shutdown()

    def stop_retrying(self) -> None:
        """Replies still waiting give up now (they are kept); called first when stopping."""
        self._stopping.set()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        base, _, endpoint = url.rpartition("/")
        self._base_url = base
        timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)

        async def once() -> tuple[int, bytes]:
            return await self._inner.do_request(url, method, request_data, *timeouts)

        if endpoint not in self._retry:
            return await once()
        parameters = request_data.parameters if request_data is not None else {}
        return await self._until_delivered(once, endpoint, parameters, None)

    async def send_kept(self) -> int:
        """Send the replies an earlier run kept, oldest first; how many went out."""
        if self._store is None or self._base_url is None:
            return 0
        sent = 0
        for reply_id, endpoint, parameters in await self._run_sync(self._store.waiting):
            url, data = f"{self._base_url}/{endpoint}", _request_data(parameters)

            async def once(url: str = url, data: RequestData = data) -> tuple[int, bytes]:
                return await self._inner.do_request(url, "POST", data)

            status, _ = await self._until_delivered(once, endpoint, parameters, reply_id)
            sent += status < 300
        return sent

    async def _until_delivered(
        self,
        once: Callable[[], Any],
        endpoint: str,
        parameters: dict[str, Any],
        reply_id: int | None,
    ) -> tuple[int, bytes]:
        wait, failures = self._first_wait, 0
        while True:
            failure: str
            try:
                status, payload = await once()
            except NetworkError as exc:  # TimedOut included; dropped or refused connections
                failure = str(exc)
            else:
                if status < 500:
                    await self._done(reply_id, endpoint, failures)
                    return status, payload
                failure = f"HTTP {status}"
            failures += 1
            if failures == 1:
                log.warning(
                    "Bot API failed on %s (%s); retrying until it answers", endpoint, failure
                )
            if reply_id is None and self._store is not None and endpoint in REPLIES:
                reply_id = await self._run_sync(self._store.keep, endpoint, dict(parameters))
            if self._stopping.is_set():
                kept = " (kept for the next start)" if reply_id is not None else ""
                raise BotStopping(f"bot stopping while {endpoint} waited on the Bot API{kept}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), wait)
            wait = min(wait * 2, self._cap)

    async def _done(self, reply_id: int | None, endpoint: str, failures: int) -> None:
        if failures:
            log.warning("Bot API answered %s again after %d failure(s)", endpoint, failures)
        if reply_id is not None and self._store is not None:
            await self._run_sync(self._store.delivered, reply_id)


def _request_data(parameters: dict[str, Any]) -> RequestData:
    """A kept request again; its parameters were stored JSON-ready."""
    return RequestData([RequestParameter(name, value, None) for name, value in parameters.items()])
