"""A JupyterLab page in the browser, driven through the app object (``window.jupyterapp``).

The test server exposes the app (``--LabApp.expose_app_in_browser=True``), so commands run
through JupyterLab's command registry rather than through menus whose labels depend on the
interface language.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# The rendered text of the standard error stream; JupyterLab shows a Python traceback there.
STDERR = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'

_NOTEBOOK_READY = """path => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = w && w.sessionContext && w.sessionContext.session
                   && w.sessionContext.session.kernel;
    return !!(w && w.context && w.context.path === path && kernel
              && kernel.status === 'idle');
}"""

# Done when every code cell has an execution count, or when a cell raised an error (Run All
# stops at the first error; the cells after it keep an empty prompt).
_RUN_FINISHED = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const cells = w.content.widgets.filter(c => c.model.type === 'code');
    const done = cells.every(c => c.model.executionCount !== null)
                 && w.sessionContext.session.kernel.status === 'idle';
    const failed = cells.some(c => c.model.outputs.toJSON()
                                    .some(o => o.output_type === 'error'));
    return done || failed;
}"""

# Errors raised by the cells of the active notebook, as "Name: message" (from the model).
_ERRORS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .flatMap(c => c.model.type === 'code' ? c.model.outputs.toJSON() : [])
    .filter(o => o.output_type === 'error').map(o => `${o.ename}: ${o.evalue}`)"""


# Runs set_language(language) in the active notebook's kernel (no cell, no output).
_SET_LANGUAGE = """async language => {
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    const code = "import ovop_course.i18n as i18n; i18n.set_language("
                 + JSON.stringify(language) + ")";
    await kernel.requestExecute({code, store_history: false}).done;
}"""

# True once an <img> shows a loaded picture (an empty placeholder has no width).
_DRAWN = "img => img.complete && img.naturalWidth > 0"

# Table cells of the course's tools that are shown (not in a closed tab or section) and end
# past the window's right edge or past the edge of a box that cuts or scrolls what it holds
# (the notebook panel, a tab, a table's own scrolling box): cells a trainee does not see.
_CELLS_OUT_OF_SIGHT = """width => [...document.querySelectorAll('.ovop-tool td, .ovop-tool th')]
    .filter(cell => cell.getClientRects().length > 0)
    .map(cell => {
        let edge = width;
        for (let box = cell.parentElement; box; box = box.parentElement)
            if (getComputedStyle(box).overflowX !== 'visible')
                edge = Math.min(edge, box.getBoundingClientRect().right);
        return {right: cell.getBoundingClientRect().right, edge,
                text: cell.innerText.trim().slice(0, 40)};
    })
    .filter(c => c.right > c.edge + 0.5)
    .map(c => `«${c.text}» ends at ${Math.round(c.right)} px, past ${Math.round(c.edge)} px`)"""

# Labels of the tools' buttons, tabs and controls that do not fit (shown cut, «Сохранить в р…»).
_CUT_LABELS = """() => [...document.querySelectorAll(
        '.ovop-tool :is(.jupyter-button, .widget-label, .lm-TabBar-tabLabel)')]
    .filter(e => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => `«${e.innerText.trim()}»: ${e.scrollWidth} px in ${e.clientWidth} px`)"""

# An output of the standard error stream (where Python writes a traceback).
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


class LabPage:
    """A Playwright page logged in to a test JupyterLab server (see ``conftest.lab``)."""

    def __init__(self, page, server):
        self.page, self.server = page, server

    def goto(self, path: str = "/") -> None:
        """Open ``path`` of the server (the token is added to log in)."""
        self.page.goto(self.server.page_url(path))

    def current_path(self) -> str | None:
        """Path of the document in the active main-area tab, or None."""
        return self.page.evaluate(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return w && w.context ? w.context.path : null; }")

    def wait_for_notebook(self, path: str, timeout: float = 60_000) -> None:
        """Wait until ``path`` is the active document and its kernel is idle."""
        self.page.wait_for_function(_NOTEBOOK_READY, arg=path, timeout=timeout)

    def run_all(self, timeout: float = 120_000) -> None:
        """Run every cell (command ``runmenu:run-all``); wait until done or a cell failed."""
        self.page.evaluate("() => { window.jupyterapp.commands.execute('runmenu:run-all'); }")
        self.page.wait_for_function(_RUN_FINISHED, timeout=timeout)

    def failures(self) -> list[str]:
        """What went wrong in the active notebook's outputs: errors raised by cells and any
        output on the page that shows a Python traceback."""
        shown = self.page.locator(f".jp-NotebookPanel:visible {STDERR}").all_inner_texts()
        return self.page.evaluate(_ERRORS) + [text for text in shown if "Traceback" in text]

    def wait_until_drawn(self, image, timeout: float | None = None) -> None:
        """Wait until the image element ``image`` (a locator) shows its loaded picture."""
        self.page.wait_for_function(_DRAWN, arg=image.element_handle(), timeout=timeout)

    def set_language(self, language: str) -> None:
        """Switch the course to ``language`` in the active notebook's kernel (which JupyterLab
        keeps for the notebook's next opening: a test that switches switches back)."""
        self.page.evaluate(_SET_LANGUAGE, language)

    @contextmanager
    def tools_in(self, language: str, notebook: str, workspace: str):
        """Open ``notebook`` and run it with its tools in ``language``: the language saved in
        the trainee's workbook (module 0's choice, which ``ovop_course.tool()`` follows) and the
        kernel's are switched, and set back to Russian after the block."""
        from ovop_course.workbook import update_workbook

        workbook = self.server.log.parent / "ovop_workbook.json"   # HOME of the test server

        def choose(chosen: str) -> None:
            if workbook.exists():
                update_workbook(lambda book: setattr(book, "language", chosen), workbook)

        choose(language)
        try:
            self.open_and_run(notebook, workspace, language=language)
            yield
        finally:
            choose("ru")
            self.set_language("ru")

    def open_and_run(self, notebook: str, workspace: str, language: str | None = None) -> None:
        """Open ``notebook`` in a fresh workspace, run all its cells, and fail the test if any
        cell failed or showed a traceback. With ``language``, the kernel first switches the
        course to it (``ovop_course.i18n.set_language``; the notebook is not changed)."""
        self.goto(f"/lab/workspaces/{workspace}/tree/{notebook}?reset")
        self.wait_for_notebook(notebook)
        if language:
            self.set_language(language)
        self.run_all()
        failures = self.failures()
        assert not failures, "cells of the notebook failed:\n" + "\n\n".join(failures)

    def screenshot(self, name: str, locator=None) -> Path:
        """Save a screenshot (of ``locator``, else the page) to artifacts/screenshots/.

        An element taller than the window is taken whole: the window is made tall enough for
        the shot (same width, so the same layout), then set back.
        """
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        size = self.page.viewport_size
        height = locator.bounding_box()["height"] if locator is not None else 0
        if size and height + 200 > size["height"]:
            self.page.set_viewport_size({"width": size["width"], "height": int(height) + 200})
            self.page.wait_for_timeout(200)   # the notebook lays its cells out again
        try:
            if locator is not None:
                locator.scroll_into_view_if_needed()
            (locator or self.page).screenshot(path=str(path))
        finally:
            if self.page.viewport_size != size:
                self.page.set_viewport_size(size)
        return path

    # --- what a trainee on a 1366 × 768 laptop must see -------------------------------------
    def cells_out_of_sight(self) -> list[str]:
        """Table cells of the tools on the page that end past the window's right edge, or past
        the edge of the box that holds them (empty when every column can be read)."""
        width = self.page.viewport_size["width"]
        return self.page.evaluate(_CELLS_OUT_OF_SIGHT, width)

    def cut_labels(self) -> list[str]:
        """Buttons, tab titles and control labels of the tools shown cut (ellipsis)."""
        return self.page.evaluate(_CUT_LABELS)

    def tracebacks(self) -> list[str]:
        """Python tracebacks anywhere on the page: in its text, or in an output of the
        standard error stream."""
        found = [text for text in self.page.locator(STDERR_OUTPUT).all_inner_texts()
                 if "Traceback" in text]
        body = self.page.locator("body").inner_text()
        if "Traceback" in body:
            at = body.index("Traceback")
            found.append(body[max(0, at - 200):at + 400])
        return found

    def each_tab(self, tool):
        """Open each tab of ``tool`` in turn (its result tabs: those shown), yielding the tab's
        number; the first tab is open again at the end."""
        tabs = tool.locator(".jupyter-widget-tab:visible > .lm-TabBar .lm-TabBar-tab")
        count = tabs.count()
        for number in range(count):
            tabs.nth(number).click()
            yield number
        if count:
            tabs.nth(0).click()

    def check_layout(self, tool=None) -> None:
        """Every table column and every label of the tools in sight, and no traceback; with
        ``tool``, checked again with each of its tabs open."""
        for where in ["Run All", *([] if tool is None else ["tabs"])]:
            numbers = [None] if where == "Run All" else self.each_tab(tool)
            for number in numbers:
                label = where if number is None else f"tab {number + 1}"
                hidden, cut = self.cells_out_of_sight(), self.cut_labels()
                assert not hidden, f"{label}: columns out of sight: {hidden}"
                assert not cut, f"{label}: labels cut: {cut}"
        shown = self.tracebacks()
        assert not shown, "a traceback is shown on the page:\n" + "\n\n".join(shown)

    # --- number fields (ovop_course.ui._inputs) ----------------------------------------------
    @staticmethod
    def number_input(tool, label: str):
        """The text input of the number field of ``tool`` named ``label``: a field of its own
        (``.ovop-number``) or the field of a slider (``.ovop-slider-field``)."""
        own = tool.locator(".ovop-number", has_text=label)
        slider = tool.locator(".ovop-slider-field", has_text=label).locator(".ovop-number")
        return own.or_(slider).locator("input")

    @staticmethod
    def type_number(field, text: str) -> None:
        """Type ``text`` into a number field as a trainee does: the field's text, then Enter."""
        field.fill(text)
        field.press("Enter")

    def check_number_field(self, tool, label: str, *, good: str, used, bad: str, allowed: str,
                           back: str) -> None:
        """The number field ``label`` of ``tool``: ``good`` (as a Russian speaker types it,
        «12,5») is used — ``used()`` checks the result —, ``bad`` is refused with a message that
        names the allowed range (``allowed``, «от 0 % до 20 %»), and ``back`` clears it."""
        from playwright.sync_api import expect

        field, message = self.number_input(tool, label), tool.locator(".ovop-error")
        self.type_number(field, good)
        expect(message).to_have_text("")
        expect(field).to_have_value(good)   # not changed silently (12,5 → 125, or cut)
        used()
        self.type_number(field, bad)
        expect(message).to_contain_text(allowed)
        expect(field).to_have_value(bad)
        self.type_number(field, back)
        expect(message).to_have_text("")
