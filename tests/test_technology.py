"""Step 6, technology and the cost of the product (ovop_course/steps/technology.py).

The lesson case is recomputed here by hand from the data files — plain Python loops over the
CSV rows, not the course's functions — and compared with the module: labour per unit, the
bottleneck and capacity, depreciation, the cost per unit, the binding limits, break-even, the
peak of the cumulative deficit and the NPV (numpy-financial). Then the bad values a trainee
could type (hypothesis), each of which must be refused with a Russian message, and the
directions the answers must move in (a higher price lowers the break-even, …).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import fields

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from error_helpers import refused
from hypothesis import given, settings
from hypothesis import strategies as st
from own_data_helpers import type_table

import ovop_course
from ovop_course.data import load_table
from ovop_course.fmt import fmt_money, fmt_number, fmt_percent
from ovop_course.i18n import in_language, set_language, t
from ovop_course.steps import product, raw_materials
from ovop_course.steps import technology as tech
from ovop_course.ui import make_tool
from ovop_course.ui._own_data import records
from ovop_course.workbook import (
    MarketFunnelRecord,
    MarketSection,
    OwnData,
    RawMaterialsSection,
    Section,
    TechnologySection,
    TerritorySection,
    load_workbook,
    save_workbook,
)

INVENTED = "учебные данные (условные)"


def table(name: str) -> pd.DataFrame:
    return load_table(f"lesson/{name}")


@pytest.fixture(autouse=True)
def _russian():
    set_language("ru")


# --- the lesson case by hand -------------------------------------------------------------------
def juice_steps() -> list[dict]:
    rows = table("process_steps")
    return [r for r in rows.to_dict("records") if r["product_id"] == "sb_juice"]


def by_hand_mean_price(material_id: str) -> float:
    """Step 2's supply-weighted mean price: Σ p × V / Σ V over months with a price (the
    sustainable share cancels)."""
    months = table("raw_material_months")
    rows = [r for r in months.to_dict("records") if r["material_id"] == material_id
            and r["volume"] > 0 and not pd.isna(r["price_som"])]
    return sum(r["price_som"] * r["volume"] for r in rows) / sum(r["volume"] for r in rows)


def by_hand_som() -> tuple[float, float]:
    """Step 4's lesson SOM (base, 5 %, no export) and the volume-weighted producer price."""
    rows = [r for r in table("market_segments").to_dict("records")
            if r["product_id"] == "sb_juice" and pd.isna(r["entry_requirements"])]
    volume = [r["people"] * r["buyer_share"] * r["purchases_per_year"]
              * r["units_per_purchase"] for r in rows]
    paid = [v * r["price_som"] * (1 - r["channel_margin"]) for v, r in zip(volume, rows)]
    return sum(volume) * 0.05, sum(paid) / sum(volume)


def by_hand_costs() -> dict[str, float]:
    recipe = [r for r in table("recipe").to_dict("records") if r["product_id"] == "sb_juice"]
    raw = sum(r["quantity"] * (by_hand_mean_price(r["material_id"])
                               if isinstance(r["material_id"], str) else r["unit_price_som"])
              for r in recipe if r["kind"] == "сырьё") / 100
    packaging = sum(r["quantity"] * r["unit_price_som"] for r in recipe
                    if r["kind"] == "упаковка") / 100
    labour = sum(r["minutes"] * r["people"] for r in juice_steps()) / 100 / 60 * 150
    energy = 18 / 100 * 3.5
    overheads = (4000 + 1500 + 3000 + 1500) * 12 + 24000 + 6000
    depreciation = 6000 / 5 + 20000 / 10 + 25000 / 5 + 45000 / 8 + 5000 / 5 + 6000 / 5
    return {"raw": raw, "packaging": packaging, "labour": labour, "energy": energy,
            "overheads": overheads, "depreciation": depreciation}


def test_labour_minutes_per_unit_is_the_chart_over_the_batch():
    minutes = sum(r["minutes"] * r["people"] for r in juice_steps())
    assert minutes == 1080
    assert tech.labour_minutes_per_unit(tech.lesson_process(), 100) == pytest.approx(10.8)


def test_bottleneck_and_capacity_by_hand():
    station = {}
    for r in juice_steps():
        key = r["equipment_id"] if isinstance(r["equipment_id"], str) else f"op{r['step_no']}"
        station[key] = station.get(key, 0) + r["minutes"]
    slowest = max(station.values())
    assert slowest == 120 and station["pot_pasteurizer"] == 60 + 60
    cap = tech.lesson_capacity()
    assert set(cap.bottleneck) == {k for k, v in station.items() if v == slowest}
    assert cap.batches_per_day == 480 // slowest == 4
    assert cap.units_per_month == 4 * 22 * 100
    assert cap.lead_minutes == sum(r["minutes"] for r in juice_steps()) == 570
    assert cap.binding == "equipment"


def test_a_second_press_alone_does_not_raise_capacity_and_both_do():
    process = tech.lesson_process()
    one = tech.capacity(process, 100, copies={"press_manual": 2})
    assert one.bottleneck == ("pot_pasteurizer",) and one.batches_per_day == 4
    both = tech.capacity(process, 100, copies={"press_manual": 2, "pot_pasteurizer": 2})
    assert both.bottleneck == ("tanks",) and both.batches_per_day == 480 // 90 == 5


def test_a_small_crew_is_the_bottleneck():
    cap = tech.capacity(tech.lesson_process(), 100, crew=6)
    assert cap.crew_batches == pytest.approx(6 * 480 / 1080)
    assert (cap.binding, cap.batches_per_day) == ("crew", 2)
    refused(tech.capacity, tech.lesson_process(), 100, crew=2)  # washing needs 3 people


def test_industrial_equipment_costs_ten_times_more_and_makes_no_more():
    steps, alts = table("process_steps"), table("process_alternatives")
    equipped = tech.process_with(steps, "sb_juice", alts, tech.LESSON_EQUIPMENT)
    assert int(equipped["person_minutes"].sum()) == 1080 - 2 * 120 + 20 - 2 * 60 + 20
    cap = tech.capacity(equipped, 100)
    assert cap.bottleneck == ("pot_pasteurizer",)
    assert cap.units_per_month == tech.lesson_capacity().units_per_month
    items = tech.equipment_table(table("equipment"), equipped)
    assert set(items["equipment_id"]) == {"scales", "tanks", "juicer_screw", "refractometer",
                                          "pot_pasteurizer", "filling_line"}
    assert float(items["price_som"].sum()) == 107_000 - 25_000 - 6_000 + 450_000 + 600_000


def test_depreciation_is_price_over_life():
    items = tech.equipment_table(table("equipment"), tech.lesson_process())
    assert float(items["price_som"].sum()) == 107_000
    assert float(items["depreciation_som_year"].sum()) == pytest.approx(
        by_hand_costs()["depreciation"])
    assert tech.depreciation(450_000, 10) == 45_000
    assert tech.lesson_plan().depreciation_som_year == pytest.approx(16_025)


def test_cost_per_unit_by_hand():
    c = by_hand_costs()
    units, price = by_hand_som()
    e = tech.lesson_evaluation()
    sheet = e.sheet.set_index("row")
    for key in ("raw", "packaging", "labour", "energy"):
        assert float(sheet.loc[key, "per_unit_som"]) == pytest.approx(c[key]), key
    variable = c["raw"] + c["packaging"] + c["labour"] + c["energy"]
    fixed = c["overheads"] + c["depreciation"]
    assert e.units_year == pytest.approx(units)
    assert e.unit_cost_som == pytest.approx(variable + fixed / units)
    assert float(sheet.loc["total", "per_unit_som"]) == pytest.approx(e.unit_cost_som)
    assert float(sheet.loc["fixed", "per_year_som"]) == pytest.approx(fixed)
    assert e.plan.price_som == pytest.approx(price)
    assert e.margin == pytest.approx((price - e.unit_cost_som) / price)
    assert list(sheet.index) == list(tech.COST_ROWS)
    assert sheet.loc[list(tech.COST_ROWS[:6]), "share"].sum() == pytest.approx(1)


