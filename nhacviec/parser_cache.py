"""What commands keep in the user's cache folder between them: the timing grammar's
parser tables, and the compiled message templates.

Building Lark's LALR tables takes about 0.3 s of CPU, most of what `rules explain` or
`plan check` spends before it reads a phrase; loading saved tables takes about 0.01 s.
`rules/` stays pure: it hands the tables over as bytes, and this module does the file
work. Any failure here only means the tables are built again, as they would be anyway.
The templates' folder is only named here; notifications/template_cache.py keeps it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from rules.timing import load_parser_tables, parser_tables, tables_key

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """NHACVIEC_CACHE_DIR, else $XDG_CACHE_HOME/nhacviec, else ~/.cache/nhacviec."""
    if explicit := os.environ.get("NHACVIEC_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nhacviec"


def compiled_templates() -> Path:
    """Where rendering keeps compiled templates (Renderer's `compiled_dir`)."""
    return cache_dir() / "templates"


def warm_timing_parser() -> None:
    """Load the saved tables, or build them and save them for the next command."""
    path = cache_dir() / f"timing-{tables_key()}.lark"
    try:
        if load_parser_tables(path.read_bytes()):
            return
    except OSError as exc:  # not saved yet, or unreadable: built below
        log.debug("parser tables not read from %s: %s", path, exc)
    tables = parser_tables()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(tables)
        os.replace(partial, path)  # whole or not at all, when two commands start at once
    except OSError as exc:  # a read-only home: the next command builds the tables again
        log.debug("parser tables not saved in %s: %s", path.parent, exc)
