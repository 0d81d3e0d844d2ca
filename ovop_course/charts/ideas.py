"""Step 3 figures: the ranking of ideas and how stable it is when the weights move.

They take the ``table`` of :class:`ovop_course.ideas.IdeaSelection` (rows already in display
order: eligible ideas by rank, then the rejected ones).

- :func:`selection_figure` (what the tool shows): the ranking bars and, on the same rows, the
  share of weight draws in which each idea stays in the top N;
- :func:`stability_figure` (for the lesson): the range of ranks each idea takes over the draws.

Text is what costs most drawing time in matplotlib (about 0.1 ms a letter), so the figures
carry no legends: the tool and the notebook explain the colours in their captions.

>>> from ovop_course.ideas import select_ideas
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
from ..i18n import t
from . import PALETTE, CourseFigure, new_figure, styled

SHORTLISTED, PASSED, REJECTED = PALETTE[0], "#9CCBEA", "#D9D9D9"
GREY_TEXT = "#555555"
ROW_INCHES = 0.48


def _label(text: str, width: int = 36) -> str:
    """At most two lines; a number stays with its unit («0,5 л»)."""
    text = re.sub(r"(\d) ", "\\1\u00a0", str(text))
    return textwrap.fill(text, width, max_lines=2, placeholder="…")


def _fixed(fig, rows: int):
    """Fixed margins instead of constrained layout (which lays out every text once more);
    ``to_png`` (``bbox_inches="tight"``) still keeps every label in the picture."""
    height = ROW_INCHES * max(rows, 2) + 1.1
    fig.set_layout_engine("none")
    fig.set_size_inches(fig.get_figwidth(), height)
    return 0.75 / height, 1 - 0.35 / height  # bottom, top of the axes


def _colours(rows: pd.DataFrame) -> list[str]:
    return [SHORTLISTED if r.shortlisted else PASSED if r.eligible else REJECTED
            for r in rows.itertuples()]


def draw_ranking(ax, table: pd.DataFrame, top_n: int) -> None:
    """Horizontal bars of the 0–100 score, best on top: shortlisted ideas dark blue, ideas
    that passed the knock-outs light blue, rejected ideas grey with the broken rules on the
    bar; the score of an idea that passed is written at the end of its bar."""
    rows = table.iloc[::-1]
    y = np.arange(len(rows))
    ax.barh(y, rows["points"], color=_colours(rows), height=0.72)
    for yi, r in zip(y, rows.itertuples()):
        if r.eligible:
            ax.text(r.points + 1, yi, f"{r.points:.0f}", va="center", fontsize=10,
                    fontweight="bold" if r.shortlisted else "normal")
        else:
            rules = "; ".join(t(f"ideas.knockout_short.{rule}") for rule in r.failed_rules)
            ax.text(1, yi, "✘ " + rules, va="center", fontsize=8.5, color=GREY_TEXT)
    ax.set_yticks(y, [_label(f"{r.rank}. {r.idea}" if r.eligible else r.idea)
                      for r in rows.itertuples()], fontsize=10)
    ax.set_xlim(0, 106)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("Итог по критериям ОСОП, баллы 0–100")
    ax.set_title(f"Рейтинг идей: в коротком списке — {top_n}", loc="left")
    ax.grid(axis="y", visible=False)


def draw_share_in_top(ax, table: pd.DataFrame, top_n: int, spread: float) -> None:
    """On the rows of :func:`draw_ranking`: the share of weight draws in which each idea that
    passed the knock-outs stays in the top N (rejected ideas: no bar)."""
    rows = table.iloc[::-1]
    y = np.arange(len(rows))
    share = rows["share_top_n"].fillna(0).to_numpy() * 100
    ax.barh(y, share, color=_colours(rows), height=0.72)
    for yi, r in zip(y, rows.itertuples()):
        if r.eligible:
            ax.text(3, yi, fmt_percent(r.share_top_n, 0), va="center", fontsize=9.5,
                    color="white" if r.share_top_n > 0.3 else "black")
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 50, 100], ["0", "50", "100 %"])
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.set_xlabel(f"веса ±{spread * 100:.0f} %")
    ax.set_title(f"В первых {top_n}", loc="left")
    ax.grid(axis="y", visible=False)


def selection_figure(table: pd.DataFrame, top_n: int, spread: float = 0.3) -> CourseFigure:
    """The ranking (left) and how often each idea stays in the top N when every weight is
    shifted by up to ±``spread`` (right), row by row."""
    fig = new_figure(10, 5)
    with styled(fig):
        bottom, top = _fixed(fig, len(table))
        left = fig.add_axes((0.3, bottom, 0.5, top - bottom))
        right = fig.add_axes((0.83, bottom, 0.14, top - bottom), sharey=left)
        draw_ranking(left, table, top_n)
        draw_share_in_top(right, table, top_n, spread)
    return fig


def stability_figure(table: pd.DataFrame, top_n: int, spread: float,
                     draws: int) -> CourseFigure:
    """For each idea that passed the knock-outs: the range of ranks it took over the weight
    draws (light bar, best to worst), its rank with the chosen weights (dot), the top N
    (shaded) and the share of draws in which it stayed in the top N (right column)."""
    rows = table.loc[table["eligible"]].iloc[::-1]
    fig = new_figure(10, 5)
    with styled(fig):
        bottom, top = _fixed(fig, len(rows))
        ax = fig.add_axes((0.3, bottom, 0.67, top - bottom))
        ax.set_title(f"Устойчивость рейтинга: каждый вес ×(1 ± {spread * 100:.0f} %), "
                     f"{draws} расчётов", loc="left")
        if rows.empty:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "Ни одна идея не прошла отсев — сравнивать нечего",
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
            ax.text(right, yi, fmt_percent(r.share_top_n, 0), va="center", ha="right",
                    fontsize=10)
        ax.text(right, count - 0.5, f"в первых {top_n}", ha="right", va="bottom", fontsize=9)
        ax.set_yticks(y, [_label(r.idea) for r in rows.itertuples()], fontsize=10)
        ax.set_xticks(range(1, count + 1))
        ax.set_xlim(0.5, right + 0.1)
        ax.set_ylim(-0.6, count + 0.2)
        ax.set_xlabel("Место в рейтинге (1 — лучшее)")
        ax.grid(axis="y", visible=False)
    return fig
