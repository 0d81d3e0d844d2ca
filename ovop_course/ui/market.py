"""Step 4 tool «market»: segments → TAM, SAM, SOM in three scenarios, and competitors' prices.

Controls: the product, the scenario, the obtainable share of SAM (%), a tick per segment the
group can reach and a tick «EAEU requirements met». Data: the lesson tables by default; a
trainee passes their own::

    ovop_course.tool("market", segments=my_segments, competitors=my_prices, products=my_units)

Saves to the workbook's ``step04_market``: the product and its unit, TAM/SAM/SOM of every
scenario, the reachable segments, the producer price range and the competitors' prices per kg
or litre (steps 6 and 11 read them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

import ipywidgets as widgets
import pandas as pd

from .. import market as mk
from ..charts import to_png
from ..charts.market import competitor_prices_figure, funnel_figure, segments_figure
from ..data import load_table
from ..errors import OvopError
from ..fmt import fmt_money, fmt_number, fmt_percent
from ..i18n import t
from ..workbook import MarketFunnelRecord, MarketSection
from .base import Tool
from .registry import register

REACH = "reach_"  # prefix of the per-segment tick boxes in ``controls``
STYLE = {"description_width": "initial"}


@dataclass(frozen=True)
class MarketResult:
    """Everything the tool shows and saves for one set of control values."""

    product_id: str
    product: str
    unit_name: str
    unit_size: float
    unit_size_unit: str
    scenario: str
    obtainable_share: float
    requirements_met: bool
    table: pd.DataFrame
    reach: mk.Reach
    funnels: dict[str, mk.Funnel]
    prices: mk.PriceRange
    competitors: pd.DataFrame
    summary: mk.PriceSummary
    base_unit: str
    corridor: tuple[float, float, float]

    @property
    def funnel(self) -> mk.Funnel:
        return self.funnels[self.scenario]

    def shelf_price_per_unit(self, segments=None) -> dict[str, float]:
        """Buyer's price in each segment (default: every segment), som per kg or l."""
        quantity, _ = mk.base_quantity(self.unit_size, self.unit_size_unit)
        segments = self.table.index if segments is None else segments
        return {self.table.loc[s, "segment"]: self.table.loc[s, "price_som"] / quantity
                for s in segments}


def _lesson_products() -> pd.DataFrame:
    """Selling units of the lesson products (product_batches) with their names (product_ideas)."""
    names = load_table("lesson/product_ideas").set_index("idea_id")["idea"]
    units = load_table("lesson/product_batches")
    return units.assign(product=units["product_id"].map(names))


