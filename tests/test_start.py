"""Module 0's form (tool «start»): creates the workbook, never overwrites one, sets the language."""

import json

import ipywidgets as widgets
import pytest

import ovop_course
from ovop_course import i18n
from ovop_course.workbook import Workbook, load_workbook, save_workbook

NAMES = {"trainee": "Айгуль Асанова", "aiyl_aimak": "Ак-Суу", "region": "Иссык-Кульская область"}


@pytest.fixture
def path(tmp_path, monkeypatch):
    """The trainee's workbook file (not created yet); the UI language is Russian after the test."""
    path = tmp_path / "ovop_workbook.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    yield path
    i18n.set_language("ru")


def shown(form) -> bool:
    """Whether the name fields of the form are shown."""
    return all(form.controls[k].layout.display != "none" for k in NAMES)


def test_the_form_creates_the_workbook(path):
    form = ovop_course.tool("start")
    assert form.title == "Моя рабочая тетрадь" and form.section is None
    assert shown(form) and form.button.description == "Создать рабочую тетрадь"
    assert "Тетради ещё нет" in form.status.value and str(path) in form.status.value
    form.set(**NAMES)
    form.button.click()
    assert "Рабочая тетрадь создана" in form.message.value and form.error is None
    wb = load_workbook(path)
    assert (wb.trainee, wb.aiyl_aimak, wb.region, wb.language) == (*NAMES.values(), "ru")
    assert not shown(form) and form.button.description == "Сохранить язык"
    assert "Айгуль Асанова" in form.status.value and "не перезапишет" in form.status.value


def test_empty_fields_get_a_russian_message_in_the_form(path):
    form = ovop_course.tool("start")
    form.set(trainee="  Айгуль  ", aiyl_aimak="", region=" ")
    text = form.save()
    assert text == "Чтобы создать рабочую тетрадь, заполните: «айыл аймак», «область»."
    assert text in form.message.value and "trainee" not in form.message.value
    assert not path.exists() and shown(form)
    form.set(aiyl_aimak="Ак-Суу", region="Иссык-Кульская область")
    assert "создана" in form.save()
    assert load_workbook(path).trainee == "Айгуль"


def test_an_existing_workbook_is_never_overwritten(path):
    mine = Workbook.new(trainee="Бакыт Токтосунов", aiyl_aimak="Тепке",
                        region="Иссык-Кульская область")
    save_workbook(mine, path)
    before = json.loads(path.read_text(encoding="utf-8"))
    form = ovop_course.tool("start")
    assert not shown(form) and "Бакыт Токтосунов" in form.status.value
    assert "Тепке" in form.status.value
    form.set(**NAMES)                       # typed anyway (the fields are hidden)
    form.save()
    assert json.loads(path.read_text(encoding="utf-8")) == before   # same language: unchanged
    assert load_workbook(path).trainee == "Бакыт Токтосунов"


def test_a_workbook_made_meanwhile_is_not_overwritten(path):
    """Another notebook created the workbook after the form was drawn: the form refuses."""
    form = ovop_course.tool("start")
    form.set(**NAMES)
    save_workbook(Workbook.new(trainee="Бакыт", aiyl_aimak="Тепке", region="Нарын"), path)
    form.save()
    assert load_workbook(path).trainee == "Бакыт"
    assert "Бакыт" in form.status.value and not shown(form)


def test_an_unreadable_workbook_is_reported_and_left_as_it_is(path):
    path.write_text('{"schema_version": 3, "trainee": "Айгу', encoding="utf-8")
    form = ovop_course.tool("start")
    assert "повреждён" in form.status.value and form.button.disabled and not shown(form)
    assert "повреждён" in form.save()
    assert path.read_text(encoding="utf-8").endswith("Айгу")
    assert [p.name for p in path.parent.iterdir() if "damaged" in p.name] == []


def test_saving_english_makes_every_new_tool_english(path):
    form = ovop_course.tool("start")
    assert [code for _, code in form.controls["language"].options] == ["ru", "en"]
    form.set(**NAMES, language="en")
    assert "Workbook created" in form.save()
    assert form.title == "My workbook" and "My workbook" in form._title.value
    assert form.controls["trainee"].description == "Full name"
    assert load_workbook(path).language == "en"

    i18n.set_language("ru")                      # as a new kernel starts
    territory = ovop_course.tool("territory")
    assert territory.title == i18n.catalogue("en")["territory.title"] != "My workbook"
    assert i18n.get_language() == "en"

    again = ovop_course.tool("start")            # module 0 opened again: English, names shown
    assert again.controls["language"].value == "en" and "Aigul" not in again.status.value
    assert "Айгуль Асанова" in again.status.value and "language of the tools" in again.status.value
    again.set(language="ru")
    assert "Язык инструментов сохранён: Русский" in again.save()
    wb = load_workbook(path)
    assert wb.language == "ru" and wb.trainee == "Айгуль Асанова"
    assert ovop_course.tool("territory").title == i18n.catalogue("ru")["territory.title"]


def test_a_missing_or_damaged_workbook_leaves_the_current_language(path):
    i18n.set_language("en")
    assert ovop_course.tool("start").title == "My workbook"          # no workbook
    path.write_text("{", encoding="utf-8")
    assert ovop_course.tool("start").title == "My workbook"          # damaged
    assert i18n.get_language() == "en"


def test_a_tool_follows_the_workbook_it_is_given(tmp_path, path):
    other = tmp_path / "other.json"
    save_workbook(Workbook.new(trainee="А", aiyl_aimak="Б", region="В", language="en"), other)
    tool = ovop_course.tool("concept_quiz", workbook_path=other)
    assert i18n.get_language() == "en" and tool.label(next(iter(tool.controls))) == "question 1"


def test_the_form_is_one_column_that_fits_a_small_screen(path):
    form = ovop_course.tool("start")
    widths = [c.layout.width for c in form.controls.values()]
    assert all(w.endswith("em") and float(w[:-2]) <= 40 for w in widths)   # < 700 px
    assert isinstance(form.widget, widgets.VBox)
