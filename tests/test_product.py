"""Step 5, product development: the concept card, the recipe (losses, yield, scaling, cost,
batches a month), the tasting panel (summary, Friedman, Wilcoxon, the explanation) and the
design review.

Expected values are worked out by hand from data/lesson/*.csv (the arithmetic is written next
to each number) or by an independent calculation (scipy called directly, an exact enumeration,
the normal approximation written out), never by calling the function under test. Property
tests (hypothesis) give every public function each class of bad input and require OvopError
with a Russian message, never another exception.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import itertools
import math
import re
import statistics
import warnings
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import openpyxl
import pandas as pd
import pytest
from error_helpers import refused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import ovop_course
from ovop_course import checks
from ovop_course.charts import to_svg
from ovop_course.charts.product import panel_figure, yield_figure
from ovop_course.data import load_table
from ovop_course.errors import OvopError
from ovop_course.i18n import catalogue, in_language, set_language
from ovop_course.steps import product, raw_materials
from ovop_course.ui import product as product_tool
from ovop_course.ui._own_data import cell_text, records, table_title
from ovop_course.workbook import (
    MarketSection,
    OwnData,
    ProductSection,
    RawMaterialsSection,
    Workbook,
    load_workbook,
    save_workbook,
    saved_workbook,
)

ROOT = Path(__file__).resolve().parents[1]
RECIPE = load_table("lesson/recipe")
LOSSES = load_table("lesson/process_losses")
BATCHES = load_table("lesson/product_batches")
PANEL = load_table("lesson/panel_scores")
CONCEPTS = load_table("lesson/product_concepts")
SEGMENTS = load_table("lesson/market_segments")
COMPETITORS = load_table("lesson/competitor_prices")
IDEAS = load_table("lesson/product_ideas")
MATERIALS, MONTHS = raw_materials.lesson_inventory()
PER_KG = {"кг": 1.0, "г": 0.001, "л": 1.0, "мл": 0.001}


@pytest.fixture(autouse=True)
def _russian():
    set_language("ru")
    yield
    set_language("ru")


def panel(rows) -> pd.DataFrame:
    """A panel table from (panellist, variant, score) of overall liking."""
    return pd.DataFrame([{"panellist": p, "variant": v, "attribute": "общее", "score": s}
                         for p, v, s in rows])


def wide(matrix, variants=("A", "B", "C")) -> pd.DataFrame:
    """A panel table from rows of scores (one row per panellist, None: not tasted)."""
    return panel([(f"p{i + 1}", v, s) for i, row in enumerate(matrix)
                  for v, s in zip(variants, row) if s is not None])


# ------------------------------------------------------------------ the concept card


def test_lesson_card_joins_step_4_and_the_batch_table():
    card = product.lesson_concept_card()
    assert card.product_id == "sb_juice"
    assert card.segment_ids == ("tourists", "karakol")
    assert card.segments == ("Туристы на Иссык-Куле", "Каракол")
    assert (card.unit_name, card.unit_size, card.unit_size_unit) == ("бутылка 0,5 л", 500.0,
                                                                      "мл")
    assert len(card.hard_to_copy) == 5 and card.hard_to_copy[1] == "мёд своих пасек в составе"
    assert "локальн" in card.story.lower() or "местный" in card.story


def test_card_price_range_is_the_competitor_corridor_on_our_bottle():
    # Nectar prices per litre: 190/1, 210/1, 200/1, 250/0.5 = 190, 210, 200, 500.
    prices = sorted([190 / 1, 210 / 1, 200 / 1, 250 / 0.5])
    q1, median, q3 = statistics.quantiles(prices, n=4, method="inclusive")  # type 7
    card = product.lesson_concept_card()
    assert card.price_unit == "л" and card.competitors == 4
    assert (card.price_low, card.price_median, card.price_high) == pytest.approx(
        (q1 * 0.5, median * 0.5, q3 * 0.5))                                 # 98.75, 102.5, 141.25
    assert card.price_low == pytest.approx(98.75) and card.price_high == pytest.approx(141.25)


def test_card_refuses_segments_not_of_step_4_and_no_reasons():
    for changes, words in [({"segment_ids": "tourists; moon"}, "moon"),
                           ({"segment_ids": ";"}, "сегмент"),
                           ({"segment_ids": "tourists; tourists"}, "дважды"),
                           ({"hard_to_copy": " ; "}, "скопировать")]:
        concepts = CONCEPTS.assign(**changes)
        message = refused(product.concept_card, concepts, "sb_juice", SEGMENTS, COMPETITORS,
                          BATCHES)
        assert words in message


def test_card_of_a_product_without_a_concept_row_names_the_known_ones():
    message = refused(product.concept_card, CONCEPTS, "sb_jam", SEGMENTS, COMPETITORS, BATCHES)
    assert "sb_jam" in message and "sb_juice" in message


# ------------------------------------------------------------------ losses and yield


def hand_yield(product_id: str) -> tuple[float, list[float]]:
    """Y and the batch mass after each stage, by hand from the CSV files."""
    raw = RECIPE[(RECIPE.product_id == product_id) & (RECIPE.kind == "сырьё")]
    left = {r.ingredient: r.quantity * PER_KG[r.unit] for r in raw.itertuples()}
    after = []
    for stage in LOSSES[LOSSES.product_id == product_id].sort_values("stage_no").itertuples():
        names = list(left) if pd.isna(stage.applies_to) else [stage.applies_to]
        for name in names:
            left[name] *= 1 - stage.loss_share
        after.append(sum(left.values()))
    return sum(left.values()), after


def test_yield_after_is_the_product_of_what_each_stage_keeps():
    assert product.yield_after(30, [0.02, 0.01, 0.33]) == pytest.approx(30 * .98 * .99 * .67)
    assert product.yield_after(12.5, []) == 12.5
    assert product.yield_after(10, (0.5, 1)) == 0.0
    assert product.yield_after(10, pd.Series([0.1])) == pytest.approx(9.0)


def test_nectar_mass_stage_by_stage_by_hand():
    # Berries 30 kg: sorting −2 % → 29.4; washing −1 % → 29.106; pressing −33 % → 19.50102;
    # filtering −0.5 % → 19.40352; + water 28 l + honey 3 kg → 50.40352; pasteurisation −0.3 %
    # → 50.25230; hot filling −0.2 % → 50.15180 kg (= l).
    stages = product.loss_stages(RECIPE, LOSSES, "sb_juice")
    assert stages["stage_no"].tolist() == [1, 2, 3, 4, 5, 6]
    assert stages["mass_out"].tolist()[:4] == pytest.approx([29.4, 29.106, 19.50102,
                                                             19.4035149])
    assert stages["batch_mass"].tolist() == pytest.approx(hand_yield("sb_juice")[1])
    assert stages["batch_mass"].iloc[-1] == pytest.approx(50.1517997, abs=1e-6)
    assert stages["lost"].tolist() == pytest.approx(
        (stages["mass_in"] * stages["loss_share"]).tolist())
    assert stages["applies_to"].isna().tolist() == [False] * 4 + [True] * 2
    assert product.batch_yield(RECIPE, LOSSES, "sb_juice") == pytest.approx(50.1517997,
                                                                            abs=1e-6)


@pytest.mark.parametrize("product_id", sorted(BATCHES.product_id))
def test_every_lesson_yield_gives_exactly_the_batch_tables_units(product_id):
    y, _ = hand_yield(product_id)
    batch = BATCHES.set_index("product_id").loc[product_id]
    size = batch.unit_size * PER_KG[batch.unit_size_unit]
    check = product.yield_check(RECIPE, LOSSES, BATCHES, product_id)
    assert check.yield_amount == pytest.approx(y)
    assert check.units_possible == math.floor(y / size) == batch.units_per_batch
    assert check.consistent and 0 <= check.reserve < size
    assert check.reserve == pytest.approx(y - batch.units_per_batch * size)
    assert check.unit == ("л" if batch.unit_size_unit == "мл" else "кг")


def test_yield_check_flags_a_batch_table_that_promises_too_much():
    batches = BATCHES.copy()
    batches.loc[batches.product_id == "sb_juice", "units_per_batch"] = 101
    check = product.yield_check(RECIPE, LOSSES, batches, "sb_juice")
    assert not check.consistent and check.units_possible == 100
    assert check.reserve == pytest.approx(50.1517997 - 50.5, abs=1e-6)


def small_recipe(quantity=10.0, water=2.0, unit="кг"):
    recipe = pd.DataFrame([
        {"product_id": "x", "ingredient": "Ягода", "kind": "сырьё", "quantity": quantity,
         "unit": unit, "unit_price_som": 100, "origin": "местное", "material_id": "berry"},
        {"product_id": "x", "ingredient": "Вода", "kind": "сырьё", "quantity": water,
         "unit": "л", "unit_price_som": 0, "origin": "местное"},
        {"product_id": "x", "ingredient": "Банка", "kind": "упаковка", "quantity": 20,
         "unit": "шт", "unit_price_som": 15, "origin": "импорт"}])
    losses = pd.DataFrame([
        {"product_id": "x", "stage_no": 1, "stage": "Отжим", "applies_to": "Ягода",
         "loss_share": 0.1},
        {"product_id": "x", "stage_no": 2, "stage": "Уваривание", "loss_share": 0.5}])
    batches = pd.DataFrame([{"product_id": "x", "unit_size": 250, "unit_size_unit": "г",
                             "units_per_batch": 20}])
    return recipe, losses, batches


def test_a_small_recipe_by_hand():
    recipe, losses, batches = small_recipe()
    # (10 × 0.9 + 2) × 0.5 = 5.5 kg → ⌊5.5 / 0.25⌋ = 22 jars ≥ 20; reserve 5.5 − 5 = 0.5.
    check = product.yield_check(recipe, losses, batches, "x")
    assert (check.input_amount, check.yield_amount, check.units_possible) == (12.0, 5.5, 22)
    assert check.yield_share == pytest.approx(5.5 / 12) and check.reserve == pytest.approx(0.5)
    grams = small_recipe(quantity=10_000, unit="г")[0]
    assert product.batch_yield(grams, losses, "x") == pytest.approx(5.5)


def test_stage_naming_an_ingredient_not_in_the_recipe_is_refused():
    recipe, losses, _ = small_recipe()
    losses.loc[0, "applies_to"] = "ягода"
    assert "«Ягода»" in refused(product.loss_stages, recipe, losses, "x")
    recipe.loc[0, "unit"] = "шт"
    losses.loc[0, "applies_to"] = "Ягода"
    assert "шт" in refused(product.batch_yield, recipe, losses, "x")
    assert "ни одной стадии" in refused(product.batch_yield, small_recipe()[0],
                                         losses.assign(product_id="y"), "x")
    whole = losses.assign(loss_share=[0.1, 1.0])
    assert "меньше 1" in refused(product.check_losses, whole)
    gone = losses.assign(applies_to=["Ягода", None], loss_share=[1.0, 0.0])
    gone.loc[2] = {"product_id": "x", "stage_no": 3, "stage": "Слив", "applies_to": "Вода",
                   "loss_share": 1.0}
    assert "ничего не осталось" in refused(product.batch_yield, small_recipe()[0], gone, "x")


@settings(max_examples=60, deadline=None)
@given(quantities=st.lists(st.floats(0.01, 1e4), min_size=1, max_size=4),
       shares=st.lists(st.tuples(st.integers(-1, 3), st.floats(0, 0.99)), min_size=1,
                       max_size=6),
       factor=st.floats(0.5, 20))
def test_yield_is_the_formula_and_scales_with_the_recipe(quantities, shares, factor):
    """Y = Σ q_i Π(1 − l_s) for any recipe; stage order does not change Y; scaling every
    ingredient by f scales Y by f."""
    names = [f"Сырьё {i}" for i in range(len(quantities))]
    recipe = pd.DataFrame({"product_id": "x", "ingredient": names, "kind": "сырьё",
                           "quantity": quantities, "unit": "кг", "unit_price_som": 1.0,
                           "origin": "местное"})
    rows = [{"product_id": "x", "stage_no": n + 1, "stage": f"s{n}",
             "applies_to": names[i] if 0 <= i < len(names) else None, "loss_share": share}
            for n, (i, share) in enumerate(shares)]
    losses = pd.DataFrame(rows)
    expected = sum(q * math.prod(1 - s for i, s in shares if i < 0 or i >= len(names) or i == k)
                   for k, q in enumerate(quantities))
    y = product.batch_yield(recipe, losses, "x")
    assert y == pytest.approx(expected, rel=1e-9)
    reversed_ = losses.assign(stage_no=list(range(len(rows), 0, -1)))
    assert product.batch_yield(recipe, reversed_, "x") == pytest.approx(y, rel=1e-9)
    scaled = recipe.assign(quantity=recipe.quantity * factor)
    assert product.batch_yield(scaled, losses, "x") == pytest.approx(y * factor, rel=1e-9)


# ------------------------------------------------------------------ scaling


def test_scaling_to_a_number_of_units_and_by_a_factor():
    scaled = product.scale_recipe(RECIPE, BATCHES, "sb_juice", units=250)
    # 250 / 100 = 2.5: berries 75, honey 7.5, water 70; bottles, caps, labels 250 each.
    assert scaled.factor == 2.5 and scaled.units == 250
    assert scaled.table["scaled"].tolist() == [75.0, 7.5, 70.0, 250.0, 250.0, 250.0]
    assert scaled.table["per_unit"].tolist() == pytest.approx([0.3, 0.03, 0.28, 1, 1, 1])
    odd = product.scale_recipe(RECIPE, BATCHES, "sb_juice", factor=1.234)
    # 100 × 1.234 = 123.4 → 123 whole bottles; berries 30 × 1.234 = 37.02 kg.
    assert odd.units == 123
    assert odd.table["scaled"].tolist() == pytest.approx([37.02, 3.702, 34.552, 123, 123, 123])
    jam = product.scale_recipe(RECIPE, BATCHES, "sb_jam", factor=0.5)
    assert jam.units == 60 and jam.table["scaled"].tolist() == [10.0, 8.0, 60.0, 60.0, 60.0]


def test_scaling_counts_packaging_by_units_when_a_pack_serves_several():
    recipe, _, batches = small_recipe()
    recipe.loc[2, "quantity"] = 5          # a box for every 4 jars: 5 per 20 jars
    scaled = product.scale_recipe(recipe, batches, "x", units=7)
    assert scaled.table["scaled"].tolist() == pytest.approx([3.5, 0.7, 2.0])  # ⌈7 / 4⌉ = 2


def test_scaling_needs_one_way_and_at_least_one_unit():
    refused(product.scale_recipe, RECIPE, BATCHES, "sb_juice")
    refused(product.scale_recipe, RECIPE, BATCHES, "sb_juice", units=10, factor=2)
    assert "меньше одной единицы" in refused(product.scale_recipe, RECIPE, BATCHES, "sb_juice",
                                             factor=0.001)


# ------------------------------------------------------------------ cost and batches a month


def hand_mean_price(material_id: str) -> float:
    """Step 2's average: Σ p V s / Σ V s over months with a price (s cancels)."""
    rows = MONTHS[(MONTHS.material_id == material_id) & MONTHS.price_som.notna()]
    return float((rows.price_som * rows.volume).sum() / rows.volume.sum())


