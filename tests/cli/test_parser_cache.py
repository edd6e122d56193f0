"""The timing parser's tables, saved in the cache folder, read phrases as a fresh build does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nhacviec.parser_cache import warm_timing_parser
from rules.timing import clear_cache, compile_phrase, load_parser_tables
from rules.timing import parser as timing_parser

PHRASES = ("Trước ngày 15/6/2024", "Hằng quý, trước ngày 20 tháng cuối quý", "Tháng 2-3/2024")


@pytest.fixture
def fresh_parser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("NHACVIEC_CACHE_DIR", str(tmp_path))
    _forget()
    yield tmp_path
    _forget()


def _forget() -> None:
    timing_parser._built.clear()
    timing_parser._lalr_cache.clear()
    clear_cache()


def _readings() -> list[str]:
    return [repr(compile_phrase(phrase, 2024).rules) for phrase in PHRASES]


def test_it_saves_the_tables_once_and_reads_alike_from_them(fresh_parser: Path) -> None:
    built = _readings()
    _forget()
    warm_timing_parser()
    saved = list(fresh_parser.glob("timing-*.lark"))
    assert len(saved) == 1 and saved[0].stat().st_size > 10_000
    _forget()
    warm_timing_parser()  # now from the file
    assert timing_parser._built and _readings() == built


def test_it_builds_again_when_the_saved_tables_are_damaged(fresh_parser: Path) -> None:
    warm_timing_parser()
    saved = next(fresh_parser.glob("timing-*.lark"))
    saved.write_bytes(b"not tables")
    _forget()
    warm_timing_parser()
    assert saved.stat().st_size > 10_000  # rewritten whole
    assert compile_phrase(PHRASES[0], 2024).rules


def test_it_refuses_bytes_that_are_not_tables(fresh_parser: Path) -> None:
    assert load_parser_tables(b"\x80\x04garbage") is False
    assert not timing_parser._built


def test_it_keeps_working_when_the_cache_folder_cannot_be_written(
    fresh_parser: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = fresh_parser / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("NHACVIEC_CACHE_DIR", str(blocked / "below"))
    warm_timing_parser()
    assert compile_phrase(PHRASES[0], 2024).rules
