"""Step 5, product development: the concept, the recipe, the prototype panel, the design review.

The seed's step 5 is «формирование рецептуры, дизайна, концепции продукта», and OVOP+1's role
is to «объяснить логику прототипирования и тестирования»: a product is first written down
(the concept card), then made on paper (the recipe with its losses, yield and cost), then made
in a few variants and tasted (the panel), then checked against what OVOP asks of a product
(the design review). Each part is a pure calculation; each formula is in docs/formulas.md.

**Concept card** (:func:`concept_card`): name, customer and step 4's segments, use occasion,
pack and size, the target price range — step 4's competitor price corridor (Q1…Q3 of the
prices per kg or l, :func:`~ovop_course.steps.market.unit_price_corridor`) converted to our
pack —, the story of the place (the principle «локально — но для глобального рынка») and what
makes the product hard to copy.

**Recipe.** A batch takes q_i of each raw ingredient i (``recipe.csv``, kind «сырьё») and
packaging by the piece. Stage s of the process (``process_losses.csv``) loses the share l_s of
the mass it works on: one ingredient (``applies_to``) or, when empty, the whole mass. The yield
of a batch is what is left after every stage,

    Y = Σ_i q_i × Π_{s acting on i} (1 − l_s)      (= Q × Π_s (1 − l_s) when every stage
                                                       acts on the whole mass Q = Σ q_i),

in kg or l (:func:`batch_yield`). Mass and volume are counted 1 kg = 1 l
(:data:`KG_PER_LITRE`), a teaching simplification: exact for water, about 4–5 % off for juice
and nectar (1.04–1.05 kg/l), and 1 kg of honey is about 0.7 l. The yield gives at most
N_max = ⌊Y / v⌋ units of size v; the batch table's ``units_per_batch`` N must not exceed
N_max, and Y − N·v is the reserve for overfill and spills (:func:`yield_check`). Scaling by a
factor f (or to U units, f = U / N) multiplies every ingredient by f and counts packaging by
the units made, ⌊N·f⌋ (:func:`scale_recipe`). The material cost per unit is
Σ q_i × p_i / N at step 2's average prices p_i (the recipe's ``unit_price_som`` where step 2
has no price, :func:`unit_cost`), and step 2's stable monthly supply x of a material allows
⌊x / q⌋ batches a month (:func:`batch_limits`).

**Prototype panel.** Each panellist scores each variant on the 9-point hedonic scale (1 —
очень не нравится, 5 — ни да ни нет, 9 — очень нравится; Peryam & Pilgrim 1957), overall and
by attribute. Per variant and attribute: n, mean, standard deviation, the share of scores ≥ 6
(:func:`panel_summary`). Whether the difference in overall liking is real is tested on the
panellists who scored every variant — Friedman's test for three or more variants, Wilcoxon's
signed-rank test for two (:func:`panel_test`) — and explained in plain Russian
(:func:`explain_panel`), with the caution that a village panel of 10–20 people is a screening,
not a market test (means settle at 40–50 panellists, Moskowitz 1997).

**Design review** (:func:`design_review`), in the spirit of MUJI's work with the Issyk-Kul
felt groups: simple, local material, fits the market, every group can make it the same way.

>>> round(yield_after(30, [0.02, 0.01, 0.33]), 2)
19.5
>>> batches_per_month(793.3, 30)
26
>>> card = lesson_concept_card()
>>> card.segment_ids, round(card.price_low, 2), round(card.price_high, 2)
(('tourists', 'karakol'), 98.75, 141.25)
>>> lesson_yield().units_possible
100
>>> test = lesson_panel()
>>> test.test, test.preferred, test.panellists, test.dropped, test.significant
('friedman', ('B',), 14, ('p15',), True)
"""

from __future__ import annotations

import dataclasses
import math
import statistics
import warnings
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import ConfigDict, Field

from .. import checks
from ..data import lesson_case, load_table
from ..errors import OvopError
from ..fmt import fmt_number, fmt_percent
from ..i18n import t
from ..schemas import (
    PANEL_ATTRIBUTES,
    PanelScore,
    ProcessLoss,
    ProductBatch,
    ProductConcept,
    ProductIdea,
    RecipeItem,
    Row,
    Text,
)
from ..workbook import ProductSection, Workbook, saved_section, saved_tables
from . import market, raw_materials

__all__ = [
    "batch_limits", "batch_yield", "batches_per_month", "check_concepts", "check_losses",
    "check_panel", "check_recipe", "concept_card", "design_answers", "design_review",
    "explain_design", "explain_panel", "lesson_batch_limit", "lesson_concept_card",
    "lesson_design_review", "lesson_panel", "lesson_panel_summary", "lesson_recipe",
    "lesson_supply", "lesson_unit_cost", "lesson_yield", "loss_stages", "panel_summary",
    "panel_test", "scale_recipe", "raw_material_supply", "unit_cost", "yield_after", "yield_check",
]

LESSON_PRODUCT = "sb_juice"
"""The lesson case's product: sea-buckthorn nectar with honey, 0.5 l."""

KG_PER_LITRE = 1.0
"""Mass and volume are counted 1 kg = 1 l in the yield (a teaching simplification, see the
module docstring)."""

QUANTITY_UNITS: dict[str, tuple[str, float]] = {"кг": ("кг", 1.0), "г": ("кг", 0.001),
                                                "л": ("л", 1.0), "мл": ("л", 0.001)}
"""A recipe or pack unit → (kg or l, how many of it one unit is): 500 мл = 0.5 л."""

RAW = "сырьё"
PACKAGING = "упаковка"
LOCAL = "местное"
IMPORTED = "импорт"

OVERALL = "общее"
"""The attribute of overall liking: the one the panel test compares."""

LIKED_SCORE = 6
"""«Нравится немного» (6) and above: the scores counted as liking (the share of scores ≥ 6 —
report it beside the mean: docs/formulas.md, step 5)."""

ALPHA = 0.05
"""The significance level of the panel test: a difference is «real» when p < 5 %."""

SCREENING_PANEL = (10, 20)
"""The usual size of a village panel: a screening of variants, not a market test."""

SETTLED_PANEL = (40, 50)
"""Panellists at which consumer means settle (Moskowitz 1997)."""

MAX_RAW_INGREDIENTS = 5
"""Design review, «simple»: at most this many raw ingredients (a teaching rule of the course)."""

LOCAL_SHARE = 0.5
"""Design review, «local»: local raw ingredients make at least this share of the raw mass (a
teaching rule of the course)."""

LIKED_SHARE = 0.7
"""Design review, «fits the market»: at least this share of the preferred variant's overall
scores are ≥ 6 (a teaching rule of the course; the «acceptance index ≥ 70 %» often quoted has
no primary source the course could find)."""

_TOLERANCE = 1e-9


# --- tables ---------------------------------------------------------------------------------
class PanelEntry(PanelScore):
    """A row of a trainee's panel table: as ``data/lesson/panel_scores.csv``
    (:class:`~ovop_course.schemas.PanelScore`), but the product and the variant's name may be
    left out (one product per table; a variant without a name is shown by its code), and
    panellists and variants may be numbered (1 is read as the code «1»)."""

    model_config = ConfigDict(coerce_numbers_to_str=True)

    product_id: str | None = None
    variant_name: str | None = None


class SupplyRow(Row):
    """A material's stable monthly supply from step 2 (``stable_supply`` ≥ 0 in its ``unit``)."""

    material_id: Text
    stable_supply: float = Field(ge=0)
    unit: str | None = None


def check_concepts(concepts: pd.DataFrame) -> pd.DataFrame:
    """A concept table (the columns of ``data/lesson/product_concepts.csv``) checked row by row
    against :class:`~ovop_course.schemas.ProductConcept`; each product once."""
    return checks.table(concepts, ProductConcept, t("product.table.concepts"),
                        key=("product_id",))


def check_recipe(recipe: pd.DataFrame) -> pd.DataFrame:
    """A recipe table (the columns of ``data/lesson/recipe.csv``) checked row by row against
    :class:`~ovop_course.schemas.RecipeItem`; each ingredient once per product."""
    return checks.table(recipe, RecipeItem, t("product.table.recipe"),
                        key=("product_id", "ingredient"))


