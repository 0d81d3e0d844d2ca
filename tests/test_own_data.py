"""The «Свои данные» panel of every tool that reads a trainee's tables (ui/_own_data.py).

The editor is driven as the browser drives it: a typed cell arrives as ipydatagrid's
cell-change message (``TableEditor.type``), rows are added with «Добавить строку», the
template is downloaded from its data: link and uploaded back as FileUpload bytes.
"""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
from datetime import datetime

import ipywidgets as widgets
import openpyxl
import pandas as pd
import pytest
from own_data_helpers import type_table

import ovop_course
from ovop_course.data import data_dir
from ovop_course.i18n import catalogue, in_language
from ovop_course.schemas import EVERY_PRODUCT, TABLES
from ovop_course.steps import built, ideas, raw_materials, territory
from ovop_course.ui import make_tool
from ovop_course.ui._own_data import (
    GRID_PX,
    INDEX_PX,
    SCROLL_PX,
    _choices,
    _dictionary,
    explain,
    header,
    table_title,
)
from ovop_course.workbook import load_workbook

TOOLS = tuple(m.tool for m in built() if m.step)  # the tools of the steps, as the index has them


@pytest.fixture
def workbook_file(tmp_path, monkeypatch):
    """A trainee's workbook in a temporary folder (tools save their own tables there)."""
    path = tmp_path / "wb.json"
    monkeypatch.setenv("OVOP_WORKBOOK", str(path))
    load_workbook(create_if_missing={"trainee": "Тест", "aiyl_aimak": "Ак-Суу",
                                     "region": "Иссык-Кульская область"})
    return path


def own_tables(name: str) -> dict[str, pd.DataFrame]:
    """A trainee's own tables: the lesson case with a few numbers changed (rules kept)."""
    if name == "territory":
        d = territory.lesson_data()
        villages, calendar = d.villages.copy(), d.calendar.copy()
        villages.loc[0, "underemployed"] -= 100
        villages.loc[0, "seasonal_migrants"] += 10
        villages.loc[1, "distance_road_km"] = 12.5
        calendar.loc[0, "load_share"] += 0.05
        return {"villages": villages, "calendar": calendar}
    if name == "raw_materials":
        materials, months = raw_materials.lesson_inventory()
        materials.loc[0, "sustainable_share"] = 0.35
        months["volume"] = (months["volume"] * 1.1).round(1)
        return {"materials": materials, "months": months}
    if name == "ideas":
        product_ideas = ideas.lesson_inputs()[0]
        product_ideas.loc[0, "buyer_interest_share"] = 0.55
        product_ideas.loc[1, "startup_cost_som"] += 1000
        return {"product_ideas": product_ideas}
    if name == "product":
        recipe = ovop_course.data.load_table("lesson/recipe")
        losses = ovop_course.data.load_table("lesson/process_losses")
        recipe.loc[0, "quantity"] += 2
        losses.loc[0, "loss_share"] = 0.04
        return {"recipe": recipe, "losses": losses}
    if name == "technology":
        process = ovop_course.data.load_table("lesson/process_steps")
        process.loc[1, "minutes"] += 15
        return {"process": process}
    segments = ovop_course.data.load_table("lesson/market_segments")
    segments["buyer_share"] = (segments["buyer_share"] * 0.9).round(4)
    segments.loc[0, "people"] *= 2
    return {"segments": segments}


def section_of(tool) -> dict:
    """The tool's result as its workbook section (what is saved and what later steps read)."""
    return tool.to_section(tool.result, None).model_dump(exclude={"updated_at", "own_data"})


def opened(name: str, **options):
    tool = make_tool(name, **options)
    tool.own_panel.open()
    return tool


def template_book(tool) -> openpyxl.Workbook:
    """The workbook behind the panel's «Скачать шаблон Excel» link."""
    encoded = re.search(r'href="data:[^;]+;base64,([^"]+)"', tool.own_panel.link.value).group(1)
    return openpyxl.load_workbook(io.BytesIO(base64.b64decode(encoded)))


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def no_change(tool, before) -> None:
    """The tool still shows the result it had (data, controls and result untouched)."""
    assert tool.result is before
    assert tool.error is None


# --- the panel is in every tool, closed, and cheap until opened -----------------------------

