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
import time

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ovop_course.data import load_table
from ovop_course.errors import OvopError
from ovop_course.i18n import set_language
from ovop_course.steps import product
from ovop_course.steps import technology as tech

INVENTED = "учебные данные (условные)"


def table(name: str) -> pd.DataFrame:
    return load_table(f"lesson/{name}")


def russian(message: str) -> bool:
    return any("а" <= c <= "я" for c in message.lower())


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(OvopError) as caught:
        call(*args, **kwargs)
    assert russian(str(caught.value)), str(caught.value)
    return str(caught.value)


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