def check_losses(losses: pd.DataFrame) -> pd.DataFrame:
    """A losses table (the columns of ``data/lesson/process_losses.csv``) checked row by row
    against :class:`~ovop_course.schemas.ProcessLoss`; each stage number once per product."""
    return checks.table(losses, ProcessLoss, t("product.table.losses"),
                        key=("product_id", "stage_no"))


def check_panel(scores: pd.DataFrame) -> pd.DataFrame:
    """A panel table (``panellist``, ``variant``, ``attribute``, ``score`` 1–9 whole; optionally
    ``product_id``, ``variant_name``) checked row by row against :class:`PanelEntry`: one
    product, each panellist scores each variant and attribute at most once, each variant has
    one name (a variant without a name gets its code)."""
    name = t("product.table.panel")
    clean = checks.table(scores, PanelEntry, name)
    products = list(dict.fromkeys(clean["product_id"].dropna()))
    if len(products) > 1:
        raise OvopError(t("product.panel_products", products=", ".join(products)))
    checks.unique(clean, ("panellist", "variant", "attribute"), name)
    clean["variant_name"] = clean["variant_name"].fillna(clean["variant"])
    names = clean.groupby("variant", sort=False)["variant_name"].nunique()
    if (names > 1).any():
        raise OvopError(t("product.variant_names", variant=names[names > 1].index[0]))
    return clean


def _product_rows(table: pd.DataFrame, product_id: object, what: str) -> pd.DataFrame:
    """The rows of one product (``product_id`` a code of the table), else OvopError."""
    known = list(dict.fromkeys(table["product_id"]))
    if not isinstance(product_id, str) or product_id not in known:
        raise OvopError(t("product.unknown_product", product=product_id, table=what,
                          known=", ".join(known)))
    return table[table["product_id"] == product_id].reset_index(drop=True)


def _batch(batches: pd.DataFrame, product_id: object) -> dict:
    """units_per_batch, unit_size and unit_size_unit of one product of a batches table."""
    name = t("product.table.batches")
    batches = checks.columns(batches, ProductBatch,
                             ("product_id", "unit_size", "unit_size_unit", "units_per_batch"),
                             name, key=("product_id",))
    return _product_rows(batches, product_id, name).iloc[0].to_dict()


def _split(text: str) -> tuple[str, ...]:
    """The parts of a list written in one cell, joined by «;»."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


# --- the concept card -----------------------------------------------------------------------
@dataclass(frozen=True)
class ConceptCard:
    """The concept card of a product (step 5).

    ``segment_ids`` and ``segments`` (names) are step 4's segments the product is for;
    ``unit_name``, ``unit_size`` and ``unit_size_unit`` its selling unit; the target price range
    is step 4's competitor corridor converted to that unit, som per unit: ``price_low`` (Q1),
    ``price_median``, ``price_high`` (Q3) of ``competitors`` prices per ``price_unit`` (kg or l)
    × the unit's size in kg or l.
    """

    product_id: str
    name: str
    customer: str
    segment_ids: tuple[str, ...]
    segments: tuple[str, ...]
    use_occasion: str
    pack: str
    unit_name: str
    unit_size: float
    unit_size_unit: str
    price_unit: str
    price_low: float
    price_median: float
    price_high: float
    competitors: int
    story: str
    hard_to_copy: tuple[str, ...]
    source: str


def concept_card(concepts: pd.DataFrame, product_id: str, segments: pd.DataFrame,
                 competitors: pd.DataFrame, products: pd.DataFrame) -> ConceptCard:
    """The concept card of ``product_id``: its row of ``concepts`` (:func:`check_concepts`),
    its segments from step 4's ``segments`` table (each code of ``segment_ids`` must be a
    segment of this product), its selling unit from ``products`` (``unit_name``,
    ``unit_size``, ``unit_size_unit``: ``product_batches``) and the target price range: the
    competitors' prices per kg or l (``competitors``: a price survey) summarised by
    quartiles and converted to the unit — (Q1, median, Q3) × the unit's size in kg or l
    (:func:`~ovop_course.steps.market.unit_price_corridor`).

    >>> card = lesson_concept_card()
    >>> card.segments, card.unit_name, round(card.price_median, 2)
    (('Туристы на Иссык-Куле', 'Каракол'), 'бутылка 0,5 л', 102.5)
    """
    concepts = check_concepts(concepts)
    row = _product_rows(concepts, product_id, t("product.table.concepts")).iloc[0]
    segments = market.check_segments(segments)
    own = segments[segments["product_id"] == product_id].set_index("segment_id")
    chosen = _split(row["segment_ids"])
    unknown = [s for s in chosen if s not in own.index]
    if not chosen or unknown:
        raise OvopError(t("product.unknown_segments", product=product_id,
                          segments=", ".join(unknown) or "—",
                          known=", ".join(own.index) or "—"))
    if len(set(chosen)) != len(chosen):
        raise OvopError(t("product.segments_twice", product=product_id))
    reasons = _split(row["hard_to_copy"])
    if not reasons:
        raise OvopError(t("product.no_reasons", product=product_id))
    units = market.check_products(products)
    if product_id not in units.index:
        raise OvopError(t("product.unknown_product", product=product_id,
                          table=t("market.table.products"), known=", ".join(units.index)))
    unit = units.loc[product_id]
    prices = market.competitor_table(competitors, product_id)
    price_unit = str(prices["price_unit"].iloc[0])
    summary = market.price_summary(prices["price_per_unit"].tolist())
    low, median, high = market.unit_price_corridor(summary, price_unit, unit["unit_size"],
                                                   unit["unit_size_unit"])
    return ConceptCard(
        product_id=product_id, name=row["name"], customer=row["customer"],
        segment_ids=chosen, segments=tuple(str(own.loc[s, "segment"]) for s in chosen),
        use_occasion=row["use_occasion"], pack=row["pack"], unit_name=str(unit["unit_name"]),
        unit_size=float(unit["unit_size"]), unit_size_unit=str(unit["unit_size_unit"]),
        price_unit=price_unit, price_low=low, price_median=median, price_high=high,
        competitors=summary.count, story=row["story"], hard_to_copy=reasons,
        source=row["source"])


# --- the recipe: losses and yield -----------------------------------------------------------
def yield_after(quantity: float, loss_shares: Iterable[float]) -> float:
    """Y = q × Π_s (1 − l_s): what is left of ``quantity`` q (kg or l) after stages losing the
    shares l_s (``loss_shares``, each 0…1, in order; an empty list loses nothing).

    >>> round(yield_after(36, [0.15]), 6)
    30.6
    >>> round(yield_after(100, [0.1, 0.1]), 6)
    81.0
    """
    quantity = checks.number(quantity, t("product.field.quantity"), low=0)
    field = t("product.field.loss_share")
    if isinstance(loss_shares, (list, tuple)) and not loss_shares:
        return quantity
    shares = checks.numbers(loss_shares, field, low=0, high=1)
    left = quantity
    for share in shares:
        left *= 1 - float(share)
    return checks.bounded(left, t("product.field.yield"))


def _kg(quantity: float, unit: str, ingredient: str) -> float:
    """A raw ingredient's quantity in kg or l (1 kg = 1 l: :data:`KG_PER_LITRE`)."""
    if unit not in QUANTITY_UNITS:
        raise OvopError(t("product.raw_in_pieces", ingredient=ingredient, unit=unit))
    base, factor = QUANTITY_UNITS[unit]
    return quantity * factor * (KG_PER_LITRE if base == "л" else 1.0)


def _raw_masses(recipe_rows: pd.DataFrame, product_id: str) -> dict[str, float]:
    """Ingredient → q_i (kg or l) of the raw ingredients of one product's recipe."""
    raw = recipe_rows[recipe_rows["kind"] == RAW]
    if raw.empty:
        raise OvopError(t("product.no_raw", product=product_id))
    return {r.ingredient: _kg(float(r.quantity), r.unit, r.ingredient) for r in raw.itertuples()}


