"""The cyclic garbage collector held off while a tick runs.

A busy tick allocates hundreds of thousands of short-lived tuples, dicts and strings.
The collector starts a pass every 700 net allocations and, every few passes, walks the
older generations, which hold the whole engine (directory, calendar, plans, SQLAlchemy's
metadata): measured, a fifth of a tick with 10,000 firings due. What a tick allocates is
freed by reference counting as it goes; the few cycles it leaves (closed sessions) wait
for the collector's next pass after it, which the process's own allocations soon bring.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collector passes inside; the collector as it was after (a caller that turned it
    off itself, such as start-up, keeps it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
