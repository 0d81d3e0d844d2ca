"""Step 3, preliminary selection of ideas: score candidate products against OVOP criteria,
reject the ones that break an OVOP principle, rank the rest and check how stable the ranking is.

Method (the seed's step 3: «выбор продуктовых направлений, соответствующих принципам ОСОП»;
OVOP+1's role: «отсечь нереалистичные и копируемые идеи»). It is a weighted-criteria screen
(multi-criteria scoring with knock-out criteria, the usual way to shortlist products before
their markets are surveyed, e.g. in FAO's Market Analysis and Development, MA&D), with the
criteria taken from the OVOP principles of the seed. The score bands below are the course's
own teaching rules (stated in ``docs/formulas.md``); the trainee may replace any score by
their own judgement.

1. Each idea gets a score sᵢ ∈ {1…5} on each criterion from its facts (:data:`BANDS`,
   :func:`criterion_scores`).
2. Weighted total T = Σ wᵢ·sᵢ / Σ wᵢ (1…5), shown as the score P = (T − 1) / 4 × 100
   (0…100 points; :func:`weighted_total`, :func:`to_points`).
3. Knock-out rules reject an idea whatever its score (:data:`KNOCKOUTS`, :func:`knockouts`).
4. Ideas that pass are ranked by T; the top N form the shortlist (:func:`rank_ideas`).
5. Stability: each weight is multiplied by an independent draw of U(1 − d, 1 + d)
   (d = ``spread``, a share, 0.3; 500 draws, fixed seed); for every idea: the share of draws
   in which it stays in the top N (``stability_share``) and its lowest and highest rank
   (:func:`perturbed_weights`, :func:`rank_stability`).

>>> sel = select_ideas(weights={key: 1 for key in CRITERIA}, top_n=2)
>>> list(sel.shortlist.index)
['sb_candy', 'honey_sb']
>>> sel.table.loc["sb_jam", "reasons"]
['легко скопировать: барьер копирования «низкий»']
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pydantic import Field, create_model

from .. import checks
from ..data import lesson_case, load_table
from ..errors import OvopError
from ..i18n import t
from ..schemas import Count, ProductIdea, Row, Text
from ..workbook import read_workbook
from . import raw_materials

__all__ = ["lesson_inputs", "material_stability", "idea_facts", "criterion_scores", "knockouts",
           "check_weights", "weighted_total", "to_points", "rank_ideas", "parse_overrides",
           "select_ideas"]
"""The trainee's API. :func:`evaluate_ideas` (the tool's step on already checked
:func:`idea_facts`) stays public but out of this list: a trainee calls :func:`select_ideas`."""

# ------------------------------------------------------------------------------------------
# Criteria and their score bands (the course's teaching rules).

CRITERIA = ("local_inputs", "stable_material", "skills", "uniqueness", "demand", "simplicity",
            "copy_barrier", "women_youth")
"""The OVOP criteria, in display order (names: ``t("ideas.criterion.<key>")``)."""

DEFAULT_WEIGHTS = {"local_inputs": 4, "stable_material": 4, "skills": 3, "uniqueness": 3,
                   "demand": 4, "simplicity": 3, "copy_barrier": 3, "women_youth": 4}
"""Starting weights (0–5): local resources, stable raw material, demand and the involvement of
women and youth count a little more (the seed: «опора на местные ресурсы», «ориентация на
рынок», «активное вовлечение женщин»). The trainee changes them."""


@dataclass(frozen=True)
class Band:
    """A number → score 1–5 rule with four cut points ``cuts`` (ascending).

    Higher is better: score = 1 + number of cut points the value reaches (value ≥ cut).
    Lower is better: score = 5 − number of cut points the value exceeds (value > cut).
    """

    column: str
    cuts: tuple[float, float, float, float]
    higher_is_better: bool = True

    def score(self, value: float) -> int:
        value = checks.number(value, self.column)
        if self.higher_is_better:
            return 1 + sum(bool(value >= cut) for cut in self.cuts)
        return 5 - sum(bool(value > cut) for cut in self.cuts)


BANDS = {
    "local_inputs": Band("local_input_share", (0.3, 0.5, 0.7, 0.85)),
    "stable_material": Band("stable_months", (3, 6, 9, 12)),
    "skills": Band("skill_people", (25, 75, 150, 300)),
    "uniqueness": Band("similar_sellers", (0, 2, 5, 10), higher_is_better=False),
    "demand": Band("buyer_interest_share", (0.2, 0.3, 0.4, 0.5)),
    "startup_cost": Band("startup_cost_som", (50_000, 100_000, 200_000, 400_000),
                         higher_is_better=False),
    "women_youth": Band("women_youth_share", (0.35, 0.5, 0.65, 0.8)),
}
"""Number → score rules. ``simplicity`` = min(technology score, start-up cost score)."""

TECH_SCORES = {"простая": 5, "средняя": 3, "сложная": 1}
COPY_SCORES = {"низкий": 1, "средний": 3, "высокий": 5}

MIN_STABLE_MONTHS = 6
"""An idea needs its main raw material for at least half a year (course's teaching rule)."""

LOCAL_SHARE_MIN = 0.5
"""Imported key inputs: imported components and less than half of the input cost local."""

KNOCKOUTS = ("no_stable_material", "easy_copy", "imported_inputs", "complex_tech",
             "no_local_skill")
"""Knock-out rules (names ``t("ideas.knockout.<key>")``, principles
``t("ideas.principle.<key>")``), all on by default."""

SEED = 20240301
DRAWS = 500
MAX_DRAWS = 100_000
"""At most this many draws: more only slows the check (a draws × ideas table of ranks)."""
SPREAD = 0.3


def band_score(value: float, cuts: tuple[float, ...], higher_is_better: bool = True) -> int:
    """Score 1–5 of ``value`` against four ascending cut points.

    Higher is better: 1 + #(cuts ≤ value); lower is better: 5 − #(cuts < value).

    >>> band_score(0.75, (0.3, 0.5, 0.7, 0.85))
    4
    >>> band_score(3, (0, 2, 5, 10), higher_is_better=False)
    3
    """
    if isinstance(cuts, (str, bytes)) or not isinstance(cuts, Iterable):
        raise OvopError(t("ideas.bad_cuts"))
    cuts = tuple(checks.number(c, t("ideas.field.cut")) for c in cuts)
    if len(cuts) != 4 or list(cuts) != sorted(cuts):
        raise OvopError(t("ideas.bad_cuts"))
    higher_is_better = checks.boolean(higher_is_better, "higher_is_better")
    return Band("value", cuts, higher_is_better).score(value)


# ------------------------------------------------------------------------------------------
# Input tables.

class MaterialMonths(Row):
    """A row of the trainee's table of raw materials: how many months a year it can feed
    production (:func:`material_stability` gives it for step 2's materials)."""

    material_id: Text
    material: Text
    stable_months: int = Field(ge=0, le=12)
    source: Text


class SkillPeople(Row):
    """A row of the trainee's table of skills: how many residents of the aimak have it."""

    skill_id: Text
    skill: Text
    people: Count
    source: Text


class IdeaFacts(ProductIdea):
    """A row of :func:`idea_facts`: an idea with the facts of its main material and skill."""

    stable_months: int = Field(ge=0, le=12)
    skill_people: Count
    material_known: bool
    material_name: Text
    skill_known: bool


CriterionScores = create_model(
    "CriterionScores", __base__=Row,
    **{key: (int, Field(ge=1, le=5)) for key in CRITERIA})
"""A row of :func:`criterion_scores`: a whole score 1–5 on each criterion."""

SCORE_COLUMNS = (*dict.fromkeys(band.column for band in BANDS.values()), "tech_complexity",
                 "copy_barrier")
"""The columns of :func:`idea_facts` that :func:`criterion_scores` reads."""

KNOCKOUT_COLUMNS = ("material_known", "stable_months", "copy_barrier", "imported_inputs",
                    "local_input_share", "tech_complexity", "skill_known", "skill_people")
"""The columns of :func:`idea_facts` that :func:`knockouts` reads."""


def check_ideas(ideas: pd.DataFrame) -> pd.DataFrame:
    """Validate a table of ideas (columns of ``data/lesson/product_ideas.csv``; ``other_inputs``,
    ``source`` and ``note`` may be left out). Returns it indexed by ``idea_id``."""
    return _own_table(ideas, ProductIdea, "ideas.table.ideas", "idea_id",
                      defaults={"other_inputs": "—"})


def check_materials(materials: pd.DataFrame) -> pd.DataFrame:
    """Validate a stability table: ``material_id``, ``material``, ``stable_months`` (whole,
    0–12). Returns it indexed by ``material_id``."""
    return _own_table(materials, MaterialMonths, "ideas.table.materials", "material_id")


def check_skills(skills: pd.DataFrame) -> pd.DataFrame:
    """Validate a skills table: ``skill_id``, ``skill``, ``people`` (whole, ≥ 0).
    Returns it indexed by ``skill_id``."""
    return _own_table(skills, SkillPeople, "ideas.table.skills", "skill_id")


def _own_table(frame, model, name_key: str, code: str, defaults=None) -> pd.DataFrame:
    """:func:`checks.table` row by row, then every code in the column ``code`` only once."""
    name = t(name_key)
    table = checks.table(frame, model, name, defaults)
    twice = sorted(table.loc[table[code].duplicated(), code].unique())
    if twice:
        raise OvopError(t("ideas.duplicate_rows", table=name, column=code, ids=", ".join(twice)))
    return table.set_index(code, drop=False)


def covered_months(supply: list[float], life_months: int) -> int:
    """Months of the year in which the group can have the material: month m counts when some
    month m − i (0 ≤ i < k, the year repeats) has sustainable supply S > 0.

    This is step 2's stock model (material bought in month m keeps for months m … m+k−1): it
    is the largest number of production months for which step 2's stable monthly supply with
    storage is above zero.

    >>> covered_months([0] * 8 + [4, 6, 2, 0], 9)   # wild sea buckthorn: Sep–Nov, keeps 9 months
    11
    >>> covered_months([0] * 6 + [2, 12, 1.5] + [0] * 3, 1)  # apricot: keeps days, not months
    3
    """
    supply = checks.by_month(supply, t("raw_materials.supply_field"), low=0)
    k = int(checks.number(life_months, t("raw_materials.life_months_field"), low=1, high=12,
                          whole=True))
    return sum(any(supply[(m - i) % 12] > 0 for i in range(k)) for m in range(12))


def material_stability(materials: pd.DataFrame, months: pd.DataFrame) -> pd.DataFrame:
    """For each raw material: ``stable_months``, the months of the year it can feed production.

    Step 2's functions give the sustainable supply S[m] = V[m] × s and the storage months
    k = min(12, max(1, ⌊L / 30⌋)); then stable_months = :func:`covered_months` (S, k).
    ``materials`` and ``months`` have the shape of the lesson's ``raw_materials`` and
    ``raw_material_months`` (or of step 2's ``inventory_from_records``).

    >>> from ovop_course.data import load_table
    >>> s = material_stability(load_table("lesson/raw_materials"),
    ...                        load_table("lesson/raw_material_months"))
    >>> s.loc[["sea_buckthorn_wild", "apricot", "honey"], "stable_months"].tolist()
    [11, 3, 12]
    """
    # checked once, 12 months each
    materials, months = raw_materials.check_inventory(materials, months)
    volumes = months.sort_values("month").groupby("material_id")["volume"].agg(list)
    stable = [covered_months(raw_materials.sustainable_supply(volumes[row.material_id],
                                                              row.sustainable_share),
                             raw_materials.storage_months(row.storage_life_days))
              for row in materials.itertuples()]
    table = materials[["material_id", "material"]].assign(stable_months=stable)
    return table.set_index("material_id", drop=False)


@lesson_case
def lesson_inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The lesson case: ideas, material stability and household skills of «Чычырканак»."""
    stability = material_stability(*raw_materials.lesson_inventory())
    return load_table("lesson/product_ideas"), stability, load_table("lesson/household_skills")


# ------------------------------------------------------------------------------------------
# Scores, knock-outs, totals.

def idea_facts(ideas: pd.DataFrame, materials: pd.DataFrame,
               skills: pd.DataFrame) -> pd.DataFrame:
    """The ideas (validated, indexed by ``idea_id``) with ``stable_months`` of their main
    material and ``skill_people`` of their main skill added (0 when not found)."""
    ideas, materials, skills = check_ideas(ideas), check_materials(materials), check_skills(skills)
    return ideas.assign(
        stable_months=ideas["material_id"].map(materials["stable_months"]).fillna(0),
        skill_people=ideas["skill_id"].map(skills["people"]).fillna(0),
        material_known=ideas["material_id"].isin(materials.index),
        material_name=ideas["material_id"].map(materials["material"]).fillna(ideas["material_id"]),
        skill_known=ideas["skill_id"].isin(skills.index),
    )


def criterion_scores(facts: pd.DataFrame) -> pd.DataFrame:
    """Score 1–5 of every idea (rows) on every criterion (columns, :data:`CRITERIA`).

    ``facts`` is :func:`idea_facts` (its columns :data:`SCORE_COLUMNS` are checked). Rules:
    :data:`BANDS`; technology простая 5, средняя 3, сложная 1; simplicity = min(technology,
    start-up cost); copy barrier низкий 1, средний 3, высокий 5.
    """
    return _scores(_check_facts(facts, SCORE_COLUMNS))


def _check_facts(facts: object, names: Sequence[str]) -> pd.DataFrame:
    """The columns ``names`` of a table of :func:`idea_facts`, checked by :class:`IdeaFacts`;
    the index (idea codes) is kept."""
    key = ("idea_id",) if isinstance(facts, pd.DataFrame) and "idea_id" in facts else None
    return checks.columns(facts, IdeaFacts, names, t("ideas.table.facts"), key=key)


def _scores(facts: pd.DataFrame) -> pd.DataFrame:
    """:func:`criterion_scores` of checked facts."""
    def banded(key):
        band = BANDS[key]
        return facts[band.column].map(band.score)

    tech = facts["tech_complexity"].map(TECH_SCORES)
    scores = pd.DataFrame({
        "local_inputs": banded("local_inputs"),
        "stable_material": banded("stable_material"),
        "skills": banded("skills"),
        "uniqueness": banded("uniqueness"),
        "demand": banded("demand"),
        "simplicity": np.minimum(tech, banded("startup_cost")),
        "copy_barrier": facts["copy_barrier"].map(COPY_SCORES),
        "women_youth": banded("women_youth"),
    }, index=facts.index)
    return scores[list(CRITERIA)].astype(int)


def knockouts(facts: pd.DataFrame, rules: Sequence[str] = KNOCKOUTS) -> pd.Series:
    """For every idea the list of knock-out rules it breaks (empty list: it passes);
    :func:`knockout_reason` explains each.

    Rules (each can be switched off by leaving it out of ``rules``):
    ``no_stable_material`` main material unknown or stable < :data:`MIN_STABLE_MONTHS` months;
    ``easy_copy`` copy barrier «низкий»; ``imported_inputs`` imported inputs and local share
    < :data:`LOCAL_SHARE_MIN`; ``complex_tech`` technology «сложная»; ``no_local_skill`` main
    skill unknown or nobody in the aimak has it. ``facts`` is :func:`idea_facts` (its columns
    :data:`KNOCKOUT_COLUMNS` are checked).
    """
    rules = _check_rules(rules)
    return _knockouts(_check_facts(facts, KNOCKOUT_COLUMNS), rules)


def _check_rules(rules: object) -> tuple[str, ...]:
    """The knock-out rules switched on: a list of keys of :data:`KNOCKOUTS`."""
    if isinstance(rules, (str, bytes, Mapping)) or not isinstance(rules, Iterable):
        raise OvopError(t("ideas.rules_not_list", known=", ".join(KNOCKOUTS)))
    rules = tuple(rules)
    unknown = sorted({str(rule) for rule in rules if rule not in KNOCKOUTS})
    if unknown:
        raise OvopError(t("ideas.unknown_rule", rules=", ".join(unknown),
                          known=", ".join(KNOCKOUTS)))
    return rules


def _knockouts(facts: pd.DataFrame, rules: tuple[str, ...]) -> pd.Series:
    """:func:`knockouts` of checked facts and rules."""
    return pd.Series([[rule for rule in KNOCKOUTS if rule in rules and _fails(rule, row)]
                      for _, row in facts.iterrows()], index=facts.index, dtype=object)


def _fails(rule: str, row) -> bool:
    if rule == "no_stable_material":
        return not row["material_known"] or row["stable_months"] < MIN_STABLE_MONTHS
    if rule == "easy_copy":
        return row["copy_barrier"] == "низкий"
    if rule == "imported_inputs":
        return bool(row["imported_inputs"]) and row["local_input_share"] < LOCAL_SHARE_MIN
    if rule == "complex_tech":
        return row["tech_complexity"] == "сложная"
    return not row["skill_known"] or row["skill_people"] == 0  # no_local_skill


def knockout_reason(rule: str, row) -> str:
    """Why ``row`` (a row of :func:`idea_facts`) breaks ``rule``, with its figures."""
    if rule == "no_stable_material" and not row["material_known"]:
        return t("ideas.reason.unknown_material", material=row["material_id"])
    if rule == "no_local_skill" and not row["skill_known"]:
        return t("ideas.reason.unknown_skill", skill=row["skill_id"])
    return t(f"ideas.reason.{rule}", months=int(row["stable_months"]), need=MIN_STABLE_MONTHS,
             material=row["material_name"], skill=row["skill_id"],
             share=round(row["local_input_share"] * 100), limit=round(LOCAL_SHARE_MIN * 100))


def check_weights(weights: Mapping[str, float]) -> pd.Series:
    """Weights (a dict or Series criterion → weight) as a Series over :data:`CRITERIA`; each
    0–5, at least one above 0."""
    if not isinstance(weights, (Mapping, pd.Series)):
        raise OvopError(t("ideas.weights_not_mapping"))
    weights = dict(weights)
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        raise OvopError(t("ideas.unknown_criterion", name=", ".join(sorted(map(str, unknown))),
                          known=", ".join(criterion_names())))
    checked = {key: checks.number(weights.get(key, 0),
                                  t("ideas.field.weight", criterion=criterion_name(key)),
                                  low=0, high=5) for key in CRITERIA}
    series = pd.Series(checked, dtype=float)
    if series.sum() == 0:
        raise OvopError(t("ideas.all_weights_zero"))
    return series


def weighted_total(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """T = Σ wᵢ·sᵢ / Σ wᵢ for every row of ``scores`` (criteria in columns), on the 1–5 scale.

    >>> s = pd.DataFrame({"demand": [5, 1], "uniqueness": [1, 5]}, index=["a", "b"])
    >>> weighted_total(s, {"demand": 3, "uniqueness": 1}).tolist()
    [4.0, 2.0]
    """
    return _total(check_scores(scores), check_weights(weights))


def check_scores(scores: object) -> pd.DataFrame:
    """A table of scores: criteria (:data:`CRITERIA`) in columns, a whole score 1–5 in each
    cell (:class:`CriterionScores`); the index (idea codes) is kept."""
    if isinstance(scores, pd.DataFrame):
        unknown = [str(c) for c in scores.columns if c not in CRITERIA]
        if unknown:
            raise OvopError(t("ideas.unknown_criterion", name=", ".join(unknown),
                              known=", ".join(CRITERIA)))
    names = list(scores.columns) if isinstance(scores, pd.DataFrame) else []
    return checks.columns(scores, CriterionScores, names, t("ideas.table.scores"), key=None)


def _total(scores: pd.DataFrame, w: pd.Series) -> pd.Series:
    """:func:`weighted_total` of checked scores and weights."""
    w = w[list(scores.columns)]
    if w.sum() == 0:
        raise OvopError(t("ideas.all_weights_zero"))
    # a mean of scores 1–5 is within 1–5: clip what rounding put outside (5.000000000000001)
    return ((scores * w).sum(axis=1) / w.sum()).clip(lower=1, upper=5)


def to_points(total: float | pd.Series) -> float | pd.Series:
    """A 1–5 total (a number, or a list or Series of them: then a Series) on the 0–100 scale:
    P = (T − 1) / 4 × 100. A total outside 1–5 is not a weighted total of scores 1–5.

    >>> to_points(4.0)
    75.0
    """
    field = t("ideas.field.total")
    if hasattr(total, "__iter__") and not isinstance(total, (str, bytes)):
        total = checks.round_significant(checks.numbers(total, field))  # 5.000000000000001 is 5
        return (checks.numbers(total, field, low=1, high=5) - 1) / 4 * 100
    total = checks.round_significant(checks.number(total, field))
    return (checks.number(total, field, low=1, high=5) - 1) / 4 * 100


def rank_ideas(totals: pd.Series) -> pd.Series:
    """Rank 1, 2, … by total T (1–5), highest first; at equal totals the earlier row ranks
    higher. Totals equal to 9 significant digits are equal: weights 0.1 and 0.1 may leave two
    equal totals 4·10⁻¹⁶ apart, and floating-point noise must not decide the tie. Each idea
    (index label) once.

    >>> rank_ideas(pd.Series([3.0, 4.0, 3.0], index=["a", "b", "c"])).tolist()
    [2, 1, 3]
    >>> rank_ideas(pd.Series([3.25, 3.2500000000000004], index=["a", "b"])).tolist()  # a tie
    [1, 2]
    """
    totals = checks.numbers(totals, t("ideas.field.totals"), low=1, high=5)
    checks.unique(totals, None, t("ideas.field.totals"))
    return _rank(totals)


def _rank(totals: pd.Series) -> pd.Series:
    """:func:`rank_ideas` of checked totals (may be empty)."""
    order = np.argsort(-checks.round_significant(totals.to_numpy(dtype=float)), kind="stable")
    ranks = np.empty(len(totals), dtype=int)
    ranks[order] = np.arange(1, len(totals) + 1)
    return pd.Series(ranks, index=totals.index)


# ------------------------------------------------------------------------------------------
# Stability of the ranking when the weights move.

def perturbed_weights(weights: Mapping[str, float], spread: float = SPREAD, draws: int = DRAWS,
                      seed: int = SEED) -> pd.DataFrame:
    """``draws`` rows of weights, each weight wᵢ × uᵢ with uᵢ ~ U(1 − spread, 1 + spread)
    drawn independently (numpy ``default_rng(seed)``); a weight of 0 stays 0."""
    spread = checks.share(spread, t("ideas.field.spread"), high_open=True)
    draws = int(checks.number(draws, t("ideas.field.draws"), low=1, high=MAX_DRAWS, whole=True))
    seed = int(checks.number(seed, t("ideas.field.seed"), low=0, whole=True))
    w = check_weights(weights)
    factors = np.random.default_rng(seed).uniform(1 - spread, 1 + spread, (draws, len(w)))
    return pd.DataFrame(factors * w.to_numpy(), columns=w.index)


def rank_stability(scores: pd.DataFrame, weight_draws: pd.DataFrame,
                   top_n: int) -> pd.DataFrame:
    """For each idea (row of ``scores``): ``stability_share`` — share of weight draws in which
    its rank is ≤ ``top_n``; ``rank_min``, ``rank_max`` — best and worst rank over the draws.

    Every draw ranks the ideas by T = Σ wᵢ·sᵢ / Σ wᵢ as :func:`rank_ideas` does.

    >>> s = pd.DataFrame({"demand": [5, 1], "uniqueness": [1, 5]}, index=["a", "b"])
    >>> w = pd.DataFrame({"demand": [2.0, 1.0], "uniqueness": [1.0, 2.0]})
    >>> rank_stability(s, w, top_n=1)["stability_share"].tolist()
    [0.5, 0.5]
    """
    top_n = _check_top_n(top_n)
    if scores.empty:
        return pd.DataFrame({"stability_share": [], "rank_min": [], "rank_max": []})
    w = weight_draws[list(scores.columns)].to_numpy(dtype=float)
    totals = w @ scores.to_numpy(dtype=float).T / w.sum(axis=1, keepdims=True)
    order = np.argsort(-checks.round_significant(totals), axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[0] + 1)[None, :], axis=1)
    return pd.DataFrame({"stability_share": (ranks <= top_n).mean(axis=0),
                         "rank_min": ranks.min(axis=0), "rank_max": ranks.max(axis=0)},
                        index=scores.index)


def _check_top_n(top_n) -> int:
    """The size N of the shortlist: a whole number from 1."""
    return int(checks.number(top_n, t("ideas.control.top_n"), low=1, whole=True))


# ------------------------------------------------------------------------------------------
# Overrides: the trainee's own score for an idea on a criterion.

def criterion_name(key: str) -> str:
    """The criterion's name in the current language."""
    return t(f"ideas.criterion.{key}")


def criterion_names() -> list[str]:
    return [criterion_name(key) for key in CRITERIA]


def _criterion_key(text: str) -> str:
    wanted = text.strip().lower()
    for key in CRITERIA:
        if wanted in (key, criterion_name(key).lower(), t(f"ideas.short.{key}").lower()):
            return key
    raise OvopError(t("ideas.unknown_criterion", name=text.strip(),
                      known=", ".join(criterion_names())))


_OVERRIDE_LINE = re.compile(r"([^;,]+)[;,](.+)[;,]([^;,]+)")
"""idea code; criterion (may itself hold a comma); score."""


def parse_overrides(text: str) -> dict[tuple[str, str], int]:
    """Lines «код идеи; критерий; балл» → {(idea_id, criterion key): score}.

    The criterion is its name (or short name, or key); «;» or «,» separate the parts; empty
    lines and lines starting with «#» are skipped; a later line for the same pair wins.

    >>> parse_overrides("sb_candy; Спрос; 4")
    {('sb_candy', 'demand'): 4}
    """
    if not isinstance(text, str):
        raise OvopError(t("ideas.overrides_not_text"))
    result = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = _OVERRIDE_LINE.fullmatch(line.strip())
        if not parts:
            raise OvopError(t("ideas.override_format", line=number, text=line.strip()))
        idea, criterion, score = (p.strip() for p in parts.groups())
        if score not in {"1", "2", "3", "4", "5"}:
            raise OvopError(t("ideas.override_score", line=number, value=score))
        result[(idea, _criterion_key(criterion))] = int(score)
    return result


def format_overrides(overrides: Mapping[tuple[str, str], int]) -> str:
    """The inverse of :func:`parse_overrides`: one «код идеи; критерий; балл» line each."""
    return "\n".join(f"{idea}; {criterion_name(key)}; {score}"
                     for (idea, key), score in overrides.items())


def _check_overrides(overrides: object) -> dict[tuple[str, str], object]:
    """Own scores as {(idea code, criterion key): whole score 1–5}; None means none. The
    criterion may be its key or its name (as in :func:`parse_overrides`)."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise OvopError(t("ideas.overrides_not_mapping"))
    checked = {}
    for pair, score in overrides.items():
        if not (isinstance(pair, tuple) and len(pair) == 2
                and all(isinstance(part, str) for part in pair)):
            raise OvopError(t("ideas.override_key", pair=pair))
        key = _criterion_key(pair[1])
        field = t("ideas.field.override", idea=pair[0], criterion=criterion_name(key))
        checked[(pair[0], key)] = int(checks.number(score, field, low=1, high=5, whole=True))
    return checked


def apply_overrides(scores: pd.DataFrame,
                    overrides: Mapping[tuple[str, str], int]) -> pd.DataFrame:
    """``scores`` with the trainee's own scores put in place of the computed ones."""
    scores = scores.copy()
    for (idea_id, key), score in _check_overrides(overrides).items():
        if idea_id not in scores.index:
            raise OvopError(t("ideas.override_unknown_idea", idea=idea_id,
                              known=", ".join(scores.index)))
        if key not in scores.columns:
            raise OvopError(t("ideas.unknown_criterion", name=key,
                              known=", ".join(criterion_names())))
        field = t("ideas.field.override", idea=idea_id, criterion=criterion_name(key))
        scores.loc[idea_id, key] = int(checks.number(score, field, low=1, high=5, whole=True))
    return scores


# ------------------------------------------------------------------------------------------
# The whole step.

@dataclass(frozen=True)
class IdeaSelection:
    """The result of step 3.

    ``table``: one row per idea (index ``idea_id``): ``idea``, ``material_id``, the criterion
    scores (:data:`CRITERIA`), ``total`` (T, 1–5), ``score`` (P = (T − 1) / 4 × 100, 0–100),
    ``failed_rules`` (keys of the knock-out rules broken; empty = passes), ``reasons`` (the
    same explained), ``eligible``, ``rank`` (0 for rejected), ``shortlisted``,
    ``stability_share``, ``rank_min``, ``rank_max`` (NaN for rejected); rows sorted: eligible
    by rank, then the rejected by score.
    """

    table: pd.DataFrame
    weights: dict[str, float]
    top_n: int
    rules_off: tuple[str, ...] = ()
    overrides: dict[tuple[str, str], int] = field(default_factory=dict)
    spread: float = SPREAD

    @property
    def shortlist(self) -> pd.DataFrame:
        return self.table.loc[self.table["shortlisted"]]

    @property
    def rejected(self) -> pd.DataFrame:
        return self.table.loc[~self.table["eligible"]]


def select_ideas(ideas: pd.DataFrame | None = None, materials: pd.DataFrame | None = None,
                 skills: pd.DataFrame | None = None, **options: object) -> IdeaSelection:
    """Score, screen, rank and test the stability of the ideas (see the module docstring).

    Tables default to the lesson case (:func:`lesson_inputs`); ``options`` go to
    :func:`evaluate_ideas` (``weights``, ``top_n``, ``rules``, ``overrides``, ``spread``,
    ``draws``, ``seed``).
    """
    known = list(inspect.signature(evaluate_ideas).parameters)[1:]
    unknown = [name for name in options if name not in known]
    if unknown:
        raise OvopError(t("ideas.unknown_option", names=", ".join(unknown),
                          known=", ".join(known)))
    lesson = lesson_inputs() if any(x is None for x in (ideas, materials, skills)) else None
    facts = idea_facts(ideas if ideas is not None else lesson[0],
                       materials if materials is not None else lesson[1],
                       skills if skills is not None else lesson[2])
    return evaluate_ideas(facts, **options)


def evaluate_ideas(facts: pd.DataFrame, weights: Mapping[str, float] | None = None,
                   top_n: int = 3, rules: Sequence[str] = KNOCKOUTS,
                   overrides: Mapping[tuple[str, str], int] | None = None,
                   spread: float = SPREAD, draws: int = DRAWS, seed: int = SEED) -> IdeaSelection:
    """Score, screen, rank and test the stability of the ideas in ``facts``.

    ``facts`` is the result of :func:`idea_facts`, already checked (the tool calls this at every
    change of a control, so the table is not checked again); the other arguments are. ``weights``
    default to :data:`DEFAULT_WEIGHTS`; ``rules`` are the knock-out rules switched on;
    ``overrides`` maps (idea_id, criterion) to the trainee's own score 1–5.
    """
    w = check_weights(DEFAULT_WEIGHTS if weights is None else weights)
    spread = checks.share(spread, t("ideas.field.spread"), high_open=True)
    top_n = _check_top_n(top_n)
    rules = _check_rules(rules)
    overrides = _check_overrides(overrides)
    scores = apply_overrides(_scores(facts), overrides)
    total = _total(scores, w)
    failed = _knockouts(facts, rules)
    reasons = pd.Series({i: [knockout_reason(r, facts.loc[i]) for r in rules_]
                         for i, rules_ in failed.items()}, dtype=object)
    eligible = failed.map(len) == 0
    ranks = _rank(total[eligible])
    stability = rank_stability(scores[eligible], perturbed_weights(w, spread, draws, seed), top_n)
    table = pd.concat([facts[["idea", "material_id"]], scores], axis=1).assign(
        total=total, score=to_points(total), failed_rules=failed, reasons=reasons,
        eligible=eligible,
        rank=ranks.reindex(facts.index).fillna(0).astype(int),
    ).join(stability)
    table["shortlisted"] = table["eligible"] & (table["rank"] <= top_n)
    table = table.assign(order=np.where(table["eligible"], table["rank"], 1000 - table["score"]))
    table = table.sort_values("order", kind="stable").drop(columns="order")
    return IdeaSelection(table=table, weights=w.to_dict(), top_n=top_n,
                         rules_off=tuple(r for r in KNOCKOUTS if r not in rules),
                         overrides=overrides, spread=spread)


# --- what later steps read --------------------------------------------------------------------
def saved_shortlist(workbook_path=None) -> list[tuple[str, str]]:
    """Step 3's shortlist as the trainee saved it, (idea id, name) best first; empty when there
    is no workbook, it cannot be read or has no shortlist. Reads only: the file is never changed
    or copied here (saving reports a damaged workbook)."""
    try:
        section = read_workbook(workbook_path).step03_ideas
    except (OSError, OvopError):
        return []
    if section is None:
        return []
    return [(i.idea_id, i.idea) for i in sorted(section.shortlist, key=lambda i: i.rank)]


@lesson_case
def lesson_shortlist() -> list[tuple[str, str]]:
    """The lesson case's shortlist (its starting weights) as (idea id, name), best first; empty
    if the lesson tables cannot be read (a later step then works without it)."""
    try:
        return list(select_ideas().shortlist["idea"].items())
    except OvopError:
        return []
