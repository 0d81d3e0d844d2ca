"""Headless run time and kernel memory of every lesson notebook against a baseline.

The baseline of a notebook is a notebook with a single cell that imports the same libraries:
the third-party modules its code cells import (found with ``ast``) plus those the course
package loads for it (pandas, numpy, matplotlib, ipywidgets), but not the course itself. So the
ratio shows what the lesson costs beyond starting a kernel and loading its libraries. Runs are
interleaved (baseline, lesson,
baseline, …) so that machine noise hits both alike. Memory is the kernel's resident set after
the last cell, read by a cell the harness appends.
"""

from __future__ import annotations

import ast
import json
import os
import tempfile
import time
from pathlib import Path

import nbformat
from IPython.core.inputtransformer2 import TransformerManager
from nbclient import NotebookClient

from .stats import median, ratio

ROOT = Path(__file__).resolve().parents[1]
MEMORY_CELL = ("import json, psutil; "
               "print(json.dumps({'rss_mib': psutil.Process().memory_info().rss / 2**20}))")


def lesson_notebooks() -> list[Path]:
    """Every lesson notebook in notebooks/, in module order."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def imported_modules(nb) -> list[str]:
    """Top-level modules imported by the notebook's code cells (teaching code included)."""
    names = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:  # IPython turns magics (%matplotlib …) into Python first
            tree = ast.parse(TransformerManager().transform_cell(cell.source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module.split(".")[0])
    return sorted(set(names))


COURSE_LIBRARIES = {"pandas", "numpy", "matplotlib", "ipywidgets"}


def baseline_of(nb):
    """A notebook that only imports the libraries ``nb`` uses."""
    modules = sorted((set(imported_modules(nb)) | COURSE_LIBRARIES) - {"ovop_course"})
    return nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("\n".join(f"import {m}" for m in modules))],
        metadata=nb.metadata)


def execute(nb, cwd: Path) -> tuple[float, float]:
    """Run a copy of ``nb`` in a fresh kernel; return (seconds, kernel RSS MiB at the end)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells.append(nbformat.v4.new_code_cell(MEMORY_CELL))
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    return seconds, json.loads(text.strip().splitlines()[-1])["rss_mib"]


def measure_notebook(path: Path, repeats: int = 3) -> dict:
    """Interleaved runs of the lesson and its baseline; ratios of medians."""
    lesson = nbformat.read(path, as_version=4)
    base = baseline_of(lesson)
    lesson_runs, base_runs = [], []
    for _ in range(repeats):
        base_runs.append(execute(base, path.parent))
        lesson_runs.append(execute(lesson, path.parent))
    return {
        "notebook": path.name,
        "seconds": median([r[0] for r in lesson_runs]),
        "baseline_seconds": median([r[0] for r in base_runs]),
        "time_ratio": ratio([r[0] for r in lesson_runs], [r[0] for r in base_runs]),
        "rss_mib": median([r[1] for r in lesson_runs]),
        "baseline_rss_mib": median([r[1] for r in base_runs]),
        "memory_ratio": ratio([r[1] for r in lesson_runs], [r[1] for r in base_runs]),
    }


def run(quick: bool = False) -> list[dict]:
    """Measure every lesson notebook (the trainee's workbook goes to a temporary folder)."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["OVOP_WORKBOOK"] = str(Path(tempfile.mkdtemp()) / "bench_workbook.json")
    return [measure_notebook(p, 1 if quick else 3) for p in lesson_notebooks()]
