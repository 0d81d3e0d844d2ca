"""Step 2, local raw materials: «есть сырьё» versus «можно производить стабильно».

The seed (step 2: «оценка доступного сырья, сезонности, объёмов, устойчивости
использования»; OVOP+1 shows how to tell «есть сырьё» from «можно производить стабильно»)
asks how much of a material the group can count on *every* month it produces. This module
answers with a stock model; the method is the course's own, built on standard results of
inventory theory, and each function names its formula.

Notation (with the names the data columns, arguments, results, the tool's controls and the
workbook give each quantity): months m = 1…12 (the year repeats: after December comes January),
V[m] the volume on offer in the aiyl aimak (``volume``), p[m] its purchase price
(``price_som``), s the sustainable share (``sustainable_share``), S[m] = V[m]·s the sustainable
supply, P the months the group produces (``production_months``), u the planned monthly use
(``planned_use``), L the storage life in days (``storage_life_days``), k the storage life in
months (``life_months``), r the storage loss, a share of the stock a month
(``storage_loss_share``), a the material per unit of product (``material_per_unit``).

- **Without storage** the material of a month is used in that month: the stable monthly
  supply is the smallest S[m] over the production months.
- **With storage** material bought in month m can be used in months m … m+k−1
  (k = ⌊L/30⌋, 1 ≤ k ≤ 12); the stock is used oldest first (FIFO — «первым пришёл — первым
  ушёл», the food-storage rule) and loses the share r of itself at the end of every month.
  The stable supply is the largest constant monthly use the stock serves in every production
  month of a repeating year (:func:`stable_supply_with_storage`).

>>> S = sustainable_supply([0, 0, 0, 0, 0, 0, 0, 0, 3000, 5000, 1000, 800], 0.8)
>>> S[8:]
[2400.0, 4000.0, 800.0, 640.0]
>>> stable_supply_no_storage(S, [9, 10, 11])
800.0
>>> round(stable_supply_with_storage(S, [9, 10, 11, 12, 1, 2], storage_months(270)), 1)
1306.7
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import get_args

import pandas as pd
from pydantic import Field

from .. import checks
from ..data import lesson_case, load_table
from ..errors import OvopError
from ..fmt import fmt_number, fmt_percent, month_labels
from ..i18n import t
from ..schemas import Money, Month, ProductBatch, ProductIdea, RawMaterial, RecipeItem, Row, Text
from ..workbook import RawMaterialsSection, Workbook, saved_section, saved_tables

__all__ = [
    "analyse_material", "check_inventory", "check_months", "check_products",
    "inventory_from_records", "lesson_inventory", "lesson_products", "max_output", "mean_price",
    "one_month_risk", "over_harvest_risks", "price_swing_risk",
    "season_table", "stable_supply_no_storage", "stable_supply_with_storage", "stock_plan",
    "storage_months", "sustainable_supply",
]

MONTHS = tuple(range(1, 13))
DAYS_PER_MONTH = 30

# Risk thresholds (the course's teaching rules; see docs/formulas.md, step 2).
ONE_MONTH_SHARE = 0.5      # one month gives more than half of the year's supply
WILD_SHARE_CEILING = 0.5   # a cautious ceiling: the real limit comes from a resource assessment
PRICE_SWING_RATIO = 1.5    # the dearest month costs more than 1.5 times the cheapest

_TOLERANCE = 1e-9
_MAX_HALVINGS = 200  # the bisection of stable_supply_with_storage ends within this many steps

SOURCE_TYPES = get_args(RawMaterial.model_fields["source_type"].annotation)
UNITS = get_args(RawMaterial.model_fields["unit"].annotation)


# --- checks (the rules are ovop_course.checks; what is step 2's own stays here) -----------
def _twelve(values: object, field_name: str) -> list[float]:
    """Twelve non-negative numbers, January to December (a list of 12, or a dict or Series
    month → value: :func:`ovop_course.checks.by_month`); a message names the month."""
    return checks.by_month(values, field_name, low=0)


def _prices(price_som: object, field_name: str | None = None) -> list[float | None]:
    """Twelve prices (сом per unit, ≥ 0), January to December; a month without a price (None,
    an empty cell, or 0) is None: a price of 0 means «no purchase price this month» (nothing
    bought, a gift, or not known), the same as an empty cell, in the mean price and in the
    price-swing rule alike."""
    field_name = field_name or t("raw_materials.price_field")
    return [None if p == 0 else p
            for p in checks.by_month(price_som, field_name, low=0, missing_ok=True)]


def check_months(production_months: Iterable[object]) -> tuple[int, ...]:
    """Production months as sorted month numbers 1…12; at least one; OvopError otherwise (a
    list, tuple, set or range; a dict month → yes/no is refused, not read by its keys)."""
    if isinstance(production_months, (list, tuple, set, frozenset, range)) and not (
            production_months):
        raise OvopError(t("raw_materials.no_months"))
    return checks.months(production_months, t("raw_materials.month_field"))


def _life_months(life_months: object) -> int:
    """k, the storage life in months: a whole number from 1 to 12."""
    return int(checks.number(life_months, t("raw_materials.life_months_field"), low=1, high=12,
                             whole=True))


def _storage_loss_share(storage_loss_share: object) -> float:
    """r, the storage loss per month: a share from 0 up to (not including) 1."""
    return checks.share(storage_loss_share, t("raw_materials.loss_field"), high_open=True)


# --- supply -------------------------------------------------------------------------------
def sustainable_supply(volume: Sequence[float], sustainable_share: float) -> list[float]:
    """S[m] = V[m] × s: what can be taken every year without harm (units of the material).

    Source of the rule: the seed's step 2 («устойчивость использования»); the sustainable share
    s is an estimate of the trainees (for wild plants — what regrows; for households — what
    families can spare).

    >>> sustainable_supply([0, 100, 250] + [0] * 9, 0.4)[:3]
    [0.0, 40.0, 100.0]
    """
    sustainable_share = checks.share(sustainable_share, t("raw_materials.share_field"))
    return [v * sustainable_share for v in _twelve(volume, t("raw_materials.volume_field"))]


def storage_months(storage_life_days: int) -> int:
    """k = min(12, max(1, ⌊L / 30⌋)): months in which material bought in one month is usable.

    Whole months only, rounded down: a life shorter than 60 days (two months) gives k = 1 —
    material is used in the month it is bought, storage does not help (a fresh apricot, 10
    days; 45 days in a cellar); a life of a year or more makes any month reachable in a
    repeating year (k = 12).

    >>> [storage_months(d) for d in (2, 45, 270, 365, 730)]
    [1, 1, 9, 12, 12]
    """
    days = int(checks.number(storage_life_days, t("raw_materials.life_field"), low=1,
                             whole=True))
    return min(12, max(1, days // DAYS_PER_MONTH))


def stable_supply_no_storage(supply: Sequence[float], production_months: Iterable[int]
                             ) -> float:
    """x₀ = min over production months m ∈ P of S[m] (units a month), no storage.

    >>> stable_supply_no_storage([5, 0, 7] + [9] * 9, [1, 3, 4])
    5.0
    """
    supply = _twelve(supply, t("raw_materials.supply_field"))
    return min(supply[m - 1] for m in check_months(production_months))


# --- the stock model ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Clamp:
    """The map b ↦ min(max(a·b + c, lo), hi) (a ≥ 0, lo ≤ hi); closed under composition."""

    a: float
    c: float
    lo: float
    hi: float

    def __call__(self, b: float) -> float:
        return min(max(self.a * b + self.c, self.lo), self.hi)

    def then(self, other: _Clamp) -> _Clamp:
        """other ∘ self."""
        return _Clamp(other.a * self.a, other.a * self.c + other.c,
                      other(self.lo), other(self.hi))

    def greatest_fixed_point(self) -> float:
        if self.a < 1:
            return min(max(self.c / (1 - self.a), self.lo), self.hi)
        return self.hi if self.c >= 0 else self.lo


def _keepable(supply: list[float], k: int, storage_loss_share: float) -> list[float]:
    """W[m] = Σ_{i=0}^{k−2} S[m−i]·(1−r)^i: what the k−1 youngest purchases can still hold at
    the end of month m (older material expires then)."""
    left = 1 - storage_loss_share  # 1 − r
    return [sum(supply[(m - i) % 12] * left ** i for i in range(k - 1)) for m in range(12)]


def _month_maps(supply, need, keep, storage_loss_share) -> list[_Clamp]:
    """O[m+1] = (1−r)·min(max(O[m] + S[m] − need[m], 0), W[m]) for each month m."""
    left = 1 - storage_loss_share  # 1 − r
    return [_Clamp(left, left * (supply[m] - need[m]), 0.0, left * keep[m]) for m in range(12)]


def _opening_stock(maps: list[_Clamp]) -> float:
    year = maps[0]
    for month_map in maps[1:]:
        year = year.then(month_map)
    return year.greatest_fixed_point()


def stock_plan(supply: Sequence[float], production_months: Iterable[int], planned_use: float,
               life_months: int, storage_loss_share: float = 0.0) -> pd.DataFrame:
    """Month by month, a FIFO stock in a repeating year serving u (``planned_use``) in the
    production months P (``production_months``); r is ``storage_loss_share``.

    The group buys the sustainable supply S[m] of every month; the stock at the start of
    month m is O[m]; material bought k months ago or earlier has expired. For each month:
    available A = O[m] + S[m]; used = min(need, A) with need = u in production months, else 0;
    shortage = need − used; kept = min(A − used, W[m]) (the rest expires, FIFO);
    lost = r·kept; O[m+1] = kept − lost, with W[m] = Σ_{i=0}^{k−2} S[m−i]·(1−r)^i.
    The year repeats, so O[January] is the stock the year leaves for the next one: the greatest
    fixed point of the year's map (the best stock the group can build up and keep).

    Returns a table with columns ``month``, ``supply``, ``opening``, ``need``, ``used``,
    ``shortage``, ``expired``, ``lost``, ``closing`` (what is carried into the next month).

    >>> plan = stock_plan([0] * 8 + [2400, 4000, 800, 640], range(1, 13), 700, 9)
    >>> plan.loc[plan["shortage"] > 0, ["month", "shortage"]].values.tolist()
    [[8.0, 560.0]]
    >>> float(plan["closing"].iloc[-1]) == float(plan["opening"].iloc[0])  # the year repeats
    True
    """
    supply = _twelve(supply, t("raw_materials.supply_field"))
    production_months = check_months(production_months)
    planned_use = checks.number(planned_use, t("raw_materials.use_field"), low=0)
    k = _life_months(life_months)
    storage_loss_share = _storage_loss_share(storage_loss_share)
    need = [planned_use if m in production_months else 0.0 for m in MONTHS]
    keep = _keepable(supply, k, storage_loss_share)
    opening = _opening_stock(_month_maps(supply, need, keep, storage_loss_share))
    rows = []
    for m in range(12):
        available = opening + supply[m]
        used = min(need[m], available)
        kept = min(available - used, keep[m])
        rows.append({"month": m + 1, "supply": supply[m], "opening": opening, "need": need[m],
                     "used": used, "shortage": need[m] - used,
                     "expired": available - used - kept, "lost": storage_loss_share * kept,
                     "closing": (1 - storage_loss_share) * kept})
        opening = (1 - storage_loss_share) * kept
    return pd.DataFrame(rows)


def _serves(supply: list[float], production_months: tuple[int, ...], planned_use: float,
            keep: list[float], storage_loss_share: float, slack: float) -> bool:
    """True when the periodic FIFO stock covers ``planned_use`` in every production month (a
    shortage below ``slack`` is rounding, not a shortage)."""
    need = [planned_use if m in production_months else 0.0 for m in MONTHS]
    maps = _month_maps(supply, need, keep, storage_loss_share)
    stock = _opening_stock(maps)
    for m, month_map in enumerate(maps):
        if stock + supply[m] < need[m] - slack:
            return False
        stock = month_map(stock)
    return True


def stable_supply_with_storage(supply: Sequence[float], production_months: Iterable[int],
                               life_months: int, storage_loss_share: float = 0.0) -> float:
    """x* = the largest constant monthly use that the FIFO stock of :func:`stock_plan` serves in
    every production month (units a month).

    Found by bisection between x₀ (always served: each month's own supply covers it) and
    ΣS / |P| (no stock can give more than the year's supply), to 10⁻⁹ of the largest monthly
    supply (a result that close to x₀ is x₀); bisection is valid because a larger use never
    leaves a larger stock (the monthly maps are monotone). With the same
    life for every purchase, FIFO is the best order of use (an exchange argument), so x* is the
    best any plan can do; for r = 0 it equals Gale's (Hall's) supply–demand bound
    x* = min over non-empty D ⊆ P of Σ_{m reaches D} S[m] / |D|, which the tests check.

    >>> round(stable_supply_with_storage([0] * 8 + [2400, 4000, 800, 640], range(1, 13), 9), 1)
    640.0
    >>> round(stable_supply_with_storage([0] * 8 + [2400, 4000, 800, 640], range(1, 13), 12), 1)
    653.3
    """
    supply = _twelve(supply, t("raw_materials.supply_field"))
    production_months = check_months(production_months)
    k = _life_months(life_months)
    storage_loss_share = _storage_loss_share(storage_loss_share)
    keep = _keepable(supply, k, storage_loss_share)
    slack = _TOLERANCE * max(1.0, max(supply))
    fresh = low = min(supply[m - 1] for m in production_months)
    high = sum(supply) / len(production_months)
    if _serves(supply, production_months, high, keep, storage_loss_share, slack):
        return high
    for _ in range(_MAX_HALVINGS):  # the gap halves each step: ≤ 200 steps reach any slack
        if high - low <= slack:
            break
        middle = (low + high) / 2
        if _serves(supply, production_months, middle, keep, storage_loss_share, slack):
            low = middle
        else:
            high = middle
    return fresh if low - fresh <= 10 * slack else low


# --- products -----------------------------------------------------------------------------
def material_per_unit(recipe: pd.DataFrame, batches: pd.DataFrame,
                      names: pd.DataFrame | None = None) -> pd.DataFrame:
    """a = q / n: material per unit of product, from the recipe (q units of material per
    batch) and the batch size (n product units per batch).

    ``recipe`` has ``product_id``, ``material_id``, ``quantity``; ``batches`` has
    ``product_id``, ``units_per_batch``, ``unit_name``; ``names`` (optional) has ``idea_id`` and
    ``idea`` (the product's name). Returns ``product_id``, ``product``, ``unit_name``,
    ``material_id``, ``material_per_unit`` (a) for every recipe line that names a local
    material: the columns of a products table (:class:`ProductUse`).

    >>> recipe = pd.DataFrame({"product_id": ["jam"], "material_id": ["apricot"],
    ...                        "quantity": [20]})
    >>> batches = pd.DataFrame({"product_id": ["jam"], "units_per_batch": [80],
    ...                         "unit_name": ["банка"]})
    >>> material_per_unit(recipe, batches)["material_per_unit"].tolist()
    [0.25]
    """
    recipe = checks.columns(recipe, RecipeItem, ("product_id", "material_id", "quantity"),
                            t("raw_materials.table.recipe"))
    batches = checks.columns(batches, ProductBatch, ("product_id", "units_per_batch",
                                                     "unit_name"),
                             t("raw_materials.table.batches"), key=("product_id",))
    if names is not None:
        names = checks.columns(names, ProductIdea, ("idea_id", "idea"),
                               t("raw_materials.table.names"), key=("idea_id",))
    lines = recipe.dropna(subset=["material_id"])
    table = lines.merge(batches[["product_id", "units_per_batch", "unit_name"]], on="product_id")
    if (table["units_per_batch"] <= 0).any() or (table["quantity"] <= 0).any():
        raise OvopError(t("raw_materials.bad_per_unit"))
    table["material_per_unit"] = table["quantity"] / table["units_per_batch"]
    label = dict(zip(names["idea_id"], names["idea"])) if names is not None else {}
    table["product"] = [label.get(p, p) for p in table["product_id"]]
    return table[["product_id", "product", "unit_name", "material_id",
                  "material_per_unit"]].reset_index(drop=True)


class ProductUse(Row):
    """A row of a trainee's products table: how much of one local material
    (``material_per_unit``, in the material's unit, > 0) one unit of a product (``unit_name``)
    takes."""

    product: Text
    unit_name: Text
    material_id: Text
    material_per_unit: float = Field(gt=0)
    source: Text


def check_products(products: pd.DataFrame) -> pd.DataFrame:
    """A trainee's products table checked row by row against :class:`ProductUse` (``source``
    may be left out); returns a clean copy. OvopError names the table, row and column."""
    return checks.table(products, ProductUse, t("raw_materials.table.products"),
                        key=("product", "material_id"))


@lesson_case
def lesson_products() -> pd.DataFrame:
    """Material per unit of every lesson product (recipe ÷ batch size, named by product_ideas)."""
    return material_per_unit(load_table("lesson/recipe"), load_table("lesson/product_batches"),
                             load_table("lesson/product_ideas"))


def max_output(stable_supply: float, material_per_unit: float) -> int:
    """N = ⌊x / a⌋: whole product units a month (``max_monthly_output``) that the stable supply
    x (``stable_supply``) allows, a (``material_per_unit``) > 0.

    >>> max_output(793.3, 0.3)
    2644
    """
    material_per_unit = checks.number(material_per_unit, t("raw_materials.per_unit_field"),
                                      low=0, low_open=True)
    stable_supply = checks.number(stable_supply, t("raw_materials.stable_field"), low=0)
    units = checks.bounded(stable_supply / material_per_unit, t("raw_materials.output_field"))
    return math.floor(units + _TOLERANCE)


def mean_price(price_som: Sequence[float | None], supply: Sequence[float]) -> float | None:
    """p̄ = Σ p[m]·S[m] / Σ S[m] over months with supply and a price p[m] (``price_som``, сом per
    unit): the price of an average unit of the sustainable supply (``mean_price_som``); None
    when no month has both. A price of 0 is no price (as in :func:`price_swing_risk`): that
    month is left out, not averaged in at 0.

    >>> mean_price([150, 250, None] + [None] * 9, [3000, 1000, 0] + [0] * 9)
    175.0
    """
    supply = _twelve(supply, t("raw_materials.supply_field"))
    pairs = [(p, s) for p, s in zip(_prices(price_som), supply) if p is not None and s > 0]
    total = sum(s for _, s in pairs)
    return float(sum(p * s for p, s in pairs) / total) if total else None


# --- risks --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Risk:
    """A flagged risk: ``kind`` (one_month, over_harvest, wild_share, price_swing) and a
    Russian message with the numbers behind it."""

    kind: str
    message: str


def _month_name(month: int) -> str:
    return month_labels("long")[month - 1]


def one_month_risk(volume: Sequence[float]) -> Risk | None:
    """Flag when one month gives more than half the year: max V[m] / Σ V > 0.5.

    (The share s cancels: S[m] / ΣS = V[m] / ΣV.)

    >>> one_month_risk([0] * 7 + [12000, 1500, 0, 0, 0]).kind
    'one_month'
    >>> one_month_risk([700, 600, 500, 300] + [0] * 4 + [3000, 5000, 1000, 800]) is None
    True
    """
    volume = _twelve(volume, t("raw_materials.volume_field"))
    total = sum(volume)
    if total == 0:
        return None
    top = max(MONTHS, key=lambda m: volume[m - 1])
    share = volume[top - 1] / total
    if share <= ONE_MONTH_SHARE:
        return None
    return Risk("one_month", t("raw_materials.risk.one_month", month=_month_name(top),
                               share=fmt_percent(share), limit=fmt_percent(ONE_MONTH_SHARE, 0)))


def over_harvest_risks(planned_use: float, stable_supply: float, sustainable_share: float,
                       source_type: str, unit: str) -> list[Risk]:
    """Flag planned use u (``planned_use``) > the stable supply x (``stable_supply``: the group
    would take more than the sustainable share), and a wild source whose sustainable share s
    (``sustainable_share``) > 0.5 (WILD_SHARE_CEILING).

    >>> [r.kind for r in over_harvest_risks(900, 793.3, 0.8, "фермы", "кг")]
    ['over_harvest']
    >>> [r.kind for r in over_harvest_risks(100, 793.3, 0.6, "дикорос", "кг")]
    ['wild_share']
    """
    risks = []
    planned_use = checks.number(planned_use, t("raw_materials.use_field"), low=0)
    stable_supply = checks.number(stable_supply, t("raw_materials.stable_field"), low=0)
    source_type = checks.category(source_type, SOURCE_TYPES, t("raw_materials.source_field"))
    unit = checks.category(unit, UNITS, t("raw_materials.unit_field"))
    if planned_use > stable_supply * (1 + _TOLERANCE) + _TOLERANCE:
        risks.append(Risk("over_harvest", t("raw_materials.risk.over_harvest",
                                            use=fmt_number(planned_use),
                                            stable=fmt_number(stable_supply), unit=unit)))
    sustainable_share = checks.share(sustainable_share, t("raw_materials.share_field"))
    if source_type == "дикорос" and sustainable_share > WILD_SHARE_CEILING:
        risks.append(Risk("wild_share", t("raw_materials.risk.wild_share",
                                          share=fmt_percent(sustainable_share, 0),
                                          limit=fmt_percent(WILD_SHARE_CEILING, 0))))
    return risks


def price_swing_risk(price_som: Sequence[float | None]) -> Risk | None:
    """Flag max p[m] / min p[m] > 1.5 over the months with a price p[m] (``price_som``); a
    month without a price — None, an empty cell or 0 — is left out (as in :func:`mean_price`).

    >>> price_swing_risk([250, 260, 270, 280] + [None] * 4 + [150, 150, 170, 240]).message[:22]
    'Цена скачет по месяцам'
    """
    priced = [(m, p) for m, p in zip(MONTHS, _prices(price_som)) if p]
    if not priced:
        return None
    (low_m, low), (high_m, high) = min(priced, key=lambda x: x[1]), max(priced, key=lambda x: x[1])
    ratio = high / low
    if ratio <= PRICE_SWING_RATIO:
        return None
    return Risk("price_swing", t("raw_materials.risk.price_swing", ratio=fmt_number(ratio, 2),
                                 high=fmt_number(high), high_month=_month_name(high_m),
                                 low=fmt_number(low), low_month=_month_name(low_m),
                                 limit=fmt_number(PRICE_SWING_RATIO, 1)))


# --- the inventory tables -----------------------------------------------------------------
class InventoryMaterial(RawMaterial):
    """A row of a trainee's materials table: as in ``data/lesson/raw_materials.csv``
    (:class:`~ovop_course.schemas.RawMaterial`: a known source type and unit, a storage life
    of whole days ≥ 1, a share 0…1), but the storage method may be left out."""

    storage_method: str | None = None


class InventoryMonth(Row):
    """A row of a trainee's months table: the volume V[m] ≥ 0 and the purchase price (сом per
    unit, ≥ 0; empty if unknown) of one material in one month. As
    ``data/lesson/raw_material_months.csv`` (:class:`~ovop_course.schemas.RawMaterialMonth`)
    without its ``supply`` label and the rule tied to it: a trainee may not know every price."""

    material_id: Text
    month: Month
    volume: float = Field(ge=0)
    price_som: Money | None = None
    source: Text


_RECORD_KEYS = ("material", "source_type", "unit", "storage_life_days", "sustainable_share",
                "volume", "price_som")


def lesson_inventory() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lesson case's (materials, months) tables."""
    return load_table("lesson/raw_materials"), load_table("lesson/raw_material_months")


def check_inventory(materials: pd.DataFrame, months: pd.DataFrame
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check a trainee's inventory and return clean copies (materials, months).

    Row by row, ``materials`` against :class:`InventoryMaterial` and ``months`` against
    :class:`InventoryMonth` (messages name the table, row and column); then step 2's own
    rules: the material codes differ, and each material has one row for each month 1…12.
    """
    materials = checks.table(materials, InventoryMaterial, t("raw_materials.table.materials"))
    months = checks.table(months, InventoryMonth, t("raw_materials.table.months"),
                          key=("material_id", "month"))
    ids = list(materials["material_id"])
    if len(set(ids)) != len(ids):
        raise OvopError(t("raw_materials.duplicate_material", ids=", ".join(ids)))
    for material_id in ids:
        _material_months(months, material_id)
    return materials, months


def _material_months(months: pd.DataFrame, material_id: str) -> tuple[list[float], list]:
    """(volume by month, price by month) of one material from a checked month table."""
    rows = months[months["material_id"] == material_id]
    numbers = rows["month"].tolist()
    missing = [m for m in MONTHS if m not in numbers]
    if missing or len(numbers) != 12:
        raise OvopError(t("raw_materials.months_incomplete", material=material_id,
                          missing=", ".join(map(str, missing)) or "—"))
    rows = rows.sort_values("month")
    return (_twelve(rows["volume"].tolist(), t("raw_materials.volume_field")),
            _prices(rows["price_som"].tolist()))


def inventory_from_records(records: Sequence[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A trainee's materials written as dicts → (materials, months) tables of the lesson's shape.

    Each dict: ``material`` (name), ``source_type``, ``unit``, ``storage_life_days``,
    ``sustainable_share``, ``volume`` (12 numbers, January…December), ``price_som`` (12 numbers
    or None) and optionally ``material_id`` (default ``own_1``, ``own_2``…). Volumes and prices
    are checked with the material's name in the message, the tables by :func:`check_inventory`.

    >>> mats, months = inventory_from_records([dict(material="Шиповник", source_type="дикорос",
    ...     unit="кг", storage_life_days=365, sustainable_share=0.3,
    ...     volume=[0] * 8 + [500, 800, 0, 0], price_som=[None] * 8 + [120, 100, None, None])])
    >>> mats["material_id"].tolist(), len(months)
    (['own_1'], 12)
    """
    if not isinstance(records, (list, tuple)) or not records:
        raise OvopError(t("raw_materials.no_records"))
    materials, months = [], []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise OvopError(t("raw_materials.missing_keys", number=number,
                              keys=", ".join(_RECORD_KEYS)))
        missing = [c for c in _RECORD_KEYS if c not in record]
        if missing:
            raise OvopError(t("raw_materials.missing_keys", number=number, keys=", ".join(missing)))
        material_id = record.get("material_id") or f"own_{number}"
        name = f"{record['material']}: "
        volume = _twelve(record["volume"], name + t("raw_materials.volume_field"))
        price_som = _prices(record["price_som"], name + t("raw_materials.price_field"))
        materials.append({"material_id": material_id} | {c: record[c] for c in _RECORD_KEYS[:5]})
        months += [{"material_id": material_id, "month": m, "volume": v, "price_som": p}
                   for m, v, p in zip(MONTHS, volume, price_som)]
    return check_inventory(pd.DataFrame(materials), pd.DataFrame(months))


def season_table(materials: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """Volume V[m] of every material (rows, by name) and month (columns 1…12): the seasonal
    calendar."""
    materials, months = check_inventory(materials, months)
    names = dict(zip(materials["material_id"], materials["material"]))
    rows = {names[i]: _material_months(months, i)[0] for i in materials["material_id"]}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(MONTHS))


# --- one material, all of step 2 ----------------------------------------------------------
@dataclass(frozen=True)
class RawMaterialAnalysis:
    """Everything step 2 computes for one material and one plan (units: the material's unit).

    A quantity has the name of its data column and of its workbook field
    (:class:`~ovop_course.workbook.RawMaterialsSection`); ``supply`` is S[m], ``life_months``
    is k (see the module's notation).
    """

    material_id: str
    material: str
    unit: str
    source_type: str
    sustainable_share: float
    volume: list[float]
    price_som: list[float | None]
    supply: list[float]
    production_months: tuple[int, ...]
    storage: bool
    storage_life_days: int
    life_months: int
    storage_loss_share: float
    planned_use: float
    stable_supply_no_storage: float
    stable_supply_with_storage: float
    plan_with_storage: pd.DataFrame
    plan_no_storage: pd.DataFrame
    mean_price_som: float | None
    risks: list[Risk] = field(default_factory=list)
    product: str | None = None
    product_unit: str | None = None
    material_per_unit: float | None = None
    max_monthly_output: int | None = None

    @property
    def stable_supply(self) -> float:
        """The stable monthly supply of the chosen mode (with storage if storage is on)."""
        return self.stable_supply_with_storage if self.storage else self.stable_supply_no_storage

    @property
    def plan(self) -> pd.DataFrame:
        """The stock plan of the chosen mode (:func:`stock_plan`)."""
        return self.plan_with_storage if self.storage else self.plan_no_storage


def analyse_material(materials: pd.DataFrame, months: pd.DataFrame, material_id: str,
                     production_months: Iterable[int] = MONTHS, storage: bool = True,
                     storage_life_days: int | None = None, storage_loss_share: float = 0.0,
                     planned_use: float = 0.0, product: dict | None = None
                     ) -> RawMaterialAnalysis:
    """Step 2 for one material: supply, stable supply without and with storage, the stock
    plan for the planned use, the largest output of ``product`` (a row of a products table as
    a dict: ``product``, ``unit_name``, ``material_per_unit``, see :class:`ProductUse`) and the
    risks. ``storage_life_days`` defaults to the material's own."""
    materials, months = check_inventory(materials, months)
    return analyse_checked(materials, months, material_id, production_months, storage,
                           storage_life_days, storage_loss_share, planned_use, product)


def analyse_checked(materials: pd.DataFrame, months: pd.DataFrame, material_id: str,
                    production_months: Iterable[int] = MONTHS, storage: bool = True,
                    storage_life_days: int | None = None, storage_loss_share: float = 0.0,
                    planned_use: float = 0.0, product: dict | None = None
                    ) -> RawMaterialAnalysis:
    """:func:`analyse_material` on tables already checked by :func:`check_inventory` (the
    tool calls this at every change of a control, so the tables are not checked again; the
    other arguments are). Public, but out of ``__all__``: a trainee calls analyse_material."""
    if not isinstance(material_id, str):
        raise OvopError(t("raw_materials.unknown_material", material=material_id,
                          known=", ".join(map(str, materials["material_id"]))))
    storage = checks.boolean(storage, t("raw_materials.control.storage"))
    if product is not None and not isinstance(product, Mapping):
        raise OvopError(t("raw_materials.product_not_dict"))
    found = materials[materials["material_id"] == material_id]
    if found.empty:
        raise OvopError(t("raw_materials.unknown_material", material=material_id,
                          known=", ".join(map(str, materials["material_id"]))))
    row = found.iloc[0]
    volume, price_som = _material_months(months, material_id)
    supply = sustainable_supply(volume, row["sustainable_share"])
    production_months = check_months(production_months)
    if storage_life_days is None:
        storage_life_days = int(row["storage_life_days"])
    k = storage_months(storage_life_days)
    planned_use = checks.number(planned_use, t("raw_materials.use_field"), low=0)
    storage_loss_share = _storage_loss_share(storage_loss_share)
    no_storage = stable_supply_no_storage(supply, production_months)
    with_storage = stable_supply_with_storage(supply, production_months, k, storage_loss_share)
    stable_supply = with_storage if storage else no_storage
    risks = [r for r in (one_month_risk(volume), price_swing_risk(price_som)) if r]
    risks += over_harvest_risks(planned_use, stable_supply, row["sustainable_share"],
                                row["source_type"], row["unit"])
    output = {}
    if product:
        item = checks.table(pd.DataFrame([dict(product)]), ProductUse,
                            t("raw_materials.table.products"),
                            defaults={"material_id": material_id}).iloc[0]
        output = {"product": item["product"], "product_unit": item["unit_name"],
                  "material_per_unit": float(item["material_per_unit"]),
                  "max_monthly_output": max_output(stable_supply, item["material_per_unit"])}
    return RawMaterialAnalysis(
        material_id=material_id, material=row["material"], unit=row["unit"],
        source_type=row["source_type"], sustainable_share=float(row["sustainable_share"]),
        volume=volume, price_som=price_som, supply=supply, production_months=production_months,
        storage=storage, storage_life_days=int(storage_life_days), life_months=k,
        storage_loss_share=storage_loss_share, planned_use=planned_use,
        stable_supply_no_storage=no_storage, stable_supply_with_storage=with_storage,
        plan_with_storage=stock_plan(supply, production_months, planned_use, k,
                                     storage_loss_share),
        plan_no_storage=stock_plan(supply, production_months, planned_use, 1),
        mean_price_som=mean_price(price_som, supply), risks=risks, **output)


# --- for the later steps ----------------------------------------------------------------------
SUPPLY_COLUMNS = ("material_id", "material", "unit", "stable_supply", "mean_price_som")


def supply_table(materials: pd.DataFrame, months: pd.DataFrame,
                 production_months: Iterable[int] = MONTHS, storage: bool = True
                 ) -> pd.DataFrame:
    """Step 2's result for every material of an inventory (``materials`` and ``months``, checked
    by :func:`check_inventory`) for the ``production_months`` (default: the whole year) with or
    without ``storage``, by the same functions as :func:`analyse_checked` (its stock plans and
    risks left out): what a later step uses.

    Columns :data:`SUPPLY_COLUMNS`, named as the fields of ``step02_raw_materials``:
    ``material_id``, ``material``, ``unit``, ``stable_supply`` (units a month: with storage if
    ``storage``, else without) and ``mean_price_som`` (the supply-weighted average price, som
    per unit; NaN when no month has a price)."""
    materials, months = check_inventory(materials, months)
    production_months = check_months(production_months)
    storage = checks.boolean(storage, t("raw_materials.control.storage"))
    rows = []
    for row in materials.itertuples():
        volume, price_som = _material_months(months, row.material_id)
        supply = sustainable_supply(volume, row.sustainable_share)
        stable = (stable_supply_with_storage(supply, production_months,
                                             storage_months(int(row.storage_life_days)))
                  if storage else stable_supply_no_storage(supply, production_months))
        price = mean_price(price_som, supply)
        rows.append({"material_id": row.material_id, "material": row.material, "unit": row.unit,
                     "stable_supply": float(stable),
                     "mean_price_som": math.nan if price is None else float(price)})
    return pd.DataFrame(rows, columns=list(SUPPLY_COLUMNS))


@lesson_case
def lesson_supply() -> pd.DataFrame:
    """:func:`supply_table` of the lesson case (the whole year, with storage)."""
    return supply_table(*lesson_inventory())


@dataclass(frozen=True)
class SavedSupply:
    """Step 2 as a later step uses it (steps 5 and 6: cost and batches a month).

    ``table``: :func:`supply_table` of the raw_materials tool's own tables kept in the
    workbook (``origin`` «tables») or of the lesson case («lesson»), the row of the material
    saved in ``step02_raw_materials`` (``section``; None: no result saved) replaced by its
    saved ``stable_supply`` (``unit`` a month) and ``mean_price_som`` (som a ``unit``)."""

    table: pd.DataFrame
    origin: str = "lesson"
    section: RawMaterialsSection | None = None

    @property
    def lesson(self) -> bool:
        """Nothing of it comes from the workbook."""
        return self.origin == "lesson" and self.section is None


def saved_supply(workbook: Workbook | None) -> SavedSupply:
    """Step 2 as the trainee left it in ``workbook``
    (:func:`~ovop_course.workbook.saved_workbook`; None: the lesson case). A later step reads
    step 2 only through this. Own tables step 2's checks refuse are left out (the
    raw_materials tool says what is wrong with them); never fails."""
    own = _own_supply(saved_tables(workbook, "step02_raw_materials"))
    table, origin = (lesson_supply(), "lesson") if own is None else (own, "tables")
    section = saved_section(workbook, "step02_raw_materials")
    if section is None or not section.material_id:
        return SavedSupply(table, origin)
    return SavedSupply(_with_saved_row(table, section), origin, section)


def _own_supply(own: Mapping[str, list]) -> pd.DataFrame | None:
    """:func:`supply_table` of the own tables (``materials``, ``months``), or None."""
    if "materials" not in own or "months" not in own:
        return None
    try:
        return supply_table(pd.DataFrame(own["materials"], dtype=object),
                            pd.DataFrame(own["months"], dtype=object))
    except OvopError:
        return None


def _with_saved_row(table: pd.DataFrame, section: RawMaterialsSection) -> pd.DataFrame:
    """``table`` with the saved material's row: its saved supply and price (NaN: none)."""
    row = {"material_id": section.material_id, "material": section.material,
           "unit": section.unit or None, "stable_supply": section.stable_supply,
           "mean_price_som": (math.nan if section.mean_price_som is None
                              else section.mean_price_som)}
    return pd.concat([table[table["material_id"] != section.material_id], pd.DataFrame([row])],
                     ignore_index=True)
