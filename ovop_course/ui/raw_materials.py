"""Tool «raw_materials» (module 3, step 2): «есть сырьё» versus «можно производить стабильно».

By default it shows the lesson case «Чычырканак»; a trainee passes their own tables (made,
for example, with :func:`ovop_course.steps.raw_materials.inventory_from_records`)::

    ovop_course.tool("raw_materials", materials=my_materials, months=my_months,
                     products=my_products)

``products`` (optional) has ``product``, ``unit_name``, ``material_id``, ``material_per_unit``
(material per unit of product). The controls choose the material, the production months,
storage (on or off, its life and monthly loss), the planned monthly use and the product; each
control has the name and the unit of the workbook field its value is saved to
(``material_id``, ``production_months``, ``storage``, ``storage_life_days``,
``storage_loss_share`` — a share, which the slider shows in percent —, ``planned_use``,
``product``). Under the summary and the risks, three tabs hold the charts: the supply chart,
the seasonal calendar and the prices. Only the open tab's chart is drawn, and only when its
inputs changed (the supply chart does not depend on the storage switch or the product); a
chart drawn before for the same inputs comes from a small cache. Saving writes the section
``step02_raw_materials`` of the workbook (step 6 reads the stable supply and the output).
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import pandas as pd

from ..charts import kept, to_svg
from ..charts.raw_materials import SeasonChart, SupplyChart, price_figure
from ..errors import OvopError
from ..fmt import fmt_money, fmt_number, fmt_percent, fmt_typed, month_labels
from ..i18n import t
from ..steps import raw_materials
from ..workbook import RawMaterialsSection
from ._base import LABEL_STYLE, Tool, table_box
from ._chart_tabs import ChartTabs
from ._inputs import NumberField, SliderField
from ._own_data import OwnTable
from ._registry import register
from ._shared import checkbox, hbox, html, shared_layout, vbox

WIDTH = "430px"
DEFAULT_MATERIAL = "sea_buckthorn_garden"
DEFAULT_USE = 500.0
PICTURES_KEPT = 64  # SVGs of about 40 kB: at most ~3 MB
TABS = ("supply", "season", "price")


def _first_product(options: list[tuple[str, str]]) -> str:
    """The first product that uses the material, else «no product» ("")."""
    return options[1][1] if len(options) > 1 else ""


@register
class RawMaterialsTool(Tool):
    """Seasonal supply of local raw materials, the stable monthly supply and its risks."""

    name = "raw_materials"
    section = "step02_raw_materials"
    own_tables = {
        "materials": OwnTable(raw_materials.InventoryMaterial, readme="lesson/raw_materials"),
        "months": OwnTable(raw_materials.InventoryMonth, readme="lesson/raw_material_months"),
        "products": OwnTable(raw_materials.ProductUse, required=False,
                             readme="lesson/product_batches"),
    }

    def __init__(self, workbook_path=None, *, materials: pd.DataFrame | None = None,
                 months: pd.DataFrame | None = None, products: pd.DataFrame | None = None,
                 lesson: bool = False):
        self._syncing = False
        self._summary = html().add_class("ovop-raw-summary")
        self._risks = html().add_class("ovop-raw-risks")
        self._charts = self._chart_tabs()
        try:
            self.load(**self.start_tables(workbook_path, lesson, materials=materials,
                                          months=months,
                                          products=products))
        except OvopError as e:  # shown in the tool, not as a traceback in the notebook
            self.data_error = str(e)
            self.materials = self.months = self.products = None
        super().__init__(workbook_path)

    def _chart_tabs(self) -> ChartTabs:
        charts = ChartTabs(TABS, [t(f"raw_materials.tab.{kind}") for kind in TABS],
                           self._chart, PICTURES_KEPT, css="ovop-raw")
        charts.widget.add_class("ovop-raw-tabs")
        charts.widget.observe(lambda _change: charts.show(self.result), names="selected_index")
        return charts

    def load(self, materials=None, months=None, products=None) -> None:
        """The lesson case (neither inventory table given) or the trainee's tables, checked."""
        if materials is None and months is None:
            materials, months = raw_materials.lesson_inventory()
            products = raw_materials.lesson_products() if products is None else products
        checked = raw_materials.check_inventory(materials, months)
        products = raw_materials.check_products(products) if products is not None else None
        (self.materials, self.months), self.products = checked, products
        if self.__dict__.get("controls") is not None:  # charts kept by material id: new tables
            self._charts = self._chart_tabs()

    def lesson_tables(self) -> dict[str, pd.DataFrame]:
        materials, months = raw_materials.lesson_inventory()
        return {"materials": materials, "months": months,
                "products": raw_materials.lesson_products()}

    @property
    def title(self) -> str:
        return t("raw_materials.title")

    # --- controls -----------------------------------------------------------------------
    def _material(self, material_id: str) -> pd.Series | None:
        if self.materials is None:
            return None
        found = self.materials[self.materials["material_id"] == material_id]
        return None if found.empty else found.iloc[0]

    def _product_options(self, material_id: str | None) -> list[tuple[str, str]]:
        options = [(t("raw_materials.no_product"), "")]
        if self.products is not None:
            rows = self.products[self.products["material_id"] == material_id]
            options += [(f"{p} ({u})", str(p)) for p, u in zip(rows["product"], rows["unit_name"])]
        return options

    def build_controls(self):
        ids = [] if self.materials is None else list(self.materials["material_id"])
        first = DEFAULT_MATERIAL if DEFAULT_MATERIAL in ids else (ids[0] if ids else None)
        names = [] if self.materials is None else list(self.materials["material"])
        row = self._material(first)
        products = self._product_options(first)
        return {
            "material_id": widgets.Dropdown(options=list(zip(names, ids)), value=first,
                                            description=t("raw_materials.control.material_id"),
                                            style=LABEL_STYLE,
                                            layout=shared_layout(width=WIDTH)),
            "production_months": widgets.SelectMultiple(
                options=list(zip(month_labels(), raw_materials.MONTHS)),
                value=raw_materials.MONTHS, rows=12,
                description=t("raw_materials.control.production_months"), style=LABEL_STYLE,
                layout=shared_layout(width="230px")),
            "storage": checkbox(True, t("raw_materials.control.storage")),
            "storage_life_days": NumberField(
                int(row["storage_life_days"]) if row is not None else 30, low=1, whole=True,
                description=t("raw_materials.control.storage_life_days"), style=LABEL_STYLE,
                layout=shared_layout(width="260px")),
            "storage_loss_share": SliderField(
                0, low=0, high=0.2, step=0.005, percent=True, style=LABEL_STYLE,
                layout=shared_layout(width=WIDTH),
                description=t("raw_materials.control.storage_loss_share")),
            "planned_use": NumberField(DEFAULT_USE, low=0, style=LABEL_STYLE,
                                       layout=shared_layout(width=WIDTH),
                                       description=t("raw_materials.control.planned_use")),
            "product": widgets.Dropdown(options=products, value=_first_product(products),
                                        description=t("raw_materials.control.product"),
                                        style=LABEL_STYLE, layout=shared_layout(width=WIDTH)),
        }

    def layout(self):
        c = self.controls
        left = vbox([c["material_id"], c["storage"], c["storage_life_days"],
                             c["storage_loss_share"], c["planned_use"], c["product"]])
        return [self.heading(),
                hbox([left, c["production_months"]]), self.message, self.output,
                self._save_button()]

    def _on_change(self, change) -> None:
        """A new material brings its own storage life and products; recompute once."""
        if self._syncing:
            return
        if change["owner"] is self.controls["material_id"]:
            self._syncing = True
            try:
                row = self._material(change["new"])
                if row is not None:
                    self.controls["storage_life_days"].type(int(row["storage_life_days"]))
                options = self._product_options(change["new"])
                self.controls["product"].options = options
                self.controls["product"].value = _first_product(options)
            finally:
                self._syncing = False
        self.refresh()

    # --- calculation --------------------------------------------------------------------
    def compute(self, material_id, production_months, storage, storage_life_days,
                storage_loss_share, planned_use, product):
        chosen = None
        if product and self.products is not None:
            rows = self.products[(self.products["product"] == product)
                                 & (self.products["material_id"] == material_id)]
            chosen = rows.iloc[0].to_dict() if not rows.empty else None
        return raw_materials.analyse_checked(
            self.materials, self.months, material_id, production_months=production_months,
            storage=bool(storage), storage_life_days=storage_life_days,
            storage_loss_share=storage_loss_share, planned_use=planned_use, product=chosen)

    # --- display ------------------------------------------------------------------------
    def render(self, result: raw_materials.RawMaterialAnalysis):
        """The same widgets every time: new text, and the open tab's chart if it changed."""
        self._summary.value = self._summary_html(result)
        self._risks.value = self._risks_html(result)
        self._charts.show(result)
        return [self._summary, self._risks, self._charts.widget]

    def _chart(self, kind: str, a: raw_materials.RawMaterialAnalysis):
        """What a tab's chart shows (the supply chart shows both storage modes and no
        product), and how to draw its SVG (the supply chart and the calendar are kept
        figures, redrawn in place)."""
        if kind == "supply":
            return ((kind, a.material_id, a.production_months, a.life_months,
                     a.storage_loss_share, a.planned_use),
                    lambda: to_svg(kept(SupplyChart).show(a)))
        if kind == "season":
            return (kind, a.material), lambda: kept(SeasonChart).svg(
                raw_materials.season_table(self.materials, self.months),
                list(self.materials["unit"]), a.material)
        return (kind, a.material_id), lambda: to_svg(price_figure(a.price_som, a.material,
                                                                   a.unit))

    def _summary_html(self, a: raw_materials.RawMaterialAnalysis) -> str:
        def amount(value: float) -> str:
            return t("raw_materials.summary.amount", value=fmt_number(value), unit=a.unit)

        with_storage = t("raw_materials.summary.with_storage", months=a.life_months,
                         loss=fmt_percent(a.storage_loss_share))
        if a.life_months == 1:
            with_storage += f" — {t('raw_materials.summary.short_life')}"
        short = [month_labels()[m - 1]
                 for m, s in zip(raw_materials.MONTHS, a.plan["shortage"]) if s > 1e-6]
        plan = (t("raw_materials.summary.plan_short", months=", ".join(short)) if short
                else t("raw_materials.summary.plan_ok"))
        if a.max_monthly_output is None:
            output = (t("raw_materials.control.product"), t("raw_materials.summary.no_output"))
        else:
            output = (t("raw_materials.summary.output", product=escape(a.product)),
                      t("raw_materials.summary.output_value",
                        units=fmt_number(a.max_monthly_output), unit_name=escape(a.product_unit),
                        per_unit=fmt_number(a.material_per_unit, 3), unit=a.unit))
        price = (t("raw_materials.summary.no_price") if a.mean_price_som is None else
                 t("raw_materials.summary.per_unit_price", price=fmt_money(a.mean_price_som),
                   unit=a.unit))
        mode = t("raw_materials.summary.mode_storage" if a.storage
                 else "raw_materials.summary.mode_fresh")
        rows = [
            (t("raw_materials.summary.year", share=fmt_percent(a.sustainable_share, 0)),
             amount(sum(a.supply))),
            (t("raw_materials.summary.no_storage"), amount(a.stable_supply_no_storage)),
            (with_storage, amount(a.stable_supply_with_storage)),
            (t("raw_materials.summary.mode", mode=mode), f"<b>{amount(a.stable_supply)}</b>"),
            output,
            # the planned use as typed (12,5 кг is not shown as 12)
            (t("raw_materials.summary.plan", use=fmt_typed(a.planned_use), unit=a.unit), plan),
            (t("raw_materials.summary.mean_price"), price),
        ]
        body = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows)
        return table_box(f'<table class="ovop-table">{body}</table>')

    @staticmethod
    def _risks_html(a: raw_materials.RawMaterialAnalysis) -> str:
        head = f"<h4>{t('raw_materials.risks.title')}</h4>"
        if not a.risks:
            return head + f"<p>✔ {t('raw_materials.risks.none')}</p>"
        items = "".join(f"<li>⚠ {escape(r.message)}</li>" for r in a.risks)
        return head + f"<ul>{items}</ul>"

    # --- saving -------------------------------------------------------------------------
    def to_section(self, result: raw_materials.RawMaterialAnalysis,
                   saved: RawMaterialsSection | None) -> RawMaterialsSection:
        a = result
        return RawMaterialsSection(
            material_id=a.material_id, material=a.material, unit=a.unit,
            production_months=list(a.production_months), storage=a.storage,
            storage_life_days=a.storage_life_days, storage_loss_share=a.storage_loss_share,
            planned_use=a.planned_use, stable_supply_no_storage=a.stable_supply_no_storage,
            stable_supply_with_storage=a.stable_supply_with_storage,
            stable_supply=a.stable_supply, product=a.product, product_unit=a.product_unit,
            material_per_unit=a.material_per_unit, max_monthly_output=a.max_monthly_output,
            risks={r.kind: r.message for r in a.risks}, mean_price_som=a.mean_price_som)
