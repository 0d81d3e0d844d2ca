"""Assignment m07_technology (step 6, technology and the cost of the product): its parts and
points, and its checks answer typical mistakes with the Russian hint written for them.

The mistakes are run through the solution notebook itself (its hidden tests included) with
nbclient, so what a trainer's autograde would tell the trainee is checked here. That the
exercise is valid and regenerates identically is checked for every assignment by
test_grading_exercises.py (`ovop-course exercises --check`). The numbers the hidden tests expect
are the course's own calculations (steps/technology.py, steps/costing.py) on data/exercise/:
the last test says so.
"""

from __future__ import annotations

import pytest
from grading_helpers import ROOT, assert_mistakes_get_their_hints

pytestmark = pytest.mark.grading

ASSIGNMENT = "m07_technology"
SOLUTION = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

# answer cell → a typical wrong answer; test cell → the start of the hint it must give.
MISTAKES = {
    "a1_answer": 'labour_som = steps["minutes"].sum() / JARS_PER_BATCH / 60 * WAGE',
    "a2_answer": ("variable_som = RAW_SOM + PACK_SOM + labour_som\n"
                  'used = equipment[equipment["equipment_id"].isin(steps["equipment_id"])]\n'
                  'depreciation = (used["price_som"] / used["lifetime_years"]).sum()\n'
                  'fixed_som = overheads["amount_som"].sum() + depreciation'),
    "a3_answer": "unit_cost = variable_som + fixed_som / JARS_PER_BATCH",
    "b1_answer": ("margin = (PRICE - unit_cost) / unit_cost\n"
                  "markup = (PRICE - unit_cost) / PRICE"),
    "b2_answer": "price_30 = unit_cost * 1.3\nmargin_30 = 0.3",
    "b3_answer": "break_even_jars = math.floor(fixed_som / (PRICE - variable_som))",
    "b4_answer": "break_even_som = fixed_som / (PRICE - variable_som) * variable_som",
    "c1_answer": ('year["cash"] = year["sold"] * PRICE - year["made"] * variable_som'
                  " - OVERHEADS_MONTH\n"
                  'year["cumulative"] = year["cash"].cumsum()\n'
                  'working_capital = -year["cash"].min()'),
    "c2_answer": "npv = sum(f / (1 + RATE) ** (t + 1) for t, f in enumerate(FLOWS))",
}
HINTS = {
    "a1_test": "умножьте минуты каждой операции на число людей",
    "a2_test_fixed": "месячные накладные",
    "a3_test": "постоянные затраты года делят на банки года (1 000)",
    "b1_test": "маржа = (P − C) ÷ P",
    "b2_test": "наценка 30 % — не маржа 30 %",
    "b3_test": "округлите вверх",
    "b4_test": "выручка — это банки × цена продажи",
    "c1_test": "это дефицит одного месяца",
    "c2_test": "вы дисконтировали и поток года 0",
}

# More typical mistakes, each set run through the notebook at once like the first.
USED = 'used = equipment[equipment["equipment_id"].isin(steps["equipment_id"])]\n'
YEARLY = ('monthly = overheads[overheads["per"] == "месяц"]["amount_som"].sum()\n'
          'yearly = overheads[overheads["per"] == "год"]["amount_som"].sum()\n')
MORE_MISTAKES = [
    ({  # no labour in V, the equipment's price in F, percents, F ÷ P, a negative deficit
        "a2_answer": ("variable_som = RAW_SOM + PACK_SOM\n" + USED + YEARLY
                      + 'fixed_som = monthly * 12 + yearly + used["price_som"].sum()'),
        "b1_answer": ("margin = (PRICE - unit_cost) / PRICE * 100\n"
                      "markup = (PRICE - unit_cost) / unit_cost * 100"),
        "b2_answer": "price_30 = unit_cost + 30\nmargin_30 = 30 / price_30",
        "b3_answer": "break_even_jars = math.ceil(fixed_som / PRICE)",
        "c1_answer": ('year["cash"] = year["sold"] * PRICE - year["made"] * variable_som'
                      " - OVERHEADS_MONTH\n"
                      'year["cumulative"] = year["cash"].cumsum()\n'
                      'working_capital = year["cumulative"].min()'),
        "c2_answer": "npv = sum(FLOWS)",
    }, {
        "a2_test_variable": "переменные затраты на банку = мёд (RAW_SOM) + упаковка",
        "a2_test_fixed": "не вся цена оборудования (48 000 сом), а амортизация",
        "b1_test": "пишите доли числами",
        "b2_test": "цена с наценкой 30 % = себестоимость × 1,3",
        "b3_test": "не на всю цену",
        "c1_test": "оборотные средства пишите положительным числом",
        "c2_test": "200 200 сом — простая сумма потоков",
    }),
    ({  # every piece of equipment (the doser too), no V in C, C in place of V, no running sum
        "a2_answer": ("variable_som = RAW_SOM + PACK_SOM + labour_som\nused = equipment\n"
                      'depreciation = (used["price_som"] / used["lifetime_years"]).sum()\n'
                      + YEARLY + "fixed_som = monthly * 12 + yearly + depreciation"),
        "a3_answer": "unit_cost = fixed_som / PLAN_JARS",
        "b3_answer": "break_even_jars = math.ceil(fixed_som / (PRICE - unit_cost))",
        "c1_answer": ('year["cash"] = year["sold"] * PRICE - year["made"] * variable_som'
                      " - OVERHEADS_MONTH\n"
                      'year["cumulative"] = year["cash"]\n'
                      'working_capital = -year["cumulative"].min()'),
    }, {
        "a2_test_fixed": "дозатор (honey_doser) в технологической карте не нужен",
        "a3_test": "не забудьте переменные затраты",
        "b3_test": "в формуле — переменные затраты V, а не себестоимость C",
        "c1_test": "cumulative — накопленная сумма денег месяца",
    }),
]


