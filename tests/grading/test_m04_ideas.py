"""Assignment m04_ideas (step 3, preliminary selection of ideas): its points and parts, and its
checks answer typical mistakes with the Russian hint written for them (validity and identical
regeneration are checked for every assignment in test_grading_exercises.py).

The mistakes are run through the solution notebook itself (its hidden tests included) with
nbclient, so what a trainer's autograde would tell the trainee is checked here. The expected
answers are cross-checked with the package's own step 3 functions.
"""

from __future__ import annotations

import nbformat
import pytest
from grading_helpers import ROOT, assert_mistakes_get_their_hints, grade_id

from ovop_course.data import load_table
from ovop_course.steps import ideas

pytestmark = pytest.mark.grading

ASSIGNMENT = "m04_ideas"
SOLUTION = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

# answer cell → a typical wrong answer; test cell → the start of the hint it must give.
MISTAKES = {
    "a1_answer": "nut_demand = 3\nnut_uniqueness = 4",
    "a2_answer": "cream_total = sum(cream_scores.values()) / 8",
    "a3_answer": "cream_points = cream_total / 5 * 100",
    "b1_answer": 'copyable = ideas[ideas["copy_barrier"] != "высокий"]',
    "b2_answer": 'imported = ideas[ideas["imported_inputs"] == True]',
    "b3_answer": "kymyz_months = 5 + 1\nhoney_months = 2 + 11",
    "c1_answer": 'scores["total"] = sum(WEIGHTS[k] * scores[k] for k in WEIGHTS) / 8',
    "c2_answer": 'shortlist = scores.sort_values("total").index[:2].tolist()',
    "c3_answer": "stability_answer = 1",
}
HINTS = {
    "a1_test": "чем больше похожих продуктов, тем ниже балл",
    "a2_test": "вы посчитали простое среднее баллов без весов",
    "a3_test": "шкала начинается с балла 1",
    "b1_test": "барьер «средний» — это не «низкий»",
    "b2_test": "у мёда с орехом привозные компоненты есть",
    "b3_test_kymyz": "при k = 1 к сезону прибавлять нечего",
    "b3_test_honey": "honey_months — целое число месяцев от 0 до 12",
    "c1_test": "делите на сумму весов (28)",
    "c2_test": "в список входят две идеи с наибольшим total",
    "c3_test": "78 % — это не 100 %",
}





def test_solution_passes_and_every_mistake_gets_its_hint():
    assert_mistakes_get_their_hints(SOLUTION, MISTAKES, HINTS)


def test_expected_answers_agree_with_the_course_functions():
    """The hidden tests' numbers, recomputed with ovop_course.steps.ideas on the exercise data."""
    facts = load_table("exercise/product_ideas").set_index("idea_id")
    assert ideas.BANDS["demand"].score(facts.loc["honey_nut", "buyer_interest_share"]) == 3
    assert ideas.BANDS["uniqueness"].score(facts.loc["honey_nut", "similar_sellers"]) == 2
    copyable = set(facts.index[facts["copy_barrier"] == "низкий"])
    imported = set(facts.index[facts["imported_inputs"]
                               & (facts["local_input_share"] < ideas.LOCAL_SHARE_MIN)])
    assert (copyable, imported) == ({"honey_jar", "honey_tea"}, {"honey_candy", "propolis"})
    kymyz = [0] * 4 + [1] * 5 + [0] * 3                     # May–September, 2 days
    honey = [0] * 5 + [1, 1] + [0] * 5                      # June–July, 730 days
    assert ideas.covered_months(kymyz, 1) == 5 and ideas.covered_months(honey, 12) == 12
    nb = nbformat.read(SOLUTION, as_version=4)
    space: dict = {}
    for cell_id in ("setup", "c_setup"):  # WEIGHTS and the scores table given to the trainee
        exec(next(c.source for c in nb.cells if grade_id(c) == cell_id), space)  # noqa: S102
    weights, scores = space["WEIGHTS"], space["scores"]
    totals = ideas.weighted_total(scores, weights)
    assert totals.round(6).to_dict() == {"cream_honey": round(110 / 28, 6),
                                         "honey_nut": round(96 / 28, 6),
                                         "wax_candles": round(112 / 28, 6)}
    top1 = ideas.rank_stability(scores, ideas.perturbed_weights(weights), 1)
    assert top1["stability_share"].round(2).to_dict() == {"cream_honey": 0.22,
                                                          "honey_nut": 0.0, "wax_candles": 0.78}

