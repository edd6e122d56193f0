"""Run one benchmark scenario in this process and print its figures as one JSON line."""

from __future__ import annotations

import json
import sys

from bench.scenarios import SCENARIOS

if __name__ == "__main__":
    name = sys.argv[1]
    figures = SCENARIOS[name]()
    print(json.dumps(figures, ensure_ascii=False), flush=True)
