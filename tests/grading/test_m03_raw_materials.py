"""Assignment m03_raw_materials (step 2, local raw materials): its points and parts, and its
checks answer typical mistakes with the Russian hint written for them (validity and identical
regeneration are checked for every assignment in test_grading_exercises.py).

The mistakes are run through the solution notebook itself (its hidden tests included) with
nbclient, so what a trainer's autograde would tell the trainee is checked here.
"""

from __future__ import annotations

import pytest
from grading_helpers import ROOT, assert_mistakes_get_their_hints

pytestmark = pytest.mark.grading

ASSIGNMENT = "m03_raw_materials"
SOLUTION = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

# answer cell → a typical wrong answer; test cell → the start of the hint it must give.
MISTAKES = {
    "a1_answer": 'honey["sustainable"] = honey["volume"] / SHARE',
    "a2_answer": 'stable_fresh = honey["volume"].min()',
    "a3_answer": "stable_season = 700",
    "b1_answer": "k_cream = round(200 / 30)",
    "b2_answer": 'stable_storage = honey["volume"].sum() / 12',
    "b3_answer": "max_jars = math.floor(630 * JAR_KG)",
    "c1_answer": "july_share = 6700 / 12600 * 100\none_month_risk = True",
    "c2_answer": "price_ratio = 480 - 350\nprice_risk = True",
    "c3_answer": "planned_kg = 1600 / JAR_KG\nover_harvest = False",
}
HINTS = {
    "a1_test": "устойчивый объём не больше всего объёма",
    "a2_test": "100 кг — это весь объём мая",
    "a3_test": "700 кг — весь объём сентября",
    "b1_test": "округлите вниз",
    "b2_test": "1 050 кг = 12 600 / 12",
    "b3_test": "315 — это мёд",
    "c1_test_share": "долю пишите числом от 0 до 1",
    "c2_test_ratio": "130 сом — это разница цен",
    "c2_test_risk": "не больше порога 1,5",
    "c3_test": "умножьте число банок на массу банки",
}





def test_solution_passes_and_every_mistake_gets_its_hint():
    assert_mistakes_get_their_hints(SOLUTION, MISTAKES, HINTS)

