"""Step 6 tool «technology»: the costing calculator — process and capacity, equipment, the cost
sheet, the price, break-even, the first year's cash and NPV, and what changes the profit most.

Controls (a trainer's calculator, the names of :class:`~ovop_course.steps.technology.Plan` where
it has them): the product, the scenario («начать просто, вручную» / «купить оборудование
сейчас»), how the price is set (typed, or the unit cost plus the markup), the price a unit
(typed: «201,6»), the markup, the units sold in the year, the price of the main raw material
(step 2's average), the wage an hour, the discount rate and the tornado's ± change. Everything
is computed by :mod:`ovop_course.steps.technology` (``evaluate`` of a plan with the controls'
values as changes, ≈ 5 ms); nothing is computed here but which numbers go in.

Shown: the key numbers in one block (unit cost, price, unit margin with margin and markup, the
year's profit, break-even in units and som, working capital and the month of the deficit's
peak, NPV, IRR and payback, money at risk), where the inputs come from, warnings, then a tab per
chart, each with its table: the tornado of the year's profit (the open tab, drawn at every
change: :class:`~ovop_course.charts.technology.TornadoChart`), the ILO-style cost sheet with
margin against markup, the cost-volume-profit chart, the first year's cash month by month, the
process with the four monthly limits, and the two scenarios side by side. Only the open tab's
chart and table are made (``ChartTabs``; the tables likewise, when their tab is opened).

Inputs. The lesson case (the sea-buckthorn nectar) by default; what the trainee saved in steps
1–5 is used when it fits the product, read from the workbook once
(:func:`~ovop_course.workbook.saved_workbook`) through each step's module: step 1's
person-hours by month (``territory.saved_person_hours``), step 2's stable supply and average
prices (``raw_materials.saved_supply``: the raw_materials tool's own tables kept in the
workbook, the saved material's row and production months), when they have the recipe's
materials in its units, step 4's obtainable volume and producer prices of the same product
(``market.saved_market``), step 5's material and packaging cost a unit
(``product.saved_product``, if it names the product and has ``raw_som`` and
``packaging_som``), and step 5's recipe and batch of each product (``product.saved_recipe``:
the product tool's own tables kept in the workbook, completed by the lesson's; the products
offered are those of the process chart that have them, the others are named). A product step
4 has not studied starts from what the chart makes in a year at the unit cost plus 30 %.
The tool says which numbers came from the workbook. ``lesson=True`` (the
lesson's worked example) takes none of them. A missing or unreadable workbook is the lesson
case, never an error.

Own tables (the «Свои данные» panel, or keywords): ``process`` (the columns of
``process_steps.csv``, required), ``equipment``, ``overheads``, ``alternatives`` (other
equipment for operations: the «buy equipment now» scenario) and ``seasonality`` (sales by
month); each one not given (or without rows) is the lesson's. Alternatives are only those
whose product and step number are the chart's (the lesson's also only with known equipment):
none left means no other equipment, and «купить оборудование сейчас» is not offered (the
tool says so)::

    ovop_course.tool("technology", process=my_steps, equipment=my_equipment)

Saves to the workbook's ``step06_technology``: :class:`~ovop_course.steps.technology.
TechnologyResults` (unit cost, price, break-even, working capital, capacity by month, labour
minutes a unit, …), which steps 7, 9 and 11 read.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import TextStyle

from .. import fmt
from ..charts import kept, to_svg
from ..charts import technology as charts
from ..charts.technology import (
    TornadoChart,
    cash_figure,
    cost_figure,
    cvp_figure,
    limits_figure,
    scenarios_figure,
)
from ..data import data_dir, load_table
from ..errors import OvopError
from ..fmt import fmt_typed, month_labels
from ..i18n import t
from ..steps import market, product, raw_materials, territory
from ..steps import technology as tech
from ..workbook import (
    MarketSection,
    ProductSection,
    TechnologySection,
    Workbook,
    saved_workbook,
)
from ._base import Tool, table_box
from ._chart_tabs import ChartTabs
from ._inputs import NumberField, SliderField
from ._own_data import OwnTable
from ._registry import register
from ._shared import hbox, html, shared, shared_layout, vbox

TABS = ("tornado", "sheet", "cvp", "cash", "limits", "scenarios")
PICTURES_KEPT = 60  # pictures kept for settings seen before (the oldest dropped beyond this)
TYPED, COST_PLUS = "typed", "cost_plus"  # how the price is set
START_MARKUP = 0.3  # the markup control's start, and a product step 4 has not priced
SCENARIOS = (tech.SIMPLE, tech.EQUIPPED)
_LESSON: dict[tuple, object] = {}  # the lesson case's inputs by (data folder, product[, scenario])
# Two columns of controls side by side in a notebook cell at 1366 px (≈ 930 px): the product
# and price (labels 150 px) and the year's numbers (labels 200 px); each ≈ 440 px wide.
LEFT, RIGHT = {"description_width": "150px"}, {"description_width": "200px"}
# The result's own style: the key numbers in a block of four columns that wraps its text,
# small notes, warnings in the course's warning colours.
KEY_CSS = ("<style>.ovop-table-box table.ovop-tech-key{width:100%;max-width:900px}"
           ".ovop-table-box table.ovop-tech-key td{padding:3px 8px}"
           ".ovop-tech-key td.ovop-tech-label{color:#555;width:16%}"
           ".ovop-tech-key td b{font-size:105%}.ovop-tech-key small{color:#555}"
           ".ovop-tech-warn{color:#8A4B00;background:#FFF4E0;padding:3px 8px;margin:4px 0;"
           "line-height:1.45}"
           ".ovop-tech-note{color:#555;font-size:95%}</style>")


# --- what the earlier steps saved ----------------------------------------------------------
@dataclass(frozen=True)
class EarlierSteps:
    """What steps 1, 2, 4 and 5 saved, read through their modules (the lesson case: nothing
    saved, no readable workbook, or the lesson's worked example): step 1's ``person_hours``
    by month (:func:`~ovop_course.steps.territory.saved_person_hours`), step 2's ``supply``
    (:func:`~ovop_course.steps.raw_materials.saved_supply`), step 4's ``market`` result and
    step 5's ``product`` result (``saved_market``, ``saved_product``; None: not saved) and
    step 5's ``recipe``, losses and batches (:func:`~ovop_course.steps.product.saved_recipe`:
    the product tool's own tables kept in the workbook, completed by the lesson's)."""

    person_hours: list[float] | None
    supply: raw_materials.SavedSupply
    market: MarketSection | None
    product: ProductSection | None
    recipe: product.SavedRecipe

    @property
    def lesson(self) -> bool:
        return (self.person_hours is None and self.supply.lesson and self.market is None
                and self.product is None and self.recipe.lesson)


def earlier_steps(workbook: Workbook | None) -> EarlierSteps:
    """Steps 1, 2, 4 and 5 as the trainee left them in ``workbook`` (None: the lesson case)."""
    return EarlierSteps(territory.saved_person_hours(workbook),
                        raw_materials.saved_supply(workbook),
                        market.saved_market(workbook).section, product.saved_product(workbook),
                        product.saved_recipe(workbook))


# --- what depends on the product, and on the product and the scenario ------------------------
@dataclass(frozen=True)
class ProductInputs:
    """What step 6 takes from the earlier steps for one product (computed once a product).

    ``raw_som`` and ``packaging_som`` a unit at step 2's prices; the main raw material
    (``material``, the recipe line that costs most) at ``material_price`` som per
    ``material_unit``, ``material_per_unit`` of it in a unit; ``raw_units`` a month step 2's
    stable supply allows (None: step 2 has not counted the recipe's materials, no limit);
    ``production_months``; step 4's ``som_units`` a year, producer ``prices`` (lowest, base,
    highest) and the competitors' ``corridor`` for our unit (or None); ``seasonality`` (12
    shares, or None: even); step 1's ``person_hours`` by month (``som_units`` and ``prices``
    None: step 4 has not studied the product, :meth:`TechnologyTool._product` starts them
    from the process and the cost); ``from_workbook``: what came
    from the trainee's workbook, ``notes``: what the earlier steps left unknown (texts to
    show).
    """

    product_id: str
    product: str
    unit: str
    units_per_batch: int
    raw_som: float
    packaging_som: float
    energy_som: float
    material: str
    material_price: float
    material_unit: str
    material_per_unit: float
    raw_units: float | None
    production_months: tuple[int, ...]
    som_units: float | None
    prices: tuple[float, float, float] | None
    corridor: tuple[float, float, float] | None
    seasonality: list[float] | None
    person_hours: list[float]
    from_workbook: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def raw_at(self, material_price: float) -> float:
        """Raw materials a unit, som, with the main material at ``material_price``."""
        other = self.raw_som - self.material_price * self.material_per_unit
        return max(0.0, other + material_price * self.material_per_unit)


@dataclass(frozen=True)
class TechnologyResult:
    """Everything the tool shows and saves for one set of control values.

    ``evaluation`` — :func:`~ovop_course.steps.technology.evaluate` of the chosen scenario;
    ``evaluations`` — of every scenario at the same settings (``refused``: scenario → why it
    has none, a price below its variable cost); ``tornado`` at ± ``change``; ``limits`` — the
    four limits by month; ``markup_target`` — the markup control, ``cost_plus_price`` — the
    unit cost × (1 + it); ``saved`` — what the step saves.
    """

    inputs: ProductInputs
    scenario: tech.Scenario
    evaluation: tech.Evaluation
    evaluations: dict[str, tech.Evaluation]
    refused: dict[str, str]
    tornado: pd.DataFrame
    change: float
    limits: pd.DataFrame
    price_basis: str
    markup_target: float
    cost_plus_price: float
    material_price: float
    saved: tech.TechnologyResults


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ not below ``value`` (a slider's top)."""
    step = 1.0
    while step * 10 <= value:
        step *= 10
    return next(step * f for f in (1, 2, 2.5, 5, 10) if step * f >= value)