def test_raw_material_supply_is_step_2s_own_results():
    supply = product.lesson_supply().set_index("material_id")
    assert set(supply.index) == set(MATERIALS.material_id)
    garden = raw_materials.analyse_material(MATERIALS, MONTHS, "sea_buckthorn_garden")
    assert supply.loc["sea_buckthorn_garden", "stable_supply"] == pytest.approx(
        garden.stable_supply_with_storage)
    for material_id in ("sea_buckthorn_garden", "honey", "apricot"):
        assert supply.loc[material_id, "mean_price_som"] == pytest.approx(
            hand_mean_price(material_id))
    no_storage = product.raw_material_supply(MATERIALS, MONTHS, storage=False).set_index(
        "material_id")
    assert no_storage.loc["sea_buckthorn_garden", "stable_supply"] == 0.0
    assert no_storage.loc["honey", "stable_supply"] == pytest.approx(70.0)


def test_cost_per_bottle_at_step_2_prices_by_hand():
    berries, honey = hand_mean_price("sea_buckthorn_garden"), hand_mean_price("honey")
    cost = product.lesson_unit_cost()
    # (30 × p̄_berries + 3 × p̄_honey + 28 × 0) / 100; packaging (22 + 4 + 5) × 100 / 100 = 31.
    assert cost.raw_som == pytest.approx((30 * berries + 3 * honey) / 100)
    assert cost.packaging_som == 31.0
    assert cost.total_som == pytest.approx(cost.raw_som + 31.0)
    table = cost.table.set_index("ingredient")
    assert table["price_source"].tolist() == ["step2", "step2", "recipe", "recipe", "recipe",
                                              "recipe"]
    assert table.loc["Облепиха садовая", "price_som"] == pytest.approx(berries)
    assert cost.step2_lines == 2 and cost.units_per_batch == 100


def test_cost_uses_the_recipe_price_where_step_2_has_none():
    cost = product.unit_cost(RECIPE, BATCHES, "sb_juice")
    # (30 × 150 + 3 × 350 + 0) / 100 = 55.5
    assert cost.raw_som == 55.5 and cost.step2_lines == 0
    same = product.unit_cost(RECIPE, BATCHES, "sb_juice", {"sea_buckthorn_garden": 0,
                                                            "honey": None,
                                                            "apricot": float("nan")})
    assert same.raw_som == 55.5
    grams = small_recipe(quantity=10_000, unit="г")
    # 10 000 г = 10 kg at 120 som/kg = 1200 som; 20 jars × 15 = 300; ÷ 20 units.
    cost = product.unit_cost(grams[0], grams[2], "x", pd.Series({"berry": 120.0}))
    assert cost.raw_som == pytest.approx(60.0) and cost.packaging_som == pytest.approx(15.0)
    assert cost.table.loc[0, "price_unit"] == "кг"


def test_batches_a_month_from_step_2s_stable_supply():
    # ⌊793.33 / 30⌋ = 26 (berries), ⌊326.67 / 3⌋ = 108 (honey): berries limit.
    limit = product.lesson_batch_limit()
    assert (limit.batches, limit.binding) == (26, "sea_buckthorn_garden")
    assert limit.table["batches"].tolist() == [26, 108]
    assert limit.table["per_batch"].tolist() == [30.0, 3.0]
    assert product.batches_per_month(0.3, 0.1) == 3     # 2.9999999999999996 is 3 batches
    assert product.batches_per_month(89.9, 30) == 2
    jam = product.batch_limits(RECIPE, "sb_jam", {"sea_buckthorn_garden": 100})
    assert (jam.batches, jam.binding) == (5, "sea_buckthorn_garden")
    message = refused(product.batch_limits, RECIPE, "sb_juice", {"honey": 50})
    assert "sea_buckthorn_garden" in message
    assert "местного сырья" in refused(product.batch_limits, RECIPE, "sb_oil", {"honey": 50})


def test_batch_limits_refuse_a_unit_of_another_measure():
    supply = product.lesson_supply()
    supply.loc[supply.material_id == "honey", "unit"] = "л"
    assert "Мёд" in refused(product.batch_limits, RECIPE, "sb_juice", supply)


# ------------------------------------------------------------------ the panel


