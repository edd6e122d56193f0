"""Telegram's check of parse_mode=HTML: known tags only, balanced, no bare "<" or "&",
and at most 4,096 characters of visible text — so escaping bugs fail tests."""

from __future__ import annotations

import html
import re

TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_HTML_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>|<|&(?:#\d+|#x[0-9A-Fa-f]+|\w+);|&")


def check_html(text: str) -> str | None:
    """Telegram's complaint about `text` under parse_mode=HTML, or None when it is fine."""
    stack: list[str] = []
    visible = _HTML_TOKEN.sub(
        lambda m: (
            html.unescape(m.group(0)) if m.group(0).startswith("&") and len(m.group(0)) > 1 else ""
        ),
        text,
    )
    for match in _HTML_TOKEN.finditer(text):
        token, closing, name = match.group(0), match.group(1), (match.group(2) or "").lower()
        if token in ("<", "&"):
            return f"Bad Request: can't parse entities: unexpected '{token}' at {match.start()}"
        if not name:
            continue
        if name not in TELEGRAM_TAGS:
            return f'Bad Request: can\'t parse entities: unsupported start tag "{name}"'
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return f'Bad Request: can\'t parse entities: unmatched end tag "{name}"'
    if stack:
        return f'Bad Request: can\'t parse entities: unclosed start tag "{stack[-1]}"'
    if len(visible.encode("utf-16-le")) // 2 > 4096:
        return "Bad Request: message is too long"
    return None
