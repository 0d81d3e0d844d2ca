"""Tool «start» (module 0): the form that creates the trainee's workbook and sets the language.

Three names (the trainee, their aiyl aimak, their region) and the language of the tools; the
button «Создать рабочую тетрадь» creates the workbook (:func:`ovop_course.workbook.
create_workbook`). A workbook that exists already is never overwritten: the form shows its
names and offers only to change the language of the tools (saved into the workbook, where
every tool built by ``ovop_course.tool()`` finds it). A file that cannot be read is reported and
left as it is. Empty names get a message in the form that names the fields to fill in.

The form saves no section of its own (``section`` is None); its button is its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import ipywidgets as widgets

from ..errors import OvopError
from ..i18n import (
    DEFAULT_LANGUAGE,
    get_language,
    language_name,
    offered_languages,
    set_language,
    t,
)
from ..workbook import Workbook, create_workbook, read_workbook, update_workbook, workbook_path
from ._base import Tool
from ._registry import register

NAMES = ("trainee", "aiyl_aimak", "region")
LABEL = {"description_width": "12em"}  # one label column: the fields line up, in any language


@dataclass(frozen=True)
class StartResult:
    """What the form holds and what is on disk: ``saved`` the workbook already there (or None),
    ``problem`` why the file there cannot be read (or None)."""

    path: Path
    trainee: str
    aiyl_aimak: str
    region: str
    language: str
    saved: Workbook | None = None
    problem: str | None = None


@register
class StartTool(Tool):
    """Module 0: create the workbook from a form; choose the language of the tools."""

    name = "start"

    def __init__(self, workbook_path=None):
        self._title = widgets.HTML()
        self.status = widgets.HTML().add_class("ovop-start-status")
        self.button = widgets.Button(button_style="success", icon="book",
                                     layout=widgets.Layout(width="max-content"))
        self.button.add_class("ovop-start-save")
        self.button.on_click(lambda _button: self.save())
        super().__init__(workbook_path)

    @property
    def title(self) -> str:
        return t("start.title")

    @property
    def path(self) -> Path:
        return Path(self.workbook_path) if self.workbook_path else workbook_path()

    def build_controls(self):
        names = {key: widgets.Text(style=LABEL, layout=widgets.Layout(width="36em"))
                 .add_class(f"ovop-start-{key}") for key in NAMES}
        current = get_language()
        language = widgets.Dropdown(
            options=[(language_name(code), code) for code in offered_languages()],
            value=current if current in offered_languages() else DEFAULT_LANGUAGE,
            style=LABEL, layout=widgets.Layout(width="24em"),
        ).add_class("ovop-start-language")
        return {**names, "language": language}

    def layout(self):
        self._label()
        return [self._title, self.output, *self.controls.values(), self.button, self.message]

    def _label(self) -> None:
        """The texts of the form in the current language (again after the language changes)."""
        self._title.value = f"<h3>{escape(self.title)}</h3>"
        for key in NAMES:
            self.controls[key].description = t(f"start.control.{key}")
            self.controls[key].placeholder = t(f"start.placeholder.{key}")
        self.controls["language"].description = t("start.control.language")

    def compute(self, trainee, aiyl_aimak, region, language):
        path, saved, problem = self.path, None, None
        if path.exists():
            try:
                saved = read_workbook(path)
            except OvopError as e:
                problem = str(e)
        return StartResult(path, trainee, aiyl_aimak, region, language, saved, problem)

    def render(self, result: StartResult):
        exists = result.saved is not None or result.problem is not None
        for key in NAMES:
            self.controls[key].layout.display = "none" if exists else None
        self.button.description = t("start.save_language" if exists else "start.create")
        self.button.disabled = result.problem is not None
        if result.problem:
            text = f"⚠ {escape(result.problem)} {escape(t('start.unreadable'))}"
            self.status.value = f'<div style="color:#B00020;line-height:1.45">{text}</div>'
        elif result.saved:
            wb = result.saved
            names = t("start.names", trainee=wb.trainee, aiyl_aimak=wb.aiyl_aimak,
                      region=wb.region, language=language_name(wb.language))
            self.status.value = (f'<div style="line-height:1.45">✅ <b>'
                                 f"{escape(t('start.exists', file=result.path))}</b><br>"
                                 f"{escape(names)}<br>{escape(t('start.kept'))}</div>")
        else:
            self.status.value = (f'<div style="line-height:1.45">'
                                 f"{escape(t('start.fill_in', file=result.path))}</div>")
        return [self.status]

    def save(self) -> str:
        """Create the workbook (or, when it exists, save only the language); return the message.

        The language chosen becomes the current one, and the form speaks it at once.
        """
        self.refresh()  # the file may have appeared (or gone) since the form was drawn
        if self.error:
            return self.error
        result, text = self.result, None
        try:
            if result.problem:
                raise OvopError(f"{result.problem} {t('start.unreadable')}")
            if result.saved:
                if result.saved.language != result.language:
                    update_workbook(lambda wb: setattr(wb, "language", result.language),
                                    result.path)
                set_language(result.language)
                text = t("start.language_saved", language=language_name(result.language))
            else:
                path = create_workbook(result.trainee, result.aiyl_aimak, result.region,
                                       result.language, result.path)
                set_language(result.language)
                text = t("start.created", file=path, language=language_name(result.language))
        except OvopError as e:
            self._show_error(str(e))
            return str(e)
        self._label()
        self.refresh()
        self.message.value = f'<div style="line-height:1.45">✅ {escape(text)}</div>'
        return text
