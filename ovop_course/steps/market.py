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

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from .. import checks
from ..data import load_table
from ..errors import OvopError
from ..i18n import t
from ..schemas import CompetitorPrice, MarketSegment, Row, Text
from ..workbook import MarketSection, Workbook, saved_section, saved_tables

# What a trainee may call with their own numbers and tables. The other functions take what
# these return (a segment_table, a price_summary) and are reached through them.
__all__ = [
    "base_quantity", "check_competitors", "check_products", "check_segments",
    "competitor_table", "price_per_unit", "price_summary", "producer_price", "scenario_factor",
    "scenario_tables", "segment_table", "segment_volume",
]

SCENARIOS: dict[str, float] = {"pessimistic": 0.7, "base": 1.0, "optimistic": 1.3}
"""Factors on buyer share and purchases a year per scenario. A teaching assumption of the
course (±30 % around the base estimate), not a published norm: replace them with your own
survey's spread when you have one."""

UNITS: dict[str, tuple[str, float]] = {"г": ("кг", 0.001), "кг": ("кг", 1.0),
                                       "мл": ("л", 0.001), "л": ("л", 1.0)}
"""Pack unit → (unit of comparison, how many of it one pack unit is): 500 г = 0.5 кг."""

PackUnit = Literal["г", "кг", "мл", "л"]
"""Units a pack or a selling unit may be written in (the keys of :data:`UNITS`)."""

SellerType = Literal["промышленный", "ремесленный", "ОСОП", "частный"]
"""Kinds of sellers in a price survey (as in ``data/lesson/competitor_prices.csv``)."""


class SurveyPrice(CompetitorPrice):
    """A row of a price survey: as in ``data/lesson/competitor_prices.csv``
    (:class:`~ovop_course.schemas.CompetitorPrice`), but a trainee may leave out the product's
    name and the seller's type, and may write packs in кг and л too."""

    product: str | None = None
    seller_type: SellerType | None = None
    pack_unit: PackUnit


class SellingUnit(Row):
    """The unit a product is sold in (as in ``data/lesson/product_batches.csv``): a 0.5 l
    bottle is ``unit_size`` 500, ``unit_size_unit`` мл; ``product`` (a name) is optional."""

    product_id: Text
    product: str | None = None
    unit_name: Text
    unit_size: float = Field(gt=0)
    unit_size_unit: PackUnit
    source: Text


# --- checks of a trainee's tables -----------------------------------------------------------
def check_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """Check a market-segments table row by row against
    :class:`~ovop_course.schemas.MarketSegment` (the columns of
    ``data/lesson/market_segments.csv``; ``channel``, ``entry_requirements`` and ``source`` may
    be left out). Each segment appears once per product; empty requirements become ``""``."""
    clean = checks.table(segments, MarketSegment, t("market.table.segments"),
                         defaults={"channel": t("market.no_channel")})
    duplicated = clean.duplicated(["segment_id", "product_id"])
    if duplicated.any():
        row = clean[duplicated].iloc[0]
        raise OvopError(t("market.duplicate_segment", segment=row.segment_id,
                          product=row.product_id))
    clean["entry_requirements"] = clean["entry_requirements"].fillna("").astype(str)
    return clean


def check_competitors(competitors: pd.DataFrame) -> pd.DataFrame:
    """Check a competitor price survey row by row against :class:`SurveyPrice`."""
    return checks.table(competitors, SurveyPrice, t("market.table.competitors"))


def check_products(products: pd.DataFrame) -> pd.DataFrame:
    """Check a products table row by row against :class:`SellingUnit`; indexed by
    ``product_id`` (each product once: two selling units of one product cannot both be its
    unit); a missing name is the product's id."""
    clean = checks.table(products, SellingUnit, t("market.table.products"), key=("product_id",))
    clean["product"] = clean["product"].fillna(clean["product_id"])
    return clean.set_index("product_id")


