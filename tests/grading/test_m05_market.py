"""Assignment m05_market (step 4, market analysis): its parts and points, and its checks answer
typical mistakes with the Russian hint written for them.

The mistakes are run through the solution notebook itself (its hidden tests included) with
nbclient, so what a trainer's autograde would tell the trainee is checked here. That the
exercise is valid and regenerates identically is checked for every assignment by
test_grading_exercises.py (`ovop-course exercises --check`).
"""

from __future__ import annotations

import copy

import nbformat
import pytest
from grading_helpers import ROOT
from nbclient import NotebookClient

pytestmark = pytest.mark.grading

ASSIGNMENT = "m05_market"
SOLUTION = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

# answer cell → a typical wrong answer; test cell → the start of the hint it must give.
MISTAKES = {
    "a1_answer": "naryn_units = 40000 + 0.05 + 2 + 1",
    "b2_answer": "sam_units = tam_units",
    "b4_answer": "som_pessimistic = som_units * PESSIMISTIC",
    "c1_answer": "bishkek_producer_price = 420 * 0.35",
    "c2_answer": 'comp["price_per_kg"] = comp["price_som"] / comp["pack_size"]',
    "c3_answer": 'median_per_kg = comp["price_per_kg"].median()\nposition = 3',
}
HINTS = {
    "a1_test": "числа нужно перемножить",
    "b2_test": "вы посчитали весь рынок (TAM)",
    "b4_test": "0,7 умножает и долю покупателей, и число покупок",
    "c1_test": "147 сом — это доля магазина",
    "c2_test": "похоже, получилась цена за грамм",
    "c3_test_median": "медиана цен за кг",  # a price per gram makes the median wrong too
    "c3_test_position": "сравните 640 сом за кг",
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

