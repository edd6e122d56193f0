"""The Starlette application: routes, the stylesheet, and Vietnamese pages for every error."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from notifications.web.board import BoardPages
from notifications.web.deps import WebDeps
from notifications.web.evidence import EvidencePages
from notifications.web.pages import REFUSALS, Pages, SecurityHeaders
from notifications.web.signin import SignInPages

STATIC = Path(__file__).with_name("static")


def build_app(deps: WebDeps) -> Starlette:
    pages = Pages(deps.ctx.tz)
    evidence = EvidencePages(deps, pages)
    board = BoardPages(deps, pages)
    signin = SignInPages(deps, pages)

    async def home(request: Request) -> Response:
        return RedirectResponse("/bang", status_code=303)

    async def favicon(request: Request) -> Response:
        return RedirectResponse("/tinh/favicon.svg", status_code=301)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 405:
            return pages.render(
                "refused.html",
                405,
                title="Không hỗ trợ",
                text="Trang này không nhận kiểu yêu cầu đó.",
                back=None,
                code=405,
            )
        if status in (404, 403, 410, 413, 415, 429):
            reason = next(k for k, v in REFUSALS.items() if v[0] == status)
            return pages.refusal(reason if status != 404 else "not-found")
        return pages.render(
            "refused.html",
            500,
            title="Lỗi máy chủ",
            text="Có lỗi khi xử lý yêu cầu. Hãy thử lại sau ít phút.",
            back=None,
            code=500,
        )

    routes = [
        Route("/", home),
        Route("/favicon.ico", favicon),
        Route("/v/{token}", evidence.show, methods=["GET"]),
        Route("/v/{token}", evidence.submit, methods=["POST"]),
        Route("/v/{token}/hoan-tac", evidence.undo, methods=["POST"]),
        Route("/dang-nhap", signin.ask, methods=["GET"]),
        Route("/dang-nhap", signin.send, methods=["POST"]),
        Route("/dang-nhap/{token}", signin.confirm, methods=["GET"]),
        Route("/dang-nhap/{token}", signin.enter, methods=["POST"]),
        Route("/dang-xuat", signin.leave, methods=["POST"]),
        Route("/bang", board.show, methods=["GET"]),
        Route("/bang/viec/{code}", board.task, methods=["GET"]),
        Route("/bang/mien", board.waive, methods=["POST"]),
        Route("/bang/mo-lai", board.reopen, methods=["POST"]),
        Route("/bang/dot-xuat", board.adhoc, methods=["POST"]),
        Route("/tep/{file_id:int}", board.download, methods=["GET"]),
        Mount("/tinh", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={HTTPException: http_error, Exception: http_error},
    )

    return app
