"""Which engines are alive: each holds a lock the operating system or the server drops
the moment its process dies, so a row it was sending is handed over at once, not after
a lease of minutes.

On SQLite the lock is an flock() on a small file beside the database (one per engine);
on PostgreSQL a session-level advisory lock on a connection the engine keeps open. A
kill -9 closes both. Any other database: every engine counts as alive, and only the
lease (on the database's clock) hands rows over.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
import uuid
import zlib
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, func, literal, text
from sqlalchemy.sql.elements import ColumnElement

log = logging.getLogger("nhacviec.engine")

NAMESPACE = 0x6E76  # "nv": the first key of our two-key advisory locks


def _key(token: str) -> int:
    return zlib.crc32(token.encode()) & 0x7FFFFFFF


class Liveness:
    """This engine's token and lock, and the question "is that engine still alive?"."""

    def __init__(self, db: Engine) -> None:
        self.db = db
        self.token = uuid.uuid4().hex[:16]
        self._file: IO[str] | None = None
        self._connection: Connection | None = None
        self._folder = _lock_folder(db)
        if self._folder is not None:
            self._folder.mkdir(parents=True, exist_ok=True)
            # Locked under a temporary name, then renamed: a lock file anyone can see is
            # already held, so no engine mistakes a starting one for a dead one.
            starting = self._folder / f".{self.token}.starting"
            self._file = starting.open("w")
            fcntl.flock(self._file, fcntl.LOCK_EX)
            starting.rename(self._folder / f"{self.token}.lock")
        elif db.dialect.name == "postgresql":
            self._connection = db.connect()
            self._connection.execute(
                text("SELECT pg_advisory_lock(:n, :k)"), {"n": NAMESPACE, "k": _key(self.token)}
            )
            self._connection.commit()

    def is_alive(self, token: str | None) -> bool:
        """False only when the engine that took `token` is known to be gone."""
        if token is None or token == self.token:
            return token is not None
        if self._folder is not None:
            return _file_locked(self._folder / f"{token}.lock")
        if self.db.dialect.name == "postgresql":
            with self.db.connect() as connection:
                params = {"n": NAMESPACE, "k": _key(token)}
                free = connection.execute(text("SELECT pg_try_advisory_lock(:n, :k)"), params)
                if free.scalar_one():
                    connection.execute(text("SELECT pg_advisory_unlock(:n, :k)"), params)
                    return False
                return True
        return True

    def place(self) -> tuple[int, int]:
        """(this engine's place, how many engines are alive), in the order of their lock
        keys, on PostgreSQL. Elsewhere, or when this engine's own lock is not among them
        (its connection dropped), (0, 1): it counts itself alone, so no row is left to
        no one. A dead engine's key held for a moment by `is_alive` counts as one more."""
        if self._connection is None:
            return 0, 1
        with self.db.connect() as connection:
            held = connection.execute(
                text(
                    "SELECT DISTINCT objid::bigint FROM pg_locks WHERE locktype = 'advisory'"
                    " AND granted AND objsubid = 2 AND classid::bigint = :n AND database ="
                    " (SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"n": NAMESPACE},
            )
            keys = sorted(int(key) for key in held.scalars())
        mine = _key(self.token)
        return (keys.index(mine), len(keys)) if mine in keys else (0, 1)

    def close(self) -> None:
        if self._file is not None:
            assert self._folder is not None
            (self._folder / f"{self.token}.lock").unlink(missing_ok=True)
            self._file.close()
            self._file = None
        if self._connection is not None:
            # A pooled connection outlives close(): the lock is let go of explicitly.
            self._connection.execute(
                text("SELECT pg_advisory_unlock(:n, :k)"), {"n": NAMESPACE, "k": _key(self.token)}
            )
            self._connection.commit()
            self._connection.close()
            self._connection = None


def _lock_folder(db: Engine) -> Path | None:
    if db.dialect.name != "sqlite" or not db.url.database or db.url.database == ":memory:":
        return None
    path = Path(db.url.database)
    return path.with_name(path.name + ".engines")


def _file_locked(path: Path) -> bool:
    try:
        handle = path.open("r")
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    # Its engine died without cleaning up; the file is no one's now.
    with contextlib.suppress(OSError):
        path.unlink()
    return False


def database_now(db: Engine) -> ColumnElement[Any]:
    """The database server's clock, in UTC, as an SQL expression: leases are measured on
    one clock for every engine, not on each machine's (or each replay's) own."""
    if db.dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d %H:%M:%f", "now")
    return func.now()


def database_later(db: Engine, wait: timedelta) -> ColumnElement[Any]:
    """`database_now(db) + wait`, as an SQL expression."""
    if db.dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d %H:%M:%f", "now", f"+{wait.total_seconds():.3f} seconds")
    return func.now() + literal(wait)


class Leadership:
    """One engine at a time does `name` (polling Telegram: two pollers on one token get
    409 Conflict). The lock is the same kind as the liveness lock, so when the leader dies
    the next `try_lead()` of another engine takes over at once."""

    def __init__(self, db: Engine, name: str) -> None:
        self.db, self.name = db, name
        self._file: IO[str] | None = None
        self._connection: Connection | None = None
        self.leading = False
        # The renewal runs in a worker thread while the stop closes on the loop's thread:
        # one connection must never be used by both at once.
        self._guard = threading.Lock()

    def try_lead(self) -> bool:
        with self._guard:
            return self._try_lead()

    def _try_lead(self) -> bool:
        if self.leading:
            return True
        folder = _lock_folder(self.db)
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            handle = (folder / f"leader-{self.name}").open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                return False
            self._file, self.leading = handle, True
        elif self.db.dialect.name == "postgresql":
            connection = self.db.connect()
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:n, :k)"),
                {"n": NAMESPACE + 1, "k": _key(self.name)},
            ).scalar_one()
            connection.commit()
            if not got:
                connection.close()
                return False
            self._connection, self.leading = connection, True
        else:
            self.leading = True
        return True

    def holds(self) -> bool:
        """Still the leader: on PostgreSQL, the connection that holds the lock is alive
        (a server restart or a dropped connection lets the lock go)."""
        with self._guard:
            return self._holds()

    def _holds(self) -> bool:
        if not self.leading:
            return False
        if self._connection is None:
            return True
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
        except Exception:
            self._connection.invalidate()
            self._connection = None
            self.leading = False
            return False
        return True

    def close(self) -> None:
        with self._guard:
            self._close()

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:n, :k)"),
                    {"n": NAMESPACE + 1, "k": _key(self.name)},
                )
                self._connection.commit()
            except Exception:  # the connection is gone, and the lock with it
                self._connection.invalidate()
            self._connection.close()
        self._file, self._connection, self.leading = None, None, False