def test_solution_passes_and_every_mistake_gets_its_hint():
    assert_mistakes_get_their_hints(SOLUTION, MISTAKES, HINTS)


@pytest.mark.parametrize("mistakes, hints", MORE_MISTAKES, ids=["set2", "set3"])
def test_more_mistakes_get_their_hints(mistakes, hints):
    assert_mistakes_get_their_hints(SOLUTION, mistakes, hints)


def test_the_expected_answers_are_the_course_calculations():
    """What the hidden tests expect is what steps/technology.py and steps/costing.py compute on
    data/exercise/ with step 5's results (m06: 153 jars, 194.38 som of honey, 33 of packaging)."""
    from ovop_course.data import load_table
    from ovop_course.steps import costing, technology

    steps = load_table("exercise/process_steps")
    reference = load_table("exercise/reference_indicators").set_index("indicator_id")["value"]
    process = technology.process_with(steps, "honey_jar")
    minutes = technology.labour_minutes_per_unit(process, 153)
    labour = technology.labour_cost(minutes, reference["labour_rate"])
    assert (minutes, labour) == (4.0, 10.0)
    batches = load_table("exercise/product_batches").set_index("product_id")
    assert batches.loc["honey_jar", "labour_hours"] == process["person_minutes"].sum() / 60
    items = technology.equipment_table(load_table("exercise/equipment"), process)
    overheads = technology.overheads_per_year(load_table("exercise/overheads"))
    depreciation = float(items["depreciation_som_year"].sum())
    assert (float(items["price_som"].sum()), depreciation, overheads) == (48_000, 6_600, 36_000)
    sheet = technology.cost_sheet(194.38, 33, labour, 0, overheads, depreciation, 1000)
    per_unit = sheet.set_index("row")["per_unit_som"]
    assert per_unit["variable"] == pytest.approx(237.38)
    assert per_unit["total"] == pytest.approx(279.98)
    fixed = overheads + depreciation
    assert costing.margin(300, 279.98) == pytest.approx((300 - 279.98) / 300)
    assert costing.margin_from_markup(0.3) == pytest.approx(0.3 / 1.3)
    even = technology.break_even(fixed, 300, 237.38)
    assert even.units_whole == 681 and even.revenue_som == pytest.approx(204_088.15, abs=0.01)
    shares = technology.season_shares(load_table("exercise/sales_seasonality"), "honey_jar")
    year = technology.year_plan(technology.demand_by_month(1000, shares), [7, 8], 300, 237.38,
                                overheads / 12)
    assert year.table["made"].tolist()[:3] == [500, 500, 0]
    assert year.working_capital_som == pytest.approx(198_380) and year.peak_month == 8
    assert year.operating_som == pytest.approx(26_620)
    flows = technology.project_flows(year.operating_som, items)
    assert flows == pytest.approx([-48000, 26620, 26620, 26620, 26620, 8620,
                                   26620, 26620, 26620, 26620, 26620])         # FLOWS
    assert technology.appraisal(reference["discount_rate"], flows).npv_som == pytest.approx(
        76_650.44, abs=0.01)
    capacity = technology.capacity(process, 153)
    assert capacity.bottleneck == ("table_scales",) and capacity.units_per_month == 13_464
    doser = technology.process_with(steps, "honey_jar",
                                    load_table("exercise/process_alternatives"), ["honey_doser"])
    saved = labour - technology.labour_cost(technology.labour_minutes_per_unit(doser, 153), 150)
    assert saved == pytest.approx(210 / 153 / 60 * 150)         # the written answer's 3,4 som
