"""Step 2, local raw materials: the stock model against independent checks, and the tool.

Expected values are computed here another way than in the package: by hand (numbers in the
test), by Hall's condition over every subset of production months (brute force), and by a
cohort-by-cohort FIFO simulation run over many years from an empty store.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from chart_helpers import drawn
from hypothesis import given, settings
from hypothesis import strategies as st

from ovop_course.data import load_table
from ovop_course.errors import OvopError
from ovop_course.steps import raw_materials
from ovop_course.ui._own_data import records
from ovop_course.workbook import (
    OwnData,
    RawMaterialsSection,
    Workbook,
    save_workbook,
    saved_workbook,
)

GARDEN_VOLUME = [700, 600, 500, 300, 0, 0, 0, 0, 3000, 5000, 1000, 800]  # lesson table
GARDEN_SUPPLY = [v * 0.8 for v in GARDEN_VOLUME]
ALL = range(1, 13)


# --- independent oracles ------------------------------------------------------------------
def hall_bound(supply, months, k):
    """min over non-empty D ⊆ P of (supply of the months that can reach D) / |D| (Gale/Hall).

    Month m reaches month j when 0 ≤ (j − m) mod 12 < k. Brute force over all subsets."""
    months = sorted(months)
    reach = {j: sum(1 << (m - 1) for m in ALL if (j - m) % 12 < k) for j in months}
    best = math.inf
    for mask in range(1, 1 << len(months)):
        chosen = [j for i, j in enumerate(months) if mask >> i & 1]
        union = 0
        for j in chosen:
            union |= reach[j]
        total = sum(supply[m - 1] for m in ALL if union >> (m - 1) & 1)
        best = min(best, total / len(chosen))
    return best


def fifo_serves(supply, months, use, k, loss, years=80):
    """Cohort-by-cohort FIFO store from empty over ``years``; True if the last year has no
    shortage in a production month."""
    cohorts = []  # [age in months, amount], oldest first
    ok = True
    for _year in range(years):
        ok = True
        for m in ALL:
            cohorts.append([0, supply[m - 1]])
            need = use if m in months else 0.0
            for cohort in cohorts:
                take = min(cohort[1], need)
                cohort[1] -= take
                need -= take
            if need > 1e-9 * max(1.0, use):
                ok = False
            cohorts = [[age + 1, amount * (1 - loss)] for age, amount in cohorts
                       if age + 1 < k and amount > 0]
    return ok


supplies = st.lists(st.one_of(st.just(0.0), st.integers(1, 1000).map(float)),
                    min_size=12, max_size=12)
month_sets = st.sets(st.integers(1, 12), min_size=1, max_size=12)
lives = st.integers(1, 12)


# --- hand-worked numbers ------------------------------------------------------------------
def test_garden_sea_buckthorn_by_hand():
    # S = 0.8 × V; a year of 9 520 kg spread over 12 months; no window of months is tighter.
    assert raw_materials.sustainable_supply(GARDEN_VOLUME, 0.8)[9] == pytest.approx(4000)
    # nothing from May to August
    assert raw_materials.stable_supply_no_storage(GARDEN_SUPPLY, ALL) == 0
    assert raw_materials.stable_supply_with_storage(GARDEN_SUPPLY, ALL, 9) == pytest.approx(
        9520 / 12)
    # 30 kg of berries make 100 bottles: 0.3 kg a bottle; ⌊793.33 / 0.3⌋ = 2 644
    assert raw_materials.max_output(9520 / 12, 30 / 100) == 2644
    assert raw_materials.max_output(9520 / 12, 20 / 120) == 4760


def test_december_harvest_stored_into_spring():
    supply = [0.0] * 11 + [1200.0]
    assert raw_materials.stable_supply_with_storage(supply, [1, 2, 3], 4) == pytest.approx(400)
    assert raw_materials.stable_supply_with_storage(supply, [12, 1, 2, 3], 4) == pytest.approx(300)
    assert raw_materials.stable_supply_with_storage(supply, [12, 1, 2, 3, 4], 4) == 0


def test_one_time_carry_with_loss_by_hand():
    # January's 100 kg serve January and February; 10 % of the carried stock is lost:
    # (100 − x)·0.9 = x  →  x = 90 / 1.9
    supply = [100.0] + [0.0] * 11
    assert raw_materials.stable_supply_with_storage(supply, [1, 2], 2, 0.1) == pytest.approx(
        90 / 1.9)


def test_storage_life_in_months():
    assert [raw_materials.storage_months(d) for d in (1, 29, 30, 59, 60, 270, 365, 730)] == \
        [1, 1, 1, 1, 2, 9, 12, 12]


def test_mean_price_weights_by_supply():
    prices = [250, 260, 270, 280, None, None, None, None, 150, 150, 170, 240]
    expected = (700 * 250 + 600 * 260 + 500 * 270 + 300 * 280 + 3000 * 150 + 5000 * 150
                + 1000 * 170 + 800 * 240) / 11900
    assert raw_materials.mean_price(prices, GARDEN_SUPPLY) == pytest.approx(expected)
    assert raw_materials.mean_price([None] * 12, GARDEN_SUPPLY) is None


def test_stock_plan_of_the_lesson_case_by_hand():
    plan = raw_materials.stock_plan(GARDEN_SUPPLY, ALL, 9520 / 12, 9)
    assert plan["shortage"].max() == pytest.approx(0, abs=1e-6)
    # the store is emptied exactly in August and refilled by the September harvest
    assert plan.loc[plan["month"] == 8, "closing"].item() == pytest.approx(0, abs=1e-6)
    assert plan.loc[plan["month"] == 9, "closing"].item() == pytest.approx(2400 - 9520 / 12)


# --- properties ---------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(supply=supplies, months=month_sets, k=lives)
def test_without_loss_equals_halls_bound(supply, months, k):
    assert raw_materials.stable_supply_with_storage(supply, months, k) == pytest.approx(
        hall_bound(supply, months, k), rel=1e-6, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(supply=supplies, months=month_sets, k=lives,
       loss=st.sampled_from([0.0, 0.02, 0.1, 0.3]))
def test_agrees_with_cohort_by_cohort_fifo(supply, months, k, loss):
    best = raw_materials.stable_supply_with_storage(supply, months, k, loss)
    assert fifo_serves(supply, months, best * 0.98, k, loss)
    assert not fifo_serves(supply, months, best * 1.02 + 0.01, k, loss)


@settings(max_examples=60, deadline=None)
@given(supply=supplies, months=month_sets, k=lives, loss=st.floats(0, 0.5))
def test_bounds_and_monotonicity(supply, months, k, loss):
    best = raw_materials.stable_supply_with_storage(supply, months, k, loss)
    fresh = raw_materials.stable_supply_no_storage(supply, months)
    assert fresh * (1 - 1e-9) <= best <= sum(supply) / len(months) * (1 + 1e-9)
    assert raw_materials.stable_supply_with_storage(supply, months, 1, loss) == pytest.approx(fresh)
    if k < 12:
        assert raw_materials.stable_supply_with_storage(
            supply, months, k + 1, loss) >= best * (1 - 1e-8)
    assert raw_materials.stable_supply_with_storage(supply, months, k, min(loss + 0.1, 0.9)) <= \
        best * (1 + 1e-8) + 1e-9


@settings(max_examples=40, deadline=None)
@given(supply=supplies, months=month_sets, k=lives, shift=st.integers(1, 11),
       scale=st.sampled_from([0.5, 2.0, 10.0]))
def test_a_repeating_year_has_no_first_month_and_no_unit(supply, months, k, shift, scale):
    best = raw_materials.stable_supply_with_storage(supply, months, k)
    rotated = supply[-shift:] + supply[:-shift]
    moved = {(m - 1 + shift) % 12 + 1 for m in months}
    assert raw_materials.stable_supply_with_storage(rotated, moved, k) == pytest.approx(
        best, rel=1e-6, abs=1e-6)
    assert raw_materials.stable_supply_with_storage([s * scale for s in supply], months, k) == \
        pytest.approx(best * scale, rel=1e-6, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(supply=supplies, months=month_sets, k=lives, loss=st.sampled_from([0.0, 0.05]),
       use=st.floats(0, 2000))
def test_stock_plan_balances_and_repeats(supply, months, k, loss, use):
    plan = raw_materials.stock_plan(supply, months, use, k, loss)
    assert len(plan) == 12
    inflow = plan["opening"] + plan["supply"]
    outflow = plan["used"] + plan["expired"] + plan["lost"] + plan["closing"]
    assert (inflow - outflow).abs().max() < 1e-6 * max(1.0, inflow.max())
    assert plan["closing"].iloc[-1] == pytest.approx(plan["opening"].iloc[0], rel=1e-6, abs=1e-6)
    assert (plan[["used", "shortage", "expired", "closing"]] >= -1e-9).all().all()
    idle = ~plan["month"].isin(months)
    assert (plan.loc[idle, "used"] == 0).all()
    best = raw_materials.stable_supply_with_storage(supply, months, k, loss)
    short = plan["shortage"].max() > 1e-6 * max(1.0, use)
    assert short == (use > best * (1 + 1e-6) + 1e-6) or abs(use - best) < 1e-4 * max(1, best)


# --- risks --------------------------------------------------------------------------------
def test_one_month_dependency_threshold_is_strictly_more_than_half():
    assert raw_materials.one_month_risk([0] * 7 + [12000, 1500, 2000, 0, 0]).kind == "one_month"
    assert "август" in raw_materials.one_month_risk([0] * 7 + [12000, 1500, 2000, 0, 0]).message
    assert "77" in raw_materials.one_month_risk(
        [0] * 7 + [12000, 1500, 2000, 0, 0]).message  # 12000/15500
    assert raw_materials.one_month_risk([0] * 8 + [4000, 6000, 2000, 0]) is None  # exactly 50 %
    assert raw_materials.one_month_risk([0] * 12) is None


def test_over_harvest_and_wild_share():
    kinds = [r.kind for r in raw_materials.over_harvest_risks(800, 793.3, 0.8, "фермы", "кг")]
    assert kinds == ["over_harvest"]
    assert raw_materials.over_harvest_risks(793.3, 793.3, 0.8, "фермы", "кг") == []
    assert [r.kind for r in raw_materials.over_harvest_risks(
        0, 0, 0.51, "дикорос", "кг")] == ["wild_share"]
    assert raw_materials.over_harvest_risks(0, 0, 0.5, "дикорос", "кг") == []
    assert raw_materials.over_harvest_risks(0, 0, 0.9, "домохозяйства", "л") == []


def test_price_swing_names_the_months_and_ratio():
    risk = raw_materials.price_swing_risk([250, 260, 270, 280, None, None, None, None,
                                           150, 150, 170, 240])
    assert risk.kind == "price_swing"
    assert "апрель" in risk.message and "сентябрь" in risk.message and "1,87" in risk.message
    assert raw_materials.price_swing_risk([150] + [None] * 10 + [225]) is None  # exactly 1.5
    assert raw_materials.price_swing_risk([None] * 12) is None


# --- bad input gets a Russian message -----------------------------------------------------
@pytest.mark.parametrize("call, words", [
    (lambda: raw_materials.sustainable_supply([-1] + [0] * 11, 0.5),
     "«Объём, месяц 1»: значение -1 должно быть не меньше 0"),
    (lambda: raw_materials.sustainable_supply([0] * 11, 0.5), "12 значений"),
    (lambda: raw_materials.sustainable_supply([0] * 12, 1.4),
     r"от 0 до 1: 0\.4 — это 40 %\)»: значение 1\.4 должно быть не больше 1"),
    (lambda: raw_materials.sustainable_supply(["много"] + [0] * 11, 0.5), "не число"),
    (lambda: raw_materials.stable_supply_no_storage([1] * 12, []), "хотя бы один месяц"),
    (lambda: raw_materials.stable_supply_no_storage([1] * 12, [13]),
     r"12 — декабрь\)»: значение 13 должно быть не больше 12"),
    (lambda: raw_materials.storage_months(0),
     "«Срок хранения, дней»: значение 0 должно быть не меньше 1"),
    (lambda: raw_materials.storage_months(12.5),
     "«Срок хранения, дней»: нужно целое число, а указано 12.5"),
    (lambda: raw_materials.stable_supply_with_storage([1] * 12, [1], 3, 1.0),
     "Потери.*значение 1 должно быть меньше 1"),
    (lambda: raw_materials.stock_plan([1] * 12, [1], -5, 3),
     "«Плановый расход сырья»: значение -5 должно быть не меньше 0"),
    (lambda: raw_materials.stock_plan([1] * 12, [1], 5, 13),
     "«Срок хранения, месяцев»: значение 13 должно быть не больше 12"),
    (lambda: raw_materials.max_output(100, 0),
     "«Сырья на единицу продукта»: значение 0 должно быть больше 0"),
    (lambda: raw_materials.stable_supply_no_storage([math.inf] + [1] * 11, [1]), "конечное число"),
])
def test_bad_values_say_what_to_fix(call, words):
    with pytest.raises(OvopError, match=words):
        call()


def lesson():
    return load_table("lesson/raw_materials"), load_table("lesson/raw_material_months")


def test_inventory_checks_name_the_problem():
    materials, months = lesson()
    raw_materials.check_inventory(materials, months)
    with pytest.raises(OvopError, match="нет столбцов: sustainable_share"):
        raw_materials.check_inventory(materials.drop(columns="sustainable_share"), months)
    with pytest.raises(OvopError, match="не хватает месяцев: 5"):
        raw_materials.check_inventory(materials, months[~((months["material_id"] == "honey")
                                                          & (months["month"] == 5))])
    wrong = materials.assign(source_type=["лес"] + list(materials["source_type"][1:]))
    with pytest.raises(OvopError, match="«сырьё \\(materials\\)»:\n  строка 1, "
                                        "столбец «source_type»: значение «лес» не из списка"):
        raw_materials.check_inventory(wrong, months)
    with pytest.raises(OvopError, match="должны быть разными"):
        raw_materials.check_inventory(pd.concat([materials, materials.head(1)]), months)
    with pytest.raises(OvopError, match="нужна таблица pandas"):
        raw_materials.check_inventory([1, 2], months)
    with pytest.raises(OvopError, match="не найдено"):
        raw_materials.analyse_material(materials, months, "walnut")


def own_record(**change):
    record = {"material": "Шиповник", "source_type": "дикорос", "unit": "кг",
              "storage_life_days": 365, "sustainable_share": 0.3,
              "volume": [0] * 8 + [500, 800, 0, 0],
              "price_som": [None] * 8 + [120, 100, None, None]}
    return record | change


def test_inventory_from_records_builds_lesson_shaped_tables():
    materials, months = raw_materials.inventory_from_records(
        [own_record(), own_record(material="Орех", material_id="nut")])
    assert list(materials["material_id"]) == ["own_1", "nut"]
    assert len(months) == 24 and set(months.columns) >= {"material_id", "month", "volume",
                                                         "price_som"}
    result = raw_materials.analyse_material(materials, months, "own_1",
                                            production_months=[9, 10, 11, 12])
    assert result.stable_supply_with_storage == pytest.approx(1300 * 0.3 / 4)
    with pytest.raises(OvopError, match="не хватает полей: unit"):
        raw_materials.inventory_from_records([{k: v for k, v in own_record().items()
                                               if k != "unit"}])
    with pytest.raises(OvopError, match="«Шиповник: Объём»: нужно 12 значений"):
        raw_materials.inventory_from_records([own_record(volume=[1, 2, 3])])
    with pytest.raises(OvopError, match="столбец «sustainable_share»: значение «30» должно быть "
                                        "не больше 1"):
        raw_materials.inventory_from_records([own_record(sustainable_share=30)])
    with pytest.raises(OvopError, match="«Шиповник: Объём, месяц 1»: значение -5 должно быть "
                                        "не меньше 0"):
        raw_materials.inventory_from_records([own_record(volume=[-5] + [0] * 11)])
    with pytest.raises(OvopError, match="«Шиповник: Закупочная цена, месяц 9»: .* не число"):
        raw_materials.inventory_from_records(
            [own_record(price_som=[None] * 8 + ["сто", 1, None, None])])
    with pytest.raises(OvopError, match="Нет описаний сырья"):
        raw_materials.inventory_from_records([])


def test_trainee_tables_are_checked_row_by_row():
    materials, months = raw_materials.inventory_from_records([own_record()])
    # storage_method may be left out, source is filled, a price may be missing where there
    # is volume (not known yet)
    assert materials["storage_method"].isna().all()
    assert set(months["source"]) == {"данные слушателя"}
    raw_materials.check_inventory(materials, months.assign(price_som=None))
    with pytest.raises(OvopError, match="«объёмы и цены по месяцам \\(months\\)»:\n  строка 3, "
                                        "столбец «volume»: значение не заполнено"):
        raw_materials.check_inventory(materials, months.assign(volume=[1, 2, None] + [0] * 9))
    products = pd.DataFrame({"product": ["Чай", "Варенье"], "unit_name": ["пачка", "банка"],
                             "material_id": ["own_1", "own_1"], "material_per_unit": [0.1, 0]})
    with pytest.raises(OvopError, match="«продукты \\(products\\)»:\n  строка 2, "
                                        "столбец «material_per_unit»: значение «0.0» должно "
                                        "быть больше 0"):
        raw_materials.check_products(products)
    assert raw_materials.check_products(products.head(1))["material_per_unit"].tolist() == [0.1]


def test_material_per_unit_from_the_lesson_recipe():
    table = raw_materials.material_per_unit(load_table("lesson/recipe"),
                                            load_table("lesson/product_batches"),
                                            load_table("lesson/product_ideas"))
    juice = table[(table["product_id"] == "sb_juice")].set_index("material_id")[
        "material_per_unit"]
    assert juice["sea_buckthorn_garden"] == pytest.approx(0.3)
    assert juice["honey"] == pytest.approx(0.03)
    jam = table[table["product_id"] == "sb_jam"]
    assert jam["material_per_unit"].item() == pytest.approx(20 / 120)
    assert jam["product"].item().startswith("Облепиховый джем")


def test_analysis_of_the_lesson_materials():
    materials, months = lesson()
    garden = raw_materials.analyse_material(materials, months, "sea_buckthorn_garden",
                                            planned_use=500)
    assert garden.stable_supply_no_storage == 0
    assert garden.stable_supply_with_storage == pytest.approx(9520 / 12)
    assert [r.kind for r in garden.risks] == ["price_swing"]
    apricot = raw_materials.analyse_material(materials, months, "apricot", storage=False,
                                             planned_use=0)
    assert apricot.life_months == 1 and [r.kind for r in apricot.risks] == ["one_month"]
    honey = raw_materials.analyse_material(materials, months, "honey", planned_use=300,
                                           product={"product": "Нектар", "unit_name": "бутылка",
                                                    "material_per_unit": 0.03})
    assert honey.stable_supply_no_storage == pytest.approx(70)
    assert honey.stable_supply_with_storage == pytest.approx(5600 * 0.7 / 12)
    assert honey.max_monthly_output == math.floor(5600 * 0.7 / 12 / 0.03)
    wild = raw_materials.analyse_material(materials, months, "sea_buckthorn_wild",
                                          production_months=[9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7],
                                          planned_use=400)
    assert wild.stable_supply_with_storage == pytest.approx(12000 * 0.4 / 11)
    assert wild.risks == []


# --- charts -------------------------------------------------------------------------------
def test_charts_show_the_numbers_in_russian():
    from ovop_course.charts import to_svg
    from ovop_course.charts.raw_materials import price_figure, season_figure, supply_figure

    materials, months = lesson()
    garden = raw_materials.analyse_material(materials, months, "sea_buckthorn_garden",
                                            planned_use=900)
    season = season_figure(raw_materials.season_table(materials, months), list(materials["unit"]),
                           garden.material)
    cells = [x.get_text() for x in season.axes[0].texts]
    assert "12\xa0000" in cells and "5\xa0000" in cells  # apricot in August, garden in October
    assert season.axes[0].get_xticklabels()[0].get_text() == "янв"
    supply = supply_figure(garden)
    legend = [x.get_text() for x in supply.axes[0].get_legend().get_texts()]
    assert "Стабильно с хранением: 793" in legend and "Стабильно без хранения: 0" in legend
    assert supply.axes[0].get_ylabel() == "кг в месяц"
    shortage = [p.get_height() for p in supply.axes[1].patches if p.get_facecolor()[0] > 0.8]
    assert max(shortage) == pytest.approx(900)  # August: 900 kg planned, nothing in stock
    price = price_figure(garden.price_som, garden.material, garden.unit)
    assert any("1,87" in x.get_text() for x in price.axes[0].texts)
    assert price.axes[0].get_ylabel() == "сом за кг"
    for fig in (season, supply, price):
        assert to_svg(fig)[:5] == b"<?xml"


def test_the_calendar_kept_for_another_material_is_the_calendar_drawn_anew():
    """Choosing a material moves the frame and the bold name in the kept calendar: the
    picture is the one a new figure draws, for every material and for none."""
    from ovop_course.charts import to_svg
    from ovop_course.charts.raw_materials import SeasonChart, season_figure

    materials, months = lesson()
    table, units = raw_materials.season_table(materials, months), list(materials["unit"])
    chart = SeasonChart()
    for name in [*table.index, None, table.index[0]]:
        assert drawn(chart.svg(table, units, name)) == drawn(to_svg(season_figure(
            table, units, name)))
    frames = [p for p in season_figure(table, units, table.index[2]).axes[0].patches
              if p.get_visible() and p.get_gid() == "frame"]
    assert len(frames) == 1 and frames[0].get_y() == 2


# --- the tool -----------------------------------------------------------------------------
@pytest.fixture
def tool():
    import ovop_course

    return ovop_course.tool("raw_materials")


def test_tool_starts_on_the_lesson_case(tool):
    r = tool.result
    assert tool.error is None
    assert (r.material_id, r.production_months, r.storage, r.storage_life_days) == \
        ("sea_buckthorn_garden", tuple(ALL), True, 270)
    assert r.stable_supply == pytest.approx(9520 / 12)
    assert r.product.startswith("Облепиховый нектар") and r.max_monthly_output == 2644
    summary = tool.output.children[0].value
    assert "793 кг" in summary and "2\xa0644" in summary
    assert "Цена скачет" in tool.output.children[1].value


def test_tool_follows_its_controls(tool):
    tool.set(storage=False)
    assert tool.result.stable_supply == 0 and tool.result.max_monthly_output == 0
    tool.set(storage=True, production_months=(9, 10, 11, 12, 1, 2))
    # March and April berries, frozen, still serve September to November: the whole year counts
    assert tool.result.stable_supply == pytest.approx(9520 / 6)
    tool.set(storage_loss_share=0.05)
    assert tool.result.storage_loss_share == 0.05 and tool.result.stable_supply < 9520 / 6
    # the control holds the share the workbook saves (the slider shows it in percent)
    assert tool.to_section(tool.result, None).storage_loss_share == 0.05
    tool.set(planned_use=5000)
    assert "over_harvest" in [r.kind for r in tool.result.risks]
    assert "не хватает" in tool.output.children[0].value


def test_choosing_a_material_brings_its_life_and_products(tool):
    tool.set(material_id="honey")
    assert tool.controls["storage_life_days"].number() == 730 and tool.result.life_months == 12
    # every product whose recipe names honey, in the recipe's order (the nectar first)
    recipe, ideas = load_table("lesson/recipe"), load_table("lesson/product_ideas")
    names = dict(zip(ideas["idea_id"], ideas["idea"]))
    with_honey = [names[p] for p in recipe.loc[recipe["material_id"] == "honey", "product_id"]]
    assert with_honey[0] == "Облепиховый нектар с мёдом, 0,5 л"
    assert [v for _, v in tool.controls["product"].options][1:] == with_honey
    assert tool.controls["product"].value == with_honey[0]
    assert tool.result.stable_supply == pytest.approx(5600 * 0.7 / 12)
    tool.set(material_id="apricot")
    assert tool.controls["product"].value == "" and tool.result.max_monthly_output is None
    assert "выберите продукт" in tool.output.children[0].value
    assert "one_month" in [r.kind for r in tool.result.risks]


def test_supply_chart_is_redrawn_when_the_plan_changes(tool):
    tabs = tool.output.children[2]
    supply = tabs.children[0]
    before = supply.value
    assert before[:5] == b"<?xml"
    tool.set(planned_use=700)
    assert supply.value not in (before, b"")
    tool.set(planned_use=500)  # back to inputs drawn before: the same picture
    assert supply.value == before
    tool.set(storage=False, product="")  # not on the chart: it stays
    assert supply.value == before


def test_hidden_tabs_are_drawn_when_opened(tool):
    tabs = tool.output.children[2]
    season, price = tabs.children[1:]
    assert [tabs.get_title(i) for i in range(3)] == \
        ["Запас и нехватка", "Сезонный календарь", "Цены по месяцам"]
    assert season.value == b"" and price.value == b""  # not drawn until opened
    tabs.selected_index = 2
    assert price.value[:5] == b"<?xml" and season.value == b""
    garden = price.value
    tool.set(material_id="honey")  # the open tab follows the material
    assert price.value not in (garden, b"")
    tabs.selected_index = 1
    assert season.value[:5] == b"<?xml"


@pytest.mark.parametrize("control, value, words", [
    ("planned_use", -10, "«Плановый расход сырья в месяц (кг или л)»: -10 — слишком мало. "
                         "Введите число не меньше 0"),
    ("planned_use", float("nan"), "конечное число"),
    ("planned_use", "много", "«много» — не число"),
    ("storage_life_days", "-5", "-5 — слишком мало. Введите число не меньше 1"),
    ("storage_life_days", "30,5", "нужно целое число, а указано 30,5"),
    ("storage_loss_share", "50", "50 — вне допустимого. Введите число от 0 % до 20 %"),
    ("production_months", (), "хотя бы один месяц"),
    ("material_id", "walnut", "не подходит"),
])
def test_bad_values_keep_the_last_good_result(tool, control, value, words):
    good = tool.result
    tool.set(**{control: value})
    assert words in tool.error and tool.result is good
    assert "⚠" in tool.message.value


def test_save_writes_what_step_6_needs(tool, tmp_path, monkeypatch):
    from ovop_course.workbook import load_workbook

    monkeypatch.setenv("OVOP_WORKBOOK", str(tmp_path / "wb.json"))
    load_workbook(create_if_missing={"trainee": "Т", "aiyl_aimak": "А", "region": "Р"})
    tool.set(production_months=(9, 10, 11, 12, 1, 2, 3, 4), planned_use=600)
    assert "Сохранено" in tool.save()
    saved = load_workbook().step02_raw_materials
    assert saved.material_id == "sea_buckthorn_garden" and saved.unit == "кг"
    assert saved.production_months == [1, 2, 3, 4, 9, 10, 11, 12]
    assert saved.stable_supply_no_storage == pytest.approx(240)
    assert saved.stable_supply == saved.stable_supply_with_storage == pytest.approx(9520 / 8)
    assert saved.max_monthly_output == math.floor(9520 / 8 / 0.3)
    assert saved.product_unit == "бутылка 0,5 л" and saved.material_per_unit == 0.3
    assert set(saved.risks) == {"price_swing"} and "1,87" in saved.risks["price_swing"]
    assert saved.mean_price_som == pytest.approx(177.48, abs=0.01)
    assert saved.updated_at is not None


def test_tool_takes_the_trainees_own_data():
    import ovop_course

    materials, months = raw_materials.inventory_from_records([own_record()])
    products = pd.DataFrame({"product": ["Чай из шиповника"], "unit_name": ["пачка 100 г"],
                             "material_id": ["own_1"], "material_per_unit": [0.1]})
    tool = ovop_course.tool("raw_materials", materials=materials, months=months,
                            products=products)
    assert tool.error is None and tool.result.material == "Шиповник"
    tool.set(production_months=(9, 10, 11, 12))
    assert tool.result.max_monthly_output == 975  # 1300 kg × 0.3 / 4 months / 0.1 kg
    broken = ovop_course.tool("raw_materials", materials=materials.drop(columns="unit"),
                              months=months)
    assert "нет столбцов: unit" in broken.error and broken.result is None


def test_exercise_case_agrees_with_the_village_profile_and_the_assignment():
    """Бал-Булак's honey (assignment m03_raw_materials): 840 hives × 15 kg, and the package
    gives the numbers the assignment's hidden tests expect."""
    profile = load_table("exercise/village_profile").set_index("indicator")["value"]
    months = load_table("exercise/raw_material_months")
    volume = months.loc[months["material_id"] == "sainfoin_honey", "volume"]
    assert volume.sum() == profile["hives"] * profile["honey_per_hive"]
    honey = raw_materials.analyse_material(load_table("exercise/raw_materials"), months,
                                           "sainfoin_honey", planned_use=1600 * 0.5,
                                           product={"product": "Мёд", "unit_name": "банка",
                                                    "material_per_unit": 0.5})
    assert honey.stable_supply_no_storage == pytest.approx(60)
    assert honey.stable_supply_with_storage == pytest.approx(630)
    assert honey.max_monthly_output == 1260
    assert [r.kind for r in honey.risks] == ["one_month", "over_harvest"]
    season = raw_materials.analyse_material(load_table("exercise/raw_materials"), months,
                                            "sainfoin_honey", production_months=[6, 7, 8, 9],
                                            storage=False)
    assert season.stable_supply == pytest.approx(420)


