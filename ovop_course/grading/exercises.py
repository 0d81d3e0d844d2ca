"""exercises/ generated from solutions/, and the checks that both are right.

- :func:`regenerate`: ``nbgrader generate_assignment`` → ``exercises/<assignment>/``
  (solutions and hidden tests removed, cells locked, the assignment put in the gradebook);
- :func:`verify`: the solution passes every test (``nbgrader validate``) and the
  unanswered exercise passes none (``nbgrader validate --invert``);
- :func:`compare`: regenerating in a temporary copy of the course gives exactly the files
  in ``exercises/`` (what the repository commits).

Each returns a list of problems in Russian (empty: all is well).
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path

from ..i18n import t
from . import runner
from .course import CONFIG_FILE, Course


def regenerate(course: Course, assignment: str) -> list[str]:
    """Generate exercises/<assignment> from solutions/<assignment>."""
    outcome = runner.generate(course, assignment)
    if outcome.ok:
        return []
    return [t("grading.generate_failed", assignment=assignment, detail=outcome.detail())]


def _first_line(source: str) -> str:
    return source.strip().splitlines()[0] if source.strip() else "—"


def verify(course: Course, assignment: str) -> list[str]:
    """Solutions pass all their tests; the generated exercises pass none."""
    from nbconvert.filters import strip_ansi

    problems = []
    for name in course.notebooks(assignment):
        solution = course.source_dir / assignment / f"{name}.ipynb"
        result = runner.validate(course, solution)
        for cell in result.get("failed", []):
            error = strip_ansi(cell["raw_error"]).strip().splitlines()[-1:] or ["—"]
            problems.append(t("grading.solution_fails", notebook=solution.name,
                              cell=_first_line(cell["source"]), error=error[0]))
        exercise = course.release_dir / assignment / f"{name}.ipynb"
        if not exercise.is_file():
            problems.append(t("grading.exercise_missing", path=exercise))
            continue
        result = runner.validate(course, exercise, invert=True)
        for cell in result.get("passed", []):
            problems.append(t("grading.exercise_passes", notebook=exercise.name,
                              cell=_first_line(cell["source"])))
        for key in ("changed", "type_changed"):
            if result.get(key):
                problems.append(t("grading.exercise_changed", notebook=exercise.name))
    return problems


def compare(course: Course, assignment: str) -> list[str]:
    """Regenerate in a temporary copy of the course and compare with exercises/<assignment>."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Course(Path(tmp))
        shutil.copy(course.root / CONFIG_FILE, copy.root / CONFIG_FILE)
        shutil.copytree(course.source_dir / assignment, copy.source_dir / assignment)
        problems = regenerate(copy, assignment)
        if problems:
            return problems
        fresh, committed = copy.release_dir / assignment, course.release_dir / assignment
        return [t("grading.exercise_outdated", path=committed / name)
                for name in _differences(fresh, committed)]


def _differences(left: Path, right: Path) -> list[str]:
    """Relative names of files that differ, or exist on one side only."""
    names = {p.relative_to(folder).as_posix()
             for folder in (left, right) if folder.is_dir()
             for p in folder.rglob("*") if p.is_file()}
    return sorted(n for n in names
                  if not ((left / n).is_file() and (right / n).is_file()
                          and filecmp.cmp(left / n, right / n, shallow=False)))
