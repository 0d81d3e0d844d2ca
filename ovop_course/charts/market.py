"""Figures of step 4, market analysis: the TAM → SAM → SOM funnel, demand by segment and the
competitors' prices per kg or litre. Pure builders: data in, :class:`CourseFigure` out.
"""

from __future__ import annotations

import textwrap

from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..fmt import fmt_number
from ..market import Funnel, PriceSummary
from . import PALETTE, CourseFigure, new_figure, styled

FUNNEL_LEVELS = ("TAM", "SAM", "SOM")
FUNNEL_NAMES = {"TAM": "Весь рынок", "SAM": "Доступный", "SOM": "Достижимый"}
STATUS_COLOURS = {"included": PALETTE[0], "blocked": PALETTE[1], "left_out": "#BBBBBB"}
STATUS_NAMES = {"included": "в доступном рынке (SAM)",
                "blocked": "выбран, но нужны документы ЕАЭС",
                "left_out": "не выбран"}
GROUPED = FuncFormatter(lambda x, _pos: fmt_number(x))


def _thousands(value: float) -> str:
    return fmt_number(value / 1000, digits=1 if value < 100_000 else 0)


def funnel_figure(funnel: Funnel, unit_name: str, scenario: str) -> CourseFigure:
    """The market funnel in two panels: units a year and thousand som a year.

    Each level is a bar centred on zero whose width is its value, so SOM looks as small next
    to TAM as it is; the label gives the value and its share of TAM.
    """
    fig = new_figure(11, 3.6)
    panels = [("Объём, " + unit_name + " в год",
               [funnel.tam_units, funnel.sam_units, funnel.som_units], fmt_number),
              ("Стоимость, тыс. сом в год (по ценам покупателя)",
               [funnel.tam_som, funnel.sam_som, funnel.som_som], _thousands)]
    with styled(fig):
        axes = fig.subplots(1, 2)
        for ax, (title, values, show) in zip(axes, panels):
            top = max(values) or 1.0
            ys = range(len(values))[::-1]
            colours = [PALETTE[4], PALETTE[0], PALETTE[2]]
            ax.barh(list(ys), values, left=[-v / 2 for v in values], color=colours, height=0.7)
            for y, level, value in zip(ys, FUNNEL_LEVELS, values):
                share = value / values[0] if values[0] else 0.0
                ax.text(top * 0.55, y, f"{show(value)}\n({fmt_number(share * 100, 1)} % TAM)",
                        va="center", ha="left", fontsize=10)
            ax.set_yticks(list(ys), [f"{FUNNEL_NAMES[x]}\n({x})" for x in FUNNEL_LEVELS])
            ax.set_xlim(-top * 0.55, top * 1.15)
            ax.set_xticks([])
            ax.grid(False)
            ax.spines["bottom"].set_visible(False)
            ax.set_title(textwrap.fill(title, 40), fontsize=12)
        fig.suptitle(f"Воронка рынка: TAM → SAM → SOM (сценарий: {scenario})",
                     fontsize=14, fontweight="bold")
    return fig


def segments_figure(table, included, blocked, unit_name: str) -> CourseFigure:
    """Demand by segment in two panels (units a year; thousand som a year), coloured by
    whether the segment is in SAM, chosen but blocked by entry requirements, or left out.

    ``table`` is a :func:`ovop_course.market.segment_table`.
    """
    status = ["included" if s in included else "blocked" if s in blocked else "left_out"
              for s in table.index]
    colours = [STATUS_COLOURS[s] for s in status]
    labels = [textwrap.fill(name, 22) for name in table["segment"]]
    ys = list(range(len(table)))[::-1]
    fig = new_figure(11, 0.55 * len(table) + 2.2)
    panels = [("Объём, " + unit_name + " в год", table["volume_units"], fmt_number),
              ("Стоимость, тыс. сом в год", table["value_som"], _thousands)]
    with styled(fig):
        axes = fig.subplots(1, 2, sharey=True)
        for ax, (title, values, show) in zip(axes, panels):
            ax.barh(ys, values, color=colours, height=0.65)
            for y, value in zip(ys, values):
                ax.text(value, y, " " + show(value), va="center", fontsize=9.5)
            ax.set_xlim(0, max(values.max(), 1) * 1.3)
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.xaxis.set_major_formatter(
                GROUPED if show is fmt_number else FuncFormatter(lambda x, _p: fmt_number(x / 1000)))
            ax.set_title(textwrap.fill(title, 40), fontsize=12)
            ax.grid(axis="y", visible=False)
        axes[0].set_yticks(ys, labels, fontsize=10)
        handles = [Patch(color=STATUS_COLOURS[s], label=STATUS_NAMES[s])
                   for s in STATUS_COLOURS if s in status]
        fig.legend(handles=handles, loc="lower center", ncols=len(handles), frameon=False,
                   fontsize=10)
        fig.get_layout_engine().set(rect=(0, 0.08, 1, 0.92))
        fig.suptitle("Спрос по сегментам рынка", fontsize=14, fontweight="bold")
    return fig


def competitor_prices_figure(competitors, summary: PriceSummary, base_unit: str,
                             our_prices: dict[str, float] | None = None) -> CourseFigure:
    """Dot plot of prices in som per kg or litre: a row per competitor (dots), the
    interquartile range shaded and the median as a line; ``our_prices`` (segment → our buyer's
    price per kg or l) drawn below as diamonds, a row per segment.

    ``competitors`` is a :func:`ovop_course.market.competitor_table`.
    """
    our_prices = our_prices or {}
    rows = competitors.sort_values("price_per_unit", ascending=False)
    points = ([(textwrap.fill(f"{r.seller} — {r.where_sold}", 36), r.price_per_unit, False)
               for r in rows.itertuples()]
              + [(textwrap.fill(f"Наш продукт: {name}", 36), price, True)
                 for name, price in our_prices.items()])
    ys = list(range(len(points)))[::-1]
    fig = new_figure(11, 0.42 * len(points) + 2.1)
    with styled(fig):
        ax = fig.add_subplot()
        ax.axvspan(summary.q1, summary.q3, color=PALETTE[4], alpha=0.25,
                   label="средняя половина цен конкурентов (1-й – 3-й квартиль)")
        ax.axvline(summary.median, color=PALETTE[0], linewidth=2,
                   label=f"медиана конкурентов: {fmt_number(summary.median)} сом/{base_unit}")
        for ours, marker, colour, label in ((False, "o", PALETTE[0], "цена конкурента"),
                                            (True, "D", PALETTE[3],
                                             "наша цена для покупателя в сегменте")):
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
        ax.set_xlabel(f"Цена для покупателя, сом за 1 {base_unit}")
        ax.grid(axis="y", visible=False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, frameon=False,
                  fontsize=9.5)
        ax.set_title(f"Цены за 1 {base_unit}: конкуренты и наш продукт")
    return fig
