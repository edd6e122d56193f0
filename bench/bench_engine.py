"""Engine at scale, each figure beside the same rows written the cheapest honest way.

Scenarios (each run by bench/__main__.py in its own process, so peak RSS is its own):
  compile  sync a compiled plan into an empty database, then re-sync it unchanged (a
           restart), then the idle tick; floors: the same rows by sqlite3.executemany in
           one transaction on the project's schema and pragmas, and the same reads raw.
  tick     one tick with 10,000 firings due; floor: the same claims (UPDATEs) and the
           same outbox rows by sqlite3.executemany in one transaction on a copy.
The province year on the virtual clock is in bench/bench_simulate.py.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bench.common import (
    Figure,
    executemany_floor,
    figure,
    peak_rss_mb,
    raw_connection,
    row_count,
    table_rows,
    timed,
)
from bench.synthetic import province_config, province_plan
from nhacviec.wiring import engine_context
from scheduler.db import open_database
from scheduler.loading import CompiledPlan
from scheduler.sync import sync_plan
from scheduler.ticker import Ticker

IDLE_TICKS = 30
DUE_QUERY = (
    "SELECT * FROM occurrence WHERE state = 'open' AND next_step_at <= ? "
    "ORDER BY next_step_at LIMIT 500"
)


def _copy_floor(source: Path, empty: Path, tables: tuple[str, ...]) -> float:
    """Seconds to write every row of `tables` from `source` into `empty` by executemany."""
    writes = []
    for table in tables:
        columns, rows = table_rows(source, table)
        writes.append((table, columns, rows))
    return executemany_floor(empty, writes)


def _sync(db: Any, ctx: Any, plans: list[CompiledPlan], now: datetime) -> None:
    with Session(db) as session:
        for plan in plans:
            sync_plan(session, ctx, plan, now)
        session.commit()


def _resync_floor(path: Path) -> float:
    """What an unchanged re-sync must at least do: read every occurrence's key and dates."""
    connection = raw_connection(path)
    try:
        started = time.perf_counter()
        found = {
            (r[0], r[1], r[2]): r[3:]
            for r in connection.execute(
                "SELECT row_id, unit_id, deadline_key, opens_on, due_on, label, state "
                "FROM occurrence"
            )
        }
        assert found
        return time.perf_counter() - started
    finally:
        connection.close()


def _idle(db: Any, ctx: Any, path: Path) -> tuple[float, float]:
    """Median idle tick (nothing due) and the same indexed poll raw, in seconds."""
    connection = raw_connection(path)
    first = connection.execute(
        "SELECT min(next_step_at) FROM occurrence WHERE state = 'open'"
    ).fetchone()[0]
    moment = _instant(first) - timedelta(hours=1)
    ticker = Ticker(db, ctx)
    ticks: list[float] = []
    polls: list[float] = []
    for i in range(IDLE_TICKS):
        at = moment - timedelta(minutes=i)
        raw_at = at.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        ticks.append(timed(partial(ticker.tick, at))[0])
        polls.append(timed(partial(_poll, connection, raw_at))[0])
    connection.close()
    return statistics.median(ticks), statistics.median(polls)


def _poll(connection: Any, raw_at: str) -> list[Any]:
    """The idle tick's floor: the due query alone, raw."""
    rows: list[Any] = connection.execute(DUE_QUERY, (raw_at,)).fetchall()
    return rows