def test_panel_summary_by_hand():
    summary = product.lesson_panel_summary()
    assert len(summary) == 15                            # 3 variants × 5 attributes
    for (variant, attribute), group in PANEL.groupby(["variant", "attribute"]):
        row = summary[(summary.variant == variant) & (summary.attribute == attribute)].iloc[0]
        scores = group.score.to_numpy()
        assert row["n"] == len(scores)
        assert row["mean"] == pytest.approx(scores.mean())
        assert row["sd"] == pytest.approx(scores.std(ddof=1))
        assert row["liked_share"] == pytest.approx((scores >= 6).mean())
    overall = summary[summary.attribute == "общее"]
    assert overall.variant.tolist() == ["A", "B", "C"] and overall.n.tolist() == [15, 15, 14]
    assert summary.attribute.tolist()[:5] == ["общее", "внешний вид", "запах", "вкус",
                                              "консистенция"]
    single = product.panel_summary(panel([("p1", "A", 7), ("p2", "A", 8)]).iloc[:1])
    assert math.isnan(single["sd"].iloc[0]) and single["n"].iloc[0] == 1


def lesson_overall() -> pd.DataFrame:
    rows = PANEL[PANEL.attribute == "общее"]
    return rows.pivot(index="panellist", columns="variant", values="score")


def test_lesson_panel_agrees_with_scipy_and_drops_the_incomplete_panellist():
    complete = lesson_overall().dropna()
    assert len(complete) == 14 and "p15" not in complete.index
    direct = stats.friedmanchisquare(complete.A, complete.B, complete.C)
    test = product.lesson_panel()
    assert (test.test, test.method, test.panellists, test.dropped) == (
        "friedman", "asymptotic", 14, ("p15",))
    assert test.statistic == pytest.approx(float(direct.statistic))
    assert test.p_value == pytest.approx(float(direct.pvalue))
    assert test.significant and not test.no_variation
    assert test.preferred == ("B",)
    assert test.means == pytest.approx((85 / 15, 108 / 15, 97 / 14))       # all 44 scores
    assert test.liked_shares == pytest.approx((9 / 15, 1.0, 1.0))


def test_friedman_hand_worked_case_of_docs_formulas():
    # docs/formulas.md, step 5: ranks 1, 3, 2 / 1, 2.5, 2.5 / 1, 3, 2 / 1, 2.5, 2.5; R = 4, 11, 9;
    # Q = (0.25 × 218 − 48) / (1 − 12 / 96) = 6.5 / 0.875; p = e^(−Q/2) with 2 df.
    scores = wide([(5, 7, 6), (4, 6, 6), (6, 8, 7), (5, 7, 7)])
    test = product.panel_test(scores)
    assert test.statistic == pytest.approx(6.5 / 0.875)
    assert test.p_value == pytest.approx(math.exp(-(6.5 / 0.875) / 2))          # 0.0244
    assert test.significant and test.preferred == ("B",)


def test_wilcoxon_exact_hand_worked_case():
    # d = 3, 1, 4, 2, −5, 6: no zeros, no ties → the exact distribution of T over 2⁶ signs.
    pairs = [(8, 5), (6, 5), (8, 4), (7, 5), (2, 7), (9, 3)]         # d = 3, 1, 4, 2, −5, 6
    scores = wide(pairs, variants=("A", "B"))
    test = product.panel_test(scores)
    sums = [sum(c) for r in range(7) for c in itertools.combinations(range(1, 7), r)]
    t_minus = 5
    expected = min(1.0, 2 * sum(s <= t_minus for s in sums) / len(sums))       # 2 × 10 / 64
    assert (test.test, test.method) == ("wilcoxon", "exact")
    assert test.statistic == t_minus and test.p_value == pytest.approx(expected) == 0.3125
    assert not test.significant


def test_wilcoxon_normal_approximation_hand_worked_case():
    # d = 1, 1, 2, −1, 2, 1, 0, 3: the zero is dropped, n = 7; mid-ranks 2.5 (×4), 5.5 (×2), 7;
    # T+ = 25.5, T− = 2.5; var = 7·8·15/24 − (4³ − 4 + 2³ − 2)/48 = 33.625.
    d = [1, 1, 2, -1, 2, 1, 0, 3]
    scores = wide([(4 + x, 4) for x in d], variants=("A", "B"))
    test = product.panel_test(scores)
    z = (25.5 - 7 * 8 / 4) / math.sqrt(7 * 8 * 15 / 24 - (60 + 6) / 48)
    assert test.method == "asymptotic" and test.statistic == 2.5
    assert test.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))               # 0.047
    assert test.significant and test.panellists == 8


def test_pair_of_the_two_best_variants_matches_scipy_on_the_differences():
    complete = lesson_overall()[["B", "C"]].dropna()
    d = (complete.B - complete.C).to_numpy()
    direct = stats.wilcoxon(d, zero_method="wilcox", correction=False, method="approx")
    pair = product.panel_test(PANEL, variants=["B", "C"])
    assert pair.test == "wilcoxon" and pair.method == "asymptotic" and pair.panellists == 14
    assert pair.dropped == ("p15",)
    assert pair.p_value == pytest.approx(float(direct.pvalue))
    assert pair.statistic == pytest.approx(float(direct.statistic))
    assert not pair.significant
    assert product.panel_test(PANEL, variants={"C", "B"}).variants == ("B", "C")


def test_the_answer_does_not_depend_on_scipys_name_for_the_approximation(monkeypatch):
    """Before scipy 1.15 the normal approximation was called «approx»; the course passes the
    name the installed scipy knows, so the number is the same either way."""
    import scipy

    now = product.panel_test(PANEL, variants=["B", "C"]).p_value
    monkeypatch.setattr(scipy, "__version__", "1.14.1")
    assert product._asymptotic() == "approx"
    assert product.panel_test(PANEL, variants=["B", "C"]).p_value == now
    monkeypatch.setattr(scipy, "__version__", "1.15.0")
    assert product._asymptotic() == "asymptotic"


def test_scores_all_equal_give_no_difference_without_a_warning_or_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        three = product.panel_test(wide([(6, 6, 6), (8, 8, 8), (5, 5, 5)]))
        two = product.panel_test(wide([(7, 7), (4, 4)], variants=("A", "B")))
    for test in (three, two):
        assert test.no_variation and test.p_value == 1.0 and test.statistic == 0.0
        assert not test.significant and len(test.preferred) == len(test.variants)
        assert "разницы нет" in product.explain_panel(test)


def test_some_panellists_tying_is_not_no_variation():
    test = product.panel_test(wide([(6, 6, 6), (5, 7, 8), (4, 6, 9)]))
    assert not test.no_variation and 0 < test.p_value < 1


def test_incomplete_panels_and_too_few_panellists():
    scores = wide([(5, 7, None), (4, 6, 6), (6, None, 7), (5, 7, 7), (5, 8, 6)])
    test = product.panel_test(scores)
    assert test.dropped == ("p1", "p3") and test.panellists == 3
    assert "p1, p3" in product.explain_panel(test)
    message = refused(product.panel_test, wide([(5, 7, None), (4, None, 6), (6, 7, 7)]))
    assert "p1, p2" in message
    assert "два варианта" in refused(product.panel_test, panel([("p1", "A", 5), ("p2", "A", 6)]))


def test_numbered_panellists_and_variants_are_read_as_codes():
    scores = pd.DataFrame({"panellist": [1, 1, 2, 2, 3, 3], "variant": [1, 2] * 3,
                           "attribute": "общее", "score": [5, 7, 6, 8, 4, 7]})
    test = product.panel_test(scores)
    assert test.variants == ("1", "2") and test.preferred == ("2",)


def test_variants_given_as_an_array_come_back_as_plain_text():
    """Found by tests/test_fuzz_public.py: codes from a numpy array came back as np.str_."""
    test = product.panel_test(PANEL, variants=np.array(["C", "B"]))
    assert test.variants == ("C", "B") and test.preferred == ("B",)
    assert all(type(v) is str for v in (*test.variants, *test.preferred))


def test_explanation_in_plain_russian():
    text = product.explain_panel(product.lesson_panel())
    assert "B: мёд 3 кг (рецептура)" in text and "7,2 из 9" in text
    assert "Разница есть" in text and "p < 0,001" in text
    assert "p15" in text and "отбор вариантов, а не проверка рынка" in text
    assert "40–50" in text and "B: мёд 3 кг (рецептура)» и «C: мёд 4 кг" in text
    pair = product.explain_panel(product.panel_test(PANEL, variants=["B", "C"]))
    assert "Разница не доказана" in pair and "p = 0,285" in pair
    tie = product.explain_panel(product.panel_test(wide([(6, 7), (7, 6)], ("A", "B"))))
    assert tie.startswith("Одинаково понравились варианты «A», «B»")
    set_language("en")
    assert "The difference is real" in product.explain_panel(product.lesson_panel())


@settings(max_examples=80, deadline=None)
@given(scores=st.lists(st.lists(st.integers(1, 9), min_size=3, max_size=3), min_size=2,
                       max_size=16),
       k=st.sampled_from([2, 3]))
def test_any_complete_panel_agrees_with_scipy_without_warnings(scores, k):
    matrix = np.array(scores, dtype=float)[:, :k]
    variants = ("A", "B", "C")[:k]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        test = product.panel_test(wide(matrix.tolist(), variants))
    assert 0 <= test.p_value <= 1 and math.isfinite(test.statistic)
    means = matrix.mean(axis=0)
    assert set(test.preferred) == {v for v, m in zip(variants, means)
                                   if checks.round_significant(m) == checks.round_significant(
                                       means.max())}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if (matrix == matrix[:, :1]).all():
            assert test.no_variation and test.p_value == 1.0
        elif k == 3:
            direct = stats.friedmanchisquare(*matrix.T)
            assert test.p_value == pytest.approx(float(direct.pvalue), rel=1e-9, abs=1e-12)
        else:
            d = matrix[:, 0] - matrix[:, 1]
            d = d[d != 0]
            ties = np.unique(np.abs(d)).size < d.size
            direct = stats.wilcoxon(d, zero_method="wilcox", correction=False,
                                    method="approx" if ties else "exact")
            assert test.method == ("asymptotic" if ties else "exact")
            assert test.p_value == pytest.approx(float(direct.pvalue), rel=1e-9, abs=1e-12)


