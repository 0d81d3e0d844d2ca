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
from ..workbook import Section, Workbook, update_workbook
from ._inputs import TypedNumber

log = logging.getLogger(__name__)

# Widget HTML gets no notebook styling, so a table carries its own: a little padding keeps the
# columns apart; ``ovop-num`` right-aligns numbers.
TABLE_CSS = ("<style>.ovop-table{border-collapse:collapse}.ovop-table td,.ovop-table th"
             "{padding:3px 10px;text-align:left;vertical-align:top}.ovop-num td{text-align:right}"
             "</style>")


def html_table(frame, caption: str = "", index: bool = False, numeric: bool = False) -> str:
    """A pandas table as HTML in the course's table style, with an optional caption."""
    head = f"<h4>{escape(caption)}</h4>" if caption else ""
    classes = "ovop-table ovop-num" if numeric else "ovop-table"
    return TABLE_CSS + head + frame.to_html(classes=classes, index=index, border=0,
                                            escape=True, justify="left")


# Controls whose description is longer than ipywidgets' narrow label column show it whole.
LABEL_STYLE = {"description_width": "initial"}


class Tool:
    """Base class of the course's interactive tools (see the module docstring)."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    section: ClassVar[str | None] = None  # the workbook field the tool saves to; None: no saving
    data_error: str | None = None  # why the tool's tables could not be read, if they could not

    def __init__(self, workbook_path=None):
        self.workbook_path = workbook_path
        self.result: Any = None
        self.error: str | None = None
        self.controls: dict[str, widgets.ValueWidget] = self.build_controls()
        self.message = widgets.HTML().add_class("ovop-error")
        self.output = widgets.VBox().add_class("ovop-result")
        self.widget = widgets.VBox(self.layout())
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

    # --- shared behaviour -----------------------------------------------------------------
    def layout(self) -> list[widgets.Widget]:
        """Children of the displayed box; a tool may override to arrange its controls."""
        parts = [self.heading(), *self.controls.values(),
                 self.message, self.output]
        if self.section:
            parts.append(self._save_button())
        return parts

    def heading(self) -> widgets.HTML:
        """The tool's title as the heading of its box."""
        return widgets.HTML(f"<h3>{escape(self.title)}</h3>")

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
        if self.result is None or self.error:
            text = t("tool.nothing_to_save")
        else:
            try:
                path = update_workbook(self._save_to, self.workbook_path)
                text = t("workbook.saved", file=path)
            except OvopError as e:
                text = str(e)
        self.message.value = f"<div>{text}</div>"
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

    def _save_button(self) -> widgets.Button:
        button = widgets.Button(description=t("tool.save"), icon="save",
                                button_style="success").add_class("ovop-save")
        button.on_click(lambda _b: self.save())
        return button

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