@register
class TechnologyTool(Tool):
    """Step 6: technology, equipment and the cost of the product."""

    name = "technology"
    section = "step06_technology"
    _own = True  # the tool's tables are not the lesson's (set by :meth:`load`)
    own_tables = {"process": OwnTable("lesson/process_steps"),
                  "equipment": OwnTable("lesson/equipment", required=False),
                  "overheads": OwnTable("lesson/overheads", required=False),
                  "alternatives": OwnTable("lesson/process_alternatives", required=False),
                  "seasonality": OwnTable("lesson/sales_seasonality", required=False)}

    def __init__(self, workbook_path=None, process: pd.DataFrame | None = None,
                 equipment: pd.DataFrame | None = None, overheads: pd.DataFrame | None = None,
                 alternatives: pd.DataFrame | None = None,
                 seasonality: pd.DataFrame | None = None, lesson: bool = False):
        self.earlier = earlier_steps(None if lesson else saved_workbook(workbook_path))
        self._lesson = tech.lesson_inputs()
        self._resetting = False
        try:
            self.load(**self.start_tables(workbook_path, lesson, process=process,
                                          equipment=equipment, overheads=overheads,
                                          alternatives=alternatives, seasonality=seasonality))
        except OvopError as e:  # shown in the tool, not as a traceback in the notebook
            self.data_error = str(e)
            self.products: list[tuple[str, str]] = []
            self._inputs: dict[str, ProductInputs] = {}
            self._scenarios: dict[tuple[str, str], tech.Scenario] = {}
        self._build_view()
        super().__init__(workbook_path)

    # --- data ---------------------------------------------------------------------------------
    def load(self, process=None, equipment=None, overheads=None, alternatives=None,
             seasonality=None) -> None:
        """The trainee's tables, each one not given taken from the lesson case, checked; the
        first product's inputs and scenarios computed (an OvopError names what to fix)."""
        own = any(table is not None for table in (process, equipment, overheads, alternatives,
                                                  seasonality))
        steps = tech.check_process(load_table("lesson/process_steps") if process is None
                                   else process)
        equipment = tech.check_equipment(load_table("lesson/equipment") if _left_out(equipment)
                                         else equipment)
        tables = {
            "steps": steps,
            "equipment": equipment,
            "alternatives": _fitting_alternatives(alternatives, steps, equipment),
            "overheads": tech.overheads_per_year(load_table("lesson/overheads")
                                                 if _left_out(overheads) else overheads),
            "seasonality": (load_table("lesson/sales_seasonality") if _left_out(seasonality)
                            else seasonality),
        }
        recipe = self.earlier.recipe
        costed = set(recipe.recipe["product_id"]) & set(recipe.batches["product_id"])
        charted = list(dict.fromkeys(steps["product_id"]))
        names = {**_product_names(), **recipe.names}
        products = [(str(names.get(p, p)), p) for p in charted if p in costed]
        if not products:
            raise OvopError(t("technology.no_recipe", products=", ".join(charted)))
        self.uncosted = [p for p in charted if p not in costed]
        self._own = own
        self.data, self.products = tables, products
        self._inputs, self._scenarios = {}, {}
        first = products[0][1]
        for scenario in self._scenario_names(first):
            self._scenario(first, scenario)

    def lesson_tables(self) -> dict[str, pd.DataFrame]:
        return {"process": load_table("lesson/process_steps"),
                "equipment": load_table("lesson/equipment"),
                "overheads": load_table("lesson/overheads"),
                "alternatives": load_table("lesson/process_alternatives"),
                "seasonality": load_table("lesson/sales_seasonality")}

    @property
    def title(self) -> str:
        return t("technology.title")

    def _equipped_use(self, product_id: str) -> tuple[str, ...]:
        """The other equipment of «купить оборудование сейчас»: the first alternative of each
        operation that has one."""
        own = self.data["alternatives"]
        if own is None:
            return ()
        own = own[own["product_id"] == product_id]
        return tuple(own.drop_duplicates("step_no")["equipment_id"])

    def _scenario_names(self, product_id: str) -> list[str]:
        """Both scenarios; «купить оборудование сейчас» only when some operation of the
        product's chart has other equipment (none: the tool says why it is not offered)."""
        return list(SCENARIOS) if self._equipped_use(product_id) else [tech.SIMPLE]

    def _product(self, product_id: str) -> ProductInputs:
        """The product's inputs from steps 1, 2, 4, 5 (the workbook's where they fit, else
        the lesson case's), computed once."""
        if product_id not in self._inputs:
            memo = self._memo(product_id)
            if memo is not None and memo in _LESSON:
                self._inputs[product_id] = _LESSON[memo]
            else:
                p = _product_inputs(product_id, self.earlier, self._lesson,
                                    self.data["seasonality"])
                self._inputs[product_id] = p if p.prices is not None else self._start_market(p)
                if memo is not None:
                    _LESSON[memo] = self._inputs[product_id]
        return self._inputs[product_id]

    def _start_market(self, p: ProductInputs) -> ProductInputs:
        """A product step 4 has not studied: the volume a year is what the chart «начать
        просто» can make in the production months (capacity, raw materials, labour), the price
        the unit cost at that volume plus the markup control's 30 % (the tool says so)."""
        process = tech.process_with(self.data["steps"], p.product_id)
        cap = tech.capacity(process, p.units_per_batch)
        minutes = tech.labour_minutes_per_unit(process, p.units_per_batch)
        raw = cap.units_per_month if p.raw_units is None else p.raw_units
        limits = tech.monthly_limits(cap.units_per_month, raw, 0,
                                     tech.labour_limit(p.person_hours, minutes))
        made = limits.loc[limits["month"].isin(p.production_months),
                          ["capacity", "raw_materials", "labour"]].min(axis=1).sum()
        units = max(1, math.floor(made))
        items = tech.equipment_table(self.data["equipment"], process)
        fixed = self.data["overheads"] + float(items["depreciation_som_year"].sum())
        variable = (p.raw_som + p.packaging_som + p.energy_som
                    + tech.labour_cost(minutes, self._lesson.wage_som_hour))
        price = round(tech.cost_plus_price(variable + fixed / units, START_MARKUP), 1)
        note = t("technology.note.no_market", units=fmt_number(units),
                 unit=t("technology.units"), price=_som(price), markup=_percent(START_MARKUP))
        return dataclasses.replace(p, som_units=float(units), prices=(price, price, price),
                                   notes=(*p.notes, note))

    def _memo(self, *key: str) -> tuple | None:
        """The key of the kernel's lesson-case inputs (the lesson tables and nothing from a
        workbook: the same for every such tool, like the worked example and «Ваш айыл аймак»
        of a lesson), or None when this tool's inputs are its own."""
        if self._own or not self.earlier.lesson:
            return None
        return (str(data_dir()), *key)

    def _scenario(self, product_id: str, scenario: str) -> tech.Scenario:
        """Process, capacity, limits and plan of the product with the scenario's equipment
        (:func:`~ovop_course.steps.technology.scenario_of`); the lesson nectar of the lesson
        case is the lesson's own (computed once for the lesson's cells and every tool)."""
        key = (product_id, scenario)
        memo = self._memo(*key)
        if key not in self._scenarios and memo is not None and memo in _LESSON:
            self._scenarios[key] = _LESSON[memo]
        if key not in self._scenarios:
            if scenario not in self._scenario_names(product_id):
                raise OvopError(t("technology.no_equipment_scenario"))
            if memo is not None and product_id == tech.LESSON_PRODUCT:
                found = tech.lesson_scenarios()[scenario]
            else:
                found = self._scenario_of(product_id, scenario)
            self._scenarios[key] = found
            if memo is not None:
                _LESSON[memo] = found
        return self._scenarios[key]

    def _scenario_of(self, product_id: str, scenario: str) -> tech.Scenario:
        p, lesson = self._product(product_id), self._lesson
        return tech.scenario_of(
            self.data["steps"], self.data["alternatives"], self.data["equipment"],
            p.person_hours, p.raw_units,
            use=self._equipped_use(product_id) if scenario == tech.EQUIPPED else (),
            product_id=product_id,
            scenario=scenario, units_per_batch=p.units_per_batch, price_som=p.prices[1],
            raw_som=p.raw_som, packaging_som=p.packaging_som, wage_som_hour=lesson.wage_som_hour,
            energy_som=p.energy_som, overheads_som_year=self.data["overheads"],
            sales=tuple(tech.demand_by_month(p.som_units, p.seasonality)),
            production_months=p.production_months, rate=lesson.rate)

    # --- controls -----------------------------------------------------------------------------
    def _first(self) -> ProductInputs | None:
        if not self.products:
            return None
        try:
            return self._product(self.products[0][1])
        except OvopError:
            return None

    def build_controls(self):
        p = self._first()
        first = self.products[0][1] if self.products else None
        scenarios = self._scenario_names(first) if first else [tech.SIMPLE]
        style, wide = shared(DescriptionStyle, **LEFT), shared_layout(width="440px")
        controls = {
            "product_id": widgets.Dropdown(
                options=[(name, pid) for name, pid in self.products], value=first,
                description=t("technology.control.product_id"), style=style, layout=wide),
            "scenario": widgets.Dropdown(
                options=[(t(f"technology.scenario.{s}"), s) for s in scenarios],
                value=tech.SIMPLE, description=t("technology.control.scenario"), style=style,
                layout=wide),
            "price_basis": widgets.Dropdown(
                options=[(t(f"technology.basis.{b}"), b) for b in (TYPED, COST_PLUS)],
                value=TYPED, description=t("technology.control.price_basis"), style=style,
                layout=wide),
            "price_som": NumberField(
                round(p.prices[1], 1) if p else 100.0, low=0.1, high=10_000_000,
                description=t("technology.control.price_som"),
                style=shared(TextStyle, **LEFT), layout=shared_layout(width="260px")),
            "markup": self._slider(START_MARKUP, 0, 3, 0.01, "markup", LEFT, 350,
                                   percent=True),
            "units_year": self._slider(*self._units_range(p), "units_year"),
            "mean_price_som": self._slider(*self._material_range(p), "mean_price_som",
                                           unit=_quantity(p.material_unit) if p else ""),
            "wage_som_hour": self._slider(self._lesson.wage_som_hour, 0, 500, 5,
                                          "wage_som_hour"),
            "rate": self._slider(round(self._lesson.rate, 4), 0, 0.5, 0.01, "rate",
                                 percent=True),
            "change": self._slider(tech.DEFAULT_CHANGE, 0.05, 0.5, 0.05, "change",
                                   percent=True),
        }
        if p is not None:
            controls["mean_price_som"].slider.tooltip = self._material_tip(p)
        controls["product_id"].observe(self._product_chosen, names="value")
        return controls

    @staticmethod
    def _slider(value, low, high, step, key, style=RIGHT, width=330, percent=False, **names):
        return SliderField(value, low=low, high=high, step=step, percent=percent,
                           description=t(f"technology.control.{key}", **names), style=style,
                           layout={"width": f"{width}px"})

    @staticmethod
    def _material_tip(p: ProductInputs) -> str:
        """Which raw material the price control is (its name is data, of any length: in the
        tooltip, not in the 200 px label)."""
        return t("technology.control.mean_price_tip", material=p.material,
                 price=_som(p.material_price), unit=_quantity(p.material_unit))

    @staticmethod
    def _units_range(p: ProductInputs | None) -> tuple[int, int, int, int]:
        """Units sold in the year: step 4's volume (whole units); up to four times it (beyond
        what the raw materials allow, to show it)."""
        som = round(p.som_units) if p else 1000
        high = int(_nice_ceiling(max(4 * som, 100)))
        return max(som, 1), 1, high, 1

    @staticmethod
    def _material_range(p: ProductInputs | None) -> tuple[float, float, float, float]:
        """The main material's price: step 2's, from 0 to about twice it."""
        price = round(p.material_price, 1) if p else 0.0
        return price, 0.0, _nice_ceiling(max(2 * price, 10)), 0.5

    def _product_chosen(self, change) -> None:
        """Another product: its price, volume and material price start from its own inputs
        (one recomputation, by the base, after this)."""
        try:
            p = self._product(change["new"])
            scenarios = self._scenario_names(change["new"])
        except (OvopError, TypeError):
            return   # the base shows the message when it computes
        c = self.controls
        self._resetting = True
        try:
            c["scenario"].options = [(t(f"technology.scenario.{s}"), s) for s in scenarios]
            c["scenario"].value = tech.SIMPLE
            c["price_som"].type(round(p.prices[1], 1))
            for key, (value, _low, high, _step) in (("units_year", self._units_range(p)),
                                                   ("mean_price_som", self._material_range(p))):
                field = c[key]
                field.high = field.field.high = high
                field.slider.max = high
                field.type(value)
            c["mean_price_som"].slider.description = t("technology.control.mean_price_som",
                                                       unit=_quantity(p.material_unit))
            c["mean_price_som"].slider.tooltip = self._material_tip(p)
        finally:
            self._resetting = False

    def _on_change(self, change) -> None:
        if not self._resetting:
            super()._on_change(change)

    def layout(self):
        c = self.controls
        price = vbox([c["product_id"], c["scenario"], c["price_basis"], c["price_som"],
                      c["markup"]], margin="0 24px 0 0")
        year = vbox([c["units_year"], c["mean_price_som"], c["wage_som_hour"], c["rate"],
                     c["change"]])
        return [self.heading(), hbox([price, year], flex_flow="row wrap"), self.message,
                self.output, self._save_button()]

    # --- calculation --------------------------------------------------------------------------
    def compute(self, product_id, scenario, price_basis, price_som, markup, units_year,
                mean_price_som, wage_som_hour, rate, change) -> TechnologyResult:
        if product_id is None:
            raise OvopError(t("technology.choose_product"))
        if price_basis not in (TYPED, COST_PLUS):
            raise OvopError(t("tool.bad_value", value=price_basis,
                              control=t("technology.control.price_basis")))
        p = self._product(product_id)
        chosen = self._scenario(product_id, scenario)
        demand = tech.demand_by_month(units_year, p.seasonality)
        raw_som = p.raw_at(mean_price_som)
        changes = {"raw_som": raw_som, "wage_som_hour": wage_som_hour, "rate": rate,
                   "sales": tuple(demand)}
        cost = self._unit_cost(chosen.plan, changes)
        cost_plus = tech.cost_plus_price(cost, markup)
        price = cost_plus if price_basis == COST_PLUS else price_som
        evaluation = tech.evaluate(chosen.plan, price_som=price, **changes)
        evaluations, refused = {}, {}
        for other in self._scenario_names(product_id):   # by hand first, as in the lesson
            if other == scenario:
                evaluations[other] = evaluation
                continue
            try:
                evaluations[other] = tech.evaluate(self._scenario(product_id, other).plan,
                                                   price_som=price, **changes)
            except OvopError as e:   # the other scenario's variable cost is above the price
                refused[other] = str(e)
        e = evaluation
        tornado = (e.tornado if change == tech.DEFAULT_CHANGE else tech.tornado(
            price, raw_som, e.plan.labour_som, e.plan.packaging_som + e.plan.energy_som,
            e.fixed_som_year, e.units_year, change))
        limits = chosen.limits(demand)
        return TechnologyResult(
            inputs=p, scenario=chosen, evaluation=e, evaluations=evaluations, refused=refused,
            tornado=tornado, change=float(change), limits=limits, price_basis=price_basis,
            markup_target=float(markup), cost_plus_price=cost_plus,
            material_price=float(mean_price_som), saved=tech.saved_results(e))

    @staticmethod
    def _unit_cost(plan: tech.Plan, changes: dict) -> float:
        """The unit cost ``V + F / Q`` at these changes, before a price is known: the units
        sold Q do not depend on the price (:func:`~ovop_course.steps.technology.year_plan`)."""
        moved = dataclasses.replace(plan, **changes)
        sold = tech.year_plan(moved.sales, moved.production_months, 1.0, 0.0, 0.0, 0.0,
                              moved.output_cap, moved.start_month).sold_units
        if sold <= 0:
            raise OvopError(t("technology.nothing_sold"))
        return moved.variable_som + moved.fixed_som_year / sold

    # --- display ------------------------------------------------------------------------------
    def _build_view(self) -> None:
        """The result area, built once: the key numbers, notes, and a tab per chart with its
        table (a table is written when its tab is open)."""
        self.key = html().add_class("ovop-tech-summary")
        self.notes = html().add_class("ovop-tech-notes")
        self.tables = {name: html().add_class(f"ovop-tech-table-{name}") for name in TABS}
        self.charts = ChartTabs(TABS, [t(f"technology.tab.{name}") for name in TABS],
                                self._chart, PICTURES_KEPT, below=self.tables, css="ovop-tech",
                                shelf=self.name)
        self.charts.widget.add_class("ovop-tech-tabs")
        self.charts.widget.observe(self._tab_opened, names="selected_index")
        self._written: dict[str, object] = {}   # tab → the result its table shows
        self.shown = [self.key, self.notes, self.charts.widget]

    def render(self, result: TechnologyResult):
        self.charts.show(result)
        self._write_open_table(result)
        self.key.value = self._key_html(result)
        self.notes.value = self._notes_html(result)
        return self.shown

    def _tab_opened(self, _change) -> None:
        self.charts.show(self.result)
        self._write_open_table(self.result)

    def _write_open_table(self, result: TechnologyResult | None) -> None:
        index = self.charts.widget.selected_index
        if result is None or index is None:
            return
        name = TABS[index]
        if self._written.get(name) is not result:
            self.tables[name].value = getattr(self, f"_{name}_html")(result)
            self._written[name] = result

    def _chart(self, tab: str, r: TechnologyResult):
        """What a tab's picture shows (its key) and how to draw its SVG."""
        e = r.evaluation
        if tab == "tornado":
            rows = tuple(r.tornado[["factor", "low_som", "high_som", "base_som"]].itertuples(
                index=False, name=None))
            return ((tab, rows, r.change), lambda: kept(TornadoChart).svg(r.tornado, r.change))
        if tab == "sheet":
            per_unit = dict(zip(e.sheet["row"], e.sheet["per_unit_som"]))
            return ((tab, tuple(per_unit.items()), e.plan.price_som),
                    lambda: to_svg(cost_figure(per_unit, e.plan.price_som)))
        if tab == "cvp":
            return ((tab, e.fixed_som_year, e.plan.price_som, e.variable_som, e.units_year),
                    lambda: to_svg(cvp_figure(e.cvp, e.break_even.units, e.units_year,
                                              e.plan.price_som)))
        if tab == "cash":
            return ((tab, tuple(e.year.table["net_som"]), e.year.start_month),
                    lambda: to_svg(cash_figure(e.year)))
        if tab == "limits":
            values = tuple(map(tuple, r.limits[list(tech.LIMITS)].to_numpy()))
            return ((tab, values), lambda: to_svg(limits_figure(r.limits)))
        flows = {t(f"technology.scenario.{s}"): list(x.flows) for s, x in r.evaluations.items()}
        return ((tab, tuple((k, tuple(v)) for k, v in flows.items())),
                lambda: to_svg(scenarios_figure(flows)))

    # the key numbers ------------------------------------------------------------------------
    def _key_html(self, r: TechnologyResult) -> str:
        e, p = r.evaluation, r.inputs
        a, year, price = e.appraisal, e.year, e.plan.price_som
        unit = t("technology.units")
        low, _, high = p.prices
        position = tech.price_position(price, low, high) if 0 < low <= high else None
        price_note = (t(f"technology.key.price_{position}", low=_som(low), high=_som(high))
                      if position else "")
        if r.price_basis == COST_PLUS:
            price_note = t("technology.key.price_cost_plus", cost=_som(e.unit_cost_som),
                           markup=_percent(r.markup_target)) + "; " + price_note
        irr = fmt_percent(a.irr) if a.irr is not None else t("technology.key.no_irr")
        payback = (t("technology.key.years", years=fmt_number(a.payback_years, 1))
                   if a.payback_years is not None else t("technology.key.never"))
        peak = (t("technology.key.peak_month", month=month_labels("long")[year.peak_month - 1])
                if year.peak_month else t("technology.key.no_deficit"))
        cells = [
            ("cost", _som(e.unit_cost_som),
             t("technology.key.cost_parts", variable=_som(e.variable_som),
               fixed=_som(e.fixed_som_year / e.units_year))),
            ("price", _som(price), price_note),
            ("margin", _som(price - e.unit_cost_som),
             t("technology.key.margin_markup", margin=fmt_percent(e.margin),
               markup=fmt_percent(e.markup))),
            ("profit", fmt_money(e.profit_year_som),
             t("technology.key.profit_units", units=fmt_number(e.units_year), unit=unit)),
            ("break_even", f"{fmt_number(e.break_even.units_whole)} {unit}",
             t("technology.key.break_even_som", amount=fmt_money(e.break_even.revenue_som))),
            ("working_capital", fmt_money(year.working_capital_som),
             t("technology.key.with_equipment", peak=peak,
               amount=fmt_money(year.peak_deficit_som))),
            ("npv", fmt_money(a.npv_som),
             t("technology.key.irr_payback", irr=irr, payback=payback,
               years=len(e.flows) - 1, rate=_percent(a.rate))),
            ("risk", fmt_money(e.money_at_risk_som), _risk_note(e)),
        ]
        rows = ""
        for pair in (cells[i:i + 2] for i in range(0, len(cells), 2)):
            rows += "<tr>" + "".join(
                f'<td class="ovop-tech-label">{escape(t(f"technology.key.{key}"))}</td>'
                f'<td class="ovop-tech-{key.replace("_", "-")}"><b>{escape(value)}</b>'
                f"<br><small>{escape(note)}</small></td>" for key, value, note in pair) + "</tr>"
        head = t("technology.key.head", product=p.product, unit=p.unit,
                 scenario=t(f"technology.scenario.{r.scenario.scenario}"))
        return (KEY_CSS + f"<h4>{escape(head)}</h4>"
                + table_box(f'<table class="ovop-table ovop-tech-key">{rows}</table>'))

    def _notes_html(self, r: TechnologyResult) -> str:
        e, p = r.evaluation, r.inputs
        unit = t("technology.units")
        warnings = []
        if e.year.lost_units > 0:   # what caps the making in the production months
            making = r.limits.loc[r.limits["month"].isin(p.production_months),
                                  ["capacity", "raw_materials", "labour"]]
            binding = dict.fromkeys(making.idxmin(axis=1))
            warnings.append(t("technology.warn.lost", units=fmt_number(e.year.lost_units),
                              unit=unit, limits=", ".join(t(f"technology.limit.{b}")
                                                          for b in binding)))
        if e.profit_year_som < 0:
            warnings.append(t("technology.warn.loss", units=fmt_number(e.units_year),
                              break_even=fmt_number(e.break_even.units_whole), unit=unit))
        if p.corridor is not None and e.plan.price_som > p.corridor[2]:
            warnings.append(t("technology.warn.shelf", price=_som(e.plan.price_som),
                              low=_som(p.corridor[0]), high=_som(p.corridor[2])))
        if e.appraisal.irr_message:
            warnings.append(e.appraisal.irr_message)
        warnings += [t("technology.warn.refused", scenario=t(f"technology.scenario.{s}"),
                       why=why) for s, why in r.refused.items()]
        warnings += list(p.notes)
        if self.uncosted:
            warnings.append(t("technology.note.uncosted", products=", ".join(self.uncosted)))
        shown = "".join(f'<div class="ovop-tech-warn">⚠ {escape(w)}</div>' for w in warnings)
        if tech.EQUIPPED not in self._scenario_names(p.product_id):
            shown += f'<p class="ovop-tech-note">{escape(t("technology.no_alternatives"))}</p>'
        source = (t("technology.from_workbook", items="; ".join(p.from_workbook))
                  if p.from_workbook else t("technology.from_lesson"))
        source += " " + t("technology.material_note", material=p.material,
                          price=_som(r.material_price), unit=_quantity(p.material_unit),
                          step2=_som(p.material_price))
        return shown + f'<p class="ovop-tech-note ovop-tech-source">{escape(source)}</p>'

    # the tabs' tables -----------------------------------------------------------------------
    def _tornado_html(self, r: TechnologyResult) -> str:
        e, change = r.evaluation, _percent(r.change)
        frame = pd.DataFrame({
            t("technology.col.low", change=change): r.tornado["low_som"].map(fmt_money),
            t("technology.col.high", change=change): r.tornado["high_som"].map(fmt_money),
            t("technology.col.swing"): r.tornado["swing_som"].map(fmt_money),
        })
        frame.index = pd.Index(r.tornado["item"].tolist())  # no header: the rows name themselves
        unit = t("technology.units")
        note = t("technology.tornado_note", price=_som(e.break_even_price_som),
                 units=fmt_number(e.units_year), break_even=fmt_number(e.break_even.units_whole),
                 unit=unit, at=_som(e.plan.price_som), base=fmt_money(e.profit_year_som))
        return _table(frame, index=True, numeric=True) + f"<p>{escape(note)}</p>"

    def _sheet_html(self, r: TechnologyResult) -> str:
        e = r.evaluation
        rows, seen = [], set()
        for row in e.sheet.itertuples():
            rows.append({t("technology.col.section"): "" if row.section in seen else row.section,
                         t("technology.col.item"): row.item,
                         t("technology.col.kind"): t(f"technology.kind.{row.kind}")
                         if row.kind else "",
                         t("technology.col.per_unit"): _som(row.per_unit_som),
                         t("technology.col.per_year"): fmt_money(row.per_year_som),
                         t("technology.col.share"): fmt_percent(row.share)})
            seen.add(row.section)
        price = e.plan.price_som
        for key, unit_value, year_value, share in (
                ("price", price, price * e.units_year, price / e.unit_cost_som),
                ("unit_profit", price - e.unit_cost_som, e.profit_year_som, e.markup)):
            rows.append({t("technology.col.section"): t("technology.section.price")
                         if key == "price" else "",
                         t("technology.col.item"): t(f"technology.row.{key}"),
                         t("technology.col.kind"): "", t("technology.col.per_unit"):
                         _som(unit_value), t("technology.col.per_year"): fmt_money(year_value),
                         t("technology.col.share"): fmt_percent(share)})
        head = t("technology.sheet_head", units=fmt_number(e.units_year),
                 unit=t("technology.units"))
        explain = tech.explain_markup(r.markup_target, e.unit_cost_som)
        formulas = t("technology.margin_formula", margin=fmt_percent(e.margin),
                     markup=fmt_percent(e.markup), price=_som(price),
                     cost=_som(e.unit_cost_som))
        return (f"<h4>{escape(head)}</h4>" + _table(pd.DataFrame(rows), numeric=False)
                + f"<p>{escape(formulas)}</p><p>{escape(explain)}</p>")

    def _cvp_html(self, r: TechnologyResult) -> str:
        e = r.evaluation
        text = t("technology.cvp_note", fixed=fmt_money(e.fixed_som_year),
                 price=_som(e.plan.price_som), variable=_som(e.variable_som),
                 units=fmt_number(e.break_even.units_whole), unit=t("technology.units"),
                 revenue=fmt_money(e.break_even.revenue_som),
                 contribution=_som(e.plan.price_som - e.variable_som))
        return f"<p>{escape(text)}</p>"

    def _cash_html(self, r: TechnologyResult) -> str:
        year = r.evaluation.year
        table = year.table
        months = month_labels()
        columns = [months[m - 1] for m in table["month"]]
        rows = {}
        for key in ("demand", "made", "sold", "stock"):
            rows[t(f"technology.cash.{key}")] = [fmt_number(v) for v in table[key]]
        spent = table["production_som"] + table["fixed_som"] + table["investment_som"]
        for key, values in (("revenue", table["revenue_som"]), ("spent", spent),
                            ("net", table["net_som"]), ("cumulative", table["cumulative_som"])):
            rows[t(f"technology.cash.{key}")] = [thousands(v) for v in values]
        frame = pd.DataFrame(rows, index=columns).T
        note = t("technology.cash_note", working=fmt_money(year.working_capital_som),
                 peak=fmt_money(year.peak_deficit_som),
                 investment=fmt_money(r.evaluation.plan.investment_som),
                 month=(month_labels("long")[year.peak_month - 1] if year.peak_month
                        else "—"))
        return (_table(frame, index=True, numeric=True, caption=t("technology.cash_head"))
                + f"<p>{escape(note)}</p>")

    def _limits_html(self, r: TechnologyResult) -> str:
        s, p = r.scenario, r.inputs
        cap = s.capacity
        operations = "; ".join(cap.bottleneck_operations)
        text = t("technology.capacity_note", batches=cap.batches_per_day,
                 day=fmt_number(cap.units_per_day), month=fmt_number(cap.units_per_month),
                 unit=t("technology.units"), operations=operations,
                 minutes=fmt_number(cap.cycle_minutes), hours=fmt_number(cap.hours_per_day, 1),
                 days=cap.working_days, labour=fmt_number(s.labour_minutes, 1))
        names = dict(zip(s.equipment["equipment_id"], s.equipment["item"]))
        steps = s.process
        process = pd.DataFrame({
            t("technology.col.step"): steps["step_no"].astype(int),
            t("technology.col.operation"): steps["operation"],
            t("technology.col.minutes"): steps["minutes"].map(fmt_number),
            t("technology.col.people"): steps["people"].astype(int),
            t("technology.col.equipment"): [names.get(code, "—") if isinstance(code, str)
                                            else "—" for code in steps["equipment_id"]],
            t("technology.col.control"): [("✔ " + rule) if point and isinstance(rule, str)
                                          else "" for point, rule in
                                          zip(steps["control_point"], steps["control_rule"])],
        })
        limits = {t(f"technology.limit.{name}"): [fmt_number(v) for v in r.limits[name]]
                  for name in tech.LIMITS}
        limits[t("technology.limit.feasible")] = [fmt_number(v) for v in r.limits["feasible"]]
        limits[t("technology.limit.binding")] = [t(f"technology.limit.short.{b}")
                                                 for b in r.limits["binding"]]
        frame = pd.DataFrame(limits, index=month_labels()).T
        seasons = ", ".join(month_labels()[m - 1] for m in p.production_months)
        return (f"<p>{escape(text)}</p>"
                + _table(process, caption=t("technology.process_head"))
                + _table(frame, index=True, numeric=True,
                         caption=t("technology.limits_head", unit=t("technology.units")))
                + f"<p>{escape(t('technology.limits_note', months=seasons))}</p>")

    def _scenarios_html(self, r: TechnologyResult) -> str:
        unit = t("technology.units")
        rows = {}
        for scenario, e in r.evaluations.items():
            a = e.appraisal
            rows[t(f"technology.scenario.{scenario}")] = {
                t("technology.cmp.investment"): fmt_money(e.plan.investment_som),
                t("technology.cmp.depreciation"): fmt_money(e.plan.depreciation_som_year),
                t("technology.cmp.labour"): fmt_number(e.plan.labour_minutes, 1),
                t("technology.cmp.capacity"): fmt_number(e.plan.capacity_units_month),
                t("technology.cmp.variable"): _som(e.variable_som),
                t("technology.cmp.unit_cost"): _som(e.unit_cost_som),
                t("technology.cmp.break_even", unit=unit): fmt_number(e.break_even.units_whole),
                t("technology.cmp.profit"): fmt_money(e.profit_year_som),
                t("technology.cmp.working_capital"): fmt_money(e.year.working_capital_som),
                t("technology.cmp.risk"): fmt_money(e.money_at_risk_som),
                t("technology.cmp.npv"): fmt_money(a.npv_som),
                t("technology.cmp.irr"): fmt_percent(a.irr) if a.irr is not None else "—",
                t("technology.cmp.payback"): (fmt_number(a.payback_years, 1)
                                              if a.payback_years is not None else "—"),
            }
        frame = pd.DataFrame(rows)
        items = r.scenario.equipment
        equipment = pd.DataFrame({
            t("technology.col.equipment"): items["item"],
            t("technology.col.level"): items["level"],
            t("technology.col.price"): items["price_som"].map(fmt_money),
            t("technology.col.life"): items["lifetime_years"].astype(int),
            t("technology.col.depreciation"): items["depreciation_som_year"].map(fmt_money),
        })
        note = t("technology.scenarios_note", price=_som(r.evaluation.plan.price_som))
        return (_table(frame, index=True, numeric=True, caption=t("technology.cmp_head"))
                + f"<p>{escape(note)}</p>"
                + _table(equipment, caption=t("technology.equipment_head",
                                              scenario=t(f"technology.scenario.{r.scenario.scenario}"))))

    # --- saving -------------------------------------------------------------------------------
    def to_section(self, result: TechnologyResult,
                   saved: TechnologySection | None) -> TechnologySection:
        if not isinstance(result, TechnologyResult) or result.evaluation.units_year <= 0:
            raise OvopError(t("technology.nothing_to_save"))
        return TechnologySection(**result.saved.as_dict())


