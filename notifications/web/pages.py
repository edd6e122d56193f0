"""Server-rendered pages: one Jinja2 environment, Vietnamese, autoescaped; refusals as pages.

Every response carries headers that keep a personal link from leaking (no Referer, no
caching) and keep pages from being framed or running scripts.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notifications.render import vndate

TEMPLATES = Path(__file__).with_name("templates")
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-store",
}

REFUSALS: dict[str, tuple[int, str, str]] = {
    "unknown": (404, "Không tìm thấy đường liên kết", "Đường liên kết không đúng hoặc đã bị sửa."),
    "expired": (
        410,
        "Đường liên kết đã hết hạn",
        "Hãy dùng đường liên kết trong thư nhắc mới nhất.",
    ),
    "revoked": (
        410,
        "Đường liên kết đã bị thu hồi",
        "Hãy dùng đường liên kết trong thư nhắc mới nhất.",
    ),
    "used": (
        410,
        "Đường liên kết đã được dùng",
        "Mỗi đường liên kết đăng nhập chỉ dùng được một lần.",
    ),
    "purpose": (
        403,
        "Không đúng loại đường liên kết",
        "Đường liên kết này không mở được trang này.",
    ),
    "form-missing": (
        403,
        "Biểu mẫu không hợp lệ",
        "Thiếu mã bảo vệ biểu mẫu. Hãy mở lại trang và gửi lại.",
    ),
    "form-bad": (
        403,
        "Biểu mẫu không hợp lệ",
        "Mã bảo vệ biểu mẫu không đúng. Hãy mở lại trang và gửi lại.",
    ),
    "form-used": (
        410,
        "Biểu mẫu này đã được gửi",
        "Biểu mẫu này đã được gửi một lần; không có gì thay đổi thêm.",
    ),
    "form-expired": (410, "Biểu mẫu đã hết hạn", "Hãy mở lại trang và gửi lại."),
    "other-task": (403, "Không đúng việc", "Đường liên kết này dành cho một việc khác."),
    "forbidden": (403, "Không có quyền", "Bạn không có quyền thực hiện thao tác này."),
    "signed-out": (403, "Cần đăng nhập", "Hãy đăng nhập bằng đường liên kết gửi qua thư."),
    "not-found": (404, "Không tìm thấy", "Trang hoặc tệp này không có."),
    "too-large": (413, "Tệp quá lớn", "Tổng dung lượng tệp vượt giới hạn cho một lần gửi."),
    "file-type": (415, "Loại tệp không được nhận", "Chỉ nhận PDF, ảnh và tài liệu Office."),
    "too-many": (
        429,
        "Quá nhiều lần thử",
        "Có quá nhiều đường liên kết sai từ máy này. Hãy thử lại sau ít phút.",
    ),
}


def _localtime(value: datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    local = value.astimezone(tz)
    return f"{local:%H:%M} {vndate(local.date())}"


class Pages:
    def __init__(self, tz: ZoneInfo, templates_dir: Path = TEMPLATES) -> None:
        self.env = Environment(
            loader=FileSystemLoader(templates_dir),
            undefined=StrictUndefined,
            autoescape=select_autoescape(("html",), default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["vndate"] = vndate
        self.env.filters["localtime"] = lambda value: _localtime(value, tz)

    def render(self, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(**values)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def refusal(
        self, reason: str, *, detail: str | None = None, back: str | None = None
    ) -> HTMLResponse:
        status, title, text = REFUSALS[reason]
        return self.render(
            "refused.html", status, title=title, text=detail or text, back=back, code=status
        )


def client_address(request: Request) -> str:
    """The browser's address (uvicorn resolves X-Forwarded-For from a trusted proxy)."""
    return request.client.host if request.client else "?"


class SecurityHeaders:
    """ASGI middleware: the headers above on every response (redirects, the stylesheet,
    downloads), without overriding what a handler set itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


def today_in(tz: ZoneInfo, now: datetime) -> date:
    return now.astimezone(tz).date()
