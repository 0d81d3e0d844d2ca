"""The «Свои данные» panel: a trainee's own tables typed into a tool, or brought in from Excel.

Every tool that reads a trainee's tables declares them (``Tool.own_tables``: table name →
:class:`OwnTable`), and the Tool base puts this panel into the tool, closed: the lesson case
shows first. Opened, the panel offers

- a choice: the lesson case or my data;
- an editable table per declared table (ipydatagrid; Russian or English headers with units,
  one row per item, rows added and removed, the lesson case pasted in as an example to change),
  each cell checked as it is typed, with the data loader's kind of message (table, row,
  column, what to fix);
- «Скачать шаблон Excel»: an XLSX (a data: link, offline in JupyterLab and Voila) with a sheet
  per table, the lesson case as example sheets and «Пояснения» — each column's meaning, unit
  and allowed values from the data dictionary ``data/README.md`` (``README.en.md`` in English);
- an upload of the filled template (FileUpload, .xlsx) with the same checks;
- «Применить»: the tool computes again with the tables (``Tool.use_tables``) and keeps them
  in the trainee's workbook (``Tool.save_own_data``); a tool built later starts with them.

Every cell is text in the grid (a number column of the grid would read «12,5» as 125) and is
read here: numbers with :func:`ovop_course.fmt.parse_number` («12,5» = 12.5, «1 200» = 1200),
yes/no as «да»/«нет» (or true/false), every value then checked by its field of the table's row
model — the same rule and message as in the data files (:func:`ovop_course.data.describe`).
Rules of a whole row or of several tables are the step's own (the tool's ``load``). A table
with a problem changes nothing: the tool keeps its last good data and result.

ipydatagrid and openpyxl are imported when the panel is first opened, not when a tool starts.
"""

from __future__ import annotations

import base64
import datetime
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html import escape
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

import ipywidgets as widgets
import pandas as pd
from pydantic import BaseModel, ValidationError

from ..checks import field_rule
from ..data import data_dir, describe, raise_problems
from ..errors import OvopError
from ..fmt import parse_number
from ..i18n import catalogue, get_language, t

if TYPE_CHECKING:
    from ._base import Tool

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW_PX, INDEX_PX = 26, 44                  # grid geometry (the browser tests click by it)
CHAR_PX, BOLD_PX, PAD_PX = 7, 8, 22        # a character of the 12 px font, of its bold; margins
VALUE_CHARS = 24                           # a column is made wide enough for values this long
SCROLL_PX = 18                             # the vertical scroll bar of a table of many rows
FRAME_PX = 6                               # the grid's frame, 3 px on each side
GRID_PX = 800        # the grid's width in a 1366 px window with JupyterLab's file browser open
VISIBLE_ROWS = 8                           # rows in view; more scroll inside the grid
GRID_HEIGHT = ROW_PX * VISIBLE_ROWS + FRAME_PX + 2
HEAD_STYLE = ("flex:none;box-sizing:border-box;padding:3px 6px;border:1px solid #d0d0d0;"
              "border-left:none;background:#f3f3f3;font-weight:bold;font-size:12px;"
              "line-height:1.25")
ERROR_STYLE = "color:#B00020;white-space:pre-wrap;line-height:1.45"
OK_STYLE = "color:#1B5E20;white-space:pre-wrap;line-height:1.45"
LANGUAGES = ("ru", "en")                   # headers and sheet names read in either


@dataclass(frozen=True)
class OwnTable:
    """One table a tool reads from the trainee.

    ``model``: a key of :data:`ovop_course.schemas.TABLES` (``"lesson/villages"``) or the row
    model the step checks the table with (``steps.raw_materials.InventoryMonth``);
    ``required``: the tool cannot compute without it; ``readme``: the data file whose section
    of ``data/README.md`` explains the columns (default: ``model`` when it is a key);
    ``fill``: required columns the step fills itself when they are left out (like ``source``).
    """

    model: str | type[BaseModel]
    required: bool = True
    readme: str | None = None
    fill: tuple[str, ...] = ()

    @property
    def row_model(self) -> type[BaseModel]:
        if isinstance(self.model, str):
            from ..schemas import TABLES

            return TABLES[self.model]
        return self.model

    @property
    def columns(self) -> list[str]:
        return list(self.row_model.model_fields)

    @property
    def section(self) -> str | None:
        """The data dictionary's section for this table."""
        return self.readme or (self.model if isinstance(self.model, str) else None)

    def needed(self, column: str) -> bool:
        """A value must be written in this column in every row."""
        field = self.row_model.model_fields[column]
        return field.is_required() and column != "source" and column not in self.fill


