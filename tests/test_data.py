"""Data loading: every broken file is reported with its name, row and column, in Russian."""

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Literal, get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import Field, ValidationError

from ovop_course import data
from ovop_course.errors import OvopError
from ovop_course.i18n import in_language
from ovop_course.schemas import DOCUMENTS, TABLES, QuizQuestion, Row

ROOT = Path(__file__).resolve().parents[1]


class Price(Row):
    product: str = Field(min_length=1)
    price_som: float = Field(gt=0)
    pieces: int = Field(ge=1)


def write(tmp_path, text, encoding="utf-8", name="prices.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_good_file_gives_typed_table(tmp_path):
    path = write(tmp_path, "product,price_som,pieces\nмёд,350.5,2\nсок,120,1\n")
    df = data.read_table(path, Price)
    assert list(df.columns) == ["product", "price_som", "pieces"]
    assert df["price_som"].sum() == pytest.approx(470.5)
    assert df["pieces"].dtype.kind == "i"


def test_bom_is_accepted(tmp_path):
    path = write(tmp_path, "\ufeffproduct,price_som,pieces\nмёд,350,1\n")
    assert data.read_table(path, Price)["product"].tolist() == ["мёд"]


def test_cp1251_file_is_named_with_line_and_fix(tmp_path):
    path = write(tmp_path, "product,price_som,pieces\nмёд,350,1\n", encoding="cp1251")
    with pytest.raises(OvopError) as e:
        data.read_table(path, Price)
    message = str(e.value)
    assert "prices.csv" in message and "строке 2" in message and "UTF-8" in message


def test_empty_file(tmp_path):
    with pytest.raises(OvopError, match=r"prices\.csv пустой"):
        data.read_table(write(tmp_path, ""), Price)


def test_header_only(tmp_path):
    with pytest.raises(OvopError, match="нет ни одной строки"):
        data.read_table(write(tmp_path, "product,price_som,pieces\n"), Price)


def test_missing_column_is_named(tmp_path):
    with pytest.raises(OvopError) as e:
        data.read_table(write(tmp_path, "product,pieces\nмёд,1\n"), Price)
    assert "price_som" in str(e.value) and "строка 1" in str(e.value)


def test_unknown_column_is_named(tmp_path):
    with pytest.raises(OvopError, match="prise"):
        data.read_table(write(tmp_path, "product,price_som,pieces,prise\nмёд,1,1,2\n"), Price)


def test_wrong_types_are_listed_with_row_and_column(tmp_path):
    text = "product,price_som,pieces\nмёд,abc,1\nсок,120,1.5\nчай,-3,1\n,5,1\n"
    with pytest.raises(OvopError) as e:
        data.read_table(write(tmp_path, text), Price)
    message = str(e.value)
    assert "строка 2, столбец «price_som»: ожидается число, а записано «abc»" in message
    assert "строка 3, столбец «pieces»: ожидается целое число" in message
    assert "строка 4, столбец «price_som»: значение «-3» должно быть больше 0" in message
    assert "строка 5, столбец «product»: значение не заполнено" in message
    assert "Traceback" not in message


def test_ragged_row(tmp_path):
    with pytest.raises(OvopError, match="строка 3: число значений"):
        data.read_table(write(tmp_path, "product,price_som,pieces\nмёд,1,1\nсок,2\n"), Price)


def test_missing_file_and_unknown_table(tmp_path):
    with pytest.raises(OvopError, match="не найден"):
        data.read_table(tmp_path / "nope.csv", Price)
    with pytest.raises(OvopError, match="не описана"):
        data.load_table("lesson/no_such_table")


def test_broken_yaml_names_its_line(tmp_path):
    path = write(tmp_path, "title: Тест\nquestions:\n  - id: [\n", name="quiz.yaml")
    with pytest.raises(OvopError, match=r"quiz\.yaml: ошибка разметки YAML в строке \d"):
        data.read_document(path, DOCUMENTS["course/quiz_concept"])


def test_every_registered_file_loads():
    for name in TABLES:
        assert len(data.load_table(name)) > 0, name
    for name in DOCUMENTS:
        data.load_document(name)


def test_returned_table_is_a_copy():
    first = data.load_table("course/methodology_steps")
    first.loc[0, "name"] = "испорчено"
    assert data.load_table("course/methodology_steps").loc[0, "name"] != "испорчено"


def test_data_dir_env_override_reports_damaged_real_file(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    steps = copy / "course" / "methodology_steps.csv"
    steps.write_text(steps.read_text(encoding="utf-8").replace(",1,", ",один,", 1)
                     .replace("\n1,", "\nодин,", 1), encoding="utf-8")
    monkeypatch.setenv("OVOP_DATA_DIR", str(copy))
    assert data.data_dir() == copy
    with pytest.raises(OvopError, match="строка 2, столбец «step»: ожидается целое число"):
        data.load_table("course/methodology_steps")


@pytest.mark.slow
def test_wheel_carries_the_data(tmp_path):
    """An installed course (not a clone) must find data/: the wheel ships it as _data."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("ovop_course-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for csv in (ROOT / "data").rglob("*.csv"):
        assert f"ovop_course/_data/{csv.relative_to(ROOT / 'data').as_posix()}" in names


@settings(max_examples=150, deadline=None)
@given(st.one_of(
    st.binary(max_size=200),
    st.text(alphabet="product,price_som,pieces\n\"мёд12.5-;\r ", max_size=120),
    st.text(max_size=80).map(lambda s: "product,price_som,pieces\n" + s),
))
def test_any_file_content_gives_a_table_or_a_russian_message(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "prices.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        table = data.read_table(path, Price)
    except OvopError as e:
        assert "prices.csv" in str(e)
    else:
        assert list(table.columns) == ["product", "price_som", "pieces"] and len(table) > 0


# ------------------------------------------------------ row rules speak the UI language




def cyrillic_words(text: str) -> set[str]:
    return set(re.findall(r"[а-яё]+", text, re.IGNORECASE))


def category_words(annotation) -> set[str]:
    """Cyrillic words of the ``Literal[...]`` values in a field's type (data values)."""
    if get_origin(annotation) is Literal:
        return cyrillic_words(" ".join(map(str, get_args(annotation))))
    return set().union(*(category_words(arg) for arg in get_args(annotation)))


def lesson_row(table: str) -> dict:
    """The first row of a lesson table as a valid dict for its model."""
    return data.read_rows(data.data_dir() / f"{table}.csv", TABLES[table])[0].model_dump()


def quiz_row() -> dict:
    return data.load_document("course/quiz_concept").questions[0].model_dump()


BATCH = "lesson/test_batches"
RULE_BREAKS = [  # (model's row, what breaks the rule, Russian text, English text)
    (quiz_row, {"correct": 4}, "номер верного ответа 4 вне списка из 4 вариантов",
     "number 4 is outside the list of 4 options"),
    ("lesson/villages", {"women": 2401}, "не может быть больше, чем всего жителей",
     "cannot outnumber all residents"),
    ("lesson/villages", {"youth": 1393}, "youth не может быть больше working_age",
     "youth cannot be greater than working_age"),
    ("lesson/villages", {"employed": 1392}, "больше, чем людей трудоспособного возраста",
     "greater than the number of people of working age"),
    ("lesson/villages", {"households": 2400}, "меньше 2 или больше 8 человек",
     "fewer than 2 or more than 8 people per household"),
    ("lesson/household_skills", {"people": 899}, "людей с навыком (people) меньше",
     "fewer people with the skill (people)"),
    ("lesson/raw_material_months", {"supply": "свежее"}, "supply = «нет», volume = 0",
     "supply = «нет», volume = 0 and the price is empty"),
    ("lesson/equipment", {"capacity_unit": None}, "заполняются вместе или обе остаются пустыми",
     "are both filled in or both left empty"),
    ("lesson/process_steps", {"control_rule": None}, "должно быть правило control_rule",
     "must have a rule in control_rule"),
    (BATCH, {"units_rejected": 41}, "брака (units_rejected) больше, чем сделано",
     "more rejects (units_rejected) than units made"),
    (BATCH, {"units_sold": 35}, "продано больше, чем годных единиц",
     "more units are sold than there are good units"),
    (BATCH, {"reject_reason": None}, "укажите его причину в reject_reason",
     "give the reason in reject_reason"),
]


@pytest.mark.parametrize("row, change, russian, text", RULE_BREAKS)
def test_row_rule_is_shown_in_the_language_of_the_moment(row, change, russian, text):
    """One broken rule, one error; its text is chosen when it is shown, ru or en."""
    model = QuizQuestion if callable(row) else TABLES[row]
    good = row() if callable(row) else lesson_row(row)
    with pytest.raises(ValidationError) as e:
        model.model_validate(good | change)
    (error,) = e.value.errors()
    assert error["type"].startswith("schemas.")
    assert russian in data.describe(error)
    with in_language("en"):
        shown = data.describe(error)
    assert text in shown
    data_values = set().union(*(category_words(f.annotation) for f in model.model_fields.values()))
    assert cyrillic_words(shown) <= data_values, shown


def test_row_rule_reaches_the_file_report_in_english(tmp_path):
    header = ",".join(TABLES[BATCH].model_fields)
    path = write(tmp_path, f"{header}\n1,p,2025-10-10,5,6,недолив,0,s,100,4,x,\n")
    with in_language("en"), pytest.raises(OvopError) as e:
        data.read_table(path, TABLES[BATCH])
    assert "line 2, column «—»: there are more rejects (units_rejected)" in str(e.value)


def test_a_lesson_case_result_is_computed_once_and_each_caller_gets_its_own_copy():
    calls = []

    @data.lesson_case
    def case():
        calls.append(1)
        return data.load_table("lesson/raw_materials"), ["список"]

    first = case()
    first[0].loc[0, "material"] = "изменено"
    first[1].append("ещё")
    assert len(calls) == 1
    assert case()[0].loc[0, "material"] != "изменено" and case()[1] == ["список"]
