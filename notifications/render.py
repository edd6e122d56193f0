"""Rendering outbox rows into messages: Jinja2 templates, Vietnamese, one environment.

Each message kind is a small template (`templates/<kind>.j2`) of plain-text macros:
`subject()`, `headline()` and `intro()`. Three layouts place them around the shared
detail (plan, row, deadline, evidence, how to answer): `_layout.txt` for the email's text
part, `_layout.html` for its HTML part and `_layout.tg.html` for Telegram. The layouts
ending in .html are autoescaped, so every dynamic part, macros included, is escaped there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from notifications.base import Button, OutgoingMessage, Recipient
from rules.vndate import vietnamese_date

TEMPLATES = Path(__file__).with_name("templates")
TELEGRAM_LIMIT = 4096
CLIP_MARKER = "\n… (đã rút gọn)"


def vndate(value: date | str | None) -> str:
    """Jinja filter: "2024-08-30" or a date -> "thứ Sáu, 30/08/2024"; None -> ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return vietnamese_date(value)


def occurrence_buttons(context: Mapping[str, Any]) -> tuple[Button, ...]:
    """The reminder keyboard; only messages about an occurrence get one."""
    occurrence = context.get("occurrence") or {}
    code = occurrence.get("code")
    if not code:
        return ()
    return (
        Button("✅ Đã hoàn thành", f"done:{code}"),
        Button("📎 Gửi minh chứng", f"evidence:{code}"),
        Button("📋 Chi tiết", f"detail:{code}"),
    )


class LazyLink:
    """A template's `link`, issued only when a template shows it (a message without a
    row shows none)."""

    def __init__(self, link_for: Callable[[str | None], str | None], code: str | None) -> None:
        self._link_for, self._code = link_for, code

    def __bool__(self) -> bool:
        return bool(self._link_for(self._code))

    def __str__(self) -> str:
        return self._link_for(self._code) or ""

    def __html__(self) -> str:
        return str(escape(str(self)))


BUNDLE_BUTTONS = 20  # items with a button in one bundle; the rest are answered by code


def bundle_buttons(context: Mapping[str, Any]) -> tuple[Button, ...]:
    """One "done" button per item of a daily bundle, in the order the message lists them."""
    items = [i for g in context.get("groups", ()) for i in g["items"]]
    return tuple(
        Button(f"✅ {i['ref']} · {i['code']}", f"done:{i['code']}") for i in items[:BUNDLE_BUTTONS]
    )


def buttons_for(context: Mapping[str, Any], layout: str | None) -> tuple[Button, ...]:
    if context.get("kind") == "bundle":
        return bundle_buttons(context)
    return occurrence_buttons(context) if not layout else ()


class PlainText:
    """A template module whose macros return plain text, so autoescaping layouts escape it.

    Called from an autoescaping template, a Jinja macro marks its output safe, although a
    macro of a .j2 template never escaped what it interpolated ("&" in "Phòng NN&PTNT"
    then broke Telegram's HTML). Called as a plain function it returns a plain string.
    """

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._module, name)
        if not callable(value):
            return value
        return lambda *args, **kwargs: str(value(*args, **kwargs))


