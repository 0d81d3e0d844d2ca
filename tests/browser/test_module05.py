"""Module 5 in JupyterLab: Run All works and the market tool answers its controls; on a 1366 ×
768 screen every column of its tables («Сегменты» too) is in sight, and the share field reads
«12,5» as twelve and a half and refuses a value out of range with the range."""

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
    lab.open_and_run(NOTEBOOK, workspace="module05")

    tools = lab.page.locator(".ovop-tool.ovop-tool-market")
    expect(tools).to_have_count(2)  # the lesson case and «your aiyl aimak» (panel); the Python
    # way is text to copy (tests/test_module_content.py runs it and checks what it shows)
    tool = tools.first
    # Step 3's shortlist leads: the tool opens on the pastila, its first idea.
    expect(tool.locator(".ovop-market-shortlist")).to_contain_text("Облепиховая пастила")
    summary = tool.locator(".ovop-market-summary")
    expect(summary).to_contain_text("3 115")      # 62 296 packs × 5 %
    chart = tool.locator(".ovop-market-tabs img:visible")
    expect(chart).to_have_count(1)                # only the open tab's chart is drawn
    lab.wait_until_drawn(chart)
    tool.locator("h3").scroll_into_view_if_needed()
    lab.screenshot("module05-tool-before")
    lab.check_layout(tool)
    lab.check_layout(tools.nth(1))

    # The obtainable share, typed as a Russian speaker types it: 62 296 × 12.5 % ≈ 7 787.
    assert tool.locator(".ovop-number input").count() == 1
    lab.check_number_field(
        tool, t("market.obtainable_share"), good="12,5", bad="50",
        allowed="от 0,5 % до 20 %", back="5",
        used=lambda: (expect(summary).to_contain_text("7 787"),
                      expect(summary).to_contain_text("12,5%")))
    expect(summary).to_contain_text("3 115")
    assert som_units(summary) == 3115

    # Untick the tourists: SAM loses 36 000 packs, SOM = 26 296 × 5 % ≈ 1 315.
    tool.locator(".widget-checkbox", has_text="Туристы").locator("input").click()
    expect(summary).to_contain_text("1 315")
    assert som_units(summary) == 1315

    # Pessimistic scenario: share and purchases × 0.7 → SOM × 0.49 ≈ 644.
    label = t("market.scenario.pessimistic", factor=fmt_number(0.7, 1))
    tool.locator("select").nth(1).select_option(label=label)
    expect(summary).to_contain_text("644")
    assert som_units(summary) == 644

    # The nectar, third on the shortlist: (4 080 + 10 272 + 26 400) × 0.49 × 5 % ≈ 998.
    tool.locator("select").nth(0).select_option(index=2)
    expect(summary).to_contain_text("998")
    assert som_units(summary) == 998

    # The other tabs draw their chart when opened.
    tab = tool.locator(".ovop-market-tabs .lm-TabBar-tab")
    for number, name in ((1, "segments"), (2, "prices")):
        tab.nth(number).click()
        expect(chart).to_have_count(1)
        lab.wait_until_drawn(chart, timeout=10_000)
        lab.screenshot(f"module05-tab-{name}", tool)
    tab.nth(0).click()
    tool.locator("h3").scroll_into_view_if_needed()
    lab.screenshot("module05-tool-after")

    panel = tools.nth(1)   # no tables in the cell, none applied yet: the lesson case
    expect(panel.locator(".ovop-own-data")).to_contain_text(t("own_data.origin.lesson"))
    expect(panel.locator(".ovop-market-summary")).to_contain_text("3 115")
    lab.check_layout(tool)
    lab.screenshot("module05-end")
    assert lab.failures() == [], "changing the controls raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"
