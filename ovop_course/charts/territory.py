"""Figures of step 1 (territory analysis): population pyramid, labour by month, skills and
current activities. Pure builders: tables in, :class:`CourseFigure` out (labels through the
message catalogue, so they follow the UI language).

>>> import pandas as pd
>>> days = pd.Series([300.0] * 6 + [50.0] * 6, index=range(1, 13))
>>> fig = labour_months_figure(days, peak=[1], low=[12])
>>> [t.get_text() for t in fig.axes[0].get_xticklabels()][:2]
['янв', 'фев']
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.patches import Patch

from ..fmt import fmt_number, fmt_percent, month_labels
from ..i18n import get_language, t
from ..steps.territory import WORKING_AGE_GROUPS
from . import (
    PALETTE,
    CourseFigure,
    new_figure,
    set_margins,
    styled,
    to_svg,
)

BLUE, ORANGE, GREEN, VERMILION, SKY = PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4]
GREY = "#9E9E9E"

# Seasons for the background of the labour chart: months and a light colour.
SEASONS = [("winter", (1, 2), "#E3F2FD"), ("spring", (3, 4, 5), "#E8F5E9"),
           ("summer", (6, 7, 8), "#FFF8E1"), ("autumn", (9, 10, 11), "#FBE9E7"),
           ("winter", (12,), "#E3F2FD")]


VALUE_LABEL = "value"  # gid of the number over each bar of the labour chart


def population_pyramid_figure(pyramid: pd.DataFrame) -> CourseFigure:
    """Age groups (rows, youngest first) × sex (columns ``ж``, ``м``) as a pyramid: men to the
    left, women to the right, the number of people at the end of each bar."""
    fig = new_figure(8, 4.6)
    with styled(fig):
        ax = fig.add_subplot()
        groups = list(pyramid.index)
        y = range(len(groups))
        men, women = pyramid["м"].to_numpy(), pyramid["ж"].to_numpy()
        ax.barh(y, -men, color=BLUE, label=t("territory.chart.men"))
        ax.barh(y, women, color=ORANGE, label=t("territory.chart.women"))
        widest = max(int(men.max()), int(women.max()), 1)
        for i, (m, w) in enumerate(zip(men, women)):
            ax.text(-m - widest * 0.02, i, fmt_number(m), ha="right", va="center", fontsize=10)
            ax.text(w + widest * 0.02, i, fmt_number(w), ha="left", va="center", fontsize=10)
        ax.set_yticks(list(y), [t("territory.chart.age", group=g.replace("-", "–"))
                                for g in groups])
        ax.set_xlim(-widest * 1.3, widest * 1.3)
        ticks = ax.get_xticks()
        ax.set_xticks(ticks, [fmt_number(abs(v)) for v in ticks])
        ax.axvline(0, color="#555555", linewidth=0.8)
        working = [i for i, g in enumerate(groups) if g in WORKING_AGE_GROUPS]
        if working:
            ax.axhspan(min(working) - 0.45, max(working) + 0.45, color="#F0F0F0", zorder=0)
            ax.text(-widest * 1.28, max(working) + 0.47, t("territory.chart.working_age"),
                    fontsize=9.5, color="#555555", va="bottom")
        ax.set_xlabel(t("territory.chart.people"))
        ax.set_title(t("territory.chart.pyramid_title"))
        ax.legend(loc="upper right", frameon=False)
    return fig


def labour_months_figure(days: pd.Series, peak: list[int], low: list[int]) -> CourseFigure:
    """Available person-days by month (index 1..12) as bars over season bands; the months with
    the most labour in green, the fewest in vermilion. Each bar carries its number, so the
    chart needs no value axis, and its margins are fixed: the title above, the y label left,
    the month names and the legend below."""
    fig = new_figure(9, 4.6, layout=None)
    with styled(fig):
        ax = fig.add_subplot()
        set_margins(fig, left=0.3, right=0.05, top=0.3, bottom=0.8)
        top = max(float(days.max()), 1.0)
        for season, months, colour in SEASONS:
            ax.axvspan(min(months) - 0.5, max(months) + 0.5, color=colour, zorder=0)
            if len(months) > 1:
                ax.text(sum(months) / len(months), top * 1.17, t(f"territory.chart.{season}"),
                        ha="center", va="top", fontsize=10, color="#555555")
        colours = [GREEN if m in peak else VERMILION if m in low else SKY for m in days.index]
        ax.bar(days.index, days.to_numpy(), color=colours, zorder=2)
        for m, v in days.items():
            ax.text(m, v + top * 0.015, fmt_number(v), ha="center", va="bottom", fontsize=10,
                    zorder=3, gid=VALUE_LABEL)
        ax.set_xticks(list(range(1, 13)), month_labels())
        ax.set_xlim(0.5, 12.5)
        ax.set_ylim(0, top * 1.2)
        ax.set_yticks([])  # no value axis: the numbers stand on the bars
        ax.spines["left"].set_visible(False)
        ax.set_ylabel(t("territory.chart.person_days"))
        ax.set_title(t("territory.chart.labour_title"))
        ax.legend(handles=[Patch(color=GREEN, label=t("territory.chart.peak")),
                           Patch(color=VERMILION, label=t("territory.chart.low"))],
                  loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False, ncols=2)
    return fig


class LabourChart:
    """The labour chart of the tool as SVG, quick to redraw when a control changes.

    The controls scale every month alike (``D_m = R × d × f_m × p``: R, d and p change, f_m
    does not), so the picture relative to the tallest bar stays the same and only the numbers
    over the bars change. The figure is built once per shape (bars ÷ tallest bar, peak and
    low months) and UI language; each call puts the 12 numbers into it and writes it out.
    """

    def __init__(self):
        self._shape: tuple | None = None
        self._figure: CourseFigure | None = None
        self._labels: list = []

    def svg(self, days: pd.Series, peak: list[int], low: list[int]) -> bytes:
        """The chart of :func:`labour_months_figure` for these person-days, as SVG bytes."""
        shape = (_shape(days, peak, low), get_language())  # the texts follow the UI language
        if shape != self._shape:
            self._figure = labour_months_figure(days, peak, low)
            self._labels = [x for x in self._figure.axes[0].texts
                            if x.get_gid() == VALUE_LABEL]
            self._shape = shape
        for label, value in zip(self._labels, days):
            label.set_text(fmt_number(value))
        return to_svg(self._figure)


def _shape(days: pd.Series, peak: list[int], low: list[int]) -> tuple:
    """What the picture of the labour chart depends on: bars ÷ tallest bar, peak, low."""
    top = max(float(days.max()), 1.0)
    return tuple(round(float(v) / top, 6) for v in days), tuple(peak), tuple(low)


def skills_resources_figure(skills: pd.DataFrame | None, activities: pd.DataFrame | None,
                            threshold: float) -> CourseFigure:
    """Top: share of households holding each skill (``skill``, ``share``), bars at or above
    ``threshold`` in green. Bottom: people in each current activity (``activity``, ``people``,
    ``value_added``), raw-produce sales in orange. A missing table leaves a note instead."""
    fig = new_figure(9, 10)
    with styled(fig):
        top, bottom = fig.subplots(2, 1)
        _skills_axes(top, skills, threshold)
        _activities_axes(bottom, activities)
    return fig


def _wrap(text: str, width: int = 34) -> str:
    """At most two lines of ``width`` characters (a longer label ends with «…»)."""
    return "\n".join(textwrap.wrap(text, width, max_lines=2, placeholder="…"))


def _no_data(ax, title: str) -> None:
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, t("territory.chart.no_data"), ha="center", va="center",
            transform=ax.transAxes, color="#555555")


def _skills_axes(ax, skills: pd.DataFrame | None, threshold: float) -> None:
    title = t("territory.chart.skills_title")
    if skills is None:
        _no_data(ax, title)
        return
    ordered = skills.sort_values("share")
    colours = [GREEN if s >= threshold else GREY for s in ordered["share"]]
    ax.barh([_wrap(s) for s in ordered["skill"]], ordered["share"] * 100, color=colours)
    ax.axvline(threshold * 100, color=VERMILION, linestyle="--", linewidth=1.2,
               label=t("territory.chart.threshold", share=fmt_percent(threshold, 0)))
    ax.set_xlabel(t("territory.chart.households_share"))
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=9.5)
    ax.legend(loc="lower right", frameon=False, fontsize=10)


def _activities_axes(ax, activities: pd.DataFrame | None) -> None:
    title = t("territory.chart.activities_title")
    if activities is None:
        _no_data(ax, title)
        return
    ordered = activities.sort_values("people")
    raw = ordered["value_added"] == "сырьё"
    ax.barh([_wrap(a) for a in ordered["activity"]], ordered["people"],
            color=[ORANGE if r else BLUE for r in raw])
    ax.set_xlabel(t("territory.chart.people"))
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=9.5)
    ax.legend(handles=[Patch(color=ORANGE, label=t("territory.chart.raw")),
                       Patch(color=BLUE, label=t("territory.chart.not_raw"))],
              loc="lower right", frameon=False, fontsize=10)
