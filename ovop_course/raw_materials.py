"""Step 2, local raw materials: «есть сырьё» versus «можно производить стабильно».

The seed (step 2: «оценка доступного сырья, сезонности, объёмов, устойчивости
использования»; OVOP+1 shows how to tell «есть сырьё» from «можно производить стабильно»)
asks how much of a material the group can count on *every* month it produces. This module
answers with a stock model; the method is the course's own, built on standard results of
inventory theory, and each function names its formula.

Notation: months m = 1…12 (the year repeats: after December comes January), V[m] the volume
on offer in the aiyl aimak, s the sustainable share, S[m] = V[m]·s the sustainable supply,
P the months the group produces, u the planned monthly use, L the storage life in days,
k the storage life in months, r the storage loss per month.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from numbers import Integral

import pandas as pd

from .data import load_table
from .errors import OvopError
from .fmt import fmt_number, fmt_percent
from .i18n import t

MONTHS = tuple(range(1, 13))
DAYS_PER_MONTH = 30
SOURCE_TYPES = ("дикорос", "домохозяйства", "фермы")
UNITS = ("кг", "л")

# Risk thresholds (the course's teaching rules; see docs/formulas.md, step 2).
ONE_MONTH_SHARE = 0.5      # one month gives more than half of the year's supply
WILD_SHARE_CEILING = 0.5   # a cautious ceiling: the real limit comes from a resource assessment
PRICE_SWING_RATIO = 1.5    # the dearest month costs more than 1.5 times the cheapest

_TOLERANCE = 1e-9


# --- checks -------------------------------------------------------------------------------
def _label(field_name: str, month: int | None) -> str:
    return f"{field_name}, {t('raw.month_no', month=month)}" if month else field_name


def _number(value: object, field_name: str, month: int | None = None) -> float:
    """``value`` as a finite float; the message names the field (and the month, if given)."""
    if isinstance(value, bool) or value is None:
        raise OvopError(t("error.not_a_number", field=_label(field_name, month), value=value))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise OvopError(t("error.not_a_number", field=_label(field_name, month),
                          value=value)) from None
    if not math.isfinite(number):
        raise OvopError(t("error.not_finite", field=_label(field_name, month)))
    return number


def _show(number: float) -> str:
    """A number as the trainee typed it: whole numbers without decimals, others with up to 3."""
    return fmt_number(number) if number == int(number) else fmt_number(number, 3).rstrip("0")


def _non_negative(value: object, field_name: str, month: int | None = None) -> float:
    number = _number(value, field_name, month)
    if number < 0:
        raise OvopError(t("raw.negative", field=_label(field_name, month), value=_show(number)))
    return number


def _twelve(values: Sequence[object], field_name: str) -> list[float]:
    values = list(values)
    if len(values) != 12:
        raise OvopError(t("raw.need_12", field=field_name, count=len(values)))
    return [_non_negative(v, field_name, m) for m, v in zip(MONTHS, values)]


def check_share(share: object, field_name: str | None = None) -> float:
    """A share between 0 and 1 (0.4 means 40 %), else OvopError."""
    number = _number(share, field_name or t("raw.share_field"))
    if not 0 <= number <= 1:
        raise OvopError(t("raw.bad_share", value=_show(number)))
    return number


def check_months(months: Iterable[object]) -> tuple[int, ...]:
    """Production months as sorted month numbers 1…12; at least one; OvopError otherwise."""
    chosen = set()
    for month in months:
        if isinstance(month, bool) or not isinstance(month, Integral) or month not in MONTHS:
            raise OvopError(t("raw.bad_month", month=month))
        chosen.add(int(month))
    if not chosen:
        raise OvopError(t("raw.no_months"))
    return tuple(sorted(chosen))


def _check_life_months(life_months: object) -> int:
    if isinstance(life_months, bool) or not isinstance(life_months, Integral) \
            or not 1 <= life_months <= 12:
        raise OvopError(t("raw.bad_life_months", value=life_months))
    return int(life_months)


def check_loss(loss: object) -> float:
    """Storage loss per month: a share from 0 up to (not including) 1."""
    number = _number(loss, t("raw.loss_field"))
    if not 0 <= number < 1:
        raise OvopError(t("raw.bad_loss", value=_show(number)))
    return number


# --- supply -------------------------------------------------------------------------------
def sustainable_supply(volume: Sequence[float], share: float) -> list[float]:
    """S[m] = V[m] × s: what can be taken every year without harm (units of the material).

    Source of the rule: the seed's step 2 («устойчивость использования»); the share s is an
    estimate of the trainees (for wild plants — what regrows; for households — what families
    can spare).

    >>> sustainable_supply([0, 100, 250] + [0] * 9, 0.4)[:3]
    [0.0, 40.0, 100.0]
    """
    share = check_share(share)
    return [v * share for v in _twelve(volume, t("raw.volume_field"))]


def storage_months(life_days: int) -> int:
    """k = min(12, max(1, ⌊L / 30⌋)): months in which material bought in one month is usable.

    A life shorter than a month keeps material only within its month (k = 1, no storage);
    a life of a year or more makes any month reachable in a repeating year (k = 12).

    >>> [storage_months(d) for d in (2, 45, 270, 365, 730)]
    [1, 1, 9, 12, 12]
    """
    days = _number(life_days, t("raw.life_field"))
    if days < 1 or days != int(days):
        raise OvopError(t("raw.bad_life", value=life_days))
    return min(12, max(1, int(days) // DAYS_PER_MONTH))


def stable_supply_no_storage(supply: Sequence[float], months: Iterable[int]) -> float:
    """x₀ = min over production months m ∈ P of S[m] (units a month), no storage.

    >>> stable_supply_no_storage([5, 0, 7] + [9] * 9, [1, 3, 4])
    5.0
    """
    supply = _twelve(supply, t("raw.supply_field"))
    return min(supply[m - 1] for m in check_months(months))


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


def _keepable(supply: list[float], k: int, loss: float) -> list[float]:
    """W[m] = Σ_{i=0}^{k−2} S[m−i]·(1−r)^i: what the k−1 youngest purchases can still hold at
    the end of month m (older material expires then)."""
    return [sum(supply[(m - i) % 12] * (1 - loss) ** i for i in range(k - 1)) for m in range(12)]


def _month_maps(supply, need, keep, loss) -> list[_Clamp]:
    """O[m+1] = (1−r)·min(max(O[m] + S[m] − need[m], 0), W[m]) for each month m."""
    return [_Clamp(1 - loss, (1 - loss) * (supply[m] - need[m]), 0.0, (1 - loss) * keep[m])
            for m in range(12)]


def _opening_stock(maps: list[_Clamp]) -> float:
    year = maps[0]
    for month_map in maps[1:]:
        year = year.then(month_map)
    return year.greatest_fixed_point()


def stock_plan(supply: Sequence[float], months: Iterable[int], use: float, life_months: int,
               loss: float = 0.0) -> pd.DataFrame:
    """Month by month, a FIFO stock in a repeating year serving ``use`` in the production months.

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
    supply = _twelve(supply, t("raw.supply_field"))
    months = check_months(months)
    use = _non_negative(use, t("raw.use_field"))
    k, loss = _check_life_months(life_months), check_loss(loss)
    need = [use if m in months else 0.0 for m in MONTHS]
    keep = _keepable(supply, k, loss)
    opening = _opening_stock(_month_maps(supply, need, keep, loss))
    rows = []
    for m in range(12):
        available = opening + supply[m]
        used = min(need[m], available)
        kept = min(available - used, keep[m])
        rows.append({"month": m + 1, "supply": supply[m], "opening": opening, "need": need[m],
                     "used": used, "shortage": need[m] - used,
                     "expired": available - used - kept, "lost": loss * kept,
                     "closing": (1 - loss) * kept})
        opening = (1 - loss) * kept
    return pd.DataFrame(rows)