# --- demand of segments ---------------------------------------------------------------------
def segment_volume(people: float, buyer_share: float, purchases_per_year: float,
                   units_per_purchase: float) -> float:
    """Units bought in a segment a year.

    ``volume = people × buyer_share × purchases_per_year × units_per_purchase``
    (bottom-up demand estimate; people in persons, share 0..1, purchases a year, units).

    >>> segment_volume(68_000, 0.02, 3, 1)
    4080.0
    """
    people, purchases, units = (checks.number(v, name, low=0, low_open=True) for v, name in (
        (people, "people"), (purchases_per_year, "purchases_per_year"),
        (units_per_purchase, "units_per_purchase")))
    volume = people * checks.share(buyer_share, "buyer_share") * purchases * units
    return checks.bounded(volume, "volume_units")


def producer_price(price_som: float, channel_margin: float) -> float:
    """What the group receives per unit: ``price_som × (1 − channel_margin)``, som.

    ``channel_margin`` is the share of the buyer's price kept by the shop or distributor
    (0 for direct sales, below 1).

    >>> producer_price(420, 0.5)
    210.0
    """
    price = checks.number(price_som, "price_som", low=0, low_open=True)
    return price * (1 - checks.share(channel_margin, "channel_margin", high_open=True))


def scenario_factor(scenario: str) -> float:
    """The factor of a scenario (:data:`SCENARIOS`); a Russian message for an unknown one."""
    if not isinstance(scenario, str) or scenario not in SCENARIOS:
        raise OvopError(t("market.unknown_scenario", scenario=scenario,
                          known=", ".join(SCENARIOS)))
    return SCENARIOS[scenario]


def segment_table(segments: pd.DataFrame, product_id: str, scenario: str = "base"
                  ) -> pd.DataFrame:
    """The segments of one product with their demand in a scenario (checks ``segments``).

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
    return _demand(_product_rows(check_segments(segments), product_id), factor)


def scenario_tables(segments: pd.DataFrame, product_id: str) -> dict[str, pd.DataFrame]:
    """:func:`segment_table` of every scenario in :data:`SCENARIOS` (``segments`` checked once).
    """
    rows = _product_rows(check_segments(segments), product_id)
    return {name: _demand(rows, factor) for name, factor in SCENARIOS.items()}


def _product_rows(segments: pd.DataFrame, product_id: str) -> pd.DataFrame:
    rows = segments[segments["product_id"] == product_id] if isinstance(product_id, str) else (
        segments.iloc[0:0])
    if rows.empty:
        known = ", ".join(dict.fromkeys(segments["product_id"]))
        raise OvopError(t("market.unknown_product", product=product_id, known=known))
    return rows.set_index("segment_id")


def _demand(rows: pd.DataFrame, factor: float) -> pd.DataFrame:
    """The columns of :func:`segment_table` for checked ``rows`` of one product."""
    table = rows.copy()
    table["buyer_share"] = (table["buyer_share"] * factor).clip(upper=1.0)
    table["purchases_per_year"] = table["purchases_per_year"] * factor
    table["buyers"] = table["people"] * table["buyer_share"]
    table["volume_units"] = (table["buyers"] * table["purchases_per_year"]
                             * table["units_per_purchase"])
    table["value_som"] = table["volume_units"] * table["price_som"]
    table["producer_price_som"] = table["price_som"] * (1 - table["channel_margin"])
    table["producer_value_som"] = table["volume_units"] * table["producer_price_som"]
    table["needs_requirements"] = table["entry_requirements"] != ""
    return checks.bounded(table, t("market.table.segments"))


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
    ``table`` is a :func:`segment_table`; ``chosen`` a list of segment ids; ``requirements_met``
    True or False.
    """
    if isinstance(chosen, (str, bytes, Mapping)) or not isinstance(chosen, Iterable):
        raise OvopError(t("market.segments_not_list", known=", ".join(table.index)))
    chosen = list(chosen)
    requirements_met = checks.boolean(requirements_met, t("market.requirements_met"))
    unknown = [s for s in chosen if not isinstance(s, str) or s not in table.index]
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


