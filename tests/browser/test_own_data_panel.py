"""The «Свои данные» panel of the tools of modules 2–5 in JupyterLab at 1366×768: the lesson case
pasted as the example, cells typed into the grid, cells that cannot be used, a filled XLSX
template uploaded, every page of columns in view; one driver for every module, a small
:class:`Case` per module, and the market's panel once more in English (the workbook's language).

The grid (ipydatagrid) draws on a canvas: a trainee clicks a row (its position is known from the
grid's fixed geometry, ``ROW_PX`` and ``INDEX_PX`` of :mod:`ovop_course.ui._own_data`) and walks
to the cell with the arrow keys (the grid scrolls to it). The result a tool must then show is
computed here with the step's own functions (``ovop_course.steps``) from the lesson tables with
the same changes, and every «12,5» typed or written in the file must be kept as 12.5.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect

from ovop_course.data import load_table
from ovop_course.fmt import fmt_money, fmt_number
from ovop_course.i18n import catalogue, get_language, in_language, t
from ovop_course.steps import ideas, market, raw_materials, territory
from ovop_course.ui._own_data import INDEX_PX, ROW_PX, header, read_cell, table_title
from ovop_course.ui.ideas import IdeasTool
from ovop_course.ui.market import MarketTool
from ovop_course.ui.raw_materials import DEFAULT_MATERIAL, DEFAULT_USE, RawMaterialsTool
from ovop_course.ui.territory import TerritoryTool
from ovop_course.workbook import load_workbook

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1366, 768
CYRILLIC = re.compile(r"[А-Яа-яЁё]")

# The tools' starting controls the expected results are computed with.
MIGRANT_STAY_SHARE = 0.2        # territory: «доля мигрантов, которые остались бы»
OBTAINABLE_SHARE = 0.05         # market: obtainable share of SAM; scenario «base»


@dataclass(frozen=True)
class Edit:
    """A cell changed by the trainee: ``text`` typed into the grid or written into the XLSX
    (a number, or a text such as «12,5»), in ``row`` (from 1) and ``column`` of ``table``."""

    table: str
    row: int
    column: str
    text: str | float

    @property
    def value(self) -> float:
        """The number the cell stands for (a decimal comma is a decimal point)."""
        number = float(str(self.text).replace(",", "."))
        return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class Case:
    """One module's own-data check.

    ``lesson``: the lesson tables (from the step) the test pastes as examples and fills into
    the template, first the one typed into; the tool's other own tables stay empty. ``typed``
    and ``uploaded``: the changes made in the grid and in the file, each with one «12,5» in a
    decimal column. ``bad``: a table and a whole-number column where «12,5» (row 1) and «много»
    (row 2) are refused. ``shown``: (CSS selector in the tool, text or pattern it must show)
    for tables, computed with the step's functions."""

    notebook: str
    tool: type
    lesson: Callable[[], dict[str, pd.DataFrame]]
    typed: tuple[Edit, ...]
    bad: tuple[str, str]
    uploaded: tuple[Edit, ...]
    shown: Callable[[dict[str, pd.DataFrame]], list[tuple[str, str | re.Pattern]]]


# --- what each tool shows, from its step's functions --------------------------------------------

def territory_lesson() -> dict[str, pd.DataFrame]:
    data = territory.lesson_data()
    return {"villages": data.villages, "calendar": data.calendar}


def territory_shown(tables):
    """The labour reserve: part-time 729 + 20 % of 404 migrants = 810 people in the lesson."""
    totals = territory.aimak_totals(tables["villages"])
    reserve = territory.labour_reserve(totals, MIGRANT_STAY_SHARE)
    unit = catalogue(get_language())["territory.num.reserve_formula"].rsplit("{r}", 1)[1]
    return [(".ovop-territory-reserve", f"= {fmt_number(reserve)}{unit}")]


def raw_lesson() -> dict[str, pd.DataFrame]:
    materials, months = raw_materials.lesson_inventory()
    return {"materials": materials, "months": months,
            "products": raw_materials.lesson_products()}


def raw_shown(tables):
    """The tool opens on its default material with storage, every month, the planned use and
    the first product of the material: the year's sustainable amount and the largest output."""
    products = tables["products"]
    product = products[products["material_id"] == DEFAULT_MATERIAL].iloc[0].to_dict()
    a = raw_materials.analyse_material(tables["materials"], tables["months"], DEFAULT_MATERIAL,
                                       planned_use=DEFAULT_USE, product=product)
    return [(".ovop-raw-summary", t("raw_materials.summary.amount", value=fmt_number(sum(a.supply)),
                                    unit=a.unit)),
            (".ovop-raw-summary", t("raw_materials.summary.output_value",
                                    units=fmt_number(a.max_monthly_output),
                                    unit_name=a.product_unit,
                                    per_unit=fmt_number(a.material_per_unit, 3), unit=a.unit))]


