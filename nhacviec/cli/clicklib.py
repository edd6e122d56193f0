"""The Click that Typer runs on: its own vendored copy in Typer >= 0.2x, else `click`."""

from __future__ import annotations

try:
    from typer._click.core import Command, Context, Parameter
    from typer._click.exceptions import (
        BadOptionUsage,
        BadParameter,
        ClickException,
        FileError,
        MissingParameter,
        NoArgsIsHelpError,
        NoSuchOption,
        UsageError,
    )
    from typer._click.formatting import HelpFormatter
    from typer.core import TyperGroup as Group
    from typer.core import TyperOption as Option
    from typer.exceptions import Abort
except ImportError:  # pragma: no cover - an older Typer on plain Click
    from click import (  # type: ignore[assignment]  # plain Click's classes stand in for Typer's of the same name
        Abort,
        BadOptionUsage,
        BadParameter,
        ClickException,
        Command,
        Context,
        FileError,
        Group,
        HelpFormatter,
        MissingParameter,
        NoSuchOption,
        Option,
        Parameter,
        UsageError,
    )
    from click.exceptions import NoArgsIsHelpError  # type: ignore[assignment]  # plain Click's classes stand in for Typer's of the same name

__all__ = [
    "Abort",
    "BadOptionUsage",
    "BadParameter",
    "ClickException",
    "Command",
    "Context",
    "FileError",
    "Group",
    "HelpFormatter",
    "MissingParameter",
    "NoArgsIsHelpError",
    "NoSuchOption",
    "Option",
    "Parameter",
    "UsageError",
]