def market_funnel(table: pd.DataFrame, included, obtainable_share: float) -> Funnel:
    """TAM = Σ over all segments; SAM = Σ over ``included``; SOM = SAM × ``obtainable_share``.

    Applies to volume (units a year), value (som a year) and, for SOM, producer revenue.
    ``table`` is a :func:`segment_table`; the obtainable share is above 0 and at most 1.
    """
    share = checks.number(obtainable_share, "obtainable_share", low=0, low_open=True, high=1)
    sam = table.loc[list(included)]
    return Funnel(
        tam_units=float(table["volume_units"].sum()), tam_som=float(table["value_som"].sum()),
        sam_units=float(sam["volume_units"].sum()), sam_som=float(sam["value_som"].sum()),
        som_units=float(sam["volume_units"].sum() * share),
        som_som=float(sam["value_som"].sum() * share),
        som_producer_som=float(sam["producer_value_som"].sum() * share),
    )


def scenario_funnels(tables: dict[str, pd.DataFrame], included,
                     obtainable_share: float) -> dict[str, Funnel]:
    """:func:`market_funnel` of every scenario's table (:func:`scenario_tables`) with the same
    segments and obtainable share."""
    return {name: market_funnel(table, included, obtainable_share)
            for name, table in tables.items()}


@dataclass(frozen=True)
class PriceRange:
    """Producer prices over the reachable segments, som per unit: lowest (``min``),
    volume-weighted average (``base``) and highest (``max``)."""

    min: float
    base: float
    max: float


def producer_price_range(table: pd.DataFrame, included) -> PriceRange:
    """Lowest, weighted and highest producer price in the ``included`` segments.

    ``min = min(producer_price)``, ``max = max(producer_price)``,
    ``base = Σ(volume × producer_price) / Σ volume`` — the average price of the SAM mix.
    """
    if not len(included):
        raise OvopError(t("market.nothing_reachable"))
    rows = table.loc[list(included)]
    volume = rows["volume_units"].sum()
    if not volume > 0:
        raise OvopError(t("market.no_demand"))
    prices = rows["producer_price_som"]
    return PriceRange(min=float(prices.min()), max=float(prices.max()),
                      base=float((rows["volume_units"] * prices).sum() / volume))


# --- competitor prices --------------------------------------------------------------------
def base_quantity(size: float, unit: str) -> tuple[float, str]:
    """A pack size in kg or litres: ``(size × factor, "кг" | "л")``.

    >>> base_quantity(370, "г")
    (0.37, 'кг')
    """
    if not isinstance(unit, str) or unit not in UNITS:
        raise OvopError(t("market.unknown_unit", unit=unit))
    base, factor = UNITS[unit]
    quantity = checks.number(size, "pack_size", low=0, low_open=True) * factor
    # a size so tiny that in kg or litres it is below the smallest float (5e-324 г → 0 кг)
    return checks.number(quantity, "pack_size", low=0, low_open=True), base


def price_per_unit(price_som: float, pack_size: float, pack_unit: str) -> tuple[float, str]:
    """Price in som per kg (г, кг) or per litre (мл, л): ``price_som / pack size in kg or l``.

    >>> price_per_unit(220, 370, "г")[0].__round__(1), price_per_unit(220, 370, "г")[1]
    (594.6, 'кг')
    """
    quantity, base = base_quantity(pack_size, pack_unit)
    price = checks.number(price_som, "price_som", low=0, low_open=True) / quantity
    return checks.bounded(price, "price_per_unit"), base


