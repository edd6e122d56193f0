"""The process's first code: Ctrl-C at any moment of start-up is one line, not a traceback.

The console script and `python -m nhacviec` both come here before anything heavy is
imported, so an interrupt while typer, the config, the database or the plans load ends
as "Đã dừng." with exit status 130, the shell's code for Ctrl-C. Once `run` installs its
own handlers, Ctrl-C is a clean stop instead (exit 0). Only the interpreter's own start,
before this module runs, is out of reach.

The garbage collector is held off while the command's modules load: importing them makes
some 170,000 objects that live as long as the process, and the collector scanned them
over and over as they grew, then again in every full collection while the command worked
(a third of `digest --preview`'s CPU: 0.75 s against 0.52 s for the example). nhacviec.cli
turns it back on once the command is loaded, with those objects set aside for good
(gc.freeze), so the collections while the command works skip them."""

from __future__ import annotations

import gc

from nhacviec.stopping import stopped


def main() -> None:
    """Console entry point."""
    gc.disable()
    try:
        from nhacviec.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        stopped()
