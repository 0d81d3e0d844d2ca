"""Figure builders with one shared style: data in, matplotlib Figure out.

This package holds the style and the course-wide figures; each step's figures live in a
module of their own (``charts/territory.py``, ...) and use :func:`new_figure`.

Figures are built with the object API (no pyplot state), so they work the same in a
notebook, in a Tool, in Voila and in a headless test. Every figure is a :class:`CourseFigure`,
which shows itself as SVG in Jupyter and can be turned into SVG bytes for a widget
(:func:`to_svg`): shapes as vectors and text as text that the browser draws, so a picture is
crisp at any zoom and on any screen, and is quicker to make than a PNG (no glyph is rasterised).

Style: DejaVu Sans (has Cyrillic; matplotlib lays the text out with its metrics, and a browser
without it draws Arial, which is narrower, so no label outgrows its place), base size 12 pt,
titles 14 pt, no top/right frame, light grid, and one colour-blind-safe palette (Okabe & Ito,
2008) in :data:`PALETTE`.

>>> fig = roadmap_figure()
>>> to_svg(fig).startswith(b"<?xml")
True
"""

from __future__ import annotations

import io
import textwrap
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache, lru_cache
from typing import TypeVar

import matplotlib
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FuncFormatter

from .. import user_cache
from ..data import load_table
from ..fmt import fmt_number
from ..i18n import get_language, t

T = TypeVar("T")

# Okabe & Ito (2008), "Color Universal Design": distinguishable with colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
           "#000000"]
STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Liberation Sans"],  # the SVG's font-family
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.titley": 1.0,   # titles just above the axes: no axis is measured on each drawing to
    #                       lift them over texts on top (none has any), ~10 % of a drawing
    "axes.labelsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "xtick.bottom": False,   # no tick marks: the grid and the labels show where values are,
    "ytick.left": False,     # and each mark is a line to draw (~10 % of a drawing)
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "figure.dpi": 100,
    "svg.fonttype": "none",   # text as <text>, drawn by the browser
    "svg.hashsalt": "ovop",   # the same ids in every drawing: the same figure, the same bytes
}  # no "savefig.bbox: tight": constrained layout already fits the margins, and tight bbox
#    draws every figure twice


@lru_cache(maxsize=512)
def _grouped(x: float, _language: str) -> str:
    return fmt_number(x)


# Tick labels with grouped thousands (5 000); a drawing asks for them many times, Babel is slow.
GROUPED = FuncFormatter(lambda x, _pos: _grouped(x, get_language()))


class CourseFigure(Figure):
    """A Figure that Jupyter displays as SVG without pyplot or an inline backend."""

    def _repr_svg_(self) -> str:
        return to_svg(self).decode("utf-8")


def new_figure(width: float = 9, height: float = 5,
               layout: str | None = "constrained") -> CourseFigure:
    """An empty figure in the course style (size in inches); ``layout=None`` for a figure
    that sets its own margins."""
    with matplotlib.rc_context(STYLE):
        return CourseFigure(figsize=(width, height), layout=layout)


def set_margins(fig: Figure, left: float, right: float, top: float, bottom: float,
                gap: float = 0.0) -> None:
    """Fixed margins in inches around the grid of axes of ``fig`` (``gap``: between its rows).

    For a figure made with ``new_figure(..., layout=None)`` whose texts around the axes have a
    size known in advance (titles, labels, month names): constrained layout measures every
    text on every drawing, a quarter to a half of drawing such a chart.
    """
    width, height = fig.get_size_inches()
    rows = fig.axes[0].get_subplotspec().get_gridspec().nrows
    mean_row = (height - top - bottom - gap * (rows - 1)) / rows
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height, hspace=gap / mean_row)


def label_width(labels, size: float, weight: str = "normal") -> float:
    """Width in inches of the widest line of ``labels`` in the course font at ``size`` points
    and ``weight`` (measured from the font's glyphs, no drawing): the margin of a figure with
    fixed margins (:func:`set_margins`) that shows these labels left of its axes."""
    font = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    lines = [line for label in labels for line in str(label).splitlines()]
    return max(TextToPath().get_text_width_height_descent(line, font, ismath=False)[0]
               for line in lines) / 72


def styled(fig: Figure):
    """Context manager: draw into ``fig`` with the course style (``with styled(fig): ...``)."""
    return matplotlib.rc_context(STYLE)


def to_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes (for ``ipywidgets.Image(format="svg+xml")`` and for saving):
    its size in points (72 a inch: a 9-inch figure is 864 px wide in a browser), text as text,
    no date, so that the same figure gives the same bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