@pytest.mark.parametrize("name", TOOLS)
def test_every_tool_has_a_closed_own_data_panel(name):
    tool = make_tool(name)
    panel = tool.own_panel
    assert panel.widget in tool.widget.children
    assert panel.widget.selected_index is None and not panel.editors  # closed, not yet built
    assert "учебный случай" in panel.widget.titles[0]
    panel.open()
    assert list(panel.editors) == list(tool.own_tables)
    assert all(e.rows == [] for e in panel.editors.values())  # empty: the lesson is an example
    assert panel.choice.value == "lesson"


def test_a_tool_starts_without_the_grid_and_excel_libraries():
    code = ("import sys, ovop_course; tool = ovop_course.tool('territory');"
            "print('ipydatagrid' in sys.modules, 'openpyxl' in sys.modules);"
            "tool.own_panel.open();"
            "print('ipydatagrid' in sys.modules, 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env={**os.environ, "MPLBACKEND": "Agg"}).stdout.split()
    assert out == ["False", "False", "True", "True"]


@pytest.mark.parametrize("name", TOOLS)
def test_every_column_has_headers_and_an_explanation(name):
    tool = make_tool(name)
    for table, spec in tool.own_tables.items():
        for language in ("ru", "en"):
            headers = [header(c, language) for c in spec.columns]
            assert len(set(headers)) == len(headers), (table, language)
            assert len(table_title(name, table, language)) <= 24  # «Пример — …» fits in 31
        for column in spec.columns:
            meaning, unit, allowed = explain(spec, column)
            assert meaning and unit and allowed, (table, column)


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", TOOLS)
def test_every_column_is_in_view_in_a_page_of_columns(name, language):
    """A table wider than the grid is shown in pages: each fits in GRID_PX with the vertical
    scroll bar, has the first column, and every other column is in exactly one page."""
    with in_language(language):
        tool = opened(name)
    for editor in tool.own_panel.editors.values():
        pages, widths = editor.pages, editor.widths
        assert all(p[0] == 0 for p in pages)
        assert [c for p in pages for c in p[1:]] == list(range(1, len(editor.columns)))
        for number in range(len(pages)):
            editor.show_page(number)
            assert int(editor.grid.layout.width.removesuffix("px")) <= GRID_PX
            columns = sum(widths[c] for c in pages[number])
            assert editor.grid.layout.width == f"{INDEX_PX + columns + SCROLL_PX + 6}px"
        editor.show_page(0)
        assert min(widths) >= 72
        head = editor._head()
        assert all(editor.headers[c] in head for c in pages[0])
        # typing into a column of the last page turns to that page; its cells are the grid's
        last = editor.columns[pages[-1][-1]]
        editor.paste_example()
        editor.type(1, last, "x")
        assert editor.page == len(pages) - 1 and editor.page_choice.value == editor.page
        assert list(editor.grid.data.columns) == [editor.headers[c] for c in pages[-1]]
        assert editor.rows[0][pages[-1][-1]] == "x"
        assert editor.headers[pages[-1][-1]] in editor.head.value
    assert len(opened("territory").own_panel.editors["villages"].pages) > 1   # 17 columns


# --- typed in the table = passed as keyword arguments ----------------------------------------

@pytest.mark.parametrize("name", TOOLS)
def test_rows_typed_in_the_table_give_the_result_of_the_same_tables_as_arguments(
        name, workbook_file):
    tables = own_tables(name)
    expected = section_of(make_tool(name, **tables))
    tool = opened(name)
    lesson = section_of(tool)
    for table, frame in tables.items():
        type_table(tool.own_panel.editors[table], frame)
    assert tool.own_panel.choice.value == "own"   # typing chose «my data»
    message = tool.own_panel.apply()
    assert "Применено" in message and "Сохранено" in message, message
    assert tool.error is None
    assert section_of(tool) == expected != lesson
    assert tool.data_origin == "panel" and "применены" in tool.own_panel.widget.titles[0]


@pytest.mark.parametrize("name", TOOLS)
def test_the_lesson_case_pasted_as_example_gives_the_lesson_result(name):
    tool = opened(name)
    lesson = section_of(tool)
    for editor in tool.own_panel.editors.values():
        editor.paste_example()
    assert "Применено" in tool.own_panel.apply()
    assert section_of(tool) == lesson


def test_a_comma_decimal_in_a_cell_is_read_as_russians_write_it():
    tool = opened("raw_materials")
    editor = tool.own_panel.editors["months"]
    editor.paste_example()
    row = next(i for i, r in enumerate(editor.rows, start=1)
               if r[editor.columns.index("volume")] not in ("", "0"))
    editor.type(row, "volume", "12,5")
    editor.type(row + 1, "volume", "1 200")
    assert editor.message.value == ""
    table = editor.table()
    assert table.loc[row - 1, "volume"] == 12.5 and table.loc[row, "volume"] == 1200
    for other in ("materials", "products"):
        tool.own_panel.editors[other].paste_example()
    assert "Применено" in tool.own_panel.apply()
    assert tool.months.loc[row - 1, "volume"] == 12.5


# --- a bad cell: the message names table, row and column; nothing changes ---------------------

@pytest.mark.parametrize(("text", "what"), [("-5", "не меньше 1"), ("сто", "не число"),
                                            ("12,5", "целое число"), ("", "не заполнено")])
def test_a_bad_cell_names_table_row_and_column_and_keeps_the_result(text, what):
    tool = opened("territory")
    panel = tool.own_panel
    for table, frame in own_tables("territory").items():
        type_table(panel.editors[table], frame)
    assert "Применено" in panel.apply()
    good, data = tool.result, tool.data
    panel.editors["villages"].type(2, "population", text)
    if text:   # shown as soon as it is typed
        assert "строка 2" in panel.editors["villages"].message.value
    message = panel.apply()
    assert "«Сёла»" in message and "строка 2" in message and "«Жителей, чел.»" in message
    assert what in message and "Ничего не изменено" in message
    no_change(tool, good)
    assert tool.data is data and tool.data_origin == "panel"


def test_a_broken_row_rule_keeps_the_result():
    tool = opened("territory")
    panel = tool.own_panel
    for table, frame in own_tables("territory").items():
        type_table(panel.editors[table], frame)
    panel.apply()
    good = tool.result
    panel.editors["villages"].type(1, "women", "99999")   # more women than residents
    message = panel.apply()
    assert "строка 1" in message and "не может быть больше" in message
    no_change(tool, good)


def test_a_required_table_left_empty_is_refused():
    tool = opened("territory")
    good = tool.result
    type_table(tool.own_panel.editors["villages"], own_tables("territory")["villages"])
    message = tool.own_panel.apply()
    assert "«Календарь труда»" in message and "пустая" in message
    no_change(tool, good)
    assert tool.data_origin == "lesson"


def test_rows_are_added_and_removed():
    tool = opened("territory")
    editor = tool.own_panel.editors["villages"]
    editor.paste_example()
    count = len(editor.rows)
    editor.add_row()
    assert len(editor.rows) == count + 1 and editor.rows[-1] == [""] * len(editor.columns)
    assert len(editor.grid.data) == count + 1
    editor.delete_rows()                       # nothing selected: the last row
    editor.grid.select(0, 0)                   # a cell of the first row selected
    editor.delete_rows()
    assert len(editor.rows) == count - 1 and len(editor.grid.data) == count - 1


# --- the Excel template and its upload --------------------------------------------------------

def test_the_template_has_a_sheet_per_table_examples_and_explanations():
    tool = opened("territory")
    book = template_book(tool)
    tables = [table_title("territory", n) for n in tool.own_tables]
    assert book.sheetnames == [*tables, *(f"Пример — {x}" for x in tables), "Пояснения"]
    villages = book["Сёла"]
    assert [c.value for c in villages[1]] == tool.own_panel.editors["villages"].headers
    assert villages.max_row == 1                                  # to fill in
    example = book["Пример — Сёла"]
    assert example.max_row == 1 + len(territory.lesson_data().villages)
    assert example.cell(2, 3).value == territory.lesson_data().villages.loc[0, "population"]
    notes = list(book["Пояснения"].iter_rows(values_only=True))
    assert notes[0] == ("Лист", "Столбец", "Код столбца", "Смысл", "Единица",
                        "Допустимые значения", "Обязательно")
    population = next(r for r in notes if r[0] == "Сёла" and r[2] == "population")
    assert population[3] == "Всего жителей" and population[4] == "человек"
    assert len(notes) == 1 + sum(len(s.columns) for s in tool.own_tables.values())


def fill(book: openpyxl.Workbook, title: str, frame: pd.DataFrame, columns: list[str]) -> None:
    sheet = book[title]
    for record in frame.to_dict("records"):
        sheet.append([record.get(c) if record.get(c) == record.get(c) else None
                      for c in columns])


@pytest.mark.parametrize("name", TOOLS)
def test_template_filled_in_excel_and_uploaded_is_applied(name, workbook_file):
    tables = own_tables(name)
    expected = section_of(make_tool(name, **tables))
    tool = opened(name)
    book = template_book(tool)
    for table, frame in tables.items():
        fill(book, table_title(name, table), frame, tool.own_tables[table].columns)
    message = tool.own_panel.load_file("мой аймак.xlsx", xlsx_bytes(book))
    assert "прочитан" in message and "Применено" in message and "Сохранено" in message, message
    assert section_of(tool) == expected
    assert tool.own_panel.choice.value == "own"
    shown = tool.own_panel.editors[next(iter(tables))]
    assert len(shown.rows) == len(next(iter(tables.values())))   # the grid shows the file


def test_numbers_written_as_text_in_excel_are_read_too():
    tool = opened("territory")
    book = template_book(tool)
    tables = own_tables("territory")
    for table, frame in tables.items():
        fill(book, table_title("territory", table), frame, tool.own_tables[table].columns)
    road = tool.own_tables["villages"].columns.index("distance_road_km") + 1
    book["Сёла"].cell(3, road).value = "12,5"               # typed as text, comma decimal
    assert "Применено" in tool.own_panel.load_file("a.xlsx", xlsx_bytes(book))
    assert tool.data.villages.loc[1, "distance_road_km"] == 12.5
    assert section_of(tool) == section_of(make_tool("territory", **tables))


def damaged_files(tool) -> dict[str, tuple[bytes, str]]:
    """Files that are not a usable template, and what their message says."""
    good = template_book(tool)
    tables = own_tables("territory")
    for table, frame in tables.items():
        fill(good, table_title("territory", table), frame, tool.own_tables[table].columns)
    renamed = template_book(tool)
    renamed["Сёла"].title = "Лист1"
    no_column = template_book(tool)
    fill(no_column, "Сёла", tables["villages"], tool.own_tables["villages"].columns)
    no_column["Сёла"].delete_cols(3)
    unknown = template_book(tool)
    unknown["Сёла"].cell(1, 30).value = "Что-то своё"
    empty_sheet = template_book(tool)
    fill(empty_sheet, "Календарь труда", tables["calendar"], tool.own_tables["calendar"].columns)
    bad_cell = template_book(tool)
    fill(bad_cell, "Сёла", tables["villages"], tool.own_tables["villages"].columns)
    fill(bad_cell, "Календарь труда", tables["calendar"], tool.own_tables["calendar"].columns)
    bad_cell["Сёла"].cell(2, 3).value = "много"
    return {
        "random bytes": (os.urandom(3000), "не читается как книга Excel"),
        "csv renamed": ("village_id,village\nv1,Ак-Суу\n".encode(), "не читается как книга"),
        "no bytes": (b"", "пустой"),
        "empty workbook": (xlsx_bytes(openpyxl.Workbook()), "нет листа «Сёла»"),
        "wrong sheet": (xlsx_bytes(renamed), "нет листа «Сёла»"),
        "missing column": (xlsx_bytes(no_column), "нет столбцов: «Жителей, чел.»"),
        "unknown column": (xlsx_bytes(unknown), "неизвестные столбцы: «Что-то своё»"),
        "no rows": (xlsx_bytes(empty_sheet), "«Сёла» пустая"),
        "bad cell": (xlsx_bytes(bad_cell), "строка 1, столбец «Жителей, чел.»"),
    }


def test_damaged_or_wrong_files_get_a_russian_message_and_keep_good_data(workbook_file):
    tool = opened("territory")
    panel = tool.own_panel
    files = damaged_files(tool)   # from the empty template
    for table, frame in own_tables("territory").items():
        type_table(panel.editors[table], frame)
    panel.apply()
    good, data = tool.result, tool.data
    rows = {n: [list(r) for r in e.rows] for n, e in panel.editors.items()}
    saved = load_workbook(workbook_file).step01_territory.own_data
    for case, (content, says) in files.items():
        message = panel.load_file(f"{case}.xlsx", content)
        assert says in message and "Ничего не изменено" in message, (case, message)
        assert "Traceback" not in message and "Error" not in message, case
        no_change(tool, good)
        assert tool.data is data and tool.data_origin == "panel", case
        assert {n: e.rows for n, e in panel.editors.items()} == rows, case
    assert load_workbook(workbook_file).step01_territory.own_data == saved


def test_the_upload_widget_reads_the_file_it_is_given():
    tool = opened("territory")
    panel = tool.own_panel
    assert isinstance(panel.upload, widgets.FileUpload) and panel.upload.accept == ".xlsx"
    book = template_book(tool)
    for table, frame in own_tables("territory").items():
        fill(book, table_title("territory", table), frame, tool.own_tables[table].columns)
    content = xlsx_bytes(book)
    panel.upload.value = ({"name": "аймак.xlsx", "type": "", "size": len(content),
                           "content": memoryview(content), "last_modified": datetime.now()},)
    assert "прочитан" in panel.message.value and tool.data_origin == "panel"
    assert panel.upload.value == ()   # ready for the next file


# --- kept in the workbook ---------------------------------------------------------------------

@pytest.mark.parametrize("name", TOOLS)
def test_applied_own_data_is_saved_and_a_later_tool_starts_with_it(name, workbook_file):
    tables = own_tables(name)
    tool = opened(name)
    for table, frame in tables.items():
        type_table(tool.own_panel.editors[table], frame)
    tool.own_panel.apply()
    expected = section_of(tool)
    section = getattr(load_workbook(workbook_file), tool.section)
    assert section.own_data.use and set(section.own_data.tables) == set(tables)
    assert section.updated_at is None         # own tables only: no result saved yet
    tool.save()                                # saving the result keeps the own tables
    assert getattr(load_workbook(workbook_file), tool.section).own_data == section.own_data

    later = make_tool(name)                    # the notebook opened again
    assert later.data_origin == "workbook"
    worked_example = make_tool(name, lesson=True)   # a lesson's example keeps the lesson case
    assert worked_example.data_origin == "lesson" and worked_example.own_start
    assert "Ваши данные из рабочей тетради" in later.own_panel.widget.titles[0]
    assert section_of(later) == expected
    later.own_panel.open()
    assert later.own_panel.choice.value == "own"
    assert [len(e.rows) for e in later.own_panel.editors.values()] == \
        [len(tables.get(n, [])) for n in later.own_tables]


def test_the_lesson_case_can_be_chosen_again(workbook_file):
    tool = opened("territory")
    lesson = section_of(tool)
    for table, frame in own_tables("territory").items():
        type_table(tool.own_panel.editors[table], frame)
    tool.own_panel.apply()
    assert section_of(tool) != lesson
    tool.own_panel.choice.value = "lesson"
    assert "учебный случай" in tool.own_panel.apply()
    assert section_of(tool) == lesson and tool.data_origin == "lesson"
    own = load_workbook(workbook_file).step01_territory.own_data
    assert not own.use and set(own.tables) == {"villages", "calendar"}   # kept for later
    later = opened("territory")
    assert later.data_origin == "lesson" and section_of(later) == lesson
    assert len(later.own_panel.editors["villages"].rows) == 4     # the tables to go back to


def test_tables_given_as_arguments_still_win_and_fill_the_editors(workbook_file):
    tables = own_tables("territory")
    tool = opened("territory", **tables)
    assert tool.data_origin == "arguments"
    assert len(tool.own_panel.editors["villages"].rows) == len(tables["villages"])
    assert tool.own_panel.choice.value == "own"


def test_without_a_workbook_own_data_is_applied_and_the_message_says_it_is_not_saved(
        tmp_path, monkeypatch):
    monkeypatch.setenv("OVOP_WORKBOOK", str(tmp_path / "none.json"))
    tool = opened("territory")
    for table, frame in own_tables("territory").items():
        type_table(tool.own_panel.editors[table], frame)
    message = tool.own_panel.apply()
    assert "Применено" in message and "не сохранено" in message
    assert tool.data_origin == "panel"


# --- English UI -------------------------------------------------------------------------------

def test_english_headers_and_a_russian_template_read_in_english():
    ru_book = template_book(opened("territory"))
    with in_language("en"):
        tool = opened("territory")
        editor = tool.own_panel.editors["villages"]
        assert editor.headers[2] == catalogue("en")["own_data.column.population"]
        assert template_book(tool).sheetnames[0] == "Villages"
        for table, frame in own_tables("territory").items():
            fill(ru_book, table_title("territory", table, "ru"), frame,
                 tool.own_tables[table].columns)
        message = tool.own_panel.load_file("ru.xlsx", xlsx_bytes(ru_book))
        assert "Applied" in message, message


CYRILLIC = re.compile("[\u0400-\u04ff]")


@pytest.fixture
def english():
    """The UI in English for one test, and Russian again after it, even when it fails."""
    with in_language("en"):
        yield


def data_values() -> list[str]:
    """The values of fixed choices (Literal) of every row model — Russian words the data keep
    as they are in every UI language (``дикорос``, ``ж``), longest first."""
    models = {*TABLES.values(),
              *(spec.row_model for name in TOOLS for spec in make_tool(name).own_tables.values())}
    return sorted({EVERY_PRODUCT} | {str(v) for model in models for column in model.model_fields
                                     for v in _choices(model, column)}, key=len, reverse=True)


def without_data_values(text: str, values: list[str]) -> str:
    for value in values:
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "", text)
    return text


