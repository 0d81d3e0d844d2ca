"""Step 4, market analysis: from «what we can make» to «what people buy».

Method (standard TAM/SAM/SOM market sizing, built bottom-up segment by segment as the seed's
step 4 asks — local, town, export):

- demand of a segment, units a year:
  ``volume = people × buyer_share × purchases_per_year × units_per_purchase``;
- its value, som a year, at the buyer's price: ``value = volume × price_som``;
- what the group receives per unit after the channel (shop, distributor) keeps its share:
  ``producer_price = price_som × (1 − channel_margin)``;
- total market TAM = Σ over all segments; reachable market SAM = Σ over the segments the group
  can reach (a segment with entry requirements, such as EAEU conformity for export, counts only
  when they are met); obtainable market SOM = SAM × obtainable share;
- scenarios multiply the buyer share and the purchases a year by :data:`SCENARIOS`
  (the buyer share is capped at 1).

Competitor price survey (a store check): every price is brought to som per kg or per litre,
``price_per_unit = price_som / pack size in kg (or l)``, and summarised by minimum, quartiles,
median and maximum (quartiles by linear interpolation, Hyndman & Fan 1996 type 7 — the
default of numpy and pandas and Excel's QUARTILE.INC). The interquartile range, converted to
the group's own unit (a 0.5 l bottle), is the price corridor that step 6 (costing) checks.

Units: volume in the product's selling unit (bottle, jar), money in som, shares 0..1.

>>> segment_volume(people=85_600, buyer_share=0.03, purchases_per_year=4, units_per_purchase=1)
10272.0
>>> producer_price(300, channel_margin=0.25)
225.0
>>> price_per_unit(250, 500, "мл")
(500.0, 'л')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import OvopError
from .i18n import t

SCENARIOS: dict[str, float] = {"pessimistic": 0.7, "base": 1.0, "optimistic": 1.3}
"""Factors on buyer share and purchases a year per scenario. A teaching assumption of the
course (±30 % around the base estimate), not a published norm: replace them with your own
survey's spread when you have one."""

UNITS: dict[str, tuple[str, float]] = {"г": ("кг", 0.001), "кг": ("кг", 1.0),
                                       "мл": ("л", 0.001), "л": ("л", 1.0)}
"""Pack unit → (unit of comparison, how many of it one pack unit is): 500 г = 0.5 кг."""

SEGMENT_COLUMNS = {"segment_id": "text", "segment": "text", "product_id": "text",
                   "people": "positive", "buyer_share": "share",
                   "purchases_per_year": "positive", "units_per_purchase": "positive",
                   "price_som": "positive", "channel_margin": "margin"}
COMPETITOR_COLUMNS = {"product_id": "text", "seller": "text", "pack_size": "positive",
                      "pack_unit": "unit", "price_som": "positive", "where_sold": "text"}
PRODUCT_COLUMNS = {"product_id": "text", "unit_name": "text", "unit_size": "positive",
                   "unit_size_unit": "unit"}


# --- checks of single values and of tables ---------------------------------------------------
def _positive(value: float, field: str) -> float:
    if not value > 0:
        raise OvopError(t("market.not_positive", field=field, value=value))
    return float(value)


def _share(value: float, field: str) -> float:
    if not 0 <= value <= 1:
        raise OvopError(t("market.not_share", field=field, value=value))
    return float(value)


def _cell_ok(value, rule: str) -> bool:
    if rule == "text":
        return not pd.isna(value) and str(value).strip() != ""
    if rule == "unit":
        return value in UNITS
    if pd.isna(value):
        return False
    return {"positive": value > 0, "share": 0 <= value <= 1, "margin": 0 <= value < 1}[rule]