# --- columns: headers, kinds of values, the data dictionary -----------------------------------

def header(column: str, language: str | None = None) -> str:
    """The column's header with its unit, in the UI language (or ``language``)."""
    key = f"own_data.column.{column}"
    return catalogue(language)[key] if language else t(key)


def column_width(text: str, values: list[str] = ()) -> int:
    """A grid column's width in pixels: its header in two lines (split at the space that makes
    the longer line shortest; the browser wraps it) and its longest value up to
    ``VALUE_CHARS`` characters (a longer one is shown whole in the cell's editor), ≥ 72 px."""
    words = text.split()
    longest = min(max(len(" ".join(words[:i])), len(" ".join(words[i:])))
                  for i in range(1, len(words) + 1))
    value = max((min(len(v), VALUE_CHARS) for v in values), default=0)
    return max(72, BOLD_PX * longest + PAD_PX, CHAR_PX * value + PAD_PX)


def column_pages(widths: list[int]) -> list[list[int]]:
    """The columns (indexes) shown together so that the grid is never wider than ``GRID_PX``:
    as few pages of consecutive columns as fit, as even as can be, the first column (the
    item's code or name) in every page."""
    room = GRID_PX - INDEX_PX - SCROLL_PX - FRAME_PX - widths[0]

    def split(limit: int) -> list[list[int]]:
        pages: list[list[int]] = [[0]]
        for i in range(1, len(widths)):
            if len(pages[-1]) > 1 and sum(widths[c] for c in pages[-1][1:]) + widths[i] > limit:
                pages.append([0])
            pages[-1].append(i)
        return pages

    fewest, limit = len(split(room)), room
    while limit > 10 and len(split(limit - 10)) == fewest:
        limit -= 10
    return split(limit)


def table_title(tool: str, name: str, language: str | None = None) -> str:
    """The name of a tool's table (and of its sheet in the template)."""
    key = f"own_data.table.{tool}.{name}"
    return catalogue(language)[key] if language else t(key)


def _types(annotation: Any) -> list[Any]:
    """The plain types a field's annotation allows (Optional, unions and Annotated unwrapped)."""
    if get_origin(annotation) is Annotated:
        return _types(get_args(annotation)[0])
    if get_origin(annotation) in (Union, type(int | None)):
        return [x for arg in get_args(annotation) for x in _types(arg)]
    return [annotation]


@cache
def _kind(model: type[BaseModel], column: str) -> str:
    """How a cell of the column is read: ``bool``, ``int``, ``number`` or ``text``."""
    types = _types(model.model_fields[column].annotation)
    for kind, python in (("bool", bool), ("int", int), ("number", float)):
        if python in types:
            return kind
    return "text"


@cache
def _choices(model: type[BaseModel], column: str) -> tuple[str, ...]:
    """The allowed values of a column of fixed choices (``Literal``), else ()."""
    return tuple(v for x in _types(model.model_fields[column].annotation)
                 if get_origin(x) is Literal for v in get_args(x))


def _yes_no() -> dict[str, bool]:
    words = {"true": True, "false": False, "1": True, "0": False}
    for language in LANGUAGES:
        words[catalogue(language)["own_data.yes"].lower()] = True
        words[catalogue(language)["own_data.no"].lower()] = False
    return words


def read_cell(model: type[BaseModel], column: str, text: object) -> tuple[Any, str | None]:
    """A typed cell as (value, None), or (None, what is wrong) in the UI language; an empty
    cell is (None, None)."""
    typed = "" if text is None else str(text).strip()
    if not typed:
        return None, None
    kind = _kind(model, column)
    value: Any = typed
    if kind in ("int", "number"):
        try:
            value = parse_number(typed, header(column))
        except OvopError:
            return None, t("own_data.not_a_number", value=typed)
        if kind == "int" and value.is_integer():
            value = int(value)
    elif kind == "bool":
        value = _yes_no().get(typed.lower())
        if value is None:
            return None, t("own_data.not_yes_no", value=typed, yes=t("own_data.yes"),
                           no=t("own_data.no"))
    try:
        value = field_rule(model, column).validate_python(value)
    except ValidationError as e:
        error = {**e.errors()[0], "input": typed}
        return None, describe(error)
    return value, None


