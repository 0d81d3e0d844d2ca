"""Assignment m06_product (step 5, product development): its parts and points, and its checks
answer typical mistakes with the Russian hint written for them.

The mistakes are run through the solution notebook itself (its hidden tests included) with
nbclient, so what a trainer's autograde would tell the trainee is checked here. That the
exercise is valid and regenerates identically is checked for every assignment by
test_grading_exercises.py (`ovop-course exercises --check`). The numbers the hidden tests expect
are the course's own calculations (steps/product.py) on data/exercise/: the last test says so.
"""

from __future__ import annotations

import pytest
from grading_helpers import ROOT, assert_mistakes_get_their_hints

pytestmark = pytest.mark.grading

ASSIGNMENT = "m06_product"
SOLUTION = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

# answer cell → a typical wrong answer; test cell → the start of the hint it must give.
MISTAKES = {
    "a1_answer": 'honey_yield = BATCH_KG * (1 - losses["loss_share"].sum())',
    "a2_answer": "jars_per_batch = round(honey_yield / JAR_KG)",
    "a3_answer": "honey_for_1000 = 1000 * JAR_KG",
    "b1_answer": 'mean_price = honey["price_som"].mean()',
    "b2_answer": "raw_per_jar = BATCH_KG * mean_price / 160",
    "b3_answer": "batches_month = round(STABLE_KG / BATCH_KG)",
    "c1_answer": ('overall = scores[scores["attribute"] == "общее"]\n'
                  'means = scores.groupby("variant")["score"].mean()\n'
                  "best_variant = means.idxmax()\nbest_mean = means.max()"),
    "c2_answer": ('overall_b = overall[overall["variant"] == "B"]\n'
                  'liked_b = (overall_b["score"] > 6).mean()'),
    "c3_answer": ('test_all = panel_test(scores)\n'
                  'test_bc = panel_test(scores, variants=["B", "C"])\n'
                  "real_all = test_all.significant\np_bc = test_bc.p_value\nreal_bc = True"),
}
HINTS = {
    "a1_test": "потери стадий не складываются, а перемножаются",
    "a2_test": "округлите вниз: из 76,84 кг выходит 153,68 банки",
    "a3_test": "500 кг — это мёд в самих банках",
    "b1_test": "422,5 сом — простое среднее двенадцати цен",
    "b2_test": "так мёд стоил бы без потерь",
    "b3_test": "округлите вниз: 630 ÷ 80 = 7,875",
    "c1_test": "по всем признакам вместе выше C",
    "c2_test": "оценка 6 («нравится немного») тоже считается",
    "c3_test": "у B среднее выше, но p = 0,317",
}

# More typical mistakes, each set run through the notebook at once like the first.
MORE_MISTAKES = [
    ({  # the lost mass for the yield, the jars before the losses, July's price, a fraction
        "a1_answer": 'honey_yield = BATCH_KG * losses["loss_share"].sum()',
        "a2_answer": "jars_per_batch = math.floor(BATCH_KG / JAR_KG)",
        "a3_answer": 'honey_for_1000 = 1000 * JAR_KG / (1 - losses["loss_share"]).prod()',
        "b2_answer": "raw_per_jar = BATCH_KG * 350 / jars_per_batch",
        "b3_answer": "batches_month = STABLE_KG / BATCH_KG",
        "c1_answer": ('overall = scores[scores["attribute"] == "общее"]\n'
                      'means = overall.groupby("variant")["score"].mean()\n'
                      "best_variant = means.max()\nbest_mean = means.max()"),
        "c2_answer": ('overall_b = overall[overall["variant"] == "B"]\n'
                      'liked_b = (overall_b["score"] >= 6).sum()'),
        "c3_answer": ('test_all = panel_test(scores)\n'
                      "real_all = test_all.significant\np_bc = test_all.p_value\n"
                      "real_bc = False"),
    }, {
        "a1_test": "honey_yield — сколько мёда осталось, а не сколько потеряно",
        "a2_test": "160 банок — это 80 кг мёда до потерь",
        "a3_test": "вы посчитали мёд без запаса на долив",
        "b2_test": "350 сом — цена июля из рецептуры",
        "b3_test": "партий — целое число",
        "c1_test": "запишите код варианта строкой",
        "c2_test": "долю пишите числом от 0 до 1",
        "c3_test": "p_bc — значение p проверки двух вариантов",
    }),
    ({  # jars as honey × 0.5, the whole volume for the batches, no difference among three
        "a2_answer": "jars_per_batch = math.floor(honey_yield * JAR_KG)",
        "b3_answer": "batches_month = math.floor(1050 / BATCH_KG)",
        "c3_answer": ('test_bc = panel_test(scores, variants=["B", "C"])\n'
                      "real_all = False\np_bc = test_bc.p_value\nreal_bc = test_bc.significant"),
    }, {
        "a2_test": "число банок = мёд ÷ 0,5 кг, а не мёд × 0,5",
        "b3_test": "13 партий — это весь мёд",
        "c3_test": "у трёх вариантов p < 0,001",
    }),
]


