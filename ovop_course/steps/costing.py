"""Step 6, technology and the cost of the product: the finance functions of the cost sheet.

Method — the standard definitions of costing and investment appraisal (ILO *Improve Your
Business: Costing*; UNIDO COMFAR III: NPV, IRR, break-even), written in numpy-financial's
conventions (the unit of every parameter, the equation, an example):

- margin, a share of the price: ``m = (P − C) / P``; markup, a share of the cost:
  ``k = (P − C) / C``; one from the other: ``k = m / (1 − m)``, ``m = k / (1 + k)`` — so a 30 %
  markup is a 23.08 % margin, not a 30 % one;
- break-even quantity, units a period: ``Q* = F / (P − V)`` (F fixed costs of the period, V
  variable cost per unit); break-even revenue, som a period: ``Q* × P``;
- net present value at the rate ``r`` per period: ``NPV = Σ_{t=0..n} f_t / (1 + r)^t`` — the
  first flow (the investment, at t = 0) is not discounted, as in numpy-financial;
- internal rate of return: the rate ``r > −1`` at which NPV = 0, given only when there is
  exactly one such rate (see :func:`irr`: numpy-financial 1.0.0 and 1.1.0 silently return one of
  several rates, and differ on which);
- payback: the first time the cumulative flow, having been negative, reaches 0, interpolated
  linearly inside the period; discounted payback: the same on ``f_t / (1 + r)^t``.

Units: money in som (any currency, the same in every argument); shares 0..1 (0.3 = 30 %); a
rate is per period of the flows (yearly flows — a yearly rate; monthly flows — a monthly rate);
``flows[t]`` is the net flow of period t (inflows minus outflows, an investment with a minus).

Exact: each number is taken as the decimal written (0.1 is one tenth, not the nearest binary
fraction), the arithmetic is done in exact fractions and only the answer is rounded to a float —
``margin(1, 0.9)`` is 0.1 (not 0.09999999999999998) and ``[−100, 110]`` at 10 % pays back in
exactly one period. The IRR is the root of a polynomial, found numerically (about 15 digits).
Every function returns a plain Python float (payback: or None).

>>> margin(100, 70), round(markup(100, 70), 6)
(0.3, 0.428571)
>>> round(margin_from_markup(0.3), 4)
0.2308
>>> break_even_units(12_000, 250, 130), break_even_revenue(12_000, 250, 130)
(100.0, 25000.0)
>>> round(npv(0.1, [-1000, 500, 500, 500]), 2)
243.43
>>> round(irr([-500_000, 120_000, 150_000, 150_000, 150_000, 150_000]), 4)
0.1308
>>> payback_years([-1000, 300, 400, 500]), discounted_payback_years(0.1, [-1000, 500, 500, 500])
(2.6, 2.352)
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import partial

import numpy as np

from .. import checks
from ..errors import OvopError
from ..fmt import fmt_percent, fmt_typed
from ..i18n import t

__all__ = [
    "break_even_revenue", "break_even_units", "discounted_payback_years", "irr", "margin",
    "margin_from_markup", "markup", "markup_from_margin", "npv", "payback_years",
]

MAX_PERIODS = 240
"""The most periods a list of flows may have: 20 years by month. Exact arithmetic over longer
lists gets slow (tenths of a second), and a village plan never needs them: sum by year."""

MIN_GROWTH = 1e-9
"""An IRR with 1 + IRR below this (below −99.9999999 %) is refused as «almost −100 %»: the
flows return less than a billionth of the investment, and so close to −1 a float keeps few
digits of 1 + IRR."""

_SAME_ROOT = 1e-6
"""Roots of the NPV polynomial closer than this (relative) are one rate: a double root comes
out of numpy's roots as two numbers about 1e-8 apart."""


# --- reading the numbers ---------------------------------------------------------------------
def _exact(value: float) -> Fraction:
    """A checked float as the decimal it was written as: 0.1 → 1/10."""
    return Fraction(repr(value))


def _result(value: Fraction, field: str) -> float:
    """An exact result as a float, refused beyond ±:data:`checks.LIMIT` (a price of 1e-320)."""
    if abs(value) > checks.LIMIT:
        checks.bounded(float(value) if abs(value) < 1e308 else math.inf, field)
    return float(value)