def _serves(supply: list[float], months: tuple[int, ...], use: float, keep: list[float],
            loss: float, slack: float) -> bool:
    """True when the periodic FIFO stock covers ``use`` in every production month (a shortage
    below ``slack`` is rounding, not a shortage)."""
    need = [use if m in months else 0.0 for m in MONTHS]
    maps = _month_maps(supply, need, keep, loss)
    stock = _opening_stock(maps)
    for m, month_map in enumerate(maps):
        if stock + supply[m] < need[m] - slack:
            return False
        stock = month_map(stock)
    return True


def stable_supply_with_storage(supply: Sequence[float], months: Iterable[int],
                               life_months: int, loss: float = 0.0) -> float:
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
    supply = _twelve(supply, t("raw.supply_field"))
    months = check_months(months)
    k, loss = _check_life_months(life_months), check_loss(loss)
    keep = _keepable(supply, k, loss)
    slack = _TOLERANCE * max(1.0, max(supply))
    fresh = low = min(supply[m - 1] for m in months)
    high = sum(supply) / len(months)
    if _serves(supply, months, high, keep, loss, slack):
        return high
    while high - low > slack:
        middle = (low + high) / 2
        if _serves(supply, months, middle, keep, loss, slack):
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
    ``material_id``, ``per_unit`` for every recipe line that names a local material.

    >>> recipe = pd.DataFrame({"product_id": ["jam"], "material_id": ["apricot"],
    ...                        "quantity": [20]})
    >>> batches = pd.DataFrame({"product_id": ["jam"], "units_per_batch": [80],
    ...                         "unit_name": ["банка"]})
    >>> material_per_unit(recipe, batches)["per_unit"].tolist()
    [0.25]
    """
    lines = recipe.dropna(subset=["material_id"])
    table = lines.merge(batches[["product_id", "units_per_batch", "unit_name"]], on="product_id")
    if (table["units_per_batch"] <= 0).any() or (table["quantity"] <= 0).any():
        raise OvopError(t("raw.bad_per_unit"))
    table["per_unit"] = table["quantity"] / table["units_per_batch"]
    label = dict(zip(names["idea_id"], names["idea"])) if names is not None else {}
    table["product"] = [label.get(p, p) for p in table["product_id"]]
    return table[["product_id", "product", "unit_name", "material_id", "per_unit"]].reset_index(
        drop=True)


PRODUCT_COLUMNS = ("product", "unit_name", "material_id", "per_unit")


def check_products(products: pd.DataFrame) -> pd.DataFrame:
    """A products table (``product``, ``unit_name``, ``material_id``, ``per_unit`` > 0, material
    per unit of product); OvopError with what to fix otherwise."""
    _require(products, PRODUCT_COLUMNS, "products")
    for value in products["per_unit"]:
        if _number(value, t("raw.per_unit_field")) <= 0:
            raise OvopError(t("raw.bad_per_unit"))
    return products


def lesson_products() -> pd.DataFrame:
    """Material per unit of every lesson product (recipe ÷ batch size, named by product_ideas)."""
    return material_per_unit(load_table("lesson/recipe"), load_table("lesson/product_batches"),
                             load_table("lesson/product_ideas"))


def max_output(stable_supply: float, per_unit: float) -> int:
    """N = ⌊x / a⌋: whole product units a month that the stable supply x allows (a > 0).

    >>> max_output(793.3, 0.3)
    2644
    """
    per_unit = _number(per_unit, t("raw.per_unit_field"))
    if per_unit <= 0:
        raise OvopError(t("raw.bad_per_unit"))
    return math.floor(_non_negative(stable_supply, t("raw.supply_field")) / per_unit + _TOLERANCE)


def mean_price(prices: Sequence[float | None], supply: Sequence[float]) -> float | None:
    """p̄ = Σ p[m]·S[m] / Σ S[m] over months with supply and a price (сом per unit): the price
    of an average unit of the sustainable supply; None when no month has both.

    >>> mean_price([150, 250, None] + [None] * 9, [3000, 1000, 0] + [0] * 9)
    175.0
    """
    supply = _twelve(supply, t("raw.supply_field"))
    pairs = [(p, s) for p, s in zip(_prices(prices), supply) if p is not None and s > 0]
    total = sum(s for _, s in pairs)
    return sum(p * s for p, s in pairs) / total if total else None


def _prices(prices: Sequence[float | None]) -> list[float | None]:
    prices = list(prices)
    if len(prices) != 12:
        raise OvopError(t("raw.need_12", field=t("raw.price_field"), count=len(prices)))
    return [None if p is None or (isinstance(p, float) and math.isnan(p))
            else _non_negative(p, t("raw.price_field")) for p in prices]


# --- risks --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Risk:
    """A flagged risk: ``kind`` (one_month, over_harvest, wild_share, price_swing) and a
    Russian message with the numbers behind it."""

    kind: str
    message: str


def _month_name(month: int) -> str:
    return t("raw.months_long").split(",")[month - 1].strip()


def one_month_risk(volume: Sequence[float]) -> Risk | None:
    """Flag when one month gives more than half the year: max V[m] / Σ V > 0.5.

    (The share s cancels: S[m] / ΣS = V[m] / ΣV.)

    >>> one_month_risk([0] * 7 + [12000, 1500, 0, 0, 0]).kind
    'one_month'
    >>> one_month_risk([700, 600, 500, 300] + [0] * 4 + [3000, 5000, 1000, 800]) is None
    True
    """
    volume = _twelve(volume, t("raw.volume_field"))
    total = sum(volume)
    if total == 0:
        return None
    top = max(MONTHS, key=lambda m: volume[m - 1])
    share = volume[top - 1] / total
    if share <= ONE_MONTH_SHARE:
        return None
    return Risk("one_month", t("raw.risk.one_month", month=_month_name(top),
                                share=fmt_percent(share), limit=fmt_percent(ONE_MONTH_SHARE, 0)))


def over_harvest_risks(use: float, stable: float, share: float, source_type: str,
                       unit: str) -> list[Risk]:
    """Flag planned use u > the stable supply x (the group would take more than the
    sustainable share), and a wild source whose share s > 0.5 (WILD_SHARE_CEILING).

    >>> [r.kind for r in over_harvest_risks(900, 793.3, 0.8, "фермы", "кг")]
    ['over_harvest']
    >>> [r.kind for r in over_harvest_risks(100, 793.3, 0.6, "дикорос", "кг")]
    ['wild_share']
    """
    risks = []
    use = _non_negative(use, t("raw.use_field"))
    if use > stable * (1 + _TOLERANCE) + _TOLERANCE:
        risks.append(Risk("over_harvest", t("raw.risk.over_harvest", use=fmt_number(use),
                                            stable=fmt_number(stable), unit=unit)))
    share = check_share(share)
    if source_type == "дикорос" and share > WILD_SHARE_CEILING:
        risks.append(Risk("wild_share", t("raw.risk.wild_share", share=fmt_percent(share, 0),
                                          limit=fmt_percent(WILD_SHARE_CEILING, 0))))
    return risks


def price_swing_risk(prices: Sequence[float | None]) -> Risk | None:
    """Flag max p[m] / min p[m] > 1.5 over the months with a price.

    >>> price_swing_risk([250, 260, 270, 280] + [None] * 4 + [150, 150, 170, 240]).message[:22]
    'Цена скачет по месяцам'
    """
    priced = [(m, p) for m, p in zip(MONTHS, _prices(prices)) if p]
    if not priced:
        return None
    (low_m, low), (high_m, high) = min(priced, key=lambda x: x[1]), max(priced, key=lambda x: x[1])
    ratio = high / low
    if ratio <= PRICE_SWING_RATIO:
        return None
    return Risk("price_swing", t("raw.risk.price_swing", ratio=fmt_number(ratio, 2),
                                 high=fmt_number(high), high_month=_month_name(high_m),
                                 low=fmt_number(low), low_month=_month_name(low_m),
                                 limit=fmt_number(PRICE_SWING_RATIO, 1)))


# --- the inventory tables -----------------------------------------------------------------
MATERIAL_COLUMNS = ("material_id", "material", "source_type", "unit", "storage_life_days",
                    "sustainable_share")
MONTH_COLUMNS = ("material_id", "month", "volume", "price_som")


def _require(table: object, columns: Sequence[str], name: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise OvopError(t("raw.not_a_table", table=name))
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise OvopError(t("raw.missing_columns", table=name, columns=", ".join(missing)))
    if table.empty:
        raise OvopError(t("raw.empty_table", table=name))
    return table


def lesson_inventory() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lesson case's (materials, months) tables."""
    return load_table("lesson/raw_materials"), load_table("lesson/raw_material_months")