def _flow(recipe: pd.DataFrame, losses: pd.DataFrame, product_id: object
          ) -> tuple[dict[str, float], list[dict], dict[str, float]]:
    """(q_i, the stages with their masses, what is left of each ingredient) for checked tables."""
    rows = _product_rows(recipe, product_id, t("product.table.recipe"))
    start = _raw_masses(rows, product_id)
    stages = losses[losses["product_id"] == product_id].sort_values("stage_no")
    if stages.empty:
        raise OvopError(t("product.no_stages", product=product_id))
    left = dict(start)
    table = []
    for stage in stages.itertuples():
        target = stage.applies_to if isinstance(stage.applies_to, str) else None
        if target is not None and target not in left:
            raise OvopError(t("product.unknown_ingredient", stage=stage.stage_no,
                              ingredient=target, product=product_id,
                              known=", ".join(f"«{i}»" for i in left)))
        names = list(left) if target is None else [target]
        mass_in = sum(left[i] for i in names)
        for i in names:
            left[i] *= 1 - stage.loss_share
        mass_out = sum(left[i] for i in names)
        table.append({"stage_no": int(stage.stage_no), "stage": stage.stage,
                      "applies_to": target, "loss_share": float(stage.loss_share),
                      "mass_in": mass_in, "lost": mass_in - mass_out, "mass_out": mass_out,
                      "batch_mass": sum(left.values())})
    if not sum(left.values()) > 0:
        raise OvopError(t("product.nothing_left", product=product_id))
    return start, table, left


def loss_stages(recipe: pd.DataFrame, losses: pd.DataFrame, product_id: str) -> pd.DataFrame:
    """Stage by stage, the mass of one batch of ``product_id`` through its process.

    Each stage s (in ``stage_no`` order) loses the share l_s of the mass it works on: its
    ingredient (``applies_to``, an ``ingredient`` of the product's raw recipe lines) or, when
    ``applies_to`` is empty, every raw ingredient (write such stages after all is mixed).
    Quantities in kg or l (1 kg = 1 l). Columns: ``stage_no``, ``stage``, ``applies_to`` (empty:
    the whole mass), ``loss_share`` l_s, ``mass_in`` (the mass the stage works on), ``lost``
    = mass_in × l_s, ``mass_out`` = mass_in − lost, ``batch_mass`` (all raw ingredients after
    the stage; after the last stage it is the yield Y).

    >>> recipe, losses, batches = lesson_recipe()
    >>> stages = loss_stages(recipe, losses, "sb_juice")
    >>> stages[["stage_no", "mass_out"]].round(2).values.tolist()[2]
    [3.0, 19.5]
    """
    recipe, losses = check_recipe(recipe), check_losses(losses)
    _, table, _ = _flow(recipe, losses, product_id)
    frame = pd.DataFrame(table, columns=["stage_no", "stage", "applies_to", "loss_share",
                                         "mass_in", "lost", "mass_out", "batch_mass"])
    return checks.bounded(frame, t("product.table.losses"))


def batch_yield(recipe: pd.DataFrame, losses: pd.DataFrame, product_id: str) -> float:
    """Y = Σ_i q_i × Π_{s acting on i} (1 − l_s): the yield of one batch, kg or l (1 kg = 1 l),
    after every stage of :func:`loss_stages`.

    >>> recipe, losses, batches = lesson_recipe()
    >>> round(batch_yield(recipe, losses, "sb_juice"), 3)
    50.152
    """
    recipe, losses = check_recipe(recipe), check_losses(losses)
    _, _, left = _flow(recipe, losses, product_id)
    return checks.bounded(float(sum(left.values())), t("product.field.yield"))


@dataclass(frozen=True)
class YieldCheck:
    """The yield of a batch against the batch table.

    ``input_amount`` Q = Σ q_i and ``yield_amount`` Y in ``unit`` (kg for a product sold by
    mass, l by volume; 1 kg = 1 l), ``yield_share`` Y / Q; ``unit_size`` v, the selling unit in
    kg or l; ``units_possible`` N_max = ⌊Y / v⌋; ``units_per_batch`` N of the batch table;
    ``reserve`` = Y − N·v (negative: the table promises more than the recipe gives);
    ``consistent``: N ≤ N_max.
    """

    product_id: str
    input_amount: float
    yield_amount: float
    yield_share: float
    unit: str
    unit_size: float
    units_possible: int
    units_per_batch: int
    reserve: float
    consistent: bool


def yield_check(recipe: pd.DataFrame, losses: pd.DataFrame, batches: pd.DataFrame,
                product_id: str) -> YieldCheck:
    """How the yield Y relates to the batch table's units per batch N.

    A batch gives at most N_max = ⌊Y / v⌋ whole units of size v (``unit_size`` in kg or l, from
    ``batches``: the columns of ``product_batches.csv``); its ``units_per_batch`` N should not
    exceed N_max, and the reserve Y − N·v (≥ 0) is what covers overfill and spills. When N >
    N_max, either the losses are larger than the recipe assumes or the recipe must grow by the
    factor N·v / Y. In the lesson data every product has N = N_max.

    >>> recipe, losses, batches = lesson_recipe()
    >>> check = yield_check(recipe, losses, batches, "sb_juice")
    >>> check.units_possible, check.units_per_batch, round(check.reserve, 2), check.consistent
    (100, 100, 0.15, True)
    """
    recipe, losses = check_recipe(recipe), check_losses(losses)
    batch = _batch(batches, product_id)
    start, _, left = _flow(recipe, losses, product_id)
    total = checks.bounded(float(sum(start.values())), t("product.field.quantity"))
    amount = float(sum(left.values()))
    unit, factor = QUANTITY_UNITS[batch["unit_size_unit"]]
    size = checks.number(float(batch["unit_size"]) * factor, t("product.field.unit_size"),
                         low=0, low_open=True)
    possible = checks.bounded(amount / size, t("product.field.units"))
    units = int(batch["units_per_batch"])
    return YieldCheck(product_id=product_id, input_amount=total, yield_amount=amount,
                      yield_share=amount / total, unit=unit, unit_size=size,
                      units_possible=math.floor(possible + _TOLERANCE), units_per_batch=units,
                      reserve=amount - units * size,
                      consistent=units <= math.floor(possible + _TOLERANCE))


# --- the recipe: scaling --------------------------------------------------------------------
@dataclass(frozen=True)
class ScaledRecipe:
    """A recipe scaled by ``factor`` f to ``units`` whole units (⌊N·f⌋).

    ``table``: one row per recipe line — ``ingredient``, ``kind``, ``unit``, ``quantity`` (one
    batch of the recipe), ``per_unit`` (quantity / N) and ``scaled``: raw ingredients
    quantity × f; packaging ⌈per_unit × units⌉ whole pieces (a part-filled bottle is not a
    unit, so it needs no cap).
    """

    product_id: str
    factor: float
    units: int
    table: pd.DataFrame


def scale_recipe(recipe: pd.DataFrame, batches: pd.DataFrame, product_id: str,
                 units: int | None = None, factor: float | None = None) -> ScaledRecipe:
    """The recipe of ``product_id`` for a batch ``factor`` times the recipe's (f > 0: 1.5 is
    one and a half batches; for the material you have, f = what you have / what a batch
    takes), or for a target of ``units`` whole units (f = units / N, N the batch table's units
    per batch). Give one of the two. Raw ingredients × f; packaging by the units made.

    >>> recipe, losses, batches = lesson_recipe()
    >>> scaled = scale_recipe(recipe, batches, "sb_juice", units=250)
    >>> scaled.factor, scaled.units, scaled.table["scaled"].tolist()
    (2.5, 250, [75.0, 7.5, 70.0, 250.0, 250.0, 250.0])
    >>> scale_recipe(recipe, batches, "sb_juice", factor=1.234).units
    123
    """
    recipe = check_recipe(recipe)
    batch = _batch(batches, product_id)
    rows = _product_rows(recipe, product_id, t("product.table.recipe"))
    per_batch = int(batch["units_per_batch"])
    if (units is None) == (factor is None):
        raise OvopError(t("product.scale_how"))
    if units is not None:
        units = int(checks.number(units, t("product.field.target_units"), low=1, whole=True))
        factor = units / per_batch
    else:
        factor = checks.number(factor, t("product.field.factor"), low=0, low_open=True)
    made = checks.bounded(per_batch * factor, t("product.field.units"))
    made = math.floor(made + _TOLERANCE * max(1.0, made))
    if made < 1:
        raise OvopError(t("product.scale_too_small", factor=fmt_number(factor, 3),
                          units=per_batch))
    table = rows[["ingredient", "kind", "unit", "quantity"]].copy()
    table["per_unit"] = table["quantity"] / per_batch
    raw = table["kind"] == RAW
    pieces = [math.ceil(p * made - _TOLERANCE * max(1.0, p * made)) for p in table["per_unit"]]
    table["scaled"] = np.where(raw, table["quantity"] * factor, pieces).astype(float)
    table = checks.bounded(table, t("product.table.recipe"))
    return ScaledRecipe(product_id=product_id, factor=float(factor), units=int(made),
                        table=table.reset_index(drop=True))