# ------------------------------------------------------------------ the design review


def test_lesson_design_review():
    review = product.lesson_design_review()
    # Imported bottles and no written instruction: 11 of 13.
    assert (review.score, review.total) == (11, 13)
    assert review.missing == ("standard_pack", "instruction") and review.unanswered == ()
    assert dict((c, (yes, n)) for c, yes, n in review.criteria) == {
        "simple": (2, 3), "local": (4, 4), "market": (3, 3), "same": (2, 3)}
    text = product.explain_design(review)
    assert text.startswith("Дизайн-обзор: 11 из 13") and "MUJI" in text
    assert "Упаковка стандартная и покупается в Кыргызстане (нет)" in text


def test_design_answers_follow_the_data():
    card, check, test = (product.lesson_concept_card(), product.lesson_yield(),
                         product.lesson_panel())
    answers = product.design_answers(card, RECIPE, check, test)
    assert "simple_technology" not in answers and answers["standard_pack"] is False
    assert answers["local_share"] and answers["main_material_local"] and answers["panel_liked"]
    bought = RECIPE.copy()
    bought.loc[(bought.product_id == "sb_juice") & (bought.kind == "сырьё"), "origin"] = "импорт"
    worse = product.design_answers(card, bought, check, test, IDEAS)
    assert not worse["local_share"] and not worse["main_material_local"]
    assert worse["simple_technology"]                       # «средняя»
    disliked = dataclasses.replace(test, liked_shares=(0.6, 0.69, 1.0))
    assert not product.design_answers(card, RECIPE, check, disliked)["panel_liked"]


def test_design_review_counts_unanswered_as_no_and_refuses_typos():
    keys = [k for k, _ in product.DESIGN_CHECKLIST]
    full = product.design_review(dict.fromkeys(keys, True))
    assert (full.score, full.share, full.missing, full.advice) == (13, 1.0, (), ())
    empty = product.design_review({})
    assert empty.score == 0 and empty.unanswered == tuple(keys) and len(empty.advice) == 13
    assert "few_ingredients" in refused(product.design_review, {"few_ingredient": True})
    refused(product.design_review, {"few_ingredients": "да"})
    refused(product.design_review, ["few_ingredients"])


def test_every_checklist_question_has_its_texts_in_both_languages():
    for language in ("ru", "en"):
        texts = catalogue(language)
        for key, criterion in product.DESIGN_CHECKLIST:
            assert f"product.design.q.{key}" in texts and f"product.design.fix.{key}" in texts
            assert f"product.design.criterion.{criterion}" in texts


# ------------------------------------------------------------------ the lesson case, docs


def test_lesson_results_are_copies():
    supply = product.lesson_supply()
    supply.loc[0, "stable_supply"] = -1
    assert product.lesson_supply().loc[0, "stable_supply"] >= 0
    recipe = product.lesson_recipe()[0]
    recipe.loc[0, "quantity"] = 1e6
    assert product.lesson_recipe()[0].equals(RECIPE)


def test_formulas_doc_has_step_5_and_names_functions_that_exist():
    text = (ROOT / "docs" / "formulas.md").read_text(encoding="utf-8")
    section = text.split("## Шаг 5. Разработка продукта", 1)[1].split("\n## ", 1)[0]
    refs = set(re.findall(r"`product\.([A-Za-z_0-9]+)`", section))
    assert len(refs) >= 12
    assert all(hasattr(product, name) for name in refs), refs - set(dir(product))
    assert set(product.__all__) - {n for n in product.__all__ if n.startswith("lesson_")} - {
        "check_concepts", "check_losses", "check_panel", "check_recipe"} <= refs


def test_public_functions_are_documented_with_a_formula_or_example():
    for name in product.__all__:
        fn = getattr(product, name)
        assert fn.__doc__ and len(fn.__doc__) > 30, name


# ------------------------------------------------------------------ bad inputs, by class


NUMBER_JUNK = [None, "12", "нет", b"12", True, [1.0], {"a": 1}, float("nan"), float("inf"),
               -float("inf"), 1e308, 1e16, 10**20]
CELL_JUNK = [None, float("nan"), "x", float("inf"), -float("inf"), 1e308, True, "нет", -5]
NOT_TABLES = [None, "таблица", 5, [1, 2], {"a": [1]}]


@dataclasses.dataclass(frozen=True)
class Spec:
    """How to damage a table: the columns a function cannot do without (``required``), the
    number columns and the bad cells they refuse (``numbers``), category columns with a typo
    (``typos``), and whether a repeated row is refused (``key``)."""

    required: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    typos: tuple[tuple[str, object], ...] = ()
    key: bool = True
    cells: tuple = tuple(CELL_JUNK)


RECIPE_SPEC = Spec(("product_id", "ingredient", "kind", "quantity", "unit", "unit_price_som",
                    "origin"), ("quantity", "unit_price_som"),
                   (("kind", "Сырьё"), ("unit", "кг."), ("origin", "местный")))
LOSSES_SPEC = Spec(("product_id", "stage_no", "stage", "loss_share"), ("stage_no", "loss_share"))
BATCHES_SPEC = Spec(("product_id", "unit_size", "unit_size_unit", "units_per_batch"),
                    ("unit_size", "units_per_batch"), (("unit_size_unit", "Мл"),))
PRODUCTS_SPEC = Spec(("product_id", "unit_name", "unit_size", "unit_size_unit"), ("unit_size",),
                     (("unit_size_unit", "Мл"),))
CONCEPTS_SPEC = Spec(("product_id", "name", "customer", "segment_ids", "use_occasion", "pack",
                      "story", "hard_to_copy"),
                     ("name", "customer", "segment_ids", "story", "hard_to_copy"),
                     cells=(None, float("nan"), 5, "", True))
SEGMENTS_SPEC = Spec(("segment_id", "segment", "product_id", "people", "buyer_share",
                      "purchases_per_year", "units_per_purchase", "price_som", "channel_margin"),
                     ("people", "buyer_share", "purchases_per_year", "units_per_purchase",
                      "price_som", "channel_margin"))
COMPETITORS_SPEC = Spec(("product_id", "pack_size", "pack_unit", "price_som"),
                        ("pack_size", "price_som"), (("pack_unit", "Мл"),), key=False)
PANEL_SPEC = Spec(("panellist", "variant", "attribute", "score"), ("score",),
                  (("attribute", "Общее"),), cells=tuple(CELL_JUNK) + (0, 10, 6.5))
MATERIALS_SPEC = Spec(("material_id", "material", "source_type", "unit", "storage_life_days",
                       "sustainable_share"), ("storage_life_days", "sustainable_share"),
                      (("source_type", "Дикорос"),))
MONTHS_SPEC = Spec(("material_id", "month", "volume"), ("month", "volume"))
SUPPLY_SPEC = Spec(("material_id", "stable_supply"), ("stable_supply",))
PRICES_SPEC = Spec(("material_id", "mean_price_som"), ("mean_price_som",),
                   cells=("x", float("inf"), -float("inf"), 1e308, True, "нет", -5))
IDEAS_SPEC = Spec(("idea_id", "tech_complexity"), (), (("tech_complexity", "Простая"),))


def damaged_tables(good: pd.DataFrame, spec: Spec):
    """Every class of damage a table can have, each refused by the function reading it."""
    cases = [st.sampled_from(NOT_TABLES), st.just(pd.DataFrame()), st.just(good.iloc[0:0]),
             st.sampled_from(spec.required).map(lambda c: good.drop(columns=c))]

    def cell(args):
        column, row, value = args
        frame = good.copy()
        frame[column] = frame[column].astype(object)
        frame.iloc[row, frame.columns.get_loc(column)] = value
        return frame

    rows = st.integers(0, len(good) - 1)
    if spec.numbers:
        cases.append(st.tuples(st.sampled_from(spec.numbers), rows,
                               st.sampled_from(spec.cells)).map(cell))
    if spec.typos:
        cases.append(st.tuples(st.sampled_from(spec.typos), rows).map(
            lambda a: cell((a[0][0], a[1], a[0][1]))))
    if spec.key:
        cases.append(rows.map(lambda r: pd.concat([good, good.iloc[[r]]], ignore_index=True)))
    cases.append(st.sampled_from(spec.numbers or spec.required).map(
        lambda c: good.assign(**{c: good[c].astype(object).where(
            good[c].isna(), 1e300) if c in spec.numbers else None})))
    return st.one_of(cases)


def numbers(*extra):
    return st.sampled_from(NUMBER_JUNK + list(extra))


PRODUCT_IDS = st.sampled_from([None, 5, "", "SB_JUICE", "juice", ["sb_juice"], b"sb_juice"])
LESSON_TEST = product.lesson_panel()
LESSON_REVIEW = product.lesson_design_review()
BAD_TESTS = st.sampled_from([
    None, "тест", {"p_value": 0.01}, dataclasses.asdict(LESSON_TEST),
    dataclasses.replace(LESSON_TEST, preferred=()),
    dataclasses.replace(LESSON_TEST, preferred=("Z",)),
    dataclasses.replace(LESSON_TEST, means=(float("nan"), 7.2, 6.9)),
    dataclasses.replace(LESSON_TEST, means=(5.0, 7.0)),
    dataclasses.replace(LESSON_TEST, variants=("A",)),
    dataclasses.replace(LESSON_TEST, p_value=1.5),
    dataclasses.replace(LESSON_TEST, p_value="0.01"),
    dataclasses.replace(LESSON_TEST, panellists=True),
    dataclasses.replace(LESSON_TEST, test="t-test"),
    dataclasses.replace(LESSON_TEST, significant="да")])

