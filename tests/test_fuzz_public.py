"""Fuzzing every public calculation of the step modules with the bad values a trainee could pass.

The public functions of the step modules — those in a module's ``__all__``, the API a trainee
may call from a notebook or an exercise — are called with arguments drawn, parameter by
parameter, from *classes* of values (:data:`SPECS`), each marked with what the function must do
with it:

- **wrong containers**: a dict month → value (read by its months 1–12, never as its keys), a
  plain list (its positions are months 1–12), a set, a list of the wrong length, a nested list,
  a scalar where a list is wanted;
- **values outside the domain**: NaN, ±∞, a share above 1 or below 0, a score outside 1–5, a
  storage life ≤ 0, a category with a typo («Дикорос»), the text «нет» or «да» where a yes/no is
  wanted;
- **junk**: None, text, bytes, a bool where a number is wanted, a dict or a list where a table is;
- **damaged tables**: a column the function reads missing, a duplicated id row (counted
  twice), a typo in a category column, «нет» in a boolean column, a junk or huge cell;
- **huge and tiny numbers**: 1e308 (overflow to ∞), 1e-320 (a division by it overflows).

A function must either answer — with plain Python numbers (never numpy scalars), finite, and
pandas objects only where it documents a table or a Series — or raise OvopError with a Russian
message; a value marked *bad* must be refused, and a call with only good values must be
answered. A dict month → value must give exactly what the same months as a list give, and a
price of 0 exactly what no price gives (docs/formulas.md, step 2). Keyword-only parameters are
the caller's configuration (limits, field names) and keep their defaults.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import importlib
import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from error_helpers import is_russian
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ovop_course.data import load_table
from ovop_course.errors import OvopError
from ovop_course.i18n import set_language
from ovop_course.schemas import PANEL_ATTRIBUTES, TABLES
from ovop_course.steps import SHARED, ideas, market, raw_materials, rooms, territory

STEP_MODULES = [f"steps.{name}" for name in [*rooms(), *SHARED]] + ["fmt", "checks"]

NOTHING = object()


class Case:
    """A drawn argument: ``bad`` — it must be refused; ``good`` — with only good arguments the
    call must be answered; ``same`` — an equivalent plain form that must give the same answer."""

    __slots__ = ("value", "what", "bad", "good", "same")

    def __init__(self, value, what: str, bad: bool = False, good: bool = False, same=NOTHING):
        self.value, self.what, self.bad, self.good, self.same = value, what, bad, good, same

    def __repr__(self) -> str:
        shown = repr(self.value)
        return f"<{self.what}: {shown[:160]}{'…' if len(shown) > 160 else ''}>"


def good(value, what="good", same=NOTHING) -> Case:
    return Case(value, what, good=True, same=same)


def bad(value, what) -> Case:
    return Case(value, what, bad=True)


def either(value, what) -> Case:
    return Case(value, what)


JUNK = [(None, "None"), ("", "empty text"), ("12", "a number as text"), ("нет", "«нет»"),
        (b"12", "bytes"), (True, "a bool"), ([1.0], "a list"), ({"a": 1}, "a dict")]


# --- numbers ---------------------------------------------------------------------------------
def scalar(low=None, high=None, *, low_open=False, high_open=False, whole=False,
           none_ok=False, list_ok=False, typical=(0.0, 1000.0)):
    """A number in [low, high] (open ends exclude the limit), or one of the bad classes
    (``list_ok``: a list of numbers is taken too)."""

    def inside(x) -> bool:
        if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
            return False
        x = float(x)
        if not math.isfinite(x) or abs(x) > 1e15 or (whole and not x.is_integer()):
            return False
        if low is not None and (x < low or (low_open and x == low)):
            return False
        return high is None or not (x > high or (high_open and x == high))

    a = max(typical[0], low if low is not None else typical[0])
    b = min(typical[1], high if high is not None else typical[1])
    if whole:
        inner = st.integers(math.ceil(a), math.floor(b))
    else:  # moderate numbers: a tiny one may rightly make a result too large
        inner = st.floats(a, b, exclude_min=low_open and a == low,
                          exclude_max=high_open and b == high).filter(
                              lambda x: x == 0 or abs(x) >= 1e-3)

    def typed(x):
        if whole:
            return st.sampled_from([int(x), float(x), np.int64(x)])
        return st.sampled_from([float(x), np.float64(x)])

    goods = inner.flatmap(typed).map(lambda x: good(x, "a number in its domain"))
    edges = [x for x in (low, high) if x is not None]
    outside = [low - 1, low - 0.5] if low is not None else []
    outside += [high + 1, high + 0.5] if high is not None else []
    outside += [x for x, is_open in ((low, low_open), (high, high_open)) if is_open]
    outside += [a + 0.5] if whole else []
    special = [float("nan"), float("inf"), -float("inf"), 1e308, -1e308, 1e16, 10**20,
               1e-320, 5e-324, -1e-320, 0.0, -0.0, 1e15]

    def classify(x):
        if inside(x):
            return either(x, "an edge or a tiny number")
        return bad(x, "outside the domain, NaN, infinite or huge")

    return st.one_of(
        goods, goods,
        st.sampled_from(edges + outside + special).map(classify),
        st.sampled_from(JUNK).map(lambda j: good(None, "None (the default)")
                                  if j[0] is None and none_ok else either(*j)
                                  if isinstance(j[0], list) and list_ok else bad(*j)),
    )


def amounts(low=0.0, high=1e4, size=12):
    return st.lists(st.one_of(st.floats(low, high), st.integers(int(math.ceil(low)),
                                                                    int(high)).map(float)),
                    min_size=size, max_size=size)


MONTHS = list(range(1, 13))


def by_month(low=0.0, high=1e4, *, missing_ok=False, non_negative=True):
    """Twelve values January…December in every form a trainee may write them, or a wrong
    container. ``missing_ok``: a month may have no value (None, NaN; a price of 0 means the
    same); ``non_negative``: a negative value is bad."""

    @st.composite
    def draw(draw):
        values = draw(amounts(low, high))
        if missing_ok:
            holes = draw(st.lists(st.sampled_from([None, float("nan"), 0.0, 0]), max_size=12))
            for i, hole in enumerate(holes):
                values[i] = hole
        plain = [None if v is None or (isinstance(v, float) and math.isnan(v)) or v == 0
                 else v for v in values] if missing_ok else values
        order = draw(st.permutations(MONTHS))
        form = draw(st.sampled_from([
            "list", "tuple", "array", "series by month", "series by position", "dict",
            "shuffled dict", "shuffled series", "short", "long", "empty", "dict from 0",
            "dict without a month", "dict with month 13", "dict with text keys", "set",
            "nested", "scalar", "text", "bytes", "None", "bool", "NaN", "inf", "huge",
            "negative", "True inside", "text inside", "None inside", "series twice a month",
            "series by name"]))
        if form == "list":
            return good(values, form, same=plain)
        if form == "tuple":
            return good(tuple(values), form, same=plain)
        if form == "array":
            return good(np.array([np.nan if v is None else v for v in values], dtype=float),
                        form, same=plain)
        if form == "series by month":
            return good(pd.Series(values, index=MONTHS, dtype=object), form, same=plain)
        if form == "series by position":
            return good(pd.Series(values, dtype=object), form, same=plain)
        if form == "dict":
            return good(dict(zip(MONTHS, values)), form, same=plain)
        if form == "shuffled dict":
            return good({m: values[m - 1] for m in order}, form, same=plain)
        if form == "shuffled series":
            return good(pd.Series([values[m - 1] for m in order], index=order, dtype=object),
                        form, same=plain)
        if form == "short":
            return bad(values[:draw(st.integers(0, 11))], "a list shorter than 12")
        if form == "long":
            return bad(values + values[:draw(st.integers(1, 12))], "a list longer than 12")
        if form == "empty":
            return bad([], form)
        if form == "dict from 0":
            return bad(dict(enumerate(values)), "a dict with months 0…11")
        if form == "dict without a month":
            gone = draw(st.sampled_from(MONTHS))
            return bad({m: v for m, v in zip(MONTHS, values) if m != gone}, form)
        if form == "dict with month 13":
            return bad({**dict(zip(MONTHS, values)), 13: values[0]}, form)
        if form == "dict with text keys":
            return bad({str(m): v for m, v in zip(MONTHS, values)}, form)
        if form == "set":
            return bad(set(v for v in values if v is not None), form)
        if form == "nested":
            return bad([values] * 12, form)
        if form == "series twice a month":
            return bad(pd.Series(values, index=[1] * 6 + [2] * 6, dtype=object), form)
        if form == "series by name":
            return bad(pd.Series(values, index=list("abcdefghijkl"), dtype=object), form)
        spoiled = list(values)
        month = draw(st.integers(0, 11))
        if form in ("NaN", "None inside"):
            spoiled[month] = float("nan") if form == "NaN" else None
            if missing_ok:
                plain_spoiled = list(plain)
                plain_spoiled[month] = None
                return good(spoiled, "a missing month", same=plain_spoiled)
            return bad(spoiled, form)
        if form in ("inf", "huge", "negative", "True inside", "text inside"):
            spoiled[month] = {"inf": float("inf"), "huge": 1e308, "negative": min(low, 0) - 1,
                              "True inside": True, "text inside": "5"}[form]
            return either(spoiled, form) if form == "negative" and not non_negative else bad(
                spoiled, form)
        return bad({"scalar": 5.0, "text": "1, 2, 3", "bytes": b"\x01" * 12, "None": None,
                    "bool": True}.get(form, 5.0), form)

    return draw()


@st.composite
def month_sets(draw):
    """Production months: months 1–12 in a list, tuple, set, range or array (repeats are the
    same month), or not months."""
    months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=14))
    same = sorted(set(months))
    form = draw(st.sampled_from(["list", "tuple", "set", "array", "range", "numpy ints",
                                 "empty", "0", "13", "half", "text inside", "bool inside",
                                 "nested", "dict", "None", "text", "scalar", "bytes", "NaN"]))
    if form == "list":
        return good(months, form, same=same)
    if form == "tuple":
        return good(tuple(months), form, same=same)
    if form == "set":
        return good(set(months), form, same=same)
    if form == "array":
        return good(np.array(months), form, same=same)
    if form == "numpy ints":
        return good([np.int64(m) for m in months], form, same=same)
    if form == "range":
        first = draw(st.integers(1, 12))
        return good(range(first, 13), form, same=list(range(first, 13)))
    return bad({"empty": [], "0": [0, *months], "13": [*months, 13], "half": [1.5],
                "text inside": ["1"], "bool inside": [True], "nested": [months],
                "dict": {m: False for m in months}, "None": None, "text": "1, 2",
                "scalar": 5, "bytes": b"\x01", "NaN": [float("nan")]}[form], form)


@st.composite
def price_lists(draw):
    """Prices of competitors' packs (som per kg or l): a list, Series or array, or not."""
    values = draw(st.lists(st.floats(1, 5000), min_size=1, max_size=8))
    form = draw(st.sampled_from(["list", "series", "array", "tuple", "empty", "dict", "set",
                                 "nested", "NaN", "inf", "huge", "zero", "negative", "text",
                                 "None", "scalar", "bool inside"]))
    if form in ("list", "series", "array", "tuple"):
        shaped = {"list": list, "series": pd.Series, "array": np.array, "tuple": tuple}[form]
        return good(shaped(values), form, same=values)
    spoiled = values + [{"NaN": float("nan"), "inf": float("inf"), "huge": 1e308, "zero": 0.0,
                         "negative": -5.0, "bool inside": True}.get(form, 0.0)]
    return bad({"empty": [], "dict": dict(enumerate(values)), "set": set(values),
                "nested": [values], "text": "100, 200", "None": None, "scalar": 5.0}
               .get(form, spoiled), form)