def test_two_tools_draw_into_one_supply_figure_each_its_own_plan(tool):
    """Tools of a kernel share one SupplyChart (charts.kept): a tool drawn after another
    tool's different material shows exactly what a chart of its own would show."""
    import ovop_course
    from ovop_course.charts import to_svg
    from ovop_course.charts.raw_materials import SupplyChart

    materials, months = raw_materials.inventory_from_records([own_record(storage_life_days=3000)])
    own = ovop_course.tool("raw_materials", materials=materials, months=months)
    tool.set(planned_use=650)  # a new picture for the lesson's tool, drawn after the own one
    for each in (own, tool):
        shown = each.output.children[2].children[0].value
        alone = to_svg(SupplyChart().show(each.result))
        assert drawn(shown) == drawn(alone)


# --- bad values: every class refused, none read as something else ------------------------------

def test_a_dict_of_months_is_read_by_its_months_not_as_its_keys():
    """Read as its keys, {1: 700, …, 12: 800} would be the volumes 1, 2, …, 12."""
    as_dict = {m: v for m, v in zip(ALL, GARDEN_VOLUME)}
    assert raw_materials.sustainable_supply(as_dict, 0.8) == pytest.approx(GARDEN_SUPPLY)
    shuffled = {m: as_dict[m] for m in (12, 1, 11, 2, 10, 3, 9, 4, 8, 5, 7, 6)}
    assert raw_materials.stable_supply_with_storage(shuffled, ALL, 9) == pytest.approx(
        raw_materials.stable_supply_with_storage(GARDEN_VOLUME, ALL, 9))
    by_month = pd.Series(GARDEN_VOLUME, index=range(1, 13))
    assert raw_materials.one_month_risk(by_month) == raw_materials.one_month_risk(GARDEN_VOLUME)


