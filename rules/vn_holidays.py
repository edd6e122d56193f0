"""Vietnam's public holidays from the `holidays` package, without its other 250 countries.

`holidays.country_holidays("VN")` imports every country module the package has (about
0.1 s of CPU, most of a short command's start-up), because the countries package
imports them all. The Vietnam module imports none of them, so it is loaded on its own
from the package's files; if the package's layout ever changes, the public call is used.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from typing import Any

import holidays

_MODULE = "holidays.countries.vietnam"


@cache
def _vietnam_class() -> Any:
    loaded = sys.modules.get(_MODULE)
    if loaded is not None:
        return loaded.Vietnam
    path = Path(holidays.__file__).parent / "countries" / "vietnam.py"
    spec = importlib.util.spec_from_file_location("nhacviec_holidays_vietnam", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Vietnam


def vietnam_holidays(year: int) -> Any:
    """The package's Vietnam holidays for `year`, names in Vietnamese."""
    try:
        vietnam = _vietnam_class()
    except Exception:  # a package layout this module does not know: the public way
        vietnam = None
    if vietnam is None:
        return holidays.country_holidays("VN", years=year, language="vi")
    return vietnam(years=year, language="vi")
