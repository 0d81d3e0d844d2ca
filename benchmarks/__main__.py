"""``python -m benchmarks`` (``make bench``): measure, compare with the targets, report.

Every figure is a ratio or a latency measured in this one run. The results are printed as a
table, saved to ``artifacts/bench/results.json`` and, with ``--update-docs``, written into the
generated block of ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import date
from pathlib import Path

from . import report

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("imports", "tools", "notebooks", "grading", "app", "tests")


def measure(parts: list[str], quick: bool) -> dict:
    """Run the chosen benchmark parts; each part's module has ``run()``."""
    from importlib import import_module

    results = {"date": date.today().isoformat(), "machine": f"{platform.machine()}, "
               f"{platform.python_implementation()} {platform.python_version()}"}
    for part in parts:
        start = time.perf_counter()
        module = import_module(f"benchmarks.{part}")
        results[part] = module.run(quick=quick)
        print(f"[{part}] {time.perf_counter() - start:.0f} s", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("parts", nargs="*", metavar="PART",
                        help=f"what to measure, of {', '.join(PARTS)} "
                             "(default: all but the whole test command, 'tests')")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--update-docs", action="store_true",
                        help="write the figures into docs/performance.md")
    args = parser.parse_args()
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    results = measure(args.parts or list(PARTS[:-1]), args.quick)
    out = ROOT / "artifacts" / "bench" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    table = report.markdown(results)
    print(table)
    if args.update_docs:
        report.update_docs(ROOT / "docs" / "performance.md", table)
    if not report.all_met(results):
        raise SystemExit("Some targets are missed: see the table above (✗).")


main()
