"""Short occurrence codes people can type on a phone: 6 letters/digits, no look-alikes."""

from __future__ import annotations

import hashlib

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
LENGTH = 6


def occurrence_code(*parts: str, salt: int = 0) -> str:
    """A code derived from what identifies the occurrence, so re-imports keep it."""
    digest = hashlib.sha256("|".join((*parts, str(salt))).encode("utf-8")).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def normalise_code(text: str) -> str:
    return text.strip().strip("#").upper()
