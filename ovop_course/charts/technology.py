"""Figures of step 6, technology and the cost of the product: the tornado of the year's profit,
the build-up of the unit cost against the price, the cost-volume-profit chart, the first year's
cash month by month, the four monthly limits and the two equipment scenarios over the years.
Pure builders: numbers in, :class:`CourseFigure` (or SVG bytes) out; texts from the catalogue.

The tornado is the tool's open tab and is drawn at every change of a control, so it is kept
(:class:`TornadoChart`: one figure per UI language, its bars and few texts replaced) and has
fixed margins; the others are drawn when their tab is opened. Every figure is 9 inches wide
(864 px in a browser: it fits a notebook cell on a 1366 px screen) and has few texts: a text
is what costs most in a drawing.

>>> import pandas as pd
>>> table = pd.DataFrame({"factor": ["price"], "item": ["Цена"], "low_som": [-10.0],
...                       "high_som": [30.0], "base_som": [10.0], "swing_som": [40.0]})
>>> TornadoChart().svg(table, 0.2).startswith(b"<?xml")
True
"""

from __future__ import annotations

from functools import lru_cache

from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..fmt import fmt_number, fmt_percent, month_labels
from ..i18n import get_language, t
from ..steps.technology import FACTORS, LIMITS
from . import (
    PALETTE,
    CourseFigure,
    PictureCache,
    label_width,
    new_figure,
    set_margins,
    styled,
    to_svg,
)

WIDTH = 9.0  # inches: 864 px in a browser
BLUE, ORANGE, GREEN, VERMILION, SKY = PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4]
GREY = "#9E9E9E"
LIMIT_COLOURS = dict(zip(LIMITS, (BLUE, GREEN, ORANGE, PALETTE[5])))
COST_ITEMS = ("raw", "packaging", "labour", "energy", "overheads", "depreciation")


@lru_cache(maxsize=1024)
def _thousands_text(value: float, _language: str) -> str:
    """Som as thousands with one decimal below 100 000 (88,3), whole above (1 126)."""
    return fmt_number(value / 1000, 1 if abs(value) < 100_000 else 0)


def thousands(value: float) -> str:
    """``value`` som written in thousands of som, in the UI language."""
    return _thousands_text(float(value), get_language())


@lru_cache(maxsize=1024)
def _tick_text(value: float, _language: str) -> str:
    whole = abs(value) % 1000 < 1e-6 or abs(value) >= 100_000
    return fmt_number(value / 1000, 0 if whole else 1)


# An axis in thousands of som: whole thousands when the ticks fall on them (80, not 80,0).
THOUSANDS = FuncFormatter(lambda x, _pos: _tick_text(float(x), get_language()))


