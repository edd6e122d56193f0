"""Compiled templates kept in a folder render exactly what compiling afresh renders, and
are compiled again whenever what they were compiled from changed or cannot be read."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import Environment, select_autoescape
from jinja2.bccache import bc_magic

from notifications.base import OutgoingMessage
from notifications.render import TEMPLATES, Renderer, _environment
from notifications.template_cache import QuietBytecodeCache, kept_templates, settings_key
from tests.notifications.sample import AN, context

KINDS = ("window_open", "reminder_due", "overdue", "escalation", "checkin")


@pytest.fixture
def templates(tmp_path: Path) -> Iterator[Path]:
    """A copy of the shipped templates, free to edit; each test starts with no
    environment made, as a fresh process does."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    _environment.cache_clear()
    yield folder
    _environment.cache_clear()


def render_all(templates: Path, compiled: Path | None) -> list[OutgoingMessage]:
    renderer = Renderer(templates, compiled_dir=compiled)
    return [renderer.render(kind, context(), AN, f"k/{kind}") for kind in KINDS]


def next_process() -> None:
    """What a new command starts with: no template compiled in memory."""
    _environment.cache_clear()


def saved_files(compiled: Path) -> list[Path]:
    return sorted(compiled.glob("jinja-*/*.cache"))


def test_it_renders_alike_compiled_afresh_and_from_the_folder(
    templates: Path, tmp_path: Path
) -> None:
    compiled = tmp_path / "cache"
    fresh = render_all(templates, None)
    next_process()
    assert render_all(templates, compiled) == fresh  # compiles and saves
    saved = saved_files(compiled)
    assert saved and all(path.stat().st_size > 0 for path in saved)
    next_process()
    assert render_all(templates, compiled) == fresh  # loads what it saved
    env = _environment(templates, compiled)
    cache = env.bytecode_cache
    assert isinstance(cache, QuietBytecodeCache)
    for kind in KINDS:
        name = f"{kind}.j2"
        source = (templates / name).read_text(encoding="utf-8")
        assert cache.get_bucket(env, name, str(templates / name), source).code is not None


def test_a_changed_template_is_compiled_again(templates: Path, tmp_path: Path) -> None:
    compiled = tmp_path / "cache"
    render_all(templates, compiled)
    layout = templates / "_layout.txt"
    layout.write_text(layout.read_text(encoding="utf-8") + "\nDòng mới thêm.\n", encoding="utf-8")
    next_process()
    assert all("Dòng mới thêm." in message.text for message in render_all(templates, compiled))
    assert render_all(templates, None) == render_all(templates, compiled)


def test_other_compile_settings_keep_their_own_folder() -> None:
    def env(trim: bool = True, start: str = "{{", extensions: tuple[str, ...] = ()) -> Environment:
        made = Environment(
            trim_blocks=trim, lstrip_blocks=True, variable_start_string=start, extensions=extensions
        )
        made.filters["vndate"] = str
        return made

    base = settings_key(env())
    assert settings_key(env()) == base
    assert settings_key(env(trim=False)) != base
    assert settings_key(env(start="[[")) != base
    assert settings_key(env(extensions=("jinja2.ext.loopcontrols",))) != base
    fewer_filters = env()
    del fewer_filters.filters["vndate"]
    assert settings_key(fewer_filters) != base


def test_a_template_autoescaped_or_not_has_its_own_key(tmp_path: Path) -> None:
    html = Environment(autoescape=select_autoescape(enabled_extensions=("html",)))
    everything = Environment(autoescape=True)
    name, filename = "_layout.html", str(TEMPLATES / "_layout.html")
    key_html = kept_templates(tmp_path, html).get_cache_key(name, filename)
    assert key_html == kept_templates(tmp_path, everything).get_cache_key(name, filename)
    plain = kept_templates(tmp_path, html).get_cache_key("_layout.txt", filename)
    assert plain != kept_templates(tmp_path, everything).get_cache_key("_layout.txt", filename)


@pytest.mark.parametrize(
    "damage", [b"", b"not a cache", bc_magic, bc_magic + b"\x80\x04junk", bc_magic + b"\x00" * 9]
)
def test_a_damaged_file_is_compiled_again(templates: Path, tmp_path: Path, damage: bytes) -> None:
    compiled = tmp_path / "cache"
    fresh = render_all(templates, compiled)
    for path in saved_files(compiled):
        path.write_bytes(damage)
    next_process()
    assert render_all(templates, compiled) == fresh
    assert all(path.read_bytes().startswith(bc_magic) for path in saved_files(compiled))
    assert all(len(path.read_bytes()) > 100 for path in saved_files(compiled))


def test_a_folder_that_cannot_be_written_only_means_compiling(
    templates: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    caplog.set_level(logging.DEBUG, logger="notifications.template_cache")
    fresh = render_all(templates, None)
    next_process()
    assert render_all(templates, blocked / "below") == fresh
    next_process()
    assert render_all(templates, blocked / "below") == fresh
    assert "not saved" in caplog.text and blocked.read_text() == ""
    assert all(record.levelno == logging.DEBUG for record in caplog.records)