class PictureCache:
    """The last ``size`` pictures by key, least recently used dropped first: a tool moved back
    to settings it showed before shows their picture at once, without drawing it again.

    With ``shelf`` (a name for what draws the pictures, e.g. ``"technology"``) every picture
    is also kept in the user's cache folder (:mod:`~ovop_course.user_cache`) under its key,
    the UI language and the course's code (:func:`~ovop_course.user_cache.code_stamp`): the
    next kernel — a lesson run again, an app page opened — shows it without drawing. Only for
    keys that name everything their picture shows, not just which row of the tool's tables.
    """

    def __init__(self, size: int = 64, shelf: str | None = None):
        self.size, self.shelf = size, shelf
        self._pictures: OrderedDict[Hashable, bytes] = OrderedDict()

    def get(self, key: Hashable, draw: Callable[[], bytes]) -> bytes:
        """The picture kept for ``key``, else ``draw()`` (then kept)."""
        if key in self._pictures:
            self._pictures.move_to_end(key)
            return self._pictures[key]
        picture = self._pictures[key] = self._shelved(key, draw)
        while len(self._pictures) > self.size:
            self._pictures.popitem(last=False)
        return picture

    def _shelved(self, key: Hashable, draw: Callable[[], bytes]) -> bytes:
        if self.shelf is None:
            return draw()
        path = user_cache.kept_file("pictures", user_cache.code_stamp(), self.shelf,
                                    get_language(), key, suffix=".svg")
        picture = user_cache.read(path)
        if picture is None:
            picture = draw()
            user_cache.write(path, picture, limit=user_cache.MAX_FILES)
        return picture

    def __len__(self) -> int:
        return len(self._pictures)


def kept(chart: type[T]) -> T:
    """The kernel's one ``chart`` (a class that keeps a figure and redraws it in place:
    LabourChart, SupplyChart, SelectionChart, FunnelChart) for the UI language, shared by
    every tool that shows it.

    Each such chart draws a picture from its arguments alone (what it keeps — a laid-out
    figure, pictures by what they show — is a cache of them), so tools
    lose nothing by sharing it, and a second tool of the same shape starts from a figure
    already drawn: the worked example and «Ваш айыл аймак» of a lesson draw it once. The
    texts follow the UI language: one chart per language.
    """
    return _kept(chart, get_language())


@cache
def _kept(chart: type[T], _language: str) -> T:
    return chart()


# Phases of the roadmap (seed, section 2.3): catalogue key (chart.roadmap.phase.*) and steps.
ROADMAP_PHASES = [
    ("analysis", range(1, 5)),
    ("product", range(5, 7)),
    ("people", range(7, 10)),
    ("market", range(10, 12)),
]


ROADMAP_COLUMNS = 4
"""Stops per row of the roadmap: a row fits a notebook at 1366 px with its captions readable."""
ROADMAP_WIDTH_IN = 9.2  # 920 px at the course's dpi: the width of a notebook cell at 1366 px


def roadmap_figure(steps=None) -> CourseFigure:
    """The 11-step OVOP methodology as a road of numbered stops, with OVOP+1's role under each.

    ``steps`` is a table with columns ``step``, ``name``, ``ovop_plus_one_role``
    (default: ``load_table("course/methodology_steps")``). The road winds through rows of
    :data:`ROADMAP_COLUMNS` stops (1–4 left to right, 5–8 right to left, 9–11 left to right),
    so that the figure is drawn at the width it is shown in a notebook and no caption is
    shrunk below ~13 px.
    """
    steps = load_table("course/methodology_steps") if steps is None else steps
    rows = max(1, -(-len(steps) // ROADMAP_COLUMNS))
    fig = new_figure(ROADMAP_WIDTH_IN, 1.6 + 2.4 * rows)
    with styled(fig):
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_xlim(-0.6, ROADMAP_COLUMNS - 0.4)
        ax.set_ylim(-rows + 0.45, 0.7)
        points = [_roadmap_stop(i) for i in range(len(steps))]
        road = [points[0]]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            if y1 != y0:  # the turn at a row's end goes round the captions, not through them
                side = x0 + (0.45 if x0 else -0.45)
                road += [(side, y0), (side, y1)]
            road.append((x1, y1))
        ax.plot(*zip(*road), color="#BBBBBB", linewidth=6, zorder=1, solid_capstyle="round",
                solid_joinstyle="round")
        for (x, y), row in zip(points, steps.itertuples()):
            colour = next(PALETTE[i] for i, (_, r) in enumerate(ROADMAP_PHASES) if row.step in r)
            ax.plot([x], [y], "o", markersize=28, color=colour, zorder=2)  # a marker, not a
            #   scatter: SVG would measure a scatter's curves on every drawing
            ax.text(x, y, str(row.step), ha="center", va="center", color="white",
                    fontsize=13, fontweight="bold", zorder=3)
            ax.text(x, y + 0.14, textwrap.fill(row.name, 18), ha="center", va="bottom",
                    fontsize=11, fontweight="bold")
            ax.text(x, y - 0.14, textwrap.fill(row.ovop_plus_one_role, 22), ha="center",
                    va="top", fontsize=10, color="#444444", style="italic")
        for i, (phase, _) in enumerate(ROADMAP_PHASES):
            ax.plot([], [], "o", markersize=11, color=PALETTE[i],
                    label=t(f"charts.roadmap.phase.{phase}"))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), ncols=2, frameon=False,
                  fontsize=10)
        ax.set_title(t("charts.roadmap.title"), fontsize=13)
    return fig


def _roadmap_stop(i: int) -> tuple[int, int]:
    """Where stop ``i`` (from 0) stands: column and row (0, −1, …) of a road that winds."""
    row, column = divmod(i, ROADMAP_COLUMNS)
    return (column if row % 2 == 0 else ROADMAP_COLUMNS - 1 - column), -row