@register
class MarketTool(Tool):
    """Market sizing by segment (TAM/SAM/SOM) and the competitor price survey."""

    name = "market"
    saves = True

    def __init__(self, workbook_path=None, segments: pd.DataFrame | None = None,
                 competitors: pd.DataFrame | None = None, products: pd.DataFrame | None = None):
        self.data_error: str | None = None
        try:
            self.segments = mk.check_segments(
                load_table("lesson/market_segments") if segments is None else segments)
            self.competitors = mk.check_competitors(
                load_table("lesson/competitor_prices") if competitors is None else competitors)
            self.products = mk.check_products(
                _lesson_products() if products is None else products)
        except OvopError as e:  # shown in the tool, not as a traceback in the notebook
            self.data_error = str(e)
            self.segments = self.competitors = self.products = None
        self._png: dict[tuple, bytes] = {}
        super().__init__(workbook_path)

    @property
    def title(self) -> str:
        return t("market.title")

    # --- controls -----------------------------------------------------------------------
    def _product_options(self) -> list[tuple[str, str]]:
        if self.segments is None:
            return []
        ids = dict.fromkeys(self.segments["product_id"])
        names = self.products["product"] if self.products is not None else {}
        return [(str(names.get(p, p)), p) for p in ids]

    def _segment_names(self) -> dict[str, str]:
        if self.segments is None:
            return {}
        return dict(zip(self.segments["segment_id"], self.segments["segment"]))

    def build_controls(self):
        options = self._product_options()
        controls = {
            "product": widgets.Dropdown(options=options, value=options[0][1] if options else None,
                                        description=t("market.product"), style=STYLE,
                                        layout=widgets.Layout(width="480px")),
            "scenario": widgets.Dropdown(
                options=[(t(f"market.scenario.{s}", factor=fmt_number(k, 1)), s)
                         for s, k in mk.SCENARIOS.items()],
                value="base", description=t("market.scenario"), style=STYLE),
            "share_pct": widgets.FloatSlider(value=5, min=0.5, max=20, step=0.5,
                                             description=t("market.share"), style=STYLE,
                                             readout_format=".1f", continuous_update=False,
                                             layout=widgets.Layout(width="680px")),
            "requirements_met": widgets.Checkbox(value=False, style=STYLE, indent=False,
                                                 description=t("market.requirements_met"),
                                                 layout=widgets.Layout(width="auto")),
        }
        export = set()
        if self.segments is not None:
            export = set(self.segments.loc[self.segments["entry_requirements"] != "",
                                           "segment_id"])
        for sid, name in self._segment_names().items():
            controls[REACH + sid] = widgets.Checkbox(value=sid not in export, description=name,
                                                     indent=False, style=STYLE,
                                                     layout=widgets.Layout(width="auto",
                                                                           margin="2px 18px 2px 0"))
        return controls

    def layout(self):
        c = self.controls
        ticks = [w for k, w in c.items() if k.startswith(REACH)]
        return [
            widgets.HTML(f"<h3>{escape(self.title)}</h3>"),
            widgets.HBox([c["product"], c["scenario"]]),
            c["share_pct"],
            widgets.HTML(f"<b>{t('market.reachable')}</b>"),
            widgets.HBox(ticks, layout=widgets.Layout(flex_flow="row wrap")),
            c["requirements_met"],
            self.message, self.output, self._save_button(),
        ]

    # --- calculation --------------------------------------------------------------------
    def compute(self, product, scenario, share_pct, requirements_met, **ticks) -> MarketResult:
        if self.data_error:
            raise OvopError(self.data_error)
        if product is None:
            raise OvopError(t("market.choose_product"))
        share = mk.check_obtainable_share(share_pct / 100)
        table = mk.segment_table(self.segments, product, scenario)
        chosen = [key.removeprefix(REACH) for key, on in ticks.items() if on]
        reach = mk.split_reachable(table, [s for s in chosen if s in table.index],
                                   bool(requirements_met))
        prices = mk.producer_price_range(table, reach.included)
        funnels = mk.scenario_funnels(self.segments, product, reach.included, share)
        competitors = mk.competitor_table(self.competitors, product)
        summary = mk.price_summary(competitors["price_per_unit"])
        base_unit = competitors["base_unit"].iloc[0]
        if product not in self.products.index:
            raise OvopError(t("market.no_unit", product=product))
        unit = self.products.loc[product]
        corridor = mk.unit_price_corridor(summary, base_unit, unit["unit_size"],
                                          unit["unit_size_unit"])
        return MarketResult(
            product_id=product, product=str(unit["product"]), unit_name=str(unit["unit_name"]),
            unit_size=float(unit["unit_size"]), unit_size_unit=str(unit["unit_size_unit"]),
            scenario=scenario, obtainable_share=share, requirements_met=bool(requirements_met),
            table=table, reach=reach, funnels=funnels, prices=prices, competitors=competitors,
            summary=summary, base_unit=base_unit, corridor=corridor)

    # --- display ------------------------------------------------------------------------
    def render(self, result: MarketResult):
        return [
            widgets.HTML(self._summary_html(result)).add_class("ovop-market-summary"),
            self._image(("funnel", result.product_id, result.scenario, result.reach.included,
                         result.obtainable_share),
                        lambda: funnel_figure(result.funnel, t("market.units"),
                                              t(f"market.scenario.{result.scenario}",
                                                factor=fmt_number(mk.SCENARIOS[result.scenario], 1)))),
            widgets.HTML(self._scenarios_html(result)),
            self._image(("segments", result.product_id, result.scenario, result.reach.included,
                         tuple(result.reach.blocked)),
                        lambda: segments_figure(result.table, result.reach.included,
                                                result.reach.blocked, t("market.units"))),
            widgets.HTML(self._segments_html(result)),
            widgets.HTML(f"<h4>{t('market.competitors_heading')}</h4>"),
            self._image(("prices", result.product_id),
                        lambda: competitor_prices_figure(result.competitors, result.summary,
                                                         result.base_unit,
                                                         result.shelf_price_per_unit())),
            widgets.HTML(self._competitors_html(result)),
        ]

    def _image(self, key: tuple, build) -> widgets.Image:
        """A chart as PNG; identical inputs reuse the PNG made before (keeps the tool quick)."""
        if key not in self._png:
            self._png[key] = to_png(build())
        return widgets.Image(value=self._png[key], format="png",
                             layout=widgets.Layout(max_width="100%"))

    def _summary_html(self, r: MarketResult) -> str:
        f = r.funnel
        lines = [t("market.summary_som", units=fmt_number(f.som_units), unit=escape(r.unit_name),
                   share=fmt_percent(r.obtainable_share), sam=fmt_number(f.sam_units),
                   revenue=fmt_money(f.som_producer_som)),
                 t("market.summary_prices", low=_price(r.prices.low),
                   base=_price(r.prices.base), high=_price(r.prices.high),
                   unit=escape(r.unit_name))]
        if r.reach.blocked:
            names = ", ".join(r.table.loc[s, "segment"] for s in r.reach.blocked)
            needs = "; ".join(dict.fromkeys(r.reach.blocked.values()))
            lines.append("⚠ " + t("market.blocked", segments=escape(names),
                                  requirements=escape(needs)))
        lines += ["⚠ " + w for w in self._price_warnings(r)]
        return "".join(f"<p>{line}</p>" for line in lines)

    def _price_warnings(self, r: MarketResult) -> list[str]:
        """Segments whose buyer's price per kg or l lies outside all competitors' prices."""
        warnings = []
        for name, price in r.shelf_price_per_unit(r.reach.included).items():
            key = ("market.above_all" if price > r.summary.max
                   else "market.below_all" if price < r.summary.min else None)
            if key:
                warnings.append(t(key, segment=escape(name), price=fmt_number(price),
                                  unit=r.base_unit, low=fmt_number(r.summary.min),
                                  high=fmt_number(r.summary.max)))
        return warnings

    def _scenarios_html(self, r: MarketResult) -> str:
        rows = {t(f"market.scenario.{s}", factor=fmt_number(mk.SCENARIOS[s], 1)): {
            t("market.col.tam_units"): fmt_number(f.tam_units),
            t("market.col.sam_units"): fmt_number(f.sam_units),
            t("market.col.som_units"): fmt_number(f.som_units),
            t("market.col.som_som"): fmt_money(f.som_som),
            t("market.col.som_producer"): fmt_money(f.som_producer_som),
        } for s, f in r.funnels.items()}
        return _html_table(pd.DataFrame(rows).T, t("market.scenarios_heading",
                                                    unit=escape(r.unit_name)))

    def _segments_html(self, r: MarketResult) -> str:
        tb = r.table
        status = {s: t("market.status.included") if s in r.reach.included
                  else t("market.status.blocked") if s in r.reach.blocked
                  else t("market.status.left_out") for s in tb.index}
        frame = pd.DataFrame({
            t("market.col.segment"): tb["segment"],
            t("market.col.people"): tb["people"].map(fmt_number),
            t("market.col.buyers"): tb["buyers"].map(fmt_number),
            t("market.col.volume"): tb["volume_units"].map(fmt_number),
            t("market.col.price"): tb["price_som"].map(_price),
            t("market.col.margin"): tb["channel_margin"].map(fmt_percent),
            t("market.col.producer_price"): tb["producer_price_som"].map(_price),
            t("market.col.value"): tb["value_som"].map(fmt_money),
            t("market.col.status"): pd.Series(status),
        })
        return _html_table(frame, t("market.segments_heading"), index=False)

    def _competitors_html(self, r: MarketResult) -> str:
        c = r.competitors
        frame = pd.DataFrame({
            t("market.col.competitor"): c["seller"],
            t("market.col.where"): c["where_sold"],
            t("market.col.pack"): [f"{fmt_number(s, 0 if s == int(s) else 1)} {u}"
                                   for s, u in zip(c["pack_size"], c["pack_unit"])],
            t("market.col.pack_price"): c["price_som"].map(fmt_money),
            t("market.col.per_unit", unit=r.base_unit): c["price_per_unit"].map(fmt_money),
        })
        s = r.summary
        low, mid, high = r.corridor
        note = t("market.price_summary", unit=r.base_unit, min=fmt_money(s.min),
                 q1=fmt_money(s.q1), median=fmt_money(s.median), q3=fmt_money(s.q3),
                 max=fmt_money(s.max), count=s.count)
        corridor = t("market.corridor", unit=escape(r.unit_name), low=fmt_money(low),
                     median=fmt_money(mid), high=fmt_money(high))
        return _html_table(frame, "", index=False) + f"<p>{note}</p><p>{corridor}</p>"

    # --- saving -------------------------------------------------------------------------
    def save_to(self, workbook, result: MarketResult):
        previous = workbook.step04_market
        workbook.step04_market = MarketSection(
            updated_at=datetime.now().replace(microsecond=0),
            notes=previous.notes if previous else "",
            product_id=result.product_id, product=result.product, unit=result.unit_name,
            unit_size=result.unit_size, unit_size_unit=result.unit_size_unit,
            scenario=result.scenario, obtainable_share=result.obtainable_share,
            reachable_segments=list(result.reach.included),
            requirements_met=result.requirements_met,
            scenarios={s: MarketFunnelRecord(**f.as_dict()) for s, f in result.funnels.items()},
            price_min_som=result.prices.low, price_base_som=result.prices.base,
            price_max_som=result.prices.high, price_unit=result.base_unit,
            competitor_median_price=result.summary.median,
            competitor_price_low=result.summary.q1, competitor_price_high=result.summary.q3,
        )


def _price(value: float) -> str:
    """A price in som: whole som, or with one decimal when it has one (172,5 сом)."""
    return fmt_money(value, 0 if abs(value - round(value)) < 0.05 else 1)


def _html_table(frame: pd.DataFrame, caption: str, index: bool = True) -> str:
    head = f"<h4>{caption}</h4>" if caption else ""
    return head + frame.to_html(index=index, escape=True, border=0,
                                classes="ovop-table", justify="left")
