"""Step 1, territory analysis: read the aiyl aimak — people, work, skills, infrastructure.

Source of the method: the seed's step 1 «Анализ территории» (features of the aiyl aimak,
traditions, human potential, current employment; OVOP+1 role «научить читать территорию, а не
искать идею в голове»), which matches phase 1 «assess the existing situation» of FAO's Market
Analysis and Development (MA&D). The month-by-occupation load table is the seasonal calendar of
participatory rural appraisal. The labour model and the strength/gap thresholds below are the
**course's own teaching rules**: simple on purpose, so that a trainee can check every number by
hand; they are a first reading of the territory, not a labour-market survey.

Notation (sums over the villages of the aimak):
P population, H households, W working-age people (16–62 in the course data), E employed,
U underemployed, M seasonal migrants, N = W − E − U − M not employed (mostly women at home and
young people without work), Y youth 16–28.

Labour model (teaching model):

- labour reserve, people: ``R = U + s·M + c·N`` — every underemployed person, the share ``s``
  of seasonal migrants who would stay if there were work at home, and the not-employed
  working-age people if the trainee chooses to count them (``c`` = 1, else 0);
- load of month m: ``L_m = Σ_o load_{m,o}`` (seasonal calendar, shares of working time);
  free share ``f_m = 1 − L_m``;
- available person-days in month m: ``D_m = R × d × f_m × p`` with ``d`` working days per month
  and ``p`` the participation share (part of the reserve that would really join);
  person-hours ``H_m = D_m × h`` with ``h`` hours per working day.

>>> import pandas as pd
>>> calendar = pd.DataFrame({"month": range(1, 13), "occupation": "все занятия",
...                          "load_share": [0.4] * 6 + [0.75] * 6})
>>> free = free_time_share(calendar)
>>> days = available_person_days(100, free, working_days=20, participation=0.5)
>>> float(days[1]), float(days[7])
(600.0, 250.0)
>>> peak_and_low_months(days)
([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Literal

import pandas as pd

from .. import checks
from ..data import load_table
from ..errors import OvopError
from ..fmt import fmt_number, fmt_percent, month_labels
from ..i18n import t
from ..schemas import AGE_GROUPS, TABLES
from ..workbook import Workbook, saved_section

__all__ = ["lesson_data", "own_data", "aimak_totals", "population_pyramid", "free_time_share",
           "labour_reserve", "available_person_days", "person_hours", "peak_and_low_months",
           "skill_shares", "raw_sale_share", "territory_summary",
           "strengths_and_gaps"]

MONTHS = tuple(range(1, 13))
WORKING_AGE_GROUPS = ("16-28", "29-44", "45-62")

# Defaults of the labour controls: 22 working days × 8 hours = 176 hours, the
# `working_hours_month` of data/lesson/reference_indicators.csv; 30 % of the reserve joins
# (the lesson case's assumption, the tool's starting value).
DEFAULT_WORKING_DAYS = 22
DEFAULT_HOURS_PER_DAY = 8.0
DEFAULT_PARTICIPATION = 0.3

# Thresholds of the summary (course teaching rules, see docs/formulas.md).
SKILL_STRENGTH_SHARE = 0.20     # a skill held by ≥ 20 % of households → strength
RESERVE_STRENGTH_SHARE = 0.15   # underemployed ≥ 15 % of working age → strength
YOUTH_STRENGTH_SHARE = 0.30     # youth 16–28 ≥ 30 % of working age → strength
ROAD_NEAR_KM = 5.0              # «near the road»: at most 5 km
ROAD_STRENGTH_SHARE = 0.50      # ≥ 50 % of residents near the road → strength
FREE_MONTH_SHARE = 0.50         # a month with ≥ 50 % of working time free → strength
MARKET_FAR_KM = 50.0            # a village more than 50 km from the market → gap
INFRA_GAP_SHARE = 0.20          # > 20 % of residents without stable power / piped water / internet
MIGRATION_GAP_SHARE = 0.10      # seasonal migrants ≥ 10 % of working age → gap
RAW_SALE_GAP_SHARE = 0.50       # ≥ 50 % of person-activities sell raw produce → gap
BUSY_MONTH_SHARE = 0.20         # a month with < 20 % of working time free → gap

_SCHEMA = {"villages": "lesson/villages", "calendar": "lesson/labour_calendar",
           "structure": "lesson/population_structure", "skills": "lesson/household_skills",
           "activities": "lesson/economic_activities"}
_KEYS = {"villages": ("village_id",), "calendar": ("month", "occupation"),
         "structure": ("village_id", "age_group", "sex"), "skills": ("skill_id",),
         "activities": ("activity_id",)}
"""What each row of a table is: a row repeated would be counted twice (checked when the
table has these columns; villages are checked by their own rule, ``_check_together``)."""


# --- data ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TerritoryData:
    """The tables of one aiyl aimak; ``structure``, ``skills`` and ``activities`` may be absent."""

    villages: pd.DataFrame
    calendar: pd.DataFrame
    structure: pd.DataFrame | None = None
    skills: pd.DataFrame | None = None
    activities: pd.DataFrame | None = None


def lesson_data() -> TerritoryData:
    """The lesson case «Чычырканак» (data/lesson/, учебные данные)."""
    return TerritoryData(**{name: load_table(path) for name, path in _SCHEMA.items()})


def own_data(villages: object, calendar: object, structure: object = None,
             skills: object = None, activities: object = None) -> TerritoryData:
    """A trainee's aiyl aimak: every given table checked, and the tables checked together.

    ``villages`` and ``calendar`` are required; the others may be None (their part of the
    analysis is then left out). Each table is checked row by row against the course schema of
    its data file (:func:`ovop_course.checks.table`: ``source`` may be left out, problems are
    reported with the row from 1 and the column).
    """
    given = {"villages": villages, "calendar": calendar, "structure": structure,
             "skills": skills, "activities": activities}
    for name in ("villages", "calendar"):
        if given[name] is None:
            raise OvopError(t("territory.table_required", table=name))
    tables = {k: (None if v is None else checks.table(
        v, TABLES[_SCHEMA[k]], k, key=() if k == "villages" else _KEYS[k]))
        for k, v in given.items()}
    data = TerritoryData(**tables)
    _check_together(data)
    return data


def _check_together(data: TerritoryData) -> None:
    """Links between tables: known villages, unique ids, skills within the households."""
    ids = data.villages["village_id"]
    if ids.duplicated().any():
        raise OvopError(t("territory.duplicate_village",
                          ids=", ".join(sorted(set(ids[ids.duplicated()])))))
    free_time_share(data.calendar)
    if data.structure is not None:
        unknown = sorted(set(data.structure["village_id"]) - set(ids))
        if unknown:
            raise OvopError(t("territory.unknown_village", ids=", ".join(unknown)))
    if data.skills is not None:
        skill_shares(data.skills, int(data.villages["households"].sum()))


# --- people -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AimakTotals:
    """Sums over the villages (people, households); ``not_employed`` = W − E − U − M."""

    villages: int
    population: int
    households: int
    working_age: int
    women: int
    youth: int
    employed: int
    underemployed: int
    seasonal_migrants: int

    @property
    def not_employed(self) -> int:
        return self.working_age - self.employed - self.underemployed - self.seasonal_migrants

    def share_of_working_age(self, people: float) -> float:
        """``people / W`` (0 when nobody is of working age), a plain float.

        >>> AimakTotals(4, 5800, 1330, 3322, 3000, 1100, 1628, 729, 404).share_of_working_age(729)
        0.21944611679711018
        """
        people = checks.number(people, t("territory.people_field"), low=0)
        return float(people / self.working_age) if self.working_age else 0.0


_COUNTS = ("population", "households", "working_age", "women", "youth", "employed",
           "underemployed", "seasonal_migrants")


def _check_totals(totals: object) -> AimakTotals:
    """An :class:`AimakTotals` whose counts are whole numbers ≥ 0 and whose labour groups fit
    in the working age (a trainee may write one by hand)."""
    if not isinstance(totals, AimakTotals):
        raise OvopError(t("territory.not_totals"))
    for f in fields(AimakTotals):
        checks.number(getattr(totals, f.name), f.name, low=0, whole=True)
    if totals.not_employed < 0:
        raise OvopError(t("territory.groups_exceed"))
    return totals


def aimak_totals(villages: pd.DataFrame) -> AimakTotals:
    """Sum the villages: ``X_aimak = Σ_v X_v`` for population, households, working age, ...

    >>> v = pd.DataFrame({"population": [100, 50], "households": [20, 10],
    ...     "working_age": [60, 30], "women": [50, 25], "youth": [20, 10],
    ...     "employed": [30, 10], "underemployed": [10, 10], "seasonal_migrants": [5, 5]})
    >>> totals = aimak_totals(v)
    >>> totals.population, totals.not_employed
    (150, 20)
    """
    villages = _require(villages, _COUNTS, "villages")
    sums = {c: int(villages[c].sum()) for c in _COUNTS}
    totals = AimakTotals(villages=len(villages), **sums)
    if totals.not_employed < 0:
        raise OvopError(t("territory.groups_exceed"))
    return totals


def population_pyramid(structure: pd.DataFrame) -> pd.DataFrame:
    """People by age group (rows, youngest first) and sex (columns ``ж``, ``м``), summed over
    the villages: ``P_{a,s} = Σ_v people_{v,a,s}``.

    >>> s = pd.DataFrame({"village_id": ["a", "a", "b"], "age_group": ["0-15", "0-15", "0-15"],
    ...                   "sex": ["ж", "м", "ж"], "people": [10, 12, 5]})
    >>> population_pyramid(s).loc["0-15"].tolist()
    [15, 12]
    """
    structure = _require(structure, ("age_group", "sex", "people"), "structure")
    table = structure.pivot_table(index="age_group", columns="sex", values="people",
                                  aggfunc="sum", fill_value=0)
    return table.reindex(index=list(AGE_GROUPS), columns=["ж", "м"], fill_value=0).astype(int)


# --- labour -----------------------------------------------------------------------------------

def free_time_share(calendar: pd.DataFrame) -> pd.Series:
    """Free share of working time by month: ``f_m = 1 − Σ_o load_{m,o}`` (index 1..12).

    Every month 1–12 must be in the calendar; each month's loads must add up to at most 1.

    >>> c = pd.DataFrame({"month": [1, 1] + list(range(2, 13)), "occupation": ["скот", "огород"]
    ...                   + ["скот"] * 11, "load_share": [0.2, 0.1] + [0.5] * 11})
    >>> round(float(free_time_share(c)[1]), 2), float(free_time_share(c)[2])
    (0.7, 0.5)
    """
    calendar = _require(calendar, ("month", "load_share"), "calendar")
    months = set(calendar["month"])
    absent = [m for m in MONTHS if m not in months]
    if absent:
        raise OvopError(t("territory.missing_months", months=", ".join(map(str, absent))))
    load = calendar.groupby("month")["load_share"].sum().reindex(MONTHS)
    over = [int(m) for m, v in load.items() if v > 1 + 1e-9]
    if over:
        raise OvopError(t("territory.load_over_one", months=", ".join(map(str, over))))
    return (1 - load).clip(lower=0).rename("free_share")


def labour_reserve(totals: AimakTotals, migrant_stay_share: float = 0.0,
                   count_not_employed: bool = False) -> float:
    """People who could work in a new activity: ``R = U + s·M + c·N`` (teaching model).

    ``count_not_employed`` is True or False (the text «нет» is refused, not read as true).

    >>> t = AimakTotals(1, 1000, 250, 600, 500, 200, 300, 100, 50)
    >>> labour_reserve(t, 0.2), labour_reserve(t, 0.2, count_not_employed=True)
    (110.0, 260.0)
    """
    totals = _check_totals(totals)
    share = checks.share(migrant_stay_share, t("territory.control.migrant_stay_share"))
    count = checks.boolean(count_not_employed, t("territory.control.count_not_employed"))
    counted = totals.not_employed if count else 0
    return float(totals.underemployed + share * totals.seasonal_migrants + counted)


def _by_month(values: object, field: str, name: str, **limits) -> pd.Series:
    """12 values by month (:func:`ovop_course.checks.by_month`: a Series or dict month → value,
    or 12 values January first) as a float Series indexed by month 1–12."""
    return pd.Series(checks.by_month(values, field, **limits), dtype=float,
                     index=pd.Index(MONTHS, name="month"), name=name)


def available_person_days(labour_reserve: float, free_share: pd.Series,
                          working_days: float = DEFAULT_WORKING_DAYS,
                          participation: float = DEFAULT_PARTICIPATION) -> pd.Series:
    """Person-days available for the new activity by month: ``D_m = R × d × f_m × p``
    (d = 22 and p = 0.3 unless given). ``free_share`` is :func:`free_time_share` or 12 shares,
    January first; the result is indexed by month 1–12.

    >>> f = pd.Series([0.5] * 12, index=range(1, 13))
    >>> float(available_person_days(10, f, 20, 0.4)[3])
    40.0
    >>> float(available_person_days(100, [0.5] * 12)[1])  # 100 × 22 × 0.5 × 0.3
    330.0
    """
    labour_reserve = checks.number(labour_reserve, t("territory.reserve_field"), low=0)
    working_days = checks.number(working_days, t("territory.control.working_days"), low=1,
                                 high=31)
    participation = checks.share(participation, t("territory.control.participation"))
    free = _by_month(free_share, t("territory.free_share_field"), "person_days", low=0, high=1)
    days = labour_reserve * working_days * free * participation
    return checks.bounded(days, t("territory.days_field"))


def person_hours(days: pd.Series, hours_per_day: float = DEFAULT_HOURS_PER_DAY) -> pd.Series:
    """Person-hours by month: ``H_m = D_m × h`` (h: hours per working day, 1–12, 8 unless
    given); ``days`` is :func:`available_person_days` or 12 numbers, January first.

    >>> float(person_hours([10.0] * 12, 6)[1])
    60.0
    >>> float(person_hours([10.0] * 12)[12])
    80.0
    """
    hours = checks.number(hours_per_day, t("territory.control.hours_per_day"), low=1, high=12)
    days = _by_month(days, t("territory.days_field"), "person_hours", low=0)
    return checks.bounded(days * hours, t("territory.hours_field"))


def peak_and_low_months(days: pd.Series) -> tuple[list[int], list[int]]:
    """Months (1–12) with the most and the fewest available person-days (every month of a tie;
    values equal to 9 significant digits are a tie). ``days``: 12 numbers by month.

    >>> peak_and_low_months([5, 9, 9] + [1] * 9)
    ([2, 3], [4, 5, 6, 7, 8, 9, 10, 11, 12])
    """
    values = checks.round_significant(_by_month(days, t("territory.days_field"), "days",
                                                low=0))
    return ([int(m) for m in values.index[values == values.max()]],
            [int(m) for m in values.index[values == values.min()]])


# --- skills, activities, infrastructure --------------------------------------------------------

def skill_shares(skills: pd.DataFrame, households: int) -> pd.DataFrame:
    """Share of the aimak's households holding each skill: ``share = households_skill / H``,
    largest first.

    >>> s = pd.DataFrame({"skill": ["войлок", "джем"], "households": [10, 60]})
    >>> skill_shares(s, 200)["share"].tolist()
    [0.3, 0.05]
    """
    skills = _require(skills, ("skill", "households"), "skills")
    households = int(checks.number(households, t("territory.households_field"), low=0,
                                   low_open=True, whole=True))
    too_many = skills[skills["households"] > households]
    if not too_many.empty:
        raise OvopError(t("territory.skill_over_households", skill=too_many["skill"].iloc[0],
                          count=int(too_many["households"].iloc[0]), total=households))
    table = skills.assign(share=skills["households"] / households)
    return table.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)


def raw_sale_share(activities: pd.DataFrame) -> float:
    """Share of the person-activities that sell raw produce:
    ``Σ people[value_added = сырьё] / Σ people`` over the rows of ``activities`` (0 when
    nobody is counted).

    A row counts the people in one activity, and one person may have several (livestock and
    potatoes): the sum over the rows counts a person once per activity (5 264 in the lesson
    case, more than its 3 322 working-age people). So this is the share of *activity
    participations* that sell raw produce, not a share of the employed people: the data do not
    say who does which activities.

    >>> a = pd.DataFrame({"people": [30, 10], "value_added": ["сырьё", "услуги"]})
    >>> raw_sale_share(a)
    0.75
    """
    activities = _require(activities, ("people", "value_added"), "activities")
    total = activities["people"].sum()
    raw = activities.loc[activities["value_added"] == "сырьё", "people"].sum()
    return float(raw / total) if total else 0.0


def resident_share(villages: pd.DataFrame, condition: pd.Series) -> float:
    """Share of residents living in the villages where ``condition`` holds:
    ``Σ_v P_v·[condition_v] / Σ_v P_v``.

    >>> v = pd.DataFrame({"population": [300, 100]})
    >>> resident_share(v, pd.Series([False, True]))
    0.25
    """
    villages = _require(villages, ("population",), "villages")
    flags = _condition(condition, len(villages))
    total = villages["population"].sum()
    if total <= 0:
        raise OvopError(t("territory.no_population"))
    return float(villages.loc[flags, "population"].sum() / total)


def _condition(condition: object, villages: int) -> list[bool]:
    """One True or False per village, in the order of the villages table."""
    field_name = t("territory.condition_field")
    if isinstance(condition, (str, bytes, dict, set, frozenset, pd.DataFrame)) or (
            not pd.api.types.is_list_like(condition)):
        raise OvopError(t("territory.condition_not_list", villages=villages))
    flags = [checks.boolean(v, field_name) for v in condition]
    if len(flags) != villages:
        raise OvopError(t("territory.condition_length", count=len(flags), villages=villages))
    return flags


# --- summary: strengths and gaps ---------------------------------------------------------------

@dataclass(frozen=True)
class RuleCheck:
    """One summary rule applied to the aimak: what it says, its value here, what it found."""

    rule_id: str
    kind: Literal["strength", "gap"]
    rule: str
    value: str
    findings: list[str] = field(default_factory=list)

    @property
    def triggered(self) -> bool:
        return bool(self.findings)


def month_names(months: list[int], form: str = "long") -> str:
    """Month numbers as names in the UI language: ``[1, 12]`` → «январь, декабрь»."""
    names = month_labels(form)
    return ", ".join(names[m - 1] for m in months)


def _pct(share: float) -> str:
    return fmt_percent(share, 0)


def _n(value: float) -> str:
    return fmt_number(value)


def _km(value: float) -> str:
    """A distance: whole kilometres as such, else one decimal (50,5 км is not «50 км»)."""
    return fmt_number(value, 0 if float(value).is_integer() else 1)


def territory_summary(data: TerritoryData, market: str = "Каракол") -> list[RuleCheck]:
    """Apply every summary rule (thresholds at the top of this module) to the aimak.

    Strengths: skills held by ≥ 20 % of households; underemployed ≥ 15 % and youth ≥ 30 % of
    working age; ≥ 50 % of residents within 5 km of the main road; months with ≥ 50 % free
    time. Gaps: villages > 50 km from the market; > 20 % of residents with unstable or no
    power, without piped water, with weak or no mobile internet; seasonal migrants ≥ 10 % of
    working age; ≥ 50 % of person-activities selling raw produce (:func:`raw_sale_share`);
    months with < 20 % free time. Skills and activities rules are left out when those tables
    are absent.

    ``data`` is :func:`lesson_data` or :func:`own_data`; its tables are checked again (a
    :class:`TerritoryData` may be written by hand); ``market`` is the name of the market town.
    """
    if not isinstance(data, TerritoryData):
        raise OvopError(t("territory.not_data"))
    market = checks.text(market, t("territory.market_field"))
    data = own_data(data.villages, data.calendar, data.structure, data.skills, data.activities)
    totals = aimak_totals(data.villages)
    free = free_time_share(data.calendar)
    rules = []
    if data.skills is not None:
        rules.append(_skills_rule(data.skills, totals.households))
    rules += [_reserve_rule(totals), _youth_rule(totals), _road_rule(data.villages),
              _free_months_rule(free), _market_rule(data.villages, market),
              *_infrastructure_rules(data.villages), _migration_rule(totals)]
    if data.activities is not None:
        rules.append(_raw_sale_rule(data.activities))
    rules.append(_busy_months_rule(free))
    return rules


def strengths_and_gaps(rules: list[RuleCheck]) -> tuple[list[str], list[str]]:
    """The findings of the triggered rules (:func:`territory_summary`), split into strengths
    and gaps."""
    if not isinstance(rules, (list, tuple)) or not all(
            isinstance(r, RuleCheck) and r.kind in ("strength", "gap") for r in rules):
        raise OvopError(t("territory.not_rules"))
    strengths = [f for c in rules if c.kind == "strength" for f in c.findings]
    gaps = [f for c in rules if c.kind == "gap" for f in c.findings]
    return strengths, gaps


def _skills_rule(skills: pd.DataFrame, households: int) -> RuleCheck:
    shares = skill_shares(skills, households)
    top = shares.iloc[0]
    strong = shares[shares["share"] >= SKILL_STRENGTH_SHARE]
    findings = [t("territory.finding.skill", skill=r.skill, count=_n(r.households),
                  total=_n(households), share=_pct(r.share)) for r in strong.itertuples()]
    return RuleCheck("skills", "strength",
                     t("territory.rule.skills", threshold=_pct(SKILL_STRENGTH_SHARE)),
                     t("territory.value.skills", count=len(strong), total=len(shares),
                       top=top["skill"], share=_pct(top["share"])), findings)


def _share_rule(rule_id: str, kind: str, people: int, totals: AimakTotals, threshold: float,
                at_least: bool = True) -> RuleCheck:
    share = totals.share_of_working_age(people)
    hit = share >= threshold if at_least else share > threshold
    value = t("territory.value.of_working_age", count=_n(people), total=_n(totals.working_age),
              share=_pct(share))
    findings = [t(f"territory.finding.{rule_id}", value=value)] if hit else []
    return RuleCheck(rule_id, kind, t(f"territory.rule.{rule_id}", threshold=_pct(threshold)),
                     value, findings)


def _reserve_rule(totals: AimakTotals) -> RuleCheck:
    return _share_rule("reserve", "strength", totals.underemployed, totals,
                       RESERVE_STRENGTH_SHARE)


def _youth_rule(totals: AimakTotals) -> RuleCheck:
    return _share_rule("youth", "strength", totals.youth, totals, YOUTH_STRENGTH_SHARE)


def _migration_rule(totals: AimakTotals) -> RuleCheck:
    return _share_rule("migration", "gap", totals.seasonal_migrants, totals, MIGRATION_GAP_SHARE)


def _residents_value(villages: pd.DataFrame, condition: pd.Series) -> tuple[float, str]:
    share = resident_share(villages, condition)
    names = ", ".join(villages.loc[condition.to_numpy(), "village"]) or "—"
    people = villages.loc[condition.to_numpy(), "population"].sum()
    return share, t("territory.value.residents", count=_n(people),
                    total=_n(villages["population"].sum()), share=_pct(share), villages=names)


def _road_rule(villages: pd.DataFrame) -> RuleCheck:
    share, value = _residents_value(villages, villages["distance_road_km"] <= ROAD_NEAR_KM)
    findings = ([t("territory.finding.road", value=value, km=_km(ROAD_NEAR_KM))]
                if share >= ROAD_STRENGTH_SHARE else [])
    return RuleCheck("road", "strength", t("territory.rule.road", km=_km(ROAD_NEAR_KM),
                     threshold=_pct(ROAD_STRENGTH_SHARE)), value, findings)


_INFRA_BAD = {
    "electricity": ("electricity", ("перебои", "нет")),
    "water": ("water", ("колонки", "арык/родник", "привозная")),
    "internet": ("internet", ("слабый", "нет")),
}


def _infrastructure_rules(villages: pd.DataFrame) -> list[RuleCheck]:
    checks = []
    for rule_id, (column, bad) in _INFRA_BAD.items():
        share, value = _residents_value(villages, villages[column].isin(bad))
        findings = ([t(f"territory.finding.{rule_id}", value=value)]
                    if share > INFRA_GAP_SHARE else [])
        checks.append(RuleCheck(rule_id, "gap", t(f"territory.rule.{rule_id}",
                                threshold=_pct(INFRA_GAP_SHARE)), value, findings))
    return checks


def _market_rule(villages: pd.DataFrame, market: str) -> RuleCheck:
    far = villages[villages["distance_karakol_km"] > MARKET_FAR_KM]
    farthest = villages.loc[villages["distance_karakol_km"].idxmax()]
    findings = [t("territory.finding.market", village=r.village, km=_km(r.distance_karakol_km),
                  market=market) for r in far.itertuples()]
    return RuleCheck("market", "gap", t("territory.rule.market", km=_km(MARKET_FAR_KM),
                     market=market),
                     t("territory.value.market", village=farthest["village"],
                       km=_km(farthest["distance_karakol_km"])), findings)


def _raw_sale_rule(activities: pd.DataFrame) -> RuleCheck:
    share = raw_sale_share(activities)
    raw = activities[activities["value_added"] == "сырьё"].sort_values("people", ascending=False)
    value = t("territory.value.raw_sale", count=_n(raw["people"].sum()),
              total=_n(activities["people"].sum()), share=_pct(share),
              activities=", ".join(raw["activity"].head(3)) or "—")
    findings = ([t("territory.finding.raw_sale", value=value)]
                if share >= RAW_SALE_GAP_SHARE else [])
    return RuleCheck("raw_sale", "gap", t("territory.rule.raw_sale",
                     threshold=_pct(RAW_SALE_GAP_SHARE)), value, findings)


def _month_rule(rule_id: str, kind: str, free: pd.Series, months: list[int],
                threshold: float) -> RuleCheck:
    """A rule on months: ``months`` are those that meet it; if none do, the value shows the
    month closest to meeting it (most free time for a strength, least for a gap)."""
    shown = months or [int(free.idxmax() if kind == "strength" else free.idxmin())]
    value = ", ".join(t("territory.value.month", month=month_names([m]), share=_pct(free[m]))
                      for m in shown)
    findings = [t(f"territory.finding.{rule_id}", value=value)] if months else []
    return RuleCheck(rule_id, kind, t(f"territory.rule.{rule_id}", threshold=_pct(threshold)),
                     value, findings)


def _free_months_rule(free: pd.Series) -> RuleCheck:
    months = [int(m) for m, f in free.items() if f >= FREE_MONTH_SHARE - 1e-9]
    return _month_rule("free_months", "strength", free, months, FREE_MONTH_SHARE)


def _busy_months_rule(free: pd.Series) -> RuleCheck:
    months = [int(m) for m, f in free.items() if f < BUSY_MONTH_SHARE - 1e-9]
    return _month_rule("busy_months", "gap", free, months, BUSY_MONTH_SHARE)


# --- for the later steps ----------------------------------------------------------------------
def saved_person_hours(workbook: Workbook | None) -> list[float] | None:
    """Step 1's person-hours available for a new activity, January … December, as the trainee
    saved them: ``person_days`` × ``hours_per_day`` of ``step01_territory``
    (:func:`person_hours`). None when ``workbook`` is None
    (:func:`~ovop_course.workbook.saved_workbook`: none, or not readable) or holds no step 1
    result with person-days: the later step takes the lesson case. A later step reads step 1
    only through this (step 6: the labour limit); never fails."""
    section = saved_section(workbook, "step01_territory")
    if section is None or section.person_days is None:
        return None
    try:
        return [float(h) for h in person_hours(section.person_days, section.hours_per_day)]
    except OvopError:  # negative person-days: the territory tool would refuse them
        return None


# --- helpers -----------------------------------------------------------------------------------

def _require(table: object, columns: Sequence[str], name: str) -> pd.DataFrame:
    """The ``columns`` a calculation reads, checked by the course schema of table ``name``;
    a row repeated (its key, when the table has it) is refused: it would be counted twice."""
    return checks.columns(table, TABLES[_SCHEMA[name]], columns, name, key=_KEYS[name])
