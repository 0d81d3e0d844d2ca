"""Step 3 figures: the ranking of ideas and how stable it is when the weights move.

They take the ``table`` of :class:`ovop_course.steps.ideas.IdeaSelection` (rows already in display
order: eligible ideas by rank, then the rejected ones).

- :func:`selection_figure` (what the tool shows, as SVG through :class:`SelectionChart`):
  the ranking bars and, on the same rows, the share of weight draws in which each idea stays
  in the top N;
- :func:`stability_figure` (for the lesson): the range of ranks each idea takes over the draws.

The figures carry no legends: the tool and the notebook explain the colours in their captions.

>>> from ovop_course.steps.ideas import select_ideas
>>> sel = select_ideas()
>>> fig = selection_figure(sel.table, sel.top_n)
>>> len(fig.axes[0].patches) == len(sel.table)
True
"""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pandas as pd

from ..fmt import fmt_percent
from ..i18n import get_language, t
from . import PALETTE, CourseFigure, PictureCache, new_figure, styled, to_svg

SHORTLISTED, PASSED, REJECTED = PALETTE[0], "#9CCBEA", "#D9D9D9"
GREY_TEXT = "#555555"
ROW_INCHES = 0.48
DRAWN = ("idea", "score", "eligible", "shortlisted", "rank", "stability_share", "failed_rules")
"""The columns of the selection table that :func:`selection_figure` draws."""


def _label(text: str, width: int = 32) -> str:
    """At most two lines; a number stays with its unit («0,5 л»)."""
    text = re.sub(r"(\d) ", "\\1\u00a0", str(text))
    return textwrap.fill(text, width, max_lines=2, placeholder="…")


def _fixed_figure(rows: int) -> tuple[CourseFigure, float, float]:
    """A figure as tall as ``rows`` rows need, with fixed margins and no layout engine
    (constrained layout measures every text once more at each draw); and the bottom and top
    of its axes as shares of the height."""
    height = ROW_INCHES * max(rows, 2) + 1.1
    return new_figure(10, height, layout=None), 0.75 / height, 1 - 0.35 / height


def _rows(table: pd.DataFrame) -> list:
    """The drawn columns row by row, the last row first (it is drawn at the bottom)."""
    return list(table.loc[::-1, list(DRAWN)].itertuples(index=False))


def _colours(rows: list) -> list[str]:
    return [SHORTLISTED if r.shortlisted else PASSED if r.eligible else REJECTED for r in rows]


def draw_ranking(ax, table: pd.DataFrame, top_n: int) -> None:
    """Horizontal bars of the 0–100 score, best on top: shortlisted ideas dark blue, ideas
    that passed the knock-outs light blue, rejected ideas grey with the broken rules on the
    bar; the score of an idea that passed is written at the end of its bar."""
    rows = _rows(table)
    y = np.arange(len(rows))
    ax.barh(y, [r.score for r in rows], color=_colours(rows), height=0.72)
    for yi, r in zip(y, rows):
        if r.eligible:
            ax.text(r.score + 1, yi, f"{r.score:.0f}", va="center", fontsize=10,
                    fontweight="bold" if r.shortlisted else "normal")
        else:
            rules = "; ".join(t(f"ideas.knockout_short.{rule}") for rule in r.failed_rules)
            ax.text(1, yi, "✘ " + rules, va="center", fontsize=8.5, color=GREY_TEXT)
    ax.set_yticks(y, [_label(f"{r.rank}. {r.idea}" if r.eligible else r.idea)
                      for r in rows], fontsize=10)
    ax.set_xlim(0, 106)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(t("ideas.chart.total_axis"))
    ax.set_title(t("ideas.chart.ranking_title", top_n=top_n), loc="left")
    ax.grid(axis="y", visible=False)


def draw_share_in_top(ax, table: pd.DataFrame, top_n: int, spread: float) -> None:
    """On the rows of :func:`draw_ranking`: the share of weight draws in which each idea that
    passed the knock-outs stays in the top N (rejected ideas: no bar)."""
    rows = _rows(table)
    y = np.arange(len(rows))
    share = [r.stability_share * 100 if r.eligible else 0 for r in rows]
    ax.barh(y, share, color=_colours(rows), height=0.72)
    for yi, r in zip(y, rows):
        if r.eligible:
            ax.text(3, yi, fmt_percent(r.stability_share, 0), va="center", fontsize=9.5,
                    color="white" if r.stability_share > 0.3 else "black")
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 50, 100], ["0", "50", "100 %"])
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.set_xlabel(t("ideas.chart.spread_axis", spread=f"{spread * 100:.0f}"))
    ax.set_title(t("ideas.chart.in_top_title", top_n=top_n), loc="left")
    ax.grid(axis="y", visible=False)


