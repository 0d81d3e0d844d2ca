"""Module 4 in JupyterLab: Run All works and the ideas tool answers its controls."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ovop_course.i18n import t

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/04_ideas.ipynb"


def test_module04_runs_and_ideas_tool_follows_controls(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    lab.open_and_run(NOTEBOOK, workspace="module04")

    tools = lab.page.locator(".ovop-tool.ovop-tool-ideas")
    expect(tools).to_have_count(2)  # the lesson case and «your aiyl aimak»
    tool = tools.first
    summary = tool.locator(".ovop-ideas-summary")
    expect(summary).to_contain_text("Прошли отсев 3 из 8 идей. Короткий список (3)")
    expect(tool.locator("img")).to_have_count(1)
    picture = tool.locator("img").get_attribute("src")
    tool.scroll_into_view_if_needed()
    lab.screenshot("module04-tool-before", tool)

    # Shortlist of 2: the nectar (3rd) drops out and the picture is drawn again.
    top_n = tool.locator(".widget-slider", has_text=t("ideas.control.top_n"))
    top_n.locator(".noUi-handle").focus()
    lab.page.keyboard.press("ArrowLeft")
    expect(top_n.locator(".widget-readout")).to_have_text("2")
    expect(summary).to_contain_text("Короткий список (2)")
    expect(summary).not_to_contain_text("нектар")
    assert tool.locator("img").get_attribute("src") != picture

    # Switching a knock-out rule off warns that it breaks an OVOP principle; jam comes back.
    tool.locator(".widget-checkbox", has_text=t("ideas.knockout.easy_copy")).locator(
        "input").click()
    expect(tool.locator(".ovop-warning")).to_contain_text(t("ideas.rules_off_head"))
    expect(tool.locator(".ovop-ideas-table")).to_contain_text(t("ideas.status.passed"))
    lab.screenshot("module04-tool-after", tool)

    # An own score through the editor: nectar's demand 4 → 5, marked ✎ in the table.
    tool.locator(".jupyter-widget-Collapse-header", has_text=t("ideas.head.overrides")).click()
    nectar = "Облепиховый нектар с мёдом, 0,5 л (sb_juice)"
    tool.locator("select").nth(0).select_option(label=nectar)
    tool.locator("select").nth(1).select_option(label=t("ideas.criterion.demand"))
    expect(tool).to_contain_text(t("ideas.editor.from_data", score=4))
    tool.locator(".widget-toggle-buttons button", has_text="5").click()
    tool.locator("button", has_text=t("ideas.editor.apply")).click()
    expect(tool.locator("textarea")).to_have_value(
        f"sb_juice; {t('ideas.criterion.demand')}; 5")
    expect(tool.locator(".ovop-ideas-table")).to_contain_text("5✎")
    lab.screenshot("module04-tool-own-score", tool)

    own = tools.nth(1)
    expect(own.locator(".ovop-ideas-summary")).to_contain_text("Курут с горными травами")
    assert lab.failures() == [], "changing the controls raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"
