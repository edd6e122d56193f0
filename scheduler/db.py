"""The database: engine creation and schema upgrades through Alembic."""

from __future__ import annotations

import fcntl
import re
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine

import scheduler.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from scheduler.db_reach import check_reachable

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, *, busy_ms: int = 5000) -> Engine:
    """An engine for `url`; SQLite files get their folder created and WAL for a reader + writer.

    `busy_ms` is how long a SQLite statement waits for another writer's lock: the engine
    runs every statement off the event loop, so a wait blocks one worker thread, never the
    loop."""
    connect_args: dict[str, object] = {}
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        connect_args["check_same_thread"] = False
    engine = create_engine(url, connect_args=connect_args)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # Durable across a process crash in WAL mode; only a power cut may lose the
            # last commits, which the engine's idempotent outbox tolerates.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
            cursor.close()

    return engine


# SQLite's extended result codes (sqlite3.Error.sqlite_errorname) and PostgreSQL's SQLSTATEs
# of a database that refuses every write until someone acts: retrying would only loop.
_READ_ONLY = ("SQLITE_READONLY", "25006", "42501")
_FULL = ("SQLITE_FULL", "53100", "53200", "54000")
_UNWRITABLE = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "58030")


def database_fault(exc: BaseException) -> str | None:
    """One Vietnamese line for a database that cannot take writes (read-only, full, gone),
    None for anything else (a lock, a lost connection: the next cycle retries those)."""
    found: BaseException | None = exc
    while found is not None and not isinstance(found, DBAPIError):
        found = found.__cause__ or found.__context__
    if found is None:
        return None
    orig = found.orig
    code = str(getattr(orig, "sqlite_errorname", None) or getattr(orig, "sqlstate", None) or "")
    detail = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if code.startswith(_READ_ONLY) or "readonly database" in detail:
        return (
            f"cơ sở dữ liệu chỉ cho đọc, nhacviec không ghi được ({detail}). "
            "Cấp quyền ghi cho tệp và thư mục của nó (hoặc cho vai trò PostgreSQL) rồi chạy lại."
        )
    if code.startswith(_FULL) or "database or disk is full" in detail:
        return (
            f"cơ sở dữ liệu đã đầy, không ghi thêm được ({detail}). "
            "Giải phóng dung lượng đĩa rồi chạy lại; các lần gửi chưa kịp ghi sẽ được ghi khi chạy lại."
        )
    if code.startswith(_UNWRITABLE):
        return (
            f"không ghi được vào cơ sở dữ liệu ({detail}). "
            "Kiểm tra đĩa và đường dẫn trong [database] rồi chạy lại."
        )
    return None


def alembic_config(url: str) -> AlembicConfig:
    # Imported when a schema is checked, not with the module: Alembic brings Mako and
    # Pygments, most of a short command's start-up (a preview needs no migration).
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _sqlite_file(url: str) -> Path | None:
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return Path(url.removeprefix("sqlite:///"))
    return None


def file_identity(engine: Engine) -> tuple[int, int] | None:
    """(device, inode) of a SQLite database file; None for a server (or no file yet)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return None
    try:
        stat = Path(database).stat()
    except FileNotFoundError:
        return (-1, -1)
    return (stat.st_dev, stat.st_ino)


def lock_key(name: str) -> int:
    """A stable 32-bit number for a lock's name (PostgreSQL advisory locks take numbers)."""
    return zlib.crc32(f"nhacviec:{name}".encode())


def upgrade(url: str) -> None:
    """Create or upgrade the schema to the newest migration, one engine at a time.

    Engines started at the same instant would otherwise all see an empty database and all
    create the tables. On PostgreSQL the migration runs in one transaction holding an
    advisory lock (DDL is transactional there, so the next engine finds the schema done);
    on SQLite a lock file beside the database serialises the engines."""
    from alembic import command

    check_reachable(url)
    config = alembic_config(url)
    path = _sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.with_name(path.name + ".migrate-lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                command.upgrade(config, "head")
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return
    if not url.startswith("postgresql"):
        command.upgrade(config, "head")
        return
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key("migrate")})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def exclusive(session: Session, name: str, *, wait: float = 120.0) -> None:
    """Make the session's transaction the only writer of `name` until it ends.

    For the select-then-insert work a start-up does (plans, rows, occurrences): the second
    engine waits, then finds what the first one wrote instead of inserting it again. On
    PostgreSQL a transaction-level advisory lock; on SQLite the database's write lock,
    taken up front (BEGIN IMMEDIATE), retried while another writer holds it."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(name)})
        return
    if connection.dialect.name == "sqlite":
        _begin_immediate(connection, wait)


def _begin_immediate(connection: Connection, wait: float) -> None:
    raw = connection.connection.dbapi_connection
    if raw is None or getattr(raw, "in_transaction", True):
        return  # a write already holds the lock for this transaction
    deadline = time.monotonic() + wait
    while True:
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise


_REVISION = re.compile(
    r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([\w.-]+|None)['\"]?", re.M
)


def head_revision() -> str:
    """The newest migration, read from the files: Alembic itself takes longer to import
    than most commands take to run."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The schema's migration, or None when there is no schema yet."""
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError:
        return None
    except Exception as exc:  # PostgreSQL: ProgrammingError for a missing table
        if "alembic_version" in str(exc):
            return None
        raise
    return str(found) if found is not None else None


def open_database(url: str) -> Engine:
    try:
        engine = make_engine(url)
    except OSError:
        check_reachable(url)  # says in Vietnamese why the folder cannot be made
        raise
    if current_revision(engine) != head_revision():
        upgrade(url)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _regenerate_initial() -> None:
    """Developer tool, before the first release: rebuild 0001 from the models."""
    import tempfile

    from alembic import command

    target = MIGRATIONS / "versions" / "0001_initial.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/empty.db"
        command.revision(alembic_config(url), message="initial", autogenerate=True, rev_id="0001")
    produced = next((MIGRATIONS / "versions").glob("0001_*.py"))
    produced.rename(target)
    print(f"wrote {target}")


if __name__ == "__main__":
    if sys.argv[1:] == ["regenerate-initial"]:
        _regenerate_initial()
    else:
        print("usage: python -m scheduler.db regenerate-initial", file=sys.stderr)
        sys.exit(2)