# --- categories, yes/no, text ------------------------------------------------------------------
def category(allowed, typos=(), *, none_ok=False):
    """One of ``allowed`` (good), or a typo, another type, or an unhashable value (bad)."""
    wrong = [*typos, *(str(a).upper() for a in allowed if str(a).upper() != str(a)),
             "", "?", 5, 1.5, ["кг"], {"a": 1}, b"x", True]
    return st.one_of(
        st.sampled_from(list(allowed)).map(lambda v: good(v, "an allowed value")),
        st.sampled_from(wrong).map(lambda v: bad(v, "a typo or not a category")),
        st.just(good(None, "None (the default)") if none_ok else bad(None, "None")),
    )


def flag():
    """A yes/no: True or False (numpy's too); text («нет», «да», "False"), numbers, None: bad."""
    return st.one_of(
        st.sampled_from([True, False, np.True_, np.False_]).map(lambda v: good(v, "a bool")),
        st.sampled_from(["нет", "да", "False", "", 0, 1, 2.0, None, [True]])
        .map(lambda v: bad(v, "not a bool")),
    )


def text(*examples, empty_ok=True, strict=True):
    """Free text (a name): any string (an empty one is bad unless ``empty_ok``); another type
    is bad when ``strict`` (a trainee's text), else either (a field name the course passes)."""
    goods = st.one_of(st.sampled_from(list(examples) or ["поле"]), st.text(max_size=8))
    return st.one_of(
        goods.map(lambda v: Case(v, "text", good=bool(v.strip()) or empty_ok,
                                 bad=not (v.strip() or empty_ok))),
        st.sampled_from([None, 5, b"x", ["a"]]).map(
            lambda v: bad(v, "not text") if strict else either(v, "not text")),
    )


def any_text():
    """Text that may or may not parse (fmt.parse_number): never an error other than OvopError."""
    return st.one_of(st.text(max_size=10), st.sampled_from(
        ["12,5", "1 200,5", "-3", "NaN", "inf", "1e308", "", None, 5, b"5"])).map(
        lambda v: either(v, "text"))


# --- tables ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TableSpec:
    """A table parameter: how to make good tables (the first one is the lesson's and is good
    with the other good arguments; the others may not match them), and the columns the
    function reads: ``key`` (a repeated key is counted twice — bad), ``typos`` (a category
    column and a misspelt value — bad), ``flags`` (boolean columns: «нет» is bad),
    ``numbers`` (numeric columns: a huge, infinite or text cell is bad; dropping any of these
    columns is bad)."""

    make: tuple[Callable[[], pd.DataFrame], ...]
    key: tuple[str, ...] = ()
    typos: tuple[tuple[str, object], ...] = ()
    flags: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    none_ok: bool = False
    optional: tuple[str, ...] = ()

    @property
    def reads(self) -> tuple[str, ...]:
        """The columns the function cannot do without."""
        return tuple(c for c in (*self.numbers, *self.flags, *(c for c, _ in self.typos))
                     if c not in self.optional)


def lesson(name: str) -> Callable[[], pd.DataFrame]:
    return functools.partial(load_table, name)


@functools.cache
def _lesson_facts() -> pd.DataFrame:
    return ideas.idea_facts(*ideas.lesson_inputs())


def lesson_facts() -> pd.DataFrame:
    return _lesson_facts().copy()


def lesson_scores() -> pd.DataFrame:
    return ideas.criterion_scores(_lesson_facts()).copy()


@functools.cache
def _lesson_stability() -> pd.DataFrame:
    return ideas.material_stability(*raw_materials.lesson_inventory())


def lesson_stability() -> pd.DataFrame:
    return _lesson_stability().copy()


@functools.cache
def _lesson_products() -> pd.DataFrame:
    return raw_materials.lesson_products()


def lesson_products() -> pd.DataFrame:
    return _lesson_products().copy()


JUNK_CELLS = [None, float("nan"), "x", float("inf"), -float("inf"), 1e308, -5, True, 1e-320,
              "нет"]


def tables(spec: TableSpec):
    @st.composite
    def draw(draw):
        which = draw(st.integers(0, len(spec.make) - 1))
        frame = spec.make[which]()
        hows = ["as is", "as is", "drop column", "junk cell", "empty", "no rows", "not a table"]
        hows += ["duplicate row"] if spec.key else []
        hows += ["typo"] if spec.typos else []
        hows += ["нет in a flag"] if spec.flags else []
        hows += ["huge column"] if spec.numbers else []
        how = draw(st.sampled_from(hows))
        if how == "as is":
            return Case(frame, "a course table", good=which == 0)
        if how == "drop column":
            column = draw(st.sampled_from(list(frame.columns)))
            gone = frame.drop(columns=column)
            return Case(gone, f"without column {column}", bad=column in spec.reads)
        if how == "junk cell":
            row = draw(st.integers(0, len(frame) - 1))
            column = draw(st.sampled_from(list(frame.columns)))
            value = draw(st.sampled_from(JUNK_CELLS))
            frame[column] = frame[column].astype(object)
            frame.iloc[row, frame.columns.get_loc(column)] = value
            wrong = column in spec.numbers and (
                value is None or isinstance(value, (str, bool)) or value == -5
                or (isinstance(value, float) and (math.isnan(value) or abs(value) > 1e15)))
            return Case(frame, f"{value!r} in {column}", bad=wrong)
        if how == "duplicate row":
            row = draw(st.integers(0, len(frame) - 1))
            return bad(pd.concat([frame, frame.iloc[[row]]]), "a row twice")
        if how == "typo":
            column, typo = draw(st.sampled_from(spec.typos))
            row = draw(st.integers(0, len(frame) - 1))
            frame[column] = frame[column].astype(object)
            frame.iloc[row, frame.columns.get_loc(column)] = typo
            return bad(frame, f"{typo!r} in {column}")
        if how == "нет in a flag":
            column = draw(st.sampled_from(spec.flags))
            frame[column] = frame[column].astype(object)
            frame.iloc[draw(st.integers(0, len(frame) - 1)),
                       frame.columns.get_loc(column)] = draw(st.sampled_from(["нет", "да"]))
            return bad(frame, f"«нет» in {column}")
        if how == "huge column":
            column = draw(st.sampled_from(spec.numbers))
            frame[column] = frame[column].astype(float) * 1e300 + 1e300
            return bad(frame, f"huge {column}")
        if how == "empty":
            return bad(pd.DataFrame(), "an empty table")
        if how == "no rows":
            return bad(frame.iloc[0:0], "no rows")
        junk = draw(st.sampled_from(["None", "text", "records", "columns", "number"]))
        if junk == "None" and spec.none_ok:
            return good(None, "None (the default)")
        return bad({"None": None, "text": "таблица", "records": frame.to_dict("records"),
                    "columns": frame.to_dict("list"), "number": 5}[junk], f"not a table: {junk}")

    return draw()


VILLAGES = TableSpec((lesson("lesson/villages"), lesson("exercise/villages")), key=("village_id",),
                     numbers=("population", "households", "working_age", "employed",
                              "underemployed", "seasonal_migrants"))
VILLAGES_ALL = dataclasses.replace(VILLAGES, typos=(("internet", "Слабый"), ("water", "кран"),
                                                    ("electricity", "Нет")),
                                   numbers=VILLAGES.numbers + ("distance_karakol_km",
                                                               "distance_road_km"))
CALENDAR = TableSpec((lesson("lesson/labour_calendar"), lesson("exercise/labour_calendar")),
                     key=("month", "occupation"), numbers=("month", "load_share"))
STRUCTURE = TableSpec((lesson("lesson/population_structure"),),
                      key=("village_id", "age_group", "sex"),
                      typos=(("sex", "Ж"), ("age_group", "16–28")), numbers=("people",))
