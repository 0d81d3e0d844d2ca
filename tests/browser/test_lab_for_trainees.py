"""JupyterLab as ``ovop-course lab`` opens it for a trainee: nothing in English from the
extensions (nbgrader's Validate and Create Assignment, «Render with Voilà», «Enable Debugger»),
no cell toolbar and no merge shortcut that could break a graded cell by accident, and no
errors in the browser's console. ``ovop-course lab --trainer`` keeps the trainer's nbgrader
tools (the formgrader, creating assignments)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ovop_course.cli import START_PAGE

pytestmark = pytest.mark.browser

ENGLISH = ("Validate", "Create Assignment", "Render with Voil", "Enable Debugger", "Nbgrader",
           "Formgrader", "Assignment List", "Course List")

# Every text and tooltip of JupyterLab itself (buttons, menus, toolbars, titles, aria labels;
# not the notebook's own cells, where module 0 names nbgrader's buttons on the course server).
_LABELS = """() => [...document.querySelectorAll('body *')].filter(e => !e.closest('.jp-Cell'))
    .flatMap(e => [
    e.getAttribute('title') || '', e.getAttribute('aria-label') || '',
    e.children.length === 0 ? (e.textContent || '') : ''])
    .filter(text => text.trim())"""


@pytest.fixture
def opened(lab):
    """Module 0 open, with the browser's console errors of the whole load recorded."""
    errors = []
    lab.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    lab.page.on("pageerror", lambda e: errors.append(str(e)))
    lab.goto(f"/lab/tree/{START_PAGE}")
    lab.wait_for_notebook(START_PAGE)
    lab.page.locator(".jp-NotebookPanel:visible .jp-Cell").first.click()
    lab.page.wait_for_timeout(1500)          # late plugins (nbgrader's) have logged by now
    return lab, errors


def test_no_extension_speaks_english_to_a_trainee(opened):
    lab, _ = opened
    lab.page.locator("#jp-MainMenu").get_by_text("Файл", exact=True).click()
    labels = lab.page.evaluate(_LABELS)
    lab.page.keyboard.press("Escape")
    found = sorted({word for word in ENGLISH for text in labels if word in text})
    assert not found, found


def test_no_console_errors_while_the_course_opens(opened):
    _, errors = opened
    assert not errors, errors


def test_no_cell_toolbar_and_shift_m_merges_nothing(opened):
    lab, _ = opened
    cells = lab.page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")
    count = cells.count()
    assert count >= 2
    cells.first.click()
    expect(lab.page.locator(".jp-cell-toolbar")).to_have_count(0)
    lab.page.keyboard.press("Escape")              # command mode
    lab.page.keyboard.press("Shift+J")             # two cells selected
    for keys in ("Shift+M", "Control+Shift+M", "Control+Backspace"):
        lab.page.keyboard.press(keys)
    expect(cells).to_have_count(count)
