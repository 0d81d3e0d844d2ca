"""Figures of step 5, product development: the mass of a batch after each stage of the
process (where the recipe's raw material goes) and the tasting panel's mean scores by
variant and attribute. Pure builders: data in, :class:`CourseFigure` out.

Both depend on the product alone, so a tool draws each once per product and UI language and
keeps the picture; their margins are fixed (no constrained layout) and they carry few texts.

>>> from ovop_course.steps import product
>>> recipe, losses, _ = product.lesson_recipe()
>>> stages = product.loss_stages(recipe, losses, "sb_juice")
>>> fig = yield_figure(stages, 61.0, 100, 0.5, "л")
>>> [label.get_text() for label in fig.axes[0].get_xticklabels()][:3]
['Сырьё', '1', '2']
"""

from __future__ import annotations

import pandas as pd

from ..fmt import fmt_number, fmt_typed
from ..i18n import t
from ..schemas import PANEL_ATTRIBUTES
from ..steps.product import LIKED_SCORE
from . import PALETTE, CourseFigure, new_figure, set_margins, styled

ATTRIBUTE_KEYS = ("overall", "look", "smell", "taste", "texture")
"""Catalogue keys (``product.attribute.<key>``) of the panel's attributes, in the order of
:data:`~ovop_course.schemas.PANEL_ATTRIBUTES` (the data's own words)."""
WIDTH_IN = 9.0  # 864 px at the course's dpi: fits a notebook cell at 1366 px


def attribute_name(attribute: str) -> str:
    """A panel attribute (a data value, «вкус») in the UI language."""
    return t(f"product.attribute.{ATTRIBUTE_KEYS[PANEL_ATTRIBUTES.index(attribute)]}")


def yield_figure(stages: pd.DataFrame, input_amount: float, units: int, unit_size: float,
                 unit: str) -> CourseFigure:
    """Bars of the batch's mass: the raw ingredients Q, then what is left after each stage
    (``stages``: :func:`~ovop_course.steps.product.loss_stages`, its ``batch_mass``), the last
    bar — the yield — in green; a dashed line at what the batch table packs, ``units`` × the
    unit's size ``unit_size`` (kg or l, ``unit``). Kg and l are counted alike (1 kg = 1 l)."""
    masses = [float(input_amount), *(float(m) for m in stages["batch_mass"])]
    labels = [t("product.chart.raw"), *(str(int(n)) for n in stages["stage_no"])]
    colours = [PALETTE[1]] + [PALETTE[0]] * (len(masses) - 2) + [PALETTE[2]]
    packed = units * unit_size
    fig = new_figure(WIDTH_IN, 3.6, layout=None)
    with styled(fig):
        ax = fig.add_subplot()
        xs = list(range(len(masses)))
        ax.bar(xs, masses, color=colours, width=0.65)
        for x, mass in zip(xs, masses):
            ax.text(x, mass, fmt_number(mass, 1), ha="center", va="bottom", fontsize=10)
        ax.axhline(packed, color="#555555", linestyle="--", linewidth=1.2,
                   label=t("product.chart.packed", units=fmt_number(units),
                           size=fmt_typed(unit_size),
                           amount=fmt_number(packed, 1), unit=unit))
        ax.set_xticks(xs, labels)
        ax.set_xlim(-0.6, len(masses) - 0.4)
        ax.set_ylim(0, max(masses) * 1.4)
        ax.set_ylabel(t("product.chart.mass_axis"))
        ax.set_xlabel(t("product.chart.stage_axis"))
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper right", frameon=False, fontsize=10)
        ax.set_title(t("product.chart.yield_title"))
        set_margins(fig, left=0.9, right=0.2, top=0.45, bottom=0.75)
    return fig


def panel_figure(summary: pd.DataFrame) -> CourseFigure:
    """The panel's mean score (1–9) of each variant (bars of one colour) on each attribute
    (groups), with the line at 6 («нравится немного»). ``summary``:
    :func:`~ovop_course.steps.product.panel_summary` (columns ``variant``, ``variant_name``,
    ``attribute``, ``mean``). Few texts: a mean over each bar, the variants in the legend."""
    variants = list(dict.fromkeys(summary["variant"]))
    names = dict(zip(summary["variant"], summary["variant_name"]))
    attributes = [a for a in PANEL_ATTRIBUTES if a in set(summary["attribute"])]
    means = summary.set_index(["variant", "attribute"])["mean"]
    width = 0.8 / max(len(variants), 1)
    fig = new_figure(WIDTH_IN, 3.8, layout=None)
    with styled(fig):
        ax = fig.add_subplot()
        for i, variant in enumerate(variants):
            xs = [j - 0.4 + width * (i + 0.5) for j, a in enumerate(attributes)
                  if (variant, a) in means.index]
            ys = [float(means[(variant, a)]) for a in attributes if (variant, a) in means.index]
            ax.bar(xs, ys, width=width * 0.92, color=PALETTE[i % len(PALETTE)],
                   label=str(names[variant]))
            for x, y in zip(xs, ys):
                ax.text(x, y, fmt_number(y, 1), ha="center", va="bottom", fontsize=8.5)
        ax.axhline(LIKED_SCORE, color="#555555", linestyle="--", linewidth=1.2,
                   label=t("product.chart.liked_line"))
        ax.set_xticks(range(len(attributes)), [attribute_name(a) for a in attributes])
        ax.set_xlim(-0.5, len(attributes) - 0.5)
        ax.set_ylim(0, 12.2)
        ax.set_yticks(range(1, 10))
        ax.set_ylabel(t("product.chart.score_axis"))
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper center", ncols=2, frameon=False, fontsize=9.5)
        ax.set_title(t("product.chart.panel_title"))
        set_margins(fig, left=0.75, right=0.2, top=0.45, bottom=0.45)
    return fig
