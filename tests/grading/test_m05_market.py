"""Assignment m05_market (step 4, market analysis): its parts and points, and its checks answer
typical mistakes with the Russian hint written for them.

The mistakes are run through the solution notebook itself (its hidden tests included) with
nbclient, so what a trainer's autograde would tell the trainee is checked here. That the
exercise is valid and regenerates identically is checked for every assignment by
test_grading_exercises.py (`ovop-course exercises --check`).
"""

from __future__ import annotations

import pytest
from grading_helpers import ROOT, assert_mistakes_get_their_hints

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





def test_solution_passes_and_every_mistake_gets_its_hint():
    assert_mistakes_get_their_hints(SOLUTION, MISTAKES, HINTS)

