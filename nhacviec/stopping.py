"""How a command ends when the user presses Ctrl-C: one line, status 130 (the shell's code)."""

from __future__ import annotations

import os
import signal
import sys


def stopped() -> None:
    """Say that the user stopped the command, and end with status 130.

    Called only at the outermost layer, once the command's own `finally` blocks have run.
    The process ends with os._exit: after a KeyboardInterrupt the interpreter may
    otherwise end itself by SIGINT on the way out (seen as -2, not 130, by a parent)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this line
    try:
        sys.stderr.write("Đã dừng.\n")
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(130)
