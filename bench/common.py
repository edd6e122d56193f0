"""What every benchmark shares: the figure record, peak memory, the sqlite3 floors."""

from __future__ import annotations

import resource
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

Figure = dict[str, Any]


def figure(
    value: float, unit: str, what: str, *, floor: float | None = None, baseline: float | None = None
) -> Figure:
    """One measure. `ratio` is value / floor (or / baseline): for seconds, how many times
    slower than the floor; for a rate (unit ending in "/s"), the share of the floor reached."""
    reference = floor if floor is not None else baseline
    record: Figure = {"value": round(value, 4), "unit": unit, "what": what}
    if floor is not None:
        record["floor"] = round(floor, 4)
    if baseline is not None:
        record["baseline"] = round(baseline, 4)
    record["ratio"] = round(value / reference, 3) if reference else None
    return record


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def raw_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the project's own pragmas (scheduler/db.py)."""
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "foreign_keys=ON",
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "busy_timeout=5000",
    ):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def row_count(path: Path, table: str) -> int:
    connection = raw_connection(path)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def table_rows(path: Path, table: str, where: str = "") -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every column and row of `table`, read back as plain tuples (the floor re-writes them)."""
    connection = raw_connection(path)
    try:
        cursor = connection.execute(f"SELECT * FROM {table} {where}")
        names = [d[0] for d in cursor.description]
        return names, cursor.fetchall()
    finally:
        connection.close()


def executemany_floor(
    path: Path,
    writes: Iterable[tuple[str, Sequence[str], Sequence[tuple[Any, ...]]]],
    changes: Iterable[tuple[str, Sequence[tuple[Any, ...]]]] = (),
) -> float:
    """Seconds to insert the same rows with sqlite3.executemany in one transaction, then
    run each (statement, rows) of `changes` by executemany in it too.

    `path` is a database already at the project's schema (made by open_database), so the
    floor pays for the same indexes, constraints and pragmas the project does."""
    connection = raw_connection(path)
    try:
        started = time.perf_counter()
        connection.execute("BEGIN")
        for table, columns, rows in writes:
            marks = ", ".join("?" for _ in columns)
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )
        for statement, rows in changes:
            connection.executemany(statement, rows)
        connection.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close()