def test_solution_passes_and_every_mistake_gets_its_hint():
    assert_mistakes_get_their_hints(SOLUTION, MISTAKES, HINTS)


@pytest.mark.parametrize("mistakes, hints", MORE_MISTAKES, ids=["set2", "set3"])
def test_more_mistakes_get_their_hints(mistakes, hints):
    assert_mistakes_get_their_hints(SOLUTION, mistakes, hints)


def test_the_expected_answers_are_the_course_calculations():
    """What the hidden tests expect is what steps/product.py computes on data/exercise/."""
    from ovop_course.data import load_table
    from ovop_course.steps import product

    recipe, losses = load_table("exercise/recipe"), load_table("exercise/process_losses")
    batches = load_table("exercise/product_batches")
    assert product.batch_yield(recipe, losses, "honey_jar") == pytest.approx(76.83788)
    check = product.yield_check(recipe, losses, batches, "honey_jar")
    assert check.units_possible == check.units_per_batch == 153 and check.consistent
    scaled = product.scale_recipe(recipe, batches, "honey_jar", units=1000).table
    assert scaled.loc[0, "scaled"] == pytest.approx(80 * 1000 / 153)   # the honey
    supply = product.raw_material_supply(load_table("exercise/raw_materials"),
                                         load_table("exercise/raw_material_months"))
    honey = supply.set_index("material_id").loc["sainfoin_honey"]
    assert honey["mean_price_som"] == pytest.approx(4_684_000 / 12_600)
    assert honey["stable_supply"] == pytest.approx(630)                 # STABLE_KG
    cost = product.unit_cost(recipe, batches, "honey_jar", supply)
    assert cost.raw_som == pytest.approx(80 * 4_684_000 / 12_600 / 153)
    assert cost.raw_som == pytest.approx(194.38, abs=0.005)             # m07's RAW_SOM
    assert cost.packaging_som == 33                                     # m07's PACK_SOM
    assert product.batch_limits(recipe, "honey_jar", supply).batches == 7
    scores = load_table("exercise/panel_scores")
    panel = product.panel_test(scores)
    assert panel.preferred == ("B",) and panel.significant and panel.p_value < 0.001
    assert panel.means == pytest.approx((64 / 12, 87 / 12, 84 / 12))
    assert panel.liked_shares[1] == pytest.approx(11 / 12)
    pair = product.panel_test(scores, variants=["B", "C"])
    assert pair.test == "wilcoxon" and not pair.significant
    assert pair.p_value == pytest.approx(0.3173, abs=0.001)
    every = product.panel_summary(scores).groupby("variant").apply(
        lambda s: (s["mean"] * s["n"]).sum() / s["n"].sum(), include_groups=False)
    assert every.idxmax() == "C"    # the trap of the hint «по всем признакам вместе выше C»
    card = product.concept_card(load_table("exercise/product_concepts"), "honey_jar",
                                load_table("exercise/market_segments"),
                                load_table("exercise/competitor_prices"), batches)
    assert (round(card.price_low), card.price_median, card.price_high) == (329, 340, 380)
