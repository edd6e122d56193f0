"""Evidence files on disk, by content hash: the same file twice is stored once.

Nothing from a chat or a command line is used in a path: only the hash is.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    original_name: str
    mime_type: str
    size: int
    relative_path: str  # under the data folder


def store_bytes(
    data_dir: Path, content: bytes, original_name: str, mime_type: str | None = None
) -> StoredFile:
    digest = hashlib.sha256(content).hexdigest()
    relative = Path("evidence") / digest[:2] / digest
    target = data_dir / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(content)
        partial.replace(target)
    guessed = mime_type or mimetypes.guess_type(original_name)[0] or "application/octet-stream"
    safe_name = Path(original_name).name[:300] or "tep"
    return StoredFile(digest, safe_name, guessed, len(content), relative.as_posix())