@pytest.mark.parametrize("volume, message", [
    (dict(enumerate(GARDEN_VOLUME)), "это не месяцы 1–12: 0"),
    (set(GARDEN_VOLUME), "12 значений по месяцам"),
    (GARDEN_VOLUME[:11], "а дано 11"),
    ([GARDEN_VOLUME], "а дано 1"),
    (700, "12 значений по месяцам"),
    ([1e308] + GARDEN_VOLUME[1:], "«Объём, месяц 1»: 1e\\+308 — слишком большое число"),
])
def test_volumes_that_are_not_a_year_are_refused(volume, message):
    with pytest.raises(OvopError, match=message):
        raw_materials.sustainable_supply(volume, 0.8)


@pytest.mark.parametrize("months, message", [
    ({9: True, 10: False}, "нужен список номеров месяцев"), ([], "хотя бы один месяц"),
    ([13], "не больше 12"), ([True], "не число"), ("9, 10", "нужен список номеров месяцев"),
])
def test_production_months_are_month_numbers_never_a_dict(months, message):
    """A dict month → yes/no would be read by its keys: {10: False} would choose October."""
    with pytest.raises(OvopError, match=message):
        raw_materials.check_months(months)


@pytest.mark.parametrize("days", [0, -5, 0.5, 1e308])
def test_a_storage_life_of_zero_or_less_is_refused(days):
    with pytest.raises(OvopError, match="«Срок хранения, дней»"):
        raw_materials.storage_months(days)
    with pytest.raises(OvopError, match="storage_life_days"):
        raw_materials.inventory_from_records([own_record(storage_life_days=days)])