def check_inventory(materials: pd.DataFrame, months: pd.DataFrame) -> None:
    """Check a trainee's inventory: the columns are there, every material has a known source
    type and unit, a share 0…1, a storage life ≥ 1 day, and 12 months of non-negative volume."""
    _require(materials, MATERIAL_COLUMNS, "materials")
    _require(months, MONTH_COLUMNS, "months")
    ids = list(materials["material_id"])
    if len(set(ids)) != len(ids):
        raise OvopError(t("raw.duplicate_material", ids=", ".join(map(str, ids))))
    for row in materials.itertuples():
        if row.source_type not in SOURCE_TYPES:
            raise OvopError(t("raw.bad_source_type", material=row.material,
                              value=row.source_type, known=", ".join(SOURCE_TYPES)))
        if row.unit not in UNITS:
            raise OvopError(t("raw.bad_unit", material=row.material, value=row.unit))
        check_share(row.sustainable_share)
        storage_months(row.storage_life_days)
        monthly_values(months, row.material_id)


def monthly_values(months: pd.DataFrame, material_id: str) -> tuple[list[float], list]:
    """(volume by month, price by month) of one material from the long month table."""
    rows = months[months["material_id"] == material_id]
    numbers = [m for m in rows["month"]]
    missing = [m for m in MONTHS if m not in numbers]
    if missing or len(numbers) != 12:
        raise OvopError(t("raw.months_incomplete", material=material_id,
                          missing=", ".join(map(str, missing)) or "—"))
    rows = rows.sort_values("month")
    volume = _twelve(rows["volume"].tolist(), t("raw.volume_field"))
    return volume, _prices(rows["price_som"].tolist())