GOOD = {
    "concept_card": dict(concepts=CONCEPTS, product_id="sb_juice", segments=SEGMENTS,
                         competitors=COMPETITORS, products=BATCHES),
    "check_concepts": dict(concepts=CONCEPTS),
    "check_recipe": dict(recipe=RECIPE),
    "check_losses": dict(losses=LOSSES),
    "check_panel": dict(scores=PANEL),
    "yield_after": dict(quantity=30.0, loss_shares=[0.02, 0.33]),
    "loss_stages": dict(recipe=RECIPE, losses=LOSSES, product_id="sb_juice"),
    "batch_yield": dict(recipe=RECIPE, losses=LOSSES, product_id="sb_juice"),
    "yield_check": dict(recipe=RECIPE, losses=LOSSES, batches=BATCHES, product_id="sb_juice"),
    "scale_recipe": dict(recipe=RECIPE, batches=BATCHES, product_id="sb_juice", units=250),
    "unit_cost": dict(recipe=RECIPE, batches=BATCHES, product_id="sb_juice",
                      prices=product.lesson_supply()),
    "raw_material_supply": dict(materials=MATERIALS, months=MONTHS, production_months=[9, 10, 11],
                         storage=True),
    "batches_per_month": dict(stable_supply=793.3, material_per_batch=30.0),
    "batch_limits": dict(recipe=RECIPE, product_id="sb_juice", supply=product.lesson_supply()),
    "panel_summary": dict(scores=PANEL),
    "panel_test": dict(scores=PANEL, attribute="общее", variants=["B", "C"]),
    "explain_panel": dict(result=LESSON_TEST),
    "design_answers": dict(card=product.lesson_concept_card(), recipe=RECIPE,
                           check=product.lesson_yield(), panel=LESSON_TEST, ideas=IDEAS),
    "design_review": dict(answers={"few_ingredients": True, "instruction": False}),
    "explain_design": dict(review=LESSON_REVIEW),
}

BAD = {
    "concept_card": {
        "concepts": damaged_tables(CONCEPTS, CONCEPTS_SPEC), "product_id": PRODUCT_IDS,
        "segments": damaged_tables(SEGMENTS, SEGMENTS_SPEC),
        "competitors": damaged_tables(COMPETITORS, COMPETITORS_SPEC),
        "products": damaged_tables(BATCHES, PRODUCTS_SPEC)},
    "check_concepts": {"concepts": damaged_tables(CONCEPTS, CONCEPTS_SPEC)},
    "check_recipe": {"recipe": damaged_tables(RECIPE, RECIPE_SPEC)},
    "check_losses": {"losses": damaged_tables(LOSSES, LOSSES_SPEC)},
    "check_panel": {"scores": damaged_tables(PANEL, PANEL_SPEC)},
    "yield_after": {
        "quantity": numbers(-1, -0.5),
        "loss_shares": st.sampled_from([None, "0.1", 0.1, {0: 0.1}, {0.1}, [float("nan")],
                                        [1.5], [-0.1], [True], ["0.1"], [[0.1]], [None],
                                        np.array([[0.1]]), [1e308]])},
    "loss_stages": {"recipe": damaged_tables(RECIPE, RECIPE_SPEC),
                    "losses": damaged_tables(LOSSES, LOSSES_SPEC), "product_id": PRODUCT_IDS},
    "batch_yield": {"recipe": damaged_tables(RECIPE, RECIPE_SPEC),
                    "losses": damaged_tables(LOSSES, LOSSES_SPEC), "product_id": PRODUCT_IDS},
    "yield_check": {"recipe": damaged_tables(RECIPE, RECIPE_SPEC),
                    "losses": damaged_tables(LOSSES, LOSSES_SPEC),
                    "batches": damaged_tables(BATCHES, BATCHES_SPEC), "product_id": PRODUCT_IDS},
    "scale_recipe": {"recipe": damaged_tables(RECIPE, RECIPE_SPEC),
                     "batches": damaged_tables(BATCHES, BATCHES_SPEC),
                     "product_id": PRODUCT_IDS, "units": numbers(0, -1, 1.5, 0.5)},
    "unit_cost": {
        "recipe": damaged_tables(RECIPE, RECIPE_SPEC),
        "batches": damaged_tables(BATCHES, BATCHES_SPEC), "product_id": PRODUCT_IDS,
        "prices": st.one_of(
            st.sampled_from(["цены", 5, ["sea_buckthorn_garden"], {5: 100.0},
                             {"": 100.0}] + [{"sea_buckthorn_garden": v} for v in
                                             ("177", True, -1, float("inf"), 1e308, [1.0])]),
            # None is «no step 2 prices», and a table without rows has none: both are good
            damaged_tables(product.lesson_supply(), PRICES_SPEC).filter(
                lambda v: v is not None and not (isinstance(v, pd.DataFrame) and v.empty
                                                 and len(v.columns))))},
    "raw_material_supply": {
        "materials": damaged_tables(MATERIALS, MATERIALS_SPEC),
        "months": damaged_tables(MONTHS, MONTHS_SPEC),
        "production_months": st.sampled_from([[], [0], [13], "1", None, {1: True}, [1.5],
                                              ["9"], [True], 9]),
        "storage": st.sampled_from(["нет", "да", 1, 0, None, "False", [True]])},
    "batches_per_month": {"stable_supply": numbers(-1),
                          "material_per_batch": numbers(0, -1, 1e-320, 5e-324)},
    "batch_limits": {
        "recipe": damaged_tables(RECIPE, RECIPE_SPEC), "product_id": PRODUCT_IDS,
        "supply": st.one_of(
            st.sampled_from([None, "объём", 5, [793.3], {}, {"honey": 300.0},
                             {"sea_buckthorn_garden": -1, "honey": 300},
                             {"sea_buckthorn_garden": "793", "honey": 300},
                             {"sea_buckthorn_garden": True, "honey": 300}, {5: 300.0},
                             {"sea_buckthorn_garden": float("nan"), "honey": 300},
                             {"sea_buckthorn_garden": 1e308, "honey": 300}]),
            damaged_tables(product.lesson_supply(), SUPPLY_SPEC))},
    "panel_summary": {"scores": damaged_tables(PANEL, PANEL_SPEC)},
    "panel_test": {
        "scores": damaged_tables(PANEL, PANEL_SPEC),
        "attribute": st.sampled_from(["Общее", "overall", "вкусы", None, 5, ["общее"]]),
        "variants": st.sampled_from(["B", ["B"], ["B", "B"], ["X", "B"], {"B": 1, "C": 2}, 5,
                                     [None, "B"], [], ("B",), [["B", "C"]]])},
    "explain_panel": {"result": BAD_TESTS},
    "design_answers": {
        "card": st.sampled_from([None, "карточка", dataclasses.asdict(
            product.lesson_concept_card()), dataclasses.replace(
            product.lesson_concept_card(), hard_to_copy="мёд"), dataclasses.replace(
            product.lesson_concept_card(), price_high=float("nan"))]),
        "recipe": damaged_tables(RECIPE, RECIPE_SPEC),
        "check": st.sampled_from([None, 5, dataclasses.replace(product.lesson_yield(),
                                                               product_id="sb_jam"),
                                  dataclasses.replace(product.lesson_yield(), consistent="да")]),
        "panel": BAD_TESTS,
        "ideas": damaged_tables(IDEAS, IDEAS_SPEC).filter(lambda v: v is not None)},
    "design_review": {"answers": st.sampled_from([
        None, "few_ingredients", ["few_ingredients"], {"few_ingredient": True},
        {"few_ingredients": "да"}, {"few_ingredients": 1}, {5: True}, {None: True},
        {"few_ingredients": None}, pd.Series({"few_ingredients": True})])},
    "explain_design": {"review": st.sampled_from([
        None, "обзор", dataclasses.asdict(LESSON_REVIEW),
        dataclasses.replace(LESSON_REVIEW, score=20), dataclasses.replace(LESSON_REVIEW, advice=()),
        dataclasses.replace(LESSON_REVIEW, missing=("nope",)),
        dataclasses.replace(LESSON_REVIEW, criteria=(("simple", 4, 3),)),
        dataclasses.replace(LESSON_REVIEW, share=float("nan"))])},
}


def test_every_public_function_is_fuzzed_on_every_argument():
    import inspect

    public = {n for n in product.__all__ if not n.startswith("lesson_")}
    assert set(GOOD) == set(BAD) == public
    for name in public:
        parameters = set(inspect.signature(getattr(product, name)).parameters)
        apart = {"factor"} if name == "scale_recipe" else set()  # its own test below
        assert set(GOOD[name]) | apart == parameters == set(BAD[name]) | apart, name


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_lesson_arguments_are_answered(name):
    getattr(product, name)(**GOOD[name])


CASES = [(name, parameter) for name in sorted(BAD) for parameter in BAD[name]]


@pytest.mark.parametrize("name, parameter", CASES, ids=[f"{n}.{p}" for n, p in CASES])
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_bad_argument_is_refused_in_russian(name, parameter, data):
    value = data.draw(BAD[name][parameter], label=parameter)
    kwargs = {**GOOD[name], parameter: value}
    refused(getattr(product, name), **kwargs)


@settings(max_examples=25, deadline=None)
@given(factor=numbers(0, -1, 1e-320, 1e16))
def test_a_bad_scaling_factor_is_refused_in_russian(factor):
    refused(product.scale_recipe, RECIPE, BATCHES, "sb_juice", factor=factor)


def test_messages_follow_the_ui_language():
    set_language("en")
    with pytest.raises(OvopError) as e:
        product.scale_recipe(RECIPE, BATCHES, "sb_juice")
    assert str(e.value).startswith("Give one of the two")


