"""The engine process: load the plans, then let APScheduler wake the engine.

APScheduler holds two named engine jobs (the cycle: tick, dispatch, periodic checks; and
housekeeping), never one job per reminder: the database is the truth, so a restart loses
nothing and sends nothing twice. Periodic work (the weekly digest, reports) is a check the
cycle runs against the engine's clock and records per period in the database, so it
behaves the same on the real clock, on a replayed year, and across restarts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from scheduler.clock import Clock
from scheduler.db import database_fault, exclusive, file_identity
from scheduler.engine_context import EngineContext
from scheduler.leader import Leader
from scheduler.loading import CompiledPlan
from scheduler.models import Occurrence
from scheduler.state import save_state
from scheduler.sync import sync_plan
from scheduler.ticker import Ticker

log = logging.getLogger("nhacviec.engine")

PeriodicCheck = Callable[[datetime], Awaitable[None]]


@dataclass
class Prepared:
    db: Engine
    ctx: EngineContext
    plans: list[CompiledPlan] = field(default_factory=list)


def prepare(ctx: EngineContext, plans: list[CompiledPlan], db: Engine, now: datetime) -> Prepared:
    """Bring the (upgraded) database's occurrences up to date with the compiled plans.

    One engine at a time: a second engine started at the same instant waits for the first
    one's sync, then finds its rows and occurrences instead of inserting them again."""
    with Session(db) as session:
        exclusive(session, "plan-sync")
        for compiled in plans:
            report = sync_plan(session, ctx, compiled, now)
            log.info(
                "Kế hoạch %s (%s, năm %s): %d dòng; việc mới %d, cập nhật %d, ngừng %d",
                compiled.key,
                compiled.plan.organisation or "?",
                compiled.plan.year,
                report.rows,
                report.created,
                report.updated,
                report.retired,
            )
            for problem in compiled.problems:
                log.warning(
                    "%s — %s %s",
                    problem.message,
                    problem.text and f"«{problem.text}»",
                    problem.hint,
                )
        session.commit()
        total = session.exec(select(func.count()).select_from(Occurrence)).one()
    log.info(
        "Cơ sở dữ liệu: %s; %d việc đang theo dõi",
        db.url.render_as_string(hide_password=True),
        total,
    )
    return Prepared(db, ctx, plans)


class EngineProcess:
    """One asyncio loop: the scheduler's jobs, the dispatcher and (when configured) the bot."""

    def __init__(
        self,
        prepared: Prepared,
        clock: Clock,
        dispatch: Callable[[], Awaitable[object]],
        *,
        tick_seconds: float = 60.0,
        leader: Leader | None = None,
    ) -> None:
        self.prepared, self.clock, self.dispatch = prepared, clock, dispatch
        self.leader = leader  # None: this engine does the singletons itself
        self.ticker = Ticker(prepared.db, prepared.ctx)
        self.tick_seconds = tick_seconds
        self.checks: list[tuple[str, PeriodicCheck]] = []
        self.housekeeping: list[Callable[[], Awaitable[object]]] = []
        # Called as soon as the stop is asked for, before waiting for the cycle under way.
        self.on_stop: list[Callable[[], object]] = []
        self._busy = asyncio.Lock()
        self._stop: asyncio.Event | None = None
        # A SQLite file deleted or replaced under a running engine: carrying on would write
        # to a file no one reads (or to an older copy) and resend everything on restart.
        self._file = file_identity(prepared.db)
        self.fault: str | None = None

    def add_check(self, name: str, check: PeriodicCheck) -> None:
        """Run `check(now)` on every cycle; it must do its work once per period (JobRun)."""
        self.checks.append((name, check))

    def _database_gone(self) -> bool:
        if self._file is None or file_identity(self.prepared.db) == self._file:
            return False
        database = self.prepared.db.url.database
        self.fault = (
            f"Tệp cơ sở dữ liệu {database} đã bị xoá hoặc thay thế trong lúc chạy; "
            "dừng lại để không gửi lại thông báo. Khôi phục tệp rồi chạy lại."
        )
        log.error(self.fault)
        if self._stop is not None:
            self._stop.set()
        return True

    async def cycle(self) -> None:
        """Tick, then deliver what is due. Never raises into the scheduler."""
        async with self._busy:
            if self._database_gone():
                return
            if self.leader is not None:
                await self.leader.renew()  # before recovery and the digest, which it gates
            now = self.clock.now()
            try:
                report = await asyncio.to_thread(self.ticker.tick, now)
                for code, step, count in report.decided:
                    log.info(
                        "%s  việc %s: bước %s → %d thông báo",
                        now.astimezone(self.prepared.ctx.tz).strftime("%d/%m/%Y %H:%M"),
                        code,
                        step,
                        count,
                    )
                await self.dispatch()
                await asyncio.to_thread(save_state, self.prepared.db, "clock", now.isoformat())
            except Exception as exc:
                if self._faulted(exc):
                    return
                log.exception("engine cycle failed; the next cycle will retry")
            for name, check in self.checks:
                try:
                    await check(now)
                except Exception as exc:
                    if self._faulted(exc):
                        return
                    log.exception("%s failed; it will be retried on the next cycle", name)

    def _faulted(self, exc: BaseException) -> bool:
        """A read-only or full database stops the engine with one line: every later cycle
        would fail the same way, and a send it cannot record would be sent again."""
        fault = database_fault(exc)
        if fault is None:
            return False
        self.fault = fault[0].upper() + fault[1:]
        log.error(self.fault)
        if self._stop is not None:
            self._stop.set()
        return True

    async def housekeep(self) -> None:
        for job in self.housekeeping:
            try:
                await job()
            except Exception:
                log.exception("housekeeping failed")

    async def run(self, stop: asyncio.Event) -> None:
        self._stop = stop
        scheduler = AsyncIOScheduler(timezone=self.prepared.ctx.tz)
        scheduler.add_job(
            self.cycle,
            "interval",
            seconds=self.tick_seconds,
            id="tick",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
            next_run_time=datetime.now(self.prepared.ctx.tz),
        )
        scheduler.add_job(
            self.housekeep,
            "interval",
            minutes=10,
            id="housekeeping",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=600,
        )
        scheduler.start()
        log.info("Đang chạy. Nhấn Ctrl-C để dừng.")
        # Between cycles too: with a minute between ticks, a dead leader's work would
        # otherwise wait up to that minute for a new leader.
        keeping = asyncio.create_task(self.leader.keep(stop)) if self.leader else None
        try:
            await stop.wait()
            if keeping is not None:
                await keeping
        finally:
            # Let a cycle that is delivering finish: shutting down first would cancel it
            # mid-send and leave rows in 'sending' until the lease runs out. The hooks
            # make that cycle short (the dispatcher stops claiming).
            scheduler.pause()
            for hook in self.on_stop:
                hook()
            async with self._busy:
                scheduler.shutdown(wait=False)
                log.info("Đã dừng.")
