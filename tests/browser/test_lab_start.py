"""``ovop-course lab`` serves JupyterLab, its default URL opens module 0, and no module shows as
modified right after it is opened."""

from __future__ import annotations

import re

import nbformat
import pytest
from labserver import get
from playwright.sync_api import expect

from ovop_course.cli import START_PAGE
from ovop_course.steps import built

pytestmark = pytest.mark.browser


def test_lab_page_answers(lab_server):
    status, _ = get(f"{lab_server.url}/lab", lab_server.token)
    assert status == 200


def test_server_root_opens_module_0(lab):
    lab.goto("/")
    lab.page.wait_for_url(re.compile(rf"/lab/tree/{re.escape(START_PAGE)}"))
    lab.wait_for_notebook(START_PAGE)
    assert lab.current_path() == START_PAGE
    tab = lab.page.locator("#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current")
    expect(tab).to_have_count(1)
    expect(tab).to_contain_text(START_PAGE.rsplit("/", 1)[-1])
    expect(lab.page.locator(".jp-NotebookPanel:visible .jp-Cell").first).to_be_visible()
    lab.screenshot("lab-start-module0")


def test_interface_is_in_russian(lab):
    lab.goto("/lab")
    lab.page.wait_for_selector("#jp-MainMenu")
    expect(lab.page.locator("#jp-MainMenu")).to_contain_text("Файл")


# Resolves once the kernel of the active notebook has answered «kernel_info» and its spec is
# known: JupyterLab writes both into the notebook's metadata (language_info, kernelspec).
_KERNEL_KNOWN = """async () => {
    const w = window.jupyterapp.shell.currentWidget;
    const kernel = w.sessionContext.session.kernel;
    await kernel.info;
    await kernel.spec;
    return true;
}"""

_STATE = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const tab = document.querySelector('#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current');
    return {dirty: w.context.model.dirty, tab: tab.className,
            metadata: w.context.model.toJSON().metadata};
}"""


@pytest.mark.parametrize("notebook", [m.notebook for m in built()])
def test_a_notebook_is_not_modified_by_opening_it(lab, notebook):
    """Opening a module and starting its kernel leaves it unmodified (no dirty mark on its tab):
    a trainee who only reads and runs it is not asked to save changes they never made."""
    path = f"notebooks/{notebook}.ipynb"
    lab.goto(f"/lab/workspaces/clean-{notebook}/tree/{path}?reset")
    lab.wait_for_notebook(path)
    lab.page.evaluate(_KERNEL_KNOWN)
    lab.page.wait_for_timeout(500)   # the metadata is written right after the answers arrive
    state = lab.page.evaluate(_STATE)
    on_disk = nbformat.read(lab.server.root / path, as_version=4).metadata
    changed = {key: (on_disk.get(key), value) for key, value in state["metadata"].items()
               if on_disk.get(key) != value}
    assert not state["dirty"] and "jp-mod-dirty" not in state["tab"], (
        f"{path} shows as modified right after opening; metadata JupyterLab changed "
        f"(in the file → after opening): {changed}")