def selection_figure(table: pd.DataFrame, top_n: int, spread: float = 0.3) -> CourseFigure:
    """The ranking (left) and how often each idea stays in the top N when every weight is
    shifted by up to ±``spread`` (right), row by row."""
    fig, bottom, top = _fixed_figure(len(table))
    with styled(fig):
        left = fig.add_axes((0.3, bottom, 0.5, top - bottom))
        right = fig.add_axes((0.83, bottom, 0.14, top - bottom), sharey=left)
        for ax in (left, right):
            ax.set_axisbelow(True)  # grid lines under the bars
        draw_ranking(left, table, top_n)
        draw_share_in_top(right, table, top_n, spread)
    return fig


class SelectionChart:
    """The tool's picture (:func:`selection_figure`) as SVG, quick to draw again.

    One figure is kept and its bars and texts replaced for each new selection (a new figure
    only when the number of rows changes: the height follows them). The last ``keep``
    pictures are kept by exactly what they show (:func:`_shown`): a slider moved back to
    where it was gives its picture at once.
    """

    def __init__(self, keep: int = 64):
        self._figure: CourseFigure | None = None
        self._pictures = PictureCache(keep, shelf="ideas.selection")

    def svg(self, table: pd.DataFrame, top_n: int, spread: float) -> bytes:
        """The picture of :func:`selection_figure` for this table, as SVG bytes."""
        return self._pictures.get(_shown(table, top_n, spread),
                                  lambda: to_svg(self._redrawn(table, top_n, spread)))

    def _redrawn(self, table: pd.DataFrame, top_n: int, spread: float) -> CourseFigure:
        """The kept figure with this table's bars and texts."""
        fig = self._figure
        if fig is None or len(fig.axes[0].patches) != len(table):
            self._figure = selection_figure(table, top_n, spread)
            return self._figure
        left, right = fig.axes
        with styled(fig):
            for artist in [*left.containers, *left.texts, *right.containers, *right.texts]:
                artist.remove()
            draw_ranking(left, table, top_n)
            draw_share_in_top(right, table, top_n, spread)
        return fig


def _shown(table: pd.DataFrame, top_n: int, spread: float) -> tuple:
    """What the picture shows, as a hashable key (an empty share is None: NaN ≠ NaN)."""
    rows = table[list(DRAWN)].assign(
        stability_share=table["stability_share"].astype(object).where(
            table["stability_share"].notna(), None),
        failed_rules=table["failed_rules"].map(tuple))
    return (tuple(rows.itertuples(index=False, name=None)), int(top_n), float(spread),
            get_language())


def stability_figure(table: pd.DataFrame, top_n: int, spread: float,
                     draws: int) -> CourseFigure:
    """For each idea that passed the knock-outs: the range of ranks it took over the weight
    draws (light bar, best to worst), its rank with the chosen weights (dot), the top N
    (shaded) and the share of draws in which it stayed in the top N (right column)."""
    rows = table.loc[table["eligible"]].iloc[::-1]
    fig, bottom, top = _fixed_figure(len(rows))
    with styled(fig):
        ax = fig.add_axes((0.3, bottom, 0.67, top - bottom))
        ax.set_title(t("ideas.chart.stability_title"), loc="left")  # the details go under the axis
        ax.set_xlabel(t("ideas.chart.stability_axis", spread=f"{spread * 100:.0f}", draws=draws))
        if rows.empty:
            ax.set_axis_off()
            ax.text(0.5, 0.5, t("ideas.chart.none_passed"),
                    ha="center", va="center", transform=ax.transAxes)
            return fig
        count = len(rows)
        y = np.arange(count)
        right = count + 0.5 + max(1.0, count * 0.25)
        ax.axvspan(0.5, min(top_n, count) + 0.5, color=SHORTLISTED, alpha=0.08)
        ax.hlines(y, rows["rank_min"] - 0.2, rows["rank_max"] + 0.2, color=PASSED,
                  linewidth=11)
        ax.scatter(rows["rank"], y, s=70, color=SHORTLISTED, zorder=3)
        for yi, r in zip(y, rows.itertuples()):
            ax.text(right, yi, fmt_percent(r.stability_share, 0), va="center", ha="right",
                    fontsize=10)
        ax.text(right, count - 0.5, t("ideas.chart.in_top", top_n=top_n), ha="right",
                va="bottom", fontsize=9)
        ax.set_yticks(y, [_label(r.idea) for r in rows.itertuples()], fontsize=10)
        ax.set_xticks(range(1, count + 1))
        ax.set_xlim(0.5, right + 0.1)
        ax.set_ylim(-0.6, count + 0.2)
        ax.grid(axis="y", visible=False)
    return fig
