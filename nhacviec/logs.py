"""Readable log lines for the engine process."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler


def setup_logging(console: Console, level: int = logging.INFO) -> None:
    handler = RichHandler(
        console=console, show_path=False, rich_tracebacks=True, log_time_format="[%X]"
    )
    logging.basicConfig(level=level, format="%(message)s", handlers=[handler], force=True)
    for noisy in ("apscheduler", "httpx", "aiosmtplib", "telegram", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # A cycle still running when the next is due is skipped on purpose (max_instances=1).
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