# --- the recipe: cost per unit and batches a month ----------------------------------------------
def _price_map(prices: object) -> dict[str, float]:
    """Material id → price (som per kg or l) from step 2: a dict (None, NaN or 0 = no price) or
    a table with ``material_id`` and ``mean_price_som`` (:func:`raw_material_supply`)."""
    field = t("product.field.step2_price")
    if prices is None:
        return {}
    if isinstance(prices, pd.Series):
        prices = prices.to_dict()
    if isinstance(prices, pd.DataFrame):
        missing = [c for c in ("material_id", "mean_price_som") if c not in prices.columns]
        if missing:
            raise OvopError(t("checks.missing_columns", table=t("product.table.prices"),
                              columns=", ".join(missing)))
        checks.unique(prices, ("material_id",), t("product.table.prices"))
        prices = dict(zip(prices["material_id"], prices["mean_price_som"]))
    if not isinstance(prices, Mapping):
        raise OvopError(t("product.prices_not_dict"))
    found = {}
    for material_id, price in prices.items():
        if not isinstance(material_id, str) or not material_id.strip():
            raise OvopError(t("product.prices_not_dict"))
        price = price.item() if isinstance(price, np.generic) else price
        if price is None or (isinstance(price, float) and math.isnan(price)):
            continue
        price = checks.number(price, f"{field}: {material_id}", low=0)
        if price > 0:  # 0 is no price, as in step 2
            found[material_id] = price
    return found


@dataclass(frozen=True)
class UnitCost:
    """Material cost per unit of a product, som.

    ``table``: one row per recipe line — ``ingredient``, ``kind``, ``material_id``,
    ``quantity``, ``unit``, ``price_som`` (per ``price_unit``), ``price_source`` («step2»: step
    2's average price of the material, per kg or l; «recipe»: the recipe's ``unit_price_som``),
    ``batch_cost_som`` and ``unit_cost_som`` (÷ N). ``raw_som``, ``packaging_som`` and
    ``total_som`` are the per-unit sums; ``step2_lines`` how many lines took step 2's price.
    """

    product_id: str
    units_per_batch: int
    raw_som: float
    packaging_som: float
    total_som: float
    step2_lines: int
    table: pd.DataFrame


def unit_cost(recipe: pd.DataFrame, batches: pd.DataFrame, product_id: str,
              prices: Mapping[str, float] | pd.DataFrame | None = None) -> UnitCost:
    """c = Σ_i q_i × p_i / N: raw-material and packaging cost per unit, som.

    q_i and p_i are each recipe line's quantity per batch and price, N the batch table's units
    per batch. p_i is step 2's average price of the line's local material (``prices``:
    material id → som per kg or l, e.g. :func:`raw_material_supply`'s ``mean_price_som``; the
    quantity is then counted in kg or l) when step 2 has one, else the recipe's
    ``unit_price_som`` (per the recipe's unit). A price of 0 or none is no price (as in step
    2). Packaging always costs the recipe's price.

    >>> recipe, losses, batches = lesson_recipe()
    >>> cost = unit_cost(recipe, batches, "sb_juice", {"sea_buckthorn_garden": 177.48})
    >>> round(cost.raw_som, 2), cost.packaging_som, cost.step2_lines
    (63.74, 31.0, 1)
    >>> round(unit_cost(recipe, batches, "sb_juice").raw_som, 2)  # recipe prices only
    55.5
    """
    recipe = check_recipe(recipe)
    batch = _batch(batches, product_id)
    found = _price_map(prices)
    rows = _product_rows(recipe, product_id, t("product.table.recipe"))
    per_batch = int(batch["units_per_batch"])
    lines = []
    for r in rows.itertuples():
        step2 = (r.kind == RAW and isinstance(r.material_id, str) and r.material_id in found
                 and r.unit in QUANTITY_UNITS)
        if step2:
            base, factor = QUANTITY_UNITS[r.unit]
            price, price_unit, amount = found[r.material_id], base, r.quantity * factor
        else:
            price, price_unit, amount = float(r.unit_price_som), r.unit, r.quantity
        cost = amount * price
        lines.append({"ingredient": r.ingredient, "kind": r.kind, "material_id": r.material_id,
                      "quantity": float(r.quantity), "unit": r.unit, "price_som": float(price),
                      "price_unit": price_unit, "price_source": "step2" if step2 else "recipe",
                      "batch_cost_som": cost, "unit_cost_som": cost / per_batch})
    table = checks.bounded(pd.DataFrame(lines), t("product.table.recipe"))
    raw = float(table.loc[table["kind"] == RAW, "unit_cost_som"].sum())
    packaging = float(table.loc[table["kind"] == PACKAGING, "unit_cost_som"].sum())
    return UnitCost(product_id=product_id, units_per_batch=per_batch, raw_som=raw,
                    packaging_som=packaging,
                    total_som=checks.bounded(raw + packaging, t("product.field.cost")),
                    step2_lines=int((table["price_source"] == "step2").sum()), table=table)


def raw_material_supply(materials: pd.DataFrame, months: pd.DataFrame,
                 production_months: Iterable[int] = raw_materials.MONTHS,
                 storage: bool = True) -> pd.DataFrame:
    """Step 2's results for every material of an inventory (``materials`` and ``months``, the
    tables of :func:`~ovop_course.steps.raw_materials.check_inventory`), computed by step 2's
    own function (:func:`~ovop_course.steps.raw_materials.supply_table`) for the
    ``production_months`` (default: the whole year) with or without ``storage``.

    Columns: ``material_id``, ``material``, ``unit``, ``stable_supply`` (units a month: with
    storage if ``storage``, else without) and ``mean_price_som`` (the supply-weighted average
    price, som per unit; NaN when no month has a price).

    >>> supply = lesson_supply().set_index("material_id")
    >>> round(float(supply.loc["sea_buckthorn_garden", "stable_supply"]), 1)
    793.3
    """
    return raw_materials.supply_table(materials, months, production_months, storage)


def batches_per_month(stable_supply: float, material_per_batch: float) -> int:
    """B = ⌊x / q⌋: whole batches a month that the stable monthly supply x of a material
    (``stable_supply``, step 2) allows when a batch takes q of it (``material_per_batch`` > 0,
    the same unit). Step 2's :func:`~ovop_course.steps.raw_materials.max_output` with a batch
    in place of a unit.

    >>> batches_per_month(326.7, 3), batches_per_month(0, 30)
    (108, 0)
    """
    per_batch = checks.number(material_per_batch, t("product.field.per_batch"), low=0,
                              low_open=True)
    supply = checks.number(stable_supply, t("raw_materials.stable_field"), low=0)
    batches = checks.bounded(supply / per_batch, t("product.field.batches"))
    return math.floor(batches + _TOLERANCE)


def _supply_table(supply: object) -> pd.DataFrame:
    """Step 2's stable supply: a table (``material_id``, ``stable_supply``, optionally
    ``unit``: :func:`raw_material_supply`) or a dict material id → stable supply."""
    name = t("product.table.supply")
    if isinstance(supply, Mapping):
        if not supply:
            raise OvopError(t("checks.empty_table", table=name))
        values = [checks.number(v.item() if isinstance(v, np.generic) else v,
                                f"{t('raw_materials.stable_field')}: {k}", low=0)
                  for k, v in supply.items()]
        supply = pd.DataFrame({"material_id": list(supply), "stable_supply": values})
    return checks.columns(supply, SupplyRow, [c for c in ("material_id", "stable_supply", "unit")
                                              if c != "unit" or (isinstance(supply, pd.DataFrame)
                                                                 and c in supply.columns)],
                          name, key=("material_id",))


