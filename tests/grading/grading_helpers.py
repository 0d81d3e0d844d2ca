"""Helpers of the grading tests: a temporary copy of the course and in-process ``ovop-course``."""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from ovop_course.cli import main
from ovop_course.grading.course import CONFIG_FILE, Course

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "m01_concept"


def copy_course(folder: Path) -> Course:
    """A copy of the repository's course: settings, solutions and the committed exercises."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / CONFIG_FILE, folder / CONFIG_FILE)
    for name in ("solutions", "exercises"):
        shutil.copytree(ROOT / name, folder / name)
    return Course(folder)


@dataclass
class Run:
    """One ``ovop-course`` call: its exit code and what it printed."""

    code: int
    out: str
    err: str


def ovop(*args: str | Path) -> Run:
    """Run ``ovop-course ARGS`` in this process (as the trainer would in a terminal)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:  # argparse: --help, bad arguments
            code = e.code
    return Run(code, out.getvalue(), err.getvalue())
