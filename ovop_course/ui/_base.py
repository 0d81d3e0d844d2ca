"""The Tool base: the one surface every interactive tool of the course shares.

A Tool has
- ``controls``: name → input widget (what a trainee or a test changes);
- ``result``: the last good result of :meth:`compute` (kept when a later value is bad);
- ``error``: the last user-facing message, or None when the current values are fine;
- ``widget``: what the notebook displays (title, controls, message line, result area and,
  for tools that save, a button that writes the result to the trainee's workbook).

A subclass sets ``name`` and ``title`` and writes three methods: :meth:`build_controls`,
:meth:`compute` (pure: values in, result out, OvopError on bad values) and :meth:`render`
(result → widgets). A tool that saves names its workbook ``section`` and writes
:meth:`to_section` (result → that section); the base stores it, keeping the trainee's notes and
setting the time saved (:meth:`~ovop_course.workbook.Workbook.put_section`).
A tool whose own tables could not be read sets ``data_error`` (the Russian message): it is
shown in place of a result, whatever the controls say.

A tool that reads the trainee's own tables declares them in ``own_tables`` (table name →
:class:`~ovop_course.ui._own_data.OwnTable`: its row model, whether it is required) and writes
:meth:`load` (tables → the tool's data; none: the lesson case) and :meth:`lesson_tables`. Its
``__init__`` loads what :meth:`start_tables` gives: the tables passed as arguments, else the
own tables the trainee applied before (kept in the workbook section), else the lesson case.
The base then adds the «Свои данные» panel (:mod:`ovop_course.ui._own_data`, built when first
opened): a table editor per declared table, an Excel template and its upload, «Применить» —
which calls :meth:`use_tables` and keeps the tables in the workbook (:meth:`save_own_data`).
Any change of a control recomputes; an OvopError is shown as its message, any other exception
as a short Russian message, and never as a traceback.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any, ClassVar

import ipywidgets as widgets
from traitlets import TraitError

from ..errors import OvopError
from ..i18n import t
from ..workbook import OwnData, Section, Workbook, read_workbook, update_workbook
from ._inputs import TypedNumber
from ._own_data import OwnDataPanel, OwnTable, saved_frame
from ._shared import html, shared_layout, vbox

log = logging.getLogger(__name__)

# Widget HTML gets no notebook styling, so a table carries its own. The widgets give their HTML
# a line height of 28 px (one control's height): a table sets its own, or every row is
# double-spaced. Text wraps inside a cell; a little padding keeps the columns apart, and the
# headers, whose longest words set most columns' widths, are a little smaller (a ten-column
# table then fits a 1366 px screen); ``ovop-num`` right-aligns numbers. A table wider than the
# page, as a last resort, scrolls inside its box (``ovop-table-box``) rather than running past
# the right edge. The rules name the box: pandas' table style, which a DataFrame shown in the
# notebook leaves on the page (``.dataframe thead th``), would right-align the headers.
TABLE_CSS = ("<style>.ovop-table{border-collapse:collapse;line-height:1.35;white-space:normal}"
             ".ovop-table-box .ovop-table :is(td,th){padding:3px 6px;text-align:left;"
             "vertical-align:top}.ovop-table-box .ovop-table th{font-size:90%}"
             ".ovop-table-box .ovop-num :is(td,thead th){text-align:right}"
             ".ovop-table-box{max-width:100%;overflow-x:auto}"
             ".widget-html-content:has(>.ovop-table-box){min-width:0}</style>")

# What every tool's box needs (put in its heading): text of several lines is spaced as text,
# not by the 28 px of a control; a tab is as wide as its title (the widgets give every tab
# 144 px: «Сезонный календа…»); the selected options of a list (the production months) look
# selected, not greyed as Chromium shows them in a list that does not have the focus.
TOOL_CSS = ("<style>.ovop-tool .widget-html-content :is(p,li,h4){line-height:1.45}"
            ".ovop-tool .jupyter-widget-tab>.lm-TabBar .lm-TabBar-tab{flex:0 0 auto}"
            ".ovop-tool select[multiple] option:checked{color:#fff;"
            "background:#1976D2 linear-gradient(#1976D2,#1976D2)}"
            ".ovop-percent::after{content:'%';align-self:center;margin-left:4px}</style>")


def html_table(frame, caption: str = "", index: bool = False, numeric: bool = False) -> str:
    """A pandas table as HTML in the course's table style, with an optional caption."""
    head = f"<h4>{escape(caption)}</h4>" if caption else ""
    classes = "ovop-table ovop-num" if numeric else "ovop-table"
    return table_box(head + frame.to_html(classes=classes, index=index, border=0, escape=True,
                                          justify="left"))


def table_box(html: str) -> str:
    """``html`` (a table, with its caption) in the course's table style, in a box that scrolls
    sideways only if the table cannot be made narrow enough for the page."""
    return f'{TABLE_CSS}<div class="ovop-table-box">{html}</div>'