def check_table(table: pd.DataFrame, columns: dict[str, str], name: str) -> pd.DataFrame:
    """Check a trainee's table: the ``columns`` are present and every cell keeps its rule.

    Rules: ``text`` (filled), ``positive`` (number > 0), ``share`` (0..1), ``margin``
    (0 ≤ x < 1), ``unit`` (г, кг, мл, л). Returns a copy with numeric columns as floats;
    raises OvopError naming the table, the row (from 1) and the column of the first problem.
    """
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise OvopError(t("market.empty_table", table=name))
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise OvopError(t("market.missing_columns", table=name, columns=", ".join(missing)))
    clean = table.reset_index(drop=True).copy()
    for column, rule in columns.items():
        if rule not in ("text", "unit"):
            clean[column] = pd.to_numeric(clean[column], errors="coerce").astype(float)
        for row, value in enumerate(clean[column], start=1):
            if not _cell_ok(value, rule):
                raise OvopError(t("market.bad_cell", table=name, row=row, column=column,
                                  value=table[column].iloc[row - 1],
                                  rule=t(f"market.rule.{rule}")))
    return clean


def check_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """Check a market-segments table (columns of ``data/lesson/market_segments.csv``)."""
    clean = check_table(segments, SEGMENT_COLUMNS, t("market.table.segments"))
    duplicated = clean.duplicated(["segment_id", "product_id"])
    if duplicated.any():
        row = clean[duplicated].iloc[0]
        raise OvopError(t("market.duplicate_segment", segment=row.segment_id,
                          product=row.product_id))
    if "entry_requirements" not in clean.columns:
        clean["entry_requirements"] = ""
    clean["entry_requirements"] = clean["entry_requirements"].fillna("").astype(str).str.strip()
    return clean


def check_competitors(competitors: pd.DataFrame) -> pd.DataFrame:
    """Check a competitor price survey (columns of ``data/lesson/competitor_prices.csv``)."""
    return check_table(competitors, COMPETITOR_COLUMNS, t("market.table.competitors"))


def check_products(products: pd.DataFrame) -> pd.DataFrame:
    """Check a products table: ``product_id``, ``unit_name``, ``unit_size``, ``unit_size_unit``
    (as in ``data/lesson/product_batches.csv``); ``product`` (a name) is optional."""
    clean = check_table(products, PRODUCT_COLUMNS, t("market.table.products"))
    if "product" not in clean.columns:
        clean["product"] = clean["product_id"]
    return clean.drop_duplicates("product_id").set_index("product_id")


# --- demand of segments ---------------------------------------------------------------------
def segment_volume(people: float, buyer_share: float, purchases_per_year: float,
                   units_per_purchase: float) -> float:
    """Units bought in a segment a year.

    ``volume = people × buyer_share × purchases_per_year × units_per_purchase``
    (bottom-up demand estimate; people in persons, share 0..1, purchases a year, units).

    >>> segment_volume(68_000, 0.02, 3, 1)
    4080.0
    """
    _positive(people, "people")
    _share(buyer_share, "buyer_share")
    _positive(purchases_per_year, "purchases_per_year")
    _positive(units_per_purchase, "units_per_purchase")
    return float(people * buyer_share * purchases_per_year * units_per_purchase)


def producer_price(price_som: float, channel_margin: float) -> float:
    """What the group receives per unit: ``price_som × (1 − channel_margin)``, som.

    ``channel_margin`` is the share of the buyer's price kept by the shop or distributor
    (0 for direct sales, below 1).

    >>> producer_price(420, 0.5)
    210.0
    """
    _positive(price_som, "price_som")
    if not 0 <= channel_margin < 1:
        raise OvopError(t("market.bad_margin", field="channel_margin", value=channel_margin))
    return float(price_som * (1 - channel_margin))


def scenario_factor(scenario: str) -> float:
    """The factor of a scenario (:data:`SCENARIOS`); a Russian message for an unknown one."""
    if scenario not in SCENARIOS:
        raise OvopError(t("market.unknown_scenario", scenario=scenario,
                          known=", ".join(SCENARIOS)))
    return SCENARIOS[scenario]


