"""The «Свои данные» panel in JupyterLab at 1366×768: typed cells and an uploaded template.

The grid (ipydatagrid) draws on a canvas: a cell is edited by a double-click at its position,
known from the grid's fixed geometry (``ROW_PX``, ``INDEX_PX`` and the column
widths of :class:`~ovop_course.ui._own_data.TableEditor`).
"""

from __future__ import annotations

import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from ovop_course.schemas import TABLES
from ovop_course.steps import territory
from ovop_course.ui._own_data import (
    INDEX_PX,
    ROW_PX,
    cell_text,
    header,
    table_title,
)
from ovop_course.workbook import load_workbook

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/02_territory.ipynb"
WIDTH, HEIGHT = 1366, 768
VILLAGES = list(TABLES["lesson/villages"].model_fields)
CALENDAR = list(TABLES["lesson/labour_calendar"].model_fields)


def editor_of(grid):
    """The table's part of the panel: its title, pages of columns, grid, buttons, messages."""
    return grid.locator("xpath=ancestor::div[contains(@class, 'ovop-own-editor')][1]")


def type_cell(page, grid, row: int, column: str, text: str) -> None:
    """Type ``text`` into the cell of ``row`` (from 1) and ``column`` of the villages grid as a
    trainee does: the page of columns that holds it (its button says «Столбцы 7–12»; the first
    column is in every page), a click on the row (its position is known from the grid's
    geometry), the arrow keys from the first column on to the column, then the text in the
    cell's editor and Enter."""
    number = VILLAGES.index(column) + 1
    position = number - 1
    for button in editor_of(grid).locator(".ovop-own-pages button").all():
        first, last = map(int, re.findall(r"\d+", button.inner_text()))
        if first <= number <= last:
            button.click()
            position = number - first + (first > 1)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    x = box["x"] + INDEX_PX + 20
    y = box["y"] + ROW_PX * (row - 1) + ROW_PX / 2
    page.mouse.click(x, y)
    for _ in range(position):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("0")             # a key opens the cell's editor
    editor = grid.locator("input")
    expect(editor).to_be_visible()
    editor.fill(text)
    editor.press("Enter")
    expect(editor).to_have_count(0)


def filled_template(path, underemployed_first: int) -> None:
    """An XLSX as the trainee fills the template in Excel: the lesson villages and calendar,
    the first village with ``underemployed_first`` underemployed."""
    data = territory.lesson_data()
    book = Workbook()
    book.remove(book.active)
    for name, frame, columns in (("villages", data.villages, VILLAGES),
                                 ("calendar", data.calendar, CALENDAR)):
        sheet = book.create_sheet(table_title("territory", name))
        sheet.append([header(c) for c in columns])
        for record in frame.to_dict("records"):
            sheet.append([record[c] for c in columns])
    book["Сёла"].cell(2, VILLAGES.index("underemployed") + 1).value = underemployed_first
    book["Сёла"].cell(3, VILLAGES.index("distance_road_km") + 1).value = "12,5"   # as text
    book.save(path)


@pytest.fixture
def workbook(lab):
    """The server's workbook (created for the test, put back as it was afterwards)."""
    path = lab.server.log.parent / "ovop_workbook.json"
    before = path.read_bytes() if path.exists() else None
    load_workbook(path, create_if_missing={"trainee": "Тест", "aiyl_aimak": "Чычырканак",
                                           "region": "Иссык-Кульская область"})
    yield path
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(before)


