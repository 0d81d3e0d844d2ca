"""Step 6, the finance functions of the cost sheet (``steps/costing.py``).

Expected values are worked out by hand (the arithmetic is written next to each number, the same
cases as docs/formulas.md), by numpy-financial where it has the function (npv always; irr on
flows whose sign changes once), or by a plain reference loop written here — never by calling
the function under test. Bad inputs of every class must be refused with OvopError and a Russian
message, never another exception.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from error_helpers import is_russian
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ovop_course.errors import OvopError
from ovop_course.i18n import in_language, set_language
from ovop_course.steps import costing


@pytest.fixture(autouse=True)
def _russian():
    set_language("ru")


# --- hand-worked cases (docs/formulas.md, step 6) ---------------------------------------------
def test_margin_and_markup_of_100_and_70():
    assert costing.margin(100, 70) == 0.3                    # 30 / 100
    assert costing.markup(100, 70) == pytest.approx(3 / 7)   # 30 / 70 = 0.428571…
    assert costing.markup_from_margin(0.3) == pytest.approx(3 / 7)  # 0.3 / 0.7
    assert costing.margin_from_markup(3 / 7) == pytest.approx(0.3)


def test_a_30_percent_markup_is_a_23_percent_margin():
    assert costing.margin_from_markup(0.3) == pytest.approx(3 / 13)  # 0.3 / 1.3 = 0.230769…
    assert round(costing.margin_from_markup(0.3) * 100, 2) == 23.08
    assert costing.markup(130, 100) == 0.3 and costing.margin(130, 100) == pytest.approx(3 / 13)


def test_margin_and_markup_are_exact_in_decimals():
    assert costing.margin(1, 0.9) == 0.1          # floating point: 0.09999999999999998
    assert costing.markup_from_margin(0.5) == 1.0
    assert costing.margin_from_markup(1) == 0.5
    assert costing.margin(100, 120) == -0.2       # a loss on every unit
    assert costing.margin(100, 0) == 1.0


def test_break_even_of_the_worked_case():
    # 12 000 / (250 − 130) = 12 000 / 120 = 100 units; 100 × 250 = 25 000 som
    assert costing.break_even_units(12_000, 250, 130) == 100.0
    assert costing.break_even_revenue(12_000, 250, 130) == 25_000.0
    # 10 000 / 120 = 83.33… units (the tool shows 84); × 250 = 20 833.33 som
    assert costing.break_even_units(10_000, 250, 130) == pytest.approx(250 / 3)
    assert math.ceil(costing.break_even_units(10_000, 250, 130)) == 84
    assert costing.break_even_revenue(10_000, 250, 130) == pytest.approx(62_500 / 3)
    assert costing.break_even_units(0, 250, 130) == 0.0


@pytest.mark.parametrize("price, variable", [(130, 130), (120, 130), (0.5, 130)])
def test_a_price_not_above_the_variable_cost_is_the_course_error(price, variable):
    with pytest.raises(OvopError, match="цена не покрывает переменные затраты") as e:
        costing.break_even_units(12_000, price, variable)
    assert "130" in str(e.value) and str(price).replace(".", ",") in str(e.value)
    with pytest.raises(OvopError, match="цена не покрывает переменные затраты"):
        costing.break_even_revenue(12_000, price, variable)


def test_a_negative_fixed_cost_is_refused():
    for function in (costing.break_even_units, costing.break_even_revenue):
        with pytest.raises(OvopError, match="постоянные затраты.*отрицательными не бывают"):
            function(-1, 250, 130)


def test_npv_of_the_worked_case():
    # 10 %: −1000 + 500/1.1 + 500/1.21 + 500/1.331 = (−1 331 000 + 605 000 + 550 000
    # + 500 000) / 1331 = 324 000 / 1331 = 243.43 som
    assert costing.npv(0.1, [-1000, 500, 500, 500]) == 324_000 / 1331
    assert costing.npv(0.1, [-100, 110]) == 0.0     # floating point: −1.4e−14
    assert costing.npv(0, [-1000, 300, 400, 500]) == 200.0
    assert costing.npv(0.1, [-1000]) == -1000.0


def test_npv_differs_from_excel_by_one_period():
    # Excel's NPV(r; v1; …; vn) = Σ_{i=1..n} v_i / (1 + r)^i: it discounts its first value too
    flows, rate = [-1000, 500, 500, 500], 0.1
    excel = sum(v / (1 + rate) ** i for i, v in enumerate(flows, start=1))
    assert costing.npv(rate, flows) / (1 + rate) == pytest.approx(excel)
    assert round(excel, 2) == 221.30                     # 243.43 / 1.1
    # the usual Excel formula =f0 + NPV(r; f1; …; fn) is this npv
    rest = sum(v / (1 + rate) ** i for i, v in enumerate(flows[1:], start=1))
    assert flows[0] + rest == pytest.approx(costing.npv(rate, flows))


def test_payback_of_the_worked_case():
    # cumulative −1000, −700, −300, +200: 2 + 300 / 500 = 2.6 years
    assert costing.payback_years([-1000, 300, 400, 500]) == 2.6
    assert costing.payback_years([-1000, 500, 500]) == 2.0     # reaches 0 exactly at t = 2
    assert costing.payback_years([-1000, 300, 300]) is None    # −400 at the end
    assert costing.payback_years([100, 50]) == 0.0             # never negative
    assert costing.payback_years([0, -100, 200]) == 1.5        # −100 at t = 1, 1 + 100 / 200
    assert costing.payback_years([-0.1, -0.2, 0.3]) == 2.0     # 0.1 + 0.2 is 0.3 here
    # a later investment does not move the first payback: −100, +50 (t = 1.5), −50, …
    assert costing.payback_years([-100, 150, -100, 10]) == pytest.approx(100 / 150)


def test_discounted_payback_of_the_worked_case():
    # 10 %: −1000 + 500/1.1 + 500/1.21 = −16 000/121 = −132.23 after two years; the third
    # brings 500/1.331 = 500 000/1331 = 375.66: 2 + (16 000/121) / (500 000/1331)
    # = 2 + 16 000 × 11 / 500 000 = 2.352 years
    assert costing.discounted_payback_years(0.1, [-1000, 500, 500, 500]) == 2.352
    assert costing.payback_years([-1000, 500, 500, 500]) == 2.0
    assert costing.discounted_payback_years(0.1, [-100, 110]) == 1.0  # 110 / 1.1 = 100 exactly
    assert costing.discounted_payback_years(0.1, [-1000, 500, 500]) is None
    assert costing.discounted_payback_years(0, [-1000, 300, 400, 500]) == 2.6


# --- IRR ------------------------------------------------------------------------------------
def test_irr_of_the_conventional_case_agrees_with_numpy_financial():
    flows = [-500_000, 120_000, 150_000, 150_000, 150_000, 150_000]
    assert round(costing.irr(flows) * 100, 2) == 13.08
    assert costing.irr(flows) == pytest.approx(npf.irr(flows), rel=1e-12)
    assert costing.npv(costing.irr(flows), flows) == pytest.approx(0, abs=1e-6)


def test_irr_of_exact_decimal_rates():
    assert costing.irr([-100, 110]) == 0.1       # numpy-financial: 0.10000000000000009
    assert costing.irr([-100, 0, 121]) == 0.1    # 121 = 100 × 1.1²
    assert costing.irr([100, -110]) == 0.1       # a loan: its cost
    assert costing.irr([-100, 100]) == 0.0
    assert costing.irr([-100, 50]) == -0.5


def test_two_rates_are_the_course_error_naming_both():
    # −100 + 230/(1+r) − 132/(1+r)² = 0 ⇔ (1+r)² − 2.3(1+r) + 1.32 = 0 ⇔ 1+r = 1.1 or 1.2
    with pytest.raises(OvopError) as e:
        costing.irr([-100, 230, -132])
    message = str(e.value)
    assert "10,0%" in message and "20,0%" in message and "NPV" in message
    assert npf.irr([-100, 230, -132]) == pytest.approx(0.1)  # silently one of the two


def test_numpy_financial_issue_28_flows_name_both_rates():
    # numpy-financial 1.0.0 returns −76.9 %, 1.1.0 +185.4 %: both are rates
    flows = [-50, -100, 600, 300, -100]
    with pytest.raises(OvopError, match=r"-76,9%.* и 185,4%"):
        costing.irr(flows)
    roots = [x.real for x in np.roots(flows[::-1]) if x.imag == 0 and x.real > 0]
    rates = sorted(1 / x - 1 for x in roots)  # x = 1 / (1 + r)
    assert [round(r * 100, 1) for r in rates] == [-76.9, 185.4]
    assert npf.irr(flows) == pytest.approx(rates[0]) or npf.irr(flows) == pytest.approx(
        rates[1])


def test_rates_are_named_in_english_too():
    with in_language("en"), pytest.raises(OvopError, match=r"10\.0% and 20\.0%"):
        costing.irr([-100, 230, -132])


def test_close_rates_are_named_with_enough_decimals():
    # (1+r) = 1.1 and 1.1001: 10.00 % and 10.01 %
    y1, y2 = 1.1, 1.1001
    with pytest.raises(OvopError, match=r"10,00%.* и 10,01%"):
        costing.irr([-100, 100 * (y1 + y2), -100 * y1 * y2])


@pytest.mark.parametrize("flows", [[100, 200], [-100, -200], [0, 0, 0], [-5], [0, -1, 0]])
def test_no_sign_change_has_no_rate(flows):
    with pytest.raises(OvopError, match="ни разу не меняют знак"):
        costing.irr(flows)


def test_several_sign_changes_and_no_real_rate():
    # 100 − 300x + 250x² has no real root (300² < 4 × 100 × 250)
    with pytest.raises(OvopError, match="ни при какой ставке больше −100 %"):
        costing.irr([100, -300, 250])


def test_several_sign_changes_with_one_real_rate_return_it():
    flows = [-1000, 800, -100, 600]   # signs − + − +: three changes, one real rate
    rate = costing.irr(flows)
    assert rate == pytest.approx(0.15981756875331618, rel=1e-12)
    assert rate == pytest.approx(npf.irr(flows), rel=1e-12)
    assert costing.npv(rate, flows) == pytest.approx(0, abs=1e-9)


def test_a_double_rate_is_one_rate():
    # −100 + 230x − 132.25x² = −(10 − 11.5x)²: NPV touches 0 at 1 + r = 1.15 only
    assert costing.irr([-100, 230, -132.25]) == 0.15
    assert costing.npv(0.15, [-100, 230, -132.25]) == 0.0
    assert all(costing.npv(r, [-100, 230, -132.25]) < 0 for r in (-0.5, 0.1, 0.149, 0.151, 1))
    assert costing.irr([-1, 2, -1]) == 0.0


@st.composite
def conventional(draw, positive_first=False):
    """Flows whose sign changes once: investments (some zeros), then returns (some zeros)."""
    out = draw(st.lists(st.one_of(st.floats(-1e6, -1), st.just(0.0)), min_size=1, max_size=5))
    back = draw(st.lists(st.one_of(st.floats(1, 1e6), st.just(0.0)), min_size=1, max_size=25))
    out[draw(st.integers(0, len(out) - 1))] = draw(st.floats(-1e6, -1))
    back[draw(st.integers(0, len(back) - 1))] = draw(st.floats(1, 1e6))
    flows = out + back
    return [-v for v in flows] if positive_first else flows


@settings(max_examples=150, deadline=None)
@given(flows=st.one_of(conventional(), conventional(positive_first=True)))
def test_irr_of_conventional_flows_zeroes_npv_and_agrees_with_numpy_financial(flows):
    rate = costing.irr(flows)
    assert type(rate) is float and rate > -1
    scale = sum(abs(v) / (1 + rate) ** t for t, v in enumerate(flows))
    assert abs(npf.npv(rate, flows)) <= 1e-9 * scale
    reference = npf.irr(flows)
    if math.isfinite(reference) and abs(npf.npv(reference, flows)) <= 1e-9 * scale:
        assert rate == pytest.approx(reference, rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(low=st.integers(-50, 200), gap=st.integers(1, 100))
def test_two_chosen_rates_are_both_named(low, gap):
    # f0 (1+r)² + f1 (1+r) + f2 = f0 (y − y1)(y − y2): f1 = −f0 (y1 + y2), f2 = f0 y1 y2
    y1, y2 = 1 + low / 100, 1 + (low + gap) / 100
    with pytest.raises(OvopError) as e:
        costing.irr([-100, 100 * (y1 + y2), -100 * y1 * y2])
    assert f"{low},0%" in str(e.value) and f"{low + gap},0%" in str(e.value)


@settings(max_examples=150, deadline=None)
@given(flows=st.lists(st.integers(-1000, 1000), min_size=1, max_size=12))
def test_irr_of_any_flows_is_a_rate_or_the_course_error(flows):
    try:
        rate = costing.irr(flows)
    except OvopError as e:
        assert is_russian(str(e))
        if "несколько ставках" in str(e):
            assert str(e).count("%") >= 2
        return
    assert type(rate) is float and rate > -1
    scale = sum(abs(v) / (1 + rate) ** t for t, v in enumerate(flows))
    assert abs(npf.npv(rate, flows)) <= 1e-8 * scale


# --- agreement with numpy-financial and reference loops ------------------------------------
flow_lists = st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(rate=st.floats(-0.9, 5), flows=flow_lists)
def test_npv_agrees_with_numpy_financial(rate, flows):
    scale = sum(abs(v) / (1 + rate) ** t for t, v in enumerate(flows))
    assume(scale < 1e15)  # beyond, the course refuses the result (checks.LIMIT): tested below
    assert abs(costing.npv(rate, flows) - npf.npv(rate, flows)) <= 1e-12 * scale + 1e-300


def reference_payback(flows):
    """The payback by a plain loop over exact fractions (the definition, written again)."""
    total, negative = Fraction(0), False
    for t, value in enumerate(flows):
        previous, total = total, total + Fraction(value)
        if total < 0:
            negative = True
        elif negative:
            return (t - 1) + float(-previous / Fraction(value))
    return 0.0 if not negative else None


@settings(max_examples=150, deadline=None)
@given(flows=st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=30))
def test_payback_agrees_with_a_reference_loop(flows):
    expected = reference_payback(flows)
    for result in (costing.payback_years(flows), costing.discounted_payback_years(0, flows)):
        assert (result is None) == (expected is None)
        assert expected is None or result == pytest.approx(expected, rel=1e-15)


@settings(max_examples=100, deadline=None)
@given(flows=conventional(), rate=st.floats(0.001, 1))
def test_discounted_payback_is_never_earlier(flows, rate):
    simple, discounted = costing.payback_years(flows), costing.discounted_payback_years(
        rate, flows)
    if discounted is not None:
        assert simple is not None and discounted >= simple - 1e-12


@settings(max_examples=100, deadline=None)
@given(price=st.floats(1, 1e6), cost=st.floats(1, 1e6))
def test_margin_and_markup_convert_into_each_other(price, cost):
    m, k = costing.margin(price, cost), costing.markup(price, cost)
    assert costing.markup_from_margin(m) == pytest.approx(k, rel=1e-9)
    assert costing.margin_from_markup(k) == pytest.approx(m, rel=1e-9, abs=1e-15)


@settings(max_examples=100, deadline=None)
@given(fixed=st.floats(0, 1e7), variable=st.floats(0, 1e4), extra=st.floats(0.01, 1e4))
def test_at_break_even_the_profit_is_zero(fixed, variable, extra):
    price = variable + extra
    if price <= variable:
        return
    units = costing.break_even_units(fixed, price, variable)
    assert units * (price - variable) == pytest.approx(fixed, rel=1e-9, abs=1e-9)
    assert costing.break_even_revenue(fixed, price, variable) == pytest.approx(
        units * price, rel=1e-12, abs=1e-9)


def test_every_form_of_a_list_of_flows_gives_the_same():
    flows = [-1000, 300, 400, 500]
    for form in (tuple(flows), np.array(flows, dtype=float), pd.Series(flows),
                 [np.float64(v) for v in flows], [np.int64(v) for v in flows]):
        assert costing.npv(0.1, form) == costing.npv(0.1, flows)
        assert costing.payback_years(form) == 2.6
    assert costing.irr(np.array([-100, 110])) == 0.1


def test_results_are_plain_python_floats():
    results = [costing.margin(np.float64(100), 70), costing.markup(100, np.int64(70)),
               costing.markup_from_margin(0.3), costing.margin_from_markup(0.3),
               costing.break_even_units(12_000, 250, 130),
               costing.break_even_revenue(12_000, 250, 130),
               costing.npv(0.1, [-1, 2]), costing.irr([-1, 2]),
               costing.irr([-1000, 800, -100, 600]), costing.payback_years([-1, 2]),
               costing.discounted_payback_years(0.1, [-1, 2]), costing.payback_years([1])]
    assert all(type(r) is float for r in results)


# --- bad inputs, by class -------------------------------------------------------------------
NOT_NUMBERS = [None, "12", "abc", "", b"12", True, False, np.True_, [1.0], {"a": 1}, (1, 2),
               complex(1, 1)]
NOT_FINITE = [float("nan"), float("inf"), -float("inf"), np.nan, np.float64("inf")]
HUGE = [1e308, -1e308, 1e16, -1e16, 10**400, -(10**20)]
BAD_SCALARS = NOT_NUMBERS + NOT_FINITE + HUGE

SCALAR_PARAMETERS = {
    # function: (good arguments, {parameter index: values outside its domain})
    costing.margin: ((100, 70), {0: [0, -1, -0.0], 1: [-1, -1e-9]}),
    costing.markup: ((100, 70), {0: [0, -5], 1: [0, -70]}),
    costing.markup_from_margin: ((0.3,), {0: [1, 1.5, 1e15]}),
    costing.margin_from_markup: ((0.3,), {0: [-1, -1.5, -1e15]}),
    costing.break_even_units: ((12_000, 250, 130), {0: [-1, -1e-9], 1: [0, -250, 130, 100],
                                                    2: [-1, 250, 300]}),
    costing.break_even_revenue: ((12_000, 250, 130), {0: [-1], 1: [0, 130, 100], 2: [-1, 250]}),
    costing.npv: ((0.1, [-1000, 500]), {0: [-1, -2, -1e15]}),
    costing.discounted_payback_years: ((0.1, [-1000, 500]), {0: [-1, -1.5]}),
}
SCALAR_CASES = [(f, i) for f, (_, d) in SCALAR_PARAMETERS.items() for i in d] + [
    (costing.margin, 0), (costing.markup, 1)]

FLOW_FUNCTIONS = {costing.npv: 1, costing.irr: 0, costing.payback_years: 0,
                  costing.discounted_payback_years: 1}
BAD_FLOWS = [None, 5.0, "1, 2", b"\x01\x02", [], (), {1: -100, 2: 200}, {-100.0, 200.0},
             [[-100, 200]], np.array([[-100.0, 200.0]]), pd.DataFrame({"a": [-100, 200]}),
             [-100, None], [-100, "200"], [-100, True], [-100, float("nan")],
             [-100, float("inf")], [-100, 1e308], [-100, 1e16], [-100, 10**400],
             pd.Series([-100, None]), [-1.0] + [1.0] * costing.MAX_PERIODS, range(0)]


def call(function, index, value):
    args = list(SCALAR_PARAMETERS.get(function, (([-1000, 500],),))[0])
    args[index] = value
    return function(*args)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("function, index", SCALAR_CASES,
                         ids=[f"{f.__name__}[{i}]" for f, i in SCALAR_CASES])
def test_bad_numbers_are_refused_in_russian(function, index, data):
    outside = SCALAR_PARAMETERS[function][1].get(index, [])
    value = data.draw(st.sampled_from(BAD_SCALARS + outside), label="value")
    with pytest.raises(OvopError) as e:
        call(function, index, value)
    assert str(e.value).strip() and is_russian(str(e.value))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("function", list(FLOW_FUNCTIONS), ids=lambda f: f.__name__)
def test_bad_flows_are_refused_in_russian(function, data):
    value = data.draw(st.sampled_from(BAD_FLOWS), label="flows")
    with pytest.raises(OvopError) as e:
        call(function, FLOW_FUNCTIONS[function], value)
    assert str(e.value).strip() and is_russian(str(e.value))


@settings(max_examples=40, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("function", list(FLOW_FUNCTIONS), ids=lambda f: f.__name__)
def test_a_bad_value_anywhere_in_the_flows_is_refused(function, data):
    flows = data.draw(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=20), label="flows")
    spoiled = list(flows)
    spoiled.insert(data.draw(st.integers(0, len(flows))),
                   data.draw(st.sampled_from(BAD_SCALARS), label="bad value"))
    with pytest.raises(OvopError) as e:
        call(function, FLOW_FUNCTIONS[function], spoiled)
    assert is_russian(str(e.value))


TINY = [1e-320, 5e-324, -1e-320, 1e-300]


@pytest.mark.parametrize("call_it", [
    lambda: costing.margin(1e-320, 1000),          # (1e-320 − 1000) / 1e-320
    lambda: costing.markup(1e15, 1e-320),
    lambda: costing.markup_from_margin(1 - 1e-16),  # 1 − 1e-16 / 1e-16
    lambda: costing.break_even_units(1e15, 1e-300 + 1e-310, 1e-300),
    lambda: costing.break_even_revenue(1e15, 1e15, 1e15 - 0.125),
    lambda: costing.npv(-1 + 1e-12, [1.0] * 10),   # 1 / (1e-12)^9
    lambda: costing.irr([-1e-3, 1e15]),             # a rate of 10¹⁸
    lambda: costing.irr([-1e15, 1e-3]),             # a rate of −100 % in floating point
], ids=["margin", "markup", "markup_from_margin", "units", "revenue", "npv", "irr huge",
        "irr −100 %"])
def test_huge_results_of_tiny_numbers_are_refused(call_it):
    with pytest.raises(OvopError) as e:
        call_it()
    assert is_russian(str(e.value))


@settings(max_examples=200, deadline=None)
@given(price=st.sampled_from(TINY + [1.0, 100.0, 1e15]),
       cost=st.sampled_from(TINY + [0.0, 70.0, 1e15]),
       rate=st.sampled_from(TINY + [-1 + 1e-15, -0.999999, 0.0, 1e15]),
       flows=st.lists(st.sampled_from(TINY + [0.0, -1e15, 1e15, -1.0, 1.0]), min_size=1,
                      max_size=12))
def test_tiny_and_huge_numbers_give_a_number_or_a_russian_message(price, cost, rate, flows):
    calls = [lambda: costing.margin(price, cost), lambda: costing.markup(price, cost),
             lambda: costing.markup_from_margin(cost), lambda: costing.margin_from_markup(cost),
             lambda: costing.break_even_units(cost, price, cost / 2),
             lambda: costing.break_even_revenue(cost, price, cost / 2),
             lambda: costing.npv(rate, flows), lambda: costing.irr(flows),
             lambda: costing.payback_years(flows),
             lambda: costing.discounted_payback_years(rate, flows)]
    for call_it in calls:
        try:
            result = call_it()
        except OvopError as e:
            assert is_russian(str(e))
        else:
            assert result is None or (type(result) is float and math.isfinite(result)
                                      and abs(result) <= 1e15)