def test_the_step_uses_step_5s_cost_per_unit():
    cost = product.lesson_unit_cost()
    plan = tech.lesson_plan()
    assert (plan.raw_som, plan.packaging_som) == (cost.raw_som, cost.packaging_som)


def test_demand_binds_every_month_of_the_lesson():
    limits = tech.lesson_limits()
    units, _ = by_hand_som()
    shares = dict(zip(table("sales_seasonality").month, table("sales_seasonality").share))
    assert limits["demand"].tolist() == pytest.approx([units * shares[m] for m in range(1, 13)])
    assert (limits["raw_materials"] == math.floor(793.3333333 / 30) * 100).all()
    assert (limits["capacity"] == 8800).all()
    assert (limits["binding"] == "demand").all()
    assert limits["feasible"].tolist() == limits["demand"].tolist()


def test_each_limit_can_bind():
    t = tech.monthly_limits([5, 9, 9, 9] + [9] * 8, [9, 4, 9, 9] + [9] * 8,
                            [9, 9, 3, 9] + [9] * 8, [9, 9, 9, 2] + [9] * 8)
    assert t["binding"].tolist()[:5] == ["capacity", "raw_materials", "demand", "labour",
                                         "capacity"]
    assert t["feasible"].tolist()[:4] == [5, 4, 3, 2]


def test_break_even_by_hand():
    c = by_hand_costs()
    _, price = by_hand_som()
    variable = c["raw"] + c["packaging"] + c["labour"] + c["energy"]
    fixed = c["overheads"] + c["depreciation"]
    e = tech.lesson_evaluation()
    assert e.break_even.units == pytest.approx(fixed / (price - variable))
    assert e.break_even.units_whole == math.ceil(fixed / (price - variable))
    assert e.break_even.revenue_som == pytest.approx(fixed / (price - variable) * price)
    assert tech.break_even(12_000, 250, 130) == tech.BreakEven(100.0, 100, 25_000.0)
    assert e.break_even_price_som == pytest.approx(e.unit_cost_som)


def by_hand_year():
    """The first year: Sept–Nov make a third of the year's sales each; sales by season."""
    c = by_hand_costs()
    units, price = by_hand_som()
    variable = c["raw"] + c["packaging"] + c["labour"] + c["energy"]
    shares = dict(zip(table("sales_seasonality").month, table("sales_seasonality").share))
    total, deficit, worst, month_of_worst, operating, stock = 0.0, 0.0, 0.0, None, 0.0, 0.0
    for month in [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8]:
        made = units / 3 if month in (9, 10, 11) else 0.0
        sold = min(units * shares[month], stock + made)
        stock += made - sold
        flow = sold * price - made * variable - c["overheads"] / 12
        operating += flow
        total += flow - (107_000 if month == 9 else 0)
        if total < worst:
            worst, month_of_worst = total, month
        deficit = min(deficit, operating)
    return -worst, month_of_worst, -deficit, operating


def test_working_capital_peak_by_hand():
    peak, month, working, _ = by_hand_year()
    year = tech.lesson_evaluation().year
    assert year.peak_month == month == 11
    assert year.peak_deficit_som == pytest.approx(peak)
    assert year.working_capital_som == pytest.approx(working)
    assert year.peak_deficit_som == pytest.approx(year.working_capital_som + 107_000)
    assert year.sold_units == pytest.approx(by_hand_som()[0]) and year.lost_units == 0
    table_ = year.table
    assert table_["cumulative_som"].iloc[-1] == pytest.approx(table_["net_som"].sum())


def test_npv_by_hand_with_numpy_financial():
    _, _, _, operating = by_hand_year()
    flows = [-107_000.0] + [operating] * 10
    flows[5] -= 6000 + 25000 + 5000 + 6000  # scales, press, refractometer, capper: 5 years
    flows[8] -= 45000                        # the pot: 8 years
    flows[10] += 45000 * 6 / 8               # the second pot, 2 years old, at book value
    e = tech.lesson_evaluation()
    assert e.flows == pytest.approx(flows)
    assert e.appraisal.npv_som == pytest.approx(npf.npv(0.15, flows))
    assert e.appraisal.irr == pytest.approx(npf.irr(flows), rel=1e-6)
    assert 1 < e.appraisal.payback_years < 1.1


def test_the_equipped_scenario_loses_money_the_simple_one_makes():
    table_ = tech.lesson_comparison().set_index("scenario")
    simple, equipped = table_.loc["simple"], table_.loc["equipped"]
    assert equipped["investment_som"] > 10 * simple["investment_som"]
    assert equipped["labour_minutes"] < simple["labour_minutes"]
    assert equipped["unit_cost_som"] > simple["unit_cost_som"]
    assert equipped["break_even_units"] > simple["break_even_units"]
    assert equipped["money_at_risk_som"] > 100 * simple["money_at_risk_som"]
    assert equipped["npv_som"] < 0 < simple["npv_som"]
    assert equipped["capacity_units_month"] == simple["capacity_units_month"]


def test_money_at_risk_by_hand():
    e = tech.lesson_evaluation()
    c = by_hand_costs()
    units, price = by_hand_som()
    variable = c["raw"] + c["packaging"] + c["labour"] + c["energy"]
    surplus = ((price - variable) * units - c["overheads"]) / 12
    assert e.money_at_risk_som == pytest.approx(max(0, 107_000 - 12 * surplus))
    assert tech.money_at_risk(1000, 100, 3) == 700
    assert tech.money_at_risk(1000, -100, 3) == 1300
    assert tech.money_at_risk(1000, 100, 20) == 0


def test_tornado_is_sorted_and_matches_the_profit_formula():
    e = tech.lesson_evaluation()
    plan = e.plan
    swings = e.tornado["swing_som"].tolist()
    assert swings == sorted(swings, reverse=True)
    assert e.tornado["factor"].tolist() == ["price", "volume", "raw_price", "labour"]
    row = e.tornado.set_index("factor").loc["price"]
    assert row["swing_som"] == pytest.approx(0.4 * plan.price_som * e.units_year)
    row = e.tornado.set_index("factor").loc["labour"]
    assert row["high_som"] == pytest.approx(e.profit_year_som - 0.2 * 27 * e.units_year)
    assert e.tornado["base_som"].tolist() == pytest.approx([e.profit_year_som] * 4)


def test_markup_is_not_margin_explained():
    text = tech.explain_markup(0.3)
    for number in ("30,0%", "130", "23,1%", "42,9%", "143"):
        assert number in text, number
    assert "100 %" in tech.explain_markup(1.5) or "100" in tech.explain_markup(1.5)
    assert tech.cost_plus_price(100, 0.3) == 130


def test_price_positions_against_step_4():
    inputs = tech.lesson_inputs()
    low, base, high = inputs.producer_price
    assert tech.price_position(base, low, high) == "inside"
    assert tech.price_position(base, inputs.corridor[0], inputs.corridor[2]) == "above"
    refused(tech.price_position, 100, 200, 150)


def test_cvp_lines_cross_at_break_even():
    cvp = tech.cvp_table(12_000, 250, 130, points=5)
    assert cvp["units"].tolist() == [0, 50, 100, 150, 200]
    crossing = cvp[cvp["units"] == 100].iloc[0]
    assert crossing["revenue_som"] == crossing["total_cost_som"] == 25_000
    assert (cvp["fixed_som"] == 12_000).all()


def test_saved_results_are_plain():
    saved = tech.lesson_results().as_dict()
    assert set(saved) >= {"unit_cost_som", "price_som", "break_even_units",
                          "working_capital_som", "capacity_units_month",
                          "labour_minutes_per_unit"}
    assert len(saved["capacity_units_month"]) == 12
    for key, value in saved.items():
        assert not isinstance(value, np.generic), key
    assert saved["labour_minutes_per_unit"] == pytest.approx(10.8)


def test_an_irr_that_does_not_exist_is_a_message():
    a = tech.appraisal(0.1, [-100, 230, -132])
    assert a.irr is None and "10,0% и 20,0%" in a.irr_message
    e = tech.evaluate(tech.lesson_plan(), price_som=130)  # loses money every year
    assert e.appraisal.irr is None or e.appraisal.irr < 0
    assert e.appraisal.npv_som < 0