def picture(svg: bytes = b"") -> widgets.Image:
    """A widget for a chart's SVG (:func:`ovop_course.charts.to_svg`): shown at its own width,
    narrower only if the page is."""
    return widgets.Image(value=svg, format="svg+xml", layout=shared_layout(max_width="100%"))


# Controls whose description is longer than ipywidgets' narrow label column show it whole.
LABEL_STYLE = {"description_width": "initial"}


class Tool:
    """Base class of the course's interactive tools (see the module docstring)."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    section: ClassVar[str | None] = None  # the workbook field the tool saves to; None: no saving
    data_error: str | None = None  # why the tool's tables could not be read, if they could not
    # the trainee's own tables the tool reads: table name → its row model and whether required
    own_tables: ClassVar[dict[str, OwnTable]] = {}
    data_origin: str = "lesson"  # the tables computed with: lesson, arguments, workbook, panel
    own_start: dict[str, Any] = {}  # the own tables the panel's editors start from

    def __init__(self, workbook_path=None):
        self.workbook_path = workbook_path
        self.result: Any = None
        self.error: str | None = None
        self.controls: dict[str, widgets.ValueWidget] = self.build_controls()
        self.message = html().add_class("ovop-error")
        self.output = vbox().add_class("ovop-result")
        self.own_panel = OwnDataPanel(self) if self.own_tables else None
        self.widget = vbox(self._parts())
        self.widget.add_class("ovop-tool").add_class(f"ovop-tool-{self.name}")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    # --- to be written by each tool -------------------------------------------------------
    def build_controls(self) -> dict[str, widgets.ValueWidget]:
        """Create the input widgets, keyed by name."""
        raise NotImplementedError

    def compute(self, **values: Any) -> Any:
        """Values of the controls → result; raise OvopError with a Russian message if bad."""
        raise NotImplementedError

    def render(self, result: Any) -> list[widgets.Widget]:
        """Result → the widgets that show it (tables, charts as images, text)."""
        raise NotImplementedError

    def to_section(self, result: Any, saved: Section | None) -> Section:
        """``result`` as the tool's workbook section (``saved``: the section saved before, or
        None); OvopError when there is nothing worth saving. Notes and time are the base's."""
        raise NotImplementedError

    def load(self, **tables: Any) -> None:
        """Read the trainee's own tables (none given: the lesson case) into the tool's data;
        OvopError naming the table, row and column if one is wrong. Only rebinds attributes,
        so that :meth:`use_tables` can put the previous ones back."""
        raise NotImplementedError

    def lesson_tables(self) -> dict[str, Any]:
        """The lesson case as the tool's own tables (the examples of the «Свои данные» panel)."""
        raise NotImplementedError

    # --- own tables -----------------------------------------------------------------------
    def start_tables(self, workbook_path=None, lesson: bool = False,
                     **given: Any) -> dict[str, Any]:
        """The tables a tool starts with: those ``given`` (keyword arguments), else the own
        tables the trainee applied and the workbook keeps, else none (the lesson case); with
        ``lesson`` the lesson case whatever the workbook keeps (a lesson's worked example).
        Sets :attr:`data_origin` and what the panel's editors start from."""
        if any(v is not None for v in given.values()):
            self.data_origin = "arguments"
            self.own_start = {k: v for k, v in given.items() if v is not None}
            return given
        own = self._saved_own_data(workbook_path)
        frames = {} if own is None else {
            name: saved_frame(rows, self.own_tables[name])
            for name, rows in own.tables.items() if name in self.own_tables and rows}
        self.own_start = frames
        if own is not None and own.use and frames and not lesson:
            self.data_origin = "workbook"
            return frames
        self.data_origin = "lesson"
        return {}

    def _saved_own_data(self, workbook_path) -> OwnData | None:
        """The own tables kept in the tool's section of the workbook (None: none, or no
        readable workbook: reading never changes or copies the file)."""
        if not (self.section and self.own_tables):
            return None
        try:
            saved = read_workbook(workbook_path).section(self.section)
        except (OSError, OvopError):
            return None
        return saved.own_data if saved is not None else None

    def use_tables(self, tables: dict[str, Any]) -> None:
        """Compute with these own tables (none: the lesson case) as a tool built with them
        would: the controls start anew (some come from the tables). OvopError if the tables
        or the result cannot be used; then nothing changes: data, controls and result stay."""
        before = dict(self.__dict__)
        try:
            self.load(**tables)
            self.controls = self.build_controls()
            self.compute(**self.values())
        except Exception as e:
            self.__dict__.clear()
            self.__dict__.update(before)
            if isinstance(e, OvopError):
                raise
            log.exception("tool %s failed on own tables", self.name)
            raise OvopError(t("error.unexpected", detail=f"{type(e).__name__}: {e}")) from None
        self.data_error = None
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget.children = self._parts()
        self.refresh()

    def save_own_data(self, tables: dict[str, list[dict[str, Any]]] | None) -> str:
        """Keep the applied own tables in the workbook (None: the lesson case was chosen; the
        tables kept before stay, unused); the message to show."""
        if not self.section:
            return ""

        def keep(workbook: Workbook) -> None:
            saved = workbook.section(self.section)
            old = saved.own_data.tables if saved is not None and saved.own_data else {}
            workbook.put_own_data(self.section, OwnData(tables=old if tables is None else tables,
                                                        use=tables is not None))
        try:
            return t("workbook.saved", file=update_workbook(keep, self.workbook_path))
        except OvopError as e:
            return t("own_data.not_saved", reason=str(e))

    # --- shared behaviour -----------------------------------------------------------------
    def _parts(self) -> list[widgets.Widget]:
        """:meth:`layout` with the «Свои данные» panel above the message line."""
        parts = self.layout()
        if self.own_panel is not None:
            at = next((i for i, p in enumerate(parts) if p is self.message), len(parts))
            parts.insert(at, self.own_panel.widget)
        return parts

    def layout(self) -> list[widgets.Widget]:
        """Children of the displayed box; a tool may override to arrange its controls."""
        parts = [self.heading(), *self.controls.values(),
                 self.message, self.output]
        if self.section:
            parts.append(self._save_button())
        return parts

    def heading(self) -> widgets.HTML:
        """The tool's title as the heading of its box."""
        return html(f"{TOOL_CSS}<h3>{escape(self.title)}</h3>")

    def values(self) -> dict[str, Any]:
        """The current value of every control (a typed number read by the course: OvopError
        when it cannot be used)."""
        return {key: control.number() if isinstance(control, TypedNumber) else control.value
                for key, control in self.controls.items()}

    def refresh(self) -> None:
        """Recompute from the controls; on a bad value keep the last good result."""
        try:
            if self.data_error:
                raise OvopError(self.data_error)
            result = self.compute(**self.values())
            shown = self.render(result)
        except OvopError as e:
            self._show_error(str(e))
            return
        except Exception as e:  # a bug must not reach the trainee as a traceback
            log.exception("tool %s failed", self.name)
            self._show_error(t("error.unexpected", detail=f"{type(e).__name__}: {e}"))
            return
        self.result, self.error = result, None
        self.message.value = ""
        self.output.children = shown

    def set(self, **values: Any) -> None:
        """Set controls by name, as a trainee would (tests and trainers drive tools this way).

        A value the control itself refuses (wrong type, not among the options) becomes a
        Russian message in ``error``; the last good result is kept.
        """
        for key, value in values.items():
            if key not in self.controls:
                self._show_error(t("tool.unknown_control", name=key,
                                   known=", ".join(self.controls)))
                return
            control = self.controls[key]
            try:
                if isinstance(control, TypedNumber):
                    control.type(value)
                else:
                    control.value = value
            except (TraitError, TypeError, ValueError):
                self._show_error(t("tool.bad_value", value=value, control=self.label(key)))
                return
        if self.error:  # an unchanged value fires no event: clear a message that no longer holds
            self.refresh()

    def save(self) -> str:
        """Save the current result to the trainee's workbook; return the message shown."""
        if self.error:
            self.refresh()  # a refused value left the controls as they were: check them again
        refused = True
        if self.result is None or self.error:
            text = t("tool.nothing_to_save")
        else:
            try:
                path = update_workbook(self._save_to, self.workbook_path)
                text, refused = t("workbook.saved", file=path), False
            except OvopError as e:  # no workbook yet, or nothing worth saving (to_section)
                text = str(e)
        self._show_note(text, refused)
        return text

    def _save_to(self, workbook: Workbook) -> None:
        """Put the current result into the tool's section of ``workbook``."""
        saved = workbook.section(self.section)
        workbook.put_section(self.section, self.to_section(self.result, saved))

    def label(self, key: str) -> str:
        """How a control is named in messages (its description, else its key)."""
        return getattr(self.controls[key], "description", "") or key

    def _on_change(self, _change) -> None:
        self.refresh()

    def _show_error(self, text: str) -> None:
        self.error = text
        style = "color:#B00020;white-space:pre-wrap;line-height:1.45"
        self.message.value = f'<div style="{style}">⚠ {text}</div>'

    def _show_note(self, text: str, refused: bool = False) -> None:
        """A message about an action, not about the controls' values (``error`` stays as it
        is): saved, or — marked as a warning when ``refused`` — why nothing was done."""
        style, text = "white-space:pre-wrap;line-height:1.45", escape(text)
        if refused:
            self.message.value = f'<div style="color:#B00020;{style}">⚠ {text}</div>'
        else:
            self.message.value = f'<div style="{style}">{text}</div>'

    def _save_button(self) -> widgets.Button:
        button = widgets.Button(description=t("tool.save"), icon="save", button_style="success",
                                layout=shared_layout(width="max-content")  # not «Сохранить в р…»
                                ).add_class("ovop-save")
        button.on_click(lambda _b: self.save())
        return button

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
