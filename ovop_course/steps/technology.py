"""Step 6, technology and the cost of the product: «предотвратить ранние ошибки с оборудованием».

The seed's step 6 is «подбор простых и воспроизводимых технологий производства», and OVOP+1's
role is to prevent early mistakes with equipment; the Kyrgyz model starts «с простого и ручного
инструмента» and with «минимальными начальными вложениями». This module puts that warning in
numbers. Every formula is in docs/formulas.md («Шаг 6»); the finance functions (margin, markup,
break-even, NPV, IRR, payback) are :mod:`ovop_course.steps.costing`'s.

**Process** (the technological card, ``process_steps.csv``). An operation takes ``minutes`` per
batch with ``people`` and its main equipment. A *station* is one piece of equipment with every
operation that uses it (the pasteurising pot both sterilises the bottles and pasteurises the
nectar: 60 + 60 minutes), or an operation done without equipment on its own. The stations work
as a flow line: while one batch is pressed, the next is washed, so a day gives
``B = ⌊min(D / c, crew × D / w)⌋`` batches — D the minutes of the working day, c the minutes per
batch of the slowest station (the **bottleneck**; with n copies of its equipment working side by
side it takes 1/n of the time), w the person-minutes of a batch, crew the people working at once
(no crew limit when not given). Capacity a month = B × working days × units per batch.
Labour per unit = w / N person-minutes.

**Four limits a month** (units): capacity; step 2's stable raw-material supply (whole batches
⌊x / q⌋, :func:`~ovop_course.steps.product.batch_limits`, × N); step 4's obtainable demand
(SOM × the month's share of the year's sales, even when no seasonality is known); step 1's
available person-hours × 60 / labour minutes per unit. The smallest binds; it is what can be
made and sold that month (:func:`monthly_limits`).

**Equipment**: straight-line depreciation ``price / life`` a year (FAO RuralInvest's «annual
investment cost = total / life»). Two scenarios: «начать просто, вручную» (the process chart as
written) and «купить оборудование сейчас» (``process_alternatives.csv``: the same operations with
industrial equipment). For each: unit cost, break-even, and the money at risk —
``max(0, I − N × s)``, the investment I not yet earned back if sales stop after N months with a
monthly cash surplus s (:func:`money_at_risk`).

**Cost sheet** in the logic of the ILO *Improve Your Business: Costing* product costing form
(direct materials, direct labour, indirect costs, then cost per unit and price; its logic, not
its brand): raw materials (recipe × step 2's prices, :func:`~ovop_course.steps.product.unit_cost`),
packaging, labour (minutes × wage), energy (kWh × tariff) — variable, per unit; overheads and
depreciation — fixed, a year, ÷ units a year. Unit cost ``C = V + F / Q``.

**The first year month by month** (:func:`year_plan`): the year's sales are made in the
production months (step 2's season), spread evenly within each month's output limit; what is
not sold waits in stock (a pasteurised nectar keeps 12 months); raw materials, packaging, labour
and energy are paid when made, overheads every month, the equipment in the first month. The
largest cumulative deficit is the money the group must find before the sales pay it back —
with the equipment (``peak_deficit_som``) and without it (``working_capital_som``). Then NPV,
IRR and payback over the equipment's life (:func:`project_flows`, :func:`appraisal`).

**Sensitivity** (:func:`tornado`): the year's profit ``(P − V) × Q − F`` for ± changes of the
price, the raw-material price, the volume sold and the labour cost, largest swing first.

Units: money in som, time in minutes (per batch) or hours, shares 0..1, months 1–12.

>>> cap = lesson_capacity()
>>> cap.bottleneck, cap.batches_per_day, cap.units_per_month
(('press_manual', 'pot_pasteurizer'), 4, 8800)
>>> labour_minutes_per_unit(lesson_process(), 100)
10.8
>>> depreciation(45_000, 8)
5625.0
>>> sheet = cost_sheet(64.42, 31, 27, 0.63, 150_000, 16_025, 3_237.6).set_index("row")
>>> round(float(sheet.loc["total", "per_unit_som"]), 2)
174.33
>>> break_even(166_025, 201.6, 123.05).units_whole
2114
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from numbers import Real

import pandas as pd

from .. import checks
from ..data import lesson_case, load_table
from ..errors import OvopError
from ..fmt import fmt_money, fmt_number, fmt_percent
from ..i18n import get_language, t
from ..schemas import Equipment, Overhead, ProcessAlternative, ProcessStep, SalesSeason
from . import costing, market, product, raw_materials, territory

__all__ = [
    "appraisal", "break_even", "break_even_price", "capacity", "check_alternatives",
    "check_equipment", "check_process", "compare_scenarios", "cost_plus_price", "cost_sheet",
    "cvp_table", "demand_by_month", "depreciation", "energy_cost", "equipment_table", "evaluate",
    "explain_markup", "investment_flows", "labour_cost", "labour_limit", "labour_minutes_per_unit",
    "lesson_capacity", "lesson_comparison", "lesson_evaluation", "lesson_inputs", "lesson_limits",
    "lesson_market", "lesson_plan", "lesson_plans", "lesson_process", "lesson_results",
    "lesson_scenarios", "make_plan", "money_at_risk", "monthly_limits", "overheads_per_year",
    "price_position", "process_with", "project_flows", "saved_results", "scenario_of",
    "season_shares", "tornado", "year_plan", "year_profit",
]

MONTHS = tuple(range(1, 13))
DEFAULT_HOURS_PER_DAY = territory.DEFAULT_HOURS_PER_DAY
"""Hours of the workshop's day: 8, as step 1 (22 × 8 = 176 h, ``working_hours_month``)."""
DEFAULT_WORKING_DAYS = territory.DEFAULT_WORKING_DAYS
"""Working days a month: 22, as step 1."""
DEFAULT_CHANGE = 0.2
"""The ± change of each factor in the tornado: 20 %."""
DEFAULT_RISK_MONTHS = 12
"""Sales stop after this many months in :func:`money_at_risk` (a year)."""
DEFAULT_RATE = 0.15
"""Discount rate a year when a plan gives none (the lesson's ``discount_rate``, a teaching
assumption: compare with the group's loan or a bank deposit)."""

LIMITS = ("capacity", "raw_materials", "demand", "labour")
"""The four monthly limits, in the order that breaks a tie (:func:`monthly_limits`)."""
FACTORS = ("price", "raw_price", "volume", "labour")
"""The tornado's factors (:func:`tornado`)."""
COST_ROWS = ("raw", "packaging", "labour", "energy", "overheads", "depreciation",
             "variable", "fixed", "total")
"""The rows of :func:`cost_sheet`, in order."""
SIMPLE, EQUIPPED = "simple", "equipped"
"""The two equipment scenarios: «начать просто, вручную», «купить оборудование сейчас»."""

LESSON_PRODUCT = product.LESSON_PRODUCT
LESSON_EQUIPMENT = ("juicer_screw", "filling_line")
"""The industrial equipment of the lesson's «купить оборудование сейчас» scenario."""
LESSON_OBTAINABLE_SHARE = 0.05
"""Step 4's lesson case: base scenario, obtainable share 5 %, no export (module 05's table)."""
LESSON_MIGRANT_STAY_SHARE = 0.2
"""Step 1's lesson case: the share of migrants who would stay (the territory tool's start)."""

_TOLERANCE = 1e-9
_MAX_COPIES = 100
_MAX_CREW = 1000
_MAX_YEARS = 40


# --- small readers ------------------------------------------------------------------------------
def _num(value: object, key: str, **limits) -> float:
    return checks.number(value, t(f"technology.field.{key}"), **limits)


def _whole(value: object, key: str, low: float, high: float | None = None) -> int:
    return int(_num(value, key, low=low, high=high, whole=True))


def _money(value: float) -> str:
    return fmt_money(value)


def _product_rows(table: pd.DataFrame, product_id: object, what: str) -> pd.DataFrame:
    """The rows of one product (``product_id`` a code of the table), else OvopError."""
    known = list(dict.fromkeys(table["product_id"]))
    if not isinstance(product_id, str) or product_id not in known:
        raise OvopError(t("technology.unknown_product", product=product_id, table=what,
                          known=", ".join(map(str, known))))
    return table[table["product_id"] == product_id].reset_index(drop=True)


def _codes(values: object, key: str) -> tuple[str, ...]:
    """Codes (equipment ids) in a list, tuple or set; None is none."""
    if values is None:
        return ()
    if isinstance(values, (str, bytes, Mapping, pd.DataFrame)) or not isinstance(values,
                                                                               Iterable):
        raise OvopError(t("technology.not_codes", field=t(f"technology.field.{key}")))
    codes = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise OvopError(t("technology.not_codes", field=t(f"technology.field.{key}")))
        codes.append(value.strip())
    return tuple(dict.fromkeys(codes))


def _monthly(values: object, key: str) -> list[float]:
    """One number for every month, or 12 numbers by month (:func:`checks.by_month`), ≥ 0."""
    field = t(f"technology.field.{key}")
    if isinstance(values, Real) and not isinstance(values, bool):
        return [checks.number(values, field, low=0)] * 12
    return checks.by_month(values, field, low=0)


# --- 1. the process -----------------------------------------------------------------------------
def check_process(steps: pd.DataFrame) -> pd.DataFrame:
    """A process chart (the columns of ``data/lesson/process_steps.csv``) checked row by row
    against :class:`~ovop_course.schemas.ProcessStep`; each step number once per product."""
    return checks.table(steps, ProcessStep, t("technology.table.process"),
                        key=("product_id", "step_no"))


def check_alternatives(alternatives: pd.DataFrame) -> pd.DataFrame:
    """Other equipment for operations (the columns of ``process_alternatives.csv``) checked
    against :class:`~ovop_course.schemas.ProcessAlternative`; each (product, step, equipment)
    once."""
    return checks.table(alternatives, ProcessAlternative, t("technology.table.alternatives"),
                        key=("product_id", "step_no", "equipment_id"))