# --- helpers -------------------------------------------------------------------------------------
QUANTITIES = {"кг": "kg", "г": "g", "л": "l", "мл": "ml", "шт": "pcs"}  # data's units → key


def _quantity(unit: str) -> str:
    """A unit of the data (кг, л, …) in the UI language."""
    return t(f"technology.qty.{QUANTITIES[unit]}") if unit in QUANTITIES else unit


def _som(value: float) -> str:
    """Som a unit: one decimal (174,3 сом)."""
    return fmt_money(value, 1)


def _minus(text: str) -> str:
    """A number written with the minus sign «−» (U+2212) in place of the hyphen «-»."""
    return text.replace("-", "\u2212")


def fmt_money(value: float, digits: int = 0) -> str:
    """:func:`ovop_course.fmt.fmt_money` with «−» for a negative amount."""
    return _minus(fmt.fmt_money(value, digits))


def fmt_number(value: float, digits: int = 0) -> str:
    """:func:`ovop_course.fmt.fmt_number` with «−» for a negative number."""
    return _minus(fmt.fmt_number(value, digits))


def fmt_percent(share: float, digits: int = 1) -> str:
    """:func:`ovop_course.fmt.fmt_percent` with «−» for a negative share."""
    return _minus(fmt.fmt_percent(share, digits))


