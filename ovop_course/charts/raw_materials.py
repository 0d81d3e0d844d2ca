"""Figures of step 2, local raw materials: the seasonal calendar (month × material), the
sustainable supply against the planned use with and without storage, and the purchase price
by month. Pure builders: data in, :class:`CourseFigure` out.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from ..fmt import fmt_number
from ..i18n import t
from ..raw_materials import MONTHS, RawMaterialAnalysis
from . import PALETTE, CourseFigure, new_figure, styled

GROUPED = FuncFormatter(lambda x, _pos: fmt_number(x))
# White → blue of the course palette (Okabe & Ito): readable in grey and for colour-blind eyes.
SEASON_COLOURS = LinearSegmentedColormap.from_list("season", ["#FFFFFF", "#56B4E9", "#0072B2"])
IDLE_MONTH = "#EEEEEE"


def month_labels() -> list[str]:
    """Short month names of the current language (янв … дек)."""
    return [m.strip() for m in t("raw.months_short").split(",")]


def season_figure(table: pd.DataFrame, units: list[str] | None = None,
                  highlight: str | None = None) -> CourseFigure:
    """Seasonal calendar: a heat map with a row per material and a column per month.

    ``table`` is :func:`ovop_course.raw_materials.season_table` (volume by month, rows named
    by material). A cell's colour is its month's share of that material's year, so materials
    measured in litres and in kilograms read alike; the number in the cell is the volume.
    ``highlight`` (a row name) is framed.
    """
    units = units or [""] * len(table)
    totals = table.sum(axis=1).replace(0, 1)
    shares = table.div(totals, axis=0)
    fig = new_figure(11.5, 0.62 * len(table) + 1.9)
    with styled(fig):
        ax = fig.add_subplot()
        image = ax.imshow(shares.to_numpy(), aspect="auto", cmap=SEASON_COLOURS, vmin=0,
                          vmax=max(0.5, float(shares.to_numpy().max())))
        for row, (_, volumes) in enumerate(table.iterrows()):
            for col, volume in enumerate(volumes):
                if volume > 0:
                    dark = shares.iat[row, col] > 0.3
                    ax.text(col, row, fmt_number(volume), ha="center", va="center", fontsize=8.5,
                            color="white" if dark else "#222222")
        labels = [textwrap.fill(f"{name}, {unit}" if unit else name, 30)
                  for name, unit in zip(table.index, units)]
        ax.set_yticks(range(len(table)), labels, fontsize=9.5)
        ax.set_xticks(range(12), month_labels())
        ax.tick_params(length=0)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if highlight in table.index:
            row = list(table.index).index(highlight)
            ax.add_patch(Rectangle((-0.5, row - 0.5), 12, 1, fill=False, edgecolor=PALETTE[3],
                                   linewidth=2.5))
            ax.get_yticklabels()[row].set_fontweight("bold")
        bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
        bar.set_label(t("raw.chart.heat_colour"), fontsize=10)
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{x:.0%}"))
        ax.set_title(t("raw.chart.heat_title"))
    return fig


def _shade_months(ax, months: list[int], label: str) -> None:
    """Grey bands behind the given months (1…12); the first carries the legend label."""
    for n, m in enumerate(months):
        ax.axvspan(m - 1.5, m - 0.5, color=IDLE_MONTH, zorder=0, linewidth=0,
                   label=label if n == 0 else None)


def supply_figure(analysis: RawMaterialAnalysis) -> CourseFigure:
    """Two panels sharing the months.

    Top: the sustainable supply S[m] (bars), the planned use in the production months, and
    the stable monthly supply without and with storage (dashed lines). Bottom: the stock at
    the end of each month with storage, and the monthly shortage without and with storage.
    Months without production are shaded grey.
    """
    a = analysis
    x = list(range(12))
    unit = t("raw.chart.per_month", unit=a.unit)
    fig = new_figure(10.5, 6.8)
    with styled(fig):
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        idle = [m for m in MONTHS if m not in a.months]
        for ax in (top, bottom):
            _shade_months(ax, idle, t("raw.chart.idle"))
            ax.yaxis.set_major_formatter(GROUPED)
        top.bar(x, a.supply, color=PALETTE[4], width=0.7, label=t("raw.chart.supply_bars"))
        need = [a.use if m in a.months else None for m in MONTHS]
        top.plot(x, need, color=PALETTE[3], marker="o", linewidth=2.5,
                 label=t("raw.chart.need"))
        top.axhline(a.stable_no_storage, color=PALETTE[1], linestyle="--", linewidth=2,
                    label=t("raw.chart.stable_no", value=fmt_number(a.stable_no_storage)))
        top.axhline(a.stable_with_storage, color=PALETTE[2], linestyle="--", linewidth=2,
                    label=t("raw.chart.stable_with", value=fmt_number(a.stable_with_storage)))
        top.set_ylabel(unit)
        top.set_ylim(0, max(max(a.supply), a.use, 1.0) * 1.15)
        top.legend(loc="upper left", fontsize=9, framealpha=0.9)
        top.set_title(t("raw.chart.supply_title", material=a.material))

        stock = a.plan_with_storage["closing"]
        bottom.fill_between(x, stock, color=PALETTE[2], alpha=0.25, label=t("raw.chart.stock"))
        bottom.plot(x, stock, color=PALETTE[2], linewidth=2)
        bottom.bar([i - 0.18 for i in x], a.plan_no_storage["shortage"], width=0.36,
                   color=PALETTE[1], label=t("raw.chart.shortage_fresh"))
        bottom.bar([i + 0.18 for i in x], a.plan_with_storage["shortage"], width=0.36,
                   color=PALETTE[3], label=t("raw.chart.shortage"))
        bottom.set_ylabel(a.unit)
        bottom.set_ylim(bottom=0)
        bottom.legend(loc="upper left", fontsize=9, framealpha=0.9)
        bottom.set_title(t("raw.chart.stock_title"), fontsize=11)
        bottom.set_xticks(x, month_labels())
        bottom.set_xlim(-0.6, 11.6)
    return fig


def price_figure(prices: list[float | None], material: str, unit: str) -> CourseFigure:
    """Purchase price by month (сом per unit); months without supply are left as gaps and the
    dearest and cheapest months are marked with the ratio between them."""
    x = list(range(12))
    known = [(i, p) for i, p in zip(x, prices) if p is not None]
    fig = new_figure(10.5, 3.4)
    with styled(fig):
        ax = fig.add_subplot()
        ax.plot(x, [float("nan") if p is None else p for p in prices], color=PALETTE[0],
                marker="o", linewidth=2)
        if known:
            (lo_i, lo), (hi_i, hi) = min(known, key=lambda v: v[1]), max(known, key=lambda v: v[1])
            ax.scatter([lo_i, hi_i], [lo, hi], s=120, color=[PALETTE[2], PALETTE[3]], zorder=3)
            ax.set_ylim(0, hi * 1.3)
            ax.text(0.99, 0.95, t("raw.chart.price_ratio", ratio=fmt_number(hi / lo, 2)),
                    transform=ax.transAxes, ha="right", va="top", fontsize=10)
        _shade_months(ax, [m for m, p in zip(MONTHS, prices) if p is None],
                      t("raw.chart.no_price"))
        if None in prices:
            ax.legend(loc="upper left", fontsize=9, framealpha=0.9)
        ax.set_xticks(x, month_labels())
        ax.set_xlim(-0.6, 11.6)
        ax.yaxis.set_major_formatter(GROUPED)
        ax.set_ylabel(t("raw.chart.price_axis", unit=unit))
        ax.set_title(t("raw.chart.price_title", material=material))
    return fig