def ideas_lesson() -> dict[str, pd.DataFrame]:
    return {"product_ideas": ideas.lesson_inputs()[0]}


def ideas_shown(tables):
    """The shortlist with each idea's points, and the points of the jam (not shortlisted: an
    easy copy) in its row of the scores table (name, 8 criteria, points)."""
    result = ideas.select_ideas(tables["product_ideas"])      # materials and skills: lesson
    shown = [(".ovop-ideas-summary", f"{r.idea} ({fmt_number(r.score)})")
             for r in result.shortlist.itertuples()]
    jam = result.table.loc["sb_jam"]
    return [*shown, (f'tr.ovop-idea:has-text("{jam["idea"]}") > td:nth-child(10)',
                     re.compile(rf"^{fmt_number(jam['score'])}$"))]


def market_lesson() -> dict[str, pd.DataFrame]:
    return {"segments": load_table("lesson/market_segments")}


def market_shown(tables):
    """SOM, SAM and the producer's revenue of the product the tool opens on (the first of the
    lesson's shortlist with segments), the segments without entry requirements reached."""
    segments = tables["segments"]
    product = next(i for i, _ in ideas.lesson_shortlist() if i in set(segments["product_id"]))
    table = market.scenario_tables(segments, product)["base"]
    reach = market.split_reachable(table, list(table.index), requirements_met=False)
    funnel = market.market_funnel(table, reach.included, OBTAINABLE_SHARE)
    return [(".ovop-market-summary", text) for text in (
        fmt_number(funnel.som_units), fmt_number(funnel.sam_units),
        fmt_money(funnel.som_producer_som))]


CASES = {
    "02_territory": Case(
        "notebooks/02_territory.ipynb", TerritoryTool, territory_lesson,
        typed=(Edit("villages", 1, "underemployed", "178"),            # 278 → 178: −100 people
               Edit("villages", 2, "distance_road_km", "12,5")),
        bad=("villages", "population"),
        uploaded=(Edit("villages", 1, "underemployed", 78),
                  Edit("villages", 2, "distance_road_km", "12,5")),   # a text cell in Excel
        shown=territory_shown),
    "03_raw_materials": Case(
        "notebooks/03_raw_materials.ipynb", RawMaterialsTool, raw_lesson,
        typed=(Edit("materials", 2, "sustainable_share", "0,5"),       # the garden: 0.8 → 0.5
               Edit("products", 1, "material_per_unit", "12,5")),      # its first product
        bad=("materials", "storage_life_days"),
        uploaded=(Edit("materials", 2, "sustainable_share", 0.6),
                  Edit("products", 1, "material_per_unit", "12,5")),
        shown=raw_shown),
    "04_ideas": Case(
        "notebooks/04_ideas.ipynb", IdeasTool, ideas_lesson,
        typed=(Edit("product_ideas", 4, "buyer_interest_share", "0,55"),   # the candy: 0.3
               Edit("product_ideas", 3, "startup_cost_som", "12,5")),      # the jam: 60 000
        bad=("product_ideas", "similar_sellers"),
        uploaded=(Edit("product_ideas", 4, "buyer_interest_share", 0.45),
                  Edit("product_ideas", 3, "startup_cost_som", "12,5")),
        shown=ideas_shown),
    "05_market": Case(
        "notebooks/05_market.ipynb", MarketTool, market_lesson,
        typed=(Edit("segments", 20, "people", "100000"),               # the candy in Karakol
               Edit("segments", 19, "units_per_purchase", "12,5")),    # the candy at home
        bad=("segments", "people"),
        uploaded=(Edit("segments", 20, "people", 120000),
                  Edit("segments", 19, "units_per_purchase", "12,5")),
        shown=market_shown),
}
RUNS = [pytest.param(name, "ru", id=name) for name in CASES] + [
    pytest.param("05_market", "en", id="05_market-en")]


def changed(case: Case, edits: tuple[Edit, ...]) -> dict[str, pd.DataFrame]:
    """The lesson tables with ``edits`` made."""
    tables = {name: frame.copy() for name, frame in case.lesson().items()}
    for edit in edits:
        frame = tables[edit.table]
        frame.loc[frame.index[edit.row - 1], edit.column] = edit.value
    return tables