def _money(value: float) -> str:
    return t("fmt.money", amount=fmt_typed(value))


def _price(price: object) -> float:
    return checks.number(price, t("costing.field.price"), low=0, low_open=True)


def _rate(rate: object) -> float:
    return checks.number(rate, t("costing.field.rate"), low=-1, low_open=True)


def _flows(flows: object) -> list[float]:
    """The flows as floats: a list, tuple, array or Series of 1 to :data:`MAX_PERIODS`
    numbers, in the order of the periods (t = 0 first)."""
    field = t("costing.field.flows")
    values = checks.numbers(flows, field).tolist()
    if len(values) > MAX_PERIODS:
        raise OvopError(t("costing.too_many_periods", field=field, count=len(values),
                          limit=MAX_PERIODS))
    return values


# --- margin and markup ------------------------------------------------------------------------
def margin(price: float, cost: float) -> float:
    """Margin: the share of the price that is left over the cost.

    ``m = (price − cost) / price``

    Parameters: ``price`` — the selling price of a unit, som, > 0; ``cost`` — the cost of a
    unit, som, ≥ 0. Returns a share below or equal to 1 (0.3 = 30 % of the price); negative
    when the cost is above the price (a loss on every unit).

    >>> margin(100, 70)
    0.3
    >>> margin(100, 120)
    -0.2
    """
    price = _price(price)
    cost = checks.number(cost, t("costing.field.cost"), low=0)
    return _result((_exact(price) - _exact(cost)) / _exact(price), t("costing.field.margin"))


def markup(price: float, cost: float) -> float:
    """Markup: how much is added to the cost, as a share of the cost.

    ``k = (price − cost) / cost``

    Parameters: ``price`` — the selling price of a unit, som, > 0; ``cost`` — the cost of a
    unit, som, > 0 (a markup on nothing is not defined). Returns a share above −1 (0.3 = 30 %
    of the cost).

    >>> round(markup(100, 70), 6)
    0.428571
    >>> markup(130, 100)
    0.3
    """
    price = _price(price)
    cost = checks.number(cost, t("costing.field.cost"), low=0, low_open=True)
    return _result((_exact(price) - _exact(cost)) / _exact(cost), t("costing.field.markup"))


def markup_from_margin(m: float) -> float:
    """The markup that gives the margin ``m``.

    ``k = m / (1 − m)``

    Parameter: ``m`` — a margin, a share of the price, below 1 (a margin of 100 % would mean a
    cost of 0). Returns the markup, a share of the cost.

    >>> markup_from_margin(0.3)
    0.42857142857142855
    >>> markup_from_margin(0.5)
    1.0
    """
    field = t("costing.field.margin")
    m = checks.number(m, field)
    if m >= 1:
        raise OvopError(t("costing.margin_too_high", field=field, value=fmt_typed(m)))
    return _result(_exact(m) / (1 - _exact(m)), t("costing.field.markup"))


def margin_from_markup(k: float) -> float:
    """The margin that a markup ``k`` gives.

    ``m = k / (1 + k)``

    Parameter: ``k`` — a markup, a share of the cost, above −1 (a markup of −100 % would mean a
    price of 0). Returns the margin, a share of the price: a 30 % markup is a 23.08 % margin.

    >>> round(margin_from_markup(0.3), 6)
    0.230769
    >>> margin_from_markup(1)
    0.5
    """
    field = t("costing.field.markup")
    k = checks.number(k, field)
    if k <= -1:
        raise OvopError(t("costing.markup_too_low", field=field, value=fmt_typed(k)))
    return _result(_exact(k) / (1 + _exact(k)), t("costing.field.margin"))


# --- break-even -------------------------------------------------------------------------------
def _break_even(fixed: object, price: object, variable: object
                ) -> tuple[Fraction, Fraction, Fraction]:
    """Checked fixed cost and price, exact, and the contribution of a unit ``price − variable``
    (positive: otherwise the course's error «цена не покрывает переменные затраты»)."""
    field = t("costing.field.fixed")
    fixed = checks.number(fixed, field)
    if fixed < 0:
        raise OvopError(t("costing.negative_fixed", field=field, value=_money(fixed)))
    price = _price(price)
    variable = checks.number(variable, t("costing.field.variable"), low=0)
    if price <= variable:
        raise OvopError(t("costing.price_below_variable", price=_money(price),
                          variable=_money(variable)))
    return _exact(fixed), _exact(price), _exact(price) - _exact(variable)


