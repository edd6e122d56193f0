"""Engine at scale: compile, tick latency, memory, a simulated year; vs one job per reminder.

Figures are printed, never asserted. Scales: a province (150 units x 26 rows) and the
country (3,300 units x 26 rows). The baseline is the design we did not choose: one
APScheduler job per reminder step in a SQLAlchemy job store.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, func, select

from bench.synthetic import province_config, province_plan
from nhacviec.wiring import engine_context
from rules.escalation import ladder
from rules.timing import deadlines
from scheduler.db import open_database
from scheduler.models import Occurrence
from scheduler.simulate import Simulation
from scheduler.sync import sync_plan
from scheduler.ticker import Ticker


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(units: int, ticks: int, simulate_year: bool, horizon_days: int = 365) -> dict[str, Any]:
    """Compile, then tick at `ticks` random moments within `horizon_days` of the year start.

    Each moment gets a catch-up tick (all that fell due since the previous moment) and a
    steady-state tick one minute later; the latter is what a running engine pays.
    """
    with tempfile.TemporaryDirectory() as tmp:
        config = province_config(units, f"sqlite:///{Path(tmp) / 'bench.db'}")
        db = open_database(config.database_url())
        ctx = engine_context(config)
        plan = province_plan(config)
        tz = ctx.tz
        started = time.perf_counter()
        with Session(db) as session:
            sync_plan(session, ctx, plan, datetime(2023, 1, 1, tzinfo=tz))
            session.commit()
            occurrences = session.exec(select(func.count()).select_from(Occurrence)).one()
        figures: dict[str, Any] = {
            "units": units,
            "occurrences": occurrences,
            "compile_s": time.perf_counter() - started,
        }
        ticker = Ticker(db, ctx)
        rng = random.Random(7)
        moments = sorted(
            datetime(2023, 1, 2, 7, tzinfo=tz)
            + timedelta(minutes=rng.randrange(horizon_days * 1440))
            for _ in range(ticks)
        )
        steady, catch_up = [], []
        for moment in moments:
            t0 = time.perf_counter()
            ticker.tick(moment)  # everything due since the last moment: a catch-up
            t1 = time.perf_counter()
            ticker.tick(moment + timedelta(minutes=1))  # the next minute: a steady-state tick
            catch_up.append(t1 - t0)
            steady.append(time.perf_counter() - t1)
        steady.sort()
        figures |= {
            "tick_median_ms": statistics.median(steady) * 1000,
            "tick_p99_ms": steady[int(len(steady) * 0.99) - 1] * 1000,
            "catch_up_max_s": max(catch_up),
        }
        if simulate_year:
            db2 = open_database(f"sqlite:///{Path(tmp) / 'sim.db'}")
            t0 = time.perf_counter()
            sent = sum(
                1 for _ in Simulation(db2, ctx, [plan]).run(date(2023, 1, 1), date(2023, 12, 31))
            )
            figures |= {"simulated_year_s": time.perf_counter() - t0, "timeline_entries": sent}
        figures["peak_rss_mb"] = _rss_mb()
        return figures


# The baseline's jobs are moved years ahead so that starting the scheduler measures loading
# them, not firing a past year's reminders.
FUTURE = timedelta(days=5 * 365 + 1)


def naive(units: int, limit: int) -> dict[str, Any]:
    """One APScheduler job per reminder step, SQLAlchemy job store: the rejected design."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    with tempfile.TemporaryDirectory() as tmp:
        config = province_config(units, f"sqlite:///{Path(tmp) / 'x.db'}")
        ctx = engine_context(config)
        plan = province_plan(config)

        reminders = [
            (unit, d, f)
            for item in plan.rows
            if item.schedule
            for d in deadlines(item.schedule, 2023, ctx.calendar)
            for unit in ctx.directory.lead_units(item.lead)
            for f in ladder(ctx.policy_for(d.kind), d.opens, d.due, ctx.calendar)
        ]
        store = SQLAlchemyJobStore(url=f"sqlite:///{Path(tmp) / 'jobs.db'}")
        scheduler = BackgroundScheduler(jobstores={"default": store}, timezone=ctx.tz)
        scheduler.start(paused=True)
        t0 = time.perf_counter()
        for i, (unit, deadline, firing) in enumerate(reminders[:limit]):
            scheduler.add_job(
                print,
                "date",
                run_date=datetime.combine(firing.day + FUTURE, ctx.work_start),
                args=[unit, deadline.key, firing.step.name],
                id=f"j{i}",
            )
        add_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        scheduler.resume()
        start_s = time.perf_counter() - t1
        scheduler.shutdown(wait=False)
        added = min(limit, len(reminders))
        return {
            "units": units,
            "jobs_needed": len(reminders),
            "jobs_added": added,
            "add_s": add_s,
            "add_per_s": added / add_s,
            "start_s": start_s,
            "peak_rss_mb": _rss_mb(),
            "extrapolated_add_s": len(reminders) / (added / add_s),
        }


def _isolated(function: Any, *args: Any) -> dict[str, Any]:
    """Run in a fresh process so peak memory is that scenario's own."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def main() -> dict[str, Any]:
    results = {
        "province": _isolated(scale, 150, 200, True),
        # Over ten days only: with nobody ever logging evidence, a national year of
        # catch-up ticks is ~5M firings and measures that worst case, not the tick.
        "national": _isolated(scale, 3300, 100, False, 10),
        "naive_province": _isolated(naive, 150, 20_000),
    }
    for name, figures in results.items():
        print(
            f"{name:>15}: "
            + ", ".join(
                f"{k}={v:,.3f}" if isinstance(v, float) else f"{k}={v:,}"
                for k, v in figures.items()
            )
        )
    return results


if __name__ == "__main__":
    main()