def decimal(edits: tuple[Edit, ...]) -> Edit:
    """The edit that writes «12,5»."""
    return next(e for e in edits if e.text == "12,5")


# --- the panel as a trainee uses it ---------------------------------------------------------------

def trainee_tool(page, name: str):
    """The tool of «Ваш айыл аймак»: the cell that calls it with neither the lesson case
    (``lesson=True``) nor tables in code (``villages=my_villages``), found by its code."""
    call = re.compile(rf'ovop_course\.tool\("{name}"(?![^)]*(lesson=|=my_))[^)]*\)')
    cell = page.locator(".jp-CodeCell").filter(
        has=page.locator(".jp-InputArea-editor", has_text=call))
    expect(cell).to_have_count(1)
    return cell.locator(f".ovop-tool.ovop-tool-{name}")


def editor_of(panel, table: str):
    """The table's part of the panel: its title, pages of columns, header row, grid, buttons
    and messages."""
    return panel.locator(f".ovop-own-editor:has(.ovop-own-grid-{table})")


def open_tab(panel, tool: str, table: str):
    """Open the table's tab of the panel; its editor."""
    title = re.compile(rf"^{re.escape(table_title(tool, table))}$")
    panel.locator(".ovop-own-tabs .lm-TabBar-tab").filter(has_text=title).click()
    editor = editor_of(panel, table)
    expect(editor.locator(".ovop-own-grid")).to_be_visible()
    return editor


def head_cell(editor, column: str):
    """The column's header above the grid (on the page of columns in view)."""
    text = re.compile(rf"^{re.escape(header(column))}$")
    return editor.locator(".ovop-own-head div[style*='width:']").filter(has_text=text)


def show_page_of(editor, columns: list[str], column: str) -> int:
    """Click the page of columns that holds ``column`` (its button says «Столбцы 7–12»; the
    first column is in every page) and wait until its headers are shown; the column's position
    in the grid (from 0)."""
    number = columns.index(column) + 1
    for button in editor.locator(".ovop-own-pages button:visible").all():
        first, last = map(int, re.findall(r"\d+", button.inner_text()))
        if first <= number <= last:
            button.click()
            expect(head_cell(editor, column)).to_have_count(1)
            return number - first + (first > 1)
    return number - 1          # one page: no buttons


def type_cell(page, editor, columns: list[str], row: int, column: str, text: str) -> None:
    """Type ``text`` into the cell of ``row`` (from 1) and ``column`` as a trainee does: the
    page of columns that holds it, a click on the grid, the arrow keys from the first cell
    (Ctrl+↑ and Ctrl+← go there, wherever the grid is scrolled) down and across to the cell,
    then the text in the cell's editor and Enter."""
    position = show_page_of(editor, columns, column)
    grid = editor.locator(".ovop-own-grid")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + INDEX_PX + 20, box["y"] + ROW_PX / 2)
    page.keyboard.press("Control+ArrowUp")
    page.keyboard.press("Control+ArrowLeft")
    for _ in range(row - 1):
        page.keyboard.press("ArrowDown")
    for _ in range(position):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("0")             # a key opens the cell's editor
    cell = grid.locator("input")
    expect(cell).to_be_visible()
    cell.fill(text)
    cell.press("Enter")
    expect(cell).to_have_count(0)


def filled_template(path, case: Case, edits: tuple[Edit, ...]) -> None:
    """An XLSX as the trainee fills the template in Excel: a sheet per table named as in the
    template, its headers, the lesson rows; ``edits`` written as they are (numbers, or texts
    such as «12,5»)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in case.lesson().items():
        columns = case.tool.own_tables[name].columns
        sheet = book.create_sheet(table_title(case.tool.name, name))
        sheet.append([header(c) for c in columns])
        for record in frame.to_dict("records"):
            sheet.append([None if pd.isna(v := record.get(c)) else
                          v.item() if hasattr(v, "item") else v for c in columns])
        for edit in (e for e in edits if e.table == name):
            sheet.cell(1 + edit.row, columns.index(edit.column) + 1).value = edit.text
    book.save(path)


def template_of(panel) -> openpyxl.Workbook:
    """The workbook behind the panel's «Скачать шаблон Excel» link."""
    href = panel.locator("a.ovop-own-template").get_attribute("href")
    return openpyxl.load_workbook(io.BytesIO(base64.b64decode(href.split("base64,", 1)[1])))