def segment_table(segments: pd.DataFrame, product_id: str, scenario: str = "base"
                  ) -> pd.DataFrame:
    """The segments of one product with their demand in a scenario.

    With ``k`` the scenario factor: ``buyer_share' = min(1, buyer_share × k)``,
    ``purchases' = purchases_per_year × k``; then ``buyers = people × buyer_share'``,
    ``volume_units = buyers × purchases' × units_per_purchase``, ``value_som = volume_units ×
    price_som``, ``producer_price_som = price_som × (1 − channel_margin)``,
    ``producer_value_som = volume_units × producer_price_som``; ``needs_requirements`` is
    True where ``entry_requirements`` is filled. Indexed by ``segment_id``.

    >>> from ovop_course.data import load_table
    >>> table = segment_table(load_table("lesson/market_segments"), "sb_juice")
    >>> int(table.loc["karakol", "volume_units"]), float(table.loc["karakol", "producer_price_som"])
    (10272, 172.5)
    """
    factor = scenario_factor(scenario)
    segments = check_segments(segments)
    rows = segments[segments["product_id"] == product_id]
    if rows.empty:
        known = ", ".join(dict.fromkeys(segments["product_id"]))
        raise OvopError(t("market.unknown_product", product=product_id, known=known))
    table = rows.set_index("segment_id")
    table["buyer_share"] = (table["buyer_share"] * factor).clip(upper=1.0)
    table["purchases_per_year"] = table["purchases_per_year"] * factor
    table["buyers"] = table["people"] * table["buyer_share"]
    table["volume_units"] = (table["buyers"] * table["purchases_per_year"]
                             * table["units_per_purchase"])
    table["value_som"] = table["volume_units"] * table["price_som"]
    table["producer_price_som"] = table["price_som"] * (1 - table["channel_margin"])
    table["producer_value_som"] = table["volume_units"] * table["producer_price_som"]
    table["needs_requirements"] = table["entry_requirements"] != ""
    return table


# --- TAM, SAM, SOM -------------------------------------------------------------------------
@dataclass(frozen=True)
class Reach:
    """Segments counted in SAM, and those chosen but left out for unmet entry requirements
    (segment id → requirements)."""

    included: tuple[str, ...]
    blocked: dict[str, str]


def split_reachable(table: pd.DataFrame, chosen, requirements_met: bool) -> Reach:
    """Which of the ``chosen`` segments count in SAM.

    A chosen segment counts unless it has entry requirements (export: EAEU declaration of
    conformity, EAC labelling) and ``requirements_met`` is False; then it is ``blocked``.
    ``table`` is a :func:`segment_table`.
    """
    unknown = [s for s in chosen if s not in table.index]
    if unknown:
        raise OvopError(t("market.unknown_segment", segment=", ".join(map(str, unknown)),
                          known=", ".join(table.index)))
    chosen = [s for s in table.index if s in set(chosen)]
    blocked = {s: table.loc[s, "entry_requirements"] for s in chosen
               if table.loc[s, "needs_requirements"] and not requirements_met}
    return Reach(included=tuple(s for s in chosen if s not in blocked), blocked=blocked)


@dataclass(frozen=True)
class Funnel:
    """TAM, SAM and SOM: units a year and their value in som a year at buyers' prices;
    ``som_producer_som`` is what the group receives for SOM (producer prices)."""

    tam_units: float
    tam_som: float
    sam_units: float
    sam_som: float
    som_units: float
    som_som: float
    som_producer_som: float

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


def check_obtainable_share(share: float) -> float:
    """The obtainable share of SAM must be above 0 and at most 1."""
    if not 0 < share <= 1:
        raise OvopError(t("market.obtainable_share", value=share))
    return float(share)


def market_funnel(table: pd.DataFrame, included, obtainable_share: float) -> Funnel:
    """TAM = Σ over all segments; SAM = Σ over ``included``; SOM = SAM × ``obtainable_share``.

    Applies to volume (units a year), value (som a year) and, for SOM, producer revenue.
    ``table`` is a :func:`segment_table`.
    """
    share = check_obtainable_share(obtainable_share)
    sam = table.loc[list(included)]
    return Funnel(
        tam_units=float(table["volume_units"].sum()), tam_som=float(table["value_som"].sum()),
        sam_units=float(sam["volume_units"].sum()), sam_som=float(sam["value_som"].sum()),
        som_units=float(sam["volume_units"].sum() * share),
        som_som=float(sam["value_som"].sum() * share),
        som_producer_som=float(sam["producer_value_som"].sum() * share),
    )


def scenario_funnels(segments: pd.DataFrame, product_id: str, included,
                     obtainable_share: float) -> dict[str, Funnel]:
    """:func:`market_funnel` of every scenario in :data:`SCENARIOS` (same segments, share)."""
    return {name: market_funnel(segment_table(segments, product_id, name), included,
                                obtainable_share) for name in SCENARIOS}


