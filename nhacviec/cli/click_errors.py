"""Click's option-parsing errors, said in Vietnamese (Click's own texts are English)."""

from __future__ import annotations

import difflib
import re

from nhacviec.cli import clicklib as click

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"valid integer"), "phải là số nguyên"),
    (re.compile(r"valid number"), "phải là số"),
    (re.compile(r"valid boolean"), "phải là có/không"),
    # Click says "integer", Typer's own coercion "int": both, with or without "Value".
    (
        re.compile(r"(?:Value )?'?(.*?)'? is not a valid (?:integer|int)\b"),
        "«{0}» không phải là số nguyên",
    ),
    (re.compile(r"(?:Value )?'?(.*?)'? is not a valid float"), "«{0}» không phải là số"),
    (
        re.compile(r"(?:Value )?'?(.*?)'? is not a valid (?:boolean|bool)\b"),
        "«{0}» không phải là có/không",
    ),
    (re.compile(r"'?(.*?)'? is not one of (.*)\.?$"), "«{0}» không phải một trong: {1}"),
    (
        re.compile(r"'?(.*?)'? is not (?:a valid )?one of (.*)\.?$"),
        "«{0}» không phải một trong: {1}",
    ),
    (
        re.compile(r"'?(.*?)'? does not match the formats? (.*)\.?$"),
        "«{0}» không phải ngày (dd/mm/yyyy)",
    ),
    (re.compile(r"(?:File|Path|Directory) '(.*?)' does not exist"), "không có tệp «{0}»"),
    (re.compile(r"(?:File|Path) '(.*?)' is a directory"), "«{0}» là thư mục, không phải tệp"),
    (re.compile(r"Directory '(.*?)' is a file"), "«{0}» là tệp, không phải thư mục"),
    (re.compile(r"'?(.*?)'? is not in the range (.*)\.?$"), "«{0}» nằm ngoài khoảng {1}"),
)


def _param_name(param: click.Parameter | None, hint: str | None = None) -> str:
    if hint:
        return hint.strip("'\"")
    if param is None:
        return "giá trị"
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    named = getattr(param, "metavar", None) or getattr(param, "human_readable_name", None)
    return str(named or param.name or "").upper()


def _kind(param: click.Parameter | None) -> str:
    return "tuỳ chọn" if isinstance(param, click.Option) else "đối số"


def _translate_message(message: str) -> str:
    message = re.sub(r"^(Value error|Assertion failed), ", "", message)
    for pattern, template in _PATTERNS:
        match = pattern.search(message)
        if match:
            return template.format(*(g.strip().rstrip(".") for g in match.groups()))
    if any(ord(c) > 127 for c in message):
        return message  # ours already, in Vietnamese
    return "giá trị không dùng được"


def _no_such_command(exc: click.UsageError) -> str | None:
    match = re.search(r"No such command '(.*?)'", exc.message)
    if not match:
        return None
    name = match.group(1)
    choices: list[str] = []
    if exc.ctx is not None and isinstance(exc.ctx.command, click.Group):
        choices = exc.ctx.command.list_commands(exc.ctx)
    close = difflib.get_close_matches(name, choices, n=2, cutoff=0.5)
    hint = f" (có phải: {', '.join(close)}?)" if close else ""
    return f"không có lệnh «{name}»{hint}"


def vietnamese(exc: click.ClickException) -> str:
    """One line for people: what was wrong, in Vietnamese."""
    if isinstance(exc, click.MissingParameter):
        return f"thiếu {_kind(exc.param)} {_param_name(exc.param, exc.param_hint)}"  # type: ignore[arg-type]  # Click types param_hint loosely (str | Sequence[str] | None)
    if isinstance(exc, click.NoSuchOption):
        close = f" (có phải: {', '.join(exc.possibilities)}?)" if exc.possibilities else ""
        return f"không có tuỳ chọn {exc.option_name}{close}"
    if isinstance(exc, click.BadOptionUsage):
        if "requires an argument" in exc.message:
            return f"tuỳ chọn {exc.option_name} cần một giá trị"
        return f"tuỳ chọn {exc.option_name} dùng sai: {_translate_message(exc.message)}"
    if isinstance(exc, click.BadParameter):
        name = _param_name(exc.param, exc.param_hint)  # type: ignore[arg-type]  # Click types param_hint loosely (str | Sequence[str] | None)
        return f"{_kind(exc.param)} {name}: {_translate_message(exc.message)}"
    if isinstance(exc, click.UsageError):
        command = _no_such_command(exc)
        if command:
            return command
        match = re.search(r"unexpected extra arguments? \((.*)\)", exc.message)
        if match:
            return f"thừa đối số: {match.group(1)}"
        return _translate_message(exc.message)
    if isinstance(exc, click.FileError):
        return f"không mở được tệp «{exc.ui_filename}»"
    return _translate_message(exc.message)


def help_hint(exc: click.ClickException) -> str:
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "nhacviec"
    return f"Xem hướng dẫn: {path} --help"
