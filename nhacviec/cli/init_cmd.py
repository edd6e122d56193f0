"""`nhacviec init PLAN`: a working config.toml for a plan, and what is left to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nhacviec.cli.common import CommandError


def init(
    plan: Annotated[
        Path,
        typer.Argument(metavar="KẾ-HOẠCH", help="Tệp kế hoạch: .docx, .xlsx, .txt, .toml, .csv."),
    ],
    directory: Annotated[
        Path, typer.Option("--dir", help="Thư mục ghi config.toml (mặc định: thư mục hiện tại).")
    ] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Ghi đè config.toml đã có.")] = False,
) -> None:
    """Tạo config.toml cho một kế hoạch: lịch, thang nhắc, danh bạ khung từ các tên trong kế hoạch."""
    from nhacviec.onboarding.config_text import config_text
    from nhacviec.onboarding.skeleton import build_skeleton
    from rules.importers import load_plan

    loaded = load_plan(plan)
    target = directory / "config.toml"
    if target.exists() and not force:
        raise CommandError(f"đã có {target}; dùng --force để ghi đè")
    skeleton = build_skeleton(loaded)
    directory.mkdir(parents=True, exist_ok=True)
    target.write_text(config_text(loaded, plan, skeleton, directory), encoding="utf-8")
    typer.echo(
        f"Đã ghi {target}: kế hoạch {loaded.organisation or plan.name} năm {loaded.year}, "
        f"{len(loaded.rows)} dòng; {len(skeleton.units)} đơn vị, {len(skeleton.groups)} nhóm, "
        f"{len(skeleton.roles)} vai trò."
    )
    typer.echo("Còn phải làm:")
    for number, item in enumerate(checklist(skeleton), start=1):
        typer.echo(f"  {number}. {item}")


def checklist(skeleton: object) -> list[str]:
    from nhacviec.onboarding.skeleton import Skeleton

    assert isinstance(skeleton, Skeleton)
    units = ", ".join(f"{u.id} ({u.name})" for u in skeleton.units.values())
    roles = ", ".join(f"{r.id} ({r.name})" for r in skeleton.roles.values())
    items = [
        "Lập danh sách cán bộ (.xlsx hoặc .csv, dòng đầu: Họ và tên, Đơn vị, Chức vụ/Vai trò, "
        "Email, Telegram) rồi chạy `nhacviec people import danh-sach.xlsx`.",
        f"Mỗi đơn vị cần ít nhất một người: {units}." if units else "",
        f"Mỗi vai trò cần người giữ (ghi ở cột Chức vụ/Vai trò): {roles}.",
    ]
    for group in skeleton.groups.values():
        names = ", ".join(f"«{a}»" for a in group.aliases)
        also = f" và các tên {names}" if names else ""
        items.append(
            f"Nhóm «{group.name}» ({group.id}){also} hiện gồm mọi đơn vị: bỏ đơn vị không "
            "thuộc nhóm; tên nào chỉ một số đơn vị thì tách ra một [[groups]] riêng."
        )
    items += [
        "Ghi địa chỉ gửi thư ở [email] from; có máy chủ thư thì mở [email.smtp].",
        "Có bot Telegram thì đặt biến môi trường NHACVIEC_TELEGRAM_TOKEN.",
        "Kiểm tra: `nhacviec config check`, rồi `nhacviec plan check --config config.toml` "
        "và `nhacviec run --dry-run`.",
    ]
    return [i for i in items if i]