@dataclass(frozen=True)
class PriceRange:
    """Producer prices over the reachable segments, som per unit: lowest, volume-weighted
    average (``base``) and highest."""

    low: float
    base: float
    high: float


def producer_price_range(table: pd.DataFrame, included) -> PriceRange:
    """Lowest, weighted and highest producer price in the ``included`` segments.

    ``base = Σ(volume × producer_price) / Σ volume`` — the average price of the SAM mix.
    """
    if not len(included):
        raise OvopError(t("market.nothing_reachable"))
    rows = table.loc[list(included)]
    volume = rows["volume_units"].sum()
    if not volume > 0:
        raise OvopError(t("market.no_demand"))
    prices = rows["producer_price_som"]
    return PriceRange(low=float(prices.min()), high=float(prices.max()),
                      base=float((rows["volume_units"] * prices).sum() / volume))


# --- competitor prices --------------------------------------------------------------------
def base_quantity(size: float, unit: str) -> tuple[float, str]:
    """A pack size in kg or litres: ``(size × factor, "кг" | "л")``.

    >>> base_quantity(370, "г")
    (0.37, 'кг')
    """
    if unit not in UNITS:
        raise OvopError(t("market.unknown_unit", unit=unit))
    base, factor = UNITS[unit]
    return float(_positive(size, "pack_size") * factor), base


def price_per_unit(price_som: float, pack_size: float, pack_unit: str) -> tuple[float, str]:
    """Price in som per kg (г, кг) or per litre (мл, л): ``price_som / pack size in kg or l``.

    >>> price_per_unit(220, 370, "г")[0].__round__(1), price_per_unit(220, 370, "г")[1]
    (594.6, 'кг')
    """
    quantity, base = base_quantity(pack_size, pack_unit)
    return float(_positive(price_som, "price_som") / quantity), base


def competitor_table(competitors: pd.DataFrame, product_id: str) -> pd.DataFrame:
    """The survey rows of one product with ``price_per_unit`` (som per kg or l) and
    ``base_unit``; mass and volume packs in one product cannot be compared (no density)."""
    rows = check_competitors(competitors)
    rows = rows[rows["product_id"] == product_id].reset_index(drop=True)
    if rows.empty:
        raise OvopError(t("market.no_competitors", product=product_id))
    converted = [price_per_unit(r.price_som, r.pack_size, r.pack_unit)
                 for r in rows.itertuples()]
    rows["price_per_unit"] = [price for price, _ in converted]
    rows["base_unit"] = [base for _, base in converted]
    if rows["base_unit"].nunique() > 1:
        raise OvopError(t("market.mixed_units", product=product_id))
    return rows


@dataclass(frozen=True)
class PriceSummary:
    """Minimum, lower quartile, median, upper quartile and maximum of prices."""

    count: int
    min: float
    q1: float
    median: float
    q3: float
    max: float


def price_summary(prices) -> PriceSummary:
    """Five-number summary; quartiles by linear interpolation (Hyndman & Fan type 7).

    >>> s = price_summary([190, 210, 200, 500])
    >>> s.q1, s.median, s.q3
    (197.5, 205.0, 282.5)
    """
    values = np.asarray(list(prices), dtype=float)
    if values.size == 0 or not np.isfinite(values).all():
        raise OvopError(t("market.no_values"))
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    return PriceSummary(count=int(values.size), min=float(values.min()), q1=float(q1),
                        median=float(median), q3=float(q3), max=float(values.max()))


def unit_price_corridor(summary: PriceSummary, base_unit: str, unit_size: float,
                        unit_size_unit: str) -> tuple[float, float, float]:
    """Competitors' quartiles and median, som per kg or l, converted to one unit of our
    product: ``(q1, median, q3) × unit size in kg or l`` (a 0.5 l bottle: × 0.5)."""
    quantity, ours = base_quantity(unit_size, unit_size_unit)
    if ours != base_unit:
        raise OvopError(t("market.unit_mismatch", ours=ours, theirs=base_unit))
    return summary.q1 * quantity, summary.median * quantity, summary.q3 * quantity
