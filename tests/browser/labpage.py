"""A JupyterLab page in the browser, driven through the app object (``window.jupyterapp``).

The test server exposes the app (``--LabApp.expose_app_in_browser=True``), so commands run
through JupyterLab's command registry rather than through menus whose labels depend on the
interface language.
"""

from __future__ import annotations

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


# True once an <img> shows a loaded picture (an empty placeholder has no width).
_DRAWN = "img => img.complete && img.naturalWidth > 0"


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

    def open_and_run(self, notebook: str, workspace: str) -> None:
        """Open ``notebook`` in a fresh workspace, run all its cells, and fail the test if any
        cell failed or showed a traceback."""
        self.goto(f"/lab/workspaces/{workspace}/tree/{notebook}?reset")
        self.wait_for_notebook(notebook)
        self.run_all()
        failures = self.failures()
        assert not failures, "cells of the notebook failed:\n" + "\n\n".join(failures)

    def screenshot(self, name: str, locator=None) -> Path:
        """Save a screenshot (of ``locator``, else the page) to artifacts/screenshots/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        (locator or self.page).screenshot(path=str(path))
        return path