def test_year_plan_rules():
    plan = tech.year_plan([100] * 12, [1, 2], 10, 4, 100, investment_som=500)
    t = plan.table
    assert t["made"].tolist() == [600, 600] + [0] * 10
    assert t["stock"].iloc[-1] == 0 and plan.closing_stock_units == 0
    assert plan.working_capital_som == 3000 and plan.peak_deficit_som == 3500
    late = tech.year_plan([100] * 12, [11, 12], 10, 4, 100, start_month=1)
    assert late.lost_units == 1000  # nothing to sell before November
    capped = tech.year_plan([100] * 12, [1, 2, 3], 10, 4, 0, output_cap=[100] + [1000] * 11)
    assert capped.table["made"].tolist()[:3] == [100, 550, 550]
    assert tech.year_plan([1] * 12, [1, 2, 12], 10, 4, 0).start_month == 12


# --- the data --------------------------------------------------------------------------------
def test_new_lesson_tables_hold_together():
    steps = table("process_steps")
    equipment = table("equipment").set_index("equipment_id")
    for r in table("process_alternatives").itertuples():
        assert ((steps.product_id == r.product_id) & (steps.step_no == r.step_no)).any()
        assert r.equipment_id in equipment.index
        used = equipment.loc[r.equipment_id, "used_for"].split(";")
        assert r.product_id in used or "все" in used
    season = table("sales_seasonality")
    for _, rows in season.groupby("product_id"):
        assert sorted(rows.month) == list(range(1, 13))
        assert rows.share.sum() == pytest.approx(1)
    assert table("overheads").overhead_id.is_unique
    reference = table("reference_indicators").set_index("indicator_id")
    assert 0 < reference.loc["discount_rate", "value"] < 1
    assert reference.loc["labour_rate", "source"].startswith("mts.kg; akchabar.kg")
    for name in ("process_alternatives", "sales_seasonality"):
        assert (table(name).source == INVENTED).all()


# --- bad values are refused in Russian -----------------------------------------------------------
JUNK = [None, "12", "нет", float("nan"), float("inf"), -float("inf"), 1e308, -1e308, True,
        [1.0], {"a": 1}, b"1"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["hours_per_day", "working_days", "units_per_batch", "crew"]),
       st.sampled_from(JUNK + [0, -1, 0.5, 25, 1e16, 1e-320]))
def test_capacity_refuses_bad_numbers(name, value):
    kwargs = {"hours_per_day": 8, "working_days": 22, "units_per_batch": 100, "crew": None}
    kwargs[name] = value
    if value is None and name == "crew" or value == 25 and name != "hours_per_day":
        return  # no crew limit; 25 days, units or people are fine
    units = kwargs.pop("units_per_batch")
    refused(tech.capacity, tech.lesson_process(), units, **kwargs)


@pytest.mark.parametrize("copies", ["pot_pasteurizer", [("pot", 2)], {"pot": 2},
                                    {"pot_pasteurizer": 0}, {"pot_pasteurizer": 1.5},
                                    {"pot_pasteurizer": "2"}, {"op8": 2}, {5: 2}])
def test_capacity_refuses_bad_copies(copies):
    refused(tech.capacity, tech.lesson_process(), 100, copies=copies)


@st.composite
def damaged_tables(draw, name, key):
    frame = table(name)
    how = draw(st.sampled_from(["drop", "duplicate", "junk", "empty", "not a table"]))
    if how == "drop":
        return frame.drop(columns=draw(st.sampled_from(key)))
    if how == "duplicate":
        return pd.concat([frame, frame.iloc[[0]]])
    if how == "junk":
        column = draw(st.sampled_from(key))
        frame[column] = frame[column].astype(object)
        frame.iloc[0, frame.columns.get_loc(column)] = draw(st.sampled_from(
            [None, float("nan"), float("inf"), 1e308, -5, True]))
        return frame
    if how == "empty":
        return frame.iloc[0:0]
    return draw(st.sampled_from([None, "таблица", frame.to_dict("records"), 5]))


@settings(max_examples=40, deadline=None)
@given(damaged_tables("process_steps", ["step_no", "minutes", "people"]))
def test_process_with_refuses_damaged_charts(steps):
    refused(tech.process_with, steps, "sb_juice")


@settings(max_examples=30, deadline=None)
@given(damaged_tables("equipment", ["equipment_id", "price_som", "lifetime_years"]))
def test_equipment_table_refuses_damaged_tables(equipment):
    refused(tech.equipment_table, equipment, tech.lesson_process())


@settings(max_examples=30, deadline=None)
@given(damaged_tables("overheads", ["overhead_id", "amount_som", "per"]))
def test_overheads_refuse_damaged_tables(overheads):
    refused(tech.overheads_per_year, overheads)


@settings(max_examples=30, deadline=None)
@given(damaged_tables("sales_seasonality", ["month", "share"]))
def test_seasonality_refuses_damaged_tables(season):
    refused(tech.season_shares, season, "sb_juice")


def test_process_with_refuses_unknown_products_and_equipment():
    steps, alts = table("process_steps"), table("process_alternatives")
    refused(tech.process_with, steps, "SB_JUICE")
    refused(tech.process_with, steps, "sb_juice", alts, ["juicer"])
    refused(tech.process_with, steps, "sb_juice", None, ["juicer_screw"])
    refused(tech.process_with, steps, "sb_juice", alts, "juicer_screw")
    two = pd.concat([alts, alts.iloc[[0]].assign(equipment_id="press_manual")])
    refused(tech.process_with, steps, "sb_juice", two, ["juicer_screw", "press_manual"])
    two = pd.concat([steps, steps.assign(product_id="sb_jam")])
    refused(tech.labour_minutes_per_unit, two, 100)  # two products in one chart


MONTH_JUNK = [[1] * 11, [1] * 13, {1: 1}, {m: 1 for m in range(12)}, set(range(12)),
              [[1] * 12], "1, 2", None, [float("nan")] * 12, [1e308] * 12, [-1] * 12,
              [True] * 12]


@pytest.mark.parametrize("values", MONTH_JUNK, ids=repr)
def test_monthly_values_are_refused(values):
    refused(tech.monthly_limits, values, 1, 1, 1)
    if values is not None:  # None: nothing known, even by month
        refused(tech.demand_by_month, 1200, values)
    refused(tech.labour_limit, values, 10)
    refused(tech.year_plan, values, [9], 200, 100, 1000)


@pytest.mark.parametrize("months", [[], [0], [13], [1.5], ["9"], [True], {9: True}, None, 9])
def test_bad_production_months_are_refused(months):
    refused(tech.year_plan, [100] * 12, months, 200, 100, 1000)


def test_seasonality_must_add_up_to_one():
    refused(tech.demand_by_month, 1200, [0.1] * 12)
    season = table("sales_seasonality")
    refused(tech.season_shares, season[season.month != 5], "sb_juice")


NUMBER_JUNK = [None, "12", float("nan"), float("inf"), -1.0, 1e308, True, [1.0]]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 6), st.sampled_from(NUMBER_JUNK))
def test_cost_sheet_refuses_bad_numbers(position, value):
    args = [64.4, 31, 27, 0.63, 150_000, 16_025, 3237.6]
    args[position] = value
    refused(tech.cost_sheet, *args)


def test_tiny_volumes_and_overflow_are_messages():
    refused(tech.cost_sheet, 64, 31, 27, 0.6, 150_000, 16_025, 1e-320)
    refused(tech.cost_sheet, 64, 31, 27, 0.6, 150_000, 16_025, 0)
    refused(tech.break_even_price, 1e15, 1, 1e-10)
    refused(tech.tornado, 1e15, 1, 1, 1, 0, 1e15)


