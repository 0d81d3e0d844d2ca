"""Figures of step 2, local raw materials: the seasonal calendar (month × material), the
sustainable supply against the planned use with and without storage, and the purchase price
by month. Pure builders: data in, :class:`CourseFigure` out.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from ..fmt import fmt_number, month_labels
from ..i18n import get_language, t
from ..steps.raw_materials import MONTHS, RawMaterialAnalysis
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

# White → blue of the course palette (Okabe & Ito): readable in grey and for colour-blind eyes.
SEASON_COLOURS = LinearSegmentedColormap.from_list("season", ["#FFFFFF", "#56B4E9", "#0072B2"])
IDLE_MONTH = "#EEEEEE"
FRAME = "frame"  # the gid of the calendar's frame round the chosen material
# The supply figure's margins in inches (see SupplyChart._fit): the title above, the lower
# panel's title between the panels, the month names below, the y label with its pads left of
# the tick labels; DIGIT_IN is the width of one character of a 12 pt tick label.
MARGIN_IN = {"top": 0.42, "between": 0.56, "bottom": 0.38, "right": 0.12, "y_label": 0.42}
DIGIT_IN = 0.107


def season_figure(table: pd.DataFrame, units: list[str] | None = None,
                  highlight: str | None = None) -> CourseFigure:
    """Seasonal calendar: a heat map with a row per material and a column per month.

    ``table`` is :func:`ovop_course.steps.raw_materials.season_table` (volume by month, rows named
    by material). A cell's colour is its month's share of that material's year, so materials
    measured in litres and in kilograms read alike; the number in the cell is the volume.
    ``highlight`` (a row name) is framed and its name bold (:func:`frame_row`). The cells are
    shapes (crisp at any zoom), and the margins are fixed from the names' widths: constrained
    layout would measure the ~100 numbers of the cells on every drawing.
    """
    units = units or [""] * len(table)
    totals = table.sum(axis=1).replace(0, 1)
    shares = table.div(totals, axis=0)
    labels = [textwrap.fill(f"{name}, {unit}" if unit else name, 30)
              for name, unit in zip(table.index, units)]
    fig = new_figure(11.5, 0.62 * len(table) + 1.9, layout=None)
    with styled(fig):
        ax = fig.add_subplot()
        set_margins(fig, left=label_width(labels, 9.5, "bold") + 0.15, right=1.25, top=0.45,
                    bottom=0.4)
        cells = ax.pcolormesh(shares.to_numpy(), cmap=SEASON_COLOURS, vmin=0,
                              vmax=max(0.5, float(shares.to_numpy().max())))
        for row, (_, volumes) in enumerate(table.iterrows()):
            for col, volume in enumerate(volumes):
                if volume > 0:
                    dark = shares.iat[row, col] > 0.3
                    ax.text(col + 0.5, row + 0.5, fmt_number(volume), ha="center",
                            va="center", fontsize=8.5, color="white" if dark else "#222222")
        ax.set_yticks([r + 0.5 for r in range(len(table))], labels, fontsize=9.5)
        ax.set_xticks([m + 0.5 for m in range(12)], month_labels())
        ax.set_xlim(0, 12)
        ax.set_ylim(len(table), 0)  # the first material on top
        ax.tick_params(length=0)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.add_patch(Rectangle((0, 0), 12, 1, fill=False, edgecolor=PALETTE[3],
                               linewidth=2.5, visible=False, gid=FRAME))
        bar = fig.colorbar(cells, ax=ax, fraction=0.03, pad=0.01)
        bar.set_label(t("raw_materials.chart.heat_colour"), fontsize=10)
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0%}"))
        ax.set_title(t("raw_materials.chart.heat_title"))
    frame_row(fig, list(table.index), highlight)
    return fig


def frame_row(fig: CourseFigure, names: list[str], highlight: str | None) -> None:
    """Frame the row of the calendar ``fig`` named ``highlight`` and make its name bold (the
    others plain; none framed if the name is not one of ``names``)."""
    ax = fig.axes[0]
    frame = next(p for p in ax.patches if p.get_gid() == FRAME)
    frame.set_visible(highlight in names)
    for row, label in enumerate(ax.get_yticklabels()):
        label.set_fontweight("bold" if names[row] == highlight else "normal")
        if names[row] == highlight:
            frame.set_y(row)


class SeasonChart:
    """The calendar of :func:`season_figure` as SVG, quick to redraw for another material: the
    figure is built once per table and UI language, and a new material only moves the frame
    and the bold name (:func:`frame_row`)."""

    def __init__(self):
        self._shown: tuple | None = None
        self._figure: CourseFigure | None = None

    def svg(self, table: pd.DataFrame, units: list[str], highlight: str | None) -> bytes:
        """The calendar of ``table`` with ``highlight`` framed, as SVG bytes."""
        shown = (table.to_numpy().tobytes(), tuple(table.index), tuple(units), get_language())
        if shown != self._shown:
            self._figure, self._shown = season_figure(table, units), shown
        frame_row(self._figure, list(table.index), highlight)
        return to_svg(self._figure)


def _shade_months(ax, months: list[int], label: str) -> None:
    """Grey bands behind the given months (1…12); the first carries the legend label."""
    for n, m in enumerate(months):
        ax.axvspan(m - 1.5, m - 0.5, color=IDLE_MONTH, zorder=0, linewidth=0,
                   label=label if n == 0 else None)


class SupplyChart:
    """The supply figure, built once and then redrawn in place for each new analysis.

    Two panels sharing the months. Top: the sustainable supply S[m] (bars), the planned use in
    the production months, and the stable monthly supply without and with storage (dashed
    lines). Bottom: the stock at the end of each month with storage, and the monthly shortage
    without and with storage. Months without production are shaded grey.

    A tool redraws this figure on almost every change. Moving the bars and lines of one figure
    is several times quicker than building a new one, and the margins change only with the
    width of the y tick labels (see :meth:`_fit`).
    """

    def __init__(self):
        x = list(range(12))
        self.figure = fig = new_figure(10.5, 6.8, layout=None)  # margins: see _fit
        self._fitted: int | None = None
        with styled(fig):
            self.top, self.bottom = top, bottom = fig.subplots(2, 1, sharex=True,
                                                               height_ratios=[3, 2])
            # the grey bands of idle months: one shape of many bands for each panel, its
            # x in months and its y the panel's full height
            self._idle = {ax: ax.add_collection(PolyCollection(
                [], facecolors=IDLE_MONTH, linewidths=0, zorder=0,
                transform=ax.get_xaxis_transform()), autolim=False) for ax in (top, bottom)}
            for ax in (top, bottom):
                ax.yaxis.set_major_formatter(GROUPED)
            self._supply = top.bar(x, [0] * 12, color=PALETTE[4], width=0.7)
            (self._need,) = top.plot(x, [0] * 12, color=PALETTE[3], marker="o", linewidth=2.5)
            self._stable_no = top.axhline(0, color=PALETTE[1], linestyle="--", linewidth=2)
            self._stable_with = top.axhline(0, color=PALETTE[2], linestyle="--", linewidth=2)
            self._stock_area = bottom.fill_between(x, [0] * 12, color=PALETTE[2], alpha=0.25)
            (self._stock,) = bottom.plot(x, [0] * 12, color=PALETTE[2], linewidth=2)
            self._short_fresh = bottom.bar([i - 0.18 for i in x], [0] * 12, width=0.36,
                                           color=PALETTE[1])
            self._short = bottom.bar([i + 0.18 for i in x], [0] * 12, width=0.36,
                                     color=PALETTE[3])
            # y=1 fixes the titles where matplotlib would put them (nothing sits above the
            # axes) instead of working the place out again on every drawing
            bottom.set_title(t("raw_materials.chart.stock_title"), fontsize=11, y=1)
            bottom.set_xticks(x, month_labels())
            bottom.set_xlim(-0.6, 11.6)
            for ax in (top, bottom):  # no x label: its place need not be worked out each time
                ax.xaxis.set_label_coords(0.5, 0)

    def show(self, analysis: RawMaterialAnalysis) -> CourseFigure:
        """The figure with the numbers of ``analysis``."""
        a, top, bottom = analysis, self.top, self.bottom
        idle = [m for m in MONTHS if m not in a.production_months]
        with styled(self.figure):
            for bands in self._idle.values():
                bands.set_verts([[(m - 1.5, 0), (m - 0.5, 0), (m - 0.5, 1), (m - 1.5, 1)]
                                 for m in idle])
            _set_heights(self._supply, a.supply)
            self._need.set_ydata([a.planned_use if m in a.production_months else math.nan
                                  for m in MONTHS])
            self._stable_no.set_ydata([a.stable_supply_no_storage] * 2)
            self._stable_with.set_ydata([a.stable_supply_with_storage] * 2)
            top.set_ylim(0, max(max(a.supply), a.planned_use, 1.0) * 1.15)
            top.set_ylabel(t("raw_materials.chart.per_month", unit=a.unit))
            top.set_title(t("raw_materials.chart.supply_title", material=a.material), y=1)
            self._legend(top, idle, [
                (self._need, t("raw_materials.chart.need")),
                (self._stable_no,
                 t("raw_materials.chart.stable_no",
                   value=fmt_number(a.stable_supply_no_storage))),
                (self._stable_with,
                 t("raw_materials.chart.stable_with",
                   value=fmt_number(a.stable_supply_with_storage))),
                (self._supply, t("raw_materials.chart.supply_bars"))])

            stock = a.plan_with_storage["closing"].tolist()
            self._stock_area.set_data(range(12), stock, 0)
            self._stock.set_ydata(stock)
            fresh, short = a.plan_no_storage["shortage"].tolist(), a.plan_with_storage[
                "shortage"].tolist()
            _set_heights(self._short_fresh, fresh)
            _set_heights(self._short, short)
            bottom.set_ylim(0, max(*stock, *fresh, *short) * 1.05 or 1.0)
            bottom.set_ylabel(a.unit)
            self._legend(bottom, idle, [
                (self._stock_area, t("raw_materials.chart.stock")),
                (self._short_fresh, t("raw_materials.chart.shortage_fresh")),
                (self._short, t("raw_materials.chart.shortage"))])
        self._fit()
        return self.figure

    def _legend(self, ax, idle: list[int], entries: list[tuple]) -> None:
        if idle:
            entries = [(self._idle[ax], t("raw_materials.chart.idle")), *entries]
        handles, labels = zip(*entries)
        ax.legend(handles, labels, loc="upper left", fontsize=9, framealpha=0.9)

    def _fit(self) -> None:
        """Margins that fit the widest y tick label, worked out from its length alone.

        Constrained layout measured every text of the figure for this (about 55 ms a tool in
        a lesson's kernel). Nothing else here moves the margins: the titles and y labels are one
        line of a fixed font, and the x tick labels are the months. A tick label is digits and
        spaces, each at most one digit wide in DejaVu Sans (0.636 em, ≈ 0.106 in at 12 pt), so
        the number of its characters gives its width.
        """
        chars = max(max(map(len, ax.yaxis.get_major_formatter().format_ticks(
            ax.yaxis.get_major_locator()())), default=1) for ax in (self.top, self.bottom))
        if chars == self._fitted:
            return
        set_margins(self.figure, left=MARGIN_IN["y_label"] + chars * DIGIT_IN,
                    right=MARGIN_IN["right"], top=MARGIN_IN["top"],
                    bottom=MARGIN_IN["bottom"], gap=MARGIN_IN["between"])
        self._fitted = chars


def _set_heights(bars, heights) -> None:
    for bar, height in zip(bars, heights):
        bar.set_height(height)


def supply_figure(analysis: RawMaterialAnalysis) -> CourseFigure:
    """The supply figure of ``analysis`` (see :class:`SupplyChart`), as a new figure."""
    return SupplyChart().show(analysis)


def price_figure(price_som: list[float | None], material: str, unit: str) -> CourseFigure:
    """Purchase price by month (``price_som``, сом per unit); months without supply are left as
    gaps and the dearest and cheapest months are marked with the ratio between them."""
    x = list(range(12))
    known = [(i, p) for i, p in zip(x, price_som) if p is not None]
    fig = new_figure(10.5, 3.4)
    with styled(fig):
        ax = fig.add_subplot()
        ax.plot(x, [float("nan") if p is None else p for p in price_som], color=PALETTE[0],
                marker="o", linewidth=2)
        if known:
            (lo_i, lo), (hi_i, hi) = min(known, key=lambda v: v[1]), max(known, key=lambda v: v[1])
            ax.scatter([lo_i, hi_i], [lo, hi], s=120, color=[PALETTE[2], PALETTE[3]], zorder=3)
            ax.set_ylim(0, hi * 1.3)
            ax.text(0.99, 0.95, t("raw_materials.chart.price_ratio", ratio=fmt_number(hi / lo, 2)),
                    transform=ax.transAxes, ha="right", va="top", fontsize=10)
        _shade_months(ax, [m for m, p in zip(MONTHS, price_som) if p is None],
                      t("raw_materials.chart.no_price"))
        if None in price_som:
            ax.legend(loc="upper left", fontsize=9, framealpha=0.9)
        ax.set_xticks(x, month_labels())
        ax.set_xlim(-0.6, 11.6)
        ax.yaxis.set_major_formatter(GROUPED)
        ax.set_ylabel(t("raw_materials.chart.price_axis", unit=unit))
        ax.set_title(t("raw_materials.chart.price_title", material=material))
    return fig