# ------------------------------------------------------------------ the tool «product»
#
# The tool is driven through its controls, as a trainee would. Expected numbers are worked out
# by hand from the CSVs (written next to them) or taken from the step's own functions called
# here, never from what the tool shows.

TRAINEE = {"trainee": "Т", "aiyl_aimak": "А", "region": "Р"}
BERRIES, HONEY = "sea_buckthorn_garden", "honey"
# Nectar: berries 30 kg × 0.98 × 0.99 × 0.67 × 0.995 (stages 1–4), then the whole mass
# (berry juice + 3 kg honey + 28 l water) × 0.997 × 0.998 (stages 5, 6).
NECTAR_YIELD = (30 * 0.98 * 0.99 * 0.67 * 0.995 + 3 + 28) * 0.997 * 0.998       # 50.15 l
# Competitors per litre 190, 210, 200, 500: Q1 = 197.5, median 205, Q3 = 282.5; × 0.5 l.
NECTAR_CORRIDOR = (98.75, 102.5, 141.25)


@pytest.fixture
def no_workbook(tmp_path, monkeypatch):
    """No trainee's workbook: the tool takes steps 2 and 4 from the lesson case."""
    monkeypatch.setenv("OVOP_WORKBOOK", str(tmp_path / "none" / "wb.json"))


@pytest.fixture
def workbook_file(tmp_path, monkeypatch):
    """A trainee's new workbook in a temporary folder."""
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    load_workbook(create_if_missing=TRAINEE)
    return path


def nectar_cost(berries: float, honey: float, honey_kg: float = 3.0) -> float:
    """Material cost of a bottle: (30 kg berries + honey at step 2's prices, water free) / 100
    bottles + packaging 22 + 4 + 5 som."""
    return (30 * berries + honey_kg * honey) / 100 + 31


