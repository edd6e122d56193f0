"""`python -m bench [--json] [--big] [scenario ...]`: every figure beside its floor.

Each scenario runs in its own process (peak RSS is its own) and prints its figures; this
collects them into ONE JSON object ({"scenario.measure": {"value", "unit", "floor" or
"baseline", "ratio", "what"}}) or, without --json, a table. `--big` adds the national
plan over four years (~1M occurrences), which takes several minutes on a small machine.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any

from bench.scenarios import BIG, DEFAULT, SCENARIOS

TIMEOUT_S = 1800


def run_scenario(name: str) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.run_one", name],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": {"value": None, "what": f"timed out after {TIMEOUT_S} s"}}
    print(f"bench {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-3:]
        return {"error": {"value": None, "what": " | ".join(tail)}}
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def _growth(results: dict[str, Any]) -> dict[str, Any]:
    """Re-sync time per occurrence at 3,300 units over that at 150: 1.0 is linear."""
    try:
        small, large = results["compile_150.resync"], results["compile_3300.resync"]
        rows = (
            results["compile_3300.occurrences"]["value"]
            / results["compile_150.occurrences"]["value"]
        )
    except KeyError:
        return {}
    ratio = large["value"] / small["value"] / rows
    return {
        "resync_growth": {
            "value": round(ratio, 3),
            "unit": "x proportional",
            "baseline": 1.0,
            "ratio": round(ratio, 3),
            "what": f"re-sync 150 -> 3,300 units took {large['value'] / small['value']:.1f}x "
            f"for {rows:.1f}x the occurrences (1.0 = linear)",
        }
    }


def _table(results: dict[str, Any]) -> str:
    lines = [f"{'measure':<40} {'value':>12} {'unit':<14} {'floor/base':>11} {'ratio':>8}  what"]
    for name, item in results.items():
        reference = item.get("floor", item.get("baseline"))
        value = item.get("value")
        lines.append(
            f"{name:<40} {_num(value):>12} {item.get('unit', ''):<14} {_num(reference):>11} "
            f"{_num(item.get('ratio')):>8}  {item.get('what', '')}"
        )
    return "\n".join(lines)


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.0f}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--big", action="store_true", help="add the ~1M-occurrence scale")
    parser.add_argument("scenarios", nargs="*", help=", ".join(SCENARIOS))
    args = parser.parse_args(argv)
    unknown = [n for n in args.scenarios if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    names = args.scenarios or DEFAULT + (BIG if args.big else [])
    results: dict[str, Any] = {}
    for name in names:
        for measure, item in run_scenario(name).items():
            results[f"{name}.{measure}"] = item
    results |= _growth(results)
    print(json.dumps(results, ensure_ascii=False, indent=1) if args.json else _table(results))


if __name__ == "__main__":
    main(sys.argv[1:])