SKILLS = TableSpec((lesson("lesson/household_skills"), lesson("exercise/household_skills")),
                   key=("skill_id",), numbers=("households",))
ACTIVITIES = TableSpec((lesson("lesson/economic_activities"),), key=("activity_id",),
                       typos=(("value_added", "Сырьё"), ("value_added", "сырье")),
                       numbers=("people",))
MATERIALS = TableSpec((lesson("lesson/raw_materials"), lesson("exercise/raw_materials")),
                      key=("material_id",), typos=(("source_type", "Дикорос"), ("unit", "кг.")),
                      numbers=("storage_life_days", "sustainable_share"))
MONTH_ROWS = TableSpec((lesson("lesson/raw_material_months"),
                        lesson("exercise/raw_material_months")),
                       key=("material_id", "month"), numbers=("month", "volume"))
PRODUCT_USE = TableSpec((lesson_products,), key=("product", "material_id"),
                        numbers=("material_per_unit",))
IDEAS = TableSpec((lesson("lesson/product_ideas"), lesson("exercise/product_ideas")),
                  key=("idea_id",), typos=(("copy_barrier", "Низкий"),
                                           ("tech_complexity", "простой")),
                  flags=("imported_inputs",),
                  numbers=("local_input_share", "startup_cost_som", "similar_sellers",
                           "buyer_interest_share", "women_youth_share"))
STABILITY = TableSpec((lesson_stability,), key=("material_id",), numbers=("stable_months",))
SKILL_PEOPLE = TableSpec((lesson("lesson/household_skills"),), key=("skill_id",),
                         numbers=("people",))
FACTS = TableSpec((lesson_facts,), key=("idea_id",),
                  typos=(("copy_barrier", "Низкий"), ("tech_complexity", "Простая")),
                  numbers=("stable_months", "skill_people", "local_input_share"))
KNOCKOUT_FACTS = dataclasses.replace(FACTS, flags=("imported_inputs", "material_known",
                                                   "skill_known"))
SCORES = TableSpec((lesson_scores,), key=("__index__",), numbers=tuple(ideas.CRITERIA),
                   optional=tuple(ideas.CRITERIA))
SEGMENTS = TableSpec((lesson("lesson/market_segments"), lesson("exercise/market_segments")),
                     key=("segment_id", "product_id"),
                     numbers=("people", "buyer_share", "purchases_per_year",
                              "units_per_purchase", "price_som", "channel_margin"))
COMPETITORS = TableSpec((lesson("lesson/competitor_prices"),
                         lesson("exercise/competitor_prices")),
                        typos=(("pack_unit", "Г"), ("seller_type", "осоп")),
                        numbers=("pack_size", "price_som"), optional=("seller_type",))
BATCHES = TableSpec((lesson("lesson/product_batches"),), key=("product_id",),
                    typos=(("unit_size_unit", "Мл"),), numbers=("unit_size",))


# --- the package's own objects -------------------------------------------------------------
@st.composite
def aimak_totals(draw):
    totals = territory.aimak_totals(load_table("lesson/villages"))
    how = draw(st.sampled_from(["lesson", "own", "more employed than working age", "NaN",
                                "text", "None", "dict", "a table"]))
    if how == "lesson":
        return good(totals, how)
    if how == "own":
        return good(territory.AimakTotals(1, 1000, 250, 600, 500, 200, 300, 100, 50), how)
    if how == "more employed than working age":
        return bad(dataclasses.replace(totals, employed=totals.working_age + 1), how)
    if how == "NaN":
        return bad(dataclasses.replace(totals, underemployed=float("nan")), how)
    if how == "text":
        return bad(dataclasses.replace(totals, seasonal_migrants="50"), how)
    return bad({"None": None, "dict": dataclasses.asdict(totals),
                "a table": load_table("lesson/villages")}[how], how)


@st.composite
def territory_data(draw):
    how = draw(st.sampled_from(["lesson", "exercise", "damaged villages", "damaged calendar",
                                "damaged activities", "junk"]))
    if how == "lesson":
        return good(territory.lesson_data(), how)
    if how == "exercise":
        return either(territory.own_data(load_table("exercise/villages"),
                                          load_table("exercise/labour_calendar"),
                                          skills=load_table("exercise/household_skills")), how)
    data = territory.lesson_data()
    if how == "junk":
        return bad(draw(st.sampled_from([None, "данные", data.villages,
                                         dataclasses.asdict(data)])), how)
    name, spec = {"damaged villages": ("villages", VILLAGES_ALL),
                  "damaged calendar": ("calendar", CALENDAR),
                  "damaged activities": ("activities", ACTIVITIES)}[how]
    table = draw(tables(spec))
    if isinstance(table.value, pd.DataFrame) and table.good:
        return good(data, how)
    if table.value is None and name == "activities":
        return good(dataclasses.replace(data, activities=None), "no activities")
    return Case(dataclasses.replace(data, **{name: table.value}), f"{how}: {table.what}",
                bad=table.bad or not isinstance(table.value, pd.DataFrame))


@st.composite
def rule_checks(draw):
    rules = territory.territory_summary(territory.lesson_data())
    how = draw(st.sampled_from(["lesson", "none", "kind typo", "junk item", "one rule",
                                "None", "text"]))
    if how in ("lesson", "none"):
        return good(rules if how == "lesson" else [], how)
    if how == "kind typo":
        return bad([*rules[:-1], dataclasses.replace(rules[-1], kind="Gap")], how)
    if how == "junk item":
        return bad([*rules, draw(st.sampled_from(["пробел", None, {"kind": "gap"}]))], how)
    return bad({"one rule": rules[0], "None": None, "text": "gap"}[how], how)


# --- step 2 and step 3 arguments --------------------------------------------------------
def record(**changes) -> dict:
    return {"material": "Шиповник", "source_type": "дикорос", "unit": "кг",
            "storage_life_days": 365, "sustainable_share": 0.3,
            "volume": [0] * 8 + [500, 800, 0, 0],
            "price_som": [None] * 8 + [120, 100, None, None]} | changes


@st.composite
def records(draw):
    volume = draw(by_month())
    prices = draw(by_month(1, 1e4, missing_ok=True))
    how = draw(st.sampled_from(["one", "one", "two", "missing key", "typo source", "life 0",
                                "share above 1", "not a list", "one dict", "empty",
                                "junk item"]))
    if how in ("one", "two"):
        def items(v, p):
            one = record(volume=v, price_som=p)
            return [one] if how == "one" else [one, one | {"material_id": "b"}]

        same = NOTHING
        if volume.same is not NOTHING or prices.same is not NOTHING:
            same = items(volume.value if volume.same is NOTHING else volume.same,
                         prices.value if prices.same is NOTHING else prices.same)
        return Case(items(volume.value, prices.value), f"{how}: {volume.what}, {prices.what}",
                    bad=volume.bad or prices.bad, good=volume.good and prices.good, same=same)
    if how == "missing key":
        gone = draw(st.sampled_from(["volume", "price_som", "unit", "source_type"]))
        return bad([{k: v for k, v in record().items() if k != gone}], f"without {gone}")
    return bad({"typo source": [record(source_type="Дикорос")],
                "life 0": [record(storage_life_days=0)],
                "share above 1": [record(sustainable_share=1.5)],
                "not a list": "Шиповник", "one dict": record(), "empty": [],
                "junk item": [record(), None]}[how], how)


def product_uses():
    return st.one_of(
        st.just(good({"product": "Чай", "unit_name": "пачка", "material_per_unit": 0.05},
                     "a product")),
        st.just(good(None, "None (the default)")),
        st.sampled_from([{"product": "Чай", "unit_name": "пачка"},
                         {"product": "Чай", "unit_name": "пачка", "material_per_unit": 0},
                         {"product": "Чай", "unit_name": "пачка",
                          "material_per_unit": float("nan")},
                         {"product": "Чай", "unit_name": "пачка", "material_per_unit": 1e-320},
                         "Чай", ["Чай"]]).map(lambda v: bad(v, "not a product")),
    )


@st.composite
def weights(draw):
    keys = list(ideas.CRITERIA)
    chosen = draw(st.dictionaries(st.sampled_from(keys), st.floats(0, 5), min_size=1))
    how = draw(st.sampled_from(["dict", "dict", "series", "ties", "all zero", "NaN", "huge",
                                "above 5", "negative", "unknown", "text value", "list",
                                "text", "None"]))
    if how in ("dict", "series"):
        if sum(chosen.values()) == 0:
            return bad(chosen, "all zero")
        return good(chosen if how == "dict" else pd.Series(chosen), how)
    if how == "ties":
        return good({k: 0.1 for k in draw(st.lists(st.sampled_from(keys), min_size=1,
                                                   unique=True))}, "equal small weights")
    key = draw(st.sampled_from(keys))
    return bad({"all zero": {k: 0 for k in keys}, "NaN": chosen | {key: float("nan")},
                "huge": chosen | {key: 1e308}, "above 5": chosen | {key: 5.5},
                "negative": chosen | {key: -1}, "unknown": chosen | {"demnad": 1},
                "text value": chosen | {key: "4"}, "list": [1] * 8,
                "text": "demand: 4", "None": None}[how], how)


def rule_lists():
    return st.one_of(
        st.lists(st.sampled_from(ideas.KNOCKOUTS), unique=True).map(lambda v: good(v, "rules")),
        st.sampled_from([["easy-copy"], "easy_copy", None, [None], 5, {"easy_copy": False}])
        .map(lambda v: bad(v, "not rules")),
    )


def override_texts():
    lines = st.sampled_from(["sb_candy; Спрос; 4", "sb_jam, demand, 2", "# комментарий", "",
                             "honey_sb; Уникальность для территории; 5"])
    return st.one_of(
        st.lists(lines, max_size=3).map(lambda v: good("\n".join(v), "override lines")),
        st.sampled_from(["sb_candy; Спрос; 9", "sb_candy; Спрос", "sb_candy; Вкус; 3",
                         "sb_candy; Спрос; 4.5", "sb_candy; Спрос; nan", None, 5, ["a"],
                         b"sb_candy; demand; 4"]).map(lambda v: bad(v, "not override lines")),
    )