@pytest.mark.parametrize("call", [
    lambda: tech.break_even(100, 50, 60),              # price below variable costs
    lambda: tech.break_even(-1, 250, 130),
    lambda: tech.cvp_table(100, 50, 60),
    lambda: tech.cvp_table(100, 250, 130, points=1),
    lambda: tech.cost_plus_price(100, -1),
    lambda: tech.cost_plus_price(0, 0.3),
    lambda: tech.explain_markup(-0.1),
    lambda: tech.explain_markup("30 %"),
    lambda: tech.tornado(250, 60, 30, 40, 12_000, 150, change=0),
    lambda: tech.tornado(250, 60, 30, 40, 12_000, 150, change=1),
    lambda: tech.money_at_risk(1000, 100, 1.5),
    lambda: tech.money_at_risk(-1, 100),
    lambda: tech.depreciation(1000, 0),
    lambda: tech.appraisal(-1, [-100, 110]),
    lambda: tech.appraisal(0.1, "−100, 110"),
    lambda: tech.project_flows(float("nan"), pd.DataFrame({"price_som": [1],
                                                            "lifetime_years": [1]})),
    lambda: tech.investment_flows(pd.DataFrame({"price_som": [1], "lifetime_years": [0]})),
    lambda: tech.evaluate(tech.lesson_plan(), price_som=float("nan")),
    lambda: tech.evaluate(tech.lesson_plan(), price_som=100),   # below variable costs
    lambda: tech.evaluate(tech.lesson_plan(), prise_som=200),
    lambda: tech.evaluate(tech.lesson_plan(), sales=[0] * 12),
    lambda: tech.evaluate(tech.lesson_plan(), equipment=[("press", 25_000)]),
    lambda: tech.evaluate(tech.lesson_plan(), production_months=[13]),
    lambda: tech.evaluate("plan"),
    lambda: tech.make_plan(product_id="sb_juice"),
    lambda: tech.compare_scenarios([tech.lesson_plan()]),
    lambda: tech.saved_results(None),
])
def test_the_course_refuses_in_russian(call):
    refused(call)


# --- directions --------------------------------------------------------------------------------
PRICES = st.floats(130, 400)


@settings(max_examples=40, deadline=None)
@given(PRICES, PRICES)
def test_a_higher_price_lowers_break_even_and_the_deficit_and_raises_npv(a, b):
    low, high = sorted((a, b))
    plan = tech.lesson_plan()
    x, y = tech.evaluate(plan, price_som=low), tech.evaluate(plan, price_som=high)
    assert y.break_even.units <= x.break_even.units
    assert y.year.peak_deficit_som <= x.year.peak_deficit_som
    assert y.year.working_capital_som <= x.year.working_capital_som
    assert y.appraisal.npv_som >= x.appraisal.npv_som
    assert y.profit_year_som >= x.profit_year_som
    assert y.margin >= x.margin


@settings(max_examples=30, deadline=None)
@given(st.floats(50, 500), st.floats(50, 500))
def test_a_higher_wage_raises_unit_cost_and_break_even(a, b):
    low, high = sorted((a, b))
    plan = tech.lesson_plan()
    x, y = tech.evaluate(plan, wage_som_hour=low), tech.evaluate(plan, wage_som_hour=high)
    assert y.unit_cost_som >= x.unit_cost_som
    assert y.break_even.units >= x.break_even.units


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_higher_fixed_costs_raise_break_even(a, b):
    low, high = sorted((a, b))
    assert tech.break_even(high, 250, 130).units >= tech.break_even(low, 250, 130).units
    assert tech.break_even_price(high, 130, 100) >= tech.break_even_price(low, 130, 100)


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.sampled_from(["scales", "tanks", "press_manual", "refractometer",
                                        "pot_pasteurizer", "capper"]),
                       st.integers(1, 4)), st.sampled_from(["press_manual", "pot_pasteurizer",
                                                            "tanks"]))
def test_another_copy_never_lowers_capacity(copies, extra):
    process = tech.lesson_process()
    before = tech.capacity(process, 100, copies=copies)
    more = dict(copies)
    more[extra] = more.get(extra, 1) + 1
    after = tech.capacity(process, 100, copies=more)
    assert after.batches_per_day >= before.batches_per_day
    assert after.cycle_minutes <= before.cycle_minutes


@settings(max_examples=30, deadline=None)
@given(st.floats(1, 24), st.floats(1, 24))
def test_a_longer_day_never_lowers_capacity(a, b):
    low, high = sorted((a, b))
    process = tech.lesson_process()
    assert (tech.capacity(process, 100, hours_per_day=high).units_per_month
            >= tech.capacity(process, 100, hours_per_day=low).units_per_month)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.01, 0.99))
def test_tornado_swings_are_symmetric_and_sorted(change):
    table_ = tech.tornado(250, 60, 30, 40, 12_000, 150, change=change)
    base = tech.year_profit(250, 130, 12_000, 150)
    assert (table_["base_som"] == base).all()
    assert table_["swing_som"].is_monotonic_decreasing
    for row in table_.itertuples():
        assert (row.low_som + row.high_som) / 2 == pytest.approx(base, abs=1e-6)