def cell_text(value: object) -> str:
    """A value as the trainee reads and types it back (exactly: «0,61», «1200», «да»)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return t("own_data.yes") if value else t("own_data.no")
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        number = float(value)
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        import numpy as np

        text = np.format_float_positional(number, trim="-")
        return text if get_language() == "en" else text.replace(".", ",")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def check_rows(spec: OwnTable, title: str, rows: list[list[str]]) -> pd.DataFrame | None:
    """Typed rows (texts, in the order of ``spec.columns``) as the tool's table: every cell
    read and checked; OvopError listing the problems with the row (from 1) and the column's
    header. Empty rows at the end are left out; no row at all is None for an optional table.

    Columns the step fills itself (``source``, ``spec.fill``, optional ones) are left out when
    empty everywhere; an empty ``source`` cell is «данные слушателя».
    """
    while rows and not any(str(c).strip() for c in rows[-1]):
        rows = rows[:-1]
    if not rows:
        if spec.required:
            raise OvopError(t("checks.empty_table", table=title))
        return None
    model, columns = spec.row_model, spec.columns
    keep = [c for i, c in enumerate(columns)
            if spec.needed(c) or any(str(r[i]).strip() for r in rows)]
    problems, records = [], []
    for number, row in enumerate(rows, start=1):
        record = {}
        for i, column in enumerate(columns):
            if column not in keep:
                continue
            value, what = read_cell(model, column, row[i])
            if what is None and value is None:
                if column == "source":
                    value = t("checks.own_source")
                elif spec.needed(column):
                    what = t("data.rule.missing")
            if what:
                problems.append(t("data.problem", row=number, column=header(column), what=what))
            record[column] = value
        records.append(record)
    raise_problems(problems, t("data.where_table", table=title))
    return pd.DataFrame(records, columns=keep, dtype=object)


def frame_rows(frame: pd.DataFrame | None, spec: OwnTable) -> list[list[str]]:
    """A table's rows as the grid's texts (columns it lacks are empty)."""
    if frame is None:
        return []
    columns = spec.columns
    return [[cell_text(record.get(c)) for c in columns]
            for record in frame.to_dict("records")]


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """A checked table as the workbook keeps it: plain values, None for empty."""
    if frame is None:
        return []
    return [{k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else
                 v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def saved_frame(rows: list[dict[str, Any]], spec: OwnTable) -> pd.DataFrame:
    """A table kept in the workbook as the tool reads it."""
    columns = [c for c in spec.columns if any(c in r for r in rows)]
    return pd.DataFrame(rows, columns=columns, dtype=object)


@cache
def _dictionary(folder: Path, language: str = "ru") -> dict[str, dict[str, tuple[str, str, str]]]:
    """The data dictionary in ``language``: section (``lesson/villages``) → column → (meaning,
    unit, allowed). Russian is ``data/README.md``; another language reads
    ``data/README.<language>.md`` (English: ``README.en.md``) over the Russian one, so a
    language without that file, and a section or column missing in it, has the Russian entry.
    Read once per folder and language."""
    readme = folder / ("README.md" if language == "ru" else f"README.{language}.md")
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    sections: dict[str, dict[str, tuple[str, str, str]]] = (
        {} if language == "ru" else
        {name: dict(rows) for name, rows in _dictionary(folder, "ru").items()})
    for block in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        name = re.sub(r"\.(csv|yaml)$", "", heading.strip().strip("`").removeprefix("data/"))
        rows = {}
        for line in body.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 4 and re.fullmatch(r"`[^`]+`", cells[0]):
                rows[cells[0].strip("`")] = tuple(c.replace("`", "") for c in cells[1:])
        sections.setdefault(name, {}).update(rows)
    return sections


def explain(spec: OwnTable, column: str) -> tuple[str, str, str]:
    """(meaning, unit, allowed values) of a column in the UI language: from its table's section
    of the data dictionary of that language (:func:`_dictionary`: ``data/README.en.md`` in
    English, the Russian ``data/README.md`` for what it lacks), else from the catalogue
    (``own_data.explain.<column>``: columns of no data file), else from another table's
    section with that column. The allowed values of a column of fixed choices are the row
    model's own: data values, the same in every language."""
    sections = _dictionary(data_dir(), get_language())
    key = f"own_data.explain.{column}"
    found = sections.get(spec.section or "", {}).get(column)
    if found is None and f"{key}.meaning" in catalogue("ru"):
        found = (t(f"{key}.meaning"), t(f"{key}.unit"), t(f"{key}.allowed"))
    if found is None:
        found = next((rows[column] for rows in sections.values() if column in rows),
                     (header(column), "—", "—"))
    choices = _choices(spec.row_model, column)
    return (*found[:2], ", ".join(choices)) if choices else found