def thousands(value: float) -> str:
    """:func:`ovop_course.charts.technology.thousands` with «−» for a negative amount."""
    return _minus(charts.thousands(value))


def _risk_note(e: tech.Evaluation) -> str:
    """What the money at risk ``max(0, I − N × s)`` is: the part of the investment I the
    sales of N months do not earn back, or — when a month's sales lose money (s < 0) — the
    investment plus the loss of those months."""
    investment, risk, months = e.plan.investment_som, e.money_at_risk_som, e.plan.risk_months
    if risk > investment:
        return t("technology.key.risk_loss", investment=fmt_money(investment),
                 loss=fmt_money(risk - investment), months=months)
    return t("technology.key.risk_left", investment=fmt_money(investment),
             earned=fmt_money(investment - risk), months=months)


def _percent(share: float) -> str:
    """A share as typed: 20 %, 12,5 % (not 20,0 %)."""
    return fmt_typed(round(share * 100, 6)) + "%"


def _table(frame: pd.DataFrame, caption: str = "", index: bool = False,
           numeric: bool = False) -> str:
    head = f"<h4>{escape(caption)}</h4>" if caption else ""
    classes = "ovop-table ovop-num" if numeric else "ovop-table"
    return table_box(head + frame.to_html(classes=classes, index=index, border=0, escape=True,
                                          justify="left"))


