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


def enrol_and_release(course: Course, work: Path, logins, assignment: str = ASSIGNMENT) -> None:
    """``trainees add`` with a roster of ``logins`` (last name «Фамилия-LOGIN»), then
    ``release`` of ``assignment``."""
    where = ("--course-dir", course.root)
    roster = work / "trainees.csv"
    roster.write_text("id,last_name,first_name,email\n" + "".join(
        f"{login},Фамилия-{login},Имя,\n" for login in logins), encoding="utf-8")
    assert ovop("trainees", "add", roster, *where).code == 0
    assert ovop("release", assignment, *where).code == 0


def export_rows(course: Course, path: Path, assignment: str = ASSIGNMENT) -> dict[str, dict]:
    """``ovop-course export A --csv PATH``: the grades table's rows by login."""
    import csv

    run = ovop("export", assignment, "--csv", path, "--course-dir", course.root)
    assert run.code == 0, run.err
    with path.open(encoding="utf-8-sig") as f:
        return {row["Логин"]: row for row in csv.DictReader(f)}


def grade_id(cell) -> str | None:
    """The nbgrader id of a cell (None for cells nbgrader does not track)."""
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def failed_cells(nb) -> dict[str, str]:
    """Execute ``nb`` (errors allowed); return grade_id → error text of every failed cell."""
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    return {grade_id(c): f"{o.get('ename')}: {o.get('evalue')}"
            for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"}


def assert_mistakes_get_their_hints(solution: Path, mistakes: dict[str, str],
                                    hints: dict[str, str]) -> None:
    """The solution passes all its checks; with ``mistakes`` (answer cell id → wrong code)
    exactly the checks in ``hints`` fail, each with its Russian hint in the message."""
    import copy

    import nbformat

    solved = nbformat.read(solution, as_version=4)
    assert failed_cells(copy.deepcopy(solved)) == {}
    wrong = copy.deepcopy(solved)
    for cell in wrong.cells:
        cell.source = mistakes.get(grade_id(cell), cell.source)
    failures = failed_cells(wrong)
    assert set(failures) == set(hints), failures
    for test_id, hint in hints.items():
        assert hint in failures[test_id], (test_id, failures[test_id])
