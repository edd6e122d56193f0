"""Who may sign in to the board, and what they see: the QMR, Thư ký ISO, the ISO steering
committee and leadership see every unit; a unit head sees the units they head."""

from __future__ import annotations

from scheduler.engine_context import EngineContext

BOARD_ROLES = ("qmr", "thu-ky-iso", "bcd-iso", "lanh-dao")
ALL_UNITS = None


def board_scope(ctx: EngineContext, person_id: str) -> frozenset[str] | None:
    """None: every unit; a set: those units only. KeyError when the person may not sign in."""
    directory = ctx.directory
    person = directory.people.get(person_id)
    if person is None:
        raise KeyError(person_id)
    for role in BOARD_ROLES:
        if role in directory.roles and person in directory.role_people(role):
            return ALL_UNITS
    headed = frozenset(u.id for u in directory.units.values() if u.head == person_id)
    if not headed:
        raise KeyError(person_id)
    return headed


def may_sign_in(ctx: EngineContext, person_id: str) -> bool:
    try:
        board_scope(ctx, person_id)
    except KeyError:
        return False
    return True


def is_qmr(ctx: EngineContext, person_id: str) -> bool:
    person = ctx.directory.people.get(person_id)
    return person is not None and person in ctx.directory.role_people("qmr")