def overrides():
    return st.one_of(
        st.sampled_from([{("sb_candy", "demand"): 4}, {}, {("sb_jam", "Спрос"): 1}])
        .map(lambda v: good(v, "own scores")),
        st.sampled_from([{("sb_candy", "demand"): 9}, {("sb_candy", "demand"): float("nan")},
                         {("sb_candy", "вкус"): 3}, {("nope", "demand"): 3},
                         {"sb_candy": 4}, "sb_candy; Спрос; 4", [("sb_candy", "demand", 4)],
                         {("sb_candy", "demand"): "4"}, {("sb_candy", "demand"): True}])
        .map(lambda v: bad(v, "not own scores")),
        st.just(good(None, "None (the default)")),
    )


@st.composite
def selection_options(draw):
    """The ``**options`` of select_ideas: any subset of its settings, or an unknown one."""
    kinds = {"weights": weights(), "top_n": scalar(1, whole=True, typical=(1, 10)),
             "rules": rule_lists(), "overrides": overrides(),
             "spread": scalar(0, 1, high_open=True), "draws": scalar(
                 1, ideas.MAX_DRAWS, whole=True, typical=(1, 40)),
             "seed": scalar(0, whole=True, typical=(0, 10**6))}
    names = draw(st.lists(st.sampled_from(sorted(kinds)), unique=True, max_size=3))
    cases = {name: draw(kinds[name]) for name in names}
    if "draws" not in cases:
        cases["draws"] = good(20, "few draws (speed)")
    if draw(st.integers(0, 9)) == 0:
        cases["wieghts"] = bad({"demand": 1}, "an unknown option")
    return Case({k: c.value for k, c in cases.items()}, "options",
                bad=any(c.bad for c in cases.values()),
                good=all(c.good for c in cases.values()))


# --- checks and fmt arguments -------------------------------------------------------
def models():
    return st.one_of(st.sampled_from(sorted(set(TABLES.values()), key=lambda m: m.__name__))
                     .map(lambda m: good(m, "a row model")),
                     st.sampled_from([None, "Village", dict, 5]).map(lambda v: bad(v, "no model")))


@st.composite
def any_tables(draw):
    name = draw(st.sampled_from(sorted(TABLES)))
    return draw(tables(TableSpec((lesson(name),))))


def column_names():
    return st.one_of(st.lists(st.sampled_from(["idea_id", "people", "month", "price_som",
                                               "volume", "nope"]), max_size=3)
                     .map(lambda v: either(v, "column names")),
                     st.sampled_from([None, "people", 5]).map(lambda v: bad(v, "not names")))


def dates():
    return st.one_of(st.dates().map(lambda d: good(d, "a date")),
                     st.datetimes().map(lambda d: either(d, "a datetime")),
                     st.sampled_from(JUNK).map(lambda j: bad(*j)))


def numbers_of_any_length():
    return st.one_of(
        st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=13).map(
            lambda v: good(v, "numbers")),
        st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=13).map(
            lambda v: good(pd.Series(v), "a Series")),
        st.sampled_from([[], [float("nan")], [1e308], [None], ["1"], [True], {1: 2.0}, {1.0},
                         [[1.0]], 5.0, "1, 2", None, b"12"]).map(lambda v: bad(v, "not numbers")),
    )


# --- which class of values each parameter gets ------------------------------------------------
SHARE = scalar(0, 1)
SHARE_BELOW_1 = scalar(0, 1, high_open=True)
AMOUNT = scalar(0)
POSITIVE = scalar(0, low_open=True)
WHOLE_MONTHS = scalar(1, 12, whole=True)
LESSON_MATERIALS = tuple(load_table("lesson/raw_materials")["material_id"])
LESSON_PRODUCTS = tuple(load_table("lesson/market_segments")["product_id"].unique())
SURVEYED = tuple(p for p in LESSON_PRODUCTS
                 if p in set(load_table("lesson/competitor_prices")["product_id"]))

SPECS: dict[str, object] = {
    # territory
    "own_data.villages": tables(VILLAGES_ALL),
    "own_data.calendar": tables(CALENDAR),
    "own_data.structure": tables(dataclasses.replace(STRUCTURE, none_ok=True)),
    "own_data.skills": tables(dataclasses.replace(SKILLS, none_ok=True)),
    "own_data.activities": tables(dataclasses.replace(ACTIVITIES, none_ok=True)),
    "aimak_totals.villages": tables(VILLAGES),
    "population_pyramid.structure": tables(STRUCTURE),
    "free_time_share.calendar": tables(CALENDAR),
    "labour_reserve.totals": aimak_totals(),
    "labour_reserve.migrant_stay_share": SHARE,
    "labour_reserve.count_not_employed": flag(),
    "available_person_days.labour_reserve": AMOUNT,
    "available_person_days.free_share": by_month(0, 1),
    "available_person_days.working_days": scalar(1, 31),
    "available_person_days.participation": SHARE,
    "person_hours.days": by_month(),
    "person_hours.hours_per_day": scalar(1, 12),
    "peak_and_low_months.days": by_month(),
    "skill_shares.skills": tables(SKILLS),
    "skill_shares.households": scalar(0, low_open=True, whole=True, typical=(2000, 10**5)),
    "raw_sale_share.activities": tables(ACTIVITIES),
    "territory_summary.data": territory_data(),
    "territory_summary.market": text("Каракол", "Нарын", empty_ok=False),
    "strengths_and_gaps.rules": rule_checks(),
    # raw_materials
    "analyse_material.materials": tables(MATERIALS),
    "analyse_material.months": tables(MONTH_ROWS),
    "analyse_material.material_id": category(LESSON_MATERIALS, ("Honey", "облепиха")),
    "analyse_material.storage": flag(),
    "analyse_material.storage_life_days": scalar(1, whole=True, none_ok=True,
                                                 typical=(1, 800)),
    "analyse_material.product": product_uses(),
    "check_inventory.materials": tables(MATERIALS),
    "check_inventory.months": tables(MONTH_ROWS),
    "season_table.materials": tables(MATERIALS),
    "season_table.months": tables(MONTH_ROWS),
    "material_stability.materials": tables(MATERIALS),
    "material_stability.months": tables(MONTH_ROWS),
    "production_months": month_sets(),
    "check_months.production_months": month_sets(),
    "raw_materials.check_products.products": tables(PRODUCT_USE),
    "inventory_from_records.records": records(),
    "max_output.stable_supply": AMOUNT,
    "max_output.material_per_unit": POSITIVE,
    "mean_price.price_som": by_month(1, 1e4, missing_ok=True),
    "mean_price.supply": by_month(),
    "one_month_risk.volume": by_month(),
    "over_harvest_risks.planned_use": AMOUNT,
    "over_harvest_risks.stable_supply": AMOUNT,
    "over_harvest_risks.sustainable_share": SHARE,
    "over_harvest_risks.source_type": category(("дикорос", "домохозяйства", "фермы"),
                                               ("Дикорос", "дикоросы", "ферма")),
    "over_harvest_risks.unit": category(("кг", "л"), ("KG", "литр")),
    "price_swing_risk.price_som": by_month(1, 1e4, missing_ok=True),
    "supply": by_month(),
    "planned_use": AMOUNT,
    "life_months": WHOLE_MONTHS,
    "storage_loss_share": SHARE_BELOW_1,
    "storage_months.storage_life_days": scalar(1, whole=True, typical=(1, 800)),
    "sustainable_supply.volume": by_month(),
    "sustainable_supply.sustainable_share": SHARE,
    # ideas
    "idea_facts.ideas": tables(IDEAS),
    "idea_facts.materials": tables(STABILITY),
    "idea_facts.skills": tables(SKILL_PEOPLE),
    "select_ideas.ideas": tables(dataclasses.replace(IDEAS, none_ok=True)),
    "select_ideas.materials": tables(dataclasses.replace(STABILITY, none_ok=True)),
    "select_ideas.skills": tables(dataclasses.replace(SKILL_PEOPLE, none_ok=True)),
    "select_ideas.options": selection_options(),
    "criterion_scores.facts": tables(FACTS),
    "knockouts.facts": tables(KNOCKOUT_FACTS),
    "knockouts.rules": rule_lists(),
    "check_weights.weights": weights(),
    "weighted_total.scores": tables(SCORES),
    "weighted_total.weights": weights(),
    "to_points.total": st.one_of(
        scalar(1, 5, list_ok=True),
        st.lists(st.floats(1, 5), min_size=1, max_size=8).map(
            lambda v: good(pd.Series(v), "totals")),
        st.sampled_from([pd.Series([3.0, float("nan")]), pd.Series([9.0]), [0.5], {"a": 3.0},
                         [[3.0]], pd.Series([], dtype=float)])
        .map(lambda v: bad(v, "not totals"))),
    "rank_ideas.totals": st.one_of(
        st.lists(st.floats(1, 5), min_size=1, max_size=8).map(
            lambda v: good(pd.Series(v, index=[f"i{n}" for n in range(len(v))]), "totals")),
        st.sampled_from([[3.0, 4.0], {"a": 3.0, "b": 4.0}]).map(lambda v: either(v, "totals")),
        st.sampled_from([pd.Series([3.0, float("nan")]), pd.Series([9.0]),
                         pd.Series([3.0, 0.5]), pd.Series([3.0, 4.0], index=["a", "a"]),
                         None, "3", [[3.0]]]).map(lambda v: bad(v, "not totals"))),
    "parse_overrides.text": override_texts(),
    # market
    "base_quantity.size": POSITIVE,
    "base_quantity.unit": category(tuple(market.UNITS), ("Г", "гр", "литр")),
    "check_competitors.competitors": tables(COMPETITORS),
    "market.check_products.products": tables(BATCHES),
    "check_segments.segments": tables(SEGMENTS),
    "competitor_table.competitors": tables(COMPETITORS),
    "competitor_table.product_id": category(SURVEYED, ("SB_JUICE", "juice")),
    "price_per_unit.price_som": POSITIVE,
    "price_per_unit.pack_size": POSITIVE,
    "price_per_unit.pack_unit": category(tuple(market.UNITS), ("Г", "гр", "литр")),
    "price_summary.prices": price_lists(),
    "producer_price.price_som": POSITIVE,
    "producer_price.channel_margin": SHARE_BELOW_1,
    "scenario_factor.scenario": category(tuple(market.SCENARIOS), ("Base", "rosy")),
    "scenario_tables.segments": tables(SEGMENTS),
    "scenario_tables.product_id": category(LESSON_PRODUCTS, ("SB_JUICE", "juice")),
    "segment_table.segments": tables(SEGMENTS),
    "segment_table.product_id": category(LESSON_PRODUCTS, ("SB_JUICE", "juice")),
    "segment_table.scenario": category(tuple(market.SCENARIOS), ("Base", "rosy")),
    "segment_volume.people": POSITIVE,
    "segment_volume.buyer_share": SHARE,
    "segment_volume.purchases_per_year": POSITIVE,
    "segment_volume.units_per_purchase": POSITIVE,
    # fmt
    "fmt_number.value": scalar(-1e15, 1e15, typical=(-1e6, 1e6)),
    "fmt_money.value": scalar(-1e15, 1e15, typical=(-1e6, 1e6)),
    "fmt_typed.value": scalar(-1e15, 1e15, typical=(-1e6, 1e6)),
    "fmt_percent.share": scalar(-1e15, 1e15, typical=(-10, 10)),
    "digits": scalar(0, 6, whole=True),
    "fmt_date.value": dates(),
    "fmt_date.form": category(("long", "short", "medium"), ("full", "Long")),
    "month_labels.form": category(("short", "long"), ("Short", "full")),
    "parse_number.text": any_text(),
    "field": text(strict=False),
    "name": text(strict=False),
    # checks
    "number.value": scalar(-1e15, 1e15, typical=(-1e6, 1e6)),
    "share.value": SHARE,
    "numbers.values": numbers_of_any_length(),
    "by_month.values": by_month(-1e6, 1e6, non_negative=False),
    "months.values": month_sets(),
    "boolean.value": flag(),
    "text.value": text("Каракол", empty_ok=False),
    "bounded.value": st.one_of(
        scalar(-1e15, 1e15, typical=(-1e6, 1e6), list_ok=True),
        st.lists(st.floats(-1e6, 1e6), max_size=5).map(lambda v: good(v, "numbers")),
        st.sampled_from([[1.0, float("inf")], pd.Series([1e300]), np.array([-1e16])])
        .map(lambda v: bad(v, "a huge result"))),
    "unique.frame": st.one_of(
        st.sampled_from(sorted(TABLES)).map(lambda n: good(load_table(n), "a course table")),
        st.sampled_from(sorted(TABLES)).map(lambda n: either(
            pd.concat([load_table(n)] * 2), "every row twice")),
        st.sampled_from([None, "таблица", [1, 2], {"a": [1]}]).map(
            lambda v: bad(v, "not a table"))),
    "unique.key": st.one_of(st.sampled_from([None, ["month"], ("idea_id",), "people"])
                            .map(lambda v: either(v, "a key")),
                            st.sampled_from([5, [None]]).map(lambda v: either(v, "not a key"))),
    "category.value": category(("дикорос", "фермы"), ("Дикорос",)),
    "category.allowed": st.one_of(st.just(good(("дикорос", "фермы"), "allowed values")),
                                  st.sampled_from([None, "дикорос", 5, []])
                                  .map(lambda v: bad(v, "not allowed values"))),
    "columns.frame": any_tables(),
    "columns.model": models(),
    "columns.names": column_names(),
    "table.frame": any_tables(),
    "table.model": models(),
    "table.defaults": st.one_of(st.just(good(None, "None (the default)")),
                                st.just(either({"source": "опрос"}, "defaults")),
                                st.sampled_from(["x", 5]).map(lambda v: bad(v, "not a dict"))),
}
"""A parameter's class of values, looked up as ``module.function.param``, ``function.param``,
then ``param``."""

