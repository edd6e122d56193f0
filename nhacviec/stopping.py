"""How a command ends when the user presses Ctrl-C: one line, status 130 (the shell's code)."""

from __future__ import annotations

import signal
import sys


def stopped() -> None:
    """Say that the user stopped the command, and end with status 130."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this line
    try:
        sys.stderr.write("Đã dừng.\n")
        sys.stderr.flush()
    finally:
        sys.exit(130)