@dataclass(frozen=True)
class BatchLimit:
    """Batches a month step 2's stable supply allows.

    ``table``: one row per local raw ingredient of the recipe — ``material_id``,
    ``ingredient``, ``per_batch`` q (kg or l), ``stable_supply`` x (a month), ``batches``
    ⌊x / q⌋. ``batches`` is the smallest of them, set by the material ``binding``.
    """

    product_id: str
    batches: int
    binding: str
    table: pd.DataFrame


def batch_limits(recipe: pd.DataFrame, product_id: str,
                 supply: pd.DataFrame | Mapping[str, float]) -> BatchLimit:
    """For each local material of the recipe (lines with a ``material_id``), the batches a
    month its stable supply allows, B = ⌊x / q⌋ (:func:`batches_per_month`), and the smallest
    B over them: the material that limits production. ``supply`` is
    :func:`raw_material_supply` (or a dict material id → stable supply a month); with its
    ``unit`` column, the recipe's unit must be that unit (г counts as 0.001 кг, мл as 0.001 л).

    >>> recipe, _, _ = lesson_recipe()
    >>> limit = batch_limits(recipe, "sb_juice", lesson_supply())
    >>> limit.batches, limit.binding, limit.table["batches"].tolist()
    (26, 'sea_buckthorn_garden', [26, 108])
    """
    recipe = check_recipe(recipe)
    supply = _supply_table(supply).set_index("material_id")
    rows = _product_rows(recipe, product_id, t("product.table.recipe"))
    local = rows[(rows["kind"] == RAW) & rows["material_id"].notna()]
    if local.empty:
        raise OvopError(t("product.no_local_material", product=product_id))
    lines = []
    for r in local.itertuples():
        if r.material_id not in supply.index:
            raise OvopError(t("product.no_supply", material=r.material_id,
                              known=", ".join(supply.index)))
        if r.unit not in QUANTITY_UNITS:
            raise OvopError(t("product.raw_in_pieces", ingredient=r.ingredient, unit=r.unit))
        base, factor = QUANTITY_UNITS[r.unit]
        unit = supply.loc[r.material_id].get("unit")
        if isinstance(unit, str) and unit != base:
            raise OvopError(t("product.unit_mismatch", ingredient=r.ingredient, unit=r.unit,
                              material_unit=unit))
        per_batch = float(r.quantity) * factor
        stable = float(supply.loc[r.material_id, "stable_supply"])
        lines.append({"material_id": r.material_id, "ingredient": r.ingredient,
                      "per_batch": per_batch, "stable_supply": stable,
                      "batches": batches_per_month(stable, per_batch)})
    table = pd.DataFrame(lines)
    first = int(table["batches"].idxmin())
    return BatchLimit(product_id=product_id, batches=int(table.loc[first, "batches"]),
                      binding=str(table.loc[first, "material_id"]), table=table)


# --- the prototype panel --------------------------------------------------------------------
def _summary(clean: pd.DataFrame) -> pd.DataFrame:
    rows = []
    names = dict(zip(clean["variant"], clean["variant_name"]))
    for variant in dict.fromkeys(clean["variant"]):
        for attribute in PANEL_ATTRIBUTES:
            scores = clean.loc[(clean["variant"] == variant) & (clean["attribute"] == attribute),
                               "score"].astype(int).tolist()
            if not scores:
                continue
            rows.append({"variant": variant, "variant_name": names[variant],
                         "attribute": attribute, "n": len(scores),
                         "mean": statistics.fmean(scores),
                         "sd": statistics.stdev(scores) if len(scores) > 1 else float("nan"),
                         "liked_share": sum(s >= LIKED_SCORE for s in scores) / len(scores)})
    return pd.DataFrame(rows, columns=["variant", "variant_name", "attribute", "n", "mean", "sd",
                                       "liked_share"])


def panel_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Per variant and attribute: ``n`` scores, their ``mean``, ``sd`` (sample standard
    deviation, ÷ (n − 1); NaN for a single score) and ``liked_share`` — the share of scores ≥ 6
    («нравится немного» and above). Also ``variant_name``. Variants in the order they first
    appear, attributes in the order общее, внешний вид, запах, вкус, консистенция. Every score
    counts here, also those of panellists who did not taste every variant.

    >>> summary = lesson_panel_summary()
    >>> overall = summary[summary["attribute"] == "общее"]
    >>> overall[["variant", "n"]].values.tolist(), round(float(overall["mean"].iloc[1]), 2)
    ([['A', 15], ['B', 15], ['C', 14]], 7.2)
    """
    return _summary(check_panel(scores))


@dataclass(frozen=True)
class PanelTest:
    """Whether the panel's liking of the variants differs, on one attribute.

    ``variants`` (codes) and ``variant_names``, with ``means`` and ``liked_shares`` over every
    score of the attribute (as :func:`panel_summary`); ``preferred``: the variants of the
    highest mean (several when equal to 9 significant digits). The test — ``test``
    «friedman» (3 or more variants) or «wilcoxon» (2), ``method`` «asymptotic» (χ² or normal
    approximation) or «exact» — is on the ``panellists`` who scored every variant; ``dropped``
    those who did not. ``statistic`` (Friedman's χ²; Wilcoxon's smaller rank sum) and
    ``p_value``; ``significant``: p < ``alpha``; ``no_variation``: every panellist gave every
    variant the same score (then p = 1 and the statistic 0).
    """

    attribute: str
    test: str
    method: str
    variants: tuple[str, ...]
    variant_names: tuple[str, ...]
    means: tuple[float, ...]
    liked_shares: tuple[float, ...]
    preferred: tuple[str, ...]
    panellists: int
    dropped: tuple[str, ...]
    statistic: float
    p_value: float
    significant: bool
    no_variation: bool
    alpha: float = ALPHA


def _asymptotic() -> str:
    """scipy's name of the normal approximation of wilcoxon: «asymptotic» since scipy 1.15
    (gh-21567), «approx» before (the same calculation)."""
    import scipy

    major, minor = (int(part) for part in scipy.__version__.split(".")[:2])
    return "asymptotic" if (major, minor) >= (1, 15) else "approx"


def _friedman(matrix: np.ndarray) -> tuple[float, float, bool]:
    """(χ², p, no variation) of Friedman's test: panellists in rows, variants in columns."""
    if (matrix == matrix[:, :1]).all():
        return 0.0, 1.0, True
    from scipy import stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.friedmanchisquare(*matrix.T)
    return float(result.statistic), float(result.pvalue), False


def _wilcoxon(differences: np.ndarray) -> tuple[float, float, str, bool]:
    """(statistic, p, method, no variation) of Wilcoxon's signed-rank test on paired
    differences (zeros dropped: Wilcoxon's own rule, zero_method="wilcox")."""
    nonzero = differences[differences != 0]
    if nonzero.size == 0:
        return 0.0, 1.0, "exact", True
    from scipy import stats

    ties = np.unique(np.abs(nonzero)).size < nonzero.size
    method = "asymptotic" if ties else "exact"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.wilcoxon(nonzero, zero_method="wilcox", correction=False,
                                alternative="two-sided",
                                method=_asymptotic() if ties else "exact")
    return float(result.statistic), float(result.pvalue), method, False