def text(widget) -> str:
    """The visible text of an HTML widget (tags and the table style dropped, spaces plain)."""
    html = re.sub(r"<style>.*?</style>", "", widget.value, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace(
        "&lt;", "<")


def test_the_tool_shows_the_lesson_nectar_as_the_steps_compute_it(no_workbook):
    tool = ovop_course.tool("product", lesson=True)
    assert tool.error is None and tool.data_error is None
    r = tool.result
    f = r.facts
    assert tool.controls["product_id"].value == "sb_juice"
    assert f.check.input_amount == pytest.approx(61)                            # 30 + 3 + 28
    assert f.check.yield_amount == pytest.approx(NECTAR_YIELD)
    assert (f.check.units_possible, f.check.units_per_batch) == (100, 100)     # ⌊50.15 / 0.5⌋
    assert (f.card.price_low, f.card.price_median, f.card.price_high) == pytest.approx(
        NECTAR_CORRIDOR)
    assert f.card.segments == ("Туристы на Иссык-Куле", "Каракол")
    cost = nectar_cost(hand_mean_price(BERRIES), hand_mean_price(HONEY))
    assert f.cost.total_som == pytest.approx(cost)
    assert (f.limit.batches, f.limit.binding) == (26, BERRIES)                  # ⌊793.3 / 30⌋
    complete = lesson_overall().dropna()
    friedman = stats.friedmanchisquare(complete.A, complete.B, complete.C)
    assert (r.test.test, r.test.preferred, r.test.panellists) == ("friedman", ("B",), 14)
    assert r.test.p_value == pytest.approx(float(friedman.pvalue)) and r.test.significant
    assert (r.review.score, r.review.total) == (11, 13)                 # the lesson's review
    assert r.scaled.units == 100 and r.scaled.factor == 1
    # what the trainee reads
    summary = text(tool.summary)
    assert "выход партии 50,2 л — 100 × бутылка 0,5 л" in summary
    assert f"{cost:.2f}".replace(".", ",") + " сом" in summary
    assert "партий в месяц по сырью шага 2: 26" in summary
    assert "«B: мёд 3 кг (рецептура)», и разница есть" in summary
    assert "учебный случай" in summary
    concept = text(tool.views["concept"])
    assert "98,75 сом – 141,25 сом за единицу (бутылка 0,5 л), медиана 102,50 сом" in concept
    assert "Локально — но для глобального рынка" in concept
    recipe = text(tool.views["recipe"])
    assert "Из 61,0 кг сырья выходит 50,15 л (82,2%)" in recipe        # 50.15 / 61 = 82.2 %
    assert "Облепиха садовая: 793,3 кг в месяц ÷ 30 кг на партию = 26" in recipe
    panel = text(tool.views["panel"])
    assert "Критерий Фридмана по оценкам 14 дегустаторов" in panel and "p < 0,001" in panel
    assert "отбор вариантов, а не проверка рынка" in panel      # a village panel screens
    assert "Дизайн-обзор: 11 из 13" in text(tool.views["design"])


def test_the_lesson_tables_given_as_arguments_give_the_same_results(no_workbook):
    """The lesson nectar comes from the lesson case's cached results; the same tables passed
    by the trainee are computed from scratch: the two agree."""
    fast = ovop_course.tool("product", lesson=True).result.facts
    recipe, losses, batches = product.lesson_recipe()
    slow = ovop_course.tool("product", concepts=CONCEPTS, recipe=recipe, losses=losses,
                            panel=PANEL, batches=batches).result.facts
    assert slow.check == fast.check and slow.card == fast.card
    assert slow.cost.total_som == pytest.approx(fast.cost.total_som)
    assert slow.limit.batches == fast.limit.batches
    assert slow.overall.p_value == pytest.approx(fast.overall.p_value)
    assert slow.answers == product.design_answers(fast.card, RECIPE, fast.check, fast.overall,
                                                  IDEAS)


def test_the_product_brings_its_batch_size_and_its_own_parts(no_workbook):
    tool = ovop_course.tool("product")
    assert [v for _, v in tool.controls["product_id"].options] == [
        "sb_juice", "sb_oil", "sb_jam", "sb_candy", "honey_sb"]      # the one with a card first
    tool.set(product_id="sb_jam")
    r = tool.result
    assert tool.error is None and tool.controls["units"].value == "120"
    assert tool.controls["variants"].options == () and r.test is None and r.review is None
    # jam: (20 kg berries × p̄ + 16 kg sugar × 90) / 120 jars + packaging 18 + 6 + 5
    assert r.facts.cost.total_som == pytest.approx(
        (20 * hand_mean_price(BERRIES) + 16 * 90) / 120 + 29)
    assert r.facts.limit.batches == math.floor(793.333 / 20)                    # 39
    assert "нет карточки концепции" in text(tool.views["concept"])
    assert "нет оценок дегустации" in text(tool.views["panel"])
    tool.set(product_id="sb_oil")          # no local material with step 2's supply
    assert tool.error is None and tool.result.facts.limit is None
    assert "нет местного сырья" in text(tool.views["recipe"])
    tool.set(product_id="sb_juice")
    assert tool.controls["units"].value == "100"
    assert tool.controls["variants"].value == ("A", "B", "C")


def test_the_batch_is_planned_by_units_or_by_a_factor(no_workbook):
    tool = ovop_course.tool("product")
    tool.set(units=250)
    s = tool.result.scaled
    assert (s.factor, s.units) == (2.5, 250)
    assert s.table["scaled"].tolist() == [75, 7.5, 70, 250, 250, 250]     # 30, 3, 28 × 2.5
    assert tool.result.scaled_batches == math.floor(793.333 / 75)                # 10
    assert "Партий вашего размера (единиц — 250) в месяц: 10" in text(tool.views["recipe"])
    assert tool.controls["factor"].disabled and not tool.controls["units"].disabled
    tool.set(scale_by="factor")
    assert tool.controls["units"].disabled and not tool.controls["factor"].disabled
    assert tool.result.scaled.units == 100                              # the factor is still 1
    tool.set(factor="12,5")                                             # as a Russian types it
    assert tool.error is None
    assert (tool.result.scaled.factor, tool.result.scaled.units) == (12.5, 1250)
    tool.set(units="сто")          # the field not in use is not read
    assert tool.error is None and tool.result.scaled.units == 1250
    tool.set(scale_by="units")
    assert "«сто» — не число" in tool.error and tool.result.scaled.units == 1250


@pytest.mark.parametrize("before, values, message", [
    ({}, {"units": "0"}, "0 — вне допустимого. Введите число от 1 до 1 000 000"),
    ({}, {"units": "12,5"}, "нужно целое число"),
    ({"scale_by": "factor"}, {"factor": "5000"}, "Введите число от 0,01 до 1 000"),
    ({}, {"variants": ("B",)}, "хотя бы два варианта"),
    ({}, {"attribute": "цвет"}, "не подходит для поля «Что оценивали»"),
    ({}, {"product_id": "kurut"}, "не подходит для поля «Продукт»"),
])
def test_a_bad_value_says_what_to_fix_and_keeps_the_last_result(before, values, message,
                                                                 no_workbook):
    tool = ovop_course.tool("product")
    tool.set(**before)
    good = tool.result
    tool.set(**values)
    assert message in tool.error.replace("\xa0", " ") and tool.result is good
    assert "Traceback" not in tool.message.value


def test_the_panel_compares_the_variants_and_the_attribute_chosen(no_workbook):
    tool = ovop_course.tool("product")
    tool.set(variants=("B", "C"))
    test = tool.result.test
    pair = lesson_overall()[["B", "C"]].dropna()
    direct = stats.wilcoxon((pair.B - pair.C).to_numpy(), zero_method="wilcox",
                            correction=False, method="approx")
    assert test.test == "wilcoxon" and test.p_value == pytest.approx(float(direct.pvalue))
    shown = text(tool.views["panel"])
    assert "Критерий Уилкоксона" in shown and "Разница не доказана" in shown
    assert "но разница не доказана" in text(tool.summary)
    tool.set(variants=("A", "B", "C"), attribute="вкус")
    taste = PANEL[PANEL.attribute == "вкус"].groupby("variant")["score"].mean()
    assert tool.result.test.means == pytest.approx(tuple(taste[["A", "B", "C"]]))
    assert "Оценки по 9-балльной шкале: Вкус" in text(tool.views["panel"])


def test_the_design_review_takes_the_trainees_two_answers(no_workbook):
    tool = ovop_course.tool("product", lesson=True)
    assert tool.controls["tolerances"].value and not tool.controls["instruction"].value
    tool.set(instruction=True)
    assert tool.result.review.score == 12 and tool.result.review.missing == ("standard_pack",)
    tool.set(tolerances=False)
    assert tool.result.review.score == 11
    assert tool.result.review.missing == ("standard_pack", "tolerances")
    shown = text(tool.views["design"])
    assert "Дизайн-обзор: 11 из 13" in shown and "Запишите для каждого главного показателя" in shown


def test_the_charts_are_drawn_when_their_tab_opens_and_kept(no_workbook, monkeypatch):
    drawn = []
    monkeypatch.setattr(product_tool, "yield_figure",
                        lambda *a: drawn.append(a[0]) or yield_figure(*a))
    tool = ovop_course.tool("product")
    assert tool.images["yield"].value == b"" and not drawn        # the card's tab is open
    tool.tabs.selected_index = 1
    stages = product.loss_stages(RECIPE, LOSSES, "sb_juice")
    assert tool.images["yield"].value == to_svg(yield_figure(stages, 61, 100, 0.5, "л"))
    tool.set(units=300, attribute="запах")                  # not what the chart shows
    tool.set(product_id="sb_jam")
    tool.set(product_id="sb_juice")                         # seen before: not drawn again
    assert len(drawn) == 2
    tool.tabs.selected_index = 2
    assert tool.images["panel"].value == to_svg(panel_figure(product.lesson_panel_summary()))
    tool.set(product_id="sb_jam")                           # no panel: no picture
    assert tool.images["panel"].value == b""


def test_saving_writes_a_product_section_that_reads_back(workbook_file):
    tool = ovop_course.tool("product")
    tool.set(scale_by="factor", factor="2,5")
    (button,) = [w for w in tool.widget.children if isinstance(w, widgets.Button)]
    button.click()
    assert "Сохранено" in tool.message.value
    section = load_workbook().step05_product
    assert (section.product_id, section.unit_name, section.segment_ids) == (
        "sb_juice", "бутылка 0,5 л", ["tourists", "karakol"])
    assert (section.price_low, section.price_median, section.price_high) == pytest.approx(
        NECTAR_CORRIDOR)
    assert section.yield_amount == pytest.approx(NECTAR_YIELD) and section.yield_unit == "л"
    assert (section.units_per_batch, section.units_possible) == (100, 100)
    assert section.total_som == pytest.approx(nectar_cost(hand_mean_price(BERRIES),
                                                          hand_mean_price(HONEY)))
    assert (section.batches_per_month, section.binding_material) == (26, BERRIES)
    assert (section.factor, section.units) == (2.5, 250)
    assert (section.test, section.preferred, section.significant) == ("friedman", ["B"], True)
    assert section.preferred_names == ["B: мёд 3 кг (рецептура)"]
    assert (section.design_score, section.design_total) == (11, 13)
    assert section.design_missing == ["standard_pack", "instruction"]
    assert ProductSection.model_validate_json(section.model_dump_json()) == section


def test_a_product_without_a_concept_card_is_not_saved(workbook_file):
    tool = ovop_course.tool("product")
    tool.set(product_id="sb_candy")
    message = tool.save()
    assert "пока не сохранить" in message and "нет карточки концепции" in message
    assert load_workbook().step05_product is None and tool.error is None


# an own product: jam with its own concept card and a panel of two numbered variants
JAM_CONCEPT = pd.DataFrame([{
    "product_id": "sb_jam", "name": "Джем «Облепиха у Терскея»", "customer": "семьи Каракола",
    "segment_ids": "local; karakol", "use_occasion": "к чаю", "pack": "банка 250 г",
    "story": "ягода садов села", "hard_to_copy": "своя ягода; рецепт села"}])
JAM_PANEL = pd.DataFrame(
    [{"panellist": p, "variant": v, "attribute": "общее", "score": s}
     for p, one, two in zip(range(1, 7), (6, 7, 5, 6, 7, 6), (8, 8, 7, 8, 9, 7))
     for v, s in ((1, one), (2, two))])


def test_the_trainees_own_tables_given_as_arguments(no_workbook):
    tool = ovop_course.tool("product", concepts=JAM_CONCEPT, panel=JAM_PANEL)
    assert tool.error is None and tool.data_origin == "arguments"
    assert tool.controls["product_id"].value == "sb_jam"              # the product with a card
    r = tool.result
    # jam per kg: 220 / 0.37 = 594.6, 250 / 0.5 = 500, 230 / 0.25 = 920 → Q1 547.3, Q3 757.3
    q1 = 500 + 0.5 * (220 / 0.37 - 500)
    q3 = 220 / 0.37 + 0.5 * (920 - 220 / 0.37)
    assert (r.facts.card.price_low, r.facts.card.price_high) == pytest.approx(
        (q1 * 0.25, q3 * 0.25))
    # d = 2, 1, 2, 2, 2, 1: ranks 1.5 (×2), 4.5 (×4); T− = 0, T+ = 21; normal approximation with
    # var = 6·7·13/24 − (2³ − 2 + 4³ − 4)/48 = 21.375
    z = (21 - 6 * 7 / 4) / math.sqrt(6 * 7 * 13 / 24 - 66 / 48)
    assert (r.test.test, r.test.variants, r.test.preferred) == ("wilcoxon", ("1", "2"), ("2",))
    assert r.test.p_value == pytest.approx(math.erfc(z / math.sqrt(2))) and r.test.significant
    assert r.test.means == pytest.approx((37 / 6, 47 / 6))
    expected = product.design_review(product.design_answers(
        r.facts.card, RECIPE, r.facts.check, r.test, IDEAS) | {"tolerances": False,
                                                               "instruction": False})
    assert r.review == expected                   # the trainee's own answers start unticked
    assert "«2», и разница есть" in text(tool.summary)


def test_a_bad_own_table_is_a_message_naming_table_row_and_column(no_workbook):
    bad = RECIPE.copy()
    bad.loc[1, "quantity"] = -3
    tool = ovop_course.tool("product", recipe=bad)
    assert tool.result is None and "рецептура" in tool.error
    assert "строка 2" in tool.error and "quantity" in tool.error
    other = LOSSES[LOSSES.product_id == "sb_juice"].assign(product_id="other")
    none_made = ovop_course.tool("product", losses=other)     # stages of no product made
    assert "Ни у одного продукта" in none_made.error


def template_book(tool) -> openpyxl.Workbook:
    """The workbook behind the panel's «Скачать шаблон Excel» link."""
    encoded = re.search(r'href="data:[^;]+;base64,([^"]+)"', tool.own_panel.link.value).group(1)
    return openpyxl.load_workbook(io.BytesIO(base64.b64decode(encoded)))


def test_own_tables_through_the_panel_and_its_excel_template(workbook_file):
    tool = ovop_course.tool("product")
    panel = tool.own_panel
    panel.open()
    assert list(panel.editors) == ["concepts", "recipe", "losses", "panel", "batches"]
    for editor in panel.editors.values():
        editor.paste_example()
    honey_row = RECIPE.index[(RECIPE.product_id == "sb_juice") & (RECIPE.ingredient == "Мёд")]
    panel.editors["recipe"].type(int(honey_row[0]) + 1, "quantity", "4,5")   # 4.5 kg of honey
    message = panel.apply()
    assert "Применено" in message and "Сохранено" in message, message
    berries, honey = hand_mean_price(BERRIES), hand_mean_price(HONEY)
    assert tool.result.facts.cost.total_som == pytest.approx(nectar_cost(berries, honey, 4.5))
    kept = load_workbook().step05_product.own_data
    assert kept.use and set(kept.tables) == set(tool.own_tables)
    later = ovop_course.tool("product")
    assert later.data_origin == "workbook"
    assert later.result.facts.cost.total_som == pytest.approx(nectar_cost(berries, honey, 4.5))
    # the template filled in Excel and uploaded back
    later.own_panel.open()
    book = template_book(later)
    changed = RECIPE.copy()
    changed.loc[honey_row, "quantity"] = 5
    frames = {**later.lesson_tables(), "recipe": changed}
    for name, spec in later.own_tables.items():
        sheet = book[table_title("product", name)]
        sheet.delete_rows(2, sheet.max_row)
        for record in frames[name].to_dict("records"):
            sheet.append([cell_text(record.get(c)) or None for c in spec.columns])
    out = io.BytesIO()
    book.save(out)
    message = later.own_panel.load_file("аймак.xlsx", out.getvalue())
    assert "Применено" in message, message
    assert later.result.facts.cost.total_som == pytest.approx(nectar_cost(berries, honey, 5))


def save_earlier_steps(raw: RawMaterialsSection | None = None,
                       market: MarketSection | None = None, own: dict | None = None) -> None:
    """Steps 2 and 4 in the workbook as their tools save them."""
    workbook = load_workbook()
    if raw is not None:
        workbook.put_section("step02_raw_materials", raw)
    if market is not None:
        workbook.put_section("step04_market", market)
    if own is not None:
        workbook.put_own_data("step02_raw_materials", OwnData(tables=own))
    save_workbook(workbook)


def test_saved_steps_2_and_4_are_used_and_named(workbook_file):
    save_earlier_steps(
        RawMaterialsSection(material_id=BERRIES, material="Облепиха садовая", unit="кг",
                            stable_supply=300, mean_price_som=200),
        MarketSection(product_id="sb_juice", product="Нектар", unit="бутылка 0,5 л",
                      unit_size=500, unit_size_unit="мл",
                      reachable_segments=["local", "karakol", "bishkek"], price_unit="л",
                      competitor_price_low=200, competitor_median_price=210,
                      competitor_price_high=300))
    tool = ovop_course.tool("product")
    f = tool.result.facts
    assert (f.limit.batches, f.limit.binding) == (10, BERRIES)                   # ⌊300 / 30⌋
    assert f.cost.total_som == pytest.approx(nectar_cost(200, hand_mean_price(HONEY)))
    assert (f.card.price_low, f.card.price_median, f.card.price_high) == pytest.approx(
        (100, 105, 150))                                   # step 4's corridor × 0.5 l
    summary = text(tool.summary)
    assert "«Облепиха садовая» — из вашей рабочей тетради (300,0 кг в месяц" in summary
    assert "анализ рынка продукта «Нектар», сохранённый в вашей рабочей тетради" in summary
    assert "«Туристы на Иссык-Куле» не вошли в доступный рынок" in text(tool.views["concept"])
    lesson = ovop_course.tool("product", lesson=True)          # a worked example: the lesson
    assert lesson.result.facts.limit.batches == 26
    assert lesson.result.facts.card.price_low == pytest.approx(98.75)


def test_step_2s_own_tables_in_the_workbook_give_the_supply(workbook_file):
    months = MONTHS.assign(volume=MONTHS.volume * 2)
    save_earlier_steps(own={"materials": records(MATERIALS), "months": records(months)})
    supply = product.raw_material_supply(MATERIALS, months).set_index("material_id")
    tool = ovop_course.tool("product")
    assert tool.result.facts.limit.batches == math.floor(
        supply.loc[BERRIES, "stable_supply"] / 30) == 52             # twice 793.3 / 30
    assert "ваши таблицы из рабочей тетради" in text(tool.summary)


def test_a_damaged_workbook_is_ignored_and_left_alone(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    path.write_text("{не json", encoding="utf-8")
    tool = ovop_course.tool("product")
    assert tool.error is None and tool.result.facts.limit.batches == 26
    assert [p.name for p in tmp_path.iterdir()] == ["wb.json"]                # no copy made
    assert path.read_text(encoding="utf-8") == "{не json"


CYRILLIC = re.compile(r"[А-Яа-яЁё]+")


def data_words() -> set[str]:
    """Every Cyrillic word of the course's data files (product names, stages, variants…)."""
    return {word for path in (ROOT / "data").rglob("*.csv")
            for word in CYRILLIC.findall(path.read_text(encoding="utf-8"))}


def shown_texts(widget) -> list[str]:
    """Every text a widget shows, every tab opened: HTML, descriptions, options, tab titles."""
    if isinstance(widget, widgets.Tab):
        found = list(widget.titles)
        for number in range(len(widget.children)):
            widget.selected_index = number
    else:
        found = []
    found += [str(getattr(widget, name, "") or "") for name in ("value", "description")
              if isinstance(getattr(widget, name, None), str)]
    found += [str(o[0] if isinstance(o, tuple) else o) for o in getattr(widget, "options", ())]
    return found + [x for child in getattr(widget, "children", ()) for x in shown_texts(child)]


def test_english_texts_come_from_the_english_catalogue(no_workbook):
    """In English every word of the tool is English but the data's own (product names,
    stages, variants, units): no key falls back to Russian."""
    english = catalogue("en")
    used = set(re.findall(r'"((?:product|own_data)\.[a-z_.0-9]+)"',
                          Path(product_tool.__file__).read_text(encoding="utf-8")))
    assert {k for k in used if not k.endswith(".")} <= set(english)
    for name, spec in product_tool.ProductTool.own_tables.items():   # the panel's headers
        assert f"own_data.table.product.{name}" in english
        assert {f"own_data.column.{c}" for c in spec.columns} <= set(english), name
    with in_language("en"):
        tool = ovop_course.tool("product")
        tool.own_panel.open()
        texts = []
        for product_id in ("sb_juice", "sb_oil"):
            tool.set(product_id=product_id)
            texts += shown_texts(tool.widget)
        tool.set(product_id="sb_candy")
        texts.append(tool.save())
    assert "Step 5. Product development" in " ".join(texts)
    words = {w for x in texts for w in CYRILLIC.findall(x)}
    assert words <= data_words(), sorted(words - data_words())


# --- what step 5 saved, as a later step reads it ----------------------------------------------
def test_saved_product_is_the_result_step_6_reads(tmp_path):
    path = tmp_path / "wb.json"
    book = Workbook.new(**TRAINEE)
    book.put_section("step05_product", ProductSection(
        product_id="sb_juice", units_per_batch=100, raw_som=63.74, packaging_som=31,
        total_som=94.74, batches_per_month=26))
    save_workbook(book, path)
    kept = path.read_bytes()
    saved = product.saved_product(saved_workbook(path))
    assert (saved.product_id, saved.raw_som, saved.packaging_som, saved.batches_per_month,
            saved.units_per_batch) == ("sb_juice", 63.74, 31, 26, 100)
    assert path.read_bytes() == kept                                   # read, never written


@pytest.mark.parametrize("section", [
    None, ProductSection(notes="позже"),                        # no result saved
    ProductSection(product_id="sb_juice"),                      # never saved by the tool
    ProductSection(updated_at="2025-01-01T00:00:00"),           # a result of no product
])
def test_no_saved_product_without_a_step_5_result(section, tmp_path):
    book = Workbook.new(**TRAINEE)
    book.step05_product = section
    assert product.saved_product(book) is None
    damaged = tmp_path / "wb.json"
    damaged.write_bytes(b"\xff\xfe")                            # not even text
    assert product.saved_product(saved_workbook(damaged)) is None
    assert damaged.read_bytes() == b"\xff\xfe"


# --- step 5's own tables, as a later step reads them (product.saved_recipe) -------------------
KURUT_RECIPE = pd.DataFrame([
    {"product_id": "kurut", "ingredient": "Молоко коровье", "material_id": "raw_milk",
     "kind": "сырьё", "quantity": 50, "unit": "л", "unit_price_som": 35, "origin": "местное"},
    {"product_id": "kurut", "ingredient": "Соль", "material_id": None, "kind": "сырьё",
     "quantity": 1, "unit": "кг", "unit_price_som": 20, "origin": "местное"},
    {"product_id": "kurut", "ingredient": "Пакет", "material_id": None, "kind": "упаковка",
     "quantity": 40, "unit": "шт", "unit_price_som": 5, "origin": "местное"}])
KURUT_LOSSES = pd.DataFrame([{"product_id": "kurut", "stage_no": 1, "stage": "Сквашивание",
                              "applies_to": None, "loss_share": 0.1}])
KURUT_BATCH = pd.DataFrame([{"product_id": "kurut", "unit_name": "пакет 200 г", "unit_size": 200,
                             "unit_size_unit": "г", "units_per_batch": 40, "energy_kwh": 6}])


def step5_book(use: bool = True, **tables) -> Workbook:
    """A workbook with the product tool's own ``tables`` (name → frame) kept in step 5."""
    book = Workbook.new(**TRAINEE)
    book.put_own_data("step05_product",
                      OwnData(tables={k: records(v) for k, v in tables.items()}, use=use))
    return book


def test_saved_recipe_is_step_5s_own_tables_completed_by_the_lessons():
    juice = BATCHES[BATCHES.product_id == "sb_juice"][list(product.BATCH_COLUMNS)]
    batches = pd.concat([KURUT_BATCH, juice], ignore_index=True)   # the nectar's kWh left empty
    saved = product.saved_recipe(step5_book(recipe=KURUT_RECIPE, losses=KURUT_LOSSES,
                                            batches=batches))
    assert saved.origin == "tables" and not saved.lesson
    assert saved.products[0] == "kurut" and "sb_juice" in saved.products   # lesson's completed
    assert len(saved.recipe) == len(KURUT_RECIPE) + len(RECIPE)
    rows = saved.batches.set_index("product_id")
    assert rows.loc["kurut", "energy_kwh"] == 6 and rows.loc["kurut", "units_per_batch"] == 40
    assert rows.loc["sb_juice", "energy_kwh"] == BATCHES.set_index("product_id").loc[
        "sb_juice", "energy_kwh"]                                    # the lesson's kWh
    cost = product.unit_cost(saved.recipe, saved.batches, "kurut", product.lesson_supply())
    milk = product.lesson_supply().set_index("material_id").loc["raw_milk", "mean_price_som"]
    assert cost.raw_som == pytest.approx((50 * milk + 20) / 40) and cost.packaging_som == 5
    # only the recipe kept: the lesson's losses and batches, which have no kurut
    alone = product.saved_recipe(step5_book(recipe=KURUT_RECIPE))
    assert alone.origin == "tables" and "kurut" not in alone.products


def test_saved_recipe_is_the_lesson_case_without_usable_step_5_tables(tmp_path):
    damaged = tmp_path / "wb.json"
    damaged.write_bytes(b"\xff\xfe")
    bad = KURUT_RECIPE.assign(quantity=-1)                            # step 5 refuses it
    for book in (None, saved_workbook(damaged), Workbook.new(**TRAINEE),
                 step5_book(use=False, recipe=KURUT_RECIPE, losses=KURUT_LOSSES),
                 step5_book(recipe=bad)):
        saved = product.saved_recipe(book)
        assert saved.lesson and saved.products == product.saved_recipe(None).products
        pd.testing.assert_frame_equal(saved.recipe, RECIPE)
        pd.testing.assert_frame_equal(saved.batches, BATCHES)
    assert damaged.read_bytes() == b"\xff\xfe"
