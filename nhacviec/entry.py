"""The process's first code: Ctrl-C at any moment of start-up is one line, not a traceback.

The console script and `python -m nhacviec` both come here before anything heavy is
imported, so an interrupt while typer, the config, the database or the plans load ends
as "Đã dừng." with exit status 130, the shell's code for Ctrl-C. Once `run` installs its
own handlers, Ctrl-C is a clean stop instead (exit 0). Only the interpreter's own start,
before this module runs, is out of reach."""

from __future__ import annotations

from nhacviec.stopping import stopped


def main() -> None:
    """Console entry point."""
    try:
        from nhacviec.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        stopped()