def expect_shown(tool, shown) -> None:
    for selector, text in shown:
        expect(tool.locator(selector).first).to_contain_text(text)


def own_tables_saved(path, case: Case) -> dict:
    own = getattr(load_workbook(path), case.tool.section).own_data
    assert own is not None and own.use
    return own.tables


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


@pytest.mark.parametrize(("module", "lang"), RUNS)
def test_own_data_typed_in_the_grid_and_uploaded_from_excel(lab, workbook, tmp_path, module,
                                                            lang):
    case = CASES[module]
    name, specs = case.tool.name, case.tool.own_tables
    saved = (lab.server.root / case.notebook).read_bytes()
    page = lab.page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    with in_language(lang):
        words = catalogue(lang)
        typed, uploaded = changed(case, case.typed), changed(case, case.uploaded)
        lesson, shown_typed, shown_uploaded = (case.shown(x) for x in (
            case.lesson(), typed, uploaded))
        assert lesson != shown_typed and shown_typed != shown_uploaded   # the edits show
        table, column = case.bad
        refused = [t("data.problem", row=row, column=header(column),
                     what=read_cell(specs[table].row_model, column, text)[1]).strip()
                   for row, text in ((1, "12,5"), (2, "много"))]
        first = next(iter(case.lesson()))
        columns = {n: specs[n].columns for n in specs}

        with lab.tools_in(lang, case.notebook, workspace=f"own-data-{module}-{lang}"):
            tool = trainee_tool(page, name)
            expect_shown(tool, lesson)
            panel = tool.locator(".ovop-own-data")
            expect(panel).to_contain_text(words["own_data.origin.lesson"])
            panel.get_by_text(words["own_data.title"].split("·")[0].strip()).first.click()
            expect(editor_of(panel, first).locator(".ovop-own-grid")).to_be_visible()

            # The lesson case as the example to change, in every table the test fills.
            for table_name in case.lesson():
                open_tab(panel, name, table_name).locator(".ovop-own-example").click()
            # The first table's last page of columns shown (every first table is wide): the
            # kernel has answered, so every example is in its grid.
            editor = open_tab(panel, name, first)
            assert editor.locator(".ovop-own-pages button").count() > 1
            show_page_of(editor, columns[first], columns[first][-1])
            lab.screenshot(f"own-data-{module}-{lang}-example")

            # Typed as a Russian speaker types, «12,5» among them.
            for edit in case.typed:
                editor = open_tab(panel, name, edit.table)
                type_cell(page, editor, columns[edit.table], edit.row, edit.column, edit.text)
                expect(editor.locator(".ovop-own-table-message")).to_have_text("")
            panel.locator(".ovop-own-apply").click()
            expect(panel.locator(".ovop-own-message")).to_contain_text(words["own_data.applied"])
            expect(panel).to_contain_text(words["own_data.origin.panel"])
            expect_shown(tool, shown_typed)
            own = own_tables_saved(workbook, case)
            for edit in case.typed:
                assert own[edit.table][edit.row - 1][edit.column] == edit.value, edit
            point = decimal(case.typed)
            assert own[point.table][point.row - 1][point.column] == 12.5

            # Cells that cannot be used: the message names the row and the column, and
            # nothing changes. «12,5» is twelve and a half (not 125): not a whole number.
            editor = open_tab(panel, name, table)
            message = editor.locator(".ovop-own-table-message")
            type_cell(page, editor, columns[table], 1, column, "12,5")
            expect(message).to_contain_text(refused[0])
            type_cell(page, editor, columns[table], 2, column, "много")
            expect(message).to_contain_text(refused[1])
            if lang == "ru":
                expect(message).to_contain_text("ожидается целое число, а записано «12,5»")
                expect(message).to_contain_text("«много» — не число")
            message.scroll_into_view_if_needed()
            lab.screenshot(f"own-data-{module}-{lang}-refused")
            panel.locator(".ovop-own-apply").click()
            expect(panel.locator(".ovop-own-message")).to_contain_text(words["own_data.kept"])
            expect_shown(tool, shown_typed)
            assert own_tables_saved(workbook, case) == own

            # The template filled in with openpyxl and uploaded.
            upload = tmp_path / ("мой аймак.xlsx" if lang == "ru" else "my aimak.xlsx")
            filled_template(upload, case, case.uploaded)
            # FileUpload's <input type=file> is not in the page: its button opens the chooser.
            with page.expect_file_chooser() as chooser:
                panel.locator(".ovop-own-upload").click()
            chooser.value.set_files(str(upload))
            expect(panel.locator(".ovop-own-message")).to_contain_text(
                t("own_data.uploaded", file=upload.name))
            expect_shown(tool, shown_uploaded)
            expect(message).to_have_text("")                 # the grid shows the file's rows
            own = own_tables_saved(workbook, case)
            for edit in case.uploaded:
                assert own[edit.table][edit.row - 1][edit.column] == edit.value, edit
            point = decimal(case.uploaded)
            assert own[point.table][point.row - 1][point.column] == 12.5
            lab.screenshot(f"own-data-{module}-{lang}-uploaded")

            check_in_view(lab, panel, case, shot=f"own-data-{module}-{lang}")
            link = panel.locator("a.ovop-own-template")
            expect(link).to_have_attribute("download", f"ovop_{name}_{words['own_data.file']}.xlsx")
            assert link.get_attribute("href").startswith("data:application/vnd.openxmlformats")
            titles = [table_title(name, n) for n in specs]
            book = template_of(panel)
            assert book.sheetnames == [*titles, *(t("own_data.sheet.example", table=x)
                                                  for x in titles), words["own_data.sheet.explain"]]
            assert [c.value for c in book[titles[0]][1]] == [header(c) for c in columns[first]]
            assert [c.value for c in book[words["own_data.sheet.explain"]][1]] == [
                words[f"own_data.explain_head.{k}"] for k in
                ("sheet", "column", "code", "meaning", "unit", "allowed", "required")]
            if lang == "en":
                english_panel(panel, name, specs, first)
            assert lab.tracebacks() == []
            assert lab.failures() == []
    assert (lab.server.root / case.notebook).read_bytes() == saved, "the test changed the notebook"


