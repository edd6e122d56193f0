"""`nhacviec people import FILE` and `people export FILE`: the staff sheet <-> config.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nhacviec.cli.common import DEFAULT_CONFIG, CommandError, ConfigOption
from nhacviec.config_messages import os_reason


def import_people(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="TỆP",
            help="Danh sách cán bộ .xlsx hoặc .csv (Họ và tên, Đơn vị, Chức vụ/Vai trò, Email, Telegram).",
        ),
    ],
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Thêm hoặc cập nhật người trong config.toml từ danh sách cán bộ (nhập lại không trùng)."""
    from nhacviec.config import ConfigError, parse_config
    from nhacviec.onboarding.people_merge import merge_people
    from nhacviec.onboarding.staff import StaffSheetError, read_sheet

    try:
        text = config.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"không đọc được {config}: {os_reason(exc)}") from None
    try:
        sheet = read_sheet(file)
    except StaffSheetError as exc:
        raise CommandError(str(exc)) from None
    merged, report = merge_people(text, sheet)
    if report.problems:
        raise CommandError(
            f"{file.name}: chưa ghi gì vào {config.name}, vì:\n  " + "\n  ".join(report.problems)
        )
    import tomllib

    try:
        parse_config(
            tomllib.loads(merged), source=str(config), base_dir=config.resolve().parent, text=merged
        )
    except ConfigError as exc:
        raise CommandError(f"sau khi nhập, {exc}") from None
    if merged != text:
        config.write_text(merged, encoding="utf-8")
    typer.echo(
        f"{file.name}: thêm {len(report.added)} người, cập nhật {len(report.updated)}, "
        f"không đổi {len(report.unchanged)}."
    )
    for role, pid in report.roles:
        typer.echo(f"  vai trò {role}: thêm {pid}")
    for unit, pid in report.heads:
        typer.echo(f"  trưởng đơn vị {unit}: {pid}")
    for note in report.notes:
        typer.echo(f"  Lưu ý: {note}")


def export_people(
    file: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp ghi ra: .xlsx hoặc .csv.")],
    config: ConfigOption = DEFAULT_CONFIG,
) -> None:
    """Ghi danh sách người của config.toml ra .xlsx/.csv (cùng các cột mà `import` đọc)."""
    from nhacviec.onboarding.people_merge import export_rows
    from nhacviec.onboarding.staff import StaffSheetError, write_sheet

    try:
        rows = export_rows(config.read_text(encoding="utf-8"))
        write_sheet(file, rows)
    except OSError as exc:
        raise CommandError(f"không ghi/đọc được tệp: {os_reason(exc)}") from None
    except StaffSheetError as exc:
        raise CommandError(str(exc)) from None
    typer.echo(f"Đã ghi {len(rows)} người vào {file}.")
