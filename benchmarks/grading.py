"""Autograding cost: one submission against executing it plainly, and a class of 30 graded
with ``--jobs 2`` against ``--jobs 1``.

Everything runs in a temporary copy of the course with its own HOME, Jupyter folders and
exchange, through the trainer's own command (``ovop-course``, in this process). The submission
is the released notebook of ``m01_concept`` with every answer cell filled from the solution.
The class is graded one at a time and two at once, in turns, ``repeats`` times each; the
scores of every grading are read from the course's grades table and compared, trainee by
trainee, with the first grading's.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import shutil
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

import nbformat
from nbclient import NotebookClient

from ovop_course.cli import main as ovop
from ovop_course.grading.course import CONFIG_FILE, Course
from ovop_course.grading.report import grades_table

from .notebooks import ROOT
from .stats import median, ratio

ASSIGNMENT = "m01_concept"


@contextlib.contextmanager
def isolated_course():
    """A temporary course folder and Jupyter home; yields (course folder, home)."""
    home = Path(tempfile.mkdtemp(prefix="ovop-bench-"))
    course = home / "course"
    course.mkdir()
    shutil.copy(ROOT / CONFIG_FILE, course / CONFIG_FILE)
    for name in ("solutions", "exercises"):
        shutil.copytree(ROOT / name, course / name)
    try:
        with patch.dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
                        JUPYTER_DATA_DIR=str(home / "data"), IPYTHONDIR=str(home / ".ipython"),
                        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                        OVOP_EXCHANGE=str(home / "x")):
            yield course, home
    finally:
        shutil.rmtree(home, ignore_errors=True)


def trainer(*args) -> None:
    """``ovop-course ARGS`` in this process; its output is kept quiet, a failure raises."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = ovop([str(a) for a in args])
    if code not in (0, None):
        raise RuntimeError(f"ovop-course {' '.join(map(str, args))} exited with {code}")


def answered(released: Path, solution: Path):
    """The released notebook with every answer cell taken from the solution."""
    def grade_id(cell):
        return cell.metadata.get("nbgrader", {}).get("grade_id")

    answers = {grade_id(c): c.source for c in nbformat.read(solution, as_version=4).cells}
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = answers[grade_id(cell)]
    return nb


def execute_plainly(nb, folder: Path) -> float:
    """Seconds to run the notebook in a fresh kernel, as a trainee's 'Run all' does."""
    start = time.perf_counter()
    NotebookClient(copy.deepcopy(nb), timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


def class_of(n: int, course: Path, work: Path, submission: Path) -> None:
    """Register, submit and collect ``n`` trainees' copies of the same work."""
    roster = work / "trainees.csv"
    roster.write_text("id,last_name,first_name,email\n" + "".join(
        f"t{i:02d},Слушатель,{i},\n" for i in range(1, n + 1)), encoding="utf-8")
    trainer("trainees", "add", roster, "--course-dir", course)
    for i in range(1, n + 1):
        trainer("submit", ASSIGNMENT, submission, "--trainee", f"t{i:02d}", "--course-dir", course)
    trainer("collect", ASSIGNMENT, "--one-account", "--course-dir", course)


def grade_class(course: Path, jobs: int) -> tuple[float, dict]:
    """Seconds to grade every submission with ``--jobs``, and the grades table it left
    (login → status and score)."""
    start = time.perf_counter()
    trainer("grade", ASSIGNMENT, "--jobs", jobs, "--course-dir", course)
    seconds = time.perf_counter() - start
    return seconds, {r.login: (r.status, r.score) for r in grades_table(Course(course), ASSIGNMENT)}


def run_benchmark(repeats: int, class_size: int) -> list[dict]:
    with isolated_course() as (course, home):
        work = home / "work"
        work.mkdir()
        trainer("release", ASSIGNMENT, "--course-dir", course)
        released = home / "x" / "ovop" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        nb = answered(released, course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
        submission = work / f"{ASSIGNMENT}.ipynb"
        nbformat.write(nb, submission)
        class_of(class_size, course, work, submission)
        plain, graded = [], []
        for _ in range(repeats):  # interleaved: the same noise hits both
            plain.append(execute_plainly(nb, work))
            start = time.perf_counter()
            trainer("grade", ASSIGNMENT, "--trainee", "t01", "--course-dir", course)
            graded.append(time.perf_counter() - start)
        serial, parallel, tables = [], [], []
        for _ in range(repeats):  # interleaved, as above
            for jobs, seconds in ((1, serial), (2, parallel)):
                took, table = grade_class(course, jobs)
                seconds.append(took)
                tables.append(table)
    return [{"case": "autograde one submission vs plain execution",
             "plain_seconds": median(plain), "autograde_seconds": median(graded),
             "autograde_ratio": ratio(graded, plain)},
            {"case": f"class of {class_size}: --jobs 2 vs --jobs 1",
             "jobs1_seconds": median(serial), "jobs2_seconds": median(parallel),
             "jobs_speedup": ratio(serial, parallel),
             "differing_scores": len({login for table in tables for login in tables[0]
                                      if table.get(login) != tables[0][login]})}]


def run(quick: bool = False) -> list[dict]:
    """The harness's entry point."""
    return run_benchmark(repeats=1 if quick else 3, class_size=5 if quick else 30)
