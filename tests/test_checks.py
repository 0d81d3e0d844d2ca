"""Shared input checks: numbers, shares and a trainee's own tables."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field

from ovop_course import checks
from ovop_course.errors import OvopError
from ovop_course.schemas import Row


class Price(Row):
    product: str = Field(min_length=1)
    price_som: float = Field(gt=0)
    source: str


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_share_accepts_exactly_zero_to_one(value):
    if math.isfinite(value) and 0 <= value <= 1:
        assert checks.share(value, "доля") == value
    else:
        with pytest.raises(OvopError, match="«доля»"):
            checks.share(value, "доля")


@pytest.mark.parametrize("value, rule, message", [
    ("12", {}, "не число"),
    (True, {}, "не число"),
    (float("nan"), {}, "конечное число"),
    (2.5, {"whole": True}, "целое число, а указано 2.5"),
    (0, {"low": 0, "low_open": True}, "больше 0"),
    (-1, {"low": 0}, "не меньше 0"),
    (13, {"high": 12}, "не больше 12"),
    (1, {"high": 1, "high_open": True}, "меньше 1"),
])
def test_number_rules_and_messages(value, rule, message):
    with pytest.raises(OvopError, match=message):
        checks.number(value, "поле", **rule)


def test_number_accepts_numpy_and_limits():
    assert checks.number(np.int64(5), "поле", low=5, high=5, whole=True) == 5.0
    assert checks.number(4.0, "поле", whole=True) == 4.0


def test_table_is_checked_with_rows_from_one_and_source_filled():
    frame = pd.DataFrame({"product": ["мёд", "сок"], "price_som": [np.float64(350), 120]})
    clean = checks.table(frame, Price, "мои цены")
    assert clean["source"].tolist() == ["данные слушателя"] * 2
    assert clean["price_som"].tolist() == [350.0, 120.0]


def test_table_problems_name_table_row_and_column():
    frame = pd.DataFrame({"product": ["мёд", None], "price_som": [-1, 5]})
    with pytest.raises(OvopError) as e:
        checks.table(frame, Price, "мои цены")
    text = str(e.value)
    assert "в таблице «мои цены»" in text
    assert "строка 1, столбец «price_som»" in text and "строка 2, столбец «product»" in text


@pytest.mark.parametrize("frame, message", [
    ([1, 2], "нужна таблица"),
    (pd.DataFrame(), "пустая"),
    (pd.DataFrame({"product": ["мёд"]}), "нет столбцов: price_som"),
])
def test_table_shape_errors(frame, message):
    with pytest.raises(OvopError, match=message):
        checks.table(frame, Price, "мои цены")
