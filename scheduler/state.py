"""Small facts the engine keeps between runs (the last instant a cycle ran, ...)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from scheduler.models import EngineState


def save_state(db: Engine, key: str, value: str) -> None:
    """Insert or overwrite in one statement: engines started together both write it."""
    dialect = db.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        with Session(db) as session:
            state = session.get(EngineState, key) or EngineState(key=key)
            state.value = value
            session.add(state)
            session.commit()
        return
    # Imported here: the PostgreSQL dialect costs ~20 ms of a command's start-up, and
    # most commands never save a state (a preview never does).
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(EngineState).values(key=key, value=value)
    statement = statement.on_conflict_do_update(
        index_elements=["key"], set_={"value": statement.excluded.value}
    )
    with db.begin() as connection:
        connection.execute(statement)


def load_state(db: Engine, key: str) -> str | None:
    with Session(db) as session:
        state = session.get(EngineState, key)
        return state.value if state else None