def _product_names() -> dict[str, str]:
    """The lesson products' names (step 3's ideas) by code."""
    return dict(zip(*load_table("lesson/product_ideas")[["idea_id", "idea"]].T.values))


def _left_out(table: pd.DataFrame | None) -> bool:
    """An optional table not given, or given without rows: the lesson's is used."""
    return table is None or (isinstance(table, pd.DataFrame) and table.empty)


def _fitting_alternatives(alternatives: pd.DataFrame | None, steps: pd.DataFrame,
                          equipment: pd.DataFrame) -> pd.DataFrame | None:
    """Other equipment for the operations of the chart ``steps``: the rows of the trainee's
    table, or of the lesson's when it is left out, whose product and step number are the
    chart's (the lesson's also only with equipment of the equipment table). None left (None):
    no other equipment, the «купить оборудование сейчас» scenario is not offered."""
    lesson = alternatives is None
    table = load_table("lesson/process_alternatives") if lesson else alternatives
    known = set(zip(steps["product_id"], steps["step_no"]))
    if isinstance(table, pd.DataFrame) and {"product_id", "step_no"} <= set(table.columns):
        fits = [(p, _step_no(n)) in known for p, n in zip(table["product_id"], table["step_no"])]
        table = table[fits]
    if isinstance(table, pd.DataFrame) and table.empty:
        return None
    table = tech.check_alternatives(table)
    if lesson:
        table = table[table["equipment_id"].isin(set(equipment["equipment_id"]))]
    return table.reset_index(drop=True) if len(table) else None


