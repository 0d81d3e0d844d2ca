"""Step 3, preliminary selection of ideas: scores, knock-outs, totals, rank stability, the tool.

Expected values are worked out by hand from data/lesson/*.csv (see the comments) or computed
another way (a plain-Python re-ranking, an exact probability, step 2's stock model), never by
calling the function under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import nbformat
import numpy as np
import pandas as pd
import pytest
from chart_helpers import drawn
from hypothesis import given, settings
from hypothesis import strategies as st

import ovop_course
from ovop_course.charts import to_svg
from ovop_course.charts.ideas import SelectionChart, selection_figure, stability_figure
from ovop_course.data import load_table
from ovop_course.errors import OvopError
from ovop_course.steps import ideas, raw_materials
from ovop_course.workbook import load_workbook

ROOT = Path(__file__).resolve().parents[1]
LESSON = ideas.lesson_inputs()
EQUAL = {key: 1 for key in ideas.CRITERIA}

# Scores by hand from product_ideas.csv, the stability of raw materials (below) and
# household_skills.csv (people: sb_processing 95, jam_making 1300, drying 550, beekeeping 60).
# Order: local_inputs, stable_material, skills, uniqueness, demand, simplicity, copy, women_youth.
HAND_SCORES = {
    # 0.75→4; 12 months→5; 95 people→3; 3 sellers→3; 0.45→4; min(средняя 3, 180 000→3)=3;
    # средний→3; 0.7→4
    "sb_juice": [4, 5, 3, 3, 4, 3, 3, 4],
    # 0.85→5; wild 11 months→4; 550→5; 1 seller→4; 0.3→3; min(3, 120 000→3)=3; 3; 0.8→5
    "sb_candy": [5, 4, 5, 4, 3, 3, 3, 5],
    # 0.85→5; 12→5; 60→2; 4→3; 0.5→5; min(простая 5, 50 000→5)=5; 3; 0.5→3
    "honey_sb": [5, 5, 2, 3, 5, 5, 3, 3],
    # 0.6→3; 3 months→2; 1300→5; 25→1; 0.2→2; min(5, 50 000→5)=5; низкий→1; 0.8→5
    "apricot_jam": [3, 2, 5, 1, 2, 5, 1, 5],
    # 0.25→1; 12→5; 1300→5; 2→4; 0.35→3; min(сложная 1, 350 000→2)=1; 3; 0.5→3
    "choco_candy": [1, 5, 5, 4, 3, 1, 3, 3],
}


def lesson_facts():
    return ideas.idea_facts(*LESSON)


# --- score bands ---------------------------------------------------------------------------
@pytest.mark.parametrize("band, values, expected", [
    ("local_inputs", [0.0, 0.29, 0.3, 0.49, 0.5, 0.7, 0.84, 0.85, 1.0],
     [1, 1, 2, 2, 3, 4, 4, 5, 5]),
    ("uniqueness", [0, 1, 2, 3, 5, 6, 10, 11, 40], [5, 4, 4, 3, 3, 2, 2, 1, 1]),
    ("startup_cost", [0, 50_000, 50_001, 100_000, 200_000, 400_000, 400_001],
     [5, 5, 4, 4, 3, 2, 1]),
    ("stable_material", [0, 2, 3, 5, 6, 8, 9, 11, 12], [1, 1, 2, 2, 3, 3, 4, 4, 5]),
    ("skills", [0, 24, 25, 74, 75, 149, 150, 299, 300], [1, 1, 2, 2, 3, 3, 4, 4, 5]),
])
def test_bands_give_the_documented_scores(band, values, expected):
    assert [ideas.BANDS[band].score(v) for v in values] == expected


@given(a=st.floats(0, 1e6), b=st.floats(0, 1e6), band=st.sampled_from(sorted(ideas.BANDS)))
def test_band_scores_are_1_to_5_and_monotone(a, b, band):
    rule = ideas.BANDS[band]
    low, high = sorted((a, b))
    s_low, s_high = rule.score(low), rule.score(high)
    assert 1 <= s_low <= 5 and 1 <= s_high <= 5
    assert (s_low <= s_high) if rule.higher_is_better else (s_low >= s_high)


def test_lesson_scores_match_hand_worked_ones():
    scores = ideas.criterion_scores(lesson_facts())
    assert list(scores.columns) == list(ideas.CRITERIA)
    for idea, expected in HAND_SCORES.items():
        assert scores.loc[idea].tolist() == expected, idea


# --- stable raw material (step 2's stock model) ---------------------------------------------
def test_lesson_material_stability_by_hand():
    # Volumes > 0 (raw_material_months) and storage life (raw_materials) → k = ⌊L/30⌋:
    # wild sea buckthorn Sep–Nov, k = 9 → Sep…Jul = 11 months; garden Jan–Apr, Sep–Dec, k = 9
    # → all 12; apricot Jul–Sep, 10 days → k = 1 → 3; currant Jul–Aug, k = 9 → Jul…Apr = 10.
    stability = LESSON[1]["stable_months"].to_dict()
    assert stability == {"sea_buckthorn_wild": 11, "sea_buckthorn_garden": 12, "apricot": 3,
                         "black_currant": 10, "honey": 12, "raw_milk": 12, "herbs": 12}


@settings(max_examples=60, deadline=None)
@given(supply=st.lists(st.sampled_from([0.0, 0.0, 5.0, 40.0]), min_size=12, max_size=12),
       k=st.integers(1, 12))
def test_covered_months_is_the_largest_plan_step2_can_serve(supply, k):
    """Independent check with step 2's stock model: over the covered months the stable supply
    with storage is above zero; adding any other month brings it to zero."""
    covered = [m for m in range(1, 13)
               if any(supply[(m - 1 - i) % 12] > 0 for i in range(k))]
    assert ideas.covered_months(supply, k) == len(covered)
    if covered:
        assert raw_materials.stable_supply_with_storage(supply, covered, k) > 0
    for extra in set(range(1, 13)) - set(covered):
        assert raw_materials.stable_supply_with_storage(supply, covered + [extra], k) == 0


# --- knock-outs ------------------------------------------------------------------------------
def test_lesson_knockouts_by_hand():
    failed = ideas.knockouts(lesson_facts())
    assert {i: r for i, r in failed.items() if r} == {
        "sb_oil": ["imported_inputs"],                       # imported, 45 % local
        "sb_jam": ["easy_copy"],
        "herbal_tea": ["easy_copy"],
        "apricot_jam": ["no_stable_material", "easy_copy"],  # 3 months of apricot
        "choco_candy": ["imported_inputs", "complex_tech"],  # 25 % local, сложная
    }


@pytest.mark.parametrize("rule, freed", [
    ("easy_copy", {"sb_jam", "herbal_tea"}), ("imported_inputs", {"sb_oil"}),
    ("complex_tech", set()), ("no_stable_material", set()), ("no_local_skill", set()),
])
def test_switching_a_rule_off_frees_exactly_its_ideas(rule, freed):
    facts = lesson_facts()
    before = {i for i, r in ideas.knockouts(facts).items() if not r}
    after = {i for i, r in ideas.knockouts(facts, [x for x in ideas.KNOCKOUTS if x != rule]).items()
             if not r}
    assert after - before == freed


def one_idea(**changes):
    row = LESSON[0].set_index("idea_id").loc["sb_juice"].to_dict() | {"idea_id": "x"}
    return pd.DataFrame([row | changes])


def verdict(table, materials=LESSON[1], skills=LESSON[2]):
    facts = ideas.idea_facts(table, materials, skills)
    failed = ideas.knockouts(facts).iloc[0]
    return failed, [ideas.knockout_reason(r, facts.iloc[0]) for r in failed]


def test_knockout_boundaries():
    assert verdict(one_idea(imported_inputs=True, local_input_share=0.5))[0] == []
    assert verdict(one_idea(imported_inputs=True, local_input_share=0.49))[0] == ["imported_inputs"]
    assert verdict(one_idea(imported_inputs=False, local_input_share=0.1))[0] == []
    six = pd.DataFrame({"material_id": ["m"], "material": ["М"], "stable_months": [6]})
    assert verdict(one_idea(material_id="m"), materials=six)[0] == []
    five = six.assign(stable_months=5)
    failed, reasons = verdict(one_idea(material_id="m"), materials=five)
    assert failed == ["no_stable_material"] and "5 мес." in reasons[0] and "«М»" in reasons[0]


def test_unknown_material_and_missing_skill_are_rejected_with_reasons():
    failed, reasons = verdict(one_idea(material_id="walnut", skill_id="carving"))
    assert failed == ["no_stable_material", "no_local_skill"]
    assert "walnut" in reasons[0] and "нет в таблице" in reasons[1]
    nobody = LESSON[2].assign(people=0)
    assert verdict(one_idea(), skills=nobody)[0] == ["no_local_skill"]


# --- totals, ranks -----------------------------------------------------------------------------
def test_weighted_total_by_hand():
    scores = pd.DataFrame({"demand": [5, 2], "uniqueness": [1, 4], "skills": [3, 3]},
                          index=["a", "b"])
    totals = ideas.weighted_total(scores, {"demand": 2, "uniqueness": 1, "skills": 0})
    # a: (2·5 + 1·1) / 3 = 11/3; b: (2·2 + 1·4) / 3 = 8/3
    assert totals.tolist() == pytest.approx([11 / 3, 8 / 3])
    assert ideas.to_points(pd.Series([1.0, 3.0, 5.0])).tolist() == [0.0, 50.0, 100.0]


@given(scores=st.lists(st.integers(1, 5), min_size=8, max_size=8),
       weights=st.lists(st.integers(0, 5), min_size=8, max_size=8).filter(any),
       factor=st.floats(0.1, 0.9))
def test_total_lies_between_scores_and_ignores_weight_scale(scores, weights, factor):
    row = pd.DataFrame([scores], columns=list(ideas.CRITERIA))
    w = dict(zip(ideas.CRITERIA, weights))
    total = ideas.weighted_total(row, w).iloc[0]
    used = [s for s, x in zip(scores, weights) if x]
    assert min(used) - 1e-9 <= total <= max(used) + 1e-9
    scaled = ideas.weighted_total(row, {k: v * factor for k, v in w.items()}).iloc[0]
    assert scaled == pytest.approx(total)


def test_equal_totals_keep_table_order():
    ranks = ideas.rank_ideas(pd.Series([3.0, 4.0, 3.0, 5.0], index=list("abcd")))
    assert ranks.to_dict() == {"d": 1, "b": 2, "a": 3, "c": 4}


def test_lesson_selection_by_hand():
    sel = ideas.select_ideas()
    assert list(sel.shortlist.index) == ["sb_candy", "honey_sb", "sb_juice"]
    # sb_juice: (4·4 + 4·5 + 3·3 + 3·3 + 4·4 + 3·3 + 3·3 + 4·4) / 28 = 104/28
    assert sel.table.loc["sb_juice", "score"] == pytest.approx((104 / 28 - 1) / 4 * 100)
    assert set(sel.rejected.index) == {"sb_oil", "sb_jam", "herbal_tea", "apricot_jam",
                                       "choco_candy"}
    assert (sel.rejected["rank"] == 0).all() and sel.rejected["stability_share"].isna().all()
    assert list(sel.table.index[:3]) == ["sb_candy", "honey_sb", "sb_juice"]


def test_shortlist_is_never_longer_than_the_ideas_that_pass():
    sel = ideas.select_ideas(top_n=8)
    assert len(sel.shortlist) == 3 and sel.shortlist["stability_share"].eq(1).all()


def test_when_nothing_passes_the_shortlist_is_empty():
    facts = lesson_facts().assign(copy_barrier="низкий")
    sel = ideas.evaluate_ideas(facts)
    assert sel.shortlist.empty and len(sel.rejected) == 8


# --- stability ----------------------------------------------------------------------------------
def test_perturbed_weights_stay_within_the_spread():
    w = dict(ideas.DEFAULT_WEIGHTS, skills=0)
    draws = ideas.perturbed_weights(w, spread=0.3, draws=400, seed=1)
    base = pd.Series(w, dtype=float)[draws.columns]
    assert draws.shape == (400, 8)
    assert (draws["skills"] == 0).all()
    ratio = (draws / base).drop(columns="skills")
    assert ratio.min().min() >= 0.7 and ratio.max().max() <= 1.3
    assert ratio.min().min() < 0.75 and ratio.max().max() > 1.25  # the whole range is used
    assert draws.equals(ideas.perturbed_weights(w, spread=0.3, draws=400, seed=1))
    assert (ideas.perturbed_weights(w, spread=0, draws=3) == base).all().all()


def plain_python_stability(scores, draws, top_n):
    """Re-rank every draw with sorted() — an independent implementation."""
    idea_rows = list(scores.index)
    in_top = {i: 0 for i in idea_rows}
    seen = {i: [] for i in idea_rows}
    for _, w in draws.iterrows():
        total = {i: sum(w[k] * scores.loc[i, k] for k in scores.columns) / w.sum()
                 for i in idea_rows}
        order = sorted(idea_rows, key=lambda i: (-total[i], idea_rows.index(i)))
        for place, i in enumerate(order, start=1):
            seen[i].append(place)
            in_top[i] += place <= top_n
    return {i: (in_top[i] / len(draws), min(seen[i]), max(seen[i])) for i in idea_rows}


def test_rank_stability_agrees_with_a_plain_python_reranking():
    scores = ideas.criterion_scores(lesson_facts())
    draws = ideas.perturbed_weights(ideas.DEFAULT_WEIGHTS, spread=0.5, draws=200, seed=7)
    got = ideas.rank_stability(scores, draws, top_n=3)
    expected = plain_python_stability(scores, draws, 3)
    for idea, (share, low, high) in expected.items():
        assert got.loc[idea].tolist() == pytest.approx([share, low, high]), idea


def test_rank_stability_matches_an_exact_probability():
    # B = (5, 1), C = (1, 5), weights (1.2, 1) × U(0.7, 1.3): B beats C iff 1.2·u₁ > u₂;
    # P = [∫_{0.7}^{13/12} (1.2u − 0.7)/0.6 du + (1.3 − 13/12)] / 0.6 = 0.755093 (by hand).
    scores = pd.DataFrame({"demand": [5, 1], "uniqueness": [1, 5]}, index=["B", "C"])
    weights = {"demand": 1.2, "uniqueness": 1.0}
    draws = ideas.perturbed_weights(weights, spread=0.3, draws=20_000, seed=3)
    share = ideas.rank_stability(scores, draws[["demand", "uniqueness"]],
                                 top_n=1)["stability_share"]
    assert share["B"] == pytest.approx(0.755093, abs=0.015)
    assert share["C"] == pytest.approx(1 - share["B"])


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=1,
                     max_size=6),
       top_n=st.integers(1, 7), spread=st.floats(0, 0.5), seed=st.integers(0, 10**6))
def test_shares_in_top_n_add_up_to_the_list_size(rows, top_n, spread, seed):
    """In every draw exactly min(N, K) ideas are in the top N, and every rank is taken."""
    columns = ["demand", "skills", "uniqueness"]
    scores = pd.DataFrame(rows, columns=columns, index=[f"i{n}" for n in range(len(rows))])
    draws = ideas.perturbed_weights({"demand": 3, "skills": 1, "uniqueness": 2}, spread=spread,
                                    draws=50, seed=seed)[columns]
    result = ideas.rank_stability(scores, draws, top_n)
    assert result["stability_share"].sum() == pytest.approx(min(top_n, len(rows)))
    assert (result["rank_min"] >= 1).all() and (result["rank_max"] <= len(rows)).all()
    assert (result["rank_min"] <= result["rank_max"]).all()


def test_a_dominant_idea_is_always_first():
    scores = pd.DataFrame({"demand": [5, 4, 1], "skills": [5, 1, 4]}, index=list("abc"))
    draws = ideas.perturbed_weights({"demand": 3, "skills": 2}, spread=0.49, draws=300)
    result = ideas.rank_stability(scores, draws[["demand", "skills"]], top_n=1)
    assert result.loc["a"].tolist() == [1.0, 1, 1]
    assert result.loc[["b", "c"], "stability_share"].tolist() == [0.0, 0.0]


# --- overrides ----------------------------------------------------------------------------------
def test_overrides_parse_names_short_names_and_keys():
    text = "sb_juice; Спрос покупателей; 5\n# комментарий\n\nhoney_sb, skills, 4\nsb_candy;Спрос;1"
    assert ideas.parse_overrides(text) == {("sb_juice", "demand"): 5, ("honey_sb", "skills"): 4,
                                           ("sb_candy", "demand"): 1}


@pytest.mark.parametrize("text, message", [
    ("sb_juice; Спрос", "три части"), ("sb_juice; Спрос; 6", "от 1 до 5"),
    ("sb_juice; Вкус; 3", "Критерия «Вкус» нет"), ("sb_juice; Спрос; 4.5", "от 1 до 5"),
])
def test_bad_overrides_say_what_to_fix(text, message):
    with pytest.raises(OvopError, match=message):
        ideas.parse_overrides(text)


@given(st.dictionaries(st.tuples(st.sampled_from(["a", "b_2", "sb_juice"]),
                                 st.sampled_from(ideas.CRITERIA)), st.integers(1, 5), max_size=6))
def test_overrides_round_trip(overrides):
    assert ideas.parse_overrides(ideas.format_overrides(overrides)) == overrides


def test_an_override_changes_the_score_and_the_ranking():
    sel = ideas.select_ideas(overrides={("sb_juice", "demand"): 5, ("sb_juice", "uniqueness"): 5})
    assert sel.table.loc["sb_juice", ["demand", "uniqueness"]].tolist() == [5, 5]
    # (104 + 4·1 + 3·2) / 28 = 114/28 > sb_candy's 3.0357…: juice goes first
    assert sel.table.loc["sb_juice", "total"] == pytest.approx(114 / 28)
    assert sel.shortlist.index[0] == "sb_juice"
    with pytest.raises(OvopError, match="идеи с кодом «nope» нет"):
        ideas.select_ideas(overrides={("nope", "demand"): 3})


# --- the trainee's tables --------------------------------------------------------------------
def own_ideas():
    columns = ["idea_id", "idea", "material_id", "imported_inputs", "local_input_share",
               "startup_cost_som", "similar_sellers", "buyer_interest_share", "tech_complexity",
               "copy_barrier", "skill_id", "women_youth_share"]
    return pd.DataFrame(columns=columns, data=[
        ["kurut", "Курут с травами", "milk", False, 0.9, 30000, 12, 0.35, "простая", "средний",
         "dairy", 0.85],
        ["felt", "Войлочные тапочки", "wool", False, 0.7, 80000, 2, 0.25, "средняя", "высокий",
         "felting", 0.9],
    ])


OWN_MATERIALS = pd.DataFrame({"material_id": ["milk", "wool"], "material": ["Молоко", "Шерсть"],
                              "stable_months": [12, 4]})
OWN_SKILLS = pd.DataFrame({"skill_id": ["dairy", "felting"], "skill": ["Молочное", "Войлок"],
                           "people": [400, 20]})


def test_own_tables_without_source_columns_work():
    sel = ideas.select_ideas(own_ideas(), OWN_MATERIALS, OWN_SKILLS, top_n=1)
    assert list(sel.shortlist.index) == ["kurut"]
    assert sel.table.loc["felt", "failed_rules"] == ["no_stable_material"]


@pytest.mark.parametrize("change, message", [
    ({"local_input_share": 1.5}, "local_input_share"),
    ({"tech_complexity": "очень простая"}, "tech_complexity"),
    ({"idea_id": "felt"}, "коды повторяются: felt"),
])
def test_bad_own_ideas_name_the_row_and_column(change, message):
    idea_rows = own_ideas()
    for column, value in change.items():
        idea_rows.loc[0, column] = value
    with pytest.raises(OvopError, match=message):
        ideas.select_ideas(idea_rows, OWN_MATERIALS, OWN_SKILLS)


@pytest.mark.parametrize("materials, skills, message", [
    (OWN_MATERIALS.drop(columns="stable_months"), OWN_SKILLS, "stable_months"),
    (OWN_MATERIALS.assign(stable_months=13), OWN_SKILLS, "значение «13» должно быть не больше 12"),
    (OWN_MATERIALS.assign(stable_months=4.5), OWN_SKILLS,
     "строка 1, столбец «stable_months»: ожидается целое число"),
    (OWN_MATERIALS, OWN_SKILLS.assign(people=-1), "не меньше 0"),
    (OWN_MATERIALS.iloc[0:0], OWN_SKILLS, "пуста"),
    (OWN_MATERIALS, pd.concat([OWN_SKILLS, OWN_SKILLS]), "коды повторяются: dairy, felting"),
])
def test_bad_own_materials_or_skills(materials, skills, message):
    with pytest.raises(OvopError, match=message):
        ideas.select_ideas(own_ideas(), materials, skills)


def test_stability_from_step2_style_records():
    materials, months = raw_materials.inventory_from_records([{
        "material": "Шиповник", "source_type": "дикорос", "unit": "кг",
        "storage_life_days": 365, "sustainable_share": 0.3,
        "volume": [0] * 8 + [500, 800, 0, 0], "price_som": [None] * 8 + [120, 100, None, None]}])
    assert ideas.material_stability(materials, months)["stable_months"].tolist() == [12]


@pytest.mark.parametrize("weights, message", [
    ({"demand": -1}, "«Вес: Спрос покупателей»: значение -1 должно быть не меньше 0"),
    ({"demand": 6}, "«Вес: Спрос покупателей»: значение 6 должно быть не больше 5"),
    ({"demand": True}, "«Вес: Спрос покупателей»: «True» — не число"),
    ({k: 0 for k in ideas.CRITERIA}, "Все веса равны нулю"), ({"taste": 1}, "Критерия «taste» нет"),
])
def test_bad_weights(weights, message):
    with pytest.raises(OvopError, match=message):
        ideas.select_ideas(weights=weights)


def test_bad_top_n_and_spread():
    with pytest.raises(OvopError, match="«Идей в коротком списке»: значение 0 .* не меньше 1"):
        ideas.select_ideas(top_n=0)
    with pytest.raises(OvopError, match="Разброс"):
        ideas.select_ideas(spread=1.2)
    with pytest.raises(OvopError, match="«Число расчётов .*»: значение 0 должно быть не меньше 1"):
        ideas.perturbed_weights(ideas.DEFAULT_WEIGHTS, draws=0)
    with pytest.raises(OvopError, match="«Своя оценка: идея sb_juice, Спрос покупателей»: .* 7"):
        ideas.select_ideas(overrides={("sb_juice", "demand"): 7})


SCORES = pd.DataFrame({"demand": [5, 2], "skills": [3, 3]}, index=["a", "b"])


@pytest.mark.parametrize("call, message", [
    (lambda: ideas.criterion_scores(LESSON[0]),
     r"«факты об идеях \(результат idea_facts.*\)» нет столбцов: stable_months, skill_people"),
    (lambda: ideas.knockouts(lesson_facts().assign(copy_barrier="нет")),
     "строка 1, столбец «copy_barrier»"),
    (lambda: ideas.knockouts(lesson_facts(), "easy_copy"), "нужен список названий правил"),
    (lambda: ideas.knockouts(lesson_facts(), [1.5]), "Правила отсева «1.5» нет"),
    (lambda: ideas.check_weights([4, 3]), "нужен словарь «критерий: вес от 0 до 5»"),
    (lambda: ideas.weighted_total(SCORES.assign(idea="x"), EQUAL), "Критерия «idea» нет"),
    (lambda: ideas.weighted_total(SCORES.assign(demand=[4.5, 1]), EQUAL),
     r"(?s)«баллы идей по критериям \(scores\)».*строка 1, столбец «demand»: ожидается целое"),
    (lambda: ideas.rank_ideas(pd.Series([3.0, float("nan")])), "«итоговые баллы идей»"),
    (lambda: ideas.to_points("4"), "«итоговый балл T»: «4» — не число"),
    (lambda: ideas.select_ideas(weight=EQUAL), "нет настройки «weight». Есть настройки: weights"),
    (lambda: ideas.select_ideas(overrides="sb_juice; Спрос; 5"),
     "сначала прочитайте через parse_overrides"),
    (lambda: ideas.select_ideas(overrides={"sb_juice": 5}), "«sb_juice» — не пара"),
    (lambda: ideas.select_ideas(seed=-1), "«Зерно генератора случайных чисел»: значение -1"),
    (lambda: ideas.select_ideas(draws=10**6), "значение 1000000 должно быть не больше 100000"),
])
def test_wrong_arguments_say_what_to_fix(call, message):
    with pytest.raises(OvopError, match=message):
        call()


def test_checked_arguments_keep_their_meaning():
    assert ideas.criterion_scores(lesson_facts()).index.tolist() == LESSON[0]["idea_id"].tolist()
    assert ideas.weighted_total(SCORES,
                                pd.Series({"demand": 1, "skills": 1})).tolist() == [4.0, 2.5]
    sel = ideas.select_ideas(overrides={("sb_juice", "Спрос покупателей"): 5})
    assert sel.overrides == {("sb_juice", "demand"): 5}
    assert ideas.rank_ideas([3, 1, 2]).tolist() == [1, 3, 2]

# --- charts ---------------------------------------------------------------------------------------
def test_selection_figure_greys_rejected_ideas_and_names_the_rule():
    sel = ideas.select_ideas(top_n=2)
    fig = selection_figure(sel.table, sel.top_n, sel.spread)
    ranking, share = fig.axes
    colours = [tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in ranking.patches]
    grey = tuple(round(int("D9", 16) / 255, 3) for _ in range(3))
    assert colours.count(grey) == 5
    texts = " ".join(t.get_text() for t in ranking.texts)
    assert "легко скопировать" in texts and "привозное сырьё" in texts
    labels = [t.get_text() for t in ranking.get_yticklabels()]
    assert labels[-1].startswith("1.") and "пастила" in labels[-1]
    assert [t.get_text() for t in share.texts] == ["0%", "100%", "100%"]  # bottom-up: 3, 2, 1


def test_stability_figure_draws_rank_ranges():
    sel = ideas.select_ideas(rules=[], top_n=2, spread=0.5)
    fig = stability_figure(sel.table, sel.top_n, sel.spread, ideas.DRAWS)
    (ax,) = fig.axes
    segments = ax.collections[0].get_segments()
    assert len(segments) == 8
    empty = stability_figure(sel.table.assign(eligible=False), 2, 0.3, 500)
    assert "Ни одна идея" in empty.axes[0].texts[0].get_text()


def same_as_a_new_figure(svg: bytes, sel) -> bool:
    return drawn(svg) == drawn(to_svg(selection_figure(sel.table, sel.top_n, sel.spread)))


def test_selection_chart_draws_what_a_new_figure_draws():
    """The kept figure with its bars and texts replaced is the picture of a new figure,
    whatever changes: weights (names move between rows), N and spread, rules."""
    chart = SelectionChart(keep=0)
    for options in [{}, {"weights": dict(ideas.DEFAULT_WEIGHTS, demand=0)}, {"top_n": 2},
                    {"rules": ["easy_copy"], "spread": 0.5}, {"weights": {"demand": 1}},
                    {}]:
        sel = ideas.select_ideas(**options)
        assert same_as_a_new_figure(chart.svg(sel.table, sel.top_n, sel.spread), sel), options
    fewer = ideas.select_ideas(own_ideas(), OWN_MATERIALS, OWN_SKILLS)  # other rows: a new figure
    assert same_as_a_new_figure(chart.svg(fewer.table, fewer.top_n, fewer.spread), fewer)


def test_selection_chart_keeps_the_last_pictures():
    first, other = ideas.select_ideas(), ideas.select_ideas(top_n=2)
    chart = SelectionChart(keep=2)
    shown = chart.svg(first.table, first.top_n, first.spread)
    chart.svg(other.table, other.top_n, other.spread)
    again = ideas.select_ideas()  # a new table (new NaN objects) showing the same picture
    assert chart.svg(again.table, again.top_n, again.spread) is shown
    chart.svg(ideas.select_ideas(top_n=1).table, 1, 0.3)  # a third picture: the oldest kept goes
    chart.svg(other.table, other.top_n, other.spread)
    assert chart.svg(first.table, first.top_n, first.spread) is not shown


# --- the tool -------------------------------------------------------------------------------------
@pytest.fixture
def workbook_file(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    load_workbook(create_if_missing={"trainee": "Т", "aiyl_aimak": "А", "region": "Р"})
    return path


def shown_html(tool):
    return "".join(w.value for w in tool.output.children if isinstance(w, widgets.HTML))


def test_tool_shows_shortlist_chart_and_table():
    tool = ovop_course.tool("ideas")
    assert tool.error is None and list(tool.result.shortlist.index) == [
        "sb_candy", "honey_sb", "sb_juice"]
    images = [w for w in tool.output.children if isinstance(w, widgets.Image)]
    assert len(images) == 1 and images[0].value[:5] == b"<?xml"
    html = shown_html(tool)
    assert "Прошли отсев 3 из 8" in html and "легко скопировать: барьер" in html


def test_moving_weights_changes_the_ranking():
    tool = ovop_course.tool("ideas")
    picture, before = tool.picture, tool.picture.value
    tool.set(w_demand=5, w_simplicity=5, w_skills=0, w_women_youth=0, top_n=1)
    assert list(tool.result.shortlist.index) == ["honey_sb"]
    assert tool.picture is picture and picture.value != before  # the same widget, redrawn
    assert tool.result.weights["demand"] == 5


def test_switching_a_rule_off_warns_about_the_principle():
    tool = ovop_course.tool("ideas")
    tool.set(ko_easy_copy=False)
    assert "sb_jam" in tool.result.table.index[tool.result.table["eligible"]]
    html = shown_html(tool)
    assert "нарушает принципы ОСОП" in html and "копируемые идеи" in html
    tool.set(ko_easy_copy=True)
    assert "нарушает" not in shown_html(tool)


def test_bad_values_keep_the_last_good_result():
    tool = ovop_course.tool("ideas")
    good = tool.result
    tool.set(overrides="sb_juice; Спрос; 9")
    assert "от 1 до 5" in tool.error and tool.result is good
    tool.set(top_n="три")
    assert "«три» — не число" in tool.error and tool.result is good
    tool.set(top_n=9)
    assert "от 1 до 8" in tool.error and tool.result is good
    tool.set(overrides="", top_n="3")
    assert tool.error is None
    for key in ideas.CRITERIA:
        tool.set(**{f"w_{key}": 0})
    assert "Все веса равны нулю" in tool.error


def test_editor_writes_and_removes_an_own_score():
    tool = ovop_course.tool("ideas")
    tool.pick_idea.value, tool.pick_criterion.value = "sb_juice", "demand"
    assert "Балл по данным: 4" in tool.auto_score.value
    tool.pick_score.value = 2
    tool.apply_editor()
    assert ideas.parse_overrides(tool.controls["overrides"].value) == {("sb_juice", "demand"): 2}
    assert tool.result.table.loc["sb_juice", "demand"] == 2 and "2✎" in shown_html(tool)
    tool.pick_score.value = "auto"
    tool.apply_editor()
    assert tool.controls["overrides"].value == ""
    assert tool.result.table.loc["sb_juice", "demand"] == 4


def test_save_writes_the_shortlist_and_the_rejected(workbook_file):
    tool = ovop_course.tool("ideas")
    tool.set(top_n=2, ko_complex_tech=False, overrides="sb_juice; Спрос; 5")
    assert "Сохранено" in tool.save()
    section = load_workbook().step03_ideas
    assert [(i.idea_id, i.rank) for i in section.shortlist] == [("sb_candy", 1), ("honey_sb", 2)]
    first = section.shortlist[0]
    assert first.material_id == "sea_buckthorn_wild" and 0 <= first.stability_share <= 1
    assert first.score == pytest.approx(tool.result.table.loc["sb_candy", "score"], abs=0.05)
    rejected = {r.idea_id: r.reasons for r in section.rejected}
    assert set(rejected) == {"sb_oil", "sb_jam", "herbal_tea", "apricot_jam", "choco_candy"}
    assert all("сложная" not in reason for reason in rejected["choco_candy"])
    assert section.rules_off == ["complex_tech"] and section.weights["demand"] == 4
    assert [(o.idea_id, o.criterion, o.score) for o in section.overrides] == [
        ("sb_juice", "demand", 5)]


def test_save_refuses_an_empty_shortlist(workbook_file):
    idea_rows = own_ideas().assign(copy_barrier="низкий")
    tool = ovop_course.tool("ideas", product_ideas=idea_rows, materials=OWN_MATERIALS,
                            skills=OWN_SKILLS)
    assert tool.result.shortlist.empty
    assert "Короткий список пуст" in tool.save()
    assert load_workbook().step03_ideas is None


def test_tool_takes_own_tables_and_reports_bad_ones():
    tool = ovop_course.tool("ideas", product_ideas=own_ideas(), materials=OWN_MATERIALS,
                            skills=OWN_SKILLS)
    assert tool.error is None and tool.controls["top_n"].max == 2
    assert [o[1] for o in tool.pick_idea.options] == ["kurut", "felt"]
    bad = own_ideas()
    bad.loc[1, "women_youth_share"] = 2
    broken = ovop_course.tool("ideas", product_ideas=bad, materials=OWN_MATERIALS,
                              skills=OWN_SKILLS)
    assert broken.result is None
    assert "строка 2, столбец «women_youth_share»" in broken.error


def test_every_rule_and_criterion_has_a_control():
    tool = ovop_course.tool("ideas")
    expected = {f"w_{k}" for k in ideas.CRITERIA} | {f"ko_{r}" for r in ideas.KNOCKOUTS} | {
        "top_n", "spread", "overrides"}
    assert set(tool.controls) == expected
    assert all(c.max == 5 and c.min == 0 for k, c in tool.controls.items() if k.startswith("w_"))
    assert tool.controls["spread"].number() == ideas.SPREAD == tool.result.spread   # a share


def test_lesson_tables_are_the_default_data():
    idea_rows = load_table("lesson/product_ideas")
    assert sorted(ideas.select_ideas().table.index) == sorted(idea_rows["idea_id"])


def test_formulas_doc_names_existing_functions():
    text = (ROOT / "docs" / "formulas.md").read_text("utf-8")
    section = text.split("## Шаг 3.")[1].split("\n## ")[0]
    names = set(re.findall(r"`ideas\.([A-Za-z_.]+)`", section))
    assert {"weighted_total", "to_points", "knockouts", "rank_stability",
            "perturbed_weights", "covered_months"} <= names
    for name in names:
        obj = ideas
        for part in name.split("."):
            obj = getattr(obj, part)  # AttributeError: the doc names a function that is gone


def test_numbers_quoted_in_module_4_hold():
    """The lesson figures that notebooks/04_ideas.ipynb quotes come out of the tool."""
    path = ROOT / "notebooks" / "04_ideas.ipynb"
    text = " ".join(c.source for c in nbformat.read(path, as_version=4).cells)
    sel = ideas.select_ideas()
    score = sel.table["score"].round().astype(int)
    assert f"**пастила** ({score['sb_candy']} баллов)" in text
    assert f"**крем-мёд с облепихой**\n  ({score['honey_sb']})" in text
    assert f"**нектар с мёдом** ({score['sb_juice']})" in text
    assert f"набрал {score['sb_jam']} баллов" in text
    assert f"**травяной чай** ({score['herbal_tea']})" in text
    assert "Сито прошли **3 идеи из 8**" in text and len(sel.shortlist) == 3
    two = ideas.select_ideas(top_n=2)
    assert two.table.loc["sb_juice", "stability_share"] == 0  # «во всех 500 расчётах (0 %)»
    assert two.table.loc[["sb_candy", "honey_sb"], ["rank_min", "rank_max"]].values.tolist() == [
        [1, 2], [1, 2]]
    first = ideas.select_ideas(weights=dict(ideas.DEFAULT_WEIGHTS, demand=5, women_youth=2))
    assert first.shortlist.index[0] == "honey_sb"   # «Кто теперь первый?»


# --- bad values and ties ------------------------------------------------------------------------

# Two score rows with the same exact weighted total under equal weights 0.1 (sum 26 over eight
# criteria: T = 3.25), which floating-point arithmetic makes 3.2499999999999996 and 3.25.
FIRST = [5, 1, 1, 5, 5, 4, 3, 2]
SECOND = [4, 1, 2, 3, 5, 5, 4, 2]
TENTHS = {key: 0.1 for key in ideas.CRITERIA}


def test_equal_totals_are_ranked_by_the_tie_rule_not_by_rounding_noise():
    scores = pd.DataFrame([FIRST, SECOND], columns=list(ideas.CRITERIA), index=["a", "b"])
    totals = ideas.weighted_total(scores, TENTHS)
    assert totals["a"] != totals["b"] and abs(totals["a"] - totals["b"]) < 1e-15  # the noise
    assert ideas.rank_ideas(totals).tolist() == [1, 2]   # equal: the earlier row first
    draws = pd.DataFrame([TENTHS] * 5)
    assert ideas.rank_stability(scores, draws, top_n=1)["stability_share"].tolist() == [1, 0]


def test_select_ideas_breaks_a_tie_by_the_order_of_the_table():
    """The same tie through the whole step: own scores give the lesson's sb_juice (row 1) and
    sb_candy (row 4) equal totals; sb_juice, earlier in the table, ranks first."""
    overrides = {(idea, key): score for idea, row in (("sb_juice", SECOND), ("sb_candy", FIRST))
                 for key, score in zip(ideas.CRITERIA, row)}
    table = ideas.select_ideas(weights=TENTHS, overrides=overrides, draws=20).table
    assert table.loc["sb_juice", "total"] == pytest.approx(table.loc["sb_candy", "total"])
    juice, candy = table.loc[["sb_juice", "sb_candy"], "rank"]
    assert juice + 1 == candy


@settings(max_examples=25, deadline=None)
@given(weights=st.dictionaries(st.sampled_from(ideas.CRITERIA), st.integers(1, 5), min_size=1),
       scale=st.sampled_from([0.1, 0.2, 0.3, 0.7, 0.9]))
def test_the_ranking_does_not_depend_on_the_scale_of_the_weights(weights, scale):
    """T = Σ wᵢsᵢ / Σ wᵢ does not change when every weight is multiplied by the same number,
    so neither may the ranks (floating-point noise of 0.1 × … must not move an idea)."""
    scaled = {key: w * scale for key, w in weights.items()}
    one = ideas.select_ideas(weights=weights, draws=20).table
    other = ideas.select_ideas(weights=scaled, draws=20).table
    assert one["rank"].to_dict() == other["rank"].to_dict()


@pytest.mark.parametrize("call, message", [
    (lambda: ideas.to_points(6), "«итоговый балл T»: значение 6 должно быть не больше 5"),
    (lambda: ideas.to_points([3, 0.5]), "значение 0.5 должно быть не меньше 1"),
    (lambda: ideas.to_points(float("nan")), "конечное число"),
    (lambda: ideas.rank_ideas(pd.Series([3.0, 9.0])), "значение 9 должно быть не больше 5"),
    (lambda: ideas.rank_ideas(pd.Series([3.0, 4.0], index=["a", "a"])),
     "повторяются строки \\(коды строк\\): a"),
    (lambda: ideas.knockouts(ideas.idea_facts(*ideas.lesson_inputs()), {"easy_copy": False}),
     "Правила отсева: нужен список"),
    (lambda: ideas.covered_months([1] * 12, 0), "значение 0 должно быть не меньше 1"),
    (lambda: ideas.covered_months({1: 5}, 3), "нет месяцев: 2, 3"),
    (lambda: ideas.band_score(float("nan"), (1, 2, 3, 4)), "конечное число"),
    (lambda: ideas.band_score(2, (4, 3, 2, 1)), "четыре числа по возрастанию"),
    (lambda: ideas.select_ideas(overrides={("sb_candy", "demand"): "4"}), "«4» — не число"),
    (lambda: ideas.select_ideas(overrides={("sb_candy", "demand"): True}), "«True» — не число"),
    (lambda: ideas.select_ideas(weights={"demand": 1e308}), "слишком большое число"),
])
def test_scores_outside_the_scale_and_wrong_containers_are_refused(call, message):
    with pytest.raises(OvopError, match=message):
        call()


def test_a_fact_row_written_twice_is_refused():
    facts = ideas.idea_facts(*ideas.lesson_inputs())
    twice = pd.concat([facts, facts.iloc[[0]]])
    for call in (ideas.criterion_scores, ideas.knockouts):
        with pytest.raises(OvopError, match="повторяются строки \\(idea_id\\): sb_juice"):
            call(twice)
    with pytest.raises(OvopError, match="значение «нет»|ожидается «true» или «false»"):
        ideas.knockouts(facts.assign(imported_inputs="нет"))


def test_scores_and_selection_are_plain_python_numbers():
    assert type(ideas.band_score(0.75, (0.3, 0.5, 0.7, 0.85))) is int
    assert type(ideas.to_points(4)) is float
    sel = ideas.select_ideas(spread=np.float64(0.2), overrides={("sb_candy", "demand"): 4.0})
    assert type(sel.spread) is float and sel.overrides == {("sb_candy", "demand"): 4}
    assert all(type(w) is float for w in sel.weights.values())
