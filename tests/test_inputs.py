"""Number controls (ovop_course/ui/_inputs.py): «12,5» is twelve and a half, and a value out of
range is refused with the allowed range, never changed silently."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ovop_course.errors import OvopError
from ovop_course.fmt import parse_number
from ovop_course.i18n import set_language
from ovop_course.ui._inputs import NumberField, SliderField


@pytest.fixture(autouse=True)
def russian():
    set_language("ru")
    yield
    set_language("ru")


def loss_slider(value=0.05):
    return SliderField(value, low=0, high=0.2, step=0.005, description="Потери", percent=True)


@pytest.mark.parametrize("typed, expected", [
    ("12,5", 12.5), ("12.5", 12.5), (" 1 200,5 ", 1200.5), ("1\u00a0200", 1200), ("-3", -3),
    ("0,0001", 0.0001), ("1e3", 1000),
])
def test_a_number_is_read_as_a_russian_speaker_types_it(typed, expected):
    assert parse_number(typed, "Цена") == pytest.approx(expected)


@pytest.mark.parametrize("typed", ["", "сто", "12,5 кг", "1,200.5", "nan", "inf", "1e400",
                                   "--5", "5%"])
def test_what_is_not_a_number_gets_a_message_naming_the_field(typed):
    with pytest.raises(OvopError, match="«Цена»"):
        parse_number(typed, "Цена")


def test_in_english_a_comma_decimal_is_still_read_and_grouping_is_english():
    set_language("en")
    assert parse_number("12,5", "Price") == 12.5
    assert parse_number("1,200", "Price") == 1200


@given(st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False))
def test_what_a_field_shows_reads_back_exactly(value):
    field = NumberField(0, description="x")
    field.type(float(value))
    assert Decimal(str(field.number())) == value.normalize() or field.number() == float(value)


@pytest.mark.parametrize("typed", ["-5", "5000", "1095,5", "0,5"])
def test_out_of_range_is_refused_with_the_range_not_changed(typed):
    field = NumberField(30, low=1, high=1095, whole=True, description="Срок хранения, дней")
    field.type(typed)
    with pytest.raises(OvopError) as e:
        field.number()
    assert f"{typed}" in str(e.value) and "от 1 до 1\u00a0095" in str(e.value)
    assert field.value == typed  # what was typed stays for the trainee to correct


def test_a_whole_number_field_refuses_a_fraction():
    field = NumberField(30, low=1, high=1095, whole=True, description="Срок хранения, дней")
    field.type("30,5")
    with pytest.raises(OvopError, match="нужно целое число, а указано 30,5"):
        field.number()


def test_a_slider_field_moves_with_what_is_typed_and_shows_what_is_moved():
    slider = loss_slider()
    assert slider.value == "5" and slider.number() == pytest.approx(0.05)
    slider.type("12,5")
    assert slider.slider.value == pytest.approx(0.125) and slider.number() == pytest.approx(0.125)
    slider.slider.value = 0.1
    assert slider.value == "10"


def test_a_slider_field_refuses_a_typed_value_beyond_its_end_and_stays():
    slider = loss_slider()
    slider.type("50")
    with pytest.raises(OvopError, match="от 0 % до 20 %"):
        slider.number()
    assert slider.slider.value == pytest.approx(0.05)  # not cut to 20 % without a word


@pytest.mark.parametrize("value", [None, True, [1], {"a": 1}])
def test_a_value_that_is_neither_number_nor_text_is_refused(value):
    with pytest.raises(Exception) as e:
        NumberField(1, description="x").type(value)
    assert type(e.value).__name__ == "TraitError"
