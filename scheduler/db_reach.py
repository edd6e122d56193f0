"""Whether the configured database can be reached, said in Vietnamese before anything runs.

A wrong port, a server that is down, a wrong password, a missing database or a SQLite
folder that cannot be made would otherwise surface as a driver's exception from deep in
a migration. One connection is tried first and its failure named in one line; the
password never appears in it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

_OS_REASONS = {
    FileExistsError: "một phần của đường dẫn là tệp, không phải thư mục",
    NotADirectoryError: "một phần của đường dẫn là tệp, không phải thư mục",
    FileNotFoundError: "thư mục cha không tồn tại",
    PermissionError: "không có quyền ghi",
}
_SERVER_REASONS = (
    ("connection refused", "máy chủ không nhận kết nối (chưa chạy, hoặc sai cổng)"),
    ("password authentication failed", "sai tên người dùng hoặc mật khẩu"),
    ("no password supplied", "cần mật khẩu"),
    ("does not exist", "chưa có cơ sở dữ liệu hoặc người dùng này trên máy chủ"),
    ("could not translate host name", "không tìm thấy máy chủ theo tên"),
    ("name or service not known", "không tìm thấy máy chủ theo tên"),
    ("timeout", "máy chủ không trả lời (hết thời gian chờ)"),
    ("unable to open database file", "không mở được tệp cơ sở dữ liệu"),
    ("not a database", "tệp này không phải cơ sở dữ liệu SQLite"),
    ("readonly", "tệp cơ sở dữ liệu chỉ đọc"),
)


class DatabaseUnreachable(Exception):
    """The database in config cannot be opened; the message says why, in Vietnamese."""


def check_reachable(url: str) -> None:
    """Raise DatabaseUnreachable unless one connection to `url` opens."""
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = _OS_REASONS.get(type(exc), "lỗi hệ thống")
            raise DatabaseUnreachable(
                f"không tạo được thư mục «{folder}» cho cơ sở dữ liệu ({why})"
            ) from None
    connect_args = {"connect_timeout": 10} if parsed.get_backend_name() == "postgresql" else {}
    engine = create_engine(url, connect_args=connect_args)
    try:
        with engine.connect():
            pass
    except (OperationalError, DBAPIError) as exc:
        text = str(exc.orig if exc.orig is not None else exc).lower()
        why = next((vi for en, vi in _SERVER_REASONS if en in text), "lỗi kết nối")
        raise DatabaseUnreachable(f"không mở được cơ sở dữ liệu {shown}: {why}") from None
    finally:
        engine.dispose()
