"""Every key of config.toml given a value of every TOML type: a Config or a ConfigError
in Vietnamese naming the key, never another exception. A sweep, not a sample: the keys are
few and each check is quick, so every pair is tried in every run."""

from __future__ import annotations

import copy
import math
import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest

from nhacviec.config import ConfigError, parse_config
from tests.fuzz.configs import BASE, key_paths, set_at

VALUES: tuple[Any, ...] = (
    "", "x", "61 25 * * mon", "mysql://x@127.0.0.1/db", "07:30", "nan", "a\x00b",
    0, -1, 3600, 2**63 - 1, -(2**63), 10**30,
    0.5, -0.0, 1e308, math.inf, -math.inf, math.nan,
    True, False,
    date(2024, 2, 30 - 1), time(7, 30), time(23, 59, 59, 999999),
    datetime(2024, 1, 2, 7, 30), datetime(2024, 1, 2, 7, 30, tzinfo=timezone(timedelta(hours=7))),
    [], [1, "a"], [[]], {}, {"a": 1}, [{"id": 1}],
)  # fmt: skip
# Words of pydantic's and Python's own messages: one of them means a raw text got through
# (as does "giá trị không dùng được (…)", the fallback that quotes an untranslated reason).
FOREIGN = re.compile(r"Input should|should be|Value error|validation|Traceback|object|Error\b")


@pytest.mark.parametrize("path", key_paths(BASE), ids=lambda p: ".".join(map(str, p)))
def test_every_value_of_every_type_is_taken_or_refused_in_vietnamese(path: tuple[Any, ...]) -> None:
    for value in VALUES:
        data = set_at(copy.deepcopy(BASE), path, value)
        try:
            parse_config(data)
        except ConfigError as exc:
            message = str(exc)
            assert not FOREIGN.search(message), f"{path} = {value!r}: {message}"
            assert "giá trị không dùng được (" not in message, f"{path} = {value!r}: {message}"
            if value not in ([], {}, ""):  # an emptied list may be named by what refers to it
                assert str(path[0]) in message, f"{path} = {value!r}: {message}"
