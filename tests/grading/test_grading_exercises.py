"""exercises/ and solutions/ agree: solutions pass their tests, unanswered exercises fail them,
and regenerating exercises/ from solutions/ gives the committed files; the checks catch it
when any of this breaks."""

from __future__ import annotations

import nbformat
import pytest
from grading_helpers import ASSIGNMENT, ROOT, copy_course, ovop

from ovop_course.grading import exercises
from ovop_course.grading.course import Course
from ovop_course.i18n import t

pytestmark = pytest.mark.grading


def test_the_concept_assignment_is_in_the_course():
    assert ASSIGNMENT in Course(ROOT).assignments()


@pytest.mark.parametrize("assignment", Course(ROOT).assignments())
def test_committed_exercises_are_generated_from_solutions_and_verified(jupyter_home, assignment):
    """`ovop-course exercises A --check`: regenerate in a temporary folder and compare with
    exercises/, then `nbgrader validate` the solution and `validate --invert` the exercise."""
    run = ovop("exercises", assignment, "--check", "--course-dir", ROOT)
    assert run.code == 0, run.out + run.err
    assert f"{assignment}: упражнение в порядке" in run.out


def test_checks_catch_a_wrong_solution_a_test_that_cannot_fail_and_a_stale_exercise(
        jupyter_home, tmp_path):
    course = copy_course(tmp_path / "course")
    source = course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "c1_answer":
            cell.source = "honey_kg = 840 + 15"
        if grade_id == "a1_test_3":
            cell.source = "# Проверка, которая ничего не проверяет\nprint('ok')"
    nbformat.write(nb, source)

    outdated = exercises.compare(course, ASSIGNMENT)
    exercise = course.release_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert outdated == [t("grading.exercise_outdated", path=exercise)]
    assert exercises.regenerate(course, ASSIGNMENT) == []
    problems = exercises.verify(course, ASSIGNMENT)
    assert problems == [
        (f"{ASSIGNMENT}.ipynb: решение не проходит проверку «# Проверка В1 (2 балла)»: "
         "AssertionError: вы сложили число ульев и сбор с улья, а их нужно перемножить"),
        (f"{ASSIGNMENT}.ipynb: решение не проходит проверку «# Проверка В3, доля (1 балл)»: "
         "AssertionError: долю пишите числом от 0 до 1: например 0.25, а не 25 (проценты)"),
        (f"{ASSIGNMENT}.ipynb: пустое упражнение уже проходит проверку «# Проверка, которая "
         "ничего не проверяет» — проверка должна зависеть от ответа слушателя."),
    ]