# --- the tornado (kept, redrawn in place) -----------------------------------------------------
class TornadoChart:
    """The year's profit when each factor alone moves by ± the change: a row per factor (the
    largest swing on top), the −change result in vermilion and the +change one in blue, each
    drawn from today's profit (the dark line), zero profit dashed, and the two ends labelled
    in thousands of som.

    One figure per UI language (``charts.kept(TornadoChart)``); each call moves its 8 bars and
    8 labels, sets the order of the factors, the change in the legend and the axis range, and
    writes it out.
    """

    ROWS = len(FACTORS)

    def __init__(self, keep: int = 64):
        self._figure: CourseFigure | None = None
        self._pictures = PictureCache(keep)

    def _build(self) -> CourseFigure:
        names = [t(f"technology.factor.{f}") for f in FACTORS]
        fig = new_figure(WIDTH, 3.3, layout=None)
        with styled(fig):
            ax = fig.add_subplot()
            ys = list(range(self.ROWS))[::-1]
            ax.barh(ys, [0.0] * self.ROWS, color=VERMILION, height=0.62, label=" ")
            ax.barh(ys, [0.0] * self.ROWS, color=BLUE, height=0.62, label=" ")
            ax.axvline(0, color="#B00020", linewidth=1, linestyle="--")
            ax.axvline(0, color="#333333", linewidth=1.2)
            for y in ys:
                ax.text(0, y, "", va="center", ha="right", fontsize=10)
                ax.text(0, y, "", va="center", ha="left", fontsize=10)
            ax.set_yticks(ys, names)
            ax.set_ylim(-0.6, self.ROWS - 0.4)
            ax.xaxis.set_major_formatter(THOUSANDS)
            ax.xaxis.set_major_locator(MaxNLocator(6))
            ax.grid(axis="y", visible=False)
            ax.set_xlabel(t("technology.chart.profit_axis"))
            ax.set_title(" ", fontsize=13)
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, frameon=False,
                      fontsize=10)
            set_margins(fig, left=label_width(names, 12) + 0.25, right=0.25, top=0.4,
                        bottom=0.95)
        return fig

    def svg(self, table, change: float) -> bytes:
        """The tornado of ``table`` (:func:`ovop_course.steps.technology.tornado`: ``item``,
        ``low_som``, ``high_som``, ``base_som``; in its order, the largest swing first) for a
        change of ± ``change`` (a share), as SVG bytes. The last ``keep`` pictures are kept by
        what they show: a second tool of the same lesson shows its first picture at once."""
        shown = (tuple(table[["item", "low_som", "high_som", "base_som"]].itertuples(
            index=False, name=None)), float(change), get_language())
        return self._pictures.get(shown, lambda: self._drawn(table, change))

    def _drawn(self, table, change: float) -> bytes:
        if self._figure is None:
            self._figure = self._build()
        fig = self._figure
        ax = fig.axes[0]
        rows = list(table.itertuples())[: self.ROWS]
        base = float(rows[0].base_som) if rows else 0.0
        low_bars, high_bars = ax.containers[0].patches, ax.containers[1].patches
        values = [0.0, base]
        ys = list(range(self.ROWS))[::-1]
        for i, y in enumerate(ys):
            if i < len(rows):
                low, high = float(rows[i].low_som), float(rows[i].high_som)
            else:
                low = high = base
            values += [low, high]
            for bar, end in ((low_bars[i], low), (high_bars[i], high)):
                bar.set_x(min(base, end))
                bar.set_width(abs(end - base))
            for label, end in zip(ax.texts[2 * i: 2 * i + 2], (low, high)):
                label.set_position((end, y))
                label.set_horizontalalignment("right" if end < base else "left")
                label.set_text(f" {thousands(end)} " if i < len(rows) else "")
        ax.set_yticks(ys, [r.item for r in rows] + [""] * (self.ROWS - len(rows)))
        ax.lines[1].set_xdata([base, base])
        lowest, highest = min(values), max(values)
        pad = 0.22 * max(highest - lowest, abs(base), 1.0)
        ax.set_xlim(lowest - pad, highest + pad)
        shown = fmt_percent(change, 0 if round(change * 100, 6).is_integer() else 1)
        ax.set_title(t("technology.chart.tornado_title", change=shown, base=thousands(base)),
                     fontsize=13, fontweight="bold")
        legend = ax.get_legend()
        for text, sign in zip(legend.get_texts(), ("−", "+")):
            text.set_text(t("technology.chart.change", sign=sign, change=shown))
        return to_svg(fig)


