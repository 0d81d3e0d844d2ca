"""Fuzzing every public calculation of the step modules with junk a trainee could pass.

The public functions of the step modules — those in a module's ``__all__``, the API a trainee
may call from a notebook or an exercise — are called with arguments drawn from what their
annotations say they take *and* from junk (None, text, NaN, infinity, negative and huge
numbers, empty or damaged tables). A function may return, or raise OvopError with a Russian
message; any other exception is a bug that would show a trainee a traceback. Keyword-only
parameters are the caller's configuration (limits, field names) and keep their defaults.
Functions whose parameters are the package's own intermediate objects (results of another
function) are not fuzzed here; they are covered through the function that makes them.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ovop_course.data import load_table
from ovop_course.errors import OvopError
from ovop_course.schemas import TABLES
from ovop_course.steps import SHARED, rooms

STEP_MODULES = [f"steps.{name}" for name in [*rooms(), *SHARED]] + ["fmt", "checks"]

numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**9, 10**9))
junk = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=6))


@st.composite
def frames(draw):
    """A course table as a trainee might damage it: a column gone, a cell junk, or empty."""
    table = load_table(draw(st.sampled_from(sorted(TABLES))))
    how = draw(st.sampled_from(["as is", "drop column", "junk cell", "empty", "no rows"]))
    if how == "drop column":
        table = table.drop(columns=draw(st.sampled_from(list(table.columns))))
    elif how == "junk cell":
        row = draw(st.integers(0, len(table) - 1))
        column = draw(st.sampled_from(list(table.columns)))
        table[column] = table[column].astype(object)
        table.loc[row, column] = draw(junk)
    elif how == "empty":
        table = pd.DataFrame()
    elif how == "no rows":
        table = table.iloc[0:0]
    return table


def strategy_for(annotation: str):
    """What to try for a parameter, from its annotation (always with junk mixed in)."""
    text = str(annotation)
    if "DataFrame" in text:
        return st.one_of(frames(), junk)
    if "Series" in text:
        return st.one_of(st.lists(numbers, max_size=13).map(pd.Series), junk)
    if any(k in text for k in ("Sequence", "Iterable", "list", "tuple")):
        return st.one_of(st.lists(st.one_of(numbers, st.integers(1, 12)), max_size=13), junk)
    if "Mapping" in text or "dict" in text:
        return st.one_of(st.dictionaries(st.text(max_size=8), numbers, max_size=4), junk)
    return junk


FUZZABLE = {"float", "int", "str", "bool", "object", "pd", "DataFrame", "Series", "Sequence",
            "Iterable", "list", "tuple", "Mapping", "dict", "None", "inspect", "_empty"}


def fuzzable(annotation) -> bool:
    """Only plain values and tables: not the package's own intermediate objects."""
    return set(re.findall(r"[A-Za-z_]+", str(annotation))) <= FUZZABLE


def public_functions():
    for name in STEP_MODULES:
        module = importlib.import_module(f"ovop_course.{name}")
        for fname in getattr(module, "__all__", []):  # a missing __all__ fails below
            fn = getattr(module, fname)
            if not inspect.isfunction(fn):
                continue
            params = inspect.signature(fn).parameters.values()
            if all(fuzzable(p.annotation) for p in params):
                yield pytest.param(fn, id=f"{name.removeprefix('steps.')}.{fname}")


def is_russian(text: str) -> bool:
    return any("а" <= c <= "я" for c in text.lower())


@pytest.mark.parametrize("fn", list(public_functions()))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_public_function_never_raises_anything_but_a_russian_message(fn, data):
    params = [p for p in inspect.signature(fn).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    kwargs = {}
    for p in params:
        if p.default is not p.empty and data.draw(st.booleans(), label=f"default {p.name}"):
            continue
        kwargs[p.name] = data.draw(strategy_for(p.annotation), label=p.name)
    try:
        fn(**kwargs)
    except OvopError as e:
        assert is_russian(str(e)), str(e)


@pytest.mark.parametrize("name", STEP_MODULES)
def test_every_step_module_declares_its_public_api(name):
    module = importlib.import_module(f"ovop_course.{name}")
    assert getattr(module, "__all__", None), \
        f"ovop_course/{name.replace('.', '/')}.py needs __all__ (its trainee-facing API)"
    for fname in module.__all__:
        assert not fname.startswith("_") and hasattr(module, fname)


def test_fuzzing_covers_the_main_calculations():
    names = {p.id for p in public_functions()}
    for expected in ("market.segment_volume", "raw_materials.stable_supply_with_storage",
                     "territory.available_person_days", "fmt.fmt_money", "checks.numbers"):
        assert expected in names