# --- the Excel template and reading it back ---------------------------------------------------

def _sheet_name(text: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", text)[:31]
    while name in taken:
        name = name[:29] + f"{len(taken) % 100:02d}"
    taken.add(name)
    return name


def template(tool: str, specs: dict[str, OwnTable], current: dict[str, list[list[str]]],
             examples: dict[str, list[list[str]]]) -> bytes:
    """The XLSX template: a sheet per table (with the trainee's current rows), the lesson case
    on example sheets, and «Пояснения» (header, code, meaning, unit, allowed values)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF7")
    taken: set[str] = set()

    def sheet(name: str, columns: list[str], rows: list[list[str]], spec: OwnTable) -> None:
        ws = book.create_sheet(_sheet_name(name, taken))
        ws.append([header(c) for c in columns])
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append([_excel_value(spec, c, v) for c, v in zip(columns, row)])
        for i, column in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(
                12, min(40, len(header(column)) + 2))
        ws.freeze_panes = "A2"

    for name, spec in specs.items():
        sheet(table_title(tool, name), spec.columns, current.get(name, []), spec)
    for name, spec in specs.items():
        sheet(t("own_data.sheet.example", table=table_title(tool, name)), spec.columns,
              examples.get(name, []), spec)
    notes = book.create_sheet(_sheet_name(t("own_data.sheet.explain"), taken))
    notes.append([t(f"own_data.explain_head.{k}") for k in
                  ("sheet", "column", "code", "meaning", "unit", "allowed", "required")])
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for name, spec in specs.items():
        for column in spec.columns:
            meaning, unit, allowed = explain(spec, column)
            notes.append([table_title(tool, name), header(column), column, meaning, unit,
                          allowed, t("own_data.yes") if spec.needed(column) else t("own_data.no")])
    for letter, width in zip("ABCDEFG", (22, 30, 20, 60, 16, 40, 12)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    notes.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _excel_value(spec: OwnTable, column: str, text: str) -> object:
    """A grid text as an Excel cell: a number where the column holds numbers."""
    if text and _kind(spec.row_model, column) in ("int", "number"):
        try:
            return parse_number(text, column)
        except OvopError:
            return text
    return text or None


def download_link(data: bytes, file: str) -> str:
    """An HTML link that saves ``data`` as ``file`` (a data: URI: no server, works offline)."""
    encoded = base64.b64encode(data).decode("ascii")
    style = ("display:inline-block;padding:4px 12px;border:1px solid #1565C0;border-radius:3px;"
             "color:#1565C0;text-decoration:none;line-height:20px")
    return (f'<a class="ovop-own-template" download="{escape(file)}" style="{style}" '
            f'href="data:{XLSX};base64,{encoded}">⬇ {escape(t("own_data.template"))}</a>')


def _normal(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def read_upload(content: bytes, file: str, tool: str,
                specs: dict[str, OwnTable]) -> dict[str, list[list[str]] | None]:
    """The rows (as texts, in the columns' order) of each table's sheet of an uploaded XLSX;
    None for an optional table without a sheet or rows. Anything wrong with the file is an
    OvopError in the UI language: not an Excel book, a sheet or a column missing, a sheet
    without a header row, columns not in the template."""
    import zipfile

    from openpyxl import load_workbook

    if not content:
        raise OvopError(t("own_data.empty_file", file=file))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError,
            AttributeError, EOFError):
        raise OvopError(t("own_data.bad_file", file=file)) from None
    except Exception:  # openpyxl's own errors for a damaged book: never a traceback
        raise OvopError(t("own_data.bad_file", file=file)) from None
    try:
        sheets = {_normal(name): name for name in book.sheetnames}
        found: dict[str, list[list[str]] | None] = {}
        for name, spec in specs.items():
            titles = {_normal(table_title(tool, name, lang)) for lang in LANGUAGES} | {name}
            sheet = next((sheets[x] for x in titles if x in sheets), None)
            if sheet is None:
                if spec.required:
                    raise OvopError(t("own_data.no_sheet", file=file,
                                      sheet=table_title(tool, name),
                                      sheets=", ".join(book.sheetnames) or "—"))
                found[name] = None
                continue
            try:
                rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
            except Exception:
                raise OvopError(t("own_data.bad_file", file=file)) from None
            found[name] = _sheet_rows(rows, spec, sheet, file)
        return found
    finally:
        book.close()


def _sheet_rows(rows: list[list[object]], spec: OwnTable, sheet: str,
                file: str) -> list[list[str]] | None:
    """A sheet's rows under its header row, as texts in the order of ``spec.columns``."""
    rows = [r for r in rows if any(v is not None and str(v).strip() for v in r)]
    if not rows:
        if spec.required:
            raise OvopError(t("own_data.empty_sheet", file=file, sheet=sheet))
        return None
    names = {}
    for column in spec.columns:
        for text in {header(column, lang) for lang in LANGUAGES} | {column}:
            names[_normal(text)] = column
    head = [_normal(v) if v is not None else "" for v in rows[0]]
    unknown = [str(rows[0][i]) for i, h in enumerate(head) if h and h not in names]
    if unknown:
        raise OvopError(t("own_data.unknown_columns", file=file, sheet=sheet,
                          columns=", ".join(f"«{u}»" for u in unknown)))
    where = {names[h]: i for i, h in enumerate(head) if h}
    missing = [header(c) for c in spec.columns if spec.needed(c) and c not in where]
    if missing:
        raise OvopError(t("own_data.missing_columns", file=file, sheet=sheet,
                          columns=", ".join(f"«{m}»" for m in missing)))
    body = [[cell_text(_cell(r, where.get(c))) for c in spec.columns] for r in rows[1:]]
    if not body and not spec.required:
        return None
    return body


def _cell(row: list[object], index: int | None) -> object:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return value.strip() if isinstance(value, str) else value


# --- the widgets --------------------------------------------------------------------------------

class TableEditor:
    """One table in the panel: a grid of texts, its buttons and its line of messages.

    ``rows`` are the grid's texts, row by row in the order of ``spec.columns``; a cell typed in
    the browser arrives as ipydatagrid's cell change and is checked at once (:meth:`problems`).
    A table wider than the grid is shown a page of columns at a time (:func:`column_pages`;
    buttons «Столбцы 1–8», «9–14»…), so that no column is out of sight.
    """

    def __init__(self, tool: str, name: str, spec: OwnTable, rows: list[list[str]],
                 example: Callable[[], list[list[str]]],
                 edited: Callable[[], None] = lambda: None):
        from ipydatagrid import DataGrid

        self.tool, self.name, self.spec, self._example = tool, name, spec, example
        self._edited = edited  # the panel's choice turns to «my data»
        self.columns = spec.columns
        self.headers = [header(c) for c in self.columns]
        self.title = table_title(tool, name)
        self.rows = [list(r) for r in rows]
        shown = self.rows or example()
        widths = [column_width(h, [r[i] for r in shown]) for i, h in enumerate(self.headers)]
        self.widths, self.pages, self.page = widths, column_pages(widths), 0
        self.head = widgets.HTML(self._head(), layout=widgets.Layout(margin="0"))
        self.head.add_class("ovop-own-head")
        self.grid = DataGrid(
            self._frame(), editable=True, selection_mode="cell", header_visibility="row",
            column_widths=dict(zip(self.headers, widths)),
            base_row_size=ROW_PX, base_row_header_size=INDEX_PX, base_column_size=120,
            layout=widgets.Layout(width=self._width(), max_width="100%",
                                  height=f"{GRID_HEIGHT}px", margin="0"))
        self.grid.add_class("ovop-own-grid").add_class(f"ovop-own-grid-{name}")
        self.page_choice = widgets.ToggleButtons(
            options=[(t("own_data.columns", first=p[min(i, 1)] + 1, last=p[-1] + 1), i)
                     for i, p in enumerate(self.pages)],
            style={"button_width": "auto"},
            layout=widgets.Layout(display="flex" if len(self.pages) > 1 else "none"))
        self.page_choice.add_class("ovop-own-pages")
        self.page_choice.observe(lambda change: self.show_page(change["new"]), names="value")
        self.grid.on_cell_change(self._typed)
        self.message = widgets.HTML().add_class("ovop-own-table-message")
        buttons = []
        for key, icon, action in (("add_row", "plus", self.add_row),
                                  ("delete_row", "minus", self.delete_rows),
                                  ("example", "clipboard", self.paste_example)):
            button = widgets.Button(description=t(f"own_data.{key}"), icon=icon,
                                    layout=widgets.Layout(width="auto"))
            button.add_class(f"ovop-own-{key.replace('_', '-')}")
            button.on_click(lambda _b, act=action: act())
            buttons.append(button)
        mark = t("own_data.required" if spec.required else "own_data.optional")
        self.widget = widgets.VBox([
            widgets.HTML(f"<b>{escape(self.title)}</b> — {escape(mark)}"), self.page_choice,
            widgets.VBox([self.head, self.grid], layout=widgets.Layout(grid_gap="0")),
            self.message, widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")),
        ], layout=widgets.Layout(width="100%")).add_class("ovop-own-editor")
        self._check_all()
        self.show_problems()

    def _frame(self) -> pd.DataFrame:
        """The grid's data: the rows' texts in the columns of the page in view."""
        index = pd.RangeIndex(1, len(self.rows) + 1, name="№")
        data = {self.headers[i]: [r[i] for r in self.rows] for i in self.pages[self.page]}
        return pd.DataFrame(data, index=index, dtype=object).astype(str)

    def _width(self) -> str:
        """The grid as wide as the page's columns, its row numbers, a vertical scroll bar and
        its frame: no empty band between the last column and the bar."""
        columns = sum(self.widths[c] for c in self.pages[self.page])
        return f"{INDEX_PX + columns + SCROLL_PX + FRAME_PX}px"

    def _head(self) -> str:
        """The headers of the page in view, above the grid's columns (the browser wraps them at
        spaces; the grid's canvas would break a Cyrillic word anywhere), 3 px in as its canvas."""
        cells = [("№", INDEX_PX)] + [(self.headers[i], self.widths[i])
                                     for i in self.pages[self.page]]
        return ('<div style="display:flex;align-items:stretch;padding-left:3px">' + "".join(
            f'<div style="{HEAD_STYLE};width:{w}px">{escape(h)}</div>' for h, w in cells)
            + "</div>")

    def show_page(self, page: int) -> None:
        """Show the page of columns ``page`` (from 0), as its button does."""
        if page != self.page:
            self.page = page
            self.grid.clear_selection()
            self.grid.data = self._frame()
            self.grid.layout.width = self._width()
            self.head.value = self._head()
        self.page_choice.value = page

    def page_of(self, column: str) -> int:
        """The page of columns that holds ``column`` (its code); the first column is in all."""
        index = self.columns.index(column)
        return next(p for p, shown in enumerate(self.pages) if index in shown)

    def _typed(self, cell: dict) -> None:
        """A cell changed in the grid: keep its text and check it."""
        row, column = int(cell["row"]), self.headers.index(cell["column"])
        if 0 <= row < len(self.rows):
            text = "" if cell["value"] is None else str(cell["value"])
            self.rows[row][column] = text
            self._check(row, column, text)
        self.show_problems()
        self._edited()

    def type(self, row: int, column: str, text: str) -> None:
        """Type ``text`` into the cell of ``row`` (from 1) and ``column`` (its code), as the
        browser does on the page of columns that holds it: the grid's cell-change message
        (tests and trainers use this)."""
        if self.columns.index(column) not in self.pages[self.page]:
            self.show_page(self.page_of(column))
        shown = self.pages[self.page].index(self.columns.index(column))
        self.grid._handle_custom_msg({"event_type": "cell-changed", "row": row - 1,
                                      "column_index": shown, "value": text}, [])

    def set_rows(self, rows: list[list[str]]) -> None:
        self.rows = [list(r) for r in rows]
        self.grid.data = self._frame()
        self._check_all()
        self.show_problems()

    def add_row(self) -> None:
        self.set_rows([*self.rows, [""] * len(self.columns)])
        self._edited()

    def delete_rows(self) -> None:
        """Remove the rows of the selected cells, else the last row."""
        chosen = {r for s in self.grid.selections for r in range(s["r1"], s["r2"] + 1)}
        chosen = chosen or {len(self.rows) - 1}
        self.grid.clear_selection()
        self.set_rows([r for i, r in enumerate(self.rows) if i not in chosen])
        self._edited()

    def paste_example(self) -> None:
        """Put the lesson case's rows into the table (to change into the trainee's own)."""
        self.set_rows(self._example())
        self._edited()

    def _check(self, row: int, column: int, text: str) -> None:
        """Check one cell (``row``, ``column`` from 0) and keep what is wrong with it."""
        _, what = read_cell(self.spec.row_model, self.columns[column], text)
        if what:
            self._problems[row, column] = what
        else:
            self._problems.pop((row, column), None)

    def _check_all(self) -> None:
        self._problems: dict[tuple[int, int], str] = {}
        for r, row in enumerate(self.rows):
            for c, text in enumerate(row):
                self._check(r, c, text)

    def problems(self) -> list[str]:
        """What is wrong with the cells typed so far, row by row (empty cells are left for
        «Применить»), with the row (from 1) and the column's header."""
        return [t("data.problem", row=r + 1, column=self.headers[c], what=what)
                for (r, c), what in sorted(self._problems.items())]

    def show_problems(self) -> None:
        found = self.problems()
        shown = found[:5] + ([t("data.more_problems", count=len(found) - 5)] if len(found) > 5
                             else [])
        lines = escape("\n".join(line.strip() for line in shown))
        self.message.value = f'<div style="{ERROR_STYLE}">⚠ {lines}</div>' if found else ""

    def table(self) -> pd.DataFrame | None:
        return check_rows(self.spec, self.title, self.rows)


class OwnDataPanel:
    """The «Свои данные» accordion of a tool; its contents are built when it is first opened."""

    def __init__(self, tool: Tool):
        self.tool = tool
        self.editors: dict[str, TableEditor] = {}
        self._lesson_tables: dict[str, pd.DataFrame] | None = None
        self.widget = widgets.Accordion([widgets.VBox()], selected_index=None)
        self.widget.add_class("ovop-own-data")
        self.widget.observe(self._opened, names="selected_index")
        self.show_origin()

    # --- what the tool tells the panel ---------------------------------------------------
    def show_origin(self) -> None:
        """The accordion's title says which data the tool computes with."""
        self.widget.set_title(0, t("own_data.title",
                                   origin=t(f"own_data.origin.{self.tool.data_origin}")))

    # --- building ------------------------------------------------------------------------
    def _opened(self, change) -> None:
        if change["new"] is not None and not self.editors:
            self.build()

    def open(self) -> None:
        """Open the panel (building it the first time), as a click on its title does."""
        self.widget.selected_index = 0
        if not self.editors:
            self.build()

    def build(self) -> None:
        tool, specs = self.tool, self.tool.own_tables
        start = tool.own_start
        self.editors = {name: TableEditor(tool.name, name, spec, frame_rows(start.get(name), spec),
                                          lambda name=name: self.example(name), self._edited)
                        for name, spec in specs.items()}
        self.choice = widgets.ToggleButtons(
            options=[(t("own_data.choice.lesson"), "lesson"), (t("own_data.choice.own"), "own")],
            value="lesson" if tool.data_origin == "lesson" else "own",
            style={"button_width": "auto"}).add_class("ovop-own-choice")
        self.tabs = widgets.Tab(children=[e.widget for e in self.editors.values()],
                                titles=[e.title for e in self.editors.values()],
                                layout=widgets.Layout(width="100%"))
        self.tabs.add_class("ovop-own-tabs")
        self.link = widgets.HTML().add_class("ovop-own-link")
        self.upload = widgets.FileUpload(accept=".xlsx", multiple=False,
                                         description=t("own_data.upload"),
                                         layout=widgets.Layout(width="auto"))
        self.upload.add_class("ovop-own-upload")
        self.upload.observe(self._uploaded, names="value")
        apply = widgets.Button(description=t("own_data.apply"), icon="check",
                               button_style="primary", layout=widgets.Layout(width="auto"))
        apply.add_class("ovop-own-apply")
        apply.on_click(lambda _b: self.apply())
        self.message = widgets.HTML().add_class("ovop-own-message")
        self.refresh_template()
        code = f"ovop_course.tool(\"{tool.name}\", {', '.join(f'{n}=…' for n in specs)})"
        self.widget.children = [widgets.VBox([
            widgets.HTML(f"<p style='line-height:1.45'>{escape(t('own_data.intro', code=code))}"
                         "</p>"),
            self.choice, self.tabs,
            widgets.HBox([apply, self.link, self.upload],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            self.message,
        ], layout=widgets.Layout(width="100%"))]

    def _edited(self) -> None:
        self.choice.value = "own"

    def _lesson(self) -> dict[str, pd.DataFrame]:
        """The lesson case's tables (read once: they do not change)."""
        if self._lesson_tables is None:
            self._lesson_tables = self.tool.lesson_tables()
        return self._lesson_tables

    def example(self, name: str) -> list[list[str]]:
        """The lesson case's rows of one table, as texts."""
        return frame_rows(self._lesson().get(name), self.tool.own_tables[name])

    def refresh_template(self) -> None:
        """The template link, holding the trainee's current rows and the lesson case."""
        specs = self.tool.own_tables
        data = template(self.tool.name, specs, {n: e.rows for n, e in self.editors.items()},
                        {n: self.example(n) for n in specs})
        self.link.value = download_link(data, f"ovop_{self.tool.name}_{t('own_data.file')}.xlsx")

    # --- applying ------------------------------------------------------------------------
    def apply(self) -> str:
        """«Применить»: the lesson case, or the tables as typed (checked first); the message."""
        if self.choice.value == "lesson":
            return self._use(None, {})
        try:
            tables = {name: e.table() for name, e in self.editors.items()}
        except OvopError as e:
            return self.refuse(e)
        return self._use(tables, {n: e.rows for n, e in self.editors.items()})

    def refuse(self, error: OvopError) -> str:
        """Say what is wrong; nothing was changed."""
        return self.say(f"{error}\n{t('own_data.kept')}", error=True)

    def _use(self, tables: dict[str, pd.DataFrame | None] | None,
             texts: dict[str, list[list[str]]], done: str = "") -> str:
        """Compute with ``tables`` (None: the lesson case), show ``texts`` in the grids, keep
        the tables in the workbook; on a problem nothing changes."""
        given = {k: v for k, v in (tables or {}).items() if v is not None}
        try:
            self.tool.use_tables(given)
        except OvopError as e:
            return self.refuse(e)
        for name, rows in texts.items():
            if self.editors[name].rows != rows:
                self.editors[name].set_rows(rows)
        self.choice.value = "lesson" if tables is None else "own"
        self.tool.data_origin = "lesson" if tables is None else "panel"
        self.show_origin()
        kept = None if tables is None else {k: records(v) for k, v in given.items()}
        saved = self.tool.save_own_data(kept)
        if tables is not None:
            self.refresh_template()
        done += " " + t("own_data.applied_lesson" if tables is None else "own_data.applied")
        return self.say(f"{done.strip()} {saved}".strip())

    def _uploaded(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[-1]
        self.upload.value = ()  # the same file, changed, can be uploaded again
        self.load_file(upload["name"], bytes(upload["content"]))

    def load_file(self, file: str, content: bytes) -> str:
        """A filled template: read, checked like the grid, applied; nothing changes if any of
        it is wrong."""
        try:
            texts = read_upload(content, file, self.tool.name, self.tool.own_tables)
            tables = {name: None if rows is None else
                      check_rows(self.tool.own_tables[name], self.editors[name].title, rows)
                      for name, rows in texts.items()}
        except OvopError as e:
            return self.refuse(e)
        return self._use(tables, {k: v or [] for k, v in texts.items()},
                         done=t("own_data.uploaded", file=file))

    def say(self, text: str, error: bool = False) -> str:
        style = ERROR_STYLE if error else OK_STYLE
        mark = "⚠ " if error else "✔ "
        self.message.value = f'<div style="{style}">{mark}{escape(text)}</div>'
        return text