# --- the cost of a unit against the price ---------------------------------------------------
def cost_figure(per_unit: dict[str, float], price: float) -> CourseFigure:
    """The unit cost built up item by item (raw materials, packaging, labour, energy —
    variable —, then overheads and depreciation — fixed —), the total, and the price: a
    waterfall of horizontal bars with each item's som; the gap between the total and the price
    is what a unit earns (or loses)."""
    names = [t(f"technology.row.{key}") for key in COST_ITEMS]
    names += [t("technology.row.total"), t("technology.chart.price")]
    fig = new_figure(WIDTH, 3.9, layout=None)
    with styled(fig):
        ax = fig.add_subplot()
        ys = list(range(len(names)))[::-1]
        start = 0.0
        for y, key in zip(ys, COST_ITEMS):
            value = float(per_unit[key])
            colour = SKY if key in ("overheads", "depreciation") else BLUE
            ax.barh([y], [value], left=[start], color=colour, height=0.62)
            ax.text(start + value, y, f" {fmt_number(value, 1)}", va="center", fontsize=10)
            start += value
        for y, value, colour in ((ys[-2], start, GREY), (ys[-1], price, GREEN)):
            ax.barh([y], [value], color=colour, height=0.62)
            ax.text(value, y, f" {fmt_number(value, 1)}", va="center", fontsize=10)
        ax.axvline(price, color=GREEN, linewidth=1, linestyle="--")
        ax.set_yticks(ys, names)
        ax.set_xlim(0, max(start, price, 1.0) * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(6))
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(t("technology.chart.som_per_unit"))
        key = "technology.chart.cost_title_profit" if price >= start else \
            "technology.chart.cost_title_loss"
        fig.suptitle(t(key, amount=fmt_number(abs(price - start), 1)), fontsize=13,
                     fontweight="bold", y=1 - 0.1 / 3.9, va="top")   # over the whole width
        set_margins(fig, left=label_width(names, 12) + 0.25, right=0.25, top=0.45,
                    bottom=0.55)
    return fig


# --- cost, volume, profit ---------------------------------------------------------------------
def cvp_figure(cvp, break_even_units: float, units_year: float, price: float) -> CourseFigure:
    """Revenue and total cost against the units sold a year (``cvp``:
    :func:`ovop_course.steps.technology.cvp_table`), the fixed costs as a floor, the
    break-even point where the lines cross and the plan's volume dotted."""
    fig = new_figure(WIDTH, 3.9, layout=None)
    with styled(fig):
        ax = fig.add_subplot()
        units = cvp["units"]
        ax.plot(units, cvp["revenue_som"], color=GREEN, linewidth=2,
                label=t("technology.chart.revenue"))
        ax.plot(units, cvp["total_cost_som"], color=VERMILION, linewidth=2,
                label=t("technology.chart.total_cost"))
        ax.plot(units, cvp["fixed_som"], color=GREY, linewidth=1.2, linestyle="--",
                label=t("technology.chart.fixed"))
        ax.plot([break_even_units], [break_even_units * price], "o", color="#333333",
                markersize=7)
        ax.annotate(t("technology.chart.break_even", units=fmt_number(break_even_units)),
                    (break_even_units, break_even_units * price), xytext=(-10, 12),
                    textcoords="offset points", ha="right", fontsize=10)
        ax.axvline(units_year, color=BLUE, linewidth=1, linestyle=":")
        ax.annotate(t("technology.chart.plan", units=fmt_number(units_year)),
                    (units_year, 0), xytext=(4, 6), textcoords="offset points", fontsize=10,
                    color=BLUE)
        ax.set_xlim(0, float(units.max()))
        ax.set_ylim(0, float(max(cvp["revenue_som"].max(), cvp["total_cost_som"].max())) * 1.05)
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.xaxis.set_major_locator(MaxNLocator(6))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: fmt_number(x)))
        ax.set_xlabel(t("technology.chart.units_axis"))
        ax.set_ylabel(t("technology.chart.thousand_som"))
        ax.set_title(t("technology.chart.cvp_title"), fontsize=13)
        ax.legend(loc="upper left", frameon=False, fontsize=10)
        set_margins(fig, left=0.95, right=0.3, top=0.4, bottom=0.6)
    return fig