def test_a_life_under_60_days_is_one_month():
    """k = ⌊L / 30⌋: 45 days do not carry material into the next month; 60 days do."""
    assert [raw_materials.storage_months(d) for d in (1, 29, 30, 45, 59, 60, 89, 90)] == [
        1, 1, 1, 1, 1, 2, 2, 3]


@pytest.mark.parametrize("source_type", ["Дикорос", "дикорос ", "wild", None, ["дикорос"]])
def test_a_misspelt_source_type_is_refused_not_silently_farmed(source_type):
    """Read as written, «Дикорос» is not «дикорос» and the wild-share rule would be dropped."""
    with pytest.raises(OvopError, match="«Источник сырья \\(source_type\\)»: .* не из списка"):
        raw_materials.over_harvest_risks(100, 793.3, 0.6, source_type, "кг")
    with pytest.raises(OvopError, match="«Единица сырья \\(unit\\)»"):
        raw_materials.over_harvest_risks(100, 793.3, 0.6, "дикорос", "КГ")


def test_storage_yes_or_no_is_never_text():
    materials, months = lesson()
    with pytest.raises(OvopError, match="«Хранить запас .*нужно True \\(да\\) или False"):
        raw_materials.analyse_material(materials, months, "honey", storage="нет")
    with pytest.raises(OvopError, match="Продукт: нужен словарь"):
        raw_materials.analyse_material(materials, months, "honey", product="Мёд")


