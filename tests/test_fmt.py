"""Formatting of numbers, money, percentages and dates, checked against Babel's parser."""

import datetime as dt
import math

import pytest
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from ovop_course.errors import OvopError
from ovop_course.fmt import fmt_date, fmt_money, fmt_number, fmt_percent, month_labels
from ovop_course.i18n import set_language

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)


@pytest.fixture(autouse=True)
def russian():
    set_language("ru")
    yield
    set_language("ru")


@given(finite, st.integers(0, 4))
def test_number_round_trips_through_babel_parser(value, digits):
    text = fmt_number(value, digits)
    parsed = float(parse_decimal(text.replace("\xa0", " "), locale="ru_RU", strict=False))
    assert math.isclose(parsed, round(value, digits), abs_tol=10 ** -digits)


@given(finite)
def test_money_is_number_then_som(value):
    text = fmt_money(value)
    assert text.endswith("\xa0сом")
    assert text[: -len("\xa0сом")] == fmt_number(value, 0)


def test_money_in_english():
    set_language("en")
    assert fmt_money(1250.5, digits=2) == "1,250.50\xa0som"


def test_russian_grouping_and_decimal_comma():
    assert fmt_number(1234567.25, 2) == "1\xa0234\xa0567,25"


@given(st.floats(min_value=0, max_value=10, allow_nan=False))
def test_percent_shows_share_times_hundred(share):
    text = fmt_percent(share, digits=1)
    number = float(text.rstrip("%").replace("\xa0", "").replace(",", "."))
    assert math.isclose(number, round(share * 100, 1), abs_tol=0.051)


def test_dates():
    day = dt.date(2026, 3, 8)
    assert fmt_date(day).startswith("8 марта 2026")
    set_language("en")
    assert fmt_date(day) == "March 8, 2026"


@pytest.mark.parametrize("bad", ["abc", None, float("nan"), float("inf"), [1]])
def test_bad_numbers_get_russian_message(bad):
    with pytest.raises(OvopError) as e:
        fmt_money(bad)
    assert any("а" <= c <= "я" for c in str(e.value).lower())


def test_bad_date_and_digits():
    with pytest.raises(OvopError, match="не дата"):
        fmt_date("2026-01-01")
    with pytest.raises(OvopError, match="не больше 6"):
        fmt_number(1, digits=9)


def test_month_labels_short_and_long_in_the_ui_language():
    assert len(month_labels()) == len(month_labels("long")) == 12
    assert (month_labels()[0], month_labels("long")[11]) == ("янв", "декабрь")
    set_language("en")
    assert (month_labels()[0], month_labels("long")[0]) == ("Jan", "January")
    with pytest.raises(OvopError, match="short or long"):
        month_labels("wide")
