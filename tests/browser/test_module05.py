"""Module 5 in JupyterLab: Run All works and the market tool answers its controls."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ovop_course.fmt import fmt_number
from ovop_course.i18n import t

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/05_market.ipynb"
SOM = re.compile(r"\(SOM\):\s([\d\s\u00a0\u202f]+)\sшт\.")


def som_units(summary) -> int:
    """The SOM volume shown in the tool's summary line, as a number."""
    match = SOM.search(summary.inner_text())
    assert match, f"no SOM line in: {summary.inner_text()!r}"
    return int(re.sub(r"\D", "", match.group(1)))


def test_module05_runs_and_market_tool_follows_controls(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    lab.goto(f"/lab/workspaces/module05/tree/{NOTEBOOK}?reset")
    lab.wait_for_notebook(NOTEBOOK)
    lab.run_all()
    failures = lab.failures()
    assert not failures, "cells of the notebook failed:\n" + "\n\n".join(failures)

    tools = lab.page.locator(".ovop-tool.ovop-tool-market")
    expect(tools).to_have_count(2)  # the lesson case and «your aiyl aimak»
    tool = tools.first
    summary = tool.locator(".ovop-market-summary")
    expect(summary).to_contain_text("3 238")      # 64 752 bottles × 5 %
    expect(tool.locator("img")).to_have_count(3)
    tool.locator("h3").scroll_into_view_if_needed()
    lab.screenshot("module05-tool-before")

    # Untick Bishkek: SAM loses 26 400 bottles, SOM = 38 352 × 5 % ≈ 1 918.
    tool.locator(".widget-checkbox", has_text="Бишкек").locator("input").click()
    expect(summary).to_contain_text("1 918")
    assert som_units(summary) == 1918

    # Pessimistic scenario: share and purchases × 0.7 → SOM × 0.49 ≈ 940.
    label = t("market.scenario.pessimistic", factor=fmt_number(0.7, 1))
    tool.locator("select").nth(1).select_option(label=label)
    expect(summary).to_contain_text("940")
    assert som_units(summary) == 940
    tool.locator("h3").scroll_into_view_if_needed()
    lab.screenshot("module05-tool-after")

    own = tools.nth(1)
    expect(own.locator(".ovop-market-summary")).to_contain_text("пакет 200 г")
    assert lab.failures() == [], "changing the controls raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"
