"""Compiled message templates kept in a folder between commands (jinja2's bytecode cache).

Compiling the five templates of a digest takes about 0.08 s, a tenth of a
`digest --preview`; loading them compiled takes a few milliseconds. The folder is the
caller's (the CLI passes its cache folder); this module only keeps it correct:

- jinja2 already rejects a saved template whose source changed (it stores the source's
  checksum) or that another Python wrote (its magic header);
- what else decides the compiled code, the jinja2 version and the environment's
  settings (delimiters, whitespace rules, filter and test names, extensions), names a
  subfolder of its own, so a change to either compiles afresh; whether a template is
  autoescaped (a function of its name) is part of its own key;
- a folder that cannot be read or written, or a damaged file, only means compiling, as
  without a cache: logged at debug level, never raised.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

log = logging.getLogger(__name__)


class QuietBytecodeCache(FileSystemBytecodeCache):
    """jinja2's file cache, with every failure turned into "not saved"."""

    def __init__(self, directory: Path, env: Environment) -> None:
        super().__init__(str(directory))
        self._autoescape = env.autoescape

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """jinja2's key (name and file), and whether this name is autoescaped: that is
        decided when the template compiles, by a function of the name."""
        escaped = self._autoescape(name) if callable(self._autoescape) else self._autoescape
        return super().get_cache_key(f"{name}|autoescape={bool(escaped)}", filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception as exc:  # unreadable, damaged, truncated: compiled again below
            bucket.reset()
            log.debug("compiled template %s not read from %s: %s", bucket.key, self.directory, exc)

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except Exception as exc:  # read-only, full, not a folder: the next command compiles
            log.debug("compiled template %s not saved in %s: %s", bucket.key, self.directory, exc)


def kept_templates(folder: Path, env: Environment) -> QuietBytecodeCache:
    """The cache for `env` under `folder`, in the subfolder of its compile settings."""
    return QuietBytecodeCache(folder / f"jinja-{settings_key(env)}", env)


def settings_key(env: Environment) -> str:
    """What, besides a template's source and name, the compiled code depends on."""
    settings = (
        jinja2.__version__,
        sys.implementation.cache_tag,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        env.finalize is not None,
        sorted(env.filters),
        sorted(env.tests),
        sorted(env.extensions),
        f"{type(env).__module__}.{type(env).__qualname__}",
        f"{env.code_generator_class.__module__}.{env.code_generator_class.__qualname__}",
    )
    return hashlib.sha256(repr(settings).encode("utf-8")).hexdigest()[:24]