def break_even_units(fixed: float, price: float, variable: float) -> float:
    """Break-even quantity: how many units a period pay the fixed costs of the period.

    ``Q* = fixed / (price − variable)``

    Parameters: ``fixed`` — fixed costs of the period (rent, depreciation, a salary), som, ≥ 0;
    ``price`` — the selling price of a unit, som, > 0; ``variable`` — the variable cost of a
    unit (raw materials, packaging, piece-rate labour), som, ≥ 0 and below ``price``. Returns
    units as a real number (the tool shows it rounded up: 100.4 means 101 units).

    A price at or below the variable cost has no break-even: the course's error «цена не
    покрывает переменные затраты», with the two numbers.

    >>> break_even_units(12_000, 250, 130)
    100.0
    >>> break_even_units(10_000, 250, 130)
    83.33333333333333
    """
    fixed, _, contribution = _break_even(fixed, price, variable)
    return _result(fixed / contribution, t("costing.field.break_even_units"))


def break_even_revenue(fixed: float, price: float, variable: float) -> float:
    """Break-even revenue: the sales in som a period at the break-even quantity.

    ``R* = Q* × price = fixed × price / (price − variable)``

    Parameters as in :func:`break_even_units` (som; ``variable`` below ``price``). Returns som.

    >>> break_even_revenue(12_000, 250, 130)
    25000.0
    """
    fixed, price, contribution = _break_even(fixed, price, variable)
    return _result(fixed / contribution * price, t("costing.field.break_even_revenue"))


# --- NPV --------------------------------------------------------------------------------------
def _discounted(rate: float, values: list[float]) -> list[Fraction]:
    """``f_t / (1 + rate)^t`` for t = 0, 1, …, exact."""
    factor, power, out = 1 + _exact(rate), Fraction(1), []
    for value in values:
        out.append(_exact(value) / power)
        power *= factor
    return out


def npv(rate: float, flows) -> float:
    """Net present value of the flows at the rate ``rate`` per period.

    ``NPV = Σ_{t=0..n} flows[t] / (1 + rate)^t``

    Parameters: ``rate`` — the discount rate per period of the flows, a share above −1 (0.1 =
    10 % a year for yearly flows): the group's rate, such as that of its loan or of a bank
    deposit; ``flows`` — the net flow of each period, som, ``flows[0]`` at t = 0 (the
    investment, with a minus), then the end of each period; 1 to :data:`MAX_PERIODS` values.
    Returns som of t = 0.

    ``flows[0]`` is not discounted — numpy-financial's convention (``npf.npv(rate, flows)``
    gives the same number). Excel's NPV() discounts its first value too (it puts it at the end
    of period 1): ``NPV(r; f0; …; fn)`` in Excel is ``npv(r, flows) / (1 + r)``; in Excel the
    usual formula is ``=f0 + NPV(r; f1; …; fn)``.

    >>> round(npv(0.1, [-1000, 500, 500, 500]), 6)
    243.425995
    >>> npv(0.1, [-100, 110])
    0.0
    """
    rate, values = _rate(rate), _flows(flows)
    return _result(sum(_discounted(rate, values)), t("costing.field.npv"))


# --- IRR --------------------------------------------------------------------------------------
def _sign_changes(values: list[float]) -> int:
    """How many times the sign changes from one non-zero flow to the next (zeros skipped)."""
    signs = [v > 0 for v in values if v != 0]
    return sum(a != b for a, b in zip(signs, signs[1:]))


def _normal(values: list[float]) -> np.ndarray:
    """Flows all below 1 times the power of two that brings the largest near 1 (exact: the
    roots do not change), so that flows of 1e-320 are not computed with the few digits such
    numbers have; larger flows as they are (scaling them down could lose the tiny ones)."""
    f = np.array(values, dtype=float)
    return np.ldexp(f, max(0, -int(np.frexp(np.abs(f).max())[1])))