class Renderer:
    """Renders `template` with an outbox row's context into an OutgoingMessage.

    A kind template (`<template>.j2`) defines the message's phrases as macros; layouts put
    them into the three parts. A kind may bring its own layouts with
    `{% set layout = "digest" %}`: then `digest.txt.j2`, `digest.html.j2` and `digest.tg.j2`.
    """

    LAYOUTS: ClassVar[dict[str, str]] = {
        "txt": "_layout.txt",
        "html": "_layout.html",
        "tg": "_layout.tg.html",
    }

    def __init__(
        self,
        templates_dir: Path = TEMPLATES,
        links: Callable[[str, int | str], str | None] | None = None,
        compiled_dir: Path | None = None,
    ) -> None:
        # links(person_id, occurrence id or code): the person's web link to it, or None.
        # compiled_dir: where compiled templates are kept between processes (the CLI's
        # cache folder, notifications/template_cache.py); None compiles them in memory.
        self.links = links
        self.env = _environment(templates_dir, compiled_dir)
        self._common = PlainText(self.env.get_template("_common.j2").module)

    def render(
        self, template: str, context: dict[str, Any], recipient: Recipient, key: str
    ) -> OutgoingMessage:
        """Raises jinja2 errors (TemplateNotFound, UndefinedError) for a bad template or context."""
        link_for = self._link_for(recipient)
        values = {
            **_with_item_links(context, link_for),
            "recipient": recipient,
            "link": context.get("link")
            or LazyLink(link_for, (context.get("occurrence") or {}).get("code")),
            "link_for": link_for,
        }
        kind = self.env.get_template(f"{template}.j2").make_module(values)
        layout = getattr(kind, "layout", None)
        names = {part: f"{layout}.{part}.j2" for part in self.LAYOUTS} if layout else self.LAYOUTS
        layout_values = {**values, "k": PlainText(kind), "c": self._common}

        def part(name: str) -> str:
            return self.env.get_template(names[name]).render(layout_values)

        return OutgoingMessage(
            key=key,
            recipient=recipient,
            subject=" ".join(str(kind.subject()).split()),  # type: ignore[attr-defined]  # a template's macros are attributes made at run time
            text=_tidy(part("txt")),
            html=part("html"),
            telegram_html=clip_telegram_html(_tidy(part("tg"))),
            buttons=buttons_for(context, layout),
        )

    def _link_for(self, recipient: Recipient) -> Callable[[str | None], str | None]:
        """`link_for(code)` for templates: the recipient's personal link to that occurrence
        (None without [web] or an email address). Once per code and message: the text and
        HTML parts show the same link, and an item a template does not show costs nothing."""
        made: dict[str, str | None] = {}
        links = self.links

        def link_for(code: str | None) -> str | None:
            if links is None or not code or not recipient.email:
                return None
            if code not in made:
                made[code] = links(recipient.person_id, code)
            return made[code]

        return link_for


def _with_item_links(
    context: dict[str, Any], link_for: Callable[[str | None], str | None]
) -> dict[str, Any]:
    """A daily bundle's items (`groups[].items[]`) with their personal links filled in at
    render time: the outbox keeps `link: None`, never a working token."""
    groups = context.get("groups")
    if not isinstance(groups, list):
        return context
    filled = []
    for group in groups:
        items = group.get("items") if isinstance(group, dict) else None
        if not isinstance(items, list):
            filled.append(group)
            continue
        filled.append(
            {
                **group,
                "items": [
                    {**item, "link": item.get("link") or LazyLink(link_for, item.get("code"))}
                    if isinstance(item, dict)
                    else item
                    for item in items
                ],
            }
        )
    return {**context, "groups": filled}


@lru_cache(maxsize=8)
def _environment(templates_dir: Path, compiled_dir: Path | None = None) -> Environment:
    """One environment per template folder for the process: each template is compiled
    once, not once per Renderer (a digest made one), and not checked on disk at each use;
    with `compiled_dir`, once for every process, until the template or the settings change."""
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        undefined=StrictUndefined,
        autoescape=select_autoescape(
            enabled_extensions=("html",), default=False, default_for_string=False
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["vndate"] = vndate
    if compiled_dir is not None:  # after the filters: their names are part of the key
        from notifications.template_cache import kept_templates

        env.bytecode_cache = kept_templates(compiled_dir, env)
    return env


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces: templates stay readable."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


_TOKEN = re.compile(r"<[^>]*>|&[#A-Za-z0-9]+;|[^<&]+|[<&]")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); an upper bound of the visible text."""
    return len(text.encode("utf-16-le")) // 2


def clip_telegram_html(html: str, limit: int = TELEGRAM_LIMIT, marker: str = CLIP_MARKER) -> str:
    """Cut Telegram HTML to `limit` with a visible marker, never inside a tag or an entity,
    closing the tags left open so Telegram still parses it."""
    if _units(html) <= limit:
        return html
    out: list[str] = []
    open_tags: list[str] = []
    used = 0
    budget = limit - _units(marker)
    for token in _TOKEN.findall(html):
        tag = _TAG.match(token)
        closers = "".join(f"</{t}>" for t in reversed(open_tags))
        pieces = [token] if tag or token.startswith("&") else list(token)
        for piece in pieces:
            cost = _units(piece)
            extra = len(f"</{tag.group(2)}>") if tag and not tag.group(1) else 0
            if used + cost + extra + _units(closers) > budget:
                return "".join(out) + closers + marker
            out.append(piece)
            used += cost
        if tag:
            name = tag.group(2).lower()
            if tag.group(1) and name in open_tags:
                open_tags.remove(name)
            elif not tag.group(1):
                open_tags.append(name)
    return "".join(out) + marker