def inventory_from_records(records: Sequence[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A trainee's materials written as dicts → (materials, months) tables of the lesson's shape.

    Each dict: ``material`` (name), ``source_type``, ``unit``, ``storage_life_days``,
    ``sustainable_share``, ``volume`` (12 numbers, January…December), ``price_som`` (12 numbers
    or None) and optionally ``material_id`` (default ``own_1``, ``own_2``…).

    >>> mats, months = inventory_from_records([dict(material="Шиповник", source_type="дикорос",
    ...     unit="кг", storage_life_days=365, sustainable_share=0.3,
    ...     volume=[0] * 8 + [500, 800, 0, 0], price_som=[None] * 8 + [120, 100, None, None])])
    >>> mats["material_id"].tolist(), len(months)
    (['own_1'], 12)
    """
    if not records:
        raise OvopError(t("raw.empty_table", table="records"))
    materials, months = [], []
    for number, record in enumerate(records, start=1):
        missing = [c for c in (*MATERIAL_COLUMNS[1:], "volume", "price_som") if c not in record]
        if missing:
            raise OvopError(t("raw.missing_keys", number=number, keys=", ".join(missing)))
        material_id = record.get("material_id") or f"own_{number}"
        materials.append({"material_id": material_id}
                         | {c: record[c] for c in MATERIAL_COLUMNS[1:]})
        volume, prices = list(record["volume"]), list(record["price_som"])
        if len(volume) != 12 or len(prices) != 12:
            raise OvopError(t("raw.need_12", field=record["material"],
                              count=len(volume) if len(volume) != 12 else len(prices)))
        months += [{"material_id": material_id, "month": m, "volume": v, "price_som": p}
                   for m, v, p in zip(MONTHS, volume, prices)]
    materials_table = pd.DataFrame(materials)[list(MATERIAL_COLUMNS)]
    months_table = pd.DataFrame(months)
    check_inventory(materials_table, months_table)
    return materials_table, months_table


def season_table(materials: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """Volume V[m] of every material (rows, by name) and month (columns 1…12): the seasonal
    calendar."""
    names = dict(zip(materials["material_id"], materials["material"]))
    rows = {names[i]: monthly_values(months, i)[0] for i in materials["material_id"]}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(MONTHS))


# --- one material, all of step 2 ----------------------------------------------------------
@dataclass(frozen=True)
class RawMaterialAnalysis:
    """Everything step 2 computes for one material and one plan (units: the material's unit)."""

    material_id: str
    material: str
    unit: str
    source_type: str
    share: float
    volume: list[float]
    prices: list[float | None]
    supply: list[float]
    months: tuple[int, ...]
    storage: bool
    life_days: int
    life_months: int
    loss: float
    use: float
    stable_no_storage: float
    stable_with_storage: float
    plan_with_storage: pd.DataFrame
    plan_no_storage: pd.DataFrame
    mean_price: float | None
    risks: list[Risk] = field(default_factory=list)
    product: str | None = None
    product_unit: str | None = None
    per_unit: float | None = None
    max_output: int | None = None

    @property
    def stable(self) -> float:
        """The stable monthly supply of the chosen mode (with storage if storage is on)."""
        return self.stable_with_storage if self.storage else self.stable_no_storage

    @property
    def plan(self) -> pd.DataFrame:
        """The stock plan of the chosen mode (:func:`stock_plan`)."""
        return self.plan_with_storage if self.storage else self.plan_no_storage


def analyse_material(materials: pd.DataFrame, months: pd.DataFrame, material_id: str,
                     production_months: Iterable[int] = MONTHS, storage: bool = True,
                     life_days: int | None = None, loss: float = 0.0, use: float = 0.0,
                     product: dict | None = None) -> RawMaterialAnalysis:
    """Step 2 for one material: supply, stable supply without and with storage, the stock
    plan for the planned use, the largest output of ``product`` (a dict with ``product``,
    ``unit_name``, ``per_unit``) and the risks. ``life_days`` defaults to the material's own."""
    _require(materials, MATERIAL_COLUMNS, "materials")
    _require(months, MONTH_COLUMNS, "months")
    found = materials[materials["material_id"] == material_id]
    if found.empty:
        raise OvopError(t("raw.unknown_material", material=material_id,
                          known=", ".join(map(str, materials["material_id"]))))
    row = found.iloc[0]
    volume, prices = monthly_values(months, material_id)
    supply = sustainable_supply(volume, row["sustainable_share"])
    chosen = check_months(production_months)
    life_days = int(row["storage_life_days"]) if life_days is None else life_days
    k = storage_months(life_days)
    use = _non_negative(use, t("raw.use_field"))
    no_storage = stable_supply_no_storage(supply, chosen)
    with_storage = stable_supply_with_storage(supply, chosen, k, loss)
    stable = with_storage if storage else no_storage
    risks = [r for r in (one_month_risk(volume), price_swing_risk(prices)) if r]
    risks += over_harvest_risks(use, stable, row["sustainable_share"], row["source_type"],
                                row["unit"])
    output = {}
    if product:
        output = {"product": product["product"], "product_unit": product["unit_name"],
                  "per_unit": float(product["per_unit"]),
                  "max_output": max_output(stable, product["per_unit"])}
    return RawMaterialAnalysis(
        material_id=material_id, material=row["material"], unit=row["unit"],
        source_type=row["source_type"], share=float(row["sustainable_share"]), volume=volume,
        prices=prices, supply=supply, months=chosen, storage=bool(storage),
        life_days=int(life_days), life_months=k, loss=check_loss(loss), use=use,
        stable_no_storage=no_storage, stable_with_storage=with_storage,
        plan_with_storage=stock_plan(supply, chosen, use, k, loss),
        plan_no_storage=stock_plan(supply, chosen, use, 1),
        mean_price=mean_price(prices, supply), risks=risks, **output)
