"""A loopback Bot API that enforces Telegram's limits with real 429s, in its own process.

30 sendMessage per second overall and 1 per second per chat (sliding one-second
windows); a request over either limit is answered 429 with retry_after, as Telegram
does, and counted. Prints the port, serves until stdin closes, then prints the counts.
"""

from __future__ import annotations

import collections
import json
import sys
import time

from aiohttp import web

from tests.fakes.bot_api import FakeBotApi, _error, _read_params

OVERALL_PER_S = 30
PER_CHAT_PER_S = 1


class LimitedBotApi(FakeBotApi):
    def __init__(self) -> None:
        super().__init__()
        self.overall: collections.deque[float] = collections.deque()
        self.chats: dict[object, collections.deque[float]] = {}
        self.refused = 0
        self.accepted = 0
        self.first = self.last = 0.0

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] != "sendMessage":
            return await super()._api(request)
        params, _files = await _read_params(request)
        now = time.monotonic()
        chat = self.chats.setdefault(params.get("chat_id"), collections.deque())
        for window in (self.overall, chat):
            while window and window[0] <= now - 1.0:
                window.popleft()
        if len(self.overall) >= OVERALL_PER_S or len(chat) >= PER_CHAT_PER_S:
            self.refused += 1
            return _error(429, "Too Many Requests: retry after 1", 1)
        self.overall.append(now)
        chat.append(now)
        self.accepted += 1
        self.first = self.first or now
        self.last = now
        return await super()._api(request)


if __name__ == "__main__":
    api = LimitedBotApi()
    api.start()
    print(json.dumps({"port": api.port}), flush=True)
    sys.stdin.read()
    print(
        json.dumps(
            {"accepted": api.accepted, "refused": api.refused, "span": api.last - api.first}
        ),
        flush=True,
    )
    api.stop()
