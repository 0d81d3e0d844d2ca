"""Step 4 tool «market»: segments → TAM, SAM, SOM in three scenarios, and competitors' prices.

Controls: the product, the scenario, the obtainable share of SAM (a share, shown in %), a tick
per segment the group can reach and a tick «EAEU requirements met». Data: the lesson tables by
default; a trainee passes their own::

    ovop_course.tool("market", segments=my_segments, competitors=my_prices, products=my_units)

The products step 3 shortlisted come first in the list, and the tool opens on the first of them
that has market data: the shortlist saved in the trainee's workbook (``step03_ideas``), else the
lesson case's (step 3 with its starting weights). The other products stay selectable.

Results sit in three tabs (funnel, segments, competitors' prices); a tab's chart is drawn only
while that tab is open, and every picture is kept for the inputs it was drawn from. The funnel,
redrawn at almost every change, is a kept figure whose bars and labels are moved
(:class:`~ovop_course.charts.market.FunnelChart`).

Saves to the workbook's ``step04_market``: the product and its unit, TAM/SAM/SOM of every
scenario, the reachable segments, the producer price range and the competitors' prices per kg
or litre (steps 6 and 11 read them).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd

from ..charts import kept, to_svg
from ..charts.market import FunnelChart, competitor_prices_figure, segments_figure
from ..data import load_table
from ..errors import OvopError
from ..fmt import fmt_money, fmt_number, fmt_percent
from ..i18n import t
from ..steps import ideas, market
from ..workbook import MarketFunnelRecord, MarketSection
from ._base import LABEL_STYLE, Tool, html_table
from ._chart_tabs import ChartTabs
from ._inputs import SliderField
from ._own_data import OwnTable
from ._registry import register
from ._shared import checkbox, hbox, html, shared_layout

REACH = "reach_"  # prefix of the per-segment tick boxes in ``controls``
TABS = ("funnel", "segments", "prices")
PICTURES_KEPT = 60  # charts kept for inputs seen before (the oldest is dropped beyond this)


@dataclass(frozen=True)
class ProductMarket:
    """What depends on the product alone: its segments in every scenario, its competitors'
    prices (som per ``price_unit``, кг or л) and its selling unit (its row of the products
    table; computed once per product)."""

    tables: dict[str, pd.DataFrame]
    competitors: pd.DataFrame
    summary: market.PriceSummary
    price_unit: str
    selling_unit: pd.Series
    corridor: tuple[float, float, float]


@dataclass(frozen=True)
class MarketResult:
    """Everything the tool shows and saves for one set of control values."""

    product_id: str
    product: str
    unit: str
    unit_size: float
    unit_size_unit: str
    scenario: str
    obtainable_share: float
    requirements_met: bool
    table: pd.DataFrame
    reach: market.Reach
    funnels: dict[str, market.Funnel]
    prices: market.PriceRange
    competitors: pd.DataFrame
    summary: market.PriceSummary
    price_unit: str
    corridor: tuple[float, float, float]

    @property
    def funnel(self) -> market.Funnel:
        return self.funnels[self.scenario]

    def shelf_price_per_unit(self, segments=None) -> dict[str, float]:
        """Buyer's price in each segment (default: every segment), som per kg or l."""
        quantity, _ = market.base_quantity(self.unit_size, self.unit_size_unit)
        segments = self.table.index if segments is None else segments
        return {self.table.loc[s, "segment"]: self.table.loc[s, "price_som"] / quantity
                for s in segments}


def _lesson_products() -> pd.DataFrame:
    """Selling units of the lesson products (product_batches) with their names (product_ideas)."""
    names = load_table("lesson/product_ideas").set_index("idea_id")["idea"]
    units = load_table("lesson/product_batches")
    return units.assign(product=units["product_id"].map(names))


def _scenario_name(scenario: str) -> str:
    """A scenario as the trainee reads it: «базовый (×1)»."""
    return t(f"market.scenario.{scenario}", factor=fmt_number(market.SCENARIOS[scenario], 1))