def panel_test(scores: pd.DataFrame, attribute: str = OVERALL,
               variants: Iterable[str] | None = None) -> PanelTest:
    """Is the difference in liking real? Friedman's test for three or more variants, Wilcoxon's
    signed-rank test for two, on the ``attribute`` scores (default «общее», overall liking) of
    the panellists who scored every variant compared (``variants``: codes, default all).

    Panellists who missed a variant are dropped from the test (``dropped``), not guessed.
    Friedman (``scipy.stats.friedmanchisquare``): ranks within each panellist, ties averaged,
    χ² approximation with the tie correction. Wilcoxon (``scipy.stats.wilcoxon``): on the
    differences, zero differences dropped (Wilcoxon's rule) before scipy sees them; then
    ``method="exact"`` when the remaining |differences| have no ties (the exact null
    distribution holds), else ``method="asymptotic"`` — the normal approximation with the
    tie-corrected variance, no continuity correction. Scores on a 9-point scale almost always
    tie, and the exact distribution assumes they do not; scipy ≥ 1.15 would otherwise choose a
    permutation test or run the exact one regardless of ties (gh-21567), while older versions
    switched silently: passing the method, with zeros already removed, gives every scipy
    version the same answer. When every panellist scores every variant alike the answer is
    «no difference» (statistic 0, p = 1) without calling scipy.

    >>> test = lesson_panel()
    >>> round(test.statistic, 2), round(test.p_value, 4)
    (17.04, 0.0002)
    >>> pair = panel_test(load_table("lesson/panel_scores"), variants=["B", "C"])
    >>> pair.test, pair.method, round(pair.p_value, 3), pair.significant
    ('wilcoxon', 'asymptotic', 0.285, False)
    """
    clean = check_panel(scores)
    attribute = checks.category(attribute, PANEL_ATTRIBUTES, t("product.field.attribute"))
    rows = clean[clean["attribute"] == attribute]
    if rows.empty:
        raise OvopError(t("product.no_attribute", attribute=attribute))
    known = list(dict.fromkeys(rows["variant"]))
    chosen = known if variants is None else _variants(variants, known)
    if len(chosen) < 2:
        raise OvopError(t("product.one_variant", known=", ".join(known)))
    rows = rows[rows["variant"].isin(chosen)]
    panellists = list(dict.fromkeys(rows["panellist"]))
    wide = rows.pivot(index="panellist", columns="variant", values="score").reindex(
        index=panellists, columns=chosen)
    complete = wide.dropna()
    dropped = tuple(p for p in panellists if p not in complete.index)
    if len(complete) < 2:
        raise OvopError(t("product.too_few_panellists", count=len(complete),
                          dropped=", ".join(dropped) or "—"))
    matrix = complete.to_numpy(dtype=float)
    if len(chosen) >= 3:
        statistic, p_value, no_variation = _friedman(matrix)
        test, method = "friedman", "asymptotic"
    else:
        statistic, p_value, method, no_variation = _wilcoxon(matrix[:, 0] - matrix[:, 1])
        test = "wilcoxon"
    summary = _summary(rows)
    summary = summary[summary["attribute"] == attribute].set_index("variant").loc[chosen]
    means = [float(m) for m in summary["mean"]]
    top = max(checks.round_significant(m) for m in means)
    return PanelTest(
        attribute=attribute, test=test, method=method, variants=tuple(chosen),
        variant_names=tuple(str(n) for n in summary["variant_name"]), means=tuple(means),
        liked_shares=tuple(float(s) for s in summary["liked_share"]),
        preferred=tuple(v for v, m in zip(chosen, means) if checks.round_significant(m) == top),
        panellists=len(complete), dropped=dropped, statistic=statistic, p_value=p_value,
        significant=(not no_variation) and p_value < ALPHA, no_variation=no_variation)


def _variants(variants: object, known: list[str]) -> list[str]:
    """The variant codes to compare: a list, tuple or set of known codes, each once."""
    if isinstance(variants, (str, bytes, Mapping)) or not isinstance(variants, Iterable):
        raise OvopError(t("product.variants_not_list", known=", ".join(known)))
    if isinstance(variants, Set):  # no order of its own: the table's order
        variants = [v for v in known if v in variants] + [v for v in variants if v not in known]
    variants = [v.item() if isinstance(v, np.generic) else v for v in variants]  # np.str_
    unknown = [str(v) for v in variants if not isinstance(v, str) or v not in known]
    if unknown:
        raise OvopError(t("product.unknown_variant", variants=", ".join(unknown),
                          known=", ".join(known)))
    if len(set(variants)) != len(variants):
        raise OvopError(t("product.variant_twice"))
    return variants


def _texts(values: object, low: int = 0) -> bool:
    """A tuple of at least ``low`` texts."""
    return isinstance(values, tuple) and len(values) >= low and all(
        isinstance(v, str) for v in values)


def _numbers(values: object, length: int, low: float, high: float) -> bool:
    """A tuple of ``length`` finite numbers within [low, high] (no bools)."""
    return isinstance(values, tuple) and len(values) == length and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        and low <= v <= high for v in values)


def _check_panel_test(result: object) -> PanelTest:
    """A :class:`PanelTest` whose parts fit together (as :func:`panel_test` makes it)."""
    fits = isinstance(result, PanelTest) and (
        _texts(result.variants, 2) and len(set(result.variants)) == len(result.variants)
        and _texts(result.variant_names) and len(result.variant_names) == len(result.variants)
        and _numbers(result.means, len(result.variants), 1, 9)
        and _numbers(result.liked_shares, len(result.variants), 0, 1)
        and _texts(result.preferred, 1) and set(result.preferred) <= set(result.variants)
        and _texts(result.dropped) and result.test in ("friedman", "wilcoxon")
        and result.attribute in PANEL_ATTRIBUTES
        and isinstance(result.panellists, int) and not isinstance(result.panellists, bool)
        and result.panellists >= 2
        and _numbers((result.p_value,), 1, 0, 1) and _numbers((result.statistic,), 1, 0, 1e15)
        and _numbers((result.alpha,), 1, 0, 1)
        and all(isinstance(b, bool) for b in (result.significant, result.no_variation)))
    if not fits:
        raise OvopError(t("product.not_panel_test"))
    return result


def _p(p_value: float) -> str:
    return "< " + fmt_number(0.001, 3) if p_value < 0.001 else "= " + fmt_number(p_value, 3)


def explain_panel(result: PanelTest) -> str:
    """The panel's result in plain Russian: which variant people liked most (mean out of 9 and
    the share of scores ≥ 6), the test and its p-value, «разница есть» (p < 5 %) or «разница не
    доказана», who was dropped, and the caution that a village panel is a screening.

    >>> print(explain_panel(lesson_panel()).splitlines()[1])  # doctest: +ELLIPSIS
    Критерий Фридмана по оценкам 14 дегустаторов, попробовавших все варианты (3): p < 0,001. ...
    """
    result = _check_panel_test(result)
    names = dict(zip(result.variants, result.variant_names))
    index = {v: i for i, v in enumerate(result.variants)}
    best = result.preferred
    first = index[best[0]]
    mean, liked = fmt_number(result.means[first], 1), fmt_percent(result.liked_shares[first], 0)
    lines = [t("product.panel.best", variant=names[best[0]], mean=mean, liked=liked,
               attribute=result.attribute) if len(best) == 1 else
             t("product.panel.best_tie", variants=", ".join(f"«{names[v]}»" for v in best),
               mean=mean, attribute=result.attribute)]
    alpha = fmt_percent(result.alpha, 0)
    if result.test == "friedman":
        how = t("product.panel.friedman", n=result.panellists, k=len(result.variants))
    else:
        how = t("product.panel.wilcoxon", n=result.panellists, a=names[result.variants[0]],
                b=names[result.variants[1]])
    if result.no_variation:
        verdict = t("product.panel.no_variation")
    elif result.significant:
        verdict = t("product.panel.real", p=_p(result.p_value), alpha=alpha)
        if result.test == "friedman":
            order = sorted(result.variants, key=lambda v: -result.means[index[v]])
            verdict += " " + t("product.panel.which_pair", a=names[order[0]], b=names[order[1]])
    else:
        verdict = t("product.panel.not_proven", p=_p(result.p_value), alpha=alpha)
    lines.append(f"{how}: {verdict}")
    if result.dropped:
        lines.append(t("product.panel.dropped", panellists=", ".join(result.dropped),
                       count=len(result.dropped)))
    lines.append(t("product.panel.screening", low=SCREENING_PANEL[0], high=SCREENING_PANEL[1],
                   settled_low=SETTLED_PANEL[0], settled_high=SETTLED_PANEL[1]))
    return "\n".join(lines)


# --- the design review ----------------------------------------------------------------------
DESIGN_CRITERIA = ("simple", "local", "market", "same")
"""The four questions of the design review: simple; local material (and hard to copy); fits
the market; every group can make it the same way."""

DESIGN_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("few_ingredients", "simple"),
    ("simple_technology", "simple"),
    ("standard_pack", "simple"),
    ("main_material_local", "local"),
    ("local_share", "local"),
    ("place_story", "local"),
    ("hard_to_copy", "local"),
    ("customer_named", "market"),
    ("price_known", "market"),
    ("panel_liked", "market"),
    ("yield_checked", "same"),
    ("tolerances", "same"),
    ("instruction", "same"),
)
"""(question key, criterion) of the design review. The texts are in the catalogue:
``product.design.q.<key>`` (the question) and ``product.design.fix.<key>`` (what to do)."""