def _step_no(value: object) -> object:
    """A step number as the chart holds it (a whole number typed as text or float reads as
    one); anything else as it is, for the table's check to name."""
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        return value
    return int(number) if number.is_integer() else value


def _product_inputs(product_id: str, earlier: EarlierSteps, lesson: tech.LessonInputs,
                    seasonality: pd.DataFrame) -> ProductInputs:
    """Step 6's inputs for a product from the earlier steps: what they saved where it fits
    the product, else the lesson case (the functions of steps 1, 2, 4 and 5). The recipe and
    batch are step 5's (:func:`~ovop_course.steps.product.saved_recipe`)."""
    used, notes = [], []
    saved = earlier.recipe
    recipe, batches = saved.recipe, saved.batches
    supply = _supply(product_id, earlier.supply, recipe, used)
    lesson_cost = saved.lesson and supply.lesson   # the lesson's recipe and supply: computed once
    cost = (product.lesson_unit_cost(product_id) if lesson_cost
            else product.unit_cost(recipe, batches, product_id, supply.table))
    try:   # a material step 2 has not counted (or in pieces) sets no limit of its own
        limit = (product.lesson_batch_limit(product_id) if lesson_cost
                 else product.batch_limits(recipe, product_id, supply.table))
    except OvopError:
        limit = None
    batch = batches.set_index("product_id").loc[product_id]
    units = int(batch["units_per_batch"])
    raw_lines = cost.table[cost.table["kind"] == product.RAW]
    if raw_lines.empty:
        raise OvopError(t("technology.no_raw", product=product_id))
    main = raw_lines.loc[raw_lines["unit_cost_som"].idxmax()]
    per_unit = (float(main["unit_cost_som"]) / float(main["price_som"]) if main["price_som"] > 0
                else float(main["quantity"]) / units)
    raw_som, packaging_som = cost.raw_som, cost.packaging_som
    step5 = earlier.product if (earlier.product is not None
                                and earlier.product.product_id == product_id) else None
    if step5 is not None and step5.raw_som is not None and step5.packaging_som is not None:
        raw_som, packaging_som = float(step5.raw_som), float(step5.packaging_som)
        used.append(t("technology.used.step5", raw=_som(raw_som), packaging=_som(packaging_som)))
    raw_units = None if limit is None else float(limit.batches * units)
    if step5 is not None and step5.batches_per_month is not None and supply.lesson:
        raw_units = float(step5.batches_per_month * units)   # step 5's own reading of step 2
    if raw_units is None:
        notes.append(t("technology.note.no_raw_limit"))
    months = _season(limit.binding) if limit is not None else tuple(tech.MONTHS)
    if supply.section is not None and supply.section.production_months:
        months = tuple(sorted(supply.section.production_months))
    som_units, prices, corridor = _market(product_id, earlier.market, batch, used)
    hours = lesson.person_hours if earlier.person_hours is None else earlier.person_hours
    if earlier.person_hours is not None:
        used.append(t("technology.used.step1", hours=fmt_number(sum(hours))))
    shares = (tech.season_shares(seasonality, product_id)
              if product_id in set(seasonality["product_id"]) else None)
    kwh = float(batch["energy_kwh"])
    if not saved.lesson and product_id in set(saved.batches["product_id"]):
        used.append(t("technology.used.step5_recipe", units=units, unit=str(batch["unit_name"])))
        if math.isnan(kwh):
            notes.append(t("technology.note.no_energy"))
    names = {**_product_names(), **saved.names}
    return ProductInputs(
        product_id=product_id, product=str(names.get(product_id, product_id)),
        unit=str(batch["unit_name"]), units_per_batch=units, raw_som=raw_som,
        packaging_som=packaging_som,
        energy_som=tech.energy_cost((0.0 if math.isnan(kwh) else kwh) / units,
                                    lesson.tariff_som_kwh),
        material=str(main["ingredient"]), material_price=float(main["price_som"]),
        material_unit=str(main["price_unit"]), material_per_unit=per_unit,
        raw_units=raw_units, production_months=months,
        som_units=som_units, prices=prices, corridor=corridor, seasonality=shares,
        person_hours=[float(h) for h in hours], from_workbook=tuple(used),
        notes=tuple(notes))