# --- speed ---------------------------------------------------------------------------------------
def test_a_slider_move_recomputes_well_under_50_ms():
    plan = tech.lesson_plan()
    tech.evaluate(plan, price_som=190)  # warm: scipy is imported by the first IRR
    times = []
    for price in range(180, 230, 5):
        start = time.perf_counter()
        tech.evaluate(plan, price_som=float(price))
        times.append(time.perf_counter() - start)
    assert sorted(times)[len(times) // 2] < 0.05, times


# --- the tool (ovop_course/ui/technology.py) ---------------------------------------------------

TRAINEE = {"trainee": "Т", "aiyl_aimak": "А", "region": "Р"}
SHOWN = ("cost", "price", "margin", "profit", "break-even", "working-capital", "npv", "risk")


@pytest.fixture(autouse=True)
def _no_workbook(tmp_path, monkeypatch):
    """Every test starts without a workbook: the tool reads steps 1–5 from one."""
    monkeypatch.setenv("OVOP_WORKBOOK", str(tmp_path / "none" / "wb.json"))


@pytest.fixture
def workbook_file(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    load_workbook(create_if_missing=TRAINEE)
    return path


def lesson_tool(**options):
    return make_tool("technology", lesson=True, **options)


def cell(tool, name: str) -> str:
    """The text of one of the key numbers as shown (its bold value and its note)."""
    found = re.search(rf'<td class="ovop-tech-{name}"><b>(.*?)</b><br><small>(.*?)</small>',
                      tool.key.value)
    assert found, name
    return f"{found.group(1)} {found.group(2)}"


def lesson_prices(**changed: float) -> dict[str, float]:
    """Step 2's average prices of the lesson's materials, some changed."""
    supply = product.lesson_supply()
    return {**dict(zip(supply["material_id"], supply["mean_price_som"])), **changed}


def expected(scenario="simple", price=201.6, units=3238, berry=177.5, wage=150.0, rate=0.15):
    """The same settings computed without the tool: step 5's cost at these prices, step 4's
    seasonality times the units, then ``evaluate`` of the lesson plan."""
    recipe, _, batches = product.lesson_recipe()
    raw = product.unit_cost(recipe, batches, "sb_juice",
                            lesson_prices(sea_buckthorn_garden=berry)).raw_som
    shares = tech.season_shares(table("sales_seasonality"), "sb_juice")
    sales = tuple(tech.demand_by_month(units, shares))
    return tech.evaluate(tech.lesson_plans()[scenario], price_som=price, raw_som=raw,
                         sales=sales, wage_som_hour=wage, rate=rate)


def assert_same(shown: tech.Evaluation, e: tech.Evaluation) -> None:
    for name in ("unit_cost_som", "variable_som", "fixed_som_year", "units_year", "margin",
                 "markup", "profit_year_som", "money_at_risk_som", "capital_tied_som",
                 "break_even_price_som"):
        assert getattr(shown, name) == pytest.approx(getattr(e, name)), name
    assert shown.break_even.units_whole == e.break_even.units_whole
    assert shown.year.working_capital_som == pytest.approx(e.year.working_capital_som)
    assert shown.year.peak_month == e.year.peak_month
    assert shown.appraisal.npv_som == pytest.approx(e.appraisal.npv_som)
    assert shown.appraisal.irr == pytest.approx(e.appraisal.irr)


def test_the_lesson_tool_shows_what_evaluate_gives_for_the_same_settings():
    tool = lesson_tool()
    assert tool.error is None and tool.data_error is None
    e = expected()
    assert_same(tool.result.evaluation, e)
    assert cell(tool, "cost").startswith(fmt_money(e.unit_cost_som, 1))
    assert cell(tool, "price").startswith(fmt_money(201.6, 1))
    assert fmt_money(201.6 - e.unit_cost_som, 1) in cell(tool, "margin")
    assert fmt_percent(e.margin) in cell(tool, "margin")
    assert fmt_percent(e.markup) in cell(tool, "margin")
    assert fmt_number(e.break_even.units_whole) in cell(tool, "break-even")
    assert fmt_money(e.break_even.revenue_som) in cell(tool, "break-even")
    assert fmt_money(e.year.working_capital_som) in cell(tool, "working-capital")
    assert "ноябрь" in cell(tool, "working-capital")
    assert fmt_money(e.appraisal.npv_som) in cell(tool, "npv")
    assert fmt_percent(e.appraisal.irr) in cell(tool, "npv")
    assert fmt_money(e.money_at_risk_som) in cell(tool, "risk")
    assert fmt_money(e.profit_year_som) in cell(tool, "profit")
    # the default settings are the lesson plan's, rounded as a trainee reads them
    lesson = tech.lesson_evaluation()
    assert tool.result.evaluation.unit_cost_som == pytest.approx(lesson.unit_cost_som, rel=1e-3)
    assert tool.result.evaluation.break_even.units_whole == lesson.break_even.units_whole


def test_other_settings_are_evaluated_as_evaluate_does():
    tool = lesson_tool()
    tool.set(scenario="equipped", price_som="230", units_year=3000, mean_price_som=190,
             wage_som_hour=200, rate=0.1)
    assert tool.error is None, tool.error
    assert_same(tool.result.evaluation, expected("equipped", 230, 3000, 190, 200, 0.1))
    # the comparison evaluates the other scenario at the same settings
    assert_same(tool.result.evaluations["simple"], expected("simple", 230, 3000, 190, 200, 0.1))
    assert tool.result.evaluation.plan.bottleneck == ("pot_pasteurizer",)


def test_a_new_price_changes_margin_break_even_working_capital_and_npv():
    tool = lesson_tool()
    before = {name: cell(tool, name) for name in SHOWN}
    old = tool.result
    picture = tool.charts.images["tornado"].value
    tool.set(price_som="230")
    assert tool.error is None
    new = tool.result.evaluation
    assert new.plan.price_som == 230
    assert new.margin > old.evaluation.margin
    assert new.break_even.units < old.evaluation.break_even.units
    assert new.year.working_capital_som < old.evaluation.year.working_capital_som
    assert new.appraisal.npv_som > old.evaluation.appraisal.npv_som
    for name in ("price", "margin", "break-even", "working-capital", "npv", "profit"):
        assert cell(tool, name) != before[name], name
    assert cell(tool, "cost") == before["cost"]   # the price does not change the unit cost
    assert tool.charts.images["tornado"].value != picture
    assert_same(new, expected(price=230))


def test_a_price_typed_as_russians_write_it_is_read():
    tool = lesson_tool()
    tool.set(price_som="212,5")
    assert tool.error is None
    assert tool.result.evaluation.plan.price_som == 212.5
    tool.set(price_som="1 200,5")
    assert tool.result.evaluation.plan.price_som == 1200.5


@pytest.mark.parametrize(("control", "value", "allowed"), [
    ("price_som", "0", "от 0,1 до 10 000 000"),
    ("rate", "80", "от 0 % до 50 %"),
    ("units_year", "-5", "от 1 до"),
    ("change", "90", "от 5 % до 50 %"),
])
def test_a_value_out_of_range_names_the_range_and_keeps_the_last_result(control, value,
                                                                        allowed):
    tool = lesson_tool()
    good, shown = tool.result, tool.key.value
    tool.set(**{control: value})
    error = tool.error.replace("\xa0", " ")
    assert allowed in error and "прежний результат сохранён" in error
    assert tool.result is good and tool.key.value == shown
    assert "Traceback" not in tool.message.value


def test_text_in_a_number_field_says_to_type_a_number():
    tool = lesson_tool()
    good = tool.result
    tool.set(price_som="сто")
    assert "не число" in tool.error and tool.result is good


def test_a_price_at_or_below_the_variable_cost_is_refused_in_russian():
    tool = lesson_tool()
    good = tool.result
    variable = good.evaluation.variable_som
    for price in (round(variable, 1) - 0.1, 50):
        tool.set(price_som=price)
        assert "не покрывает переменные затраты" in tool.error, tool.error
        assert "Поднимите цену" in tool.error and tool.result is good
    tool.set(price_som="201,6")
    assert tool.error is None and tool.result is not good


def test_the_cost_plus_price_is_the_unit_cost_times_one_plus_the_markup():
    tool = lesson_tool()
    tool.set(price_basis="cost_plus", markup="30")
    r = tool.result
    e = r.evaluation
    assert e.plan.price_som == pytest.approx(e.unit_cost_som * 1.3)
    assert e.markup == pytest.approx(0.3) and e.margin == pytest.approx(0.3 / 1.3)
    assert "себестоимость" in cell(tool, "price") and "30%" in cell(tool, "price")
    tool.charts.widget.selected_index = TABS.index("sheet")
    sheet = tool.tables["sheet"].value
    assert "23,1%" in sheet and "не 30,0%" in sheet   # a 30 % markup is a 23 % margin
    tool.set(markup="50")
    assert tool.result.evaluation.plan.price_som == pytest.approx(e.unit_cost_som * 1.5)


def test_the_tornado_follows_its_change_and_is_the_steps_tornado():
    tool = lesson_tool()
    r = tool.result
    e = r.evaluation
    pd.testing.assert_frame_equal(r.tornado, e.tornado)
    tool.set(change="10")
    r = tool.result
    by_hand = tech.tornado(e.plan.price_som, e.plan.raw_som, e.plan.labour_som,
                           e.plan.packaging_som + e.plan.energy_som, e.fixed_som_year,
                           e.units_year, 0.1)
    pd.testing.assert_frame_equal(r.tornado, by_hand)
    assert "−10%" in tool.tables["tornado"].value


TABS = ("tornado", "sheet", "cvp", "cash", "limits", "scenarios")


def test_only_the_open_tab_is_drawn_and_every_tab_shows_its_table():
    tool = lesson_tool()
    assert tool.charts.widget.selected_index == 0
    drawn = {name for name, image in tool.charts.images.items() if image.value}
    assert drawn == {"tornado"}
    assert tool.tables["tornado"].value and not tool.tables["cash"].value
    for number, name in enumerate(TABS):
        tool.charts.widget.selected_index = number
        assert bytes(tool.charts.images[name].value).startswith(b"<?xml"), name
        assert '<div class="ovop-table-box">' in tool.tables[name].value or name == "cvp"
    year = tool.result.evaluation.year
    assert thousands_text(year.table["cumulative_som"].min()) in tool.tables["cash"].value
    limits = tool.tables["limits"].value
    assert "Отжим сока" in limits and "8 800" in limits.replace("\xa0", " ")
    scenarios = tool.tables["scenarios"].value
    assert "Купить оборудование сейчас" in scenarios and "Шнековый пресс" not in scenarios


def thousands_text(value: float) -> str:
    from ovop_course.charts.technology import thousands
    return thousands(value).replace("-", "−")   # the tool writes a negative amount with «−»


def test_the_limits_tab_shows_the_process_capacity_and_which_limit_binds():
    tool = lesson_tool()
    tool.charts.widget.selected_index = TABS.index("limits")
    html = tool.tables["limits"].value
    cap = tech.lesson_capacity()
    assert f"партий в день — {cap.batches_per_day}" in html
    for row in juice_steps():
        assert row["operation"] in html.replace("&quot;", '"')
    assert html.count("✔") == sum(r["control_point"] for r in juice_steps())
    assert html.count(">спрос<") == 12   # the lesson's demand binds every month
    tool.set(scenario="equipped")
    html = tool.tables["limits"].value
    assert "Пастеризация нектара" in html and "Шнековый пресс промышленный" in html


def test_save_writes_the_section_that_reads_back(workbook_file):
    tool = lesson_tool()
    tool.set(price_som="215", scenario="equipped")
    assert "Сохранено" in tool.save()
    saved = load_workbook(workbook_file).step06_technology
    results = tech.saved_results(tool.result.evaluation)
    assert saved.model_dump(exclude=set(Section.model_fields)) == results.as_dict()
    assert saved.scenario == "equipped" and saved.price_som == 215
    assert saved.updated_at is not None and len(saved.capacity_units_month) == 12


def test_the_section_has_the_fields_of_the_steps_results():
    names = set(TechnologySection.model_fields) - set(Section.model_fields)
    assert names == {f.name for f in fields(tech.TechnologyResults)}
    assert TechnologySection(**tech.lesson_results().as_dict()).unit_cost_som == \
        pytest.approx(tech.lesson_results().unit_cost_som)


def test_nothing_is_saved_without_a_result(workbook_file):
    tool = lesson_tool()
    refused(tool.to_section, None, None)
    tool.set(price_som="сто")
    assert "нечего сохранять" in tool.save()
    assert load_workbook(workbook_file).step06_technology is None


# --- the trainee's own tables -----------------------------------------------------------------
def own_process() -> pd.DataFrame:
    """The lesson chart with a slower press (150 minutes) and a second jam product."""
    steps = table("process_steps")
    steps.loc[steps["step_no"] == 3, "minutes"] = 150
    jam = steps[steps["step_no"].isin([1, 2, 6, 8])].copy()
    jam["product_id"] = "sb_jam"
    jam["operation"] = jam["operation"] + " (варенье)"
    return pd.concat([steps, jam], ignore_index=True)


def test_own_tables_as_arguments_are_used():
    steps = own_process()
    overheads = table("overheads")
    overheads.loc[0, "amount_som"] = 6000
    tool = make_tool("technology", process=steps, overheads=overheads)
    assert tool.error is None and tool.data_origin == "arguments"
    juice = steps[steps["product_id"] == "sb_juice"]
    cap = tech.capacity(juice, 100)
    assert cap.bottleneck == ("press_manual",) and cap.batches_per_day == 3
    plan = tool.result.evaluation.plan
    assert plan.capacity_units_month == cap.units_per_month == 6600
    assert plan.overheads_som_year == tech.overheads_per_year(overheads) == 174_000
    assert [value for _, value in tool.controls["product_id"].options] == ["sb_juice", "sb_jam"]
    tool.set(product_id="sb_jam")
    assert tool.error is None, tool.error
    jam = tool.result
    assert jam.evaluation.plan.product_id == "sb_jam"
    assert tool.controls["scenario"].options == ((t("technology.scenario.simple"), "simple"),)
    assert jam.evaluation.plan.price_som == round(jam.inputs.prices[1], 1)   # its own price
    assert jam.inputs.material == "Облепиха садовая" and jam.inputs.units_per_batch == 120


def test_bad_own_tables_say_what_to_fix():
    steps = table("process_steps")
    steps.loc[2, "equipment_id"] = "press_golden"
    tool = make_tool("technology", process=steps)
    assert "press_golden" in tool.error and tool.result is None
    assert "Traceback" not in tool.message.value


def test_own_tables_typed_in_the_panel_give_the_result_of_the_same_arguments(workbook_file):
    steps = own_process()
    by_arguments = make_tool("technology", process=steps).result.saved
    tool = make_tool("technology")
    tool.own_panel.open()
    assert list(tool.own_panel.editors) == list(tool.own_tables)
    type_table(tool.own_panel.editors["process"], steps)
    message = tool.own_panel.apply()
    assert "Применено" in message and "Сохранено" in message, message
    assert tool.data_origin == "panel" and tool.error is None
    assert tool.result.saved == by_arguments
    assert make_tool("technology").data_origin == "workbook"   # kept for the next time
    assert make_tool("technology", lesson=True).data_origin == "lesson"


def test_the_lesson_case_pasted_in_the_panel_gives_the_lesson_result():
    tool = make_tool("technology")
    lesson = tool.result.saved
    tool.own_panel.open()
    for editor in tool.own_panel.editors.values():
        editor.paste_example()
    assert "Применено" in tool.own_panel.apply()
    assert tool.result.saved == lesson


def test_an_empty_process_chart_is_refused_and_the_result_kept():
    tool = make_tool("technology")
    good = tool.result
    tool.own_panel.open()
    type_table(tool.own_panel.editors["overheads"], table("overheads"))
    message = tool.own_panel.apply()
    assert "«Технологическая карта»" in message and "Ничего не изменено" in message
    assert tool.result is good and tool.data_origin == "lesson"


# --- what the earlier steps saved -------------------------------------------------------------
def save_earlier(path, product_id="sb_juice") -> None:
    wb = load_workbook(path)
    now = wb.created_at
    wb.step01_territory = TerritorySection(hours_per_day=8, person_days=[20.0] * 12,
                                           updated_at=now)
    wb.step02_raw_materials = RawMaterialsSection(
        material_id="sea_buckthorn_garden", material="Облепиха садовая", unit="кг",
        production_months=[8, 9, 10, 11], stable_supply=500, mean_price_som=200,
        updated_at=now)
    funnel = MarketFunnelRecord(tam_units=1e5, tam_som=1e7, sam_units=5e4, sam_som=5e6,
                                som_units=4000, som_som=8e5, som_producer_som=7e5)
    wb.step04_market = MarketSection(
        product_id=product_id, product="Нектар", unit="бутылка 0,5 л", unit_size=500,
        unit_size_unit="мл", scenario="base", scenarios={"base": funnel}, price_min_som=180,
        price_base_som=210, price_max_som=240, price_unit="л", competitor_median_price=260,
        competitor_price_low=220, competitor_price_high=300, updated_at=now)
    save_workbook(wb, path)


def test_saved_steps_1_2_and_4_are_used_and_named(workbook_file):
    save_earlier(workbook_file)
    tool = make_tool("technology")
    assert tool.error is None, tool.error
    p = tool.result.inputs
    assert p.person_hours == [160.0] * 12
    assert p.material_price == 200 and p.production_months == (8, 9, 10, 11)
    assert p.raw_units == (500 // 30) * 100
    assert p.som_units == 4000 and p.prices == (180, 210, 240)
    assert p.corridor == pytest.approx((110, 130, 150))
    e = tool.result.evaluation
    assert e.plan.price_som == 210 and sum(e.plan.sales) == pytest.approx(4000)
    # step 1's 160 person-hours a month make 888 bottles a month in the four months
    assert e.units_year == 4 * 888 and "Труд (шаг 1)" in tool.notes.value
    recipe, _, batches = product.lesson_recipe()
    cost = product.unit_cost(recipe, batches, "sb_juice",
                             lesson_prices(sea_buckthorn_garden=200))
    assert e.plan.raw_som == pytest.approx(cost.raw_som)
    labour = tech.labour_limit([160.0] * 12, 10.8)
    assert tool.result.limits["labour"].tolist() == labour
    source = tool.notes.value
    for words in ("Из вашей рабочей тетради", "шаг 1", "шаг 2", "шаг 4", "4 000"):
        assert words in source.replace("\xa0", " "), words
    worked = lesson_tool()   # the lesson's worked example keeps the lesson case
    assert worked.result.inputs.som_units == pytest.approx(tech.lesson_inputs().som_units)
    assert "учебный случай" in worked.notes.value


def test_a_saved_market_of_another_product_is_not_used(workbook_file):
    save_earlier(workbook_file, product_id="sb_candy")
    tool = make_tool("technology")
    assert tool.result.inputs.som_units == pytest.approx(tech.lesson_inputs().som_units)
    assert "шаг 4 —" not in tool.notes.value and "шаг 2 —" in tool.notes.value


def test_a_damaged_workbook_is_the_lesson_case(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    path.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    tool = make_tool("technology")
    assert tool.error is None and tool.result.inputs.from_workbook == ()
    assert path.read_text(encoding="utf-8") == "{not json"


def test_the_lesson_inputs_are_the_steps_lesson_case():
    p = lesson_tool().result.inputs
    i = tech.lesson_inputs()
    assert p.raw_som == pytest.approx(i.raw_som) and p.packaging_som == i.packaging_som
    assert p.raw_units == i.raw_units and p.production_months == i.production_months
    assert p.som_units == pytest.approx(i.som_units) and p.prices == pytest.approx(i.producer_price)
    assert p.corridor == pytest.approx(i.corridor) and p.seasonality == i.seasonality
    assert p.person_hours == i.person_hours
    assert p.energy_som == pytest.approx(tech.energy_cost(i.energy_kwh, i.tariff_som_kwh))
    assert p.material == "Облепиха садовая"
    assert p.material_price == pytest.approx(by_hand_mean_price("sea_buckthorn_garden"))


def test_the_tools_lesson_scenarios_are_the_lessons_and_its_own_computation_agrees():
    lesson = tech.lesson_scenarios()
    tool = lesson_tool()
    assert tool.result.scenario.plan == lesson[tech.SIMPLE].plan   # the lesson's, not a copy
    own = make_tool("technology", process=table("process_steps"),
                    equipment=table("equipment"), overheads=table("overheads"),
                    alternatives=table("process_alternatives"),
                    seasonality=table("sales_seasonality"))
    assert own.data_origin == "arguments"
    for name in (tech.SIMPLE, tech.EQUIPPED):
        computed = own._scenario(tech.LESSON_PRODUCT, name)
        assert computed.plan == lesson[name].plan and computed.use == lesson[name].use
        assert computed.process.equals(lesson[name].process)
        assert computed.raw_units == lesson[name].raw_units


def test_a_plan_evaluated_again_is_not_recomputed_and_each_caller_has_its_own_copy():
    plan = tech.lesson_plan()
    first = tech.evaluate(plan, price_som=211)
    first.sheet.loc[:, "per_unit_som"] = 0.0      # a caller that changes its result …
    hits = tech._evaluated.cache_info().hits
    again = tech.evaluate(plan, price_som=211)
    assert tech._evaluated.cache_info().hits == hits + 1
    assert again.sheet["per_unit_som"].sum() > 0  # … changes nothing for the next one
    assert again.unit_cost_som == pytest.approx(first.unit_cost_som)
    with in_language("en"):                        # texts in the language of the call
        assert tech.evaluate(plan, price_som=211).sheet["item"].tolist() != (
            again.sheet["item"].tolist())


# --- English, screen, speed ------------------------------------------------------------------
def data_words() -> set[str]:
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "data"
    return {word for path in root.rglob("*.csv")
            for word in re.findall(r"[А-Яа-яЁё]+", path.read_text(encoding="utf-8"))}


def test_in_english_every_text_is_english_but_the_data():
    with in_language("en"):
        tool = lesson_tool()
        texts = [tool.key.value, tool.notes.value]
        for number, name in enumerate(TABS):
            tool.charts.widget.selected_index = number
            texts.append(tool.tables[name].value)
        texts += [c.description for c in tool.controls.values()]
        texts += list(tool.charts.widget.titles)
        tool.set(price_som="50")
        assert "variable cost" in tool.error
    words = {w for text in texts for w in re.findall(r"[А-Яа-яЁё]+", text)}
    assert words <= data_words(), sorted(words - data_words())
    assert "Unit cost" in texts[0] and "Working capital" in texts[0]


def test_russian_and_english_have_the_same_technology_keys():
    from ovop_course.i18n import catalogue
    ru = {k for k in catalogue("ru") if k.startswith(("technology.", "own_data.table.technology"))}
    en = {k for k in catalogue("en") if k.startswith(("technology.", "own_data.table.technology"))}
    assert ru == en


def test_the_tool_is_cheap_to_build_and_quick_to_recompute(monkeypatch):
    import ipywidgets as widgets
    lesson_tool()   # warm: the lesson case, scipy, the kept tornado
    opened, original = [], widgets.Widget.open

    def counted(self):   # every widget model opens its comm once
        opened.append(type(self).__name__)
        original(self)

    monkeypatch.setattr(widgets.Widget, "open", counted)
    tool = lesson_tool()
    assert len(opened) <= 70, sorted(opened)   # widget models of one tool
    times = []
    for price in range(180, 240, 4):
        start = time.perf_counter()
        tool.set(price_som=price)
        times.append(time.perf_counter() - start)
    assert tool.error is None
    assert sorted(times)[len(times) // 2] < 0.1, times   # the tornado redrawn each time


def test_the_tool_is_what_ovop_course_tool_returns():
    tool = ovop_course.tool("technology", lesson=True)
    assert tool.name == "technology" and tool.section == "step06_technology"
    assert tool.result.saved == lesson_tool().result.saved
    assert raw_materials.check_months(tool.result.inputs.production_months) == (9, 10, 11)


# --- the «Свои данные» panel of the tool (tests/test_own_data.py checks the other tools) -------
def test_every_own_table_column_has_headers_an_explanation_and_is_in_view():
    import base64
    import io

    import openpyxl

    from ovop_course.ui._own_data import GRID_PX, explain, header, table_title

    for language in ("ru", "en"):
        with in_language(language):
            tool = make_tool("technology")
            for name, spec in tool.own_tables.items():
                headers = [header(c, language) for c in spec.columns]
                assert len(set(headers)) == len(headers), (name, language)
                assert len(table_title("technology", name, language)) <= 24
                for column in spec.columns:
                    assert all(explain(spec, column)), (name, column, language)
            tool.own_panel.open()
            for editor in tool.own_panel.editors.values():
                for number in range(len(editor.pages)):
                    editor.show_page(number)
                    assert int(editor.grid.layout.width.removesuffix("px")) <= GRID_PX
    link = re.search(r'href="data:[^;]+;base64,([^"]+)"', tool.own_panel.link.value).group(1)
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(link)))
    assert book.sheetnames[:5] == [table_title("technology", n, "en") for n in tool.own_tables]


def test_the_excel_template_filled_and_uploaded_is_applied(workbook_file):
    import base64
    import io

    import openpyxl

    from ovop_course.ui._own_data import table_title

    steps = own_process()
    expected = make_tool("technology", process=steps).result.saved
    tool = make_tool("technology")
    tool.own_panel.open()
    link = re.search(r'href="data:[^;]+;base64,([^"]+)"', tool.own_panel.link.value).group(1)
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(link)))
    sheet = book[table_title("technology", "process")]
    columns = tool.own_tables["process"].columns
    for record in steps.to_dict("records"):
        sheet.append([record.get(c) if record.get(c) == record.get(c) else None
                      for c in columns])
    out = io.BytesIO()
    book.save(out)
    message = tool.own_panel.load_file("мой цех.xlsx", out.getvalue())
    assert "прочитан" in message and "Применено" in message, message
    assert tool.result.saved == expected


def test_a_saved_step_2_that_does_not_fit_the_recipe_is_left_out(workbook_file):
    wb = load_workbook(workbook_file)
    wb.step02_raw_materials = RawMaterialsSection(
        material_id="sea_buckthorn_garden", material="Облепиха садовая", unit="л",
        production_months=[8], stable_supply=500, mean_price_som=200, updated_at=wb.created_at)
    save_workbook(wb, workbook_file)
    tool = make_tool("technology")
    assert tool.error is None and tool.data_error is None
    assert tool.result.inputs.production_months == (9, 10, 11)
    assert "Из вашей рабочей тетради" not in tool.notes.value


def test_a_price_between_the_two_variable_costs_leaves_one_scenario_out_of_the_comparison():
    tool = lesson_tool()
    tool.set(scenario="equipped", price_som="120")   # equipped V ≈ 115, by hand V ≈ 123
    assert tool.error is None, tool.error
    assert set(tool.result.evaluations) == {"equipped"}
    assert "не покрывает переменные затраты" in tool.result.refused["simple"]
    assert "«Начать просто, вручную» при этой цене не посчитан" in tool.notes.value
    tool.charts.widget.selected_index = TABS.index("scenarios")
    assert "Купить оборудование сейчас" in tool.tables["scenarios"].value


# --- a product of the trainee's own, typed into step 5 ----------------------------------------

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


def kurut_chart(product_id: str = "kurut") -> pd.DataFrame:
    """A process chart of the trainee's own: other operations, step numbers 10, 20, 30."""
    return pd.DataFrame([
        {"product_id": product_id, "step_no": 10, "operation": "Приёмка молока", "minutes": 20,
         "people": 1, "equipment_id": "scales", "control_point": True,
         "control_rule": "Молоко без запаха", "source": "своя карта"},
        {"product_id": product_id, "step_no": 20, "operation": "Сквашивание и отжим",
         "minutes": 90, "people": 2, "equipment_id": None, "control_point": False,
         "source": "своя карта"},
        {"product_id": product_id, "step_no": 30, "operation": "Сушка и фасовка", "minutes": 60,
         "people": 2, "equipment_id": None, "control_point": False,
         "source": "своя карта"}])


def keep_step5(path, **tables) -> None:
    wb = load_workbook(path)
    wb.put_own_data("step05_product", OwnData(tables={k: records(v) for k, v in tables.items()}))
    save_workbook(wb, path)


def test_an_own_product_typed_in_step_5_is_offered_and_costed(workbook_file):
    keep_step5(workbook_file, recipe=KURUT_RECIPE, losses=KURUT_LOSSES, batches=KURUT_BATCH)
    steps = pd.concat([table("process_steps"), kurut_chart()], ignore_index=True)
    both = make_tool("technology", process=steps)   # the lesson's chart and the trainee's
    assert both.data_error is None and both.error is None, (both.data_error, both.error)
    assert [value for _, value in both.controls["product_id"].options][-1] == "kurut"
    assert both.result.inputs.raw_som == pytest.approx(tech.lesson_inputs().raw_som)
    both.set(product_id="kurut")
    assert both.error is None, both.error
    saved = product.saved_recipe(load_workbook(workbook_file))
    cost = product.unit_cost(saved.recipe, saved.batches, "kurut", raw_materials.lesson_supply())
    milk = by_hand_mean_price("raw_milk")
    for tool in (both, make_tool("technology", process=kurut_chart())):
        assert tool.data_error is None and tool.error is None, (tool.data_error, tool.error)
        p = tool.result.inputs
        assert p.product_id == "kurut" and p.unit == "пакет 200 г" and p.units_per_batch == 40
        assert p.raw_som == pytest.approx(cost.raw_som) == pytest.approx((50 * milk + 20) / 40)
        assert p.packaging_som == pytest.approx(5)
        assert p.energy_som == pytest.approx(tech.energy_cost(
            6 / 40, tech.lesson_inputs().tariff_som_kwh))
        assert p.material == "Молоко коровье" and p.material_price == pytest.approx(milk)
        e = tool.result.evaluation
        assert e.plan.units_per_batch == 40 and e.plan.raw_som == pytest.approx(
            p.raw_at(tool.result.material_price)) == pytest.approx(cost.raw_som, rel=1e-2)
        assert "шаг 5 — рецептура и партия (40 × «пакет 200 г»)" in tool.notes.value


def test_a_chart_product_without_a_step_5_recipe_is_named_not_a_traceback():
    tool = make_tool("technology", process=kurut_chart())
    assert "kurut" in tool.data_error and "шаг" in tool.data_error
    steps = pd.concat([table("process_steps"), kurut_chart()], ignore_index=True)
    tool = make_tool("technology", process=steps)
    assert tool.data_error is None and tool.error is None
    assert "kurut" not in [value for _, value in tool.controls["product_id"].options]
    assert "kurut" in tool.notes.value


# --- optional tables left out, with a chart of the trainee's own -----------------------------
OPTIONAL = ("equipment", "overheads", "alternatives", "seasonality")
LESSON_FILES = {"equipment": "equipment", "overheads": "overheads",
                "alternatives": "process_alternatives", "seasonality": "sales_seasonality"}


@pytest.mark.parametrize("left_out", [*OPTIONAL, "all"])
def test_an_own_chart_works_with_each_optional_table_left_out(left_out):
    given = {name: table(LESSON_FILES[name]) for name in OPTIONAL
             if name != left_out and left_out != "all"}
    tool = make_tool("technology", process=kurut_chart("sb_juice"), **given)
    assert tool.data_error is None and tool.error is None, (tool.data_error, tool.error)
    assert tool.result.evaluation.units_year > 0
    # no alternative fits steps 10, 20, 30: «start simple» only, and the tool says why
    assert tool.controls["scenario"].options == ((t("technology.scenario.simple"), "simple"),)
    assert t("technology.no_alternatives") in tool.notes.value.replace("&quot;", '"').replace(
        "&#x27;", "'")
    for number in range(len(TABS)):
        tool.charts.widget.selected_index = number
    assert "Сушка и фасовка" in tool.tables["limits"].value


def test_optional_tables_without_rows_are_no_alternatives_or_the_lessons():
    empty = {name: table(LESSON_FILES[name]).iloc[:0] for name in OPTIONAL}
    tool = make_tool("technology", process=table("process_steps"), **empty)
    assert tool.data_error is None and tool.error is None, (tool.data_error, tool.error)
    assert tool.controls["scenario"].options == ((t("technology.scenario.simple"), "simple"),)
    plan = tool.result.evaluation.plan
    assert plan.overheads_som_year == tech.overheads_per_year(table("overheads"))
    assert tool.result.inputs.seasonality == tech.lesson_inputs().seasonality
    # the lesson's alternatives fit the lesson's chart: both scenarios
    lesson = make_tool("technology", process=table("process_steps"))
    assert len(lesson.controls["scenario"].options) == 2


def test_own_alternatives_for_the_own_chart_offer_the_equipped_scenario():
    alternatives = pd.DataFrame([{"product_id": "sb_juice", "step_no": 20,
                                  "equipment_id": "juicer_screw", "minutes": 30, "people": 1}])
    tool = make_tool("technology", process=kurut_chart("sb_juice"), alternatives=alternatives)
    assert tool.data_error is None and len(tool.controls["scenario"].options) == 2
    tool.set(scenario="equipped")
    assert tool.error is None and tool.result.scenario.use == ("juicer_screw",)


# --- texts: the source note, the minus sign, money at risk -----------------------------------
def test_the_lesson_source_note_names_steps_1_to_5():
    notes = lesson_tool().notes.value
    assert "Сохраните шаги 1–5" in notes and "1–4" not in notes
    with in_language("en"):
        assert "Save steps 1–5" in lesson_tool().notes.value


def test_negative_money_is_shown_with_a_minus_sign():
    tool = lesson_tool()
    tool.set(price_som="130")                       # above the variable cost, a loss a year
    assert tool.error is None and tool.result.evaluation.profit_year_som < 0
    texts = [tool.key.value, tool.notes.value]
    for number, name in enumerate(TABS):
        tool.charts.widget.selected_index = number
        texts.append(tool.tables[name].value)
    assert cell(tool, "profit").startswith("−")
    for text in texts:
        assert not re.search(r"(?<![\w-])-\d", text), re.search(r".{40}(?<![\w-])-\d.{20}",
                                                                 text)
    assert "−" in tool.tables["cash"].value


def test_money_at_risk_says_what_it_is():
    tool = lesson_tool()
    e = tool.result.evaluation                      # sales earn most of the press back
    shown = cell(tool, "risk").replace("\xa0", " ")
    earned = e.plan.investment_som - e.money_at_risk_som
    assert e.money_at_risk_som <= e.plan.investment_som
    assert "не вернётся из вложений" in shown and fmt_money(earned).replace("\xa0", " ") in shown
    tool.set(price_som="130")                       # a loss a month: risk above the investment
    e = tool.result.evaluation
    assert e.money_at_risk_som > e.plan.investment_som
    shown = cell(tool, "risk").replace("\xa0", " ")
    loss = fmt_money(e.money_at_risk_som - e.plan.investment_som).replace("\xa0", " ")
    assert "из вложений" not in shown and "убыток" in shown and loss in shown
    assert fmt_money(e.plan.investment_som).replace("\xa0", " ") in shown
    with in_language("en"):
        english = lesson_tool()
        english.set(price_som="130")
        assert "loss" in cell(english, "risk") and "of " not in cell(english, "risk")[:4]
