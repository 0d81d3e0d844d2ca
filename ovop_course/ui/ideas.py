"""Tool «ideas» (step 3): weight the OVOP criteria, switch knock-out rules, put in your own
scores, see the ranking and how stable it is, save the shortlist to the workbook.

Data: the lesson case by default; the trainee's own tables through the keywords ``product_ideas``
(columns of ``data/lesson/product_ideas.csv``), ``materials`` (``material_id``, ``material``,
``stable_months``) and ``skills`` (``skill_id``, ``skill``, ``people``).
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import pandas as pd

from ..charts import kept
from ..charts.ideas import SelectionChart
from ..errors import OvopError
from ..fmt import fmt_number, fmt_percent
from ..i18n import t
from ..steps import ideas
from ..workbook import IdeasSection, RejectedIdea, ScoreOverride, ShortlistedIdea
from ._base import LABEL_STYLE, Tool, picture, table_box
from ._inputs import SliderField
from ._own_data import OwnTable
from ._registry import register
from ._shared import checkbox, hbox, html, shared_layout, vbox

LABEL = {"description_width": "245px"}
AUTO = "auto"
# The scores table: 14 narrow columns; an idea that did not pass shows why in a row of its own
# under its scores (in the last column, the reasons made every such row a tall strip).
SCORES_CSS = ("<style>.ovop-ideas-scores{font-size:90%}.ovop-table-box table.ovop-ideas-scores "
              ":is(td,th){padding:3px 5px}.ovop-table-box table.ovop-ideas-scores th"
              "{font-size:100%}.ovop-ideas-scores tr.ovop-idea{border-top:1px solid #E0E0E0}"
              ".ovop-table-box table.ovop-ideas-scores tr.ovop-reasons td{padding-top:0}</style>")
SLIDER = {"style": LABEL, "layout": {"width": "460px"}}


@register
class IdeasTool(Tool):
    """Step 3: preliminary selection of ideas against the OVOP criteria."""

    name = "ideas"
    section = "step03_ideas"
    own_tables = {"product_ideas": OwnTable("lesson/product_ideas", fill=("other_inputs",)),
                  "materials": OwnTable(ideas.MaterialMonths, required=False,
                                        readme="lesson/raw_materials"),
                  "skills": OwnTable(ideas.SkillPeople, required=False,
                                     readme="lesson/household_skills")}

    def __init__(self, workbook_path=None, product_ideas: pd.DataFrame | None = None,
                 materials: pd.DataFrame | None = None, skills: pd.DataFrame | None = None,
                 lesson: bool = False):
        self._facts, self._auto = None, None
        given = self.start_tables(workbook_path, lesson, product_ideas=product_ideas,
                                  materials=materials, skills=skills)
        try:
            self.load(**given)
        except OvopError as e:  # shown in the tool, not as a traceback in the notebook
            self.data_error = str(e)
            self.tables = (given.get("product_ideas"), given.get("materials"), given.get("skills"))
        self.editor = self._build_editor()
        self.summary = html()
        self.picture = picture()
        self.scores = html().add_class("ovop-ideas-table")
        self.shown = [self.summary, self.picture,
                      html(f"<p><small>{escape(t('ideas.chart_caption'))}</small></p>"),
                      self.scores]
        super().__init__(workbook_path)

    def load(self, product_ideas=None, materials=None, skills=None) -> None:
        """The trainee's tables, each one not given taken from the lesson case; checked here
        (:meth:`facts` then uses them)."""
        given = (product_ideas, materials, skills)
        lesson = ideas.lesson_inputs() if any(x is None for x in given) else given
        tables = tuple(own if own is not None else case for own, case in zip(given, lesson))
        facts = ideas.idea_facts(*tables)
        self.tables, self._facts, self._auto = tables, facts, None

    def lesson_tables(self) -> dict[str, pd.DataFrame]:
        return dict(zip(self.own_tables, ideas.lesson_inputs()))

    @property
    def title(self) -> str:
        return t("ideas.title")

    # --- controls and layout ----------------------------------------------------------------
    def build_controls(self):
        count = len(self.tables[0]) if isinstance(self.tables[0], pd.DataFrame) else 1
        controls = {
            f"w_{key}": SliderField(ideas.DEFAULT_WEIGHTS[key], low=0, high=5, step=1,
                                    whole=True, description=ideas.criterion_name(key), **SLIDER)
            for key in ideas.CRITERIA
        }
        controls["top_n"] = SliderField(min(3, max(count, 1)), low=1, high=max(count, 1), step=1,
                                        whole=True, description=t("ideas.control.top_n"),
                                        **SLIDER)
        controls["spread"] = SliderField(ideas.SPREAD, low=0, high=0.5, step=0.05, percent=True,
                                         description=t("ideas.control.spread"), **SLIDER)
        for rule in ideas.KNOCKOUTS:
            controls[f"ko_{rule}"] = checkbox(True, t(f"ideas.knockout.{rule}"))
        controls["overrides"] = widgets.Textarea(
            value="", description=t("ideas.control.overrides"), style=LABEL_STYLE,
            placeholder=t("ideas.control.overrides_hint"),
            layout=shared_layout(width="95%", height="90px"))
        return controls

    def layout(self):
        c = self.controls
        weights = vbox([html(f"<b>{t('ideas.head.weights')}</b>"),
                                *(c[f"w_{key}"] for key in ideas.CRITERIA)])
        screen = vbox([html(f"<b>{t('ideas.head.knockouts')}</b>"),
                               *(c[f"ko_{rule}"] for rule in ideas.KNOCKOUTS),
                               html(f"<b>{t('ideas.head.shortlist')}</b>"),
                               c["top_n"], c["spread"]])
        own = widgets.Accordion([vbox([self.editor, c["overrides"]])],
                                titles=(t("ideas.head.overrides"),))
        rules = widgets.Accordion([html(self._rules_html())],
                                  titles=(t("ideas.head.rules"),))
        return [self.heading(),
                hbox([weights, screen], flex_flow="row wrap"),
                own, rules, self.message, self.output, self._save_button()]

    def _build_editor(self) -> widgets.VBox:
        """Pick an idea, a criterion and a score; «Записать» puts it into «Свои оценки»."""
        self.pick_idea = widgets.Dropdown(description=t("ideas.editor.idea"), style=LABEL_STYLE,
                                          layout=shared_layout(width="440px"))
        self.pick_criterion = widgets.Dropdown(
            description=t("ideas.editor.criterion"), style=LABEL_STYLE,
            options=[(ideas.criterion_name(k), k) for k in ideas.CRITERIA])
        self.pick_score = widgets.ToggleButtons(
            options=[(t("ideas.editor.auto"), AUTO)] + [(str(s), s) for s in range(1, 6)],
            style={"button_width": "auto"})
        self.auto_score = html()
        button = widgets.Button(description=t("ideas.editor.apply"), icon="pencil",
                                layout=shared_layout(width="auto"))
        button.on_click(lambda _b: self.apply_editor())
        for pick in (self.pick_idea, self.pick_criterion):
            pick.observe(lambda _c: self._show_auto_score(), names="value")
        return vbox([hbox([self.pick_idea, self.pick_criterion]),
                             hbox([self.pick_score, button]), self.auto_score])

    def apply_editor(self) -> None:
        """Write the editor's choice into the «Свои оценки» text (auto = remove the line)."""
        try:
            overrides = ideas.parse_overrides(self.controls["overrides"].value)
        except OvopError as e:
            self._show_error(str(e))
            return
        pair = (self.pick_idea.value, self.pick_criterion.value)
        if pair[0] is None:
            self._show_note(t("ideas.editor.no_idea"), refused=True)
            return
        before = overrides.pop(pair, None)
        if self.pick_score.value != AUTO:
            overrides[pair] = self.pick_score.value
        if overrides.get(pair) == before:  # the same score again: say so, or the click is lost
            score = t("ideas.editor.auto") if before is None else str(before)
            self._show_note(t("ideas.editor.unchanged", idea=self.pick_idea.label,
                              criterion=self.pick_criterion.label, score=score), refused=True)
            return
        self.set(overrides=ideas.format_overrides(overrides))

    def _show_auto_score(self) -> None:
        idea, key = self.pick_idea.value, self.pick_criterion.value
        if self._auto is None or idea not in self._auto.index:
            self.auto_score.value = ""
            return
        self.auto_score.value = t("ideas.editor.from_data", score=self._auto.loc[idea, key])

    @staticmethod
    def _rules_html() -> str:
        rows = "".join(f"<tr><td><b>{escape(ideas.criterion_name(k))}</b></td>"
                       f"<td>{escape(t(f'ideas.rule.{k}'))}</td></tr>" for k in ideas.CRITERIA)
        return (table_box(f"<table class='ovop-table'>{rows}</table>")
                + f"<p>{escape(t('ideas.rule.total'))}</p>"
                f"<p>{escape(t('ideas.rule.knockouts'))}</p>")

    # --- calculation ------------------------------------------------------------------------
    def facts(self) -> pd.DataFrame:
        """The trainee's tables, validated once (an OvopError names what to fix)."""
        if self._auto is None:
            if self._facts is None:
                self._facts = ideas.idea_facts(*self.tables)
            self._auto = ideas.criterion_scores(self._facts)
            self.pick_idea.options = [(f"{row.idea} ({i})", i)
                                      for i, row in self._facts.iterrows()]
            self._show_auto_score()
        return self._facts

    def compute(self, **values):
        facts = self.facts()
        weights = {key: values[f"w_{key}"] for key in ideas.CRITERIA}
        rules = [rule for rule in ideas.KNOCKOUTS if values[f"ko_{rule}"] is True]
        return ideas.evaluate_ideas(facts, weights=weights, top_n=values["top_n"], rules=rules,
                                    overrides=ideas.parse_overrides(values["overrides"]),
                                    spread=values["spread"])

    # --- display ----------------------------------------------------------------------------
    def render(self, result: ideas.IdeaSelection):
        """Update the result widgets in place (created once: a new widget per change costs
        more than the new values); :class:`SelectionChart` redraws only what changed."""
        summary = self._warnings_html(result) + self._summary_html(result)
        picture = kept(SelectionChart).svg(result.table, result.top_n, result.spread)
        scores = self._table_html(result)
        self.summary.value, self.picture.value, self.scores.value = summary, picture, scores
        if self.pick_idea.value is None and self.pick_idea.options:
            self.pick_idea.index = 0  # the score editor starts on the first idea, not on none
        return self.shown

    @staticmethod
    def _warnings_html(result) -> str:
        lines = "".join(f"<li>{escape(_rule_off(r))}</li>" for r in result.rules_off)
        return (f'<div class="ovop-warning" style="color:#8A4B00;background:#FFF4E0;'
                f'padding:4px 8px"><b>⚠ {escape(t("ideas.rules_off_head"))}</b>'
                f"<ul>{lines}</ul></div>") if lines else ""

    @staticmethod
    def _summary_html(result) -> str:
        table = result.table
        passed, shortlist = int(table["eligible"].sum()), result.shortlist
        if shortlist.empty:
            text = t("ideas.summary_none", total=len(table))
        else:
            names = ", ".join(f"{r.idea} ({fmt_number(r.score)})"
                              for r in shortlist.itertuples())
            text = t("ideas.summary", passed=passed, total=len(table),
                     count=len(shortlist), names=names)
            if passed < result.top_n:
                text += " " + t("ideas.summary_fewer", passed=passed, top_n=result.top_n)
        return f'<p class="ovop-ideas-summary">{escape(text)}</p>'

    @staticmethod
    def _table_html(result) -> str:
        head = ["ideas.col.idea", *(f"ideas.short.{k}" for k in ideas.CRITERIA),
                "ideas.col.points", "ideas.col.rank", "ideas.col.share", "ideas.col.range",
                "ideas.col.status"]
        cells = "".join(f"<th>{escape(t(h, top_n=result.top_n))}</th>" for h in head)
        body = "".join(_row_html(idea_id, row, result) for idea_id, row in result.table.iterrows())
        return (SCORES_CSS + table_box(f'<table class="ovop-table ovop-ideas-scores">'
                                       f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody>"
                                       "</table>")
                + f"<p><small>{escape(t('ideas.table_note'))}</small></p>")

    # --- saving -----------------------------------------------------------------------------
    def to_section(self, result: ideas.IdeaSelection,
                   saved: IdeasSection | None) -> IdeasSection:
        if result.shortlist.empty:
            raise OvopError(t("ideas.nothing_shortlisted"))
        return IdeasSection(
            weights=result.weights, top_n=result.top_n,
            shortlist=[ShortlistedIdea(idea_id=i, idea=r["idea"], material_id=r["material_id"],
                                       score=round(r["score"], 1), rank=int(r["rank"]),
                                       stability_share=round(r["stability_share"], 3),
                                       rank_min=int(r["rank_min"]), rank_max=int(r["rank_max"]))
                       for i, r in result.shortlist.iterrows()],
            rejected=[RejectedIdea(idea_id=i, idea=r["idea"], score=round(r["score"], 1),
                                   reasons=list(r["reasons"]))
                      for i, r in result.rejected.iterrows()],
            rules_off=list(result.rules_off),
            overrides=[ScoreOverride(idea_id=i, criterion=k, score=s)
                       for (i, k), s in result.overrides.items()],
        )