@pytest.mark.parametrize("name", TOOLS)
def test_every_column_is_explained_in_english(name, english):
    """In English the explanations come from data/README.en.md (or the English catalogue):
    meaning and unit have no Russian; allowed values only the data's own Russian values."""
    values = data_values()
    for table, spec in make_tool(name).own_tables.items():
        for column in spec.columns:
            meaning, unit, allowed = explain(spec, column)
            assert meaning and unit and allowed, (table, column)
            assert not CYRILLIC.search(meaning + unit), (table, column, meaning, unit)
            assert not CYRILLIC.search(without_data_values(allowed, values)), (
                table, column, allowed)


def test_the_english_data_dictionary_has_the_sections_and_columns_of_the_russian(tmp_path):
    """data/README.en.md names the same sections and columns as data/README.md (as the panel
    reads them): a column added to one of them only fails here."""
    (tmp_path / "README.en.md").write_bytes((data_dir() / "README.en.md").read_bytes())
    english = _dictionary(tmp_path, "en")            # no README.md beside it: English alone
    russian = _dictionary(data_dir(), "ru")
    assert {s: list(rows) for s, rows in english.items()} == {
        s: list(rows) for s, rows in russian.items()}
    assert english["lesson/villages"]["population"] == ("All residents", "people",
                                                        "whole number ≥ 1")


