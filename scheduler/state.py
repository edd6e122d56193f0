"""Small facts the engine keeps between runs (the last instant a cycle ran, ...)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from scheduler.models import EngineState


def save_state(db: Engine, key: str, value: str) -> None:
    with Session(db) as session:
        state = session.get(EngineState, key) or EngineState(key=key)
        state.value = value
        session.add(state)
        session.commit()


def load_state(db: Engine, key: str) -> str | None:
    with Session(db) as session:
        state = session.get(EngineState, key)
        return state.value if state else None