def _unique_root(values: list[float]) -> float:
    """The one positive root x = 1 / (1 + r) of ``Σ f_t x^t`` when the signs change once.

    With the flows before the change made negative (the signs of all flows turned if needed)
    and k the period of the last of them, ``q(x) = Σ f_t x^(t − k)`` has the sign of NPV and
    rises strictly on x > 0 (its negative terms have powers ≤ 0, its positive ones powers > 0),
    so a bracket found by doubling or halving from x = 1 (r = 0) and Brent's method find the root
    whatever the flows (an overflowing term has the sign of the side that overflows).
    """
    from scipy.optimize import brentq  # imported here: scipy takes 0.2 s to import

    f = _normal(values)
    times = np.flatnonzero(f)
    c = f[times]
    if c[0] > 0:
        c = -c
    k = times[np.flatnonzero(c < 0)[-1]]
    powers = (times - k).astype(float)

    def q(x: float) -> float:
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            value = float(np.sum(c * x ** powers))
        return float(np.nan_to_num(value, posinf=1e300, neginf=-1e300))

    low = high = 1.0
    if q(1.0) == 0:
        return 1.0
    if q(1.0) > 0:  # a rate above 0: the root is below x = 1
        while q(low) > 0:
            if low < 1 / (10 * checks.LIMIT):
                checks.bounded(1 / low, t("costing.field.irr"))  # a rate above 10¹⁵
            high, low = low, low / 2
    else:  # a rate below 0: the root is above x = 1
        while q(high) < 0:
            if high > 2 / MIN_GROWTH:  # 1 + r = 1 / x below MIN_GROWTH
                raise OvopError(t("costing.irr_total_loss"))
            low, high = high, high * 2
    return brentq(q, low, high, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)