def _supply(product_id: str, saved: raw_materials.SavedSupply, recipe: pd.DataFrame,
            used: list) -> raw_materials.SavedSupply:
    """Step 2's supply for the product's recipe: the saved one (its ``section`` only when its
    material is one of the recipe's) when it changes the recipe's materials and fits them,
    else the lesson case; what came from the workbook is said in ``used``."""
    materials = set(recipe.loc[recipe["product_id"] == product_id, "material_id"].dropna())
    section = saved.section
    fitted = dataclasses.replace(saved, section=None if section is None
                                 or section.material_id not in materials else section)
    try:   # a material missing, or measured in other units than the recipe's, does not fit
        limit = None if fitted.lesson else product.batch_limits(recipe, product_id, fitted.table)
    except OvopError:
        limit = None
    if limit is None:
        return raw_materials.SavedSupply(raw_materials.lesson_supply())
    shown = limit.binding if fitted.section is None else fitted.section.material_id
    row = fitted.table.set_index("material_id").loc[shown]
    price = float(row["mean_price_som"])
    used.append(t("technology.used.step2", material=row["material"] or shown,
                  supply=fmt_number(float(row["stable_supply"]), 1),
                  unit=_quantity(row["unit"] or ""), price=_som(price) if price > 0 else "—"))
    return fitted