# --- step 5, product (ovop_course/steps/product.py) -----------------------------------------
_product = importlib.import_module("ovop_course.steps.product")


def product_supply() -> pd.DataFrame:
    return _product.lesson_supply()


PRODUCT_CONCEPTS = TableSpec((lesson("lesson/product_concepts"),), key=("product_id",))
PRODUCT_RECIPE = TableSpec((lesson("lesson/recipe"),), key=("product_id", "ingredient"),
                           typos=(("kind", "Сырьё"), ("unit", "кг."),
                                  ("origin", "местный")),
                           numbers=("quantity", "unit_price_som"))
PRODUCT_LOSSES = TableSpec((lesson("lesson/process_losses"),), key=("product_id", "stage_no"),
                           numbers=("stage_no", "loss_share"))
PRODUCT_BATCHES = TableSpec((lesson("lesson/product_batches"),), key=("product_id",),
                            typos=(("unit_size_unit", "Мл"),),
                            numbers=("unit_size", "units_per_batch"))
PRODUCT_SCORES = TableSpec((lesson("lesson/panel_scores"),),
                           key=("panellist", "variant", "attribute"),
                           typos=(("attribute", "Общее"),), numbers=("score",))
PRODUCT_IDEAS = TableSpec((lesson("lesson/product_ideas"),), key=("idea_id",),
                          typos=(("tech_complexity", "Простая"),), none_ok=True)
PRODUCT_SUPPLY = TableSpec((product_supply,), key=("material_id",), numbers=("stable_supply",))
PRODUCT_ID = category(("sb_juice",), ("SB_JUICE", "juice"))
_PRODUCT_TEST = _product.lesson_panel()
_PRODUCT_PAIR = _product.panel_test(load_table("lesson/panel_scores"), variants=["B", "C"])
_PRODUCT_CARD = _product.lesson_concept_card()
_PRODUCT_CHECK = _product.lesson_yield()
_PRODUCT_REVIEW = _product.lesson_design_review()
_PRODUCT_QUESTIONS = [k for k, _ in _product.DESIGN_CHECKLIST]


def product_loss_shares():
    """Loss shares of the stages, in order: any list (an empty one loses nothing), tuple,
    array or Series of shares 0…1 (the same as the list), or not shares."""
    shares = st.lists(st.floats(0, 1), max_size=6)
    return st.one_of(
        shares.map(lambda v: good(v, "shares")),
        shares.flatmap(lambda v: st.sampled_from([
            good(tuple(v), "a tuple", same=v),
            # either when empty: refused («≥ 1 чисел»), though an empty list loses nothing
            Case(np.array(v, dtype=float), "an array", good=bool(v), same=v),
            Case(pd.Series(v, dtype=float), "a Series", good=bool(v), same=v)])),
        st.sampled_from([[1.5], [-0.1], [float("nan")], [float("inf")], [1e308], "0.1", 0.1,
                         None, {0.1}, {1: 0.1}, [[0.1]], [True], [None], ["0.1"], b"\x01"])
        .map(lambda v: bad(v, "not shares")))


def product_prices():
    """Step 2's prices for unit_cost: a dict material id → price (None, NaN or 0: no price,
    the same as none) or step 2's table, or not prices."""
    return st.one_of(
        st.sampled_from([None, {}, {"honey": 350.0}, {"sea_buckthorn_garden": np.float64(177.48)},
                         {"nope": 10.0}]).map(lambda v: good(v, "prices")),
        st.just(good(product_supply(), "step 2's table")),
        st.just(good(product_supply().set_index("material_id")["mean_price_som"],
                     "a Series", same=product_supply().set_index("material_id")[
                         "mean_price_som"].to_dict())),
        st.sampled_from([{"honey": 0.0}, {"honey": 0}, {"honey": None},
                         {"honey": float("nan")}]).map(lambda v: good(v, "no price", same={})),
        st.sampled_from(["x", 5, [350.0], {"honey": "350"}, {"honey": -1},
                         {"honey": float("inf")}, {"honey": 1e308}, {"honey": True},
                         {5: 1.0}, {"": 1.0}, product_supply().drop(columns="mean_price_som"),
                         pd.concat([product_supply()] * 2)])
        .map(lambda v: bad(v, "not prices")))


def product_batch_supply():
    """Step 2's stable supply for batch_limits: its table (as tables() damages it) or a dict
    material id → units a month (not the generic «supply» of 12 months)."""
    return st.one_of(
        tables(PRODUCT_SUPPLY),
        st.sampled_from([{"sea_buckthorn_garden": 800.0, "honey": 300.0},
                         {"sea_buckthorn_garden": np.int64(800), "honey": 0, "nope": 5.0}])
        .map(lambda v: good(v, "a dict of supplies")),
        # enough for a recipe without the sea buckthorn line (a damaged material_id cell)
        st.just(either({"honey": 300.0}, "the honey only")),
        st.sampled_from([{}, {"sea_buckthorn_garden": -1, "honey": 3},
                         {"sea_buckthorn_garden": float("nan"), "honey": 3},
                         {"sea_buckthorn_garden": "800", "honey": 3},
                         {"sea_buckthorn_garden": True, "honey": 3},
                         {"sea_buckthorn_garden": 1e308, "honey": 3}, [800.0], "x", 5])
        .map(lambda v: bad(v, "not supply")))


