"""Every module's tools built in English fit a 1366×768 screen: no table cell out of sight, no
cut label, no traceback (the Russian run is each module's own test). The modules come from the
index of the course, so a new step's tools are checked with no change here."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ovop_course.i18n import catalogue
from ovop_course.steps import built

pytestmark = pytest.mark.browser

MODULES = [m for m in built() if m.section]  # the modules whose tools show results and save


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.notebook)
def test_tools_in_english_fit_the_screen(lab, module):
    notebook = f"notebooks/{module.notebook}.ipynb"
    with lab.tools_in("en", notebook, workspace=f"{module.notebook}-en"):
        tools = lab.page.locator(f".ovop-tool.ovop-tool-{module.tool}")
        expect(tools.first).to_contain_text(catalogue("en")["tool.save"])
        for number in range(tools.count()):
            lab.check_layout(tools.nth(number))
        lab.screenshot(f"{module.notebook}-en", tools.first)