def test_huge_supply_is_refused_at_once_and_large_supply_is_searched_quickly():
    """Volumes of 1e308 made the year's supply infinite and the bisection never ended."""
    with pytest.raises(OvopError, match="слишком большое число"):
        raw_materials.stable_supply_with_storage([1e308] * 6 + [0] * 6, range(1, 9), 6)
    start = time.perf_counter()
    large = raw_materials.stable_supply_with_storage([1e15] * 6 + [0] * 6, range(1, 9), 6)
    assert time.perf_counter() - start < 2
    assert large == pytest.approx(6e15 / 8, rel=1e-6)


def test_a_division_by_a_tiny_number_is_refused_not_an_overflow():
    with pytest.raises(OvopError, match="«Наибольший выпуск продукта в месяц»: получилось ∞"):
        raw_materials.max_output(10, 1e-320)
    with pytest.raises(OvopError, match="получилось .* больше 10¹⁵"):
        raw_materials.max_output(1e15, 0.5)


def test_a_price_of_zero_is_no_price_in_the_mean_and_in_the_swing_rule():
    """The decision of docs/formulas.md: 0 means «no purchase price this month» (nothing
    bought, a gift, not known) — the same as an empty cell, in both rules."""
    with_zero = [0, 250, 260, 270, 0, 0, 0, 0, 150, 150, 170, 240]
    empty = [None, 250, 260, 270, None, None, None, None, 150, 150, 170, 240]
    # by hand: (250·480 + 260·400 + 270·240 + 150·2400 + 150·4000 + 170·800 + 240·640) /
    # (480 + 400 + 240 + 2400 + 4000 + 800 + 640)
    expected = (250 * 480 + 260 * 400 + 270 * 240 + 150 * 2400 + 150 * 4000 + 170 * 800
                + 240 * 640) / (480 + 400 + 240 + 2400 + 4000 + 800 + 640)
    assert raw_materials.mean_price(with_zero, GARDEN_SUPPLY) == pytest.approx(expected)
    assert raw_materials.mean_price(empty, GARDEN_SUPPLY) == pytest.approx(expected)
    assert raw_materials.price_swing_risk(with_zero) == raw_materials.price_swing_risk(empty)
    assert raw_materials.price_swing_risk(with_zero).message.startswith(
        "Цена скачет по месяцам: самый дорогой месяц (апрель, 270 сом) в 1,80 раза")
    assert raw_materials.mean_price([0] * 12, GARDEN_SUPPLY) is None
    assert raw_materials.price_swing_risk([0] * 12) is None
    with pytest.raises(OvopError, match="«Закупочная цена, месяц 1»: значение -1 должно быть"):
        raw_materials.mean_price([-1] + empty[1:], GARDEN_SUPPLY)


