"""`make bench`: run every benchmark, or the ones named (`python -m bench engine timing`)."""

from __future__ import annotations

import importlib
import sys
import time

BENCHES = ("startup", "timing", "import", "engine", "delivery")


def main(names: list[str]) -> None:
    for name in names or BENCHES:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"\n=== bench {name} ===", flush=True)
        started = time.perf_counter()
        module.main()
        print(f"--- bench {name}: {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
