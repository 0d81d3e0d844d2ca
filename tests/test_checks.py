"""Shared input checks: numbers, shares and a trainee's own tables."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field

from ovop_course import checks
from ovop_course.data import file_table, load_table
from ovop_course.errors import OvopError
from ovop_course.schemas import TABLES, Row


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


# --- every class of bad values is refused, never read as something else ------------------------

TWELVE = [float(10 * m) for m in range(1, 13)]


@pytest.mark.parametrize("values", [
    TWELVE, tuple(TWELVE), np.array(TWELVE), pd.Series(TWELVE),
    pd.Series(TWELVE, index=range(1, 13)), dict(zip(range(1, 13), TWELVE)),
    {m: 10.0 * m for m in (12, 3, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11)},
    pd.Series(TWELVE[::-1], index=range(12, 0, -1)),
])
def test_by_month_reads_a_dict_by_its_months_and_a_list_by_position(values):
    assert checks.by_month(values, "объём") == TWELVE


@pytest.mark.parametrize("values, message", [
    (dict(enumerate(TWELVE)), "нет месяцев: 12; это не месяцы 1–12: 0"),
    ({m: 1 for m in range(1, 12)}, "нет месяцев: 12"),
    ({**dict(zip(range(1, 13), TWELVE)), 13: 1}, "не месяцы 1–12: 13"),
    ({str(m): 1 for m in range(1, 13)}, "не месяцы 1–12: 1, 2"),
    (pd.Series(TWELVE, index=[1] * 6 + [2] * 6), "месяцы повторяются: 1, 2"),
    (set(TWELVE), "12 значений по месяцам"),
    (TWELVE[:11], "нужно 12 значений, с января по декабрь, а дано 11"),
    (TWELVE + [1.0], "а дано 13"),
    ([TWELVE] * 12, "«объём, месяц 1»: «\\[10.0"),
    (5.0, "12 значений по месяцам"),
    ("1, 2, 3", "12 значений по месяцам"),
    (None, "12 значений по месяцам"),
    ([math.nan] + TWELVE[1:], "«объём, месяц 1»: введите обычное конечное число"),
    ([1e308] + TWELVE[1:], "«объём, месяц 1»: 1e\\+308 — слишком большое число"),
    ([True] + TWELVE[1:], "«объём, месяц 1»: «True» — не число"),
])
def test_by_month_refuses_what_is_not_a_year(values, message):
    with pytest.raises(OvopError, match=message):
        checks.by_month(values, "объём")


def test_by_month_may_leave_a_month_empty():
    prices = checks.by_month([None, math.nan, pd.NA] + TWELVE[3:], "цена", missing_ok=True)
    assert prices[:4] == [None, None, None, 40.0]


def test_months_are_a_set_of_month_numbers_and_never_a_dict():
    assert checks.months([11, 9, 10, 9], "месяцы") == (9, 10, 11)
    assert checks.months({11, 9, 10}, "месяцы") == (9, 10, 11)
    assert checks.months(range(10, 13), "месяцы") == (10, 11, 12)
    assert checks.months(np.array([3, 1]), "месяцы") == (1, 3)
    for wrong, message in [({9: True, 10: False}, "нужен список номеров месяцев"),
                           ([], "выберите хотя бы один месяц"), ([0], "не меньше 1"),
                           ([1.5], "целое число"), ("9, 10", "нужен список номеров"),
                           ([True], "не число")]:
        with pytest.raises(OvopError, match=message):
            checks.months(wrong, "месяцы")


def test_a_category_is_written_exactly_and_a_typo_gets_a_hint():
    assert checks.category("дикорос", ("дикорос", "фермы"), "источник") == "дикорос"
    with pytest.raises(OvopError, match="«Дикорос» — не из списка допустимых значений: "
                                        "«дикорос», «фермы». Может быть, «дикорос»\\?"):
        checks.category("Дикорос", ("дикорос", "фермы"), "источник")
    for wrong in (["дикорос"], None, 5, b"\xd0"):
        with pytest.raises(OvopError, match="не из списка"):
            checks.category(wrong, ("дикорос", "фермы"), "источник")


def test_yes_or_no_is_true_or_false_never_text():
    assert checks.boolean(np.True_, "считать") is True and checks.boolean(False, "считать") is False
    for wrong in ("нет", "да", "False", "", 0, 1, None):
        with pytest.raises(OvopError, match="нужно True \\(да\\) или False \\(нет\\)"):
            checks.boolean(wrong, "считать")


@pytest.mark.parametrize("value", [1e16, -1e16, 10**20, 10**400, 1e308])
def test_numbers_beyond_the_limit_are_typing_mistakes(value):
    with pytest.raises(OvopError, match="слишком большое число: по модулю не больше 10¹⁵"):
        checks.number(value, "поле")


def test_a_numpy_bool_is_not_a_number():
    with pytest.raises(OvopError, match="не число"):
        checks.number(np.True_, "поле")


def test_a_result_must_stay_finite_and_plain():
    assert checks.bounded(np.float64(2.5), "итог") == 2.5
    assert type(checks.bounded(np.float64(2.5), "итог")) is float
    assert checks.bounded((np.float64(1), 2), "итог") == (1.0, 2.0)
    for huge in (10 / 1e-320, 1e300 * 1e300, [1.0, 1e16], pd.Series([1.0, math.inf])):
        with pytest.raises(OvopError, match="«итог»: получилось .* — больше 10¹⁵ по модулю"):
            checks.bounded(huge, "итог")
    with pytest.raises(OvopError, match="конечное число"):
        checks.bounded(math.nan, "итог")


def test_equal_to_nine_digits_is_equal():
    assert checks.round_significant(0.1 + 0.2) == checks.round_significant(0.3)
    assert (checks.round_significant(np.array([2.9999999999999996, 3.0000000000000004]))
            == 3.0).all()
    assert checks.round_significant(5e-324) == 5e-324 and checks.round_significant(0.0) == 0
    assert checks.round_significant(1.0000001) != checks.round_significant(1.0)


@pytest.mark.parametrize("cell, words", [
    (True, "столбец «price_som»: ожидается число, а записано «True»"),
    (1e308, "столбец «price_som»: число 1e\\+308 слишком большое"),
    (math.inf, "столбец «price_som»: число inf слишком большое"),
])
def test_a_number_cell_is_never_yes_no_or_huge(cell, words):
    frame = pd.DataFrame({"product": ["мёд"], "price_som": [cell]}, dtype=object)
    for check in (lambda: checks.table(frame, Price, "мои цены"),
                  lambda: checks.columns(frame, Price, ["price_som"], "мои цены")):
        with pytest.raises(OvopError, match=words):
            check()


def test_a_row_written_twice_is_refused():
    frame = pd.DataFrame({"product": ["мёд", "сок", "мёд"], "price_som": [350, 120, 350]})
    with pytest.raises(OvopError, match="В таблице «мои цены» повторяются строки \\(product\\): "
                                        "мёд. Оставьте каждую один раз"):
        checks.table(frame, Price, "мои цены", key=("product",))
    with pytest.raises(OvopError, match="повторяются строки \\(коды строк\\): a"):
        checks.columns(frame.set_axis(["a", "b", "a"]), Price, ["price_som"], "мои цены",
                       key=None)
    checks.unique(frame, ("seller",), "мои цены")  # no such column: nothing to compare


@pytest.mark.parametrize("call, message", [
    (lambda: checks.table(pd.DataFrame({"a": [1]}), None, "t"), "Описание строк таблицы"),
    (lambda: checks.columns(pd.DataFrame({"a": [1]}), Price, ["a"], "t"),
     "в описании таблицы нет столбцов a"),
    (lambda: checks.columns(pd.DataFrame({"a": [1]}), Price, None, "t"), "списком названий"),
    (lambda: checks.table(pd.DataFrame({"product": ["x"], "price_som": [1]}), Price, "t",
                          defaults="x"), "словарём"),
])
def test_shared_checks_refuse_their_own_junk_in_russian(call, message):
    with pytest.raises(OvopError, match=message):
        call()


# --- a data file's table as it was read is checked already ----------------------------------
@pytest.mark.parametrize("name", sorted(TABLES))
def test_a_data_files_table_unchanged_checks_as_validating_it_again(name, monkeypatch):
    given = load_table(name)
    model = TABLES[name]
    assert file_table(given, model) is not None
    quick = checks.table(given, model, name)
    monkeypatch.setattr(checks, "file_table", lambda *_a: None)   # validated again
    slow = checks.table(given, model, name)
    pd.testing.assert_frame_equal(quick, slow)


def test_a_changed_or_other_table_is_validated_again():
    steps = load_table("lesson/process_steps")
    steps.loc[0, "minutes"] = -5                         # the trainee's change
    with pytest.raises(OvopError, match="minutes"):
        checks.table(steps, TABLES["lesson/process_steps"], "карта процесса")
    steps = load_table("lesson/process_steps")
    assert file_table(steps, TABLES["lesson/equipment"]) is None     # another model
    assert file_table(steps.iloc[:3], TABLES["lesson/process_steps"]) is None   # some rows
    renamed = steps.rename(columns={"minutes": "minutes_"})
    assert file_table(renamed, TABLES["lesson/process_steps"]) is None
    assert file_table(steps, TABLES["lesson/process_steps"]) is not None