LESSON_DESIGN_ANSWERS: dict[str, bool] = {"tolerances": True, "instruction": False}
"""The lesson group's own answers to the questions the data cannot answer (учебный случай,
условно): the technological card has tolerances (12 ± 1 °Brix, fill to the shoulder), but
nobody has yet written down how the most careful group works."""


def design_answers(card: ConceptCard, recipe: pd.DataFrame, check: YieldCheck,
                   panel: PanelTest, ideas: pd.DataFrame | None = None) -> dict[str, bool]:
    """The answers of the design review that the step's results give (question key → yes/no):

    - ``few_ingredients``: at most :data:`MAX_RAW_INGREDIENTS` raw ingredients;
    - ``standard_pack``: no packaging line is imported (origin «импорт»);
    - ``main_material_local``: the largest raw ingredient (kg or l) is local («местное»);
    - ``local_share``: local raw ingredients ≥ :data:`LOCAL_SHARE` of the raw mass;
    - ``place_story``, ``hard_to_copy``, ``customer_named``, ``price_known``: the concept card
      (:func:`concept_card`) has a story, reasons, step 4's segments and a price corridor;
    - ``panel_liked``: at least :data:`LIKED_SHARE` of the preferred variant's scores are ≥ 6;
    - ``yield_checked``: the yield gives the batch table's units (:func:`yield_check`);
    - ``simple_technology`` (only with step 3's ``ideas`` table): the idea's technology is not
      «сложная».

    The others (``tolerances``, ``instruction``) are the trainee's to answer.
    """
    if not (isinstance(card, ConceptCard) and isinstance(card.product_id, str)
            and isinstance(card.story, str) and _texts(card.hard_to_copy)
            and _texts(card.segment_ids) and _numbers((card.price_high,), 1, 0, 1e15)):
        raise OvopError(t("product.not_result", what="concept_card"))
    if not (isinstance(check, YieldCheck) and isinstance(check.consistent, bool)):
        raise OvopError(t("product.not_result", what="yield_check"))
    panel = _check_panel_test(panel)
    if check.product_id != card.product_id:
        raise OvopError(t("product.other_product", card=card.product_id,
                          other=check.product_id))
    recipe = check_recipe(recipe)
    rows = _product_rows(recipe, card.product_id, t("product.table.recipe"))
    raw = rows[rows["kind"] == RAW]
    masses = _raw_masses(rows, card.product_id)
    local = sum(masses[r.ingredient] for r in raw.itertuples() if r.origin == LOCAL)
    largest = max(raw.itertuples(), key=lambda r: masses[r.ingredient])
    best = panel.variants.index(panel.preferred[0])
    answers = {
        "few_ingredients": len(raw) <= MAX_RAW_INGREDIENTS,
        "standard_pack": not (rows.loc[rows["kind"] == PACKAGING, "origin"] == IMPORTED).any(),
        "main_material_local": largest.origin == LOCAL,
        "local_share": local >= LOCAL_SHARE * sum(masses.values()) - _TOLERANCE,
        "place_story": bool(card.story), "hard_to_copy": bool(card.hard_to_copy),
        "customer_named": bool(card.segment_ids), "price_known": card.price_high > 0,
        "panel_liked": panel.liked_shares[best] >= LIKED_SHARE - _TOLERANCE,
        "yield_checked": check.consistent,
    }
    if ideas is not None:
        ideas = checks.columns(ideas, ProductIdea, ("idea_id", "tech_complexity"),
                               t("product.table.ideas"), key=("idea_id",))
        idea = ideas[ideas["idea_id"] == card.product_id]
        if idea.empty:
            raise OvopError(t("product.unknown_product", product=card.product_id,
                              table=t("product.table.ideas"),
                              known=", ".join(ideas["idea_id"])))
        answers["simple_technology"] = idea["tech_complexity"].iloc[0] != "сложная"
    return {k: bool(v) for k, v in answers.items()}


@dataclass(frozen=True)
class DesignReview:
    """The design review: ``score`` «yes» answers out of ``total`` questions (``share`` =
    score / total); ``criteria``: (criterion, yes, questions) for each of
    :data:`DESIGN_CRITERIA`; ``missing``: the keys answered «no», ``unanswered`` those not
    answered (counted as «no»), and ``advice``: what to do for each of them, in checklist
    order."""

    score: int
    total: int
    share: float
    criteria: tuple[tuple[str, int, int], ...]
    missing: tuple[str, ...]
    unanswered: tuple[str, ...]
    advice: tuple[str, ...]




def design_review(answers: Mapping[str, bool]) -> DesignReview:
    """The score of the design review: each question of :data:`DESIGN_CHECKLIST` answered
    True (yes) scores 1; an unanswered question counts as «no» and is listed. ``answers``: a
    dict question key → True/False (:func:`design_answers` merged with the trainee's own).

    >>> review = design_review({"few_ingredients": True, "instruction": False})
    >>> review.score, review.total, review.missing, len(review.unanswered)
    (1, 13, ('instruction',), 11)
    """
    keys = [key for key, _ in DESIGN_CHECKLIST]
    if not isinstance(answers, Mapping):
        raise OvopError(t("product.answers_not_dict", known=", ".join(keys)))
    given = {}
    for key, value in answers.items():
        if not isinstance(key, str) or key not in keys:
            checks.category(key, keys, t("product.field.question"))
        given[key] = checks.boolean(value, t(f"product.design.q.{key}"))
    missing = tuple(k for k in keys if given.get(k) is False)
    unanswered = tuple(k for k in keys if k not in given)
    criteria = tuple((c, sum(given.get(k) is True for k, kc in DESIGN_CHECKLIST if kc == c),
                      sum(kc == c for _, kc in DESIGN_CHECKLIST)) for c in DESIGN_CRITERIA)
    score = sum(given.get(k) is True for k in keys)
    return DesignReview(score=score, total=len(keys), share=score / len(keys),
                        criteria=criteria, missing=missing, unanswered=unanswered,
                        advice=tuple(t(f"product.design.fix.{k}") for k in keys
                                     if k in missing or k in unanswered))


def _check_review(review: object) -> None:
    """A :class:`DesignReview` whose parts fit together (as :func:`design_review` makes it)."""
    keys = [k for k, _ in DESIGN_CHECKLIST]
    fits = isinstance(review, DesignReview) and (
        _texts(review.missing) and _texts(review.unanswered) and _texts(review.advice)
        and set(review.missing) | set(review.unanswered) <= set(keys)
        and len(review.advice) == len(set(review.missing) | set(review.unanswered))
        and isinstance(review.criteria, tuple) and all(
            isinstance(c, tuple) and len(c) == 3 and c[0] in DESIGN_CRITERIA
            and all(isinstance(n, int) and not isinstance(n, bool) for n in c[1:])
            and 0 <= c[1] <= c[2] for c in review.criteria)
        and all(isinstance(n, int) and not isinstance(n, bool)
                for n in (review.score, review.total)) and 0 <= review.score <= review.total
        and _numbers((review.share,), 1, 0, 1))
    if not fits:
        raise OvopError(t("product.not_result", what="design_review"))


def explain_design(review: DesignReview) -> str:
    """The design review in plain Russian: the score, each criterion's score, what is missing
    and what to do.

    >>> print(explain_design(lesson_design_review()).splitlines()[0])
    Дизайн-обзор: 11 из 13 («да» — 85%).
    """
    _check_review(review)
    lines = [t("product.design.score", score=review.score, total=review.total,
               share=fmt_percent(review.share, 0))]
    lines += [t("product.design.criterion_score", criterion=t(f"product.design.criterion.{c}"),
                yes=yes, total=total) for c, yes, total in review.criteria]
    keys = [k for k, _ in DESIGN_CHECKLIST if k in review.missing or k in review.unanswered]
    if keys:
        lines.append(t("product.design.gaps"))
        lines += [t("product.design.gap", question=t(f"product.design.q.{k}"), advice=advice,
                    state=t("product.design.unanswered" if k in review.unanswered
                            else "product.design.no"))
                  for k, advice in zip(keys, review.advice)]
    return "\n".join(lines)


