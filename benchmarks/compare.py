"""``python -m benchmarks.compare REF``: the lessons of the working tree against those of REF.

REF is any git commit (``main``, ``HEAD~3``, a hash). Its course is unpacked into a temporary
folder (``git archive``), and for every lesson notebook the two have in common, the baseline
notebook, the lesson of REF and the lesson of the working tree run in turn, in fresh kernels,
``--repeats`` times (interleaved, so machine noise hits all three alike). Printed: the median
seconds of each and the ratios to the baseline, before and after: the «до → после» figures of
docs/performance.md come from here.
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from unittest.mock import patch

import nbformat

from .notebooks import ROOT, baseline_of, execute, lesson_notebooks, prepare
from .stats import median


def unpack(ref: str) -> Path:
    """The files of commit ``ref`` in a new temporary folder, the course byte-compiled."""
    folder = Path(tempfile.mkdtemp(prefix="ovop-compare-"))
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        # our own commit, so any member is safe; "data" refuses links out of the folder
        tar.extractall(folder, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    compileall.compile_dir(folder / "ovop_course", quiet=1)
    return folder


def course_from(folder: Path):
    """Kernels started inside this ``with`` import the course (and its data) from ``folder``
    and keep their own workbook there (an older course refuses a newer workbook's version)."""
    path = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    return patch.dict(os.environ, PYTHONPATH=path, OVOP_WORKBOOK=str(folder / "workbook.json"))


def compare(path: Path, before: Path, repeats: int) -> dict:
    """Median seconds of the baseline, the lesson of ``before`` and the current lesson."""
    lesson, old_path = nbformat.read(path, as_version=4), before / "notebooks" / path.name
    old = nbformat.read(old_path, as_version=4)
    base = baseline_of(lesson, execute(lesson, path.parent)[2])
    runs: dict[str, list[float]] = {"baseline": [], "before": [], "after": []}
    for _ in range(repeats):
        runs["baseline"].append(execute(base, path.parent)[0])
        with course_from(before):
            runs["before"].append(execute(old, old_path.parent)[0])
        runs["after"].append(execute(lesson, path.parent)[0])
    seconds = {k: median(v) for k, v in runs.items()}
    return {"notebook": path.name, **seconds,
            "before_ratio": seconds["before"] / seconds["baseline"],
            "after_ratio": seconds["after"] / seconds["baseline"]}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__)
    parser.add_argument("ref", help="the git commit to compare with")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    prepare()
    before = unpack(args.ref)
    print(f"| урок | базовый, с | {args.ref}, с | сейчас, с | до | после |")
    print("|---|---|---|---|---|---|")
    for path in lesson_notebooks():
        if (before / "notebooks" / path.name).exists():
            r = compare(path, before, args.repeats)
            print(f"| {r['notebook']} | {r['baseline']:.2f} | {r['before']:.2f} | "
                  f"{r['after']:.2f} | {r['before_ratio']:.2f}× | {r['after_ratio']:.2f}× |",
                  flush=True)


if __name__ == "__main__":
    main()
