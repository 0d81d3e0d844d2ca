"""Tool «territory» (module 2, step 1): read the aiyl aimak and count the labour available.

By default it shows the lesson case «Чычырканак»; a trainee passes their own tables
(``villages`` and ``calendar`` required; ``structure``, ``skills``, ``activities`` optional)::

    ovop_course.tool("territory", villages=my_villages, calendar=my_calendar, market="Нарын")

The controls set the labour model (who counts as reserve, how much they would work); the
result is recomputed when a slider is released. The parts that depend on the data only are
built once (the pyramid and skills charts when their tab is first opened); a change of a
control redraws only the numbers of the labour chart (:class:`~ovop_course.charts.territory.
LabourChart`). Saving writes the section ``step01_territory`` of the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from html import escape

import ipywidgets as widgets
import pandas as pd

from ..charts import kept, to_svg
from ..charts.territory import (
    LabourChart,
    population_pyramid_figure,
    skills_resources_figure,
)
from ..errors import OvopError
from ..fmt import fmt_number, fmt_percent, month_labels
from ..i18n import t
from ..steps import territory
from ..workbook import TerritorySection
from ._base import LABEL_STYLE, Tool, html_table, picture, table_box
from ._inputs import SliderField
from ._own_data import OwnTable
from ._registry import register
from ._shared import checkbox, html, shared_layout, vbox

PEOPLE_TAB, SKILLS_TAB = 2, 3   # tabs whose chart is drawn when first opened


@dataclass(frozen=True)
class TerritoryResult:
    """One reading of the territory with one set of labour assumptions."""

    totals: territory.AimakTotals
    labour_reserve: float
    free_share: pd.Series
    person_days: pd.Series
    person_hours: pd.Series
    peak_months: list[int]
    low_months: list[int]
    checks: list[territory.RuleCheck]
    strengths: list[str]
    gaps: list[str]
    hours_per_day: float


@register
class TerritoryTool(Tool):
    """Profile of the aiyl aimak, labour reserve by month, strengths and gaps."""

    name = "territory"
    section = "step01_territory"
    own_tables = {"villages": OwnTable("lesson/villages"),
                  "calendar": OwnTable("lesson/labour_calendar"),
                  "structure": OwnTable("lesson/population_structure", required=False),
                  "skills": OwnTable("lesson/household_skills", required=False),
                  "activities": OwnTable("lesson/economic_activities", required=False)}

    def __init__(self, workbook_path=None, *, villages=None, calendar=None, structure=None,
                 skills=None, activities=None, market: str = "Каракол", lesson: bool = False):
        self.market = str(market)
        try:
            self.load(**self.start_tables(workbook_path, lesson, villages=villages,
                                          calendar=calendar,
                                          structure=structure, skills=skills,
                                          activities=activities))
        except OvopError as e:
            self.data, self.checks, self.data_error = None, [], str(e)
        self.labour_image = picture().add_class("ovop-territory-labour")
        self.numbers = html().add_class("ovop-territory-numbers")
        self.months_table = html().add_class("ovop-territory-months")
        super().__init__(workbook_path)

    def load(self, villages=None, calendar=None, structure=None, skills=None,
             activities=None) -> None:
        """The lesson case (no table given) or the trainee's tables, checked; what no control
        changes is worked out here once, not at every move of a slider."""
        own = {"villages": villages, "calendar": calendar, "structure": structure,
               "skills": skills, "activities": activities}
        data = (territory.lesson_data() if all(v is None for v in own.values())
                else territory.own_data(**own))
        checks = territory.territory_summary(data, self.market)
        totals = territory.aimak_totals(data.villages)
        free = territory.free_time_share(data.calendar)
        self.data, self.checks, self._totals, self._free = data, checks, totals, free
        self.__dict__.pop("_tabs", None)  # the data tabs show these tables: built anew

    def lesson_tables(self) -> dict[str, pd.DataFrame]:
        return vars(territory.lesson_data())

    @property
    def title(self) -> str:
        return t("territory.title")

    # --- controls ---------------------------------------------------------------------------
    def build_controls(self):
        def share(key, value, low=0.0):
            return SliderField(value, low=low, high=1.0, step=0.05, percent=True,
                               description=t(key), style=LABEL_STYLE, layout=_wide())

        return {
            "migrant_stay_share": share("territory.control.migrant_stay_share", 0.2),
            "count_not_employed": checkbox(False, t("territory.control.count_not_employed")),
            "participation": share("territory.control.participation", 0.3, low=0.05),
            "working_days": SliderField(
                territory.DEFAULT_WORKING_DAYS, low=1, high=31, step=1, whole=True,
                description=t("territory.control.working_days"), style=LABEL_STYLE,
                layout=_wide()),
            "hours_per_day": SliderField(
                8.0, low=1.0, high=12.0, step=0.5,
                description=t("territory.control.hours_per_day"), style=LABEL_STYLE,
                layout=_wide()),
        }

    def layout(self):
        c = self.controls
        who = vbox([html(f"<b>{t('territory.group.who')}</b>"),
                            c["migrant_stay_share"], c["count_not_employed"]])
        how = vbox([html(f"<b>{t('territory.group.how')}</b>"),
                            c["participation"], c["working_days"], c["hours_per_day"]])
        return [self.heading(), who, how, self.message,
                self.output, self._save_button()]

    # --- calculation ------------------------------------------------------------------------
    def compute(self, migrant_stay_share, count_not_employed, participation, working_days,
                hours_per_day) -> TerritoryResult:
        """The labour model of :mod:`ovop_course.steps.territory`; its functions check every
        value."""
        totals, free = self._totals, self._free
        labour_reserve = territory.labour_reserve(totals, migrant_stay_share,
                                                  bool(count_not_employed))
        days = territory.available_person_days(labour_reserve, free, working_days, participation)
        hours = territory.person_hours(days, hours_per_day)
        peak, low = territory.peak_and_low_months(days)
        strengths, gaps = territory.strengths_and_gaps(self.checks)
        return TerritoryResult(totals, labour_reserve, free, days, hours, peak, low, self.checks,
                               strengths, gaps, float(hours_per_day))

    # --- display ----------------------------------------------------------------------------
    def render(self, result: TerritoryResult):
        self.numbers.value = self._numbers_html(result)
        self.labour_image.value = kept(LabourChart).svg(result.person_days, result.peak_months,
                                                         result.low_months)
        self.months_table.value = self._months_html(result)
        return [self._tabs]

    @cached_property
    def _tabs(self) -> widgets.Tab:
        """The result area: the first tab changes with the controls, the others show data.

        The charts of the «people» and «skills» tabs are drawn when the tab is first opened:
        most trainees look at them once, and drawing them costs more than the whole first tab.
        """
        self._unopened = {PEOPLE_TAB: vbox([html(self._villages_html())]),
                          SKILLS_TAB: vbox()}
        tabs = widgets.Tab(children=[
            vbox([self.numbers, self.labour_image, self.months_table]),
            html(self._summary_html()).add_class("ovop-territory-summary"),
            self._unopened[PEOPLE_TAB], self._unopened[SKILLS_TAB],
            html(self._rules_html()),
        ]).add_class("ovop-territory-tabs")
        for i, key in enumerate(("labour", "summary", "people", "skills", "rules")):
            tabs.set_title(i, t(f"territory.tab.{key}"))
        tabs.observe(self._open_tab, names="selected_index")
        return tabs

    def _open_tab(self, change) -> None:
        """Put the chart into a data tab the first time that tab is opened."""
        box = self._unopened.pop(change["new"], None)
        if box is not None:
            box.children = [self._data_chart(change["new"]), *box.children]

    def _data_chart(self, tab: int) -> widgets.Widget:
        """The population pyramid (or a note that there is no structure table) or the chart
        of skills and current activities."""
        d = self.data
        if tab == PEOPLE_TAB:
            if d.structure is None:
                return html(t("territory.no_structure"))
            pyramid = territory.population_pyramid(d.structure)
            return picture(to_svg(population_pyramid_figure(pyramid)))
        shares = (None if d.skills is None
                  else territory.skill_shares(d.skills, int(d.villages["households"].sum())))
        return picture(to_svg(skills_resources_figure(shares, d.activities,
                                                      territory.SKILL_STRENGTH_SHARE)))

    def _numbers_html(self, r: TerritoryResult) -> str:
        p = r.totals
        settings = self.values()
        def of_people(n: int) -> str:
            return _with_share(n, n / p.population)

        def of_working(n: int) -> str:
            return _with_share(n, p.share_of_working_age(n))

        rows = [("villages", fmt_number(p.villages)), ("population", fmt_number(p.population)),
                ("households", fmt_number(p.households)),
                ("working_age", of_people(p.working_age)), ("women", of_people(p.women)),
                ("youth", of_working(p.youth)), ("employed", of_working(p.employed)),
                ("underemployed", of_working(p.underemployed)),
                ("migrants", of_working(p.seasonal_migrants)),
                ("not_employed", of_working(p.not_employed))]
        counted = p.not_employed if settings["count_not_employed"] else 0
        formula = t("territory.num.reserve_formula", u=fmt_number(p.underemployed),
                    s=_typed_percent(settings["migrant_stay_share"]),
                    m=fmt_number(p.seasonal_migrants), n=fmt_number(counted),
                    r=fmt_number(r.labour_reserve))
        table = "".join(f"<tr><td>{escape(t(f'territory.num.{k}'))}</td>"
                        f"<td style='text-align:right'>{v}</td></tr>" for k, v in rows)
        return (table_box(f"<table class='ovop-table ovop-territory-people'>{table}</table>")
                + f"<p class='ovop-territory-reserve'><b>{formula}</b></p>"
                f"<p class='ovop-territory-total'>{self._total_text(r)}</p>")

    @staticmethod
    def _total_text(r: TerritoryResult) -> str:
        return t("territory.num.total_days", days=fmt_number(r.person_days.sum()),
                 hours=fmt_number(r.person_hours.sum()),
                 peak=territory.month_names(r.peak_months), low=territory.month_names(r.low_months))

    @staticmethod
    def _months_html(r: TerritoryResult) -> str:
        table = pd.DataFrame({
            t("territory.col.free_share"): [fmt_percent(v, 0) for v in r.free_share],
            t("territory.col.person_days"): [fmt_number(v) for v in r.person_days],
            t("territory.col.person_hours"): [fmt_number(v) for v in r.person_hours],
        }, index=month_labels()).T
        return html_table(table, index=True, numeric=True)

    def _summary_html(self) -> str:
        strengths, gaps = territory.strengths_and_gaps(self.checks)

        def items(found, mark):
            return "".join(f"<li>{mark} {escape(f)}</li>" for f in found) or \
                f"<li>{escape(t('territory.none_found'))}</li>"

        return (f"<h4>{t('territory.strengths')}</h4><ul>{items(strengths, '✔')}</ul>"
                f"<h4>{t('territory.gaps')}</h4><ul>{items(gaps, '⚠')}</ul>"
                f"<p><i>{t('territory.summary_note')}</i></p>")

    def _rules_html(self) -> str:
        table = pd.DataFrame([{
            t("territory.col.kind"): t(f"territory.kind.{c.kind}"),
            t("territory.col.rule"): c.rule,
            t("territory.col.value"): c.value,
            t("territory.col.result"): t("territory.hit") if c.triggered else t("territory.miss"),
        } for c in self.checks])
        return html_table(table)

    def _villages_html(self) -> str:
        v = self.data.villages
        table = pd.DataFrame({
            t("territory.col.village"): v["village"],
            t("territory.col.population"): v["population"].map(fmt_number),
            t("territory.col.working_age"): v["working_age"].map(fmt_number),
            t("territory.col.underemployed"): v["underemployed"].map(fmt_number),
            t("territory.col.migrants"): v["seasonal_migrants"].map(fmt_number),
            t("territory.col.market_km", market=self.market):
                v["distance_karakol_km"].map(fmt_number),
            t("territory.col.road_km"): v["distance_road_km"].map(fmt_number),
            t("territory.col.electricity"): v["electricity"],
            t("territory.col.water"): v["water"],
            t("territory.col.internet"): v["internet"],
        })
        return html_table(table)

    # --- saving -----------------------------------------------------------------------------
    def to_section(self, result: TerritoryResult,
                   saved: TerritorySection | None) -> TerritorySection:
        p = result.totals
        return TerritorySection(
            villages=p.villages, population=p.population, households=p.households,
            working_age=p.working_age, labour_reserve=round(result.labour_reserve, 2),
            hours_per_day=result.hours_per_day,
            person_days=[round(float(v), 1) for v in result.person_days],
            peak_months=result.peak_months, low_months=result.low_months,
            strengths=result.strengths, gaps=result.gaps)


def _typed_percent(share: float) -> str:
    """A share as the trainee typed it, in per cent: 20%, 12,5% (not rounded to 12%)."""
    percent = share * 100
    digits = next((d for d in range(3) if abs(round(percent, d) - percent) < 1e-9), 3)
    return fmt_percent(share, digits)


def _wide() -> widgets.Layout:
    return shared_layout(width="640px")


def _with_share(count: int, share: float) -> str:
    return f"{fmt_number(count)} ({fmt_percent(share, 0)})"
