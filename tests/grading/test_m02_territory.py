"""Assignment m02_territory (step 1, territory analysis): its points and parts, and its
checks answer typical mistakes with the Russian hint written for them (that it is valid and
regenerates identically is checked for every assignment in test_grading_exercises.py).

The mistakes are run through the solution notebook itself (its hidden tests included) with
nbclient, so what a trainer's autograde would tell the trainee is checked here. The expected
values in the solution's hidden tests were worked out by hand from data/exercise/ (villages:
working age 1 500 + 980 + 510 = 2 990, employed 700 + 430 + 200 = 1 330, underemployed
330 + 240 + 130 = 700, migrants 260 + 190 + 110 = 560).
"""

from __future__ import annotations

import copy

import nbformat
import pytest
from grading_helpers import ROOT
from nbclient import NotebookClient

from ovop_course.data import load_table

pytestmark = pytest.mark.grading

ASSIGNMENT = "m02_territory"
SOLUTION = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

# answer cell → a typical wrong answer; test cell → the start of the hint it must give.
MISTAKES = {
    "a1_answer": 'not_employed = vil["working_age"].sum() - vil["employed"].sum()'
                 ' - vil["underemployed"].sum()',
    "a2_answer": 'reserve = vil["underemployed"].sum() + vil["seasonal_migrants"].sum()',
    "a3_answer": "days_january = reserve * WORKING_DAYS * 0.44 * PARTICIPATION\n"
                 "days_july = reserve * WORKING_DAYS * 0.95 * PARTICIPATION",
    "b1_answer": 'free = cal.groupby("month")["load_share"].sum()',
    "b3_answer": "pack_months = 1",
    "c1_answer": 'sk["share"] = sk["people"] / vil["population"].sum()\n'
                 'strong_skills = list(sk[sk["share"] >= 0.2]["skill_id"])',
    "c2_answer": 'summary = {"far_from_market": True, "power_gap": True, "internet_gap": True,'
                 ' "youth_strength": False}',
}
HINTS = {
    "a1_test": "забыли сезонных мигрантов",
    "a2_test": "мигрантов считаем не всех",
    "a3_test_january": "0,44 — занятая доля января",
    "a3_test_july": "в июле свободного времени меньше",  # 0.95 > 0.44: July now exceeds January
    "b1_test": "это занятая доля месяца",
    "b2_test": "страда — месяцы, где free < 0,2",  # «free» holds the loads: none is < 0.2
    "b3_test": "в июне — августе свободно всего",
    "c1_test": "делите домохозяйства с навыком на все домохозяйства",
    "c2_test_people": "слабый интернет только в Жашыл-Тоо",
}


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def run(nb) -> dict[str, str]:
    """Execute ``nb``; return grade_id → error text of every cell that failed."""
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    return {grade_id(c): f"{o.get('ename')}: {o.get('evalue')}"
            for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"}


def test_points_parts_and_a_written_answer():
    nb = nbformat.read(SOLUTION, as_version=4)
    graded = [c.metadata["nbgrader"] for c in nb.cells if c.metadata["nbgrader"]["grade"]]
    auto = [g for g in graded if g["grade_id"] != "d_answer"]
    assert sum(g["points"] for g in auto) == 17 and len({g["grade_id"][0] for g in auto}) == 3
    (written,) = [c for c in nb.cells if grade_id(c) == "d_answer"]
    assert written.cell_type == "markdown" and written.metadata["nbgrader"]["points"] == 3
    task = next(c for c in nb.cells if grade_id(c) == "d_task").source
    assert "Критерии оценки" in task


def test_exercise_data_agree_with_the_village_profile():
    """The three villages add up to the aimak of data/exercise/village_profile.csv."""
    profile = load_table("exercise/village_profile").set_index("indicator")["value"]
    villages = load_table("exercise/villages")
    assert villages["population"].sum() == profile["population"] == 5200
    assert villages["households"].sum() == profile["households"] == 1150
    skills = load_table("exercise/household_skills").set_index("skill_id")
    assert skills.loc["beekeeping", "households"] == profile["beekeeping_households"]


def test_solution_passes_and_every_mistake_gets_its_hint():
    solved = nbformat.read(SOLUTION, as_version=4)
    assert run(copy.deepcopy(solved)) == {}
    wrong = copy.deepcopy(solved)
    for cell in wrong.cells:
        cell.source = MISTAKES.get(grade_id(cell), cell.source)
    failures = run(wrong)
    assert set(failures) == set(HINTS), failures
    for test_id, hint in HINTS.items():
        assert hint in failures[test_id], (test_id, failures[test_id])

