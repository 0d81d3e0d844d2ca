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

import pytest
from grading_helpers import ROOT, assert_mistakes_get_their_hints

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





def test_exercise_data_agree_with_the_village_profile():
    """The three villages add up to the aimak of data/exercise/village_profile.csv."""
    profile = load_table("exercise/village_profile").set_index("indicator")["value"]
    villages = load_table("exercise/villages")
    assert villages["population"].sum() == profile["population"] == 5200
    assert villages["households"].sum() == profile["households"] == 1150
    skills = load_table("exercise/household_skills").set_index("skill_id")
    assert skills.loc["beekeeping", "households"] == profile["beekeeping_households"]


def test_solution_passes_and_every_mistake_gets_its_hint():
    assert_mistakes_get_their_hints(SOLUTION, MISTAKES, HINTS)