def _relative_npv(rate: float, flows: np.ndarray, times: np.ndarray) -> float:
    """NPV at ``rate`` of the non-zero ``flows`` at ``times``, divided by its largest term:
    the sign of NPV, and how far from 0 it is for the flows' size, without overflow."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        terms = flows * np.power(1.0 + rate, -times)
    top = float(np.abs(terms).max()) if np.isfinite(terms).all() else 0.0
    if top > 0:
        return math.fsum(terms / top)
    logs = np.log(np.abs(flows)) - times * math.log1p(rate)  # a term beyond the floats
    return math.fsum(np.sign(flows) * np.exp(logs - logs.max()))


def _candidate_roots(values: list[float]) -> list[float]:
    """The positive real roots x of ``Σ f_t x^t`` as numpy's polynomial roots give them (the
    eigenvalues of the companion matrix), of the polynomial balanced first — x = s·z with s a
    power of two that makes its first and last coefficients about equal, every coefficient
    scaled exactly by a power of two near the largest, those below 2⁻⁹⁰⁰ of it set to 0 — so
    that flows of very different sizes (1e-320 and 1e15) do not overflow. A double root (NPV
    touches 0) comes out as two close numbers, or complex with a tiny imaginary part: it is
    polished as the root of the derivative. Candidates only: :func:`_real_rates` checks them
    on the flows themselves."""
    from scipy.optimize import brentq

    f = np.array(values, dtype=float)
    nonzero = np.flatnonzero(f)
    c = f[nonzero[0]:nonzero[-1] + 1]  # a zero first flow is a root x = 0 (r = ∞): dropped
    n = len(c) - 1
    exponents = np.frexp(c)[1]  # c = mantissa × 2^exponent
    k = int(round((int(exponents[0]) - int(exponents[-1])) / n))  # s = 2^k
    shifts = np.arange(n + 1) * k - int((exponents + np.arange(n + 1) * k)[c != 0].max())
    scaled = np.ldexp(c, shifts)
    scaled[np.abs(scaled) < 2.0 ** -900] = 0.0
    coefficients = scaled[::-1]  # highest power first
    derivative = np.polyder(coefficients)

    def value(polynomial, z: float) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(np.polyval(polynomial, z))

    found = []
    for root in np.roots(coefficients):
        z = float(root.real)
        if z <= 0 or abs(root.imag) > _SAME_ROOT * max(1.0, abs(z)):
            continue
        a, b = z * (1 - _SAME_ROOT), z * (1 + _SAME_ROOT)
        da, db = value(derivative, a), value(derivative, b)
        if math.isfinite(da) and math.isfinite(db) and da * db < 0:
            z = brentq(partial(value, derivative), a, b, xtol=1e-300,
                       rtol=4 * np.finfo(float).eps, maxiter=500)
        with np.errstate(over="ignore"):
            found.append(float(np.ldexp(z, k)))
    return found


def _real_rates(values: list[float]) -> list[float]:
    """All distinct real rates above −1 (and within :data:`checks.LIMIT`) at which the NPV of
    the flows is 0, lowest first.

    Each candidate of :func:`_candidate_roots` is checked on the flows: if NPV changes sign
    between (1 + r)(1 ∓ δ) − 1 for δ = 10⁻⁹, 10⁻⁶ or 10⁻³, the rate is polished there by Brent's
    method; if not, it is kept only if NPV is 0 there to 10⁻⁹ of its largest term (a double
    rate); else it is dropped. Rates within 10⁻⁶ of each other (relative, in 1 + r) are one.
    """
    from scipy.optimize import brentq

    f = _normal(values)
    times = np.flatnonzero(f)
    flows, times = f[times], times.astype(float)

    def g(rate: float) -> float:
        return _relative_npv(rate, flows, times)

    rates = []
    for x in _candidate_roots(values):
        if not 0 < x < math.inf:  # beyond the floats: r = ∞ or −1
            continue
        rate = (1 - x) / x
        if not (-1 < rate <= checks.LIMIT):
            continue
        for delta in (1e-9, 1e-6, 1e-3):
            a, b = (1 + rate) * (1 - delta) - 1, (1 + rate) * (1 + delta) - 1
            if a > -1 and g(a) * g(b) < 0:
                rates.append(brentq(g, a, b, xtol=1e-300, rtol=4 * np.finfo(float).eps,
                                    maxiter=500))
                break
        else:
            if abs(g(rate)) <= 1e-9:
                rates.append(rate)
    distinct = []
    for rate in sorted(rates):
        if not distinct or (rate - distinct[-1]) > _SAME_ROOT * (1 + rate):
            distinct.append(rate)
    return distinct


def _decimal_rate(rate: float, values: list[float]) -> float:
    """``rate`` itself, or the shortest decimal (of up to 10 digits) within 10⁻¹² × (1 + rate)
    of it at which the NPV is exactly 0: a root found numerically is a few units in the last
    place off (a double root more), and [−100, 110] returns 0.1, not 0.10000000000000003."""
    near = max(8 * math.ulp(rate), 1e-12 * (1 + rate))
    for digits in range(1, 11):  # longer decimals cost more to check than they are worth
        candidate = float(f"{rate:.{digits}g}")
        if abs(candidate - rate) <= near and candidate > -1:
            if sum(_discounted(candidate, values)) == 0:
                return candidate
    return rate


def _percents(rates: list[float]) -> str:
    """The rates as percentages with as few decimals (1 to 6) as keep them apart."""
    for digits in range(1, 7):
        shown = [fmt_percent(r, digits) for r in rates]
        if len(set(shown)) == len(shown):
            break
    return ", ".join(shown[:-1]) + t("costing.and") + shown[-1]


def irr(flows) -> float:
    """Internal rate of return: the rate per period at which the NPV of the flows is 0.

    ``Σ_{t=0..n} flows[t] / (1 + irr)^t = 0``, ``irr > −1``

    Parameter: ``flows`` — the net flow of each period, som, ``flows[0]`` at t = 0, as in
    :func:`npv`; 1 to :data:`MAX_PERIODS` values. Returns the rate per period of the flows, a
    share (0.1308 = 13.08 % a year for yearly flows).

    With x = 1 / (1 + r) the NPV is the polynomial ``Σ flows[t] x^t``, and by Descartes' rule
    of signs it has at most as many positive roots as the flows have sign changes (zeros
    skipped). So the sign changes decide:

    - none (only investments, or only receipts) → no rate: the course's error;
    - one (the usual project: money in first, then money back) → exactly one rate, found by
      bracketing and Brent's method (scipy), never missed whatever the numbers;
    - several (a new investment later, a closing cost at the end) → all real rates above −1 from
      the polynomial's roots: exactly one is returned; none, or more than one, is the course's
      error naming the rates found and advising NPV at the group's rate.

    numpy-financial's ``irr`` is not used for the decision: on Python 3.11 pip installs its
    1.0.0, whose answer differs from 1.1.0's when the signs change more than once
    ([−50, −100, 600, 300, −100]: −76.9 % and +185.4 %, numpy-financial issue #28), and both
    silently return 10 % for [−100, 230, −132], which has two rates, 10 % and 20 %. On flows
    with one sign change this function agrees with both.

    >>> round(irr([-500_000, 120_000, 150_000, 150_000, 150_000, 150_000]), 6)
    0.130821
    >>> irr([-100, 230, -132])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ovop_course.errors.OvopError: IRR не определена: ... — 10,0% и 20,0%. ...
    """
    values = _flows(flows)
    changes = _sign_changes(values)
    if changes == 0:
        raise OvopError(t("costing.irr_no_sign_change"))
    if changes == 1:
        x = _unique_root(values)
        rates = [(1 - x) / x]
    else:
        rates = _real_rates(values)
        if not rates:
            raise OvopError(t("costing.irr_none_found", changes=changes))
        if len(rates) > 1:
            raise OvopError(t("costing.irr_several", changes=changes, rates=_percents(rates)))
    if 1 + rates[0] < MIN_GROWTH:
        raise OvopError(t("costing.irr_total_loss"))
    return _result(_exact(_decimal_rate(rates[0], values)), t("costing.field.irr"))


# --- payback ----------------------------------------------------------------------------------
def _payback(amounts: list[Fraction]) -> float | None:
    """The first time the running total, having been below 0, reaches 0: in the period t where
    it does, ``(t − 1) + (−total_{t−1}) / amounts[t]``; 0.0 if it is never below 0; None if it
    does not come back."""
    total, was_negative = Fraction(0), False
    for period, amount in enumerate(amounts):
        before, total = total, total + amount
        if total < 0:
            was_negative = True
        elif was_negative:
            return float(period - 1 + (-before) / amount)
    return None if was_negative else 0.0


def payback_years(flows) -> float | None:
    """Payback period: when the cumulative flow, having been negative, first reaches 0.

    With ``S_t = flows[0] + … + flows[t]`` and t the first period where ``S_t ≥ 0`` after a
    negative ``S_{t−1}``: ``payback = (t − 1) + (−S_{t−1}) / flows[t]`` (the flow of a period
    comes in evenly through it).

    Parameter: ``flows`` — the net flow of each period, som, ``flows[0]`` at t = 0, as in
    :func:`npv`. Returns periods (years for yearly flows) from t = 0; 0.0 when the cumulative
    flow is never negative (nothing to pay back); None when it never comes back to 0. A later
    investment that takes the total below 0 again is not counted: look at the cumulative flow.

    >>> payback_years([-1000, 300, 400, 500])
    2.6
    >>> payback_years([-1000, 300, 300]) is None
    True
    """
    return _payback([_exact(v) for v in _flows(flows)])


def discounted_payback_years(rate: float, flows) -> float | None:
    """Discounted payback period: :func:`payback_years` of the discounted flows
    ``flows[t] / (1 + rate)^t``.

    Parameters: ``rate`` — the discount rate per period, a share above −1, as in :func:`npv`;
    ``flows`` — som, ``flows[0]`` at t = 0. Returns periods from t = 0, 0.0 or None as
    :func:`payback_years`; never earlier than the simple payback when ``rate`` > 0.

    By hand, 10 %, [−1000, 500, 500, 500]: −1000 + 500 / 1.1 + 500 / 1.21 = −132.23 after two
    years, 500 / 1.331 = 375.66 in the third: 2 + 132.23 / 375.66 = 2.352 years.

    >>> discounted_payback_years(0.1, [-1000, 500, 500, 500])
    2.352
    """
    return _payback(_discounted(_rate(rate), _flows(flows)))