def _rule_off(rule: str) -> str:
    return t("ideas.rule_off", rule=t(f"ideas.knockout.{rule}"),
             principle=t(f"ideas.principle.{rule}"))


def _row_html(idea_id: str, row, result) -> str:
    mark = {k for (i, k) in result.overrides if i == idea_id}
    scores = "".join(f"<td style='text-align:center'>{row[k]}{'✎' if k in mark else ''}</td>"
                     for k in ideas.CRITERIA)
    idea = escape(row["idea"])
    if row["eligible"]:
        status = t("ideas.status.shortlisted" if row["shortlisted"] else "ideas.status.passed")
        extra = (f"<td>{row['rank']}</td><td>{fmt_percent(row['stability_share'], 0)}</td>"
                 f"<td>{int(row['rank_min'])}–{int(row['rank_max'])}</td>")
        style = "font-weight:bold" if row["shortlisted"] else ""
        return (f"<tr class='ovop-idea' style='{style}'><td>{idea}</td>{scores}"
                f"<td>{fmt_number(row['score'])}</td>{extra}<td>{escape(status)}</td></tr>")
    # why it did not pass: under its scores, across the columns right of its name
    why = escape("✘ " + "; ".join(row["reasons"]))
    grey = "color:#777777"
    return (f"<tr class='ovop-idea' style='{grey}'><td rowspan='2'>{idea}</td>{scores}"
            f"<td>{fmt_number(row['score'])}</td><td>—</td><td>—</td><td>—</td>"
            f"<td>{escape('✘ ' + t('ideas.status.rejected'))}</td></tr>"
            f"<tr class='ovop-reasons' style='{grey}'>"
            f"<td colspan='{len(ideas.CRITERIA) + 5}'>{why}</td></tr>")
