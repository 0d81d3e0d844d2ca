"""Module 6 in JupyterLab: Run All works and the product tool answers its controls; on a 1366 ×
768 screen every column of its tables is in sight, and the batch factor reads «0,5» as a half
and refuses a value out of range with the range."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ovop_course.i18n import t

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/06_product.ipynb"


def test_module06_runs_and_product_tool_follows_controls(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    lab.open_and_run(NOTEBOOK, workspace="module06")

    tools = lab.page.locator(".ovop-tool.ovop-tool-product")
    expect(tools).to_have_count(2)  # the lesson case and «your aiyl aimak» (panel)
    tool = tools.first
    summary = tool.locator(".ovop-product-summary")
    expect(summary).to_contain_text("95,42")        # materials a bottle at step 2's prices
    expect(summary).to_contain_text("26")           # batches a month: 793,3 kg ÷ 30 kg
    tool.locator("h3").scroll_into_view_if_needed()
    lab.check_layout(tool)
    lab.check_layout(tools.nth(1))

    # Each tab, its chart drawn when opened; every column in sight.
    tab = tool.locator(".ovop-product-tabs .lm-TabBar-tab")
    for number in range(tab.count()):
        tab.nth(number).click()
        lab.check_layout(tool)
        lab.screenshot(f"module06-tab-{number}", tool)
    tab.nth(1).click()                               # «Рецептура и выход»
    lab.wait_until_drawn(tool.locator(".ovop-product-yield-chart"))

    # Half the recipe, typed as a Russian speaker types it: 30 kg of berry → 15,00 kg.
    recipe = tool.locator(".ovop-product-recipe")
    tool.locator(".widget-toggle-button", has_text=t("product.tool.scale_by.factor")).click()
    lab.check_number_field(
        tool, t("product.field.factor"), good="0,5", bad="0",
        allowed="от 0,01 до 1 000", back="1",
        used=lambda: (expect(recipe).to_contain_text("15,00 кг"),
                      expect(recipe).to_contain_text("единиц продукта — 50")))
    expect(recipe).to_contain_text("30,00 кг")

    panel = tools.nth(1)   # no tables in the cell, none applied yet: the lesson case
    expect(panel.locator(".ovop-own-data")).to_contain_text(t("own_data.origin.lesson"))
    lab.screenshot("module06-end")
    assert lab.failures() == [], "changing the controls raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"