# --- the first year's cash --------------------------------------------------------------------
def cash_figure(year) -> CourseFigure:
    """The first year month by month from its start (``year``:
    :class:`ovop_course.steps.technology.YearPlan`): each month's net cash as a bar (green in,
    vermilion out) and the cumulative cash as a line, its lowest point — the money the group
    must find before the sales pay it back — marked and labelled."""
    table = year.table
    months = month_labels()
    fig = new_figure(WIDTH, 3.9, layout=None)
    with styled(fig):
        ax = fig.add_subplot()
        xs = list(range(len(table)))
        net = table["net_som"].tolist()
        ax.bar(xs, net, color=[GREEN if v >= 0 else VERMILION for v in net], width=0.62,
               label=t("technology.chart.net"))
        cumulative = table["cumulative_som"].tolist()
        ax.plot(xs, cumulative, color=BLUE, linewidth=2, marker="o", markersize=4,
                label=t("technology.chart.cumulative"))
        ax.axhline(0, color="#555555", linewidth=0.8)
        low = min(range(len(xs)), key=lambda i: cumulative[i])
        if cumulative[low] < 0:
            ax.plot([low], [cumulative[low]], "o", color=VERMILION, markersize=9)
            ax.annotate(t("technology.chart.peak", amount=thousands(-cumulative[low]),
                          month=months[int(table["month"].iloc[low]) - 1]),
                        (low, cumulative[low]), xytext=(12, -4), textcoords="offset points",
                        fontsize=10, va="top", ha="left" if low < 8 else "right")
        top = max(max(net), max(cumulative), 0.0)
        bottom = min(min(net), min(cumulative), 0.0)
        span = max(top - bottom, 1.0)
        ax.set_ylim(bottom - 0.12 * span, top + 0.08 * span)
        ax.set_xticks(xs, [months[m - 1] for m in table["month"]])
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(t("technology.chart.thousand_som"))
        ax.set_title(t("technology.chart.cash_title"), fontsize=13)
        ax.legend(loc="upper left", frameon=False, fontsize=10, ncols=2)
        set_margins(fig, left=0.95, right=0.3, top=0.4, bottom=0.45)
    return fig


# --- the four limits ---------------------------------------------------------------------------
def limits_figure(limits) -> CourseFigure:
    """The four monthly limits (``limits``: :func:`ovop_course.steps.technology.
    monthly_limits`) as lines over the calendar months, on a logarithmic scale (capacity can be
    ten times the demand), and what can be made and sold — the smallest — as a wide grey band
    under them."""
    fig = new_figure(WIDTH, 4.2, layout=None)
    with styled(fig):
        ax = fig.add_subplot()
        xs = list(range(12))
        feasible = [max(float(v), 0.0) for v in limits["feasible"]]
        ax.plot(xs, [v if v > 0 else float("nan") for v in feasible], color="#CCCCCC",
                linewidth=9, solid_capstyle="round", label=t("technology.chart.feasible"))
        for name in LIMITS:
            values = [float(v) if v > 0 else float("nan") for v in limits[name]]
            ax.plot(xs, values, color=LIMIT_COLOURS[name], linewidth=1.8, marker="o",
                    markersize=3.5, label=t(f"technology.limit.{name}"))
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _p: fmt_number(y)))
        ax.set_xticks(xs, month_labels())
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(t("technology.chart.units_month"))
        ax.set_title(t("technology.chart.limits_title"), fontsize=13)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3, frameon=False,
                  fontsize=10)
        set_margins(fig, left=1.15, right=0.3, top=0.4, bottom=1.1)
    return fig


# --- the two scenarios over the years ---------------------------------------------------------
def scenarios_figure(flows: dict[str, list[float]]) -> CourseFigure:
    """The cumulative cash of each scenario (name → its yearly flows, year 0 first:
    :attr:`ovop_course.steps.technology.Evaluation.flows`) over the equipment's life."""
    fig = new_figure(WIDTH, 3.6, layout=None)
    with styled(fig):
        ax = fig.add_subplot()
        colours = (GREEN, VERMILION, BLUE, ORANGE)
        for (name, values), colour in zip(flows.items(), colours):
            total, line = 0.0, []
            for value in values:
                total += value
                line.append(total)
            ax.plot(range(len(line)), line, color=colour, linewidth=2, marker="o",
                    markersize=4, label=name)
        ax.axhline(0, color="#555555", linewidth=0.8)
        ax.yaxis.set_major_formatter(THOUSANDS)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(t("technology.chart.years"))
        ax.set_ylabel(t("technology.chart.thousand_som"))
        ax.set_title(t("technology.chart.scenarios_title"), fontsize=13)
        ax.legend(loc="upper left", frameon=False, fontsize=10)
        set_margins(fig, left=0.95, right=0.3, top=0.4, bottom=0.6)
    return fig