def _one_of_results(goods, bads, what):
    return st.one_of(st.sampled_from(goods).map(lambda v: good(v, what)),
                     st.sampled_from(bads).map(lambda v: bad(v, f"not {what}")))


_PRODUCT_TABLES = {"recipe": tables(PRODUCT_RECIPE), "losses": tables(PRODUCT_LOSSES),
                   "batches": tables(PRODUCT_BATCHES), "scores": tables(PRODUCT_SCORES),
                   "product_id": PRODUCT_ID}
SPECS.update({
    f"product.{fname}.{name}": spec
    for fname in _product.__all__ if inspect.isfunction(getattr(_product, fname))
    for name, spec in _PRODUCT_TABLES.items()
    if name in inspect.signature(getattr(_product, fname)).parameters})
SPECS.update({
    "product.check_concepts.concepts": tables(PRODUCT_CONCEPTS),
    "product.concept_card.concepts": tables(PRODUCT_CONCEPTS),
    "product.concept_card.segments": tables(SEGMENTS),
    "product.concept_card.competitors": tables(COMPETITORS),
    "product.concept_card.products": tables(BATCHES),
    "product.yield_after.quantity": AMOUNT,
    "product.yield_after.loss_shares": product_loss_shares(),
    "product.scale_recipe.units": scalar(1, whole=True, none_ok=True, typical=(1, 10**4)),
    "product.scale_recipe.factor": scalar(0, low_open=True, none_ok=True,
                                          typical=(0.01, 100)),
    "product.unit_cost.prices": product_prices(),
    "product.raw_material_supply.materials": tables(MATERIALS),
    "product.raw_material_supply.months": tables(MONTH_ROWS),
    "product.raw_material_supply.production_months": month_sets(),
    "product.raw_material_supply.storage": flag(),
    "product.batches_per_month.stable_supply": AMOUNT,
    "product.batches_per_month.material_per_batch": POSITIVE,
    "product.batch_limits.supply": product_batch_supply(),
    "product.panel_test.attribute": category(PANEL_ATTRIBUTES, ("Общее", "overall")),
    "product.panel_test.variants": st.one_of(
        st.sampled_from([None, ["B", "C"], ["A", "B", "C"], ("A", "C"), np.array(["C", "A"])])
        .map(lambda v: good(v, "variants")),
        st.just(good({"C", "A"}, "a set: in the table's order")),
        st.sampled_from(["B", "AB", ["B"], ["B", "B"], ["X", "B"], ["b", "c"], 5,
                         {"B": 1}, [], [None, "B"]])
        .map(lambda v: bad(v, "not variants"))),
    "product.explain_panel.result": _one_of_results(
        [_PRODUCT_TEST, _PRODUCT_PAIR],
        [None, "x", dataclasses.asdict(_PRODUCT_TEST),
         dataclasses.replace(_PRODUCT_TEST, preferred=()),
         dataclasses.replace(_PRODUCT_TEST, preferred=("X",)),
         dataclasses.replace(_PRODUCT_TEST, p_value=float("nan")),
         dataclasses.replace(_PRODUCT_TEST, means=(7.0,)),
         dataclasses.replace(_PRODUCT_TEST, test="t-test")], "a panel test"),
    "product.design_answers.card": _one_of_results(
        [_PRODUCT_CARD], [None, dataclasses.asdict(_PRODUCT_CARD),
                          dataclasses.replace(_PRODUCT_CARD, hard_to_copy="рецепт"),
                          dataclasses.replace(_PRODUCT_CARD, price_high=float("nan"))],
        "a concept card"),
    "product.design_answers.check": _one_of_results(
        [_PRODUCT_CHECK], [None, "x", dataclasses.asdict(_PRODUCT_CHECK),
                           _product.yield_check(*_product.lesson_recipe(), "sb_jam")],
        "the card's yield check"),
    "product.design_answers.panel": _one_of_results(
        [_PRODUCT_TEST, _PRODUCT_PAIR],
        [None, dataclasses.replace(_PRODUCT_TEST, variants=("A",))], "a panel test"),
    "product.design_answers.ideas": tables(PRODUCT_IDEAS),
    "product.design_review.answers": _one_of_results(
        [{}, {"few_ingredients": True}, {"few_ingredients": np.True_, "instruction": False},
         dict.fromkeys(_PRODUCT_QUESTIONS, False), dict.fromkeys(_PRODUCT_QUESTIONS, True)],
        [None, "few_ingredients", ["few_ingredients"], {"nope": True}, {5: True},
         {"few_ingredients": "да"}, {"few_ingredients": 1}, {"few_ingredients": None}],
        "answers"),
    "product.explain_design.review": _one_of_results(
        [_PRODUCT_REVIEW, _product.design_review({})],
        [None, "x", dataclasses.asdict(_PRODUCT_REVIEW),
         dataclasses.replace(_PRODUCT_REVIEW, score=99),
         dataclasses.replace(_PRODUCT_REVIEW, missing=("nope",)),
         dataclasses.replace(_PRODUCT_REVIEW, share=float("nan"))], "a design review"),
})

# --- step 6, technology (ovop_course/steps/technology.py) ----------------------------------
_technology = importlib.import_module("ovop_course.steps.technology")


def _either_scalar(case: Case) -> Case:
    """A month argument of step 6 may be one number for every month: not a wrong container."""
    return either(case.value, case.what) if case.what == "scalar" else case


def tech_monthly():
    return st.one_of(AMOUNT, by_month().map(_either_scalar))


def tech_process() -> pd.DataFrame:
    return _technology.lesson_process()


def tech_items() -> pd.DataFrame:
    return _technology.equipment_table(load_table("lesson/equipment"), tech_process())


def tech_seasons():
    shares = _technology.lesson_inputs().seasonality
    return st.one_of(
        st.sampled_from([None, shares, dict(zip(MONTHS, shares)), [0.5, 0.5] + [0.0] * 10,
                         [1 / 12] * 12]).map(lambda v: good(v, "shares adding up to 1")),
        st.sampled_from([[0.1] * 12, [1.0] * 11, {1: 1.0}, "январь", [float("nan")] * 12,
                         [-0.5, 1.5] + [0.0] * 10, {0.5}, [[1.0] * 12]])
        .map(lambda v: bad(v, "not 12 shares adding up to 1")))


def tech_plans():
    plans = _technology.lesson_plans()
    plan = plans["simple"]
    return st.one_of(
        st.sampled_from(list(plans.values())).map(lambda p: good(p, "a lesson plan")),
        st.sampled_from([None, "план", dataclasses.asdict(plan),
                         dataclasses.replace(plan, sales=(1.0,) * 11),
                         dataclasses.replace(plan, equipment=(("press", 1.0),)),
                         dataclasses.replace(plan, units_per_batch=0)])
        .map(lambda v: bad(v, "not a plan")))


def tech_changes():
    return st.one_of(
        st.sampled_from([{}, {"price_som": 250.0}, {"wage_som_hour": 100.0}, {"rate": 0.1},
                         {"years": 5}]).map(lambda v: good(v, "changes")),
        st.sampled_from([{"price_som": float("nan")}, {"prise_som": 200.0},
                         {"sales": [1.0] * 11}, {"production_months": [13]},
                         {"price_som": "250"}, {"price_som": 100.0}, {"rate": -1.0}])
        .map(lambda v: bad(v, "bad changes")))


def tech_plan_fields():
    fields = dataclasses.asdict(_technology.lesson_plan())
    return st.one_of(
        st.just(good(fields, "every field")),
        st.sampled_from([{}, {"product_id": "sb_juice"}, fields | {"price_som": "200"},
                         fields | {"extra": 1}, fields | {"sales": None}])
        .map(lambda v: bad(v, "bad fields")))


def scenario_plan_fields():
    fields = {k: v for k, v in dataclasses.asdict(_technology.lesson_plan()).items()
              if k not in _technology._FROM_PROCESS}
    return st.one_of(
        st.just(good(fields, "the plan's other fields")),
        st.sampled_from([{}, {"product_id": "sb_juice"}, fields | {"price_som": "200"},
                         fields | {"extra": 1}, fields | {"labour_minutes": 10.0},
                         fields | {"units_per_batch": 0}, fields | {"product_id": 5}])
        .map(lambda v: bad(v, "bad fields")))


TECH_PROCESS = TableSpec((tech_process,), key=("step_no",),
                         numbers=("step_no", "minutes", "people"))
TECH_STEPS = TableSpec((lesson("lesson/process_steps"),), key=("product_id", "step_no"),
                       flags=("control_point",), numbers=("step_no", "minutes", "people"))
TECH_ALTERNATIVES = TableSpec((lesson("lesson/process_alternatives"),),
                              key=("product_id", "step_no", "equipment_id"),
                              numbers=("step_no", "minutes", "people"))
TECH_EQUIPMENT = TableSpec((lesson("lesson/equipment"),), key=("equipment_id",),
                           typos=(("level", "Ручное"),), numbers=("price_som", "lifetime_years"))
TECH_ITEMS = TableSpec((tech_items,), numbers=("price_som", "lifetime_years"))
TECH_OVERHEADS = TableSpec((lesson("lesson/overheads"),), key=("overhead_id",),
                           typos=(("per", "Месяц"),), numbers=("amount_som",))
TECH_SEASONS = TableSpec((lesson("lesson/sales_seasonality"),), key=("product_id", "month"),
                         numbers=("month", "share"))
TECH_PRICE = scalar(0, low_open=True, typical=(500, 1000))   # above every good variable cost
TECH_VARIABLE = scalar(0, typical=(0, 400))
TECH_CODES = st.one_of(
    st.sampled_from([(), [], None]).map(lambda v: good(v, "no codes")),
    st.sampled_from([["juicer_screw"], ("juicer_screw", "filling_line"), ["freezer_chest"]])
    .map(lambda v: either(v, "codes")),
    st.sampled_from(["juicer_screw", [5], {"juicer_screw": True}, ["nope"], [""]])
    .map(lambda v: bad(v, "not codes")))