def test_a_month_row_written_twice_is_refused():
    materials, months = lesson()
    twice = pd.concat([months, months.iloc[[0]]])
    with pytest.raises(OvopError, match="повторяются строки \\(material_id, month\\): "
                                        "sea_buckthorn_wild / 1"):
        raw_materials.check_inventory(materials, twice)
    products = raw_materials.lesson_products()
    with pytest.raises(OvopError, match="повторяются строки \\(product, material_id\\)"):
        raw_materials.check_products(pd.concat([products, products.iloc[[0]]]))


@pytest.mark.parametrize("recipe, batches", [
    (None, None), ("рецепт", load_table("lesson/product_batches")),
    (load_table("lesson/recipe").drop(columns="quantity"), load_table("lesson/product_batches")),
])
def test_material_per_unit_refuses_what_is_not_its_tables(recipe, batches):
    with pytest.raises(OvopError, match="нужна таблица|нет столбцов: quantity"):
        raw_materials.material_per_unit(recipe, batches)


def test_results_are_plain_python_numbers():
    materials, months = lesson()
    a = raw_materials.analyse_material(materials, months, "sea_buckthorn_garden",
                                       planned_use=np.float64(300), product={
                                           "product": "Сок", "unit_name": "бутылка",
                                           "material_per_unit": np.float64(0.3)})
    for name in ("stable_supply_no_storage", "stable_supply_with_storage", "mean_price_som",
                 "planned_use", "storage_loss_share", "material_per_unit"):
        assert type(getattr(a, name)) is float, name
    assert type(a.max_monthly_output) is int and type(a.life_months) is int
    assert all(type(v) is float for v in a.supply + a.volume)
    assert type(raw_materials.max_output(np.float64(100), np.float64(0.3))) is int


