"""Module 7 in JupyterLab: Run All works and shows the costing tool twice (the lesson case and
«your aiyl aimak»); on a 1366 × 768 screen every column of its tables is in sight with each tab
open, no label is cut, no traceback. How the tool answers a typed price is
tests/browser/test_technology_tool.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ovop_course.fmt import fmt_money
from ovop_course.i18n import t
from ovop_course.steps import technology

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/07_technology.ipynb"


def test_module07_runs_and_every_tab_of_the_costing_tool_fits(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    lab.open_and_run(NOTEBOOK, workspace="module07")

    tools = lab.page.locator(".ovop-tool.ovop-tool-technology")
    expect(tools).to_have_count(2)
    tool = tools.first
    summary = tool.locator(".ovop-tech-summary")
    for key in ("cost", "price", "margin", "break_even", "working_capital", "npv", "risk"):
        expect(summary).to_contain_text(t(f"technology.key.{key}"))
    # the lesson's simple plan: 4 batches a day at the bottleneck, the unit cost a bottle
    expect(summary).to_contain_text(fmt_money(technology.lesson_results().unit_cost_som)[:3])
    lab.wait_until_drawn(tool.locator(".ovop-tech-tabs img:visible"))
    tab = tool.locator(".ovop-tech-tabs .lm-TabBar-tab")
    for number in range(tab.count()):
        tab.nth(number).click()
        expect(tool.locator(".ovop-tech-tabs img:visible")).to_have_count(1)
        lab.check_layout(tool)
        lab.screenshot(f"module07-tab-{number}", tool)
    lab.check_layout(tools.nth(1))
    panel = tools.nth(1)
    expect(panel.locator(".ovop-own-data")).to_contain_text(t("own_data.origin.lesson"))
    assert lab.failures() == [], "the lesson raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"