def competitor_table(competitors: pd.DataFrame, product_id: str) -> pd.DataFrame:
    """The survey rows of one product with ``price_per_unit`` (som per ``price_unit``) and
    ``price_unit`` (кг or л); mass and volume packs in one product cannot be compared (no
    density)."""
    rows = check_competitors(competitors)
    if not isinstance(product_id, str):
        raise OvopError(t("market.no_competitors", product=product_id))
    rows = rows[rows["product_id"] == product_id].reset_index(drop=True)
    if rows.empty:
        raise OvopError(t("market.no_competitors", product=product_id))
    converted = [price_per_unit(r.price_som, r.pack_size, r.pack_unit)
                 for r in rows.itertuples()]
    rows["price_per_unit"] = [price for price, _ in converted]
    rows["price_unit"] = [unit for _, unit in converted]
    if rows["price_unit"].nunique() > 1:
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

    Prices are above 0, in a list, tuple, array or Series (a set would drop equal prices, a
    dict is not a list of prices).

    >>> s = price_summary([190, 210, 200, 500])
    >>> s.q1, s.median, s.q3
    (197.5, 205.0, 282.5)
    """
    if isinstance(prices, (str, bytes)) or not isinstance(prices, Iterable):
        raise OvopError(t("market.no_values"))
    if isinstance(prices, (Mapping, Set)):
        raise OvopError(t("checks.not_numbers", field="price_per_unit"))
    values = np.array([checks.number(p, "price_per_unit", low=0, low_open=True)
                       for p in prices], dtype=float)
    if values.size == 0:
        raise OvopError(t("market.no_values"))
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    return PriceSummary(count=int(values.size), min=float(values.min()), q1=float(q1),
                        median=float(median), q3=float(q3), max=float(values.max()))


def unit_price_corridor(summary: PriceSummary, price_unit: str, unit_size: float,
                        unit_size_unit: str) -> tuple[float, float, float]:
    """Competitors' quartiles and median, som per ``price_unit`` (kg or l), converted to one
    unit of our product: ``(q1, median, q3) × unit size in kg or l`` (a 0.5 l bottle: × 0.5)."""
    if not isinstance(summary, PriceSummary):
        raise OvopError(t("market.not_summary"))
    quantity, ours = base_quantity(unit_size, unit_size_unit)
    if ours != price_unit:
        raise OvopError(t("market.unit_mismatch", ours=ours, theirs=price_unit))
    corridor = (summary.q1 * quantity, summary.median * quantity, summary.q3 * quantity)
    return checks.bounded(corridor, t("market.corridor_field"))


# --- for the later steps ----------------------------------------------------------------------
@dataclass(frozen=True)
class SavedMarket:
    """Step 4 as a later step uses it (step 5: the concept's segments and price corridor; step
    6: the volume and prices of its product).

    ``segments`` and ``competitors``: the market tool's own tables kept in the workbook
    (``origin`` «tables» when the segments are the trainee's; a table not kept is the lesson
    case's) or the lesson case's («lesson»); ``section``: the result saved in
    ``step04_market`` for its ``product_id`` (None: none saved) — obtainable volume by
    ``scenarios`` (units a year), producer prices ``price_min_som`` … ``price_max_som`` (som a
    unit), competitors' ``competitor_price_low`` … ``competitor_price_high`` (som per
    ``price_unit``)."""

    segments: pd.DataFrame
    competitors: pd.DataFrame
    origin: str = "lesson"
    section: MarketSection | None = None


def saved_market(workbook: Workbook | None) -> SavedMarket:
    """What step 4 saved in ``workbook``, the only way a later step reads step 4: ``workbook``
    is :func:`~ovop_course.workbook.saved_workbook` (None: the lesson case, origin «lesson»
    and no section). Never fails: the own tables are checked by the step computing with them.
    """
    own = saved_tables(workbook, "step04_market")
    frames = {name: pd.DataFrame(own[name], dtype=object) if name in own
              else load_table(f"lesson/{table}")
              for name, table in (("segments", "market_segments"),
                                  ("competitors", "competitor_prices"))}
    section = saved_section(workbook, "step04_market")
    return SavedMarket(**frames, origin="tables" if "segments" in own else "lesson",
                       section=section if section is not None and section.product_id else None)