def _instant(stored: str) -> datetime:
    """An instant as the database keeps it (UTC, SQLModel's UTCDateTime)."""
    found = datetime.fromisoformat(stored)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def compile_scenario(units: int, years: int = 1) -> dict[str, Figure]:
    """Sync `years` yearly plans for `units` units, re-sync them, then poll idle."""
    with tempfile.TemporaryDirectory() as tmp:
        path, floor_path = Path(tmp) / "bench.db", Path(tmp) / "floor.db"
        config = province_config(units, f"sqlite:///{path}")
        db, ctx = open_database(config.database_url()), engine_context(config)
        open_database(f"sqlite:///{floor_path}").dispose()
        plans = [province_plan(config, 2023 + y) for y in range(years)]
        now = datetime(2023, 1, 1, tzinfo=ctx.tz)
        # Loading the holidays package for each year is once per process, not per compile.
        for y in range(years + 1):
            ctx.calendar.is_working_day(date(2023 + y, 1, 1))
        compile_s, _ = timed(lambda: _sync(db, ctx, plans, now))
        resync_s, _ = timed(lambda: _sync(db, ctx, plans, now + timedelta(days=1)))
        idle_s, poll_s = _idle(db, ctx, path)
        # The engine's own high-water mark: before the floors read every row into memory.
        rss = peak_rss_mb()
        db.dispose()
        occurrences = row_count(path, "occurrence")
        # The re-sync changed nothing, so these are the rows the compile wrote.
        floor_s = _copy_floor(path, floor_path, ("plan", "plan_row", "occurrence"))
        resync_floor_s = _resync_floor(path)
    label = f"{units} units x {years} year(s), {occurrences:,} occurrences"
    return {
        "compile": figure(
            compile_s,
            "s",
            f"sync_plan into an empty database ({label}), calendar loaded first; floor: the same "
            "plan, row and "
            "occurrence rows by sqlite3.executemany in one transaction",
            floor=floor_s,
        ),
        "resync": figure(
            resync_s,
            "s",
            f"unchanged re-sync, as on restart ({label}); floor: reading every occurrence's "
            "key and dates raw",
            floor=resync_floor_s,
        ),
        "idle_tick_median": figure(
            idle_s * 1000,
            "ms",
            f"median of {IDLE_TICKS} ticks with nothing due ({label}); floor: the same "
            "indexed poll raw",
            floor=poll_s * 1000,
        ),
        "peak_rss": figure(
            rss, "MB", f"peak RSS of the process after compile, re-sync and idle ticks ({label})"
        ),
        "occurrences": figure(occurrences, "rows", label),
    }


def tick_scenario(units: int = 150, due: int = 10_000) -> dict[str, Figure]:
    """One tick with `due` firings due, beside the same claims and outbox rows raw."""
    with tempfile.TemporaryDirectory() as tmp:
        path, copy = Path(tmp) / "bench.db", Path(tmp) / "copy.db"
        config = province_config(units, f"sqlite:///{path}")
        db, ctx = open_database(config.database_url()), engine_context(config)
        _sync(db, ctx, [province_plan(config)], datetime(2023, 1, 1, tzinfo=ctx.tz))
        db.dispose()
        connection = raw_connection(path)
        raw_at = connection.execute(
            "SELECT next_step_at FROM occurrence WHERE state = 'open' "
            "ORDER BY next_step_at LIMIT 1 OFFSET ?",
            (due - 1,),
        ).fetchone()[0]
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        shutil.copy(path, copy)
        at = _instant(raw_at)
        db = open_database(config.database_url())
        tick_s, report = timed(lambda: Ticker(db, ctx).tick(at))
        db.dispose()
        floor_s = _tick_floor(path, copy, raw_at)
    return {
        "tick_10k_due": figure(
            tick_s,
            "s",
            f"one tick with {report.occurrences:,} firings due ({units} units), writing "
            f"{report.notifications:,} facts or outbox rows, {report.bundles:,} bundles; floor: the "
            "same select, claims, facts, bundles and bundle items by sqlite3 executemany in "
            "one transaction",
            floor=floor_s,
        )
    }


def _tick_floor(done: Path, copy: Path, raw_at: str) -> float:
    """The same select and claims, then every row the tick left in the outbox tables
    (reminder facts, bundle rows, bundle items; or plain outbox rows when not bundling),
    inserted as they ended up, by executemany in one transaction."""
    _names, claims = table_rows(done, "occurrence")
    level = _names.index("level")
    step = _names.index("next_step_at")
    ident = _names.index("id")
    updates = {r[ident]: (r[level], r[step], r[ident]) for r in claims}
    written = [(t, *table_rows(done, t)) for t in ("reminder_fact", "notification", "bundle_item")]
    connection = raw_connection(copy)
    try:
        started = time.perf_counter()
        connection.execute("BEGIN")
        found = connection.execute(DUE_QUERY.replace("LIMIT 500", ""), (raw_at,)).fetchall()
        claimed = [updates[r[0]] for r in found]
        connection.executemany(
            "UPDATE occurrence SET level = ?, next_step_at = ? WHERE id = ? AND state = 'open'",
            claimed,
        )
        for table, columns, rows in written:
            marks = ", ".join("?" for _ in columns)
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )
        connection.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close()
