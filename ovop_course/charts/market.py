"""Figures of step 4, market analysis: the TAM → SAM → SOM funnel, demand by segment and the
competitors' prices per kg or litre. Pure builders: data in, :class:`CourseFigure` out.

The funnel and the segments chart are redrawn at every change of the tool's controls, so they
use fixed margins instead of constrained layout, which measures every artist before each draw
(measured: 15–20 % of their drawing time); the left margin is the width of the row labels,
measured from the font.
"""

from __future__ import annotations

import textwrap

from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..fmt import fmt_number
from ..i18n import get_language, t
from ..steps.market import Funnel, PriceSummary
from . import (
    GROUPED,
    PALETTE,
    CourseFigure,
    label_width,
    new_figure,
    set_margins,
    styled,
    to_svg,
)

FUNNEL_LEVELS = ("TAM", "SAM", "SOM")
STATUS_COLOURS = {"included": PALETTE[0], "blocked": PALETTE[1], "left_out": "#BBBBBB"}


def _thousands(value: float) -> str:
    return fmt_number(value / 1000, digits=1 if value < 100_000 else 0)


def _funnel_panels(funnel: Funnel, unit_name: str) -> list[tuple]:
    """(title, TAM/SAM/SOM values, how a value is shown) of the two panels of the funnel."""
    return [(t("market.chart.volume", unit=unit_name),
             [funnel.tam_units, funnel.sam_units, funnel.som_units], fmt_number),
            (t("market.chart.value_buyer"),
             [funnel.tam_som, funnel.sam_som, funnel.som_som], _thousands)]


def funnel_figure(funnel: Funnel, unit_name: str, scenario: str) -> CourseFigure:
    """The market funnel in two panels: units a year and thousand som a year.

    Each level is a bar centred on zero whose width is its share of TAM (TAM is 1), so SOM
    looks as small next to TAM as it is; the label gives the value and its share of TAM.
    """
    height = 3.6
    names = [f"{t(f'market.chart.level.{x}')}\n({x})" for x in FUNNEL_LEVELS]
    fig = new_figure(11, height, layout=None)
    with styled(fig):
        axes = fig.subplots(1, 2, sharey=True)
        for ax, (title, values, show) in zip(axes, _funnel_panels(funnel, unit_name)):
            ys = list(range(len(values)))[::-1]
            ax.barh(ys, [0.0] * len(values), color=[PALETTE[4], PALETTE[0], PALETTE[2]],
                    height=0.7)
            for y in ys:
                ax.text(0.55, y, "", va="center", ha="left", fontsize=10)
            _set_levels(ax, values, show)
            ax.set_yticks(ys, names)
            ax.set_xlim(-0.55, 1.15)
            ax.set_xticks([])
            ax.grid(False)
            ax.spines["bottom"].set_visible(False)
            ax.set_title(textwrap.fill(title, 40), fontsize=12)
        axes[1].tick_params(axis="y", left=False, labelleft=False)  # the same levels as left
        fig.suptitle(t("market.chart.funnel_title", scenario=scenario),
                     fontsize=14, fontweight="bold")
        set_margins(fig, left=label_width(names, 12) + 0.2, right=0.15, top=0.85, bottom=0.1)
        fig.subplots_adjust(wspace=0.08)  # between the panels, a share of a panel's width
    return fig


def _set_levels(ax, values: list[float], show) -> None:
    """Put TAM, SAM and SOM into a funnel panel: bar widths (share of TAM) and labels."""
    tam = values[0]
    for bar, label, value in zip(ax.patches, ax.texts, values):
        width = value / tam if tam else 0.0
        bar.set_x(-width / 2)
        bar.set_width(width)
        label.set_text(f"{show(value)}\n({fmt_number(width * 100, 1)} % TAM)")


class FunnelChart:
    """The funnel of :func:`funnel_figure` as SVG, quick to redraw when a control changes.

    Only the bars and their labels depend on the numbers (the bars are shares of TAM, so the
    scale never changes); the rest depends on the unit and the scenario's name. A figure is
    built once per (unit, scenario) and UI language and kept; each call sets its 6 bars and
    6 labels and writes it out.
    """

    def __init__(self):
        self._figures: dict[tuple[str, str, str], CourseFigure] = {}

    def svg(self, funnel: Funnel, unit_name: str, scenario: str) -> bytes:
        """:func:`funnel_figure` for these values, as SVG bytes."""
        key = (unit_name, scenario, get_language())  # texts and margins follow the language
        if key not in self._figures:
            self._figures[key] = funnel_figure(funnel, unit_name, scenario)
        fig = self._figures[key]
        for ax, (_, values, show) in zip(fig.axes, _funnel_panels(funnel, unit_name)):
            _set_levels(ax, values, show)
        return to_svg(fig)