# --- the lesson case ------------------------------------------------------------------------
@lesson_case
def lesson_concept_card() -> ConceptCard:
    """The lesson case's concept card: sea-buckthorn nectar with honey (``sb_juice``)."""
    return concept_card(load_table("lesson/product_concepts"), LESSON_PRODUCT,
                        load_table("lesson/market_segments"),
                        load_table("lesson/competitor_prices"),
                        load_table("lesson/product_batches"))


@lesson_case
def lesson_recipe() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The lesson case's (recipe, losses, batches) tables."""
    return (load_table("lesson/recipe"), load_table("lesson/process_losses"),
            load_table("lesson/product_batches"))


@lesson_case
def lesson_yield() -> YieldCheck:
    """The lesson nectar's yield against its batch table (:func:`yield_check`)."""
    return yield_check(*lesson_recipe(), LESSON_PRODUCT)


@lesson_case
def lesson_supply() -> pd.DataFrame:
    """Step 2's stable supply and average prices of the lesson's materials
    (:func:`raw_material_supply` with step 2's defaults: the whole year, with storage)."""
    return raw_materials.lesson_supply()


@lesson_case
def lesson_unit_cost(product_id: str = LESSON_PRODUCT) -> UnitCost:
    """The material cost of a unit of a lesson product (the nectar: a bottle) at step 2's
    average prices."""
    recipe, _, batches = lesson_recipe()
    return unit_cost(recipe, batches, product_id, lesson_supply())


@lesson_case
def lesson_batch_limit(product_id: str = LESSON_PRODUCT) -> BatchLimit:
    """Batches of a lesson product (the nectar) a month that the lesson's stable supply
    allows."""
    return batch_limits(lesson_recipe()[0], product_id, lesson_supply())


@lesson_case
def lesson_panel_summary() -> pd.DataFrame:
    """:func:`panel_summary` of the lesson's tasting panel (three nectars, 15 panellists)."""
    return panel_summary(load_table("lesson/panel_scores"))


@lesson_case
def lesson_panel() -> PanelTest:
    """:func:`panel_test` of the lesson's panel on overall liking (all three variants)."""
    return panel_test(load_table("lesson/panel_scores"))


@lesson_case
def lesson_design_review() -> DesignReview:
    """The lesson nectar's design review: :func:`design_answers` from the lesson's results and
    step 3's ideas, with :data:`LESSON_DESIGN_ANSWERS`."""
    answers = design_answers(lesson_concept_card(), lesson_recipe()[0], lesson_yield(),
                             lesson_panel(), load_table("lesson/product_ideas"))
    return design_review(answers | LESSON_DESIGN_ANSWERS)


# --- for the later steps ----------------------------------------------------------------------
def saved_product(workbook: Workbook | None) -> ProductSection | None:
    """Step 5's result as the trainee saved it in ``step05_product``, for a later step (step
    6: its ``product_id``, the material cost a unit at step 2's prices ``raw_som`` and
    ``packaging_som``, som, and the ``batches_per_month`` step 2's supply allows, of
    ``units_per_batch`` units). None when ``workbook`` is None
    (:func:`~ovop_course.workbook.saved_workbook`: none, or not readable) or holds no step 5
    result: the later step takes the lesson case. A later step reads step 5 only through this;
    never fails."""
    section = saved_section(workbook, "step05_product")
    return section if section is not None and section.product_id else None


BATCH_COLUMNS = ("product_id", "unit_name", "unit_size", "unit_size_unit", "units_per_batch")
"""The columns of a batch table that step 5 reads (its tool checks these); step 6 reads
``energy_kwh`` too."""


@dataclass(frozen=True)
class SavedRecipe:
    """Step 5's recipe, losses and batches as a later step uses them (step 6: the cost, the
    units a batch, its energy and selling unit).

    ``recipe``, ``losses``, ``batches``: the product tool's own tables kept in the workbook
    (``origin`` «tables»), each checked as step 5 checks it (one not kept, or refused, is the
    lesson's), with the lesson's rows of the products they do not have; a batch row's empty
    ``energy_kwh`` and other step 6 columns are the lesson's for the same product (else
    empty). The lesson case's tables otherwise (``origin`` «lesson»). ``names``: product →
    the name on its own concept card."""

    recipe: pd.DataFrame
    losses: pd.DataFrame
    batches: pd.DataFrame
    origin: str = "lesson"
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def lesson(self) -> bool:
        """Nothing of it comes from the workbook."""
        return self.origin == "lesson"

    @property
    def products(self) -> list[str]:
        """The products step 5 can make: a recipe, its stages and a batch row (recipe order)."""
        return [p for p in dict.fromkeys(self.recipe["product_id"])
                if p in set(self.losses["product_id"]) and p in set(self.batches["product_id"])]


def saved_recipe(workbook: Workbook | None) -> SavedRecipe:
    """Step 5's recipe, losses and batches as the trainee left them in ``workbook``
    (:func:`~ovop_course.workbook.saved_workbook`; None: the lesson case): the product tool's
    own tables kept in ``step05_product`` where the trainee uses them, completed by the
    lesson's (see :class:`SavedRecipe`). A later step reads step 5's tables only through this.
    Own tables step 5's checks refuse are left out (the product tool says what is wrong with
    them); never fails."""
    recipe, losses, batches = lesson_recipe()
    own = saved_tables(workbook, "step05_product")
    checked = {name: _own_table(own.get(name), check)
               for name, check in (("recipe", check_recipe), ("losses", check_losses),
                                   ("batches", _check_batches), ("concepts", check_concepts))}
    if all(checked[name] is None for name in ("recipe", "losses", "batches")):
        return SavedRecipe(recipe, losses, batches)
    lesson = {"recipe": recipe, "losses": losses, "batches": batches}
    tables = {name: _completed(checked[name], lesson[name]) for name in lesson}
    tables["batches"] = _step6_columns(tables["batches"], batches)
    concepts = checked["concepts"]
    names = {} if concepts is None else {str(p): str(n) for p, n in zip(
        concepts["product_id"], concepts["name"]) if isinstance(n, str) and n.strip()}
    return SavedRecipe(**tables, origin="tables", names=names)


def _check_batches(batches: pd.DataFrame) -> pd.DataFrame:
    return checks.columns(batches, ProductBatch, BATCH_COLUMNS, t("product.table.batches"),
                          key=("product_id",))


def _own_table(rows: list | None, check) -> pd.DataFrame | None:
    """A kept own table checked by ``check``; None when there is none or it is refused."""
    if not rows:
        return None
    try:
        return check(pd.DataFrame(rows, dtype=object))
    except OvopError:
        return None


def _completed(own: pd.DataFrame | None, lesson: pd.DataFrame) -> pd.DataFrame:
    """``own`` with the rows of ``lesson``'s products it does not have (``lesson`` if None)."""
    if own is None:
        return lesson
    extra = lesson[~lesson["product_id"].isin(set(own["product_id"]))]
    return pd.concat([own, extra], ignore_index=True) if len(extra) else own.reset_index(
        drop=True)


def _step6_columns(batches: pd.DataFrame, lesson: pd.DataFrame) -> pd.DataFrame:
    """Own batch rows with the lesson's values of the same product where a step 6 column is
    empty; ``energy_kwh`` a number ≥ 0 or NaN (not known)."""
    batches = batches.copy()
    known = lesson.set_index("product_id")
    for column in lesson.columns:
        if column in BATCH_COLUMNS or column in ("source", "note"):
            continue
        if column not in batches.columns:
            batches[column] = None
        batches[column] = [known.at[p, column] if _empty(v) and p in known.index else v
                           for p, v in zip(batches["product_id"], batches[column])]
    batches["energy_kwh"] = [_kwh(v) for v in batches["energy_kwh"]]
    return batches


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def _kwh(value: object) -> float:
    """A batch's kWh as a number ≥ 0, NaN when empty or not one."""
    if _empty(value):
        return math.nan
    try:
        return checks.number(value.item() if isinstance(value, np.generic) else value,
                             "energy_kwh", low=0)
    except OvopError:
        return math.nan
