"""uvicorn in the engine's own asyncio loop, beside the scheduler and the bot.

The engine owns the signals (Ctrl-C, SIGTERM set its stop event), so uvicorn is told not
to install handlers; the socket is bound before serving, so a test can ask for port 0
and read the port back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Callable, Generator

import uvicorn
from starlette.types import ASGIApp

log = logging.getLogger("nhacviec.web")


class _EngineOwnedSignals(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.listening.set()


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class WebServer:
    def __init__(
        self,
        app: ASGIApp,
        host: str,
        port: int,
        announce: Callable[[str], None] | None = None,
    ) -> None:
        # announce(origin): told once the socket accepts connections (the CLI prints it)
        self.announce = announce
        self.socket = bind(host, port)
        self.host = host
        self.port: int = self.socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            lifespan="off",
            log_level="warning",
            access_log=False,
            proxy_headers=True,  # X-Forwarded-For from the reverse proxy on 127.0.0.1
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        self.server = _EngineOwnedSignals(config)

    async def _listening(self, task: asyncio.Task[None]) -> None:
        """Return once the socket accepts connections; raise if serving ended first."""
        waiter = asyncio.create_task(self.server.listening.wait())
        await asyncio.wait((task, waiter), return_when=asyncio.FIRST_COMPLETED)
        if not waiter.done():
            waiter.cancel()
            await task  # it failed to start: raise why
            raise RuntimeError("the web server stopped before it listened")

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set, then let requests in progress finish."""
        task = asyncio.create_task(self.server.serve(sockets=[self.socket]))
        try:
            await self._listening(task)
            log.info("Trang web đang chạy tại %s", self.origin)
            if self.announce is not None:
                self.announce(self.origin)
            await stop.wait()
        finally:
            self.server.should_exit = True
            await task
            self.socket.close()
            log.info("Trang web đã dừng")


@contextlib.asynccontextmanager
async def serving(app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[WebServer]:
    """For tests and scripts: a running server until the block ends."""
    server = WebServer(app, host, port)
    stop = asyncio.Event()
    task = asyncio.create_task(server.run(stop))
    waiter = asyncio.create_task(server.server.listening.wait())
    await asyncio.wait((task, waiter), return_when=asyncio.FIRST_COMPLETED)
    if not waiter.done():
        waiter.cancel()
        await task
    try:
        yield server
    finally:
        stop.set()
        await task
