"""Ids from Vietnamese names, and which kind of directory entry a plan's name asks for."""

from __future__ import annotations

import re
import unicodedata

_GENERIC = ("phòng", "công chức", "ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "bộ phận")
_TAIL = (" cấp xã", " cấp huyện", " xã", " huyện", " thị trấn", " phường")
_COLLECTIVE = re.compile(r"(^|\s)(các|tất cả|toàn bộ|những)(\s|$)")


def ascii_fold(text: str) -> str:
    """ "Công chức VP-TK xã" -> "Cong chuc VP-TK xa": what an id may hold."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def slug(text: str, limit: int = 40) -> str:
    """A lower-case, dash-separated ASCII id."""
    folded = re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")
    return folded[:limit].rstrip("-") or "x"


def unit_id(name: str) -> str:
    """A short id for a unit: generic words dropped, long names by their initials.

    "Công chức VP-TK xã" -> "vp-tk"; "Phòng Kinh tế và Hạ tầng" -> "ktht".
    """
    text = unicodedata.normalize("NFC", name).strip().casefold()
    for word in _GENERIC:
        if text.startswith(word + " "):
            text = text[len(word) + 1 :]
    for tail in _TAIL:
        if text.endswith(tail) and len(text) > len(tail) + 2:
            text = text[: -len(tail)]
    words = [w for w in re.split(r"[\s,;&\-–]+", ascii_fold(text)) if w and w != "va"]
    if len(words) > 3:
        return "".join(w[0] for w in words if w[0].isalnum())[:12]
    return slug(text, 30)


def kind_of(name: str) -> str:
    """ "role:qmr" | "role:thu-ky-iso" | "role:bcd-iso" | "role:lanh-dao" | "group" | "unit"."""
    key = unicodedata.normalize("NFC", name).casefold().strip()
    if "qmr" in key or key.startswith("đại diện lãnh đạo"):
        return "role:qmr"
    if "thư ký" in key or "tổ giúp việc" in key:
        return "role:thu-ky-iso"
    if "ban chỉ đạo" in key or "bcđ" in key:
        return "role:bcd-iso"
    if _COLLECTIVE.search(key):
        return "group"
    if key.startswith(("lãnh đạo", "chủ tịch", "phó chủ tịch", "thủ trưởng", "giám đốc")):
        return "role:lanh-dao"
    return "unit"
