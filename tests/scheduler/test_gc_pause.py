"""The collector is held off inside a tick and left as it was after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from scheduler.gc_pause import collector_paused


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_it_pauses_the_collector_inside_and_turns_it_back_on_after() -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_turns_it_back_on_after_an_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("tick failed")
    assert gc.isenabled()


def test_it_leaves_off_a_collector_its_caller_turned_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