def segments_figure(table, included, blocked, unit_name: str) -> CourseFigure:
    """Demand by segment in two panels (units a year; thousand som a year), coloured by
    whether the segment is in SAM, chosen but blocked by entry requirements, or left out.

    ``table`` is a :func:`ovop_course.steps.market.segment_table`.
    """
    status = ["included" if s in included else "blocked" if s in blocked else "left_out"
              for s in table.index]
    colours = [STATUS_COLOURS[s] for s in status]
    labels = [textwrap.fill(name, 22) for name in table["segment"]]
    ys = list(range(len(table)))[::-1]
    height = 0.55 * len(table) + 2.2
    fig = new_figure(11, height, layout=None)
    panels = [(t("market.chart.volume", unit=unit_name), table["volume_units"], fmt_number),
              (t("market.chart.value"), table["value_som"], _thousands)]
    with styled(fig):
        axes = fig.subplots(1, 2, sharey=True)
        for ax, (title, values, show) in zip(axes, panels):
            ax.barh(ys, values, color=colours, height=0.65)
            for y, value in zip(ys, values):
                ax.text(value, y, " " + show(value), va="center", fontsize=9.5)
            ax.set_xlim(0, max(values.max(), 1) * 1.3)
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.xaxis.set_major_formatter(
                GROUPED if show is fmt_number
                else FuncFormatter(lambda x, _p: fmt_number(x / 1000)))
            ax.set_title(textwrap.fill(title, 40), fontsize=12)
            ax.grid(axis="y", visible=False)
        axes[0].set_yticks(ys, labels, fontsize=10)
        handles = [Patch(color=STATUS_COLOURS[s], label=t(f"market.chart.status.{s}"))
                   for s in STATUS_COLOURS if s in status]
        fig.legend(handles=handles, loc="lower center", ncols=len(handles), frameon=False,
                   fontsize=10)
        fig.suptitle(t("market.chart.segments_title"), fontsize=14, fontweight="bold")
        set_margins(fig, left=label_width(labels, 10) + 0.2, right=0.15, top=0.7, bottom=0.85)
        fig.subplots_adjust(wspace=0.2)  # between the panels, a share of a panel's width
    return fig


def competitor_prices_figure(competitors, summary: PriceSummary, price_unit: str,
                             our_prices: dict[str, float] | None = None) -> CourseFigure:
    """Dot plot of prices in som per ``price_unit`` (kg or l): a row per competitor (dots), the
    interquartile range shaded and the median as a line; ``our_prices`` (segment → our buyer's
    price per kg or l) drawn below as diamonds, a row per segment.

    ``competitors`` is a :func:`ovop_course.steps.market.competitor_table`.
    """
    our_prices = our_prices or {}
    rows = competitors.sort_values("price_per_unit", ascending=False)
    points = ([(textwrap.fill(f"{r.seller} — {r.where_sold}", 36), r.price_per_unit, False)
               for r in rows.itertuples()]
              + [(textwrap.fill(t("market.chart.our_product", name=name), 36), price, True)
                 for name, price in our_prices.items()])
    ys = list(range(len(points)))[::-1]
    fig = new_figure(11, 0.42 * len(points) + 2.1)
    with styled(fig):
        ax = fig.add_subplot()
        ax.axvspan(summary.q1, summary.q3, color=PALETTE[4], alpha=0.25,
                   label=t("market.chart.quartiles"))
        ax.axvline(summary.median, color=PALETTE[0], linewidth=2,
                   label=t("market.chart.median", price=fmt_number(summary.median),
                           unit=price_unit))
        for ours, marker, colour, label in ((False, "o", PALETTE[0], t("market.chart.competitor")),
                                            (True, "D", PALETTE[3], t("market.chart.ours"))):
            chosen = [(y, p[1]) for y, p in zip(ys, points) if p[2] == ours]
            if chosen:
                ax.scatter([x for _, x in chosen], [y for y, _ in chosen], marker=marker,
                           s=80, color=colour, zorder=3, label=label)
            for y, x in chosen:
                ax.annotate(fmt_number(x), (x, y), xytext=(8, 0), textcoords="offset points",
                            va="center", fontsize=9.5)
        if our_prices:
            ax.axhline(len(our_prices) - 0.5, color="#888888", linewidth=0.8)
        ax.set_yticks(ys, [p[0] for p in points], fontsize=9.5)
        ax.set_ylim(-0.6, len(points) - 0.4)
        ax.set_xlim(0, max(p[1] for p in points) * 1.12)
        ax.xaxis.set_major_formatter(GROUPED)
        ax.set_xlabel(t("market.chart.price_axis", unit=price_unit))
        ax.grid(axis="y", visible=False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, frameon=False,
                  fontsize=9.5)
        ax.set_title(t("market.chart.prices_title", unit=price_unit))
    return fig
