"""Step 3 figures: the ranking of ideas and how stable it is when the weights move.

They take the ``table`` of :class:`ovop_course.steps.ideas.IdeaSelection` (rows already in display
order: eligible ideas by rank, then the rejected ones).

- :func:`selection_figure` (what the tool shows, as PNG through :class:`SelectionChart`):
  the ranking bars and, on the same rows, the share of weight draws in which each idea stays
  in the top N;
- :func:`stability_figure` (for the lesson): the range of ranks each idea takes over the draws.

Text is what costs most drawing time in matplotlib (about 0.1 ms a letter), so the figures
carry no legends: the tool and the notebook explain the colours in their captions.

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
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..fmt import fmt_percent
from ..i18n import get_language, t
from . import PALETTE, CourseFigure, PngCache, draw_without, encode_png, new_figure, styled

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
            ax.set_axisbelow(True)  # grid lines under the bars (SelectionChart relies on it)
        draw_ranking(left, table, top_n)
        draw_share_in_top(right, table, top_n, spread)
    return fig


class SelectionChart:
    """The tool's picture (:func:`selection_figure`) as PNG, quick to draw again.

    Text costs most of the drawing (about 0.1 ms a letter), and little of it changes when a
    control moves. So one figure is kept and drawn in three layers, in the order a full
    draw paints them (the picture is the same, pixel for pixel):

    1. the frame: axes, grid, ticks, titles — drawn once for each N and spread and kept
       as pixels;
    2. the idea names left of the bars — each name in each row is drawn once and its
       pixels are kept (the names of 8 ideas take 13 forms over all the tool's moves);
    3. bars, the axis lines over their ends, numbers and rules — drawn every time.

    The last ``keep`` pictures are kept by exactly what they show (:func:`_shown`): a slider
    moved back to where it was gives its picture at once.
    """

    def __init__(self, keep: int = 64):
        self._canvas: FigureCanvasAgg | None = None
        self._frame: tuple | None = None  # the titles of the frame in _background
        self._background: np.ndarray | None = None
        self._names: dict[tuple[str, int], tuple] = {}  # (name, row) → (pixel box, pixels)
        self._pictures = PngCache(keep)

    def png(self, table: pd.DataFrame, top_n: int, spread: float) -> bytes:
        """The picture of :func:`selection_figure` for this table, as PNG bytes."""
        return self._pictures.get(_shown(table, top_n, spread),
                                  lambda: self._draw(table, top_n, spread))

    def _draw(self, table: pd.DataFrame, top_n: int, spread: float) -> bytes:
        fig = self._figure(table, top_n, spread)
        with styled(fig):
            self._draw_frame(fig)
            pixels = np.asarray(self._canvas.buffer_rgba())
            pixels[:] = self._background
            self._draw_names(fig, pixels)
            for artist in _data(fig):
                fig.draw_artist(artist)
        return encode_png(pixels, fig.dpi)

    def _figure(self, table: pd.DataFrame, top_n: int, spread: float):
        """The kept figure with this table's bars and texts (a new one when the rows change:
        the height follows them)."""
        fig = self._canvas.figure if self._canvas else None
        if fig is None or len(fig.axes[0].patches) != len(table):
            fig = selection_figure(table, top_n, spread)
            self._canvas, self._frame, self._names = FigureCanvasAgg(fig), None, {}
            return fig
        left, right = fig.axes
        with styled(fig):
            for artist in [*left.containers, *left.texts, *right.containers, *right.texts]:
                artist.remove()
            draw_ranking(left, table, top_n)
            draw_share_in_top(right, table, top_n, spread)
        return fig

    def _draw_frame(self, fig) -> None:
        """Draw everything but the names and :func:`_data` and keep the pixels, when the
        titles (N, spread) differ from the kept frame's."""
        frame = tuple((ax.get_title(loc="left"), ax.get_xlabel()) for ax in fig.axes)
        if frame == self._frame:
            return
        draw_without(self._canvas, [*_data(fig), *fig.axes[0].get_yticklabels()])
        self._frame = frame
        self._background = np.array(self._canvas.buffer_rgba())

    def _draw_names(self, fig, pixels: np.ndarray) -> None:
        """The idea names: a name new in its row is drawn and its pixels (on the white margin,
        where nothing else is drawn) kept; a known one is copied back."""
        renderer, height = self._canvas.get_renderer(), pixels.shape[0]
        for row, label in enumerate(fig.axes[0].get_yticklabels()):
            key = (label.get_text(), row)
            if key not in self._names:
                fig.draw_artist(label)
                x0, y0, x1, y1 = label.get_window_extent(renderer).extents
                box = (slice(max(int(height - y1) - 2, 0), int(height - y0) + 3),
                       slice(max(int(x0) - 2, 0), int(x1) + 3))
                self._names[key] = box, pixels[box].copy()
            box, block = self._names[key]
            pixels[box] = block


def _data(fig) -> list:
    """What changes with the values, axes by axes in the order of a full draw: bars (z-order
    1, over the grid), the axis lines (2.5, over the bars' ends), numbers and rules (3)."""
    return [artist for ax in fig.axes
            for artist in (*ax.patches, *(s for s in ax.spines.values() if s.get_visible()),
                           *ax.texts)]


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