@register
class MarketTool(Tool):
    """Market sizing by segment (TAM/SAM/SOM) and the competitor price survey."""

    name = "market"
    section = "step04_market"
    own_tables = {"segments": OwnTable("lesson/market_segments", fill=("channel",)),
                  "competitors": OwnTable(market.SurveyPrice, required=False,
                                           readme="lesson/competitor_prices"),
                  "products": OwnTable(market.SellingUnit, required=False,
                                        readme="lesson/product_batches")}

    def __init__(self, workbook_path=None, segments: pd.DataFrame | None = None,
                 competitors: pd.DataFrame | None = None, products: pd.DataFrame | None = None,
                 lesson: bool = False):
        self._workbook_path = workbook_path
        try:
            self.load(**self.start_tables(workbook_path, lesson, segments=segments,
                                          competitors=competitors, products=products))
        except OvopError as e:  # shown in the tool, not as a traceback in the notebook
            self.data_error = str(e)
            self.segments = self.competitors = self.products = None
            self.shortlist, self.shortlist_source = self._shortlist(workbook_path)
            self._markets: dict[str, ProductMarket] = {}
            self._build_view()
        super().__init__(workbook_path)

    def load(self, segments=None, competitors=None, products=None) -> None:
        """The trainee's tables, each one not given taken from the lesson case, checked; the
        products step 3 shortlisted come first (:meth:`_shortlist`)."""
        checked = (
            market.check_segments(
                load_table("lesson/market_segments") if segments is None else segments),
            market.check_competitors(
                load_table("lesson/competitor_prices") if competitors is None else competitors),
            market.check_products(_lesson_products() if products is None else products))
        self.segments, self.competitors, self.products = checked
        self.shortlist, self.shortlist_source = self._shortlist(self._workbook_path)
        self._markets = {}
        self._build_view()  # the charts are kept by product id: new tables, new pictures

    def lesson_tables(self) -> dict[str, pd.DataFrame]:
        return {"segments": load_table("lesson/market_segments"),
                "competitors": load_table("lesson/competitor_prices"),
                "products": _lesson_products()}

    @property
    def title(self) -> str:
        return t("market.title")

    # --- the step 3 shortlist -------------------------------------------------------------
    def _market_ids(self) -> list[str]:
        """Products that have market segments, in the order of the segments table."""
        return [] if self.segments is None else list(dict.fromkeys(self.segments["product_id"]))

    def _shortlist(self, path) -> tuple[list[tuple[str, str]], str | None]:
        """The shortlist that orders the products: the workbook's if one of its ideas has
        market data, else the lesson case's if one of its ideas has; else none."""
        known = set(self._market_ids())
        if not known:
            return [], None
        for source, read in (("workbook", lambda: ideas.saved_shortlist(path)),
                             ("lesson", ideas.lesson_shortlist)):
            shortlist = read()
            if any(idea_id in known for idea_id, _ in shortlist):
                return shortlist, source
        return [], None

    # --- controls -----------------------------------------------------------------------
    def _product_options(self) -> list[tuple[str, str]]:
        """Shortlisted products with market data first (best first, with their place), then
        the others in the order of the segments table."""
        ids = self._market_ids()
        names = self.products["product"] if self.products is not None else {}
        place = {idea_id: rank for rank, (idea_id, _) in enumerate(self.shortlist, start=1)
                 if idea_id in ids}
        ordered = sorted(ids, key=lambda p: place.get(p, len(ids) + 1))
        return [(t("market.shortlisted", product=names.get(p, p), rank=place[p]) if p in place
                 else str(names.get(p, p)), p) for p in ordered]

    def _shortlist_html(self) -> str:
        """Which products step 3 shortlisted and where that list comes from (empty if none)."""
        if not self.shortlist:
            return ""
        ids = set(self._market_ids())
        ideas_text = "; ".join(escape(name) + ("" if idea_id in ids
                                               else f" ({t('market.no_market_data')})")
                               for idea_id, name in self.shortlist)
        return "<p>" + t("market.shortlist", ideas=ideas_text,
                         source=t(f"market.shortlist.{self.shortlist_source}")) + "</p>"

    def _segment_names(self) -> dict[str, str]:
        if self.segments is None:
            return {}
        return dict(zip(self.segments["segment_id"], self.segments["segment"]))

    def build_controls(self):
        options = self._product_options()
        controls = {
            "product_id": widgets.Dropdown(
                options=options, value=options[0][1] if options else None,
                description=t("market.product_id"), style=LABEL_STYLE,
                layout=shared_layout(width="480px")),
            "scenario": widgets.Dropdown(
                options=[(_scenario_name(s), s) for s in market.SCENARIOS],
                value="base", description=t("market.scenario"), style=LABEL_STYLE),
            "obtainable_share": SliderField(
                0.05, low=0.005, high=0.2, step=0.005, percent=True,
                description=t("market.obtainable_share"), style=LABEL_STYLE,
                layout=shared_layout(width="680px")),
            "requirements_met": checkbox(False, t("market.requirements_met")),
        }
        export = set()
        if self.segments is not None:
            export = set(self.segments.loc[self.segments["entry_requirements"] != "",
                                           "segment_id"])
        for sid, name in self._segment_names().items():
            controls[REACH + sid] = checkbox(sid not in export, name, margin="2px 18px 2px 0")
        return controls

    def layout(self):
        c = self.controls
        ticks = [w for k, w in c.items() if k.startswith(REACH)]
        return [
            self.heading(),
            html(self._shortlist_html()).add_class("ovop-market-shortlist"),
            hbox([c["product_id"], c["scenario"]]),
            c["obtainable_share"],
            html(f"<b>{t('market.reachable')}</b>"),
            hbox(ticks, flex_flow="row wrap"),
            c["requirements_met"],
            self.message, self.output, self._save_button(),
        ]

    # --- calculation --------------------------------------------------------------------
    def _market(self, product_id: str) -> ProductMarket:
        """Everything that depends on the product alone, computed once per product."""
        if product_id not in self._markets:
            competitors = market.competitor_table(self.competitors, product_id)
            summary = market.price_summary(competitors["price_per_unit"])
            price_unit = competitors["price_unit"].iloc[0]
            if product_id not in self.products.index:
                raise OvopError(t("market.no_unit", product=product_id))
            selling_unit = self.products.loc[product_id]
            self._markets[product_id] = ProductMarket(
                tables=market.scenario_tables(self.segments, product_id),
                competitors=competitors, summary=summary, price_unit=price_unit,
                selling_unit=selling_unit,
                corridor=market.unit_price_corridor(summary, price_unit,
                                                    selling_unit["unit_size"],
                                                    selling_unit["unit_size_unit"]))
        return self._markets[product_id]

    def compute(self, product_id, scenario, obtainable_share, requirements_met,
                **ticks) -> MarketResult:
        if product_id is None:
            raise OvopError(t("market.choose_product"))
        market.scenario_factor(scenario)  # a Russian message for an unknown scenario
        known = self._market(product_id)
        table = known.tables[scenario]
        chosen = [key.removeprefix(REACH) for key, on in ticks.items() if on]
        reach = market.split_reachable(table, [s for s in chosen if s in table.index],
                                       bool(requirements_met))
        prices = market.producer_price_range(table, reach.included)
        funnels = market.scenario_funnels(known.tables, reach.included, obtainable_share)
        selling_unit = known.selling_unit
        return MarketResult(
            product_id=product_id, product=str(selling_unit["product"]),
            unit=str(selling_unit["unit_name"]), unit_size=float(selling_unit["unit_size"]),
            unit_size_unit=str(selling_unit["unit_size_unit"]), scenario=scenario,
            obtainable_share=obtainable_share, requirements_met=bool(requirements_met),
            table=table, reach=reach, funnels=funnels, prices=prices,
            competitors=known.competitors, summary=known.summary, price_unit=known.price_unit,
            corridor=known.corridor)

    # --- display ------------------------------------------------------------------------
    def _build_view(self) -> None:
        """The result area, built once: a summary line and a tab per chart with its table."""
        self.summary = html().add_class("ovop-market-summary")
        self.tables = {key: html() for key in TABS}
        self.charts = ChartTabs(TABS, [t(f"market.tab.{k}") for k in TABS], self._chart,
                                PICTURES_KEPT, below=self.tables)
        self.charts.widget.add_class("ovop-market-tabs")
        self.charts.widget.observe(lambda _change: self.charts.show(self.result),
                                   names="selected_index")

    def render(self, result: MarketResult):
        texts = (self._summary_html(result), self._scenarios_html(result),
                 self._segments_html(result), self._competitors_html(result))
        self.charts.show(result)
        self.summary.value = texts[0]
        for key, text in zip(TABS, texts[1:]):
            self.tables[key].value = text
        return [self.summary, self.charts.widget]

    def _chart(self, tab: str, r: MarketResult):
        """The inputs a tab's chart depends on (its cache key) and how to draw its SVG."""
        if tab == "funnel":
            return ((tab, r.product_id, r.scenario, r.reach.included, r.obtainable_share),
                    lambda: kept(FunnelChart).svg(r.funnel, t("market.units"),
                                                   _scenario_name(r.scenario)))
        if tab == "segments":
            return ((tab, r.product_id, r.scenario, r.reach.included, tuple(r.reach.blocked)),
                    lambda: to_svg(segments_figure(r.table, r.reach.included, r.reach.blocked,
                                                   t("market.units"))))
        return ((tab, r.product_id),
                lambda: to_svg(competitor_prices_figure(r.competitors, r.summary, r.price_unit,
                                                        r.shelf_price_per_unit())))

    def _summary_html(self, r: MarketResult) -> str:
        f = r.funnel
        lines = [t("market.summary_som", units=fmt_number(f.som_units), unit=escape(r.unit),
                   share=fmt_percent(r.obtainable_share), sam=fmt_number(f.sam_units),
                   revenue=fmt_money(f.som_producer_som)),
                 t("market.summary_prices", low=_price(r.prices.min),
                   base=_price(r.prices.base), high=_price(r.prices.max),
                   unit=escape(r.unit))]
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
                                  unit=r.price_unit, low=fmt_number(r.summary.min),
                                  high=fmt_number(r.summary.max)))
        return warnings

    def _scenarios_html(self, r: MarketResult) -> str:
        rows = {_scenario_name(s): {
            t("market.col.tam_units"): fmt_number(f.tam_units),
            t("market.col.sam_units"): fmt_number(f.sam_units),
            t("market.col.som_units"): fmt_number(f.som_units),
            t("market.col.som_som"): fmt_money(f.som_som),
            t("market.col.som_producer"): fmt_money(f.som_producer_som),
        } for s, f in r.funnels.items()}
        return html_table(pd.DataFrame(rows).T, t("market.scenarios_heading", unit=r.unit),
                          index=True)

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
        return html_table(frame, t("market.segments_heading"))

    def _competitors_html(self, r: MarketResult) -> str:
        c = r.competitors
        frame = pd.DataFrame({
            t("market.col.competitor"): c["seller"],
            t("market.col.where"): c["where_sold"],
            t("market.col.pack"): [f"{fmt_number(s, 0 if s == int(s) else 1)} {u}"
                                   for s, u in zip(c["pack_size"], c["pack_unit"])],
            t("market.col.pack_price"): c["price_som"].map(fmt_money),
            t("market.col.per_unit", unit=r.price_unit): c["price_per_unit"].map(fmt_money),
        })
        s = r.summary
        low, mid, high = r.corridor
        note = t("market.price_summary", unit=r.price_unit, min=fmt_money(s.min),
                 q1=fmt_money(s.q1), median=fmt_money(s.median), q3=fmt_money(s.q3),
                 max=fmt_money(s.max), count=s.count)
        corridor = t("market.corridor", unit=escape(r.unit), low=fmt_money(low),
                     median=fmt_money(mid), high=fmt_money(high))
        return html_table(frame) + f"<p>{note}</p><p>{corridor}</p>"

    # --- saving -------------------------------------------------------------------------
    def to_section(self, result: MarketResult, saved: MarketSection | None) -> MarketSection:
        return MarketSection(
            product_id=result.product_id, product=result.product, unit=result.unit,
            unit_size=result.unit_size, unit_size_unit=result.unit_size_unit,
            scenario=result.scenario, obtainable_share=result.obtainable_share,
            reachable_segments=list(result.reach.included),
            requirements_met=result.requirements_met,
            scenarios={s: MarketFunnelRecord(**f.as_dict()) for s, f in result.funnels.items()},
            price_min_som=result.prices.min, price_base_som=result.prices.base,
            price_max_som=result.prices.max, price_unit=result.price_unit,
            competitor_median_price=result.summary.median,
            competitor_price_low=result.summary.q1, competitor_price_high=result.summary.q3,
        )


def _price(value: float) -> str:
    """A price in som: whole som, or with one decimal when it has one (172,5 сом)."""
    return fmt_money(value, 0 if abs(value - round(value)) < 0.05 else 1)

