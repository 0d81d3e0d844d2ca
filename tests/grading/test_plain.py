"""The tests' side of grading outside the kernel: plain values and running a test on them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ovop_course.grading.execute import names_read, run_test
from ovop_course.grading.plain import MAX_CHARACTERS, NotPlain, export, restore

pytestmark = pytest.mark.grading

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text(max_size=20))
KEYS = st.booleans() | st.integers() | st.text(max_size=10) | st.floats(allow_nan=False)
VALUES = st.recursive(SCALARS, lambda inner: (
    st.lists(inner, max_size=5) | st.tuples(inner, inner)
    | st.dictionaries(KEYS, inner, max_size=5)), max_leaves=30)


def same(a, b) -> bool:
    """Equal, NaN equal to NaN, and of the same type all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def round_trip(value):
    return restore(export({"x": value}, ["x"]))["x"]


@given(VALUES)
def test_plain_values_come_back_as_they_were(value):
    assert same(round_trip(value), value)


class Liar(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class Anything:
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value", [Liar(2.5), np.float64(2.5)])
def test_a_float_of_any_kind_comes_back_as_the_float_it_is(value):
    back = round_trip(value)
    assert type(back) is float and back == 2.5 and back != 3


@pytest.mark.parametrize("value", [Anything(), len, object, (x for x in ())])
def test_what_is_not_data_equals_nothing_and_is_no_number(value):
    back = round_trip(value)
    assert isinstance(back, NotPlain) and back != back and not isinstance(back, int | float)


def test_numpy_and_pandas_values_come_back_with_their_types():
    frame = pd.DataFrame({"month": [1, 2], "volume": [10.5, np.nan], "name": ["май", "июнь"],
                          "ok": [True, False]}, index=[4, 5])
    back = restore(export({"f": frame, "s": frame["volume"], "a": np.arange(3),
                           "b": np.bool_(True), "i": np.int64(7)}, ["f", "s", "a", "b", "i"]))
    pd.testing.assert_frame_equal(back["f"], frame)
    pd.testing.assert_series_equal(back["s"], frame["volume"])
    assert back["a"].tolist() == [0, 1, 2] and back["b"] is True and back["i"] == 7


def test_a_missing_name_is_left_out():
    assert restore(export({"a": 1}, ["a", "b"])) == {"a": 1}


@pytest.mark.parametrize("text", ["[1, 2]", '{"x": {"__code__": 1}}', "not json", 5,
                                  '{"x": 1' + " " * MAX_CHARACTERS + "}"])
def test_anything_but_the_exported_form_is_refused(text):
    with pytest.raises(ValueError):
        restore(text)


def test_deep_nesting_is_not_plain():
    value: list = []
    for _ in range(30):
        value = [value]
    assert "__not_plain__" in export({"x": value}, ["x"])


def test_names_read_are_those_the_test_takes_from_the_kernel():
    source = ("import numbers\nexpected = [1, 2]\n"
              "assert all(abs(a - b) < 0.01 for a, b in zip(honey['s'], expected))\n"
              "assert isinstance(k_cream, numbers.Number)")
    assert names_read(source) == ["honey", "k_cream"]


def test_a_passing_test_prints_a_failing_one_errors_and_a_last_value_is_a_result():
    assert run_test("print('верно')", {}) == [
        {"output_type": "stream", "name": "stdout", "text": "верно\n"}]
    failed = run_test("x = 1\nassert x == 2, 'x должно быть 2'", {}, "a1_test")
    assert failed[-1]["ename"] == "AssertionError" and failed[-1]["evalue"] == "x должно быть 2"
    assert any("assert x == 2" in line for line in failed[-1]["traceback"])
    assert run_test("0.5", {})[0]["data"] == {"text/plain": "0.5"}


def test_a_test_meets_a_missing_answer_as_in_the_kernel():
    assert run_test("stable_fresh + 1", {})[-1]["ename"] == "NameError"


def test_a_line_on_stderr_is_kept_so_nbgrader_gives_no_points():
    outputs = run_test("import sys\nprint('плохо', file=sys.stderr)", {})
    assert outputs == [{"output_type": "stream", "name": "stderr", "text": "плохо\n"}]