def test_own_data_typed_in_the_grid_and_uploaded_from_excel(lab, workbook, tmp_path):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    page = lab.page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    lab.open_and_run(NOTEBOOK, workspace="own-data")

    tool = page.locator(".ovop-tool.ovop-tool-territory").first
    reserve = tool.locator(".ovop-territory-reserve")
    expect(reserve).to_contain_text("= 810 чел.")       # the lesson case: 729 + 20 % of 404
    panel = tool.locator(".ovop-own-data")
    expect(panel).to_contain_text("учебный случай")
    panel.get_by_text("Свои данные", exact=False).first.click()
    grid = panel.locator(".ovop-own-grid-villages")
    expect(grid).to_be_visible()

    # The lesson case as the example to change; the calendar too (its tab).
    panel.locator(".ovop-own-example").first.click()
    panel.locator(".lm-TabBar-tab", has_text=table_title("territory", "calendar")).click()
    panel.locator(".ovop-own-example").nth(1).click()
    panel.locator(".lm-TabBar-tab", has_text=table_title("territory", "villages")).click()
    expect(grid).to_be_visible()
    lab.screenshot("own-data-panel")

    # Typed as a Russian speaker types: 178 underemployed (not 278) in the first village, 12,5 km.
    type_cell(page, grid, 1, "underemployed", "178")
    type_cell(page, grid, 2, "distance_road_km", "12,5")
    message = panel.locator(".ovop-own-table-message").first
    expect(message).to_have_text("")
    panel.locator(".ovop-own-apply").click()
    expect(panel.locator(".ovop-own-message")).to_contain_text("Применено")
    expect(reserve).to_contain_text("= 710 чел.")       # 729 − 100 + 20 % of 404 = 709.8
    own = load_workbook(workbook).step01_territory.own_data
    assert own.use and own.tables["villages"][0]["underemployed"] == 178
    assert own.tables["villages"][1]["distance_road_km"] == 12.5

    # Cells that cannot be used: the message names the row and the column; nothing changes.
    # «12,5» people is twelve and a half (not 125): not a whole number.
    type_cell(page, grid, 1, "population", "12,5")
    expect(message).to_contain_text(f"строка 1, столбец «{header('population')}»")
    expect(message).to_contain_text("ожидается целое число, а записано «12,5»")
    type_cell(page, grid, 2, "population", "много")
    expect(message).to_contain_text(f"строка 2, столбец «{header('population')}»")
    expect(message).to_contain_text("«много» — не число")
    panel.locator(".ovop-own-apply").click()
    expect(panel.locator(".ovop-own-message")).to_contain_text("Ничего не изменено")
    expect(reserve).to_contain_text("= 710 чел.")

    # The template filled in with openpyxl and uploaded: 78 in the first village → 609.8 people.
    upload = tmp_path / "мой аймак.xlsx"
    filled_template(upload, 78)
    # FileUpload's <input type=file> is not in the page: its button opens the file chooser.
    with page.expect_file_chooser() as chooser:
        panel.locator(".ovop-own-upload").click()
    chooser.value.set_files(str(upload))
    expect(panel.locator(".ovop-own-message")).to_contain_text("прочитан")
    expect(reserve).to_contain_text("= 610 чел.")
    expect(message).to_have_text("")                     # the grid shows the file's rows
    assert load_workbook(workbook).step01_territory.own_data.tables["villages"][0][
        "underemployed"] == 78
    lab.screenshot("own-data-uploaded")

    # Everything in view across: no grid and no tool wider than the window, and every column
    # of every page of the villages grid in its box (no sideways scroll bar).
    for element in page.locator(".ovop-own-grid:visible, .ovop-tool").all():
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    pages = editor_of(grid).locator(".ovop-own-pages button")
    assert pages.count() > 1       # 17 columns do not fit in one
    for button in pages.all():
        button.click()
        expect(grid.locator(".lm-ScrollBar[data-orientation='horizontal']")).to_be_hidden()
    link = panel.locator("a.ovop-own-template")
    expect(link).to_have_attribute("download", "ovop_territory_шаблон.xlsx")
    assert link.get_attribute("href").startswith("data:application/vnd.openxmlformats")
    assert "Traceback" not in page.locator(".jp-NotebookPanel:visible").inner_text()
    assert lab.failures() == []
    assert cell_text(12.5) == "12,5"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"
