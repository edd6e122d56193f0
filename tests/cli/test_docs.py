"""Every command the CLI offers is documented in the README."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from nhacviec.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_it_documents_every_command_in_the_readme() -> None:
    group = get_command(app)
    missing = [
        name
        for name in group.commands  # type: ignore[attr-defined]  # Click's Group has commands; the typed base Command does not
        if f"`nhacviec {name}" not in README
    ]
    assert missing == []


def test_it_opens_the_readme_with_the_two_commands() -> None:
    opening = README[:400]
    assert "make run" in opening and "make test" in opening
