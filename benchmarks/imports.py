"""Cost of importing the course package on top of the libraries every notebook imports.

Each measurement runs in a fresh interpreter: first the bare libraries (pandas,
matplotlib.pyplot — what any plotting notebook imports — and ipywidgets), then the course.
Time is wall time of the second import; memory is the growth of the resident set (RSS, via
psutil) across it. The second case adds what the first tool shown in a notebook loads.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .stats import median

PROBE = """
import json, time, psutil
import pandas, matplotlib.pyplot, ipywidgets
proc = psutil.Process()
rss0, t0 = proc.memory_info().rss, time.perf_counter()
{code}
t1, rss1 = time.perf_counter(), proc.memory_info().rss
print(json.dumps({{"seconds": t1 - t0, "mib": (rss1 - rss0) / 2**20}}))
"""

CASES = {
    "import ovop_course": "import ovop_course",
    "import ovop_course + first tool modules": (
        "import ovop_course, ovop_course.ui, ovop_course.charts, ovop_course.data;"
        " ovop_course.ui.tool_names()"),
}


def _probe(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(quick: bool = False) -> list[dict]:
    """Median time (s) and memory (MiB) of each import case over fresh processes."""
    repeats = 3 if quick else 7
    results = []
    for label, code in CASES.items():
        runs = [_probe(code) for _ in range(repeats)]
        results.append({"case": label, "seconds": median([r["seconds"] for r in runs]),
                        "mib": median([r["mib"] for r in runs])})
    return results
