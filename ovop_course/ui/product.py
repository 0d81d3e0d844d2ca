"""Tool «product» (module 6, step 5): the concept card, the recipe with its losses, yield and
cost, the prototype panel and the design review — OVOP+1 explains the logic of prototyping
and testing: a product is written down, made on paper, made in variants and tasted, then
checked against what OVOP asks of a product.

Data: the lesson case by default; a trainee passes their own tables (or types them into the
«Свои данные» panel)::

    ovop_course.tool("product", concepts=my_card, recipe=my_recipe, losses=my_losses,
                     panel=my_scores, batches=my_batch)

``concepts``, ``recipe``, ``losses``: the columns of ``data/lesson/product_concepts.csv``,
``recipe.csv``, ``process_losses.csv``; ``panel``: the tasting scores
(:class:`~ovop_course.steps.product.PanelEntry`: one product; without ``product_id`` they are
the scores of the product the tool opens on); ``batches``: the selling unit and units per
batch (``product_batches.csv``; the columns of step 6 may stay empty). A table not given is
the lesson case's.

Earlier steps, read through their modules from the workbook read once
(:func:`~ovop_course.workbook.saved_workbook`): step 2's average prices and stable monthly
supply (:func:`~ovop_course.steps.raw_materials.saved_supply`: of the raw_materials tool's own
tables kept in the workbook, else of the lesson case; the material saved in
``step02_raw_materials`` takes its saved supply and price) and step 4's segments and
competitors' prices (:func:`~ovop_course.steps.market.saved_market`: the market tool's own
tables kept in the workbook, else the lesson case's; the product saved in ``step04_market``
takes its saved price corridor, and a concept segment that step 4 left out of the reachable
market is pointed out). The tool says which it uses. ``lesson=True``: the lesson case
throughout (a lesson's worked example), whatever the workbook keeps.

Controls: the product; how the batch is planned (``scale_by``: a number of ``units`` or a
``factor`` of the recipe); the panel's ``attribute`` and the ``variants`` compared (two:
Wilcoxon's test, three or more: Friedman's); the design review's two questions the data
cannot answer (``tolerances``, ``instruction``). What depends on the product alone — the card,
the stages, the yield, the cost per unit, the batches a month, the panel's summary and the
design answers from the data — is computed once per product (:class:`ProductFacts`); the two
charts (the mass after each stage, the panel's means) depend on the product alone too, are
drawn only when their tab is opened and are kept (:class:`~ovop_course.charts.PictureCache`).

Saves to the workbook's ``step05_product``: the product and its concept, the yield and units
per batch, the material cost per unit, the batches a month step 2 allows, the planned batch,
the panel's preferred variant and whether the difference is real, the design review's score.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import TextStyle

from .. import checks
from ..charts import PictureCache, to_svg
from ..charts.product import attribute_name, panel_figure, yield_figure
from ..data import load_table
from ..errors import OvopError
from ..fmt import fmt_money, fmt_number, fmt_percent, fmt_typed
from ..i18n import get_language, t
from ..schemas import PANEL_ATTRIBUTES, ProductBatch
from ..steps import market, product, raw_materials
from ..workbook import ProductSection, Workbook, saved_workbook
from ._base import Tool, html_table, picture, table_box
from ._inputs import NumberField, TypedNumber
from ._own_data import OwnTable
from ._registry import register
from ._shared import checkbox, hbox, html, shared, shared_layout, vbox

TABS = ("concept", "recipe", "panel", "design")
CHARTS = {"recipe": "yield", "panel": "panel"}  # the tabs that show a chart, and which
SCALE_BY = ("units", "factor")
PICTURES_KEPT = 24  # two charts a product: every product of a trainee's tables
MAX_UNITS = 1_000_000
FACTOR_RANGE = (0.01, 1000.0)
BATCH_COLUMNS = ("product_id", "unit_name", "unit_size", "unit_size_unit", "units_per_batch")
STEP6_COLUMNS = ("labour_hours", "energy_kwh", "batch_days", "shelf_life_months",
                 "storage_conditions")  # of product_batches, read by step 6, not here
BOX = "max-width:900px"  # every text and table of the tool fits a 1366 px screen


# --- earlier steps ----------------------------------------------------------------------------
@dataclass(frozen=True)
class EarlierSteps:
    """What this step takes from steps 2 and 4, read through their modules.

    ``supply``: step 2's stable supply and average price of every material
    (:func:`~ovop_course.steps.raw_materials.saved_supply`: of the raw_materials tool's own
    tables kept in the workbook, else of the lesson case; the saved material's row replaced);
    ``market``: step 4's segments and competitors and its saved result
    (:func:`~ovop_course.steps.market.saved_market`; its product takes the saved corridor).
    """

    supply: raw_materials.SavedSupply
    market: market.SavedMarket

    @property
    def lesson(self) -> bool:
        return (self.supply.lesson and self.market.origin == "lesson"
                and self.market.section is None)


def earlier_steps(workbook: Workbook | None) -> EarlierSteps:
    """Steps 2 and 4 as the trainee left them in ``workbook`` (None: the lesson case)."""
    return EarlierSteps(raw_materials.saved_supply(workbook), market.saved_market(workbook))


# --- what the tool computes -------------------------------------------------------------------
@dataclass(frozen=True)
class ProductFacts:
    """Everything that depends on the product alone (computed once per product).

    ``card`` (None: ``card_note`` says why) with ``card_warnings`` and ``price_origin``
    («tables» or «section»: step 4's saved corridor); ``stages`` and ``check``: the mass by
    stage and the yield (:func:`~ovop_course.steps.product.loss_stages`, ``yield_check``);
    ``cost`` and ``limit`` (None: ``cost_note``, ``limit_note``); ``panel``: the product's
    tasting scores (None: it has none), their ``summary`` and the ``overall`` test of every
    variant; ``answers``: the design review's answers the data gives (None: ``design_note``).
    """

    product_id: str
    name: str
    card: product.ConceptCard | None
    card_note: str
    card_warnings: tuple[str, ...]
    price_origin: str
    stages: pd.DataFrame
    check: product.YieldCheck
    cost: product.UnitCost | None
    cost_note: str
    limit: product.BatchLimit | None
    limit_note: str
    panel: pd.DataFrame | None
    summary: pd.DataFrame | None
    overall: product.PanelTest | None
    answers: dict[str, bool] | None
    design_note: str


@dataclass(frozen=True)
class ProductResult:
    """What the tool shows and saves for one set of control values: the product's ``facts``,
    the ``scaled`` recipe (``scale_by`` units or factor) and the batches a month of that size
    (``scaled_batches``, None without a limit), the panel ``test`` on ``attribute`` (None:
    ``panel_note``) and the design review's ``answers`` (the data's and the trainee's) and
    ``review`` (None: the facts' ``design_note``)."""

    facts: ProductFacts
    scale_by: str
    scaled: product.ScaledRecipe
    scaled_batches: int | None
    attribute: str
    test: product.PanelTest | None
    panel_note: str
    answers: dict[str, bool] | None
    review: product.DesignReview | None


def _quietly(compute):
    """``compute()``, or (None, its message) when the data cannot give it."""
    try:
        return compute(), ""
    except OvopError as e:
        return None, str(e)


@register
class ProductTool(Tool):
    """Step 5: the concept card, the recipe (losses, yield, cost, scaling), the prototype panel
    and the design review."""

    name = "product"
    section = "step05_product"
    own_tables = {
        "concepts": OwnTable("lesson/product_concepts", required=False),
        "recipe": OwnTable("lesson/recipe"),
        "losses": OwnTable("lesson/process_losses"),
        "panel": OwnTable(product.PanelEntry, required=False, readme="lesson/panel_scores"),
        "batches": OwnTable("lesson/product_batches", required=False, fill=STEP6_COLUMNS),
    }

    def __init__(self, workbook_path=None, concepts: pd.DataFrame | None = None,
                 recipe: pd.DataFrame | None = None, losses: pd.DataFrame | None = None,
                 panel: pd.DataFrame | None = None, batches: pd.DataFrame | None = None,
                 lesson: bool = False):
        self._syncing = False
        self.earlier = earlier_steps(None if lesson else saved_workbook(workbook_path))
        self._build_view()
        self.products, self.names, self.batches, self.panel, self.panel_product = (
            [], {}, None, None, None)
        try:
            self.load(**self.start_tables(workbook_path, lesson, concepts=concepts,
                                          recipe=recipe, losses=losses, panel=panel,
                                          batches=batches))
        except OvopError as e:  # shown in the tool, not as a traceback in the notebook
            self.data_error = str(e)
            self._lesson_tables = self._lesson = False
            self._facts, self._tests = {}, {}
        super().__init__(workbook_path)

    def load(self, concepts=None, recipe=None, losses=None, panel=None, batches=None) -> None:
        """The trainee's tables, each one not given taken from the lesson case, checked; the
        products are those with a recipe, stages and a batch row, those with a concept card
        first."""
        lesson = all(x is None for x in (concepts, recipe, losses, panel, batches))
        case = self.lesson_tables()  # read by the data loader against the same row models
        concepts = case["concepts"] if concepts is None else product.check_concepts(concepts)
        recipe = case["recipe"] if recipe is None else product.check_recipe(recipe)
        losses = case["losses"] if losses is None else product.check_losses(losses)
        batches = case["batches"] if batches is None else checks.columns(
            batches, ProductBatch, BATCH_COLUMNS, t("product.table.batches"),
            key=("product_id",))
        panel = case["panel"] if panel is None else product.check_panel(panel)
        made = [p for p in dict.fromkeys(recipe["product_id"])
                if p in set(losses["product_id"]) and p in set(batches["product_id"])]
        if not made:
            raise OvopError(t("product.tool.no_product"))
        carded = [p for p in concepts["product_id"] if p in made]
        products = carded + [p for p in made if p not in carded]
        ideas = load_table("lesson/product_ideas").set_index("idea_id")["idea"]
        names = {p: str(ideas.get(p, p)) for p in products}
        names.update({p: n for p, n in zip(concepts["product_id"], concepts["name"])
                      if p in names})
        given = list(dict.fromkeys(panel["product_id"].dropna()))
        self.concepts, self.recipe, self.losses, self.batches = concepts, recipe, losses, batches
        self.panel, self.panel_product = panel, given[0] if given else products[0]
        self.products, self.names = products, names
        self._lesson_tables, self._lesson = lesson, lesson and self.earlier.lesson
        self._facts: dict[str, ProductFacts] = {}
        self._tests: dict[tuple, product.PanelTest] = {}
        self._pictures = PictureCache(PICTURES_KEPT)  # new tables, new pictures
        self._shown = {}

    def lesson_tables(self) -> dict[str, pd.DataFrame]:
        recipe, losses, batches = product.lesson_recipe()
        return {"concepts": load_table("lesson/product_concepts"), "recipe": recipe,
                "losses": losses, "panel": load_table("lesson/panel_scores"),
                "batches": batches}

    @property
    def title(self) -> str:
        return t("product.tool.title")

    # --- controls -----------------------------------------------------------------------
    def _units_per_batch(self, product_id) -> int:
        if self.batches is None:
            return 1
        rows = self.batches[self.batches["product_id"] == product_id]
        return int(rows["units_per_batch"].iloc[0]) if len(rows) else 1

    def _variant_options(self, product_id) -> list[tuple[str, str]]:
        if self.panel is None or product_id != self.panel_product:
            return []
        return list(dict.fromkeys(zip(self.panel["variant_name"], self.panel["variant"])))

    def build_controls(self):
        first = self.products[0] if self.products else None
        label = shared(DescriptionStyle, description_width="initial")
        variants = self._variant_options(first)
        return {
            "product_id": widgets.Dropdown(
                options=[(self.names[p], p) for p in self.products], value=first,
                description=t("product.tool.product_id"), style=label,
                layout=shared_layout(width="560px")),
            "scale_by": widgets.ToggleButtons(
                options=[(t(f"product.tool.scale_by.{k}"), k) for k in SCALE_BY],
                value="units", description=t("product.tool.scale_by"),
                style=shared(ToggleButtonsStyle, button_width="auto",
                             description_width="initial"), layout=shared_layout()),
            "units": NumberField(self._units_per_batch(first), low=1, high=MAX_UNITS,
                                 whole=True, description=t("product.field.target_units"),
                                 style=shared(TextStyle, description_width="initial"),
                                 layout=shared_layout(width="360px")),
            "factor": NumberField(1, low=FACTOR_RANGE[0], high=FACTOR_RANGE[1],
                                  description=t("product.field.factor"), disabled=True,
                                  style=shared(TextStyle, description_width="initial"),
                                  layout=shared_layout(width="360px")),
            "attribute": widgets.Dropdown(
                options=[(attribute_name(a), a) for a in PANEL_ATTRIBUTES],
                value=product.OVERALL, description=t("product.field.attribute"), style=label,
                layout=shared_layout(width="300px")),
            "variants": widgets.SelectMultiple(
                options=variants, value=tuple(v for _, v in variants), rows=4,
                description=t("product.tool.variants"), style=label,
                layout=shared_layout(width="420px")),
            "tolerances": self._checkbox("tolerances", first),
            "instruction": self._checkbox("instruction", first),
        }

    @staticmethod
    def _checkbox(key: str, first: str | None) -> widgets.Checkbox:
        """A design-review question the data cannot answer: ticked as the lesson group
        answered it when the tool opens on the lesson's product, else unticked (whatever
        tables it came from: the same product, the same start)."""
        value = first == product.LESSON_PRODUCT and product.LESSON_DESIGN_ANSWERS.get(key, False)
        return checkbox(bool(value), t(f"product.design.q.{key}"))

    def layout(self):
        c = self.controls
        wrap = {"flex_flow": "row wrap", "align_items": "center"}
        pages = {
            "concept": [self.views["concept"]],
            "recipe": [hbox([c["scale_by"], c["units"], c["factor"]], **wrap),
                       self.images["yield"], self.views["recipe"]],
            "panel": [hbox([c["attribute"], c["variants"]], **wrap),
                      self.images["panel"], self.views["panel"]],
            "design": [self.views["design_head"], c["tolerances"], c["instruction"],
                       self.views["design"]],
        }
        self.tabs = widgets.Tab(children=[vbox(pages[k]) for k in TABS],
                                titles=[t(f"product.tab.{k}") for k in TABS], selected_index=0,
                                layout=shared_layout())
        self.tabs.add_class("ovop-product-tabs")
        self.tabs.observe(lambda _change: self._show_chart(), names="selected_index")
        return [self.heading(), c["product_id"], self.message, self.output,
                self._save_button()]

    def _build_view(self) -> None:
        """The result widgets, made once; render changes their values."""
        self.summary = html().add_class("ovop-product-summary")
        self.views = {k: html().add_class(f"ovop-product-{k}")
                      for k in ("concept", "recipe", "panel", "design_head", "design")}
        self.images = {k: picture().add_class(f"ovop-product-{k}-chart")
                       for k in ("yield", "panel")}
        self._shown: dict[str, tuple] = {}  # chart → the key of the picture it shows

    def values(self):
        """The controls' values; the number of the way of planning not chosen is not read (a
        mistake in it waits until that way is chosen)."""
        idle = "factor" if self.controls["scale_by"].value == "units" else "units"
        return {key: None if key == idle else
                control.number() if isinstance(control, TypedNumber) else control.value
                for key, control in self.controls.items()}

    def _on_change(self, change) -> None:
        """A new product brings its batch size and its variants; the way of planning enables
        its field. Then recompute once."""
        if self._syncing:
            return
        c = self.controls
        self._syncing = True
        try:
            if change["owner"] is c["product_id"]:
                c["units"].type(self._units_per_batch(change["new"]))
                options = self._variant_options(change["new"])
                c["variants"].options = options
                c["variants"].value = tuple(v for _, v in options)
            elif change["owner"] is c["scale_by"]:
                c["units"].disabled = change["new"] != "units"
                c["factor"].disabled = change["new"] != "factor"
        finally:
            self._syncing = False
        self.refresh()

    # --- calculation --------------------------------------------------------------------
    def facts(self, product_id: str) -> ProductFacts:
        """What depends on the product alone: computed once per product (the lesson nectar
        from the lesson case's cached results)."""
        if product_id not in self._facts:
            f = self._facts[product_id] = self._product_facts(product_id)
            if f.overall is not None:  # the test of every variant on overall liking
                self._tests[(product_id, product.OVERALL, f.overall.variants)] = f.overall
        return self._facts[product_id]

    def _product_facts(self, pid: str) -> ProductFacts:
        lesson = self._lesson and pid == product.LESSON_PRODUCT
        e = self.earlier
        stages = product.loss_stages(self.recipe, self.losses, pid)
        if lesson:
            check = product.lesson_yield()
            (card, card_note), (cost, cost_note), (limit, limit_note) = (
                (product.lesson_concept_card(), ""), (product.lesson_unit_cost(), ""),
                (product.lesson_batch_limit(), ""))
        else:
            check = product.yield_check(self.recipe, self.losses, self.batches, pid)
            card, card_note = (None, t("product.tool.no_concept")) \
                if pid not in set(self.concepts["product_id"]) else _quietly(
                lambda: product.concept_card(self.concepts, pid, e.market.segments,
                                             e.market.competitors, self.batches))
            cost, cost_note = _quietly(
                lambda: product.unit_cost(self.recipe, self.batches, pid, e.supply.table))
            limit, limit_note = _quietly(
                lambda: product.batch_limits(self.recipe, pid, e.supply.table))
        card, warnings, price_origin = self._with_step4(card)
        panel = self.panel if pid == self.panel_product else None
        summary = overall = None
        answers, design_note = None, t("product.tool.design_needs")
        if panel is not None:
            summary = product.lesson_panel_summary() if lesson else product.panel_summary(panel)
            overall, why = _quietly(
                lambda: product.lesson_panel() if lesson else product.panel_test(panel))
            design_note = why or design_note  # the panel cannot say which variant is liked
        if card is not None and overall is not None:
            ideas = load_table("lesson/product_ideas")
            answers, design_note = _quietly(lambda: product.design_answers(
                card, self.recipe, check, overall,
                ideas if pid in set(ideas["idea_id"]) else None))
        return ProductFacts(
            product_id=pid, name=self.names.get(pid, pid), card=card, card_note=card_note,
            card_warnings=warnings, price_origin=price_origin, stages=stages, check=check,
            cost=cost, cost_note=cost_note, limit=limit, limit_note=limit_note, panel=panel,
            summary=summary, overall=overall, answers=answers, design_note=design_note)

    def _with_step4(self, card):
        """The card with step 4's saved price corridor when step 4 saved this product, and
        the concept's segments that step 4 left out of the reachable market."""
        saved, origin = self.earlier.market.section, self.earlier.market.origin
        if card is None or saved is None or saved.product_id != card.product_id:
            return card, (), origin
        warnings = ()
        left_out = [name for s, name in zip(card.segment_ids, card.segments)
                    if s not in saved.reachable_segments]
        if left_out:
            warnings = (t("product.tool.not_reachable", segments=", ".join(left_out)),)
        quantity, unit = market.base_quantity(card.unit_size, card.unit_size_unit)
        prices = (saved.competitor_price_low, saved.competitor_median_price,
                  saved.competitor_price_high)
        if unit != saved.price_unit or any(p is None for p in prices):
            return card, warnings, origin
        low, median, high = (p * quantity for p in prices)
        return (dataclasses.replace(card, price_unit=unit, price_low=low, price_median=median,
                                    price_high=high), warnings, "section")

    def compute(self, product_id, scale_by, units, factor, attribute, variants, tolerances,
                instruction) -> ProductResult:
        if product_id is None:
            raise OvopError(t("product.tool.choose_product"))
        f = self.facts(product_id)
        checks.category(scale_by, SCALE_BY, t("product.tool.scale_by"))
        scaled = (product.scale_recipe(self.recipe, self.batches, product_id, units=units)
                  if scale_by == "units" else
                  product.scale_recipe(self.recipe, self.batches, product_id, factor=factor))
        scaled_batches = None
        if f.limit is not None:
            binding = f.limit.table.set_index("material_id").loc[f.limit.binding]
            scaled_batches = product.batches_per_month(binding["stable_supply"],
                                                       binding["per_batch"] * scaled.factor)
        test, panel_note = None, t("product.tool.no_panel")
        if f.panel is not None:
            key = (product_id, attribute, tuple(variants))
            if key not in self._tests:
                self._tests[key] = product.panel_test(f.panel, attribute, list(variants))
            test, panel_note = self._tests[key], ""
        answers = review = None
        if f.answers is not None:
            answers = f.answers | {"tolerances": checks.boolean(tolerances, self.label(
                "tolerances")), "instruction": checks.boolean(instruction, self.label(
                    "instruction"))}
            review = product.design_review(answers)
        return ProductResult(facts=f, scale_by=scale_by, scaled=scaled,
                             scaled_batches=scaled_batches, attribute=attribute, test=test,
                             panel_note=panel_note, answers=answers, review=review)

    # --- display ------------------------------------------------------------------------
    def render(self, result: ProductResult):
        f = result.facts
        self.summary.value = self._summary_html(result)
        self.views["concept"].value = self._concept_html(f)
        self.views["recipe"].value = self._recipe_html(result)
        self.views["panel"].value = self._panel_html(result)
        self.views["design_head"].value = _box(f"<p>{escape(t('product.tool.design_intro'))}"
                                               "</p>")
        self.views["design"].value = self._design_html(result)
        self._show_chart(result)
        return [self.summary, self.tabs]

    def _show_chart(self, result: ProductResult | None = None) -> None:
        """Draw the open tab's chart unless it shows it already (kept by product and UI
        language: a product seen before shows its picture at once)."""
        result = result or self.result
        if result is None or self.tabs.selected_index is None:
            return
        kind = CHARTS.get(TABS[self.tabs.selected_index])
        f = result.facts
        if kind is None or (kind == "panel" and f.summary is None):
            if kind == "panel":
                self.images["panel"].value, self._shown["panel"] = b"", ()
            return
        key = (kind, f.product_id, get_language())
        if self._shown.get(kind) != key:
            self.images[kind].value = self._pictures.get(key, lambda: to_svg(
                self._figure(kind, f)))
            self._shown[kind] = key

    @staticmethod
    def _figure(kind: str, f: ProductFacts):
        if kind == "yield":
            c = f.check
            return yield_figure(f.stages, c.input_amount, c.units_per_batch, c.unit_size, c.unit)
        return panel_figure(f.summary)

    # the texts
    def _summary_html(self, r: ProductResult) -> str:
        f, c = r.facts, r.facts.check
        unit_name = f.card.unit_name if f.card is not None else self._unit_name(f.product_id)
        lines = [t("product.tool.summary_yield", amount=fmt_number(c.yield_amount, 1),
                   unit=c.unit, units=fmt_number(c.units_possible), unit_name=escape(unit_name))]
        if f.cost is not None:
            lines.append(t("product.tool.summary_cost", cost=fmt_money(f.cost.total_som, 2),
                           unit_name=escape(unit_name)))
        if f.limit is not None:
            lines.append(t("product.tool.summary_batches", batches=f.limit.batches))
        if r.test is not None:
            names = dict(zip(r.test.variants, r.test.variant_names))
            lines.append(t("product.tool.summary_panel_real" if r.test.significant
                           else "product.tool.summary_panel_not_proven",
                           variant=escape(names[r.test.preferred[0]])))
        head = "<p><b>" + escape(f.name) + "</b>: " + "; ".join(lines) + ".</p>"
        return _box(head + self._sources_html(f))

    def _unit_name(self, product_id: str) -> str:
        rows = self.batches[self.batches["product_id"] == product_id]
        return str(rows["unit_name"].iloc[0]) if len(rows) else ""

    def _sources_html(self, f: ProductFacts) -> str:
        supply, sold = self.earlier.supply, self.earlier.market
        if supply.section is not None:
            m = supply.section
            price = ("—" if m.mean_price_som is None
                     else fmt_money(m.mean_price_som, 2) + " / " + escape(m.unit))
            step2 = t("product.tool.source.step2_saved", material=escape(m.material),
                      supply=fmt_number(m.stable_supply, 1), unit=escape(m.unit), price=price,
                      others=t(f"product.tool.source.{supply.origin}"))
        else:
            step2 = t("product.tool.source.step2",
                      origin=t(f"product.tool.source.{supply.origin}"))
        step4 = (t("product.tool.source.step4_saved", product=escape(sold.section.product))
                 if f.price_origin == "section" else
                 t("product.tool.source.step4", origin=t(f"product.tool.source.{sold.origin}")))
        return f"<p><small>{step2}<br>{step4}</small></p>"

    def _concept_html(self, f: ProductFacts) -> str:
        card = f.card
        if card is None:
            return _box(f"<p>⚠ {escape(f.card_note)}</p>")
        price = t("product.tool.card.price_value", low=_som(card.price_low),
                  high=_som(card.price_high), median=_som(card.price_median),
                  unit_name=escape(card.unit_name), count=card.competitors)
        reasons = "".join(f"<li>{escape(r)}</li>" for r in card.hard_to_copy)
        rows = [("name", escape(card.name)), ("customer", escape(card.customer)),
                ("segments", escape(", ".join(card.segments))),
                ("use_occasion", escape(card.use_occasion)),
                ("pack", f"{escape(card.pack)} ({escape(card.unit_name)})"),
                ("price", price), ("story", escape(card.story)),
                ("hard_to_copy", f"<ul style='margin:0;padding-left:18px'>{reasons}</ul>")]
        body = "".join(f"<tr><th>{escape(t(f'product.tool.card.{k}'))}</th><td>{v}</td></tr>"
                       for k, v in rows)
        warnings = "".join(f"<p>⚠ {escape(w)}</p>" for w in f.card_warnings)
        return _box(table_box(f'<table class="ovop-table">{body}</table>') + warnings
                    + f"<p><i>{escape(t('product.tool.card.principle'))}</i></p>")

    def _recipe_html(self, r: ProductResult) -> str:
        f, c = r.facts, r.facts.check
        stages = pd.DataFrame({
            t("product.col.stage_no"): f.stages["stage_no"].astype(int),
            t("product.col.stage"): f.stages["stage"],
            t("product.col.applies_to"): f.stages["applies_to"].fillna(t("product.col.whole")),
            t("product.col.loss_share"): f.stages["loss_share"].map(
                lambda s: fmt_percent(s, 1)),
            t("product.col.mass_in"): f.stages["mass_in"].map(lambda m: fmt_number(m, 2)),
            t("product.col.lost"): f.stages["lost"].map(lambda m: fmt_number(m, 2)),
            t("product.col.batch_mass"): f.stages["batch_mass"].map(lambda m: fmt_number(m, 2)),
        })
        check = t("product.tool.yield_line", input=fmt_number(c.input_amount, 1),
                  amount=fmt_number(c.yield_amount, 2), unit=c.unit,
                  share=fmt_percent(c.yield_share, 1), possible=fmt_number(c.units_possible),
                  size=fmt_typed(c.unit_size), units=fmt_number(c.units_per_batch))
        check += " " + (t("product.tool.yield_reserve", reserve=fmt_number(c.reserve, 2),
                          unit=c.unit) if c.consistent else
                        t("product.tool.yield_short", units=fmt_number(c.units_per_batch),
                          possible=fmt_number(c.units_possible)))
        parts = [html_table(stages, t("product.tool.stages_heading")),
                 f"<p>{'' if c.consistent else '⚠ '}{escape(check)}</p>",
                 self._scaled_table(r), self._cost_html(r)]
        return _box("".join(parts))

    def _scaled_table(self, r: ProductResult) -> str:
        s, f = r.scaled, r.facts
        cost = f.cost.table if f.cost is not None else None
        table = s.table
        frame = pd.DataFrame({
            t("product.col.ingredient"): table["ingredient"],
            t("product.col.quantity"): [f"{fmt_typed(q)} {u}"
                                        for q, u in zip(table["quantity"], table["unit"])],
            t("product.col.scaled"): [f"{fmt_number(q, 0 if k == product.PACKAGING else 2)} {u}"
                                      for q, u, k in zip(table["scaled"], table["unit"],
                                                         table["kind"])],
        })
        if cost is not None:
            frame[t("product.col.price")] = [
                f"{fmt_money(p, 2)} / {u}" for p, u in zip(cost["price_som"], cost["price_unit"])]
            frame[t("product.col.price_source")] = [
                t(f"product.col.price_source.{x}") for x in cost["price_source"]]
            frame[t("product.col.unit_cost")] = cost["unit_cost_som"].map(
                lambda x: fmt_money(x, 2))
        heading = t("product.tool.scaled_heading", factor=fmt_typed(round(s.factor, 6)),
                    units=fmt_number(s.units))
        return html_table(frame, heading)

    def _cost_html(self, r: ProductResult) -> str:
        f = r.facts
        lines = []
        if f.cost is None:
            lines.append("⚠ " + escape(f.cost_note))
        else:
            lines.append(escape(t("product.tool.cost_line", raw=fmt_money(f.cost.raw_som, 2),
                                  packaging=fmt_money(f.cost.packaging_som, 2),
                                  total=fmt_money(f.cost.total_som, 2),
                                  lines=f.cost.step2_lines)))
        if f.limit is None:
            lines.append("⚠ " + escape(f.limit_note))
        else:
            limit = f.limit
            names = dict(zip(limit.table["material_id"], limit.table["ingredient"]))
            supply = self.earlier.supply.table
            units = dict(zip(supply["material_id"], supply["unit"]))
            each = "; ".join(t("product.tool.limit_item", ingredient=escape(row.ingredient),
                               supply=fmt_number(row.stable_supply, 1),
                               per_batch=fmt_typed(round(row.per_batch, 3)),
                               unit=escape(str(units.get(row.material_id) or "")),
                               batches=row.batches)
                             for row in limit.table.itertuples())
            lines.append(escape(t("product.tool.limit_line", batches=limit.batches,
                                  units=fmt_number(limit.batches * f.check.units_per_batch),
                                  binding=names[limit.binding])) + " " + each + ".")
            lines.append(escape(t("product.tool.scaled_batches", units=fmt_number(r.scaled.units),
                                  batches=r.scaled_batches)))
        return "".join(f"<p>{line}</p>" for line in lines)

    def _panel_html(self, r: ProductResult) -> str:
        f = r.facts
        if f.summary is None:
            return _box(f"<p>⚠ {escape(r.panel_note)}</p>")
        rows = f.summary[f.summary["attribute"] == r.attribute]
        chosen = set(r.test.variants) if r.test is not None else set()
        frame = pd.DataFrame({
            t("product.col.variant"): rows["variant_name"],
            t("product.col.n"): rows["n"],
            t("product.col.mean"): rows["mean"].map(lambda m: fmt_number(m, 2)),
            t("product.col.sd"): rows["sd"].map(lambda s: "—" if pd.isna(s) else fmt_number(s, 2)),
            t("product.col.liked_share"): rows["liked_share"].map(lambda s: fmt_percent(s, 0)),
            t("product.col.compared"): [t("product.col.yes") if v in chosen else ""
                                        for v in rows["variant"]],
        })
        heading = t("product.tool.panel_heading", attribute=attribute_name(r.attribute))
        text = "" if r.test is None else "".join(
            f"<p>{escape(line)}</p>" for line in product.explain_panel(r.test).splitlines())
        return _box(html_table(frame, heading) + text)

    def _design_html(self, r: ProductResult) -> str:
        if r.review is None:
            return _box(f"<p>⚠ {escape(r.facts.design_note)}</p>")
        review, answers = r.review, r.answers
        advice = dict(zip([k for k, _ in product.DESIGN_CHECKLIST
                           if k in review.missing or k in review.unanswered], review.advice))
        body = []
        for criterion in product.DESIGN_CRITERIA:
            keys = [k for k, c in product.DESIGN_CHECKLIST if c == criterion]
            for i, key in enumerate(keys):
                head = (f"<td rowspan='{len(keys)}'><b>"
                        f"{escape(t(f'product.design.criterion.{criterion}'))}</b></td>"
                        if i == 0 else "")
                mark = "✔" if answers.get(key) is True else "✘" if key in review.missing else "—"
                body.append(f"<tr>{head}<td>{escape(t(f'product.design.q.{key}'))}</td>"
                            f"<td style='text-align:center'>{mark}</td>"
                            f"<td>{escape(advice.get(key, ''))}</td></tr>")
        cols = "".join(f"<th>{escape(t(f'product.col.design.{k}'))}</th>"
                       for k in ("criterion", "question", "answer", "advice"))
        score = t("product.design.score", score=review.score, total=review.total,
                  share=fmt_percent(review.share, 0))
        return _box(f"<p><b>{escape(score)}</b></p>" + table_box(
            f'<table class="ovop-table"><thead><tr>{cols}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"))

    # --- saving -------------------------------------------------------------------------
    def to_section(self, result: ProductResult, saved: ProductSection | None) -> ProductSection:
        f = result.facts
        card, check, test, review = f.card, f.check, result.test, result.review
        if card is None:
            raise OvopError(t("product.tool.nothing_to_save", product=f.name,
                              reason=f.card_note))
        names = dict(zip(test.variants, test.variant_names)) if test is not None else {}
        return ProductSection(
            product_id=f.product_id, name=card.name, customer=card.customer,
            segment_ids=list(card.segment_ids), unit_name=card.unit_name,
            unit_size=card.unit_size, unit_size_unit=card.unit_size_unit,
            price_unit=card.price_unit, price_low=card.price_low,
            price_median=card.price_median, price_high=card.price_high,
            input_amount=check.input_amount, yield_amount=check.yield_amount,
            yield_unit=check.unit, yield_share=check.yield_share,
            units_per_batch=check.units_per_batch, units_possible=check.units_possible,
            raw_som=None if f.cost is None else f.cost.raw_som,
            packaging_som=None if f.cost is None else f.cost.packaging_som,
            total_som=None if f.cost is None else f.cost.total_som,
            batches_per_month=None if f.limit is None else f.limit.batches,
            binding_material=None if f.limit is None else f.limit.binding,
            factor=result.scaled.factor, units=result.scaled.units,
            attribute=None if test is None else test.attribute,
            test=None if test is None else test.test,
            preferred=[] if test is None else list(test.preferred),
            preferred_names=[names[v] for v in test.preferred] if test is not None else [],
            panellists=None if test is None else test.panellists,
            p_value=None if test is None else test.p_value,
            significant=None if test is None else test.significant,
            design_score=None if review is None else review.score,
            design_total=None if review is None else review.total,
            design_missing=[] if review is None else [
                k for k, _ in product.DESIGN_CHECKLIST
                if k in review.missing or k in review.unanswered],
        )


def _som(value: float) -> str:
    """A price in som: whole som, or with two decimals when it has them (98,75 сом)."""
    return fmt_money(value, 0 if abs(value - round(value)) < 0.005 else 2)


def _box(html: str) -> str:
    """A part of the result, never wider than a 1366 px screen shows."""
    return f'<div style="{BOX}">{html}</div>'