SPECS.update({
    "technology.lesson_market.product_id": st.one_of(
        st.sampled_from(LESSON_PRODUCTS).map(lambda v: good(v, "a lesson product")),
        st.sampled_from(["SB_JUICE", "juice", "honey_jar"]).map(
            lambda v: either(v, "a product step 4 has not studied")),
        st.sampled_from(["", " ", 5, 1.5, ["sb_juice"], {"a": 1}, b"x", True, None]).map(
            lambda v: bad(v, "not a product code"))),
    "technology.lesson_market.unit_size": st.sampled_from(
        [0.5, 1, 250, float("nan"), None, -1, 0, "0,5", [1], 1e308]).map(
        lambda v: either(v, "a unit size (none fitting: no corridor)")),
    "technology.lesson_market.unit_size_unit": st.sampled_from(
        ["л", "мл", "г", "кг", "Мл", "", None, 5, ["л"]]).map(
        lambda v: either(v, "a unit (none fitting: no corridor)")),
    "technology.scenario_of.steps": tables(TECH_STEPS),
    "technology.scenario_of.alternatives": tables(dataclasses.replace(TECH_ALTERNATIVES,
                                                                      none_ok=True)),
    "technology.scenario_of.equipment": tables(TECH_EQUIPMENT),
    "technology.scenario_of.use": TECH_CODES,
    "technology.scenario_of.person_hours": by_month(),
    "technology.scenario_of.raw_units": st.one_of(st.just(good(None, "no limit")),
                                                  tech_monthly()),
    "technology.scenario_of.plan": scenario_plan_fields(),
    "technology.check_process.steps": tables(TECH_STEPS),
    "technology.check_alternatives.alternatives": tables(TECH_ALTERNATIVES),
    "technology.check_equipment.equipment": tables(TECH_EQUIPMENT),
    "technology.process_with.steps": tables(TECH_STEPS),
    "technology.process_with.product_id": category(("sb_juice",), ("SB_JUICE", "juice")),
    "technology.process_with.alternatives": tables(dataclasses.replace(TECH_ALTERNATIVES,
                                                                       none_ok=True)),
    "technology.process_with.use": TECH_CODES,
    "technology.labour_minutes_per_unit.process": tables(TECH_PROCESS),
    "technology.labour_minutes_per_unit.units_per_batch": scalar(1, whole=True,
                                                                 typical=(1, 500)),
    "technology.capacity.process": tables(TECH_PROCESS),
    "technology.capacity.units_per_batch": scalar(1, whole=True, typical=(1, 500)),
    "technology.capacity.hours_per_day": scalar(1, 24),
    "technology.capacity.working_days": scalar(1, 31, whole=True),
    "technology.capacity.copies": st.one_of(
        st.sampled_from([None, {"press_manual": 2}, {"pot_pasteurizer": 3, "tanks": 1}])
        .map(lambda v: good(v, "copies")),
        st.sampled_from(["pot", {"pot": 2}, {"press_manual": 0}, {"press_manual": 1.5},
                         {"press_manual": "2"}, [("press_manual", 2)], {"op8": 2}])
        .map(lambda v: bad(v, "not copies"))),
    "technology.capacity.crew": scalar(1, 1000, whole=True, typical=(3, 50), none_ok=True),
    "technology.season_shares.table": tables(TECH_SEASONS),
    "technology.season_shares.product_id": category(("sb_juice",), ("SB_JUICE",)),
    "technology.demand_by_month.units_year": AMOUNT,
    "technology.demand_by_month.seasonality": tech_seasons(),
    "technology.labour_limit.person_hours": by_month(),
    "technology.labour_limit.labour_minutes": POSITIVE,
    "technology.monthly_limits.capacity_units": tech_monthly(),
    "technology.monthly_limits.raw_units": tech_monthly(),
    "technology.monthly_limits.demand_units": tech_monthly(),
    "technology.monthly_limits.labour_units": tech_monthly(),
    "technology.depreciation.price_som": AMOUNT,
    "technology.depreciation.lifetime_years": scalar(1, 50),
    "technology.equipment_table.equipment": tables(TECH_EQUIPMENT),
    "technology.equipment_table.process": tables(TECH_PROCESS),
    "technology.equipment_table.extra": TECH_CODES,
    "technology.money_at_risk.investment_som": AMOUNT,
    "technology.money_at_risk.monthly_surplus_som": scalar(-1e15, 1e15, typical=(-1e5, 1e5)),
    "technology.money_at_risk.months": scalar(0, 240, whole=True),
    "technology.labour_cost.labour_minutes": AMOUNT,
    "technology.labour_cost.wage_som_hour": AMOUNT,
    "technology.energy_cost.energy_kwh": AMOUNT,
    "technology.energy_cost.tariff_som_kwh": AMOUNT,
    "technology.overheads_per_year.overheads": tables(TECH_OVERHEADS),
    "technology.cost_sheet.raw_som": AMOUNT,
    "technology.cost_sheet.packaging_som": AMOUNT,
    "technology.cost_sheet.labour_som": AMOUNT,
    "technology.cost_sheet.energy_som": AMOUNT,
    "technology.cost_sheet.overheads_som_year": AMOUNT,
    "technology.cost_sheet.depreciation_som_year": AMOUNT,
    "technology.cost_sheet.units_year": POSITIVE,
    "technology.cost_plus_price.unit_cost_som": POSITIVE,
    "technology.cost_plus_price.markup": scalar(-1, low_open=True, typical=(0, 2)),
    "technology.price_position.price_som": POSITIVE,
    "technology.price_position.low_som": scalar(0, low_open=True, typical=(1, 100)),
    "technology.price_position.high_som": scalar(0, low_open=True, typical=(100, 1000)),
    "technology.explain_markup.markup": scalar(0, typical=(0, 3)),
    "technology.explain_markup.cost_som": POSITIVE,
    "technology.break_even.fixed_som": AMOUNT,
    "technology.break_even.price_som": TECH_PRICE,
    "technology.break_even.variable_som": TECH_VARIABLE,
    "technology.cvp_table.fixed_som": AMOUNT,
    "technology.cvp_table.price_som": TECH_PRICE,
    "technology.cvp_table.variable_som": TECH_VARIABLE,
    "technology.cvp_table.max_units": scalar(0, low_open=True, none_ok=True),
    "technology.cvp_table.points": scalar(2, 501, whole=True, typical=(2, 50)),
    "technology.year_plan.sales": tech_monthly(),
    "technology.year_plan.price_som": POSITIVE,
    "technology.year_plan.variable_som": AMOUNT,
    "technology.year_plan.fixed_som_month": AMOUNT,
    "technology.year_plan.investment_som": AMOUNT,
    "technology.year_plan.output_cap": st.one_of(st.just(good(None, "no cap")),
                                                 tech_monthly()),
    "technology.year_plan.start_month": scalar(1, 12, whole=True, none_ok=True),
    "technology.investment_flows.items": tables(TECH_ITEMS),
    "technology.investment_flows.years": scalar(1, 40, whole=True, none_ok=True),
    "technology.project_flows.annual_som": scalar(-1e15, 1e15, typical=(-1e6, 1e6)),
    "technology.project_flows.items": tables(TECH_ITEMS),
    "technology.project_flows.years": scalar(1, 40, whole=True, none_ok=True),
    "technology.appraisal.rate": scalar(-1, low_open=True, typical=(0, 1)),
    "technology.appraisal.flows": numbers_of_any_length(),
    "technology.year_profit.price_som": AMOUNT,
    "technology.year_profit.variable_som": AMOUNT,
    "technology.year_profit.fixed_som": AMOUNT,
    "technology.year_profit.units": AMOUNT,
    "technology.break_even_price.fixed_som": AMOUNT,
    "technology.break_even_price.variable_som": AMOUNT,
    "technology.break_even_price.units": POSITIVE,
    "technology.tornado.price_som": AMOUNT,
    "technology.tornado.raw_som": AMOUNT,
    "technology.tornado.labour_som": AMOUNT,
    "technology.tornado.other_som": AMOUNT,
    "technology.tornado.fixed_som": AMOUNT,
    "technology.tornado.units": AMOUNT,
    "technology.tornado.change": scalar(0, 1, low_open=True, high_open=True),
    "technology.make_plan.fields": tech_plan_fields(),
    "technology.evaluate.plan": tech_plans(),
    "technology.evaluate.changes": tech_changes(),
    "technology.compare_scenarios.plans": st.one_of(
        st.just(good(_technology.lesson_plans(), "the lesson's plans")),
        st.sampled_from([[_technology.lesson_plan()], {}, {"a": None}, None, "plans"])
        .map(lambda v: bad(v, "not plans"))),
    "technology.saved_results.evaluation": st.one_of(
        st.just(good(_technology.lesson_evaluation(), "the lesson's evaluation")),
        st.sampled_from([None, "e", _technology.lesson_plan()])
        .map(lambda v: bad(v, "not an evaluation"))),
})

# --- shared: costing (ovop_course/steps/costing.py) ----------------------------------------
_costing = importlib.import_module("ovop_course.steps.costing")