# --- what step 2 saved, as a later step reads it ----------------------------------------------
GARDEN = "sea_buckthorn_garden"


def book_with(section: RawMaterialsSection | None = None, use: bool = True,
              **tables) -> Workbook:
    """A workbook with step 2's ``section`` and own ``tables`` (name → frame) kept in it
    (``use``: the tool computes with them)."""
    book = Workbook.new("Т", "А", "Р")
    if section is not None:
        book.put_section("step02_raw_materials", section)
    if tables:
        book.put_own_data("step02_raw_materials",
                          OwnData(tables={k: records(v) for k, v in tables.items()}, use=use))
    return book


def test_the_supply_table_is_step_2s_result_for_every_material():
    table = raw_materials.supply_table(*raw_materials.lesson_inventory())
    assert tuple(table.columns) == raw_materials.SUPPLY_COLUMNS
    assert table.equals(raw_materials.lesson_supply())
    garden = raw_materials.analyse_material(*raw_materials.lesson_inventory(), GARDEN)
    row = table.set_index("material_id").loc[GARDEN]
    assert (row["stable_supply"], row["mean_price_som"]) == pytest.approx(
        (garden.stable_supply, garden.mean_price_som))


def test_saved_supply_takes_the_saved_materials_supply_and_price(tmp_path):
    path = tmp_path / "wb.json"
    saved = RawMaterialsSection(material_id=GARDEN, material="Облепиха", unit="кг",
                                stable_supply=300)                     # no price known
    save_workbook(book_with(saved), path)
    kept = path.read_bytes()
    supply = raw_materials.saved_supply(saved_workbook(path))
    assert supply.origin == "lesson" and supply.section.stable_supply == 300
    assert not supply.lesson and path.read_bytes() == kept              # read, never written
    rows = supply.table.set_index("material_id")
    assert rows.loc[GARDEN, "stable_supply"] == 300 and math.isnan(rows.loc[GARDEN,
                                                                            "mean_price_som"])
    lesson = raw_materials.lesson_supply().set_index("material_id").drop(GARDEN)
    pd.testing.assert_frame_equal(rows.drop(GARDEN), lesson)


