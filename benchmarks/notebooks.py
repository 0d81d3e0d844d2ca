"""Headless run time and kernel memory of every lesson notebook against a baseline.

The baseline of a notebook is a notebook with a single cell that imports the same libraries:
every third-party module the lesson's kernel had loaded by its end, submodules included
(pandas, matplotlib's SVG backend, ipywidgets, pydantic, Babel, scipy.stats, …, whether the
lesson imported them or the course package did for it, at once or when first needed), but
not the course itself. So the ratio shows what the lesson's own work
costs (reading data, computing, drawing, building widgets) beyond starting a kernel and
loading its libraries. Runs are interleaved (baseline, lesson, baseline, …) so that machine
noise hits both alike. Memory is the kernel's resident set after the last cell, read by a
cell the harness appends.
"""

from __future__ import annotations

import compileall
import json
import os
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .stats import median, ratio

QUIET = ["--IPKernelApp.log_level=ERROR"]  # no start-up warnings from each kernel

ROOT = Path(__file__).resolve().parents[1]
# The last cell: resident memory, and the third-party modules loaded (for the baseline):
# packages first, then their submodules, each in the order of its name.
PROBE_CELL = """
import json, sys, psutil
_loaded = sorted(n for n, m in list(sys.modules.items())
                 if 'site-packages' in (getattr(m, '__file__', '') or '')
                 and n.split('.')[0] != 'ovop_course')
print(json.dumps({'rss_mib': psutil.Process().memory_info().rss / 2**20,
                  'modules': sorted({n.split('.')[0] for n in _loaded}),
                  'submodules': [n for n in _loaded if '.' in n]}))
"""


def lesson_notebooks() -> list[Path]:
    """Every lesson notebook in notebooks/, in module order."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def baseline_of(nb, loaded: list[str]):
    """A notebook that only imports the modules ``loaded`` (the lesson's libraries); a module
    that cannot be imported on its own is passed over."""
    source = ("import importlib, contextlib\n"
              f"for name in {loaded!r}:\n"
              "    with contextlib.suppress(Exception):\n"
              "        importlib.import_module(name)")
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)],
                                    metadata=nb.metadata)


def execute(nb, cwd: Path) -> tuple[float, float, list[str]]:
    """Run a copy of ``nb`` in a fresh kernel; return (seconds from starting the kernel to the
    result of the notebook's last cell, kernel RSS MiB at the end, the modules loaded by then).

    The kernel's shutdown is left out: a trainee never waits for it, and its length depends on
    how the interpreter tears down its heap rather than on the lesson's work.
    """
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    last = len(nb.cells) - 1  # the notebook's own last cell, before the probe
    nb.cells.append(nbformat.v4.new_code_cell(PROBE_CELL))
    done: dict[int, float] = {}

    def cell_done(cell_index: int, **_) -> None:
        done[cell_index] = time.perf_counter()

    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", extra_arguments=QUIET,
                   on_cell_executed=cell_done, resources={"metadata": {"path": str(cwd)}}
                   ).execute()
    seconds = max(at for index, at in done.items() if index <= last) - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    probe = json.loads(text.strip().splitlines()[-1])
    return seconds, probe["rss_mib"], probe["modules"] + probe["submodules"]


def measure_notebook(path: Path, repeats: int = 3) -> dict:
    """Interleaved runs of the lesson and its baseline; ratios of medians. The first run (it
    finds the libraries) is also the lesson's first on this machine: the user's cache folder
    (:func:`prepare`) holds none of its tools' pictures yet; ``first_run_ratio`` is its time
    over the baseline's median."""
    lesson = nbformat.read(path, as_version=4)
    first = execute(lesson, path.parent)  # a warm-up run that also finds the libraries
    base = baseline_of(lesson, first[2])
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
        "first_run_ratio": first[0] / median([r[0] for r in base_runs]),
    }


def prepare() -> None:
    """Set up this process for running lessons: headless figures, the trainee's workbook and
    the user's cache folder (:mod:`ovop_course.user_cache`) in a temporary folder, and the
    course byte-compiled.

    The course is compiled as the libraries in site-packages are (pip compiles them at
    install, and a trainee's first import caches the course's own): where
    PYTHONDONTWRITEBYTECODE is set, every kernel would otherwise compile the course's source
    anew (measured ~65 ms a lesson) while its libraries load precompiled.
    """
    compileall.compile_dir(ROOT / "ovop_course", quiet=1)
    os.environ.setdefault("MPLBACKEND", "Agg")
    scratch = Path(tempfile.mkdtemp())
    os.environ["OVOP_WORKBOOK"] = str(scratch / "bench_workbook.json")
    os.environ["OVOP_CACHE"] = str(scratch / "cache")


def run(quick: bool = False) -> list[dict]:
    """Measure every lesson notebook (see :func:`prepare`)."""
    prepare()
    return [measure_notebook(p, 1 if quick else 5) for p in lesson_notebooks()]