def check_in_view(lab, panel, case: Case, shot: str) -> None:
    """Everything in view across: every page of columns of every table the test filled in its
    grid (no sideways scroll bar) with its headers over it, no grid and no tool wider than the
    window, and no table cell or label of the tool out of sight; a screenshot of each page
    (``shot``-table-page)."""
    name, page = case.tool.name, lab.page
    for table in case.lesson():
        columns = case.tool.own_tables[table].columns
        editor = open_tab(panel, name, table)
        grid = editor.locator(".ovop-own-grid")
        buttons = editor.locator(".ovop-own-pages button:visible")
        lasts = [int(re.findall(r"\d+", b.inner_text())[-1]) for b in buttons.all()]
        for number, last in enumerate(lasts or [len(columns)], start=1):
            show_page_of(editor, columns, columns[last - 1])
            expect(grid.locator(".lm-ScrollBar[data-orientation='horizontal']")).to_be_hidden()
            box = grid.bounding_box()
            right = editor.locator(".ovop-own-head").evaluate(
                "e => Math.max(...[...e.querySelectorAll(\"div[style*='width:']\")]"
                ".map(d => d.getBoundingClientRect().right))")
            assert right <= box["x"] + box["width"] + 1, (table, number, right, box)
            lab.screenshot(f"{shot}-{table}-{number}")
        for element in page.locator(".ovop-own-grid:visible, .ovop-tool").all():
            box = element.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (table, box)
        assert lab.cells_out_of_sight() == [], table
        assert lab.cut_labels() == [], table


def english_panel(panel, name: str, specs, first: str) -> None:
    """The panel in English: tabs, headers, buttons and messages in English, no Russian word
    in its own texts (the lesson's rows in the grid are data, drawn on its canvas)."""
    words = catalogue("en")
    for table in specs:
        title = re.compile(rf"^{re.escape(table_title(name, table, 'en'))}$")
        tab = panel.locator(".ovop-own-tabs .lm-TabBar-tab").filter(has_text=title)
        expect(tab).to_have_count(1)
    editor = open_tab(panel, name, first)
    editor.locator(".ovop-own-pages button:visible").first.click()
    expect(editor.locator(".ovop-own-head")).to_contain_text(header(specs[first].columns[1], "en"))
    for css, key in ((".ovop-own-apply", "own_data.apply"), (".ovop-own-upload", "own_data.upload"),
                     (".ovop-own-example", "own_data.example"),
                     (".ovop-own-add-row", "own_data.add_row"),
                     (".ovop-own-delete-row", "own_data.delete_row"),
                     ("a.ovop-own-template", "own_data.template")):
        expect(panel.locator(f"{css}:visible").first).to_contain_text(words[key])
    russian = [line for line in panel.inner_text().splitlines() if CYRILLIC.search(line)]
    assert russian == [], f"Russian text in the English panel: {russian}"