def test_the_english_template_explains_the_columns_in_english(english):
    en = catalogue("en")
    book = template_book(opened("territory"))
    assert book.sheetnames[-1] == en["own_data.sheet.explain"]
    notes = list(book[en["own_data.sheet.explain"]].iter_rows(values_only=True))
    assert notes[0] == tuple(en[f"own_data.explain_head.{k}"] for k in
                             ("sheet", "column", "code", "meaning", "unit", "allowed",
                              "required"))
    population = next(r for r in notes
                      if r[0] == table_title("territory", "villages", "en")
                      and r[2] == "population")
    assert population[3:] == ("All residents", "people", "whole number ≥ 1", en["own_data.yes"])
    for row in notes[1:]:
        assert not CYRILLIC.search(row[3] + row[4]), row


# --- tools share their kept charts (charts.kept) and still show their own pictures ----------

# The tools whose first picture is a kept chart, and a move of a control that redraws it (the
# product tool's pictures are drawn when their tab is opened, each tool its own).
MOVE = {"territory": {"participation": 50}, "raw_materials": {"planned_use": 300},
        "ideas": {"top_n": 4}, "market": {"obtainable_share": 10},
        "technology": {"price_som": 240}}


def pictures(tool) -> list:
    """Every picture the tool shows (its Image widgets' SVG, depth first)."""
    found, stack = [], [tool.widget]
    while stack:
        widget = stack.pop()
        if isinstance(widget, widgets.Image) and widget.value:
            found.append(bytes(widget.value))
        stack.extend(reversed(getattr(widget, "children", ())))
    return found


@pytest.mark.parametrize("name", MOVE)
def test_tools_sharing_a_kept_chart_each_show_their_own_picture(name):
    """A kernel's tools draw into one kept chart: the lesson's tool moved after a tool of
    other data shows exactly what it would show alone, and so does the other tool."""
    from ovop_course.charts import _kept

    lesson, own = make_tool(name), make_tool(name, **own_tables(name))
    lesson.set(**MOVE[name])
    shown = [pictures(lesson), pictures(own)]
    alone = []
    for options in ({}, own_tables(name)):
        _kept.cache_clear()
        tool = make_tool(name, **options)
        if not options:
            tool.set(**MOVE[name])
        alone.append(pictures(tool))
    for got, want in zip(shown, alone):
        assert len(got) == len(want) > 0
        assert got == want
    assert shown[0] != shown[1]
