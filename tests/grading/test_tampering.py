"""Issue 12, defect 5: code in an answer cell cannot rewrite the tests that grade it.

Works of m03_raw_materials are graded through the trainer's cycle (submit → collect → grade
→ export). Three hostile works: an input transformer that turns every later cell into
``pass`` (with no answers), patched builtins (``abs``, ``round``, ``isinstance``) over wrong
answers, and answers that are objects equal to everything. Each must score what its honest
twin scores (no answers: 0; the same wrong answers without the patch), and the export's
«Подозрительно» column must name what was tried.
"""

from __future__ import annotations

import nbformat
import pytest
from grading_helpers import copy_course, export_rows, grade_id, ovop

pytestmark = pytest.mark.grading

ASSIGNMENT = "m03_raw_materials"
AUTOGRADED_MAX = 17

TRANSFORMER = """
ip = get_ipython()
ip.input_transformers_post.append(lambda lines: ["pass\\n"])
"""
PATCHED_BUILTINS = """
import builtins, numbers

class Both(float):
    def __lt__(self, other): return True
    def __gt__(self, other): return True

builtins.abs = lambda x: Both(0)
builtins.round = lambda x, *a: 6
builtins.all = lambda x: True
"""
EVERYTHING = """
import numbers

class Everything:
    def __eq__(self, other): return True
    __ne__ = __lt__ = __le__ = __gt__ = __ge__ = lambda self, other: True
    __sub__ = __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = lambda self, other: self
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mul__
    def __abs__(self): return self
    def __int__(self): return 1
    def __float__(self): return 1.0
    def __bool__(self): return True
    __hash__ = object.__hash__

numbers.Number.register(Everything)
ANY = Everything()
"""
# Answers of the right kind, two right (А1, Б1: 3 points) and the rest wrong.
WRONG = {
    "a1_answer": 'honey["sustainable"] = honey["volume"] * SHARE',
    "a2_answer": "stable_fresh = 100",
    "a3_answer": "stable_season = 700",
    "b1_answer": "k_cream = 6",
    "b2_answer": "stable_storage = 1050",
    "b3_answer": "max_jars = 315",
    "c1_answer": "july_share = 0.4\none_month_risk = False",
    "c2_answer": "price_ratio = 130\nprice_risk = True",
    "c3_answer": "planned_kg = 3200\nover_harvest = False",
}
EVERYTHING_ANSWERS = {
    "a1_answer": EVERYTHING + 'honey["sustainable"] = [ANY] * len(honey)',
    "a2_answer": "stable_fresh = ANY",
    "a3_answer": "stable_season = ANY",
    "b1_answer": "k_cream = ANY",
    "b2_answer": "stable_storage = ANY",
    "b3_answer": "max_jars = ANY",
    "c1_answer": "july_share = ANY\none_month_risk = ANY",
    "c2_answer": "price_ratio = ANY\nprice_risk = ANY",
    "c3_answer": "planned_kg = ANY\nover_harvest = ANY",
}


def with_answers(released, answers: dict[str, str]) -> bytes:
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        cell.source = answers.get(grade_id(cell), cell.source)
    return nbformat.writes(nb).encode()


def solution_answers(solution) -> dict[str, str]:
    nb = nbformat.read(solution, as_version=4)
    return {grade_id(c): c.source for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}


def works(released, solution) -> dict[str, bytes]:
    honest = solution_answers(solution)
    return {
        "honest": with_answers(released, honest),
        "outside": with_answers(released, {**honest, "a2_answer": honest["a2_answer"]
                                           + '\nopen("/etc/hostname").read()'}),
        "empty": with_answers(released, {}),
        "transformer": with_answers(released, {"a1_answer": TRANSFORMER}),
        "wrong": with_answers(released, WRONG),
        "builtins": with_answers(released, {**WRONG,
                                            "a1_answer": PATCHED_BUILTINS + WRONG["a1_answer"]}),
        "everything": with_answers(released, EVERYTHING_ANSWERS),
    }


@pytest.fixture(scope="module")
def exported(jupyter_home, tmp_path_factory) -> dict[str, dict]:
    course = copy_course(tmp_path_factory.mktemp("course"))
    where = ("--course-dir", course.root)
    work = tmp_path_factory.mktemp("work")
    assert ovop("release", ASSIGNMENT, *where).code == 0
    released = jupyter_home / "exchange" / "ovop" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for login, content in works(released, course.source_dir / ASSIGNMENT
                                / f"{ASSIGNMENT}.ipynb").items():
        path = work / login / f"{ASSIGNMENT}.ipynb"
        path.parent.mkdir()
        path.write_bytes(content)
        assert ovop("submit", ASSIGNMENT, path, "--trainee", login, *where).code == 0
    assert ovop("collect", ASSIGNMENT, "--one-account", *where).code == 0
    ovop("grade", ASSIGNMENT, "--timeout", "20", *where)
    return export_rows(course, work / "grades.csv", ASSIGNMENT)


def score(rows: dict[str, dict], login: str) -> float:
    assert rows[login]["Статус"] == "оценено", rows[login]
    return float(rows[login]["Баллы"])


def test_honest_work_keeps_its_points(exported):
    assert score(exported, "honest") == AUTOGRADED_MAX
    assert score(exported, "wrong") == 3
    assert score(exported, "empty") == 0


@pytest.mark.parametrize(("hostile", "twin"), [("transformer", "empty"), ("builtins", "wrong"),
                                               ("everything", "empty")])
def test_hostile_work_scores_what_its_honest_twin_scores(exported, hostile, twin):
    assert score(exported, hostile) == score(exported, twin)


@pytest.mark.parametrize(("login", "sign"), [
    ("transformer", "подмена выполнения ячеек"), ("builtins", "подмена встроенных функций"),
    ("outside", "обращение за пределы работы")])
def test_export_names_what_was_tried(exported, login, sign):
    assert sign in exported[login]["Подозрительно"]


def test_export_marks_nothing_in_plain_work(exported):
    assert [login for login in ("honest", "wrong", "empty") if exported[login]["Подозрительно"]] \
        == []