def _season(material_id: str) -> tuple[int, ...]:
    """Step 2's lesson case: the months the material is on offer fresh (every month when it
    never is: a material bought, not gathered)."""
    months = raw_materials.lesson_inventory()[1]
    fresh = months[(months["material_id"] == material_id) & (months["supply"] == "свежее")]
    return raw_materials.check_months(fresh["month"].tolist() or list(tech.MONTHS))


def _market(product_id: str, saved: MarketSection | None, batch: pd.Series, used: list
            ) -> tuple[float | None, tuple[float, float, float] | None,
                       tuple[float, float, float] | None]:
    """Step 4's obtainable volume a year, producer prices and competitors' corridor for our
    unit: the workbook's for this product, else the lesson case's (base scenario, 5 %, no
    export); None, None, None for a product step 4 has not studied."""
    if (saved is not None and saved.product_id == product_id and saved.scenario in
            saved.scenarios and saved.price_base_som):
        som = saved.scenarios[saved.scenario].som_units
        base = saved.price_base_som
        prices = (saved.price_min_som or base, base, saved.price_max_som or base)
        corridor = None
        if (saved.unit_size and saved.unit_size_unit and saved.competitor_price_low
                and saved.competitor_median_price and saved.competitor_price_high):
            quantity, _ = market.base_quantity(saved.unit_size, saved.unit_size_unit)
            corridor = (saved.competitor_price_low * quantity,
                        saved.competitor_median_price * quantity,
                        saved.competitor_price_high * quantity)
        used.append(t("technology.used.step4", units=fmt_number(som),
                      low=_som(prices[0]), high=_som(prices[2])))
        return som, prices, corridor
    return tech.lesson_market(product_id, batch["unit_size"], batch["unit_size_unit"])
