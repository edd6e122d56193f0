"""config.toml files as people break them: a value of another TOML type in any key, a key
removed or added, an entry repeated, a section written twice. Made from the bundled
config.toml with every optional section switched on."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import Any

import tomli_w
from hypothesis import strategies as st

from tests.fuzz.archives import ROOT

_EXTRA = """
[email.smtp]
host = "127.0.0.1"
port = 2525
security = "none"

[web]
listen = "127.0.0.1:8080"
base_url = "http://127.0.0.1:8080"

[database]
url = "sqlite:///var/nhacviec.db"
"""
BASE_TEXT = (
    (ROOT / "config.toml")
    .read_text(encoding="utf-8")
    .replace('[database]\nurl = "sqlite:///var/nhacviec.db"', "")
)
BASE = tomllib.loads(BASE_TEXT + _EXTRA)

_SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "61 25 * * mon", "* * *", "mon", "postgresql://", "sqlite://",
                     "mysql://x@127.0.0.1/db", "07:30", "3600", "nan", "\x00", "a\nb"]),
    st.integers(),
    st.sampled_from([0, -1, 3600, 2**31, 2**63 - 1, -(2**63)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, 0.5]),
    st.booleans(),
    st.dates(),
    st.times(),
    st.datetimes(),
    st.datetimes(timezones=st.just(timezone(timedelta(hours=7)))),
)  # fmt: skip
TOML_VALUES: st.SearchStrategy[Any] = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def key_paths(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every key and position of the settings, and of the first entry of each list."""
    return [
        path
        for path in _paths(data)
        if not any(isinstance(part, int) and part > 0 for part in path)
    ]


def set_at(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    _parent(data, path)[path[-1]] = value
    return data


@dataclass(frozen=True)
class Mutated:
    how: str
    text: str


_LISTS = ("units", "groups", "roles", "people", "escalation")


def _mutate(draw: st.DrawFn, data: dict[str, Any]) -> str:
    paths = _paths(data)
    if draw(st.booleans()):  # the sections of settings, not the long directory lists
        paths = [p for p in paths if p[0] not in _LISTS] or paths
    path = paths[draw(st.integers(0, len(paths) - 1))]
    parent, last = _parent(data, path), path[-1]
    how = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add", "repeat"]))
    if how == "replace":
        parent[last] = draw(TOML_VALUES)
    elif how == "remove":
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["extra", "id", "url", "cron", "email", "offset"]))] = draw(
            TOML_VALUES
        )
    elif how == "repeat" and isinstance(parent, list):
        parent.append(parent[last])
    return f"{how} {'.'.join(map(str, path))}"


@st.composite
def mutated_config(draw: st.DrawFn) -> Mutated:
    """The base config with one to three of its keys broken, or a section written twice."""
    if draw(st.integers(0, 9)) == 0:  # TOML forbids it: the file must say where
        header = draw(st.sampled_from(["[calendar]", "[digest]", "[timing]", "[delivery]"]))
        start = BASE_TEXT.index(header)
        block = BASE_TEXT[start : BASE_TEXT.index("\n\n", start)]
        return Mutated(f"twice {header}", BASE_TEXT + "\n" + block + "\n")
    data = tomllib.loads(tomli_w.dumps(BASE))  # a deep copy
    hows = [_mutate(draw, data) for _ in range(draw(st.integers(1, 3)))]
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):  # a value TOML cannot write (e.g. a time with a zone)
        text = BASE_TEXT
    return Mutated("; ".join(hows), text)
