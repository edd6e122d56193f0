"""config.toml's problems said for people: in Vietnamese, positions counted from 1, the
entry's id, and the line of the file where the entry is (or that it is a built-in default).

The section models (beside the packages) report key paths ("people[4].emial") and short
English reasons; this module turns each into one line a secretary can act on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from nhacviec.config_reasons import pydantic_reason

KINDS = {
    "people": "người",
    "units": "đơn vị",
    "groups": "nhóm",
    "roles": "vai trò",
    "plans": "kế hoạch",
    "steps": "bước",
    "checkin_steps": "bước kiểm tra",
    "members": "thành viên",
    "audience": "người nhận",
    "aliases": "bí danh",
    "channels": "kênh",
}

_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"unknown unit '(.*?)'"), "không có đơn vị «{0}» trong [[units]]"),
    (re.compile(r"unknown person '(.*?)'"), "không có người «{0}» trong [[people]]"),
    (re.compile(r"unknown role '(.*?)'"), "không có vai trò «{0}» trong [[roles]]"),
    (re.compile(r"unknown audience '(.*?)'"), "người nhận «{0}» không hợp lệ"),
    (re.compile(r"id '(.*?)' is declared more than once"), "id «{0}» khai báo hơn một lần"),
    (re.compile(r"'(.*?)' is not an email address"), "«{0}» không phải địa chỉ email"),
    (re.compile(r"unknown time zone '(.*?)'"), "không có múi giờ «{0}»"),
    (re.compile(r"work_end must be later"), "work_end phải muộn hơn work_start"),
    (re.compile(r"'(.*?)' is not host:port"), "«{0}» phải có dạng máy:cổng, ví dụ 127.0.0.1:8080"),
    (
        re.compile(r"'(.*?)' must start with https://"),
        "«{0}» phải bắt đầu bằng https:// (hoặc http:// khi chỉ chạy trên máy này)",
    ),
)
_SUGGESTION = re.compile(r" \(did you mean '(.*?)'\?\)")


def reason(error: dict[str, Any]) -> str:
    """A pydantic error's reason, in Vietnamese."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):  # our validators' own words
        return translate_reason(str(ctx.get("error", error["msg"])))
    return pydantic_reason(kind, ctx)


def translate_reason(text: str) -> str:
    suggestion = _SUGGESTION.search(text)
    tail = f" (có phải «{suggestion.group(1)}»?)" if suggestion else ""
    text = _SUGGESTION.sub("", text)
    for pattern, template in _REASONS:
        match = pattern.search(text)
        if match:
            return template.format(*match.groups()) + tail
    if any(ord(c) > 127 for c in text):
        return text + tail
    return f"giá trị không dùng được ({text})" + tail


def _entry_id(data: Any) -> str:
    return f" «{data['id']}»" if isinstance(data, dict) and isinstance(data.get("id"), str) else ""


def describe_loc(loc: Sequence[Any], data: Any) -> str:
    """("people", 4, "emial") -> "người thứ 5 «nguyen-van-a» (people[5].emial)"."""
    words: list[str] = []
    path = ""
    node = data
    last_name = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part + 1}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            words.append(f"{KINDS.get(last_name, last_name)} thứ {part + 1}{_entry_id(node)}")
        else:
            path += ("." if path else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
            last_name = str(part)
    where = ", ".join(words)
    return f"{where} ({path})" if where else (path or "(đầu tệp)")


def _find(lines: list[str], pattern: re.Pattern[str], start: int, nth: int = 0) -> int | None:
    seen = -1
    for n in range(start, len(lines)):
        if pattern.match(lines[n]):
            seen += 1
            if seen == nth:
                return n
    return None


def file_line(loc: Sequence[Any], text: str) -> int | None:
    """The 1-based line of the entry `loc` points at in the TOML text, when it is there."""
    lines = text.splitlines()
    table: list[str] = []
    start: int | None = None
    for i, part in enumerate(loc):
        if isinstance(part, int):
            if i == 0 or not isinstance(loc[i - 1], str):
                return None if start is None else start + 1
            header = re.compile(r"^\s*\[\[\s*" + re.escape(".".join(table)) + r"\s*\]\]")
            found = _find(lines, header, 0, part)
            if found is None:  # an index into an inline list: the key's own line
                key = re.compile(r"^\s*" + re.escape(table[-1]) + r"\s*=")
                inline = _find(lines, key, 0 if start is None else start)
                return None if inline is None else inline + 1
            start = found
            continue
        last = i == len(loc) - 1
        if last or not isinstance(loc[i + 1], int):
            key = re.compile(r"^\s*" + re.escape(str(part)) + r"\s*=")
            begin = 0 if start is None else start + 1
            for n in range(begin, len(lines)):
                if lines[n].lstrip().startswith("[") and start is not None:
                    break
                if key.match(lines[n]):
                    return n + 1
            section = re.compile(r"^\s*\[\s*" + re.escape(".".join([*table, str(part)])) + r"\s*\]")
            found = _find(lines, section, 0)
            if not last:
                start = found if found is not None else start
                table.append(str(part))
                continue
            return None if start is None else start + 1
        table.append(str(part))
    return None if start is None else start + 1


def problem_line(loc: Sequence[Any], message: str, data: Any, text: str | None) -> str:
    where = describe_loc(loc, data)
    line = file_line(loc, text) if text is not None and loc else None
    prefix = f"dòng {line}: " if line else ""
    in_file = _present(loc, data)
    default = "" if in_file else " — giá trị mặc định, không có trong tệp"
    return f"{prefix}{where}: {message}{default}"


def _present(loc: Sequence[Any], data: Any) -> bool:
    node = data
    for part in loc[:-1]:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return False
            node = node[part]
        else:
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
    return True


def parse_loc(path: str) -> list[Any]:
    """ "people[3].unit" (0-based, as the section models report) -> ["people", 3, "unit"]."""
    parts: list[Any] = []
    for name, index in re.findall(r"([A-Za-z_]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return parts


def os_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in Vietnamese."""
    import errno

    reasons = {
        errno.ENOENT: "không có tệp này",
        errno.EACCES: "không có quyền",
        errno.EISDIR: "đây là thư mục",
        errno.ENOTDIR: "đường dẫn sai",
        errno.ENOSPC: "đĩa đầy",
    }
    return reasons.get(exc.errno or 0, "lỗi hệ thống")
