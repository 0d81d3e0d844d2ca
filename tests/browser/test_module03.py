"""Module 3 in JupyterLab: Run All works and the raw-materials tool answers its controls; on a
1366 × 768 screen every column is in sight, the selected production months look selected, and
the number fields read «12,5» as twelve and a half and refuse a value out of range with the
range."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ovop_course.i18n import t

pytestmark = pytest.mark.browser


NOTEBOOK = "notebooks/03_raw_materials.ipynb"


def test_module03_runs_and_raw_materials_tool_follows_controls(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    lab.open_and_run(NOTEBOOK, workspace="module03")

    tools = lab.page.locator(".ovop-tool.ovop-tool-raw_materials")
    expect(tools).to_have_count(2)  # the lesson case and «your aiyl aimak» (panel); the Python
    # way is text to copy (tests/test_module_content.py runs it and checks what it shows)
    tool = tools.first
    summary = tool.locator(".ovop-raw-summary")
    # garden sea buckthorn, frozen 270 days: 9 520 kg a year / 12 months; 0.3 kg a bottle
    expect(summary).to_contain_text(t("raw_materials.summary.mode",
                                      mode=t("raw_materials.summary.mode_storage")))
    expect(summary).to_contain_text("793 кг")
    expect(summary).to_contain_text("2 644")
    expect(tool.locator(".ovop-raw-risks")).to_contain_text("Цена скачет по месяцам")
    chart = tool.locator(".ovop-raw-tabs img:visible")
    expect(chart).to_have_count(1)  # only the open tab's chart is shown
    supply = tool.locator(".ovop-raw-supply")
    lab.wait_until_drawn(supply)
    summary.scroll_into_view_if_needed()
    lab.screenshot("module03-tool-before")
    lab.check_layout(tool)
    lab.check_layout(tools.nth(1))
    check_months_look_selected(lab, tool)
    check_number_fields(lab, tool, summary)

    # Without storage nothing is left for May–August: the stable supply drops to zero. The
    # chart shows both modes already, so it is not redrawn.
    supply_chart = supply.get_attribute("src")
    tool.locator(".widget-checkbox",
                 has_text=t("raw_materials.control.storage")).locator("input").click()
    expect(summary).to_contain_text(t("raw_materials.summary.mode",
                                      mode=t("raw_materials.summary.mode_fresh")))
    expect(summary).to_contain_text("0 (бутылка 0,5 л)")
    expect(supply).to_have_attribute("src", supply_chart)

    # Honey keeps two years: its own storage life comes with it, 5 600 kg × 0.7 / 12 ≈ 327.
    tool.locator(".widget-checkbox",
                 has_text=t("raw_materials.control.storage")).locator("input").click()
    tool.locator("select").first.select_option(label="Мёд (разнотравье, эспарцет)")
    expect(summary).to_contain_text("327 кг")
    expect(tool.locator(".widget-text", has_text=t("raw_materials.control.storage_life_days"))
           .locator("input")).to_have_value("730")
    # the loss slider holds a share, as the workbook saves it, and shows it in percent
    loss = tool.locator(".ovop-slider-field",
                        has_text=t("raw_materials.control.storage_loss_share"))
    expect(loss.locator(".ovop-number input")).to_have_value("0")
    # typed as a Russian speaker types: 12,5 % is twelve and a half per cent, not 125
    loss.locator(".ovop-number input").fill("12,5")
    loss.locator(".ovop-number input").press("Enter")
    expect(tool.locator(".ovop-raw-summary")).to_contain_text("12,5%")
    # a value beyond the slider's end is refused with the range, not cut to 20 %
    loss.locator(".ovop-number input").fill("50")
    loss.locator(".ovop-number input").press("Enter")
    expect(tool.locator(".ovop-error")).to_contain_text("Введите число от 0 % до 20 %")
    expect(tool.locator(".ovop-raw-summary")).to_contain_text("12,5%")
    loss.locator(".ovop-number input").fill("0")
    loss.locator(".ovop-number input").press("Enter")
    expect(tool.locator(".ovop-error")).to_have_text("")
    expect(supply).not_to_have_attribute("src", supply_chart)
    lab.wait_until_drawn(supply)
    summary.scroll_into_view_if_needed()
    lab.screenshot("module03-tool-after")

    # The other tabs draw their chart when opened.
    tab = tool.locator(".ovop-raw-tabs .lm-TabBar-tab")
    for number, name in ((1, "season"), (2, "price")):
        tab.nth(number).click()
        expect(chart).to_have_count(1)
        expect(chart).to_have_class(re.compile(f"ovop-raw-{name}"))
        lab.wait_until_drawn(chart, timeout=10_000)
        lab.screenshot(f"module03-tab-{name}", tool)
    tab.nth(0).click()

    panel = tools.nth(1)   # no tables in the cell, none applied yet: the lesson case
    expect(panel.locator(".ovop-own-data")).to_contain_text(t("own_data.origin.lesson"))
    expect(panel.locator(".ovop-raw-summary")).to_contain_text("793 кг")
    lab.check_layout()
    lab.screenshot("module03-end")
    assert lab.failures() == [], "changing the controls raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"


# The colours of the first production month (an option of the list) as Chromium shows them.
_OPTION_COLOURS = """select => { const s = getComputedStyle(select.options[0]);
    return [select.options[0].selected, s.color, s.backgroundColor]; }"""


def check_months_look_selected(lab, tool) -> None:
    """All 12 months are selected at the start: the list shows them in white on blue, not in
    the grey Chromium gives to the selection of a list without the focus (it looked disabled)."""
    months = tool.locator(".widget-select-multiple select")
    months.evaluate("select => select.blur()")
    selected, colour, background = months.evaluate(_OPTION_COLOURS)
    assert selected and (colour, background) == ("rgb(255, 255, 255)", "rgb(25, 118, 210)")


def check_number_fields(lab, tool, summary) -> None:
    """The storage life (whole days, at least 1) and the planned use (at least 0): a value as
    a trainee types it is used, one out of range is refused with the range and the starting
    value clears the message. (The loss slider's field is checked by the test above.)"""
    assert tool.locator(".ovop-number input").count() == 3
    label = t("raw_materials.control.storage_life_days")
    lab.type_number(lab.number_input(tool, label), "12,5")
    expect(tool.locator(".ovop-error")).to_contain_text(
        t("checks.not_whole", field=label, value="12,5"))
    lab.check_number_field(   # 45 days: k = ⌊45 / 30⌋ = 1 month, storage does not help
        tool, label, good="45", bad="0", allowed="не меньше 1", back="270",
        used=lambda: expect(summary).to_contain_text(t("raw_materials.summary.short_life")))
    expect(summary).to_contain_text("793 кг")
    lab.check_number_field(
        tool, t("raw_materials.control.planned_use"), good="12,5", bad="-5",
        allowed="не меньше 0", back="500",
        used=lambda: expect(summary).to_contain_text(
            t("raw_materials.summary.plan", use="12,5", unit="кг")))