@st.composite
def cash_flows(draw, *, one_change=False):
    """The net flows of periods 0, 1, …: 1 to costing.MAX_PERIODS numbers as a list, tuple,
    array or Series (the same as the list), or not flows. ``one_change``: the good ones change
    sign exactly once (an investment, then the money back, each flow 0 or ±1…10⁶), so that
    they have exactly one IRR, between −100 % and 10¹⁵."""
    top = _costing.MAX_PERIODS
    size = draw(st.one_of(st.integers(1, 13), st.integers(1, top)))
    if one_change:
        part = st.one_of(st.floats(1, 1e6), st.just(0.0))
        first = draw(st.integers(1, size - 1)) if size > 1 else 1
        spent = draw(st.lists(part, min_size=first, max_size=first).filter(any))
        back = draw(st.lists(part, min_size=max(1, size - first),
                             max_size=max(1, size - first)).filter(any))
        sign = draw(st.sampled_from([1, -1]))  # −1: a loan, paid back later
        values = [-sign * x for x in spent] + [sign * x for x in back]
    else:
        values = draw(st.lists(st.floats(-1e6, 1e6), min_size=size, max_size=size))
    form = draw(st.sampled_from([
        "list", "list", "tuple", "array", "series", "shuffled series", "empty", "too many",
        "NaN", "inf", "huge", "None inside", "text inside", "bool inside", "nested", "dict",
        "set", "scalar", "text", "None", "bytes"]))
    if form == "list":
        return good(values, form)
    if form in ("tuple", "array", "series"):
        shaped = {"tuple": tuple, "array": np.array, "series": pd.Series}[form]
        return good(shaped(values), form, same=values)
    if form == "shuffled series":  # read by position, as a list
        order = draw(st.permutations(range(len(values))))
        return good(pd.Series(values, index=order), form, same=values)
    if form == "too many":
        return bad(values + [1.0] * (top + 1 - len(values)), f"more than {top} periods")
    spoiled = list(values)
    if form in ("NaN", "inf", "huge", "None inside", "text inside", "bool inside"):
        spoiled[draw(st.integers(0, len(values) - 1))] = {
            "NaN": float("nan"), "inf": -float("inf"), "huge": 1e16, "None inside": None,
            "text inside": "100", "bool inside": True}[form]
        return bad(spoiled, form)
    return bad({"empty": [], "nested": [values], "dict": dict(enumerate(values)),
                "set": set(values), "scalar": 5.0, "text": "-100, 110", "None": None,
                "bytes": b"\x01"}[form], form)


def _any_cash_flows():
    """Flows with any signs for irr: answered or refused (no sign change, several rates, a
    loss of almost all the money), never wrongly."""
    return cash_flows().map(lambda c: Case(c.value, c.what, bad=c.bad, same=c.same))


COST_RATE = scalar(-1, low_open=True, typical=(-0.5, 1))
SPECS.update({
    "costing.margin.price": POSITIVE,
    "costing.margin.cost": AMOUNT,
    "costing.markup.price": POSITIVE,
    "costing.markup.cost": POSITIVE,
    # a margin a hair below 1 is a markup above 10¹⁵: refused
    "costing.markup_from_margin.m": scalar(None, 1, high_open=True, typical=(-10, 0.999)),
    # a markup a hair above −1 is a margin below −10¹⁵: refused
    "costing.margin_from_markup.k": scalar(-1, low_open=True, typical=(-0.999, 1000)),
    "costing.break_even_units.fixed": AMOUNT,
    "costing.break_even_units.price": TECH_PRICE,      # above every good variable cost
    "costing.break_even_units.variable": TECH_VARIABLE,
    "costing.break_even_revenue.fixed": AMOUNT,
    "costing.break_even_revenue.price": TECH_PRICE,
    "costing.break_even_revenue.variable": TECH_VARIABLE,
    # 240 periods of 10⁶ at −6 % a period already make an NPV near 10¹⁵
    "costing.npv.rate": scalar(-1, low_open=True, typical=(-0.05, 1)),
    "costing.npv.flows": cash_flows(),
    "costing.irr.flows": st.one_of(cash_flows(one_change=True), _any_cash_flows()),
    "costing.payback_years.flows": cash_flows(),
    "costing.discounted_payback_years.rate": COST_RATE,
    "costing.discounted_payback_years.flows": cash_flows(),
})

MAY_REFUSE_GOOD = {
    # good arguments that may still not fit together
    "territory.skill_shares",          # more households with a skill than in the aimak
    "checks.columns", "checks.table",  # any model with any table
    "checks.unique",                   # any key of any table
    "ideas.select_ideas",              # a shortlist may be longer than the ideas that pass
    "ideas.weighted_total",            # the criteria given may all weigh 0
    "product.scale_recipe",            # units and factor: exactly one of the two is given
}


def spec_for(module: str, fname: str, param: inspect.Parameter):
    short = module.removeprefix("steps.")
    for key in (f"{short}.{fname}.{param.name}", f"{fname}.{param.name}", param.name):
        if key in SPECS:
            return SPECS[key]
    raise KeyError(f"tests/test_fuzz_public.py: no class of values for {short}.{fname}"
                   f"({param.name}) — add it to SPECS")


def public_functions():
    for name in STEP_MODULES:
        module = importlib.import_module(f"ovop_course.{name}")
        for fname in getattr(module, "__all__", []):  # a missing __all__ fails below
            fn = getattr(module, fname)
            if inspect.isfunction(fn):
                yield pytest.param(name, fn, id=f"{name.removeprefix('steps.')}.{fname}")


def assert_plain(result, documented: str, where: str = "result") -> None:
    """Plain Python numbers (finite), lists, tuples, dicts, dataclasses; pandas objects only
    where the function's annotation says it returns a table or a Series."""
    assert not isinstance(result, np.generic), f"{where} is a numpy scalar: {result!r}"
    if isinstance(result, float):
        assert math.isfinite(result), f"{where} is {result!r}"
    elif isinstance(result, (pd.DataFrame, pd.Series)):
        assert ("DataFrame" if isinstance(result, pd.DataFrame) else "Series") in documented, \
            f"{where} is a pandas {type(result).__name__}, not documented: {documented}"
        numeric = result.select_dtypes("number") if isinstance(result, pd.DataFrame) else (
            result if pd.api.types.is_numeric_dtype(result) else pd.Series([], dtype=float))
        assert not np.isinf(numeric.to_numpy(dtype=float)).any(), f"{where} holds infinity"
    elif isinstance(result, (list, tuple)):
        for i, item in enumerate(result):
            assert_plain(item, documented, f"{where}[{i}]")
    elif isinstance(result, dict):
        for key, item in result.items():
            assert_plain(key, documented, f"{where} key {key!r}")
            assert_plain(item, documented, f"{where}[{key!r}]")
    elif dataclasses.is_dataclass(result):
        for f in dataclasses.fields(result):
            assert_plain(getattr(result, f.name), f"{documented} {f.type}", f"{where}.{f.name}")
    else:
        assert result is None or isinstance(result, (bool, int, str, datetime.date)), \
            f"{where} is a {type(result).__name__}: {result!r}"


def outcome(fn, kwargs):
    try:
        return "answer", fn(**kwargs)
    except OvopError as e:
        assert is_russian(str(e)), str(e)
        return "refused", str(e)


def same_answer(a, b) -> bool:
    if isinstance(a, (pd.DataFrame, pd.Series)):
        return type(a) is type(b) and a.equals(b)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(same_answer(getattr(a, f.name), getattr(b, f.name))
                                          for f in dataclasses.fields(a))
    if isinstance(a, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same_answer(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_answer(a[k], b[k]) for k in a)
    return a == b


@pytest.fixture(autouse=True)
def _russian():
    set_language("ru")


@pytest.mark.parametrize("module, fn", list(public_functions()))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_public_function_answers_plainly_or_refuses_in_russian(module, fn, data):
    qualname = f"{module.removeprefix('steps.')}.{fn.__name__}"
    params = [p for p in inspect.signature(fn).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_KEYWORD)]
    cases, kwargs = {}, {}
    for p in params:
        if (p.default is not p.empty
                and data.draw(st.integers(0, 3), label=f"default {p.name}?") == 0):
            continue
        case = data.draw(spec_for(module, fn.__name__, p), label=p.name)
        cases[p.name] = case
        if p.kind is p.VAR_KEYWORD:
            kwargs.update(case.value)
        else:
            kwargs[p.name] = case.value
    kind, result = outcome(fn, kwargs)
    if kind == "refused":
        assert not (all(c.good for c in cases.values()) and qualname not in MAY_REFUSE_GOOD), \
            f"{qualname} refused good values: {result}"
        return
    wrong = [name for name, c in cases.items() if c.bad]
    assert not wrong, f"{qualname} took bad values for {wrong} and answered {result!r:.300}"
    assert_plain(result, str(inspect.signature(fn).return_annotation))
    if any(c.same is not NOTHING for c in cases.values()):
        plain = {}
        for p in params:
            if p.name in cases:
                c = cases[p.name]
                value = c.value if c.same is NOTHING else c.same
                plain.update(value if p.kind is p.VAR_KEYWORD else {p.name: value})
        again = outcome(fn, plain)
        assert again[0] == "answer" and same_answer(result, again[1]), \
            f"{qualname}: the plain form of the arguments gives {again!r:.300}, not {result!r:.300}"


@pytest.mark.parametrize("name", STEP_MODULES)
def test_every_step_module_declares_its_public_api(name):
    module = importlib.import_module(f"ovop_course.{name}")
    assert getattr(module, "__all__", None), \
        f"ovop_course/{name.replace('.', '/')}.py needs __all__ (its trainee-facing API)"
    for fname in module.__all__:
        assert not fname.startswith("_") and hasattr(module, fname)


def test_every_public_parameter_has_a_class_of_values():
    for param in public_functions():
        module, fn = param.values
        for p in inspect.signature(fn).parameters.values():
            if p.kind is not p.KEYWORD_ONLY:
                spec_for(module, fn.__name__, p)


def test_fuzzing_covers_the_main_calculations():
    names = {p.id for p in public_functions()}
    for expected in ("market.segment_volume", "raw_materials.stable_supply_with_storage",
                     "territory.available_person_days", "territory.territory_summary",
                     "territory.labour_reserve", "fmt.fmt_money", "checks.numbers",
                     "checks.table", "ideas.select_ideas"):
        assert expected in names