def test_saved_supply_of_the_own_tables_kept_in_the_workbook():
    materials, months = raw_materials.lesson_inventory()
    months = months.assign(volume=months["volume"] * 2)
    supply = raw_materials.saved_supply(book_with(materials=materials, months=months))
    assert supply.origin == "tables" and supply.section is None
    expected = raw_materials.supply_table(materials, months)
    assert supply.table["stable_supply"].tolist() == pytest.approx(
        expected["stable_supply"].tolist())
    book = book_with(materials=materials, months=months.iloc[1:])   # a month left out
    assert raw_materials.saved_supply(book).origin == "lesson"     # the tool says what to fix


def test_saved_supply_is_the_lesson_case_without_step_2_in_the_workbook(tmp_path):
    path = tmp_path / "wb.json"
    path.write_text("{не json", encoding="utf-8")
    materials, months = raw_materials.lesson_inventory()
    unused = book_with(use=False, materials=materials, months=months.assign(volume=0))
    empty = book_with()
    empty.put_own_data("step02_raw_materials", OwnData())               # no tables, no result
    for workbook in (None, saved_workbook(path), unused, empty):
        supply = raw_materials.saved_supply(workbook)
        assert supply.lesson and supply.table.equals(raw_materials.lesson_supply())
    assert path.read_text(encoding="utf-8") == "{не json"
