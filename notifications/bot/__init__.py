"""The Telegram bot: answer a reminder in ten seconds, with evidence, only by the right people.

application = build_application(config.telegram, data_dir, db, ctx, clock)
await run_bot(application, stop)          # inside `nhacviec run`, beside the scheduler
"""

from __future__ import annotations

from notifications.bot.app import BotConfigError, build_application
from notifications.bot.lifecycle import run_bot, running_bot, start_bot, stop_bot

__all__ = ["BotConfigError", "build_application", "run_bot", "running_bot", "start_bot", "stop_bot"]
