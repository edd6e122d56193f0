"""`nhacviec status`: the people the engine cannot reach right now, per person and channel."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from scheduler.delivery_view import DeliveryTrouble
from scheduler.engine_context import EngineContext

TROUBLE_NAMES = {
    "delayed": "máy chủ chưa nhận, đang gửi lại",
    "gave-up": "đã ngừng gửi lại",
    "bounced": "email bị trả lại",
    "blocked": "đã chặn bot",
    "rejected": "Telegram từ chối",
    "no-channel": "chưa có địa chỉ",
    "unknown-person": "không có trong danh bạ",
}


def print_troubles(ctx: EngineContext, troubles: list[DeliveryTrouble]) -> None:
    """A table after the tasks, only when something is wrong: an outage is visible."""
    if not troubles:
        return
    table = Table(title="Thông báo chưa gửi được")
    for column in ("Người nhận", "Kênh", "Vấn đề", "Từ lúc", "Đang chờ", "Chi tiết"):
        table.add_column(column)
    for t in troubles:
        table.add_row(
            ctx.directory.display_name(t.person_id) or t.person_id,
            t.channel,
            TROUBLE_NAMES.get(t.problem, t.problem),
            t.since.astimezone(ctx.tz).strftime("%d/%m/%Y %H:%M"),
            str(t.waiting),
            t.detail[:80],
        )
    Console().print(table)
