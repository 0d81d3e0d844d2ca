"""Wall time of the whole test command (what CI runs), split by tier with pytest's own timing."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(quick: bool = False) -> list[dict]:
    """Run ``python -m pytest`` once (as ``make test`` does) and time it."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q"],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "no output"
    return [{"command": "make test (python -m pytest)", "minutes": seconds / 60,
             "exit_code": proc.returncode, "summary": summary}]
