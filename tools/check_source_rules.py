"""Two rules of STYLE.md that ruff and mypy do not check, over every file of ours:

- a module has at most 300 lines (one job each: a longer one is doing two);
- every `# type: ignore[code]` says why after it, so the next reader knows whether the
  library or our code is at fault.

Run by `make lint`; prints each breach as path:line and exits 1 when there is one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PACKAGES = ("rules", "scheduler", "notifications", "nhacviec", "tests", "bench", "tools")
# Alembic's revisions, one per file; the compiler before #18, frozen for the timing bench.
EXEMPT = ("migrations", "legacy_timing")
MAX_LINES = 300
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def breaches(root: Path) -> list[str]:
    found: list[str] = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if any(part in EXEMPT for part in path.parts) or path == Path(__file__).resolve():
                continue  # this file names the markers it looks for
            lines = path.read_text(encoding="utf-8").splitlines()
            where = path.relative_to(root)
            if len(lines) > MAX_LINES:
                found.append(f"{where}: {len(lines)} dòng (tối đa {MAX_LINES}): tách theo việc")
            for number, line in enumerate(lines, 1):
                match = IGNORE.search(line)
                if match is None:
                    continue
                if not match.group("codes"):
                    found.append(f"{where}:{number}: `# type: ignore` thiếu mã lỗi")
                elif not match.group("rest").strip().lstrip("#").strip():
                    found.append(f"{where}:{number}: `# type: ignore` thiếu lý do")
    return found


def main() -> int:
    found = breaches(Path(__file__).resolve().parents[1])
    for line in found:
        print(line)
    if not found:
        print(f"every module within {MAX_LINES} lines; every type: ignore has a reason")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