def _apply(rows: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    """The operations of ``rows`` with the equipment, minutes and people of ``chosen``."""
    rows = rows.astype({"equipment_id": object})
    for alt in chosen.itertuples():
        hit = rows.index[rows["step_no"] == alt.step_no]
        if not len(hit):
            raise OvopError(t("technology.no_such_step", step=alt.step_no,
                              equipment=alt.equipment_id))
        rows.loc[hit, "equipment_id"] = alt.equipment_id
        rows.loc[hit, "minutes"] = int(alt.minutes)
        rows.loc[hit, "people"] = int(alt.people)
    return rows


def _alternatives(alternatives, product_id: str, use: tuple[str, ...]) -> pd.DataFrame:
    """The alternatives of ``use`` for the product: each code known, one per operation."""
    if alternatives is None:
        if use:
            raise OvopError(t("technology.unknown_alternative", equipment=", ".join(use),
                              known="—"))
        return pd.DataFrame(columns=["step_no", "equipment_id", "minutes", "people"])
    table = check_alternatives(alternatives)
    own = table[table["product_id"] == product_id]
    unknown = [code for code in use if code not in set(own["equipment_id"])]
    if unknown:
        raise OvopError(t("technology.unknown_alternative", equipment=", ".join(unknown),
                          known=", ".join(dict.fromkeys(own["equipment_id"])) or "—"))
    chosen = own[own["equipment_id"].isin(use)]
    twice = chosen.loc[chosen["step_no"].duplicated(), "step_no"]
    if len(twice):
        raise OvopError(t("technology.two_alternatives", step=int(twice.iloc[0])))
    return chosen


def process_with(steps: pd.DataFrame, product_id: str, alternatives: pd.DataFrame | None = None,
                 use: Iterable[str] = ()) -> pd.DataFrame:
    """The operations of one product, in order, with the equipment chosen.

    ``steps`` is a process chart (:func:`check_process`); ``alternatives`` other equipment for
    some operations (:func:`check_alternatives`); ``use`` the equipment codes of the
    alternatives to use (none: the chart as written, «начать просто»). An operation with a used
    alternative takes its ``equipment_id``, ``minutes`` and ``people``.

    Returns the chart's columns for the product, sorted by ``step_no``, plus ``person_minutes``
    = minutes × people (a batch).

    >>> steps = load_table("lesson/process_steps")
    >>> int(process_with(steps, "sb_juice")["person_minutes"].sum())
    1080
    >>> alts = load_table("lesson/process_alternatives")
    >>> int(process_with(steps, "sb_juice", alts, ["juicer_screw"])["person_minutes"].sum())
    860
    """
    rows = _product_rows(check_process(steps), product_id, t("technology.table.process"))
    chosen = _alternatives(alternatives, product_id, _codes(use, "use"))
    rows = _apply(rows.sort_values("step_no").reset_index(drop=True), chosen)
    rows["person_minutes"] = rows["minutes"] * rows["people"]
    return rows


def _operations(process: object) -> pd.DataFrame:
    """The operations of one product's process: the columns the step reads, checked by the
    chart's row model; one product; each step number once."""
    name = t("technology.table.process")
    clean = checks.columns(process, ProcessStep, ("step_no", "operation", "minutes", "people",
                                                  "equipment_id"), name)
    if "product_id" in clean.columns:
        products = [str(p) for p in dict.fromkeys(clean["product_id"].tolist())]
        if len(products) > 1:
            raise OvopError(t("technology.one_product", products=", ".join(products)))
    checks.unique(clean, ("step_no",), name)
    return clean.sort_values("step_no").reset_index(drop=True)


def labour_minutes_per_unit(process: pd.DataFrame, units_per_batch: int) -> float:
    """Person-minutes of labour per unit: ``w / N``, w = Σ minutes × people over the operations
    of a batch, N the units a batch gives.

    >>> labour_minutes_per_unit(lesson_process(), 100)
    10.8
    """
    ops = _operations(process)
    units = _whole(units_per_batch, "units_per_batch", low=1)
    return checks.bounded(float((ops["minutes"] * ops["people"]).sum()) / units,
                          t("technology.field.labour_minutes"))


@dataclass(frozen=True)
class Capacity:
    """How many batches and units the workshop makes a day and a month (:func:`capacity`).

    ``stations``: one row per station — ``station`` (equipment code, or ``op<N>`` for an
    operation without equipment), ``operations`` (their names, joined by «; »), ``minutes`` (Σ
    per batch), ``copies``, ``minutes_per_batch`` (÷ copies), ``batches_per_day`` (day minutes ÷
    that, a real number), ``bottleneck`` (True for the slowest). ``cycle_minutes`` is the
    bottleneck's minutes per batch, ``lead_minutes`` the minutes of one batch through every
    operation in turn, ``person_minutes`` the labour of a batch; ``station_batches`` and
    ``crew_batches`` the batches a day each limit allows (real; crew None: not limited);
    ``binding`` which of them sets ``batches_per_day``: «equipment» or «crew».
    """

    hours_per_day: float
    working_days: int
    units_per_batch: int
    cycle_minutes: float
    lead_minutes: float
    person_minutes: float
    station_batches: float
    crew: int | None
    crew_batches: float | None
    binding: str
    bottleneck: tuple[str, ...]
    bottleneck_operations: tuple[str, ...]
    batches_per_day: int
    units_per_day: int
    batches_per_month: int
    units_per_month: int
    stations: pd.DataFrame


def _copies(copies: object, stations: list[str]) -> dict[str, int]:
    """Equipment code → copies working side by side (whole, 1–100); others have one."""
    if copies is None:
        return {}
    if not isinstance(copies, Mapping):
        raise OvopError(t("technology.copies_not_dict"))
    found = {}
    for code, count in copies.items():
        if not isinstance(code, str) or code not in stations or code.startswith("op"):
            raise OvopError(t("technology.unknown_equipment", equipment=code,
                              known=", ".join(s for s in stations if not s.startswith("op"))))
        found[code] = _whole(count, "copies", low=1, high=_MAX_COPIES)
    return found


def _stations(ops: pd.DataFrame, copies: object, day: float) -> pd.DataFrame:
    """The stations of a checked process: operations grouped by equipment."""
    groups: dict[str, list] = {}
    for op in ops.itertuples():
        code = op.equipment_id if isinstance(op.equipment_id, str) else f"op{op.step_no}"
        groups.setdefault(code, []).append(op)
    counts = _copies(copies, list(groups))
    rows = []
    for code, members in groups.items():
        minutes = float(sum(op.minutes for op in members))
        n = counts.get(code, 1)
        rows.append({"station": code, "operations": "; ".join(op.operation for op in members),
                     "minutes": minutes, "copies": n, "minutes_per_batch": minutes / n,
                     "batches_per_day": day * n / minutes})
    table = pd.DataFrame(rows)
    slowest = checks.round_significant(table["minutes_per_batch"])
    table["bottleneck"] = slowest == slowest.max()
    return table


def _crew(crew: object, ops: pd.DataFrame) -> int | None:
    """People working at once (whole, 1–1000), at least as many as one operation needs."""
    if crew is None:
        return None
    crew = _whole(crew, "crew", low=1, high=_MAX_CREW)
    widest = ops.loc[ops["people"].idxmax()]
    if crew < widest["people"]:
        raise OvopError(t("technology.crew_too_small", crew=crew, people=int(widest["people"]),
                          operation=widest["operation"]))
    return crew


def capacity(process: pd.DataFrame, units_per_batch: int,
             hours_per_day: float = DEFAULT_HOURS_PER_DAY,
             working_days: int = DEFAULT_WORKING_DAYS, copies: Mapping[str, int] | None = None,
             crew: int | None = None) -> Capacity:
    """Batches and units a day and a month, and the bottleneck.

    Rule (a flow line): every station — a piece of equipment with all the operations that use
    it, or an operation without equipment — works on one batch at a time (n ``copies`` of its
    equipment: n batches side by side), and different stations work on different batches at
    the same time. With D = 60 × ``hours_per_day`` minutes a day, c = the largest
    minutes-per-batch of a station (÷ its copies) and w = person-minutes of a batch:

    ``B = ⌊min(D / c, crew × D / w)⌋`` batches a day (no crew term when ``crew`` is None);
    units a day B × N, a month B × ``working_days`` × N. The station with c is the bottleneck
    (all of them, when equal to 9 significant digits); a second copy of anything else does not
    raise B. The first batch of a run takes the lead time Σ minutes longer.

    ``process`` is one product's operations (:func:`process_with`); ``units_per_batch`` N ≥ 1;
    ``hours_per_day`` 1–24; ``working_days`` whole 1–31; ``copies`` equipment code → whole
    1–100; ``crew`` whole 1–1000, not fewer than one operation needs.

    >>> cap = capacity(lesson_process(), 100, copies={"press_manual": 2})
    >>> cap.bottleneck, cap.batches_per_day
    (('pot_pasteurizer',), 4)
    >>> capacity(lesson_process(), 100, crew=6).binding
    'crew'
    """
    ops = _operations(process)
    units = _whole(units_per_batch, "units_per_batch", low=1)
    hours = _num(hours_per_day, "hours_per_day", low=1, high=24)
    days = _whole(working_days, "working_days", low=1, high=31)
    day = 60 * hours
    stations = _stations(ops, copies, day)
    crew = _crew(crew, ops)
    cycle = float(stations["minutes_per_batch"].max())
    person = float((ops["minutes"] * ops["people"]).sum())
    by_station = day / cycle
    by_crew = None if crew is None else crew * day / person
    exact = by_station if by_crew is None else min(by_station, by_crew)
    per_day = math.floor(checks.round_significant(exact) + _TOLERANCE)
    slow = stations[stations["bottleneck"]]
    return Capacity(
        hours_per_day=hours, working_days=days, units_per_batch=units, cycle_minutes=cycle,
        lead_minutes=float(ops["minutes"].sum()), person_minutes=person,
        station_batches=by_station, crew=crew, crew_batches=by_crew,
        binding="crew" if by_crew is not None and by_crew < by_station * (1 - _TOLERANCE)
        else "equipment",
        bottleneck=tuple(slow["station"]), bottleneck_operations=tuple(slow["operations"]),
        batches_per_day=per_day, units_per_day=per_day * units,
        batches_per_month=per_day * days, units_per_month=per_day * days * units,
        stations=stations)


# --- the four monthly limits ---------------------------------------------------------------------
def _shares(seasonality: object) -> list[float]:
    """12 shares 0–1 by month that add up to 1 (to 10⁻⁶)."""
    shares = checks.by_month(seasonality, t("technology.field.season_share"), low=0, high=1)
    total = math.fsum(shares)
    if abs(total - 1) > 1e-6:
        raise OvopError(t("technology.season_sum", total=fmt_number(total, 4)))
    return shares


def season_shares(table: pd.DataFrame, product_id: str) -> list[float]:
    """The twelve monthly shares of a product's yearly sales, January first, from a
    seasonality table (the columns of ``sales_seasonality.csv``): every month once, adding up
    to 1.

    >>> shares = season_shares(load_table("lesson/sales_seasonality"), "sb_juice")
    >>> shares[6], round(sum(shares), 9)
    (0.16, 1.0)
    """
    name = t("technology.table.seasonality")
    clean = checks.table(table, SalesSeason, name, key=("product_id", "month"))
    rows = _product_rows(clean, product_id, name)
    missing = [m for m in MONTHS if m not in set(rows["month"])]
    if missing:
        raise OvopError(t("technology.season_months", product=product_id,
                          missing=", ".join(map(str, missing))))
    return _shares(dict(zip(rows["month"], rows["share"])))


def demand_by_month(units_year: float, seasonality: object = None) -> list[float]:
    """Units a month that can be sold: ``SOM × share_m``; ``share_m`` = 1/12 when
    ``seasonality`` is None (nothing known: even), else 12 shares by month that add up to 1.

    ``units_year`` — step 4's obtainable market (SOM), units a year, ≥ 0.

    >>> demand_by_month(1200)[:2]
    [100.0, 100.0]
    >>> demand_by_month(1000, [0.5, 0.5] + [0] * 10)[:3]
    [500.0, 500.0, 0.0]
    """
    units = _num(units_year, "units_year", low=0)
    shares = [1 / 12] * 12 if seasonality is None else _shares(seasonality)
    return checks.bounded([units * share for share in shares], t("technology.field.demand"))


def labour_limit(person_hours: object, labour_minutes: float) -> list[int]:
    """Units a month step 1's available person-hours allow: ``⌊H_m × 60 / m⌋``, m the labour
    minutes per unit (> 0), ``person_hours`` 12 values by month
    (:func:`~ovop_course.steps.territory.person_hours`).

    >>> labour_limit([18] * 12, 10.8)[0]
    100
    """
    hours = checks.by_month(person_hours, t("technology.field.person_hours"), low=0)
    minutes = _num(labour_minutes, "labour_minutes", low=0, low_open=True)
    units = checks.bounded([h * 60 / minutes for h in hours], t("technology.field.labour"))
    return [math.floor(u + _TOLERANCE) for u in units]


def monthly_limits(capacity_units: object, raw_units: object, demand_units: object,
                   labour_units: object) -> pd.DataFrame:
    """Month by month, which of the four limits binds: the smallest of capacity (units a
    month, :class:`Capacity`), raw materials (step 2's stable supply in units), demand (step
    4's SOM by month, :func:`demand_by_month`) and labour (step 1's person-hours in units,
    :func:`labour_limit`). Each is one number for every month or 12 numbers by month, ≥ 0.

    Returns a DataFrame with ``month`` 1–12, the four limits (columns ``capacity``,
    ``raw_materials``, ``demand``, ``labour``), ``feasible`` = their minimum (what can be made
    and sold) and ``binding`` = the name of the smallest (a tie — equal to 9 significant
    digits — goes to the first in that order).

    >>> table = monthly_limits(8800, 2600, [270] * 12, 1000)
    >>> table.loc[0, "binding"], float(table.loc[0, "feasible"])
    ('demand', 270.0)
    """
    values = {name: _monthly(v, name) for name, v in zip(
        LIMITS, (capacity_units, raw_units, demand_units, labour_units))}
    table = pd.DataFrame({"month": list(MONTHS), **values})
    table["feasible"] = table[list(LIMITS)].min(axis=1)
    rounded = checks.round_significant(table[list(LIMITS)].to_numpy())
    table["binding"] = [LIMITS[list(row).index(min(row))] for row in rounded]
    return table


# --- 2. equipment ---------------------------------------------------------------------------------
def check_equipment(equipment: pd.DataFrame) -> pd.DataFrame:
    """An equipment table (the columns of ``equipment.csv``) checked against
    :class:`~ovop_course.schemas.Equipment`; each code once."""
    return checks.table(equipment, Equipment, t("technology.table.equipment"),
                        key=("equipment_id",))


def depreciation(price_som: float, lifetime_years: float) -> float:
    """Straight-line depreciation, som a year: ``price / life`` (FAO RuralInvest: «annual
    investment cost = total / life of item»). ``price_som`` ≥ 0, ``lifetime_years`` 1–50.

    >>> depreciation(25_000, 5)
    5000.0
    """
    price = _num(price_som, "price", low=0)
    life = _num(lifetime_years, "life", low=1, high=50)
    return price / life


def equipment_table(equipment: pd.DataFrame, process: pd.DataFrame,
                    extra: Iterable[str] = ()) -> pd.DataFrame:
    """The equipment a process uses (each code once, in the order of the operations) and the
    ``extra`` codes (a freezer for storage), with ``depreciation_som_year`` = price / life.

    Columns: ``equipment_id``, ``item``, ``level``, ``price_som``, ``lifetime_years``,
    ``depreciation_som_year``.

    >>> table = equipment_table(load_table("lesson/equipment"), lesson_process())
    >>> int(table["price_som"].sum()), float(table["depreciation_som_year"].sum())
    (107000, 16025.0)
    """
    known = check_equipment(equipment).set_index("equipment_id")
    used = [code for code in _operations(process)["equipment_id"] if isinstance(code, str)]
    codes = list(dict.fromkeys([*used, *_codes(extra, "extra")]))
    missing = [code for code in codes if code not in known.index]
    if missing:
        raise OvopError(t("technology.unknown_equipment", equipment=", ".join(missing),
                          known=", ".join(known.index)))
    table = known.loc[codes, ["item", "level", "price_som", "lifetime_years"]].reset_index()
    table["depreciation_som_year"] = table["price_som"] / table["lifetime_years"]
    return table


def money_at_risk(investment_som: float, monthly_surplus_som: float,
                  months: int = DEFAULT_RISK_MONTHS) -> float:
    """The investment not earned back if sales stop after ``months``: ``max(0, I − N × s)``.

    ``investment_som`` I ≥ 0 (the equipment bought); ``monthly_surplus_som`` s — the cash the
    sales leave a month after variable costs and overheads, (P − V) × Q / 12 − overheads / 12
    (negative: a loss, which adds to the risk); ``months`` N whole 0–240. The equipment's resale
    value is not counted: a used press sells in the village, a used filling line rarely does.

    >>> money_at_risk(107_000, 8_000), money_at_risk(107_000, 8_000, 24)
    (11000.0, 0.0)
    """
    investment = _num(investment_som, "investment", low=0)
    surplus = _num(monthly_surplus_som, "surplus")
    months = _whole(months, "risk_months", low=0, high=costing.MAX_PERIODS)
    return checks.bounded(max(0.0, investment - months * surplus), t("technology.field.risk"))


# --- 3. the cost sheet ----------------------------------------------------------------------------
def labour_cost(labour_minutes: float, wage_som_hour: float) -> float:
    """Labour per unit, som: ``minutes / 60 × wage`` (``labour_minutes`` ≥ 0 person-minutes a
    unit, ``wage_som_hour`` ≥ 0 som an hour).

    >>> labour_cost(10.8, 150)
    27.0
    """
    minutes = _num(labour_minutes, "labour_minutes", low=0)
    wage = _num(wage_som_hour, "wage", low=0)
    return checks.bounded(round(minutes * wage / 60, 12), t("technology.field.labour_som"))


def energy_cost(energy_kwh: float, tariff_som_kwh: float) -> float:
    """Electricity per unit, som: ``kWh × tariff`` (kWh a unit ≥ 0, som a kWh ≥ 0).

    >>> energy_cost(0.18, 3.5)
    0.63
    """
    kwh = _num(energy_kwh, "energy_kwh", low=0)
    tariff = _num(tariff_som_kwh, "tariff", low=0)
    return checks.bounded(round(kwh * tariff, 12), t("technology.field.energy_som"))


def overheads_per_year(overheads: pd.DataFrame) -> float:
    """Overheads of a year, som: Σ amount × 12 for a monthly amount (``per`` «месяц»), × 1 for
    a yearly one («год»); the table has the columns of ``overheads.csv``.

    >>> overheads_per_year(load_table("lesson/overheads"))
    150000.0
    """
    clean = checks.table(overheads, Overhead, t("technology.table.overheads"),
                         key=("overhead_id",))
    factor = clean["per"].map({"месяц": 12, "год": 1})
    return checks.bounded(float((clean["amount_som"] * factor).sum()),
                          t("technology.field.overheads"))


_SECTIONS = {"raw": "materials", "packaging": "materials", "labour": "labour",
             "energy": "indirect", "overheads": "indirect", "depreciation": "indirect",
             "variable": "total", "fixed": "total", "total": "total"}
_KINDS = {"raw": "variable", "packaging": "variable", "labour": "variable",
          "energy": "variable", "overheads": "fixed", "depreciation": "fixed",
          "variable": "variable", "fixed": "fixed", "total": ""}


def _unit_costs(raw, packaging, labour, energy, overheads, depreciation, units):
    """Checked per-unit and per-year amounts of the cost sheet's items."""
    per_unit = {key: _num(v, f"{key}_som", low=0) for key, v in (
        ("raw", raw), ("packaging", packaging), ("labour", labour), ("energy", energy))}
    per_year = {"overheads": _num(overheads, "overheads", low=0),
                "depreciation": _num(depreciation, "depreciation", low=0)}
    return per_unit, per_year, _num(units, "units_year", low=0, low_open=True)


def cost_sheet(raw_som: float, packaging_som: float, labour_som: float, energy_som: float,
               overheads_som_year: float, depreciation_som_year: float,
               units_year: float) -> pd.DataFrame:
    """The cost of a unit, laid out as the ILO IYB product costing form: direct materials
    (raw materials, packaging), direct labour, indirect costs (energy, overheads,
    depreciation), then the totals.

    Variable items are som per unit (``raw_som`` — recipe × step 2's prices, ``packaging_som``,
    ``labour_som`` — :func:`labour_cost`, ``energy_som`` — :func:`energy_cost`); fixed items are
    som a year (``overheads_som_year`` — :func:`overheads_per_year`, ``depreciation_som_year``
    — Σ :func:`depreciation`) and are spread over ``units_year`` Q > 0:
    ``V = raw + packaging + labour + energy``, ``F = overheads + depreciation``,
    ``C = V + F / Q``.

    Returns a DataFrame, one row per item of :data:`COST_ROWS`: ``row`` (its code), ``section``
    and ``item`` (names in the UI language), ``kind`` («variable», «fixed», empty for the
    total), ``per_unit_som``, ``per_year_som`` (per unit × Q, or the year's amount) and
    ``share`` (of the unit cost C).

    >>> sheet = cost_sheet(60, 30, 25, 5, 100_000, 20_000, 2_000).set_index("row")
    >>> sheet.loc[["variable", "fixed", "total"], "per_unit_som"].tolist()
    [120.0, 60.0, 180.0]
    """
    per_unit, per_year, units = _unit_costs(raw_som, packaging_som, labour_som, energy_som,
                                            overheads_som_year, depreciation_som_year,
                                            units_year)
    amounts = {key: (value, value * units) for key, value in per_unit.items()}
    amounts |= {key: (value / units, value) for key, value in per_year.items()}
    variable = sum(per_unit.values())
    fixed = sum(per_year.values())
    amounts |= {"variable": (variable, variable * units), "fixed": (fixed / units, fixed),
                "total": (variable + fixed / units, variable * units + fixed)}
    total = amounts["total"][0]
    rows = [{"row": key, "section": t(f"technology.section.{_SECTIONS[key]}"),
             "item": t(f"technology.row.{key}"), "kind": _KINDS[key],
             "per_unit_som": unit, "per_year_som": year,
             "share": unit / total if total else 0.0}
            for key, (unit, year) in amounts.items()]
    return checks.bounded(pd.DataFrame(rows), t("technology.table.cost_sheet"))


# --- 4. the price ---------------------------------------------------------------------------------
def cost_plus_price(unit_cost_som: float, markup: float) -> float:
    """Cost-plus price, som: ``P = C × (1 + k)``; ``unit_cost_som`` C > 0, ``markup`` k a share
    of the cost above −1 (0.3 = 30 %).

    >>> cost_plus_price(100, 0.3)
    130.0
    """
    cost = _num(unit_cost_som, "unit_cost", low=0, low_open=True)
    k = _num(markup, "markup", low=-1, low_open=True)
    return checks.bounded(round(cost * (1 + k), 9), t("technology.field.price"))


def price_position(price_som: float, low_som: float, high_som: float) -> str:
    """Where a price stands against a market range (step 4's corridor or producer prices):
    «below» (< low), «inside» (low ≤ P ≤ high) or «above» (> high); 0 < low ≤ high.

    >>> price_position(201.6, 172.5, 225), price_position(201.6, 98.75, 141.25)
    ('inside', 'above')
    """
    price = _num(price_som, "price", low=0, low_open=True)
    low = _num(low_som, "price_low", low=0, low_open=True)
    high = _num(high_som, "price_high", low=0, low_open=True)
    if low > high:
        raise OvopError(t("technology.range_reversed", low=_money(low), high=_money(high)))
    return "below" if price < low else "above" if price > high else "inside"


def explain_markup(markup: float, cost_som: float = 100.0) -> str:
    """Why a markup of k is not a margin of k, in plain words with the numbers: the price
    ``C × (1 + k)``, the margin ``k / (1 + k)`` (costing.margin) and the markup a margin of k
    would need, ``k / (1 − k)`` (costing.markup_from_margin; none when k ≥ 1).

    ``markup`` k ≥ 0 (0.3 = 30 %); ``cost_som`` C > 0.

    >>> print(explain_markup(0.3))  # doctest: +ELLIPSIS
    Наценка 30,0% на себестоимость 100...это 23,1%, а не 30,0%...наценка должна быть 42,9%...
    """
    k = _num(markup, "markup", low=0)
    cost = _num(cost_som, "unit_cost", low=0, low_open=True)
    price = cost_plus_price(cost, k)
    m = costing.margin(price, cost)
    text = t("technology.explain.markup", markup=fmt_percent(k), cost=_money(cost),
             price=_money(price), profit=_money(price - cost), margin=fmt_percent(m))
    if k >= 1:
        return text + " " + t("technology.explain.no_margin", markup=fmt_percent(k))
    needed = costing.markup_from_margin(k)
    return text + " " + t("technology.explain.needed", margin=fmt_percent(k),
                          markup=fmt_percent(needed), price=_money(cost * (1 + needed)))


# --- 5. break-even --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BreakEven:
    """Break-even a year: ``units`` Q* = F / (P − V) (real), ``units_whole`` ⌈Q*⌉ (what the
    tool shows), ``revenue_som`` Q* × P."""

    units: float
    units_whole: int
    revenue_som: float


def break_even(fixed_som: float, price_som: float, variable_som: float) -> BreakEven:
    """Break-even in units and in som (costing.break_even_units, costing.break_even_revenue):
    ``Q* = F / (P − V)``, ``R* = Q* × P``, and ``⌈Q*⌉`` whole units (Q* equal to a whole number
    to 9 significant digits is that number). A price at or below V is the course's error.

    >>> break_even(12_000, 250, 130)
    BreakEven(units=100.0, units_whole=100, revenue_som=25000.0)
    """
    units = costing.break_even_units(fixed_som, price_som, variable_som)
    revenue = costing.break_even_revenue(fixed_som, price_som, variable_som)
    return BreakEven(units=units, units_whole=math.ceil(checks.round_significant(units)),
                     revenue_som=revenue)


def cvp_table(fixed_som: float, price_som: float, variable_som: float,
              max_units: float | None = None, points: int = 21) -> pd.DataFrame:
    """The cost-volume-profit chart's data: for ``points`` volumes Q from 0 to ``max_units``
    (default ⌈2 × Q*⌉, twice the break-even), ``revenue_som`` P × Q, ``variable_som`` V × Q,
    ``fixed_som`` F, ``total_cost_som`` F + V × Q and ``profit_som`` (P − V) × Q − F.

    ``fixed_som`` ≥ 0, ``price_som`` > 0, ``variable_som`` ≥ 0 (below the price when
    ``max_units`` is not given: the break-even must exist), ``max_units`` > 0, ``points`` whole
    2–501.

    >>> cvp_table(12_000, 250, 130, points=3)["profit_som"].tolist()
    [-12000.0, 0.0, 12000.0]
    """
    fixed = _num(fixed_som, "fixed", low=0)
    price = _num(price_som, "price", low=0, low_open=True)
    variable = _num(variable_som, "variable", low=0)
    if max_units is None:
        top = max(1, math.ceil(2 * costing.break_even_units(fixed, price, variable)))
    else:
        top = _num(max_units, "max_units", low=0, low_open=True)
    n = _whole(points, "points", low=2, high=501)
    units = [top * i / (n - 1) for i in range(n)]
    table = pd.DataFrame({"units": units})
    table["revenue_som"] = table["units"] * price
    table["variable_som"] = table["units"] * variable
    table["fixed_som"] = fixed
    table["total_cost_som"] = table["fixed_som"] + table["variable_som"]
    table["profit_som"] = table["revenue_som"] - table["total_cost_som"]
    return checks.bounded(table, t("technology.table.cvp"))


# --- 6. the first year month by month -----------------------------------------------------------
@dataclass(frozen=True)
class YearPlan:
    """The first year month by month (:func:`year_plan`).

    ``table``: one row per month of the plan — ``period`` 1–12, ``month`` (calendar 1–12),
    ``demand``, ``made``, ``sold``, ``stock`` (units at the end of the month), ``revenue_som``,
    ``production_som`` (variable costs of what is made), ``fixed_som``, ``investment_som``,
    ``net_som`` and ``cumulative_som``. Summary: units made, sold, not sold for want of stock
    (``lost_units``) and left at the end; revenue and the year's operating cash (without the
    investment) and net cash; ``working_capital_som`` — the largest cumulative deficit of the
    operating cash; ``peak_deficit_som`` — of the net cash, with the investment; ``peak_month``
    — its calendar month (None when the cash is never below 0).
    """

    table: pd.DataFrame
    start_month: int
    made_units: float
    sold_units: float
    lost_units: float
    closing_stock_units: float
    revenue_som: float
    operating_som: float
    net_som: float
    working_capital_som: float
    peak_deficit_som: float
    peak_month: int | None


def _first_of_season(months: tuple[int, ...]) -> int:
    """The first production month that follows a month without production (January when
    every month produces)."""
    for month in months:
        if (month - 2) % 12 + 1 not in months:
            return month
    return 1


def _spread(total: float, caps: list[float]) -> list[float]:
    """``total`` over the months, evenly, each at most its cap (the rest goes to the months
    with room): made_m = min(cap_m, x) with Σ made = total, or every cap if Σ caps ≤ total."""
    if math.fsum(caps) <= total:
        return list(caps)
    left, level = total, 0.0
    ordered = sorted(caps)
    for i, cap in enumerate(ordered):
        if cap * (len(ordered) - i) >= left:
            level = left / (len(ordered) - i)
            break
        left -= cap
    return [min(cap, level) for cap in caps]


def _plan_inputs(sales, production_months, price_som, variable_som, fixed_som_month,
                 investment_som, output_cap, start_month):
    """The checked arguments of :func:`year_plan`."""
    demand = _monthly(sales, "sales")
    months = raw_materials.check_months(production_months)
    prices = (_num(price_som, "price", low=0, low_open=True), _num(variable_som, "variable",
                                                                  low=0))
    fixed = (_num(fixed_som_month, "fixed_month", low=0), _num(investment_som, "investment",
                                                               low=0))
    caps = [math.inf] * 12 if output_cap is None else _monthly(output_cap, "output_cap")
    start = (_first_of_season(months) if start_month is None
             else _whole(start_month, "start_month", low=1, high=12))
    return demand, months, prices, fixed, caps, start


def _cash(table: pd.DataFrame) -> tuple[float, float, int | None]:
    """Working capital, peak deficit and its month of a plan table."""
    operating = (table["net_som"] + table["investment_som"]).cumsum()
    low = int(table["cumulative_som"].idxmin())
    deficit = max(0.0, -float(table["cumulative_som"].iloc[low]))
    return (max(0.0, -float(operating.min())), deficit,
            int(table["month"].iloc[low]) if deficit > 0 else None)


def year_plan(sales: object, production_months: Iterable[int], price_som: float,
              variable_som: float, fixed_som_month: float, investment_som: float = 0.0,
              output_cap: object = None, start_month: int | None = None) -> YearPlan:
    """The first year month by month: sales by season, production in the season, the cash.

    ``sales`` — units that can be sold each calendar month (12 by month, or one number for
    every month: :func:`demand_by_month`); ``production_months`` — months 1–12 the group makes
    the product (step 2's season of the raw material); ``price_som`` P > 0 the group receives a
    unit; ``variable_som`` V ≥ 0 a unit (paid when made); ``fixed_som_month`` ≥ 0 a month (cash
    overheads, no depreciation); ``investment_som`` ≥ 0 (paid in the first month);
    ``output_cap`` — units a month that can be made at most (capacity, raw materials, labour:
    :func:`monthly_limits` without demand; None — no limit); ``start_month`` — the calendar
    month the plan starts (default: the first month of the production season).

    Rules, month by month from the start: the year's sales Σ sales are made in the production
    months, evenly, each at most its cap (the rest goes to those with room); sold = min(sales,
    stock + made), the rest stays in stock; revenue = sold × P, production = made × V,
    net = revenue − production − fixed − investment; cumulative = Σ net so far.

    >>> plan = year_plan([100] * 12, [1, 2], 10, 4, 100)
    >>> plan.table["made"].tolist()[:3], plan.peak_month, plan.working_capital_som
    ([600.0, 600.0, 0.0], 2, 3000.0)
    """
    demand, months, (price, variable), (fixed, investment), caps, start = _plan_inputs(
        sales, production_months, price_som, variable_som, fixed_som_month, investment_som,
        output_cap, start_month)
    order = [(start - 1 + i) % 12 + 1 for i in range(12)]
    making = [m for m in order if m in months]
    made = dict(zip(making, _spread(math.fsum(demand), [caps[m - 1] for m in making])))
    rows, stock = [], 0.0
    for period, month in enumerate(order, start=1):
        made_m = made.get(month, 0.0)
        sold = min(demand[month - 1], stock + made_m)
        stock = stock + made_m - sold
        spent = investment if period == 1 else 0.0
        rows.append({"period": period, "month": month, "demand": demand[month - 1],
                     "made": made_m, "sold": sold, "stock": stock, "revenue_som": sold * price,
                     "production_som": made_m * variable, "fixed_som": fixed,
                     "investment_som": spent,
                     "net_som": sold * price - made_m * variable - fixed - spent})
    table = pd.DataFrame(rows)
    table["cumulative_som"] = table["net_som"].cumsum()
    table = checks.bounded(table, t("technology.table.year"))
    working, deficit, peak = _cash(table)
    net = float(table["net_som"].sum())
    lost = math.fsum(demand) - float(table["sold"].sum())
    return YearPlan(
        table=table, start_month=start, made_units=float(table["made"].sum()),
        sold_units=float(table["sold"].sum()),
        lost_units=lost if lost > _TOLERANCE * max(1.0, math.fsum(demand)) else 0.0,
        closing_stock_units=stock if stock > _TOLERANCE * max(1.0, stock) else 0.0,
        revenue_som=float(table["revenue_som"].sum()), operating_som=net + investment,
        net_som=net, working_capital_som=working, peak_deficit_som=deficit, peak_month=peak)


def _investment_flows(items: list[tuple[float, float]], years: int
                      ) -> tuple[list[float], float]:
    """Purchases by year 0…years (each item again when it wears out) and the book value left
    at the end."""
    out, residual = [0.0] * (years + 1), 0.0
    for price, life in items:
        bought = 0
        for year in range(0, years, max(1, math.ceil(life - _TOLERANCE))):
            out[year] += price
            bought = year
        residual += price * max(0.0, life - (years - bought)) / life
    return out, residual


def _items(items: pd.DataFrame) -> list[tuple[float, float]]:
    clean = checks.columns(items, Equipment, ("price_som", "lifetime_years"),
                           t("technology.table.equipment"))
    return list(zip(clean["price_som"].astype(float), clean["lifetime_years"].astype(float)))


def _years(years: object, items: list[tuple[float, float]]) -> int:
    if years is None:
        return int(max(math.ceil(life - _TOLERANCE) for _, life in items))
    return _whole(years, "years", low=1, high=_MAX_YEARS)


def investment_flows(items: pd.DataFrame, years: int | None = None
                     ) -> tuple[list[float], float]:
    """What the equipment costs year by year over ``years`` (default: the longest life of the
    items), and what it is still worth at the end.

    Each item (``price_som``, ``lifetime_years``: :func:`equipment_table`) is bought in year 0
    and again every ``life`` years while the project lasts; at the end the last purchase is
    worth its straight-line book value ``price × (life − age) / life``. Returns (purchases for
    years 0…years, residual value), som.

    >>> items = pd.DataFrame({"price_som": [45_000, 6_000], "lifetime_years": [8, 5]})
    >>> investment_flows(items, 10)
    ([51000.0, 0.0, 0.0, 0.0, 0.0, 6000.0, 0.0, 0.0, 45000.0, 0.0, 0.0], 33750.0)
    """
    listed = _items(items)
    return _investment_flows(listed, _years(years, listed))


def project_flows(annual_som: float, items: pd.DataFrame, years: int | None = None
                  ) -> list[float]:
    """Yearly net cash flows over the equipment's life: ``f_0 = −purchases of year 0``;
    ``f_t = annual − purchases of year t`` for t = 1…years; the residual value is added to the
    last year (:func:`investment_flows`). ``annual_som`` — the operating cash of a year (revenue
    − variable costs − cash overheads), the same every year (no growth: a cautious teaching
    assumption).

    >>> items = pd.DataFrame({"price_som": [1000], "lifetime_years": [3]})
    >>> project_flows(500, items)
    [-1000.0, 500.0, 500.0, 500.0]
    """
    annual = _num(annual_som, "annual")
    out, residual = investment_flows(items, years)
    flows = [-out[0]] + [annual - spent for spent in out[1:]]
    flows[-1] += residual
    return checks.bounded(flows, t("technology.field.flows"))


@dataclass(frozen=True)
class Appraisal:
    """NPV (som), IRR (a share a year, or None with the course's message why), payback and
    discounted payback (years, or None when the flows never pay back) of yearly flows."""

    rate: float
    npv_som: float
    irr: float | None
    irr_message: str | None
    payback_years: float | None
    discounted_payback_years: float | None


def appraisal(rate: float, flows: object) -> Appraisal:
    """NPV, IRR and payback of yearly ``flows`` at the yearly ``rate`` (costing.npv,
    costing.irr, costing.payback_years, costing.discounted_payback_years). An IRR that does not
    exist (no sign change, several rates) is None and ``irr_message`` the course's text.

    >>> a = appraisal(0.1, [-1000, 500, 500, 500])
    >>> round(a.npv_som, 2), round(a.irr, 4), a.payback_years
    (243.43, 0.2338, 2.0)
    >>> appraisal(0.1, [100, 50]).irr_message[:8]
    'IRR нет:'
    """
    npv = costing.npv(rate, flows)
    try:
        irr, message = costing.irr(flows), None
    except OvopError as error:
        irr, message = None, str(error)
    return Appraisal(rate=float(rate), npv_som=npv, irr=irr, irr_message=message,
                     payback_years=costing.payback_years(flows),
                     discounted_payback_years=costing.discounted_payback_years(rate, flows))


# --- 7. sensitivity ------------------------------------------------------------------------------
def year_profit(price_som: float, variable_som: float, fixed_som: float, units: float) -> float:
    """The year's profit, som: ``(P − V) × Q − F`` (F with depreciation).

    >>> year_profit(250, 130, 12_000, 150)
    6000.0
    """
    price = _num(price_som, "price", low=0)
    variable = _num(variable_som, "variable", low=0)
    fixed = _num(fixed_som, "fixed", low=0)
    q = _num(units, "units_year", low=0)
    return checks.bounded((price - variable) * q - fixed, t("technology.field.profit"))


def break_even_price(fixed_som: float, variable_som: float, units: float) -> float:
    """The price at which the year's profit is 0 for Q units: ``P* = V + F / Q`` (= the unit
    cost); F ≥ 0, V ≥ 0, Q > 0.

    >>> break_even_price(12_000, 130, 100)
    250.0
    """
    fixed = _num(fixed_som, "fixed", low=0)
    variable = _num(variable_som, "variable", low=0)
    q = _num(units, "units_year", low=0, low_open=True)
    return checks.bounded(variable + fixed / q, t("technology.field.price"))


def tornado(price_som: float, raw_som: float, labour_som: float, other_som: float,
            fixed_som: float, units: float, change: float = DEFAULT_CHANGE) -> pd.DataFrame:
    """The year's profit ``(P − V) × Q − F``, V = raw + labour + other, when each factor alone
    moves by ± ``change``: the price P, the raw-material price (raw), the volume sold Q and the
    labour cost (labour). ``other_som`` (packaging, energy) and F do not move.

    Returns a DataFrame sorted by ``swing_som`` (largest first; a tie keeps the order of
    :data:`FACTORS`): ``factor``, ``item`` (its name), ``low_som`` (profit at −change),
    ``high_som`` (at +change), ``base_som`` and ``swing_som`` = |high − low|. ``change`` is a
    share above 0 and below 1 (0.2 = ±20 %).

    >>> tornado(250, 60, 30, 40, 12_000, 150)["factor"].tolist()
    ['price', 'volume', 'raw_price', 'labour']
    """
    base = {"price": price_som, "raw_price": raw_som, "labour": labour_som,
            "volume": units}
    values = {key: _num(value, {"raw_price": "raw_som", "labour": "labour_som",
                                "volume": "units_year"}.get(key, "price"), low=0)
              for key, value in base.items()}
    other = _num(other_som, "other_som", low=0)
    fixed = _num(fixed_som, "fixed", low=0)
    share = _num(change, "change", low=0, high=1, low_open=True, high_open=True)

    def profit(**moved: float) -> float:
        v = {**values, **moved}
        return (v["price"] - v["raw_price"] - v["labour"] - other) * v["volume"] - fixed

    rows = []
    for factor in FACTORS:
        low = profit(**{factor: values[factor] * (1 - share)})
        high = profit(**{factor: values[factor] * (1 + share)})
        rows.append({"factor": factor, "item": t(f"technology.factor.{factor}"),
                     "low_som": low, "high_som": high, "base_som": profit(),
                     "swing_som": abs(high - low)})
    table = pd.DataFrame(rows)
    order = checks.round_significant(table["swing_som"])
    table = table.iloc[sorted(range(len(table)), key=lambda i: -order.iloc[i])]
    return checks.bounded(table.reset_index(drop=True), t("technology.table.tornado"))


# --- the plan: step 6's inputs as plain numbers, and everything computed from them ----------------
@dataclass(frozen=True)
class Plan:
    """One product with one choice of equipment: every input of step 6 as plain numbers, so
    that the tool recomputes everything on a slider move without reading tables again.

    Money in som: ``price_som`` (what the group receives a unit: step 4's producer price, or a
    cost-plus price), ``raw_som`` and ``packaging_som`` a unit (step 5's
    :func:`~ovop_course.steps.product.unit_cost` at step 2's prices), ``labour_minutes`` a unit
    (:func:`labour_minutes_per_unit`) at ``wage_som_hour``, ``energy_som`` a unit,
    ``overheads_som_year``; ``equipment`` — (code, price, life in years) of each item;
    ``sales`` — units that can be sold by calendar month (:func:`demand_by_month`);
    ``output_cap`` — units that can be made by month (the smallest of capacity, raw materials
    and labour); ``production_months``; ``capacity_units_month`` and ``bottleneck`` — from
    :func:`capacity`; ``start_month`` of the first year (None: the first of the season);
    ``rate`` — discount rate a year; ``years`` of the project (None: the longest life);
    ``risk_months`` — when sales stop in :func:`money_at_risk`.
    """

    product_id: str
    scenario: str
    units_per_batch: int
    price_som: float
    raw_som: float
    packaging_som: float
    labour_minutes: float
    wage_som_hour: float
    energy_som: float
    overheads_som_year: float
    equipment: tuple[tuple[str, float, float], ...]
    sales: tuple[float, ...]
    output_cap: tuple[float, ...]
    production_months: tuple[int, ...]
    capacity_units_month: float
    bottleneck: tuple[str, ...] = ()
    start_month: int | None = None
    rate: float = DEFAULT_RATE
    years: int | None = None
    risk_months: int = DEFAULT_RISK_MONTHS

    @property
    def labour_som(self) -> float:
        return round(self.labour_minutes * self.wage_som_hour / 60, 12)

    @property
    def variable_som(self) -> float:
        return self.raw_som + self.packaging_som + self.labour_som + self.energy_som

    @property
    def investment_som(self) -> float:
        return float(sum(price for _, price, _ in self.equipment))

    @property
    def depreciation_som_year(self) -> float:
        return float(sum(price / life for _, price, life in self.equipment))

    @property
    def fixed_som_year(self) -> float:
        return self.overheads_som_year + self.depreciation_som_year


def _equipment(items: object) -> tuple[tuple[str, float, float], ...]:
    """(code, price ≥ 0, life in whole years 1–50) triples."""
    if not isinstance(items, (list, tuple)):
        raise OvopError(t("technology.not_equipment"))
    found = []
    for item in items:
        if not isinstance(item, (list, tuple)) or len(item) != 3 or not isinstance(item[0], str):
            raise OvopError(t("technology.not_equipment"))
        found.append((item[0], _num(item[1], "price", low=0),
                      float(_whole(item[2], "life", low=1, high=50))))
    return tuple(found)


def _checked_plan(plan: Plan) -> Plan:
    """Every field of a plan checked (OvopError on a bad one), numbers as plain floats."""
    money = {name: _num(getattr(plan, name), name, low=0) for name in (
        "raw_som", "packaging_som", "labour_minutes", "wage_som_hour", "energy_som",
        "overheads_som_year", "capacity_units_month")}
    return dataclasses.replace(
        plan, **money, product_id=checks.text(plan.product_id, t("technology.field.product")),
        scenario=checks.text(plan.scenario, t("technology.field.scenario")),
        units_per_batch=_whole(plan.units_per_batch, "units_per_batch", low=1),
        price_som=_num(plan.price_som, "price", low=0, low_open=True),
        equipment=_equipment(plan.equipment), sales=tuple(_monthly(plan.sales, "sales")),
        output_cap=tuple(_monthly(plan.output_cap, "output_cap")),
        production_months=raw_materials.check_months(plan.production_months),
        bottleneck=_codes(plan.bottleneck, "bottleneck"),
        start_month=None if plan.start_month is None else _whole(plan.start_month,
                                                                 "start_month", 1, 12),
        rate=_num(plan.rate, "rate", low=-1, low_open=True),
        years=None if plan.years is None else _whole(plan.years, "years", 1, _MAX_YEARS),
        risk_months=_whole(plan.risk_months, "risk_months", 0, costing.MAX_PERIODS))


def make_plan(**fields) -> Plan:
    """A :class:`Plan` from its fields (by name), checked: a field unknown, missing or of the
    wrong kind is the course's error."""
    try:
        plan = Plan(**fields)
    except TypeError:
        raise OvopError(t("technology.plan_fields",
                          fields=", ".join(f.name for f in dataclasses.fields(Plan)))) from None
    return _checked_plan(plan)


@dataclass(frozen=True)
class Evaluation:
    """Everything step 6 computes from a :class:`Plan` (:func:`evaluate`).

    ``sheet`` — :func:`cost_sheet` at the units sold in the year; ``variable_som``,
    ``fixed_som_year``, ``unit_cost_som`` and ``units_year`` (sold); ``margin`` and ``markup``
    of the price over the unit cost; ``profit_year_som``; ``break_even``; ``cvp`` —
    :func:`cvp_table`; ``year`` — :func:`year_plan`; ``flows`` and ``appraisal`` over the
    project's years; ``tornado``; ``break_even_price_som``; ``monthly_surplus_som`` (the cash a
    month after variable costs and overheads, on average); ``money_at_risk_som`` after the
    plan's ``risk_months``; ``capital_tied_som`` = investment + working capital.
    """

    plan: Plan
    sheet: pd.DataFrame
    variable_som: float
    fixed_som_year: float
    unit_cost_som: float
    units_year: float
    margin: float
    markup: float
    profit_year_som: float
    break_even: BreakEven
    cvp: pd.DataFrame
    year: YearPlan
    flows: list[float]
    appraisal: Appraisal
    tornado: pd.DataFrame
    break_even_price_som: float
    monthly_surplus_som: float
    money_at_risk_som: float
    capital_tied_som: float


def _changed(plan: object, changes: dict) -> Plan:
    if not isinstance(plan, Plan):
        raise OvopError(t("technology.not_plan"))
    try:
        plan = dataclasses.replace(plan, **changes) if changes else plan
    except TypeError:
        raise OvopError(t("technology.plan_fields",
                          fields=", ".join(f.name for f in dataclasses.fields(Plan)))) from None
    return _checked_plan(plan)


def _items_frame(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame({"price_som": [p for _, p, _ in plan.equipment] or [0.0],
                         "lifetime_years": [life for _, _, life in plan.equipment] or [1.0]})


def _project(plan: Plan, operating: float) -> list[float]:
    """Yearly flows of the plan: its equipment, the first year's operating cash every year."""
    items = [(price, life) for _, price, life in plan.equipment] or [(0.0, 1.0)]
    out, residual = _investment_flows(items, _years(plan.years, items))
    flows = [-out[0]] + [operating - spent for spent in out[1:]]
    flows[-1] += residual
    return checks.bounded(flows, t("technology.field.flows"))


def _chart_units(break_even_units: float, units: float) -> float:
    """The CVP chart's widest volume: twice the break-even, and beyond the plan's volume."""
    return float(max(1, math.ceil(2 * break_even_units), math.ceil(1.2 * units)))


def evaluate(plan: Plan, **changes) -> Evaluation:
    """The whole of step 6 for a plan, with ``changes`` to its fields (``price_som=180``):
    the cost sheet, break-even, the CVP data, the first year, NPV/IRR/payback, the tornado and
    the money at risk (:class:`Evaluation`). Fast: plain numbers, no tables read; a plan
    evaluated before (the lesson's, a tool's settings seen again) is not computed again, and
    each call gets its own copy of the result.

    >>> e = evaluate(lesson_plan())
    >>> round(e.unit_cost_som, 2), e.break_even.units_whole, e.year.peak_month
    (174.33, 2114, 11)
    """
    return copy.deepcopy(_evaluated(_changed(plan, changes), get_language()))


@lru_cache(maxsize=128)
def _evaluated(plan: Plan, _language: str) -> Evaluation:
    """:func:`evaluate` of a checked plan; its texts (the items of the sheet and tornado) in
    the UI language ``_language``."""
    variable, fixed = plan.variable_som, plan.fixed_som_year
    year = year_plan(plan.sales, plan.production_months, plan.price_som, variable,
                     plan.overheads_som_year / 12, plan.investment_som, plan.output_cap,
                     plan.start_month)
    units = year.sold_units
    if units <= 0:
        raise OvopError(t("technology.nothing_sold"))
    sheet = cost_sheet(plan.raw_som, plan.packaging_som, plan.labour_som, plan.energy_som,
                       plan.overheads_som_year, plan.depreciation_som_year, units)
    cost = variable + fixed / units
    flows = _project(plan, year.operating_som)
    surplus = ((plan.price_som - variable) * units - plan.overheads_som_year) / 12
    return Evaluation(
        plan=plan, sheet=sheet, variable_som=variable, fixed_som_year=fixed,
        unit_cost_som=cost, units_year=units, margin=costing.margin(plan.price_som, cost),
        markup=costing.markup(plan.price_som, cost),
        profit_year_som=year_profit(plan.price_som, variable, fixed, units),
        break_even=break_even(fixed, plan.price_som, variable),
        cvp=cvp_table(fixed, plan.price_som, variable, _chart_units(
            costing.break_even_units(fixed, plan.price_som, variable), units)),
        year=year, flows=flows, appraisal=appraisal(plan.rate, flows),
        tornado=tornado(plan.price_som, plan.raw_som, plan.labour_som,
                        plan.packaging_som + plan.energy_som, fixed, units),
        break_even_price_som=break_even_price(fixed, variable, units),
        monthly_surplus_som=surplus,
        money_at_risk_som=money_at_risk(plan.investment_som, surplus, plan.risk_months),
        capital_tied_som=plan.investment_som + year.working_capital_som)


def compare_scenarios(plans: Mapping[str, Plan]) -> pd.DataFrame:
    """«Начать просто, вручную» against «купить оборудование сейчас» (or any plans): one row
    per plan (name → :class:`Plan`) with ``scenario``, ``investment_som``,
    ``depreciation_som_year``, ``labour_minutes``, ``capacity_units_month``, ``bottleneck``,
    ``variable_som``, ``unit_cost_som``, ``break_even_units``, ``profit_year_som``,
    ``money_at_risk_som``, ``capital_tied_som``, ``npv_som``, ``irr`` (NaN when there is none)
    and ``payback_years`` (NaN: never).

    >>> table = lesson_comparison().set_index("scenario")
    >>> int(table.loc["equipped", "investment_som"]), table.loc["equipped", "bottleneck"]
    (1126000, 'pot_pasteurizer')
    """
    if not isinstance(plans, Mapping) or not plans:
        raise OvopError(t("technology.not_plans"))
    rows = []
    for name, plan in plans.items():
        e = evaluate(plan)
        rows.append({
            "scenario": checks.text(name, t("technology.field.scenario")),
            "investment_som": e.plan.investment_som,
            "depreciation_som_year": e.plan.depreciation_som_year,
            "labour_minutes": e.plan.labour_minutes,
            "capacity_units_month": e.plan.capacity_units_month,
            "bottleneck": ", ".join(e.plan.bottleneck), "variable_som": e.variable_som,
            "unit_cost_som": e.unit_cost_som, "break_even_units": e.break_even.units,
            "profit_year_som": e.profit_year_som, "money_at_risk_som": e.money_at_risk_som,
            "capital_tied_som": e.capital_tied_som, "npv_som": e.appraisal.npv_som,
            "irr": math.nan if e.appraisal.irr is None else e.appraisal.irr,
            "payback_years": (math.nan if e.appraisal.payback_years is None
                              else e.appraisal.payback_years)})
    return pd.DataFrame(rows)


# --- 8. what the step saves -----------------------------------------------------------------------
@dataclass(frozen=True)
class TechnologyResults:
    """What step 6 saves for steps 7, 9, 11 and the product plan (units: som, units, minutes).

    ``product_id``, ``scenario``; ``price_som`` (the group's price a unit), ``unit_cost_som``
    (C = V + F / Q), ``variable_cost_som`` (V a unit), ``fixed_cost_som_year`` (F),
    ``units_year`` (Q, sold in the first year), ``margin`` and ``markup`` (shares);
    ``break_even_units`` (Q*, real), ``break_even_units_whole`` (⌈Q*⌉),
    ``break_even_revenue_som``, ``break_even_price_som``; ``working_capital_som``,
    ``peak_deficit_som`` (with the equipment) and ``peak_month``; ``investment_som``,
    ``money_at_risk_som``, ``npv_som``, ``irr`` (None: none), ``payback_years`` (None: never);
    ``capacity_units_month`` — 12 values by month, what can be made (capacity, raw materials,
    labour); ``labour_minutes_per_unit``; ``bottleneck`` — its station codes.
    """

    product_id: str
    scenario: str
    price_som: float
    unit_cost_som: float
    variable_cost_som: float
    fixed_cost_som_year: float
    units_year: float
    margin: float
    markup: float
    break_even_units: float
    break_even_units_whole: int
    break_even_revenue_som: float
    break_even_price_som: float
    working_capital_som: float
    peak_deficit_som: float
    peak_month: int | None
    investment_som: float
    money_at_risk_som: float
    npv_som: float
    irr: float | None
    payback_years: float | None
    capacity_units_month: list[float]
    labour_minutes_per_unit: float
    bottleneck: list[str]

    def as_dict(self) -> dict:
        """The fields as a plain dict (lists for the months and the bottleneck)."""
        return dataclasses.asdict(self)


def saved_results(evaluation: Evaluation) -> TechnologyResults:
    """What an :class:`Evaluation` saves (:class:`TechnologyResults`)."""
    if not isinstance(evaluation, Evaluation):
        raise OvopError(t("technology.not_evaluation"))
    e, plan = evaluation, evaluation.plan
    return TechnologyResults(
        product_id=plan.product_id, scenario=plan.scenario, price_som=plan.price_som,
        unit_cost_som=e.unit_cost_som, variable_cost_som=e.variable_som,
        fixed_cost_som_year=e.fixed_som_year, units_year=e.units_year, margin=e.margin,
        markup=e.markup, break_even_units=e.break_even.units,
        break_even_units_whole=e.break_even.units_whole,
        break_even_revenue_som=e.break_even.revenue_som,
        break_even_price_som=e.break_even_price_som,
        working_capital_som=e.year.working_capital_som,
        peak_deficit_som=e.year.peak_deficit_som, peak_month=e.year.peak_month,
        investment_som=plan.investment_som, money_at_risk_som=e.money_at_risk_som,
        npv_som=e.appraisal.npv_som, irr=e.appraisal.irr,
        payback_years=e.appraisal.payback_years,
        capacity_units_month=[float(v) for v in plan.output_cap],
        labour_minutes_per_unit=plan.labour_minutes, bottleneck=list(plan.bottleneck))


# --- the lesson case ------------------------------------------------------------------------------
@dataclass(frozen=True)
class LessonInputs:
    """What step 6 reads from the earlier steps and the data for the lesson nectar.

    Step 1: ``person_hours`` by month (territory tool's start values). Step 2 (through step
    5's functions): ``raw_units`` a month (whole batches of the stable supply × N),
    ``production_months`` (the fresh season of the main berry). Step 4: ``som_units`` a year,
    ``producer_price`` (lowest, volume-weighted, highest), ``corridor`` (competitors' Q1,
    median, Q3 for our bottle). Step 5: ``raw_som`` and ``packaging_som`` a unit. Data:
    ``steps``, ``alternatives``, ``equipment``, ``units_per_batch``, ``energy_kwh`` a unit,
    ``wage_som_hour``, ``tariff_som_kwh``, ``overheads_som_year``, ``seasonality``, ``rate``.
    """

    steps: pd.DataFrame
    alternatives: pd.DataFrame
    equipment: pd.DataFrame
    units_per_batch: int
    energy_kwh: float
    wage_som_hour: float
    tariff_som_kwh: float
    overheads_som_year: float
    rate: float
    raw_som: float
    packaging_som: float
    raw_units: int
    production_months: tuple[int, ...]
    person_hours: list[float]
    som_units: float
    producer_price: tuple[float, float, float]
    corridor: tuple[float, float, float]
    seasonality: list[float]


@lesson_case
def lesson_market(product_id: str, unit_size: object, unit_size_unit: object
                  ) -> tuple[float | None, tuple[float, float, float] | None,
                             tuple[float, float, float] | None]:
    """Step 4's lesson case for a product sold in units of ``unit_size`` ``unit_size_unit``
    (base scenario, :data:`LESSON_OBTAINABLE_SHARE`, no export): SOM a year, producer prices
    (lowest, volume-weighted, highest) and the competitors' corridor for that unit (None when
    none was surveyed, or the unit is not one to compare); None, None, None for a product
    step 4 has not studied."""
    product_id = checks.text(product_id, t("technology.field.product"))
    segments = load_table("lesson/market_segments")
    if product_id not in set(segments["product_id"]):
        return None, None, None
    table = market.segment_table(segments, product_id)
    reach = market.split_reachable(table, list(table.index), requirements_met=False)
    funnel = market.market_funnel(table, reach.included, LESSON_OBTAINABLE_SHARE)
    prices = market.producer_price_range(table, reach.included)
    corridor = None
    try:
        competitors = market.competitor_table(load_table("lesson/competitor_prices"),
                                              product_id)
        corridor = tuple(market.unit_price_corridor(
            market.price_summary(competitors["price_per_unit"]),
            competitors["price_unit"].iloc[0], unit_size, unit_size_unit))
    except OvopError:   # no competitors surveyed (or no unit to compare): no corridor
        pass
    return funnel.som_units, (prices.min, prices.base, prices.max), corridor


def _lesson_hours() -> list[float]:
    """Step 1's lesson case: available person-hours by month."""
    data = territory.lesson_data()
    reserve = territory.labour_reserve(territory.aimak_totals(data.villages),
                                       LESSON_MIGRANT_STAY_SHARE)
    days = territory.available_person_days(reserve, territory.free_time_share(data.calendar))
    return [float(h) for h in territory.person_hours(days)]


def _lesson_season(material_id: str) -> tuple[int, ...]:
    """Step 2's lesson case: the months the material is on offer fresh."""
    months = raw_materials.lesson_inventory()[1]
    fresh = months[(months["material_id"] == material_id) & (months["supply"] == "свежее")]
    return raw_materials.check_months(fresh["month"].tolist())


@lesson_case
def lesson_inputs() -> LessonInputs:
    """The lesson nectar's inputs from steps 1, 2, 4, 5 and the data (:class:`LessonInputs`)."""
    batch = load_table("lesson/product_batches").set_index("product_id").loc[LESSON_PRODUCT]
    reference = load_table("lesson/reference_indicators").set_index("indicator_id")["value"]
    cost, limit = product.lesson_unit_cost(), product.lesson_batch_limit()
    som, prices, corridor = lesson_market(LESSON_PRODUCT, batch["unit_size"],
                                          batch["unit_size_unit"])
    units = int(batch["units_per_batch"])
    return LessonInputs(
        steps=load_table("lesson/process_steps"),
        alternatives=load_table("lesson/process_alternatives"),
        equipment=load_table("lesson/equipment"), units_per_batch=units,
        energy_kwh=float(batch["energy_kwh"]) / units,
        wage_som_hour=float(reference["labour_rate"]),
        tariff_som_kwh=float(reference["electricity_tariff"]),
        overheads_som_year=overheads_per_year(load_table("lesson/overheads")),
        rate=float(reference["discount_rate"]), raw_som=cost.raw_som,
        packaging_som=cost.packaging_som, raw_units=limit.batches * units,
        production_months=_lesson_season(limit.binding), person_hours=_lesson_hours(),
        som_units=som, producer_price=prices, corridor=corridor,
        seasonality=season_shares(load_table("lesson/sales_seasonality"), LESSON_PRODUCT))


_FROM_PROCESS = ("labour_minutes", "equipment", "output_cap", "capacity_units_month", "bottleneck")


@dataclass(frozen=True)
class Scenario:
    """One product with one choice of equipment (:func:`scenario_of`): its ``process`` (the
    operations with the equipment ``use``), ``capacity`` and bottleneck, ``labour_minutes`` a
    unit, ``equipment`` (:func:`equipment_table`), the limits other than demand by month
    (``labour_units``; ``raw_units``, the capacity when step 2 sets none), ``output_cap`` (the
    smallest of the three by month) and the ``plan`` that follows."""

    scenario: str
    use: tuple[str, ...]
    process: pd.DataFrame
    capacity: Capacity
    labour_minutes: float
    equipment: pd.DataFrame
    labour_units: list[int]
    raw_units: float
    output_cap: tuple[float, ...]
    plan: Plan

    def limits(self, demand_units: object) -> pd.DataFrame:
        """The four limits by month with ``demand_units`` (:func:`monthly_limits`)."""
        return monthly_limits(self.capacity.units_per_month, self.raw_units, demand_units,
                              self.labour_units)


def scenario_of(steps: pd.DataFrame, alternatives: pd.DataFrame | None,
                equipment: pd.DataFrame, person_hours: object, raw_units: float | None,
                use: Iterable[str] = (), **plan) -> Scenario:
    """The :class:`Scenario` of ``plan["product_id"]`` with the other equipment ``use`` (codes
    of ``alternatives``; none: the chart as written): the process chart ``steps`` with it
    (:func:`process_with`), its capacity, labour minutes and equipment, the labour limit of
    step 1's ``person_hours``, step 2's ``raw_units`` a month (None: no limit but the
    capacity), and the :class:`Plan` of the other fields ``plan`` (price, costs, sales, …)
    with what the process gives (labour minutes, equipment, output cap, capacity,
    bottleneck)."""
    fields = [f.name for f in dataclasses.fields(Plan) if f.name not in _FROM_PROCESS]
    if not {"product_id", "scenario", "units_per_batch"} <= set(plan) or set(plan) & set(
            _FROM_PROCESS):
        raise OvopError(t("technology.plan_fields", fields=", ".join(fields)))
    use = _codes(use, "use")
    units = plan["units_per_batch"]
    process = process_with(steps, plan["product_id"], alternatives, use)
    cap = capacity(process, units)
    minutes = labour_minutes_per_unit(process, units)
    labour = labour_limit(person_hours, minutes)
    raw = cap.units_per_month if raw_units is None else raw_units
    limits = monthly_limits(cap.units_per_month, raw, 0, labour)
    output = tuple(float(v) for v in limits[["capacity", "raw_materials", "labour"]].min(axis=1))
    items = equipment_table(equipment, process)
    made = make_plan(
        **plan, labour_minutes=minutes, output_cap=output,
        equipment=tuple(zip(items["equipment_id"], items["price_som"].astype(float),
                            items["lifetime_years"].astype(float))),
        capacity_units_month=cap.units_per_month, bottleneck=cap.bottleneck)
    return Scenario(scenario=made.scenario, use=use, process=process, capacity=cap,
                    labour_minutes=minutes, equipment=items, labour_units=labour,
                    raw_units=raw, output_cap=output, plan=made)


@lesson_case
def lesson_scenarios() -> dict[str, Scenario]:
    """The lesson nectar's two scenarios (:func:`scenario_of`): ``simple`` (the process chart
    as written) and ``equipped`` (with :data:`LESSON_EQUIPMENT`), at step 4's volume-weighted
    producer price; the tool's lesson case is the same."""
    i = lesson_inputs()
    common = dict(
        steps=i.steps, alternatives=i.alternatives, equipment=i.equipment,
        person_hours=i.person_hours, raw_units=i.raw_units, product_id=LESSON_PRODUCT,
        units_per_batch=i.units_per_batch, price_som=i.producer_price[1], raw_som=i.raw_som,
        packaging_som=i.packaging_som, wage_som_hour=i.wage_som_hour,
        energy_som=energy_cost(i.energy_kwh, i.tariff_som_kwh),
        overheads_som_year=i.overheads_som_year,
        sales=tuple(demand_by_month(i.som_units, i.seasonality)),
        production_months=i.production_months, rate=i.rate)
    return {SIMPLE: scenario_of(use=(), scenario=SIMPLE, **common),
            EQUIPPED: scenario_of(use=LESSON_EQUIPMENT, scenario=EQUIPPED, **common)}


@lesson_case
def lesson_process() -> pd.DataFrame:
    """The lesson nectar's operations as written («начать просто, вручную»)."""
    return lesson_scenarios()[SIMPLE].process


@lesson_case
def lesson_capacity() -> Capacity:
    """The lesson nectar's capacity and bottleneck, by hand (8 h, 22 days)."""
    return lesson_scenarios()[SIMPLE].capacity


@lesson_case
def lesson_limits() -> pd.DataFrame:
    """The lesson nectar's four limits by month, by hand (:func:`monthly_limits`)."""
    i = lesson_inputs()
    return lesson_scenarios()[SIMPLE].limits(demand_by_month(i.som_units, i.seasonality))


@lesson_case
def lesson_plans() -> dict[str, Plan]:
    """The plans of the lesson's two scenarios (:func:`lesson_scenarios`)."""
    return {name: scenario.plan for name, scenario in lesson_scenarios().items()}


@lesson_case
def lesson_plan() -> Plan:
    """The lesson's «начать просто, вручную» plan."""
    return lesson_plans()[SIMPLE]


@lesson_case
def lesson_evaluation() -> Evaluation:
    """:func:`evaluate` of the lesson's simple plan."""
    return evaluate(lesson_plan())


@lesson_case
def lesson_comparison() -> pd.DataFrame:
    """:func:`compare_scenarios` of the lesson's two plans."""
    return compare_scenarios(lesson_plans())


@lesson_case
def lesson_results() -> TechnologyResults:
    """What the lesson's simple plan saves (:func:`saved_results`)."""
    return saved_results(lesson_evaluation())
