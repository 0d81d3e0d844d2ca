"""Module 2 in JupyterLab: Run All works, the territory tool follows its controls and saves;
on a 1366 × 768 screen every column of its tables is in sight, and its number fields read
«12,5» as twelve and a half and refuse a value out of range with the range."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ovop_course.fmt import fmt_number
from ovop_course.i18n import t
from ovop_course.workbook import load_workbook

pytestmark = pytest.mark.browser


NOTEBOOK = "notebooks/02_territory.ipynb"
# Sum of the free shares of the 12 months of data/lesson/labour_calendar.csv, by hand:
# 0.61 × 3 (Dec–Feb) + 0.55 × 2 (Mar, Nov) + 0.37 + 0.31 + 0.20 + 0.05 × 2 + 0.15 + 0.25
FREE_SUM = 4.31


def year_days(text: str) -> int:
    """The person-days of the year in the tool's total line («Доступно за год: N ...»)."""
    match = re.search(r"за год:\s([\d\s\u00a0\u202f]+)\sчеловеко-дней", text)
    assert match, f"no total line in: {text!r}"
    return int(re.sub(r"\D", "", match.group(1)))


def test_module02_runs_and_territory_tool_follows_controls(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    lab.open_and_run(NOTEBOOK, workspace="module02")

    tools = lab.page.locator(".ovop-tool.ovop-tool-territory")
    expect(tools).to_have_count(2)  # the lesson case and «your aiyl aimak» (panel); the Python
    # way is text to copy (tests/test_module_content.py runs it and checks its 424 people)
    tool = tools.first
    reserve, total = tool.locator(".ovop-territory-reserve"), tool.locator(".ovop-territory-total")
    # 729 underemployed + 20 % of 404 migrants = 809.8 people
    expect(reserve).to_contain_text("= 810 чел.")
    assert year_days(total.inner_text()) == round(809.8 * 22 * 0.3 * FREE_SUM)   # 23 036
    expect(tool.locator(".ovop-territory-labour")).to_be_visible()
    expect(tool.locator(".ovop-error")).to_have_text("")
    lab.check_layout(tool)
    lab.check_layout(tools.nth(1))
    lab.screenshot("module02-tool-before", tool)

    check_number_fields(lab, tool, reserve, total)

    # Count the 561 not-employed working-age people too: reserve 1 370.8.
    tool.locator(".widget-checkbox", has_text="незанятых").locator("input").click()
    expect(reserve).to_contain_text("= 1 371 чел.")
    expect(total).to_contain_text("38 994")           # 1 370.8 × 22 × 0.3 × 4.31
    assert year_days(total.inner_text()) == round(1370.8 * 22 * 0.3 * FREE_SUM)

    # One step right on the participation slider: 30 % → 35 %.
    handle = tool.locator(".widget-slider", has_text="включится").locator(".noUi-handle")
    handle.focus()
    handle.press("ArrowRight")
    expect(total).to_contain_text("45 493")           # 1 370.8 × 22 × 0.35 × 4.31
    lab.screenshot("module02-tool-after", tool)

    # The other tabs show what does not depend on the controls.
    tab = tool.locator(".ovop-territory-tabs .lm-TabBar-tab")
    tab.nth(1).click()
    expect(tool.locator(".ovop-territory-summary")).to_contain_text("Ненадёжное электричество")
    lab.screenshot("module02-tab-summary", tool)
    for number, name in ((2, "people"), (3, "skills"), (4, "rules")):
        tab.nth(number).click()
        if name != "rules":   # the chart of a data tab is drawn when the tab is first opened
            expect(tool.locator(".ovop-territory-tabs img:visible")).to_have_count(1)
        lab.screenshot(f"module02-tab-{name}", tool)
    expect(tool.locator(".ovop-territory-tabs img:visible")).to_have_count(0)   # rules: a table
    tab.nth(0).click()

    # The save button writes the section into the trainee's workbook (HOME of the server).
    workbook = lab.server.log.parent / "ovop_workbook.json"
    load_workbook(workbook, create_if_missing={"trainee": "Тест", "aiyl_aimak": "Чычырканак",
                                               "region": "Иссык-Кульская область"})
    tool.locator(".ovop-save").click()
    expect(tool.locator(".ovop-error")).to_contain_text("Сохранено")
    section = load_workbook(workbook).step01_territory
    assert section.labour_reserve == pytest.approx(1370.8)
    assert section.person_days[0] == pytest.approx(1370.8 * 22 * 0.61 * 0.35, abs=0.1)

    panel = tools.nth(1)   # no tables in the cell, none applied yet: the lesson case
    expect(panel.locator(".ovop-own-data")).to_contain_text(t("own_data.origin.lesson"))
    expect(panel.locator(".ovop-error")).to_have_text("")
    expect(panel.locator(".ovop-territory-reserve")).to_contain_text("= 810 чел.")
    lab.check_layout()
    lab.screenshot("module02-end")
    assert lab.failures() == [], "changing the controls raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"


def check_number_fields(lab, tool, reserve, total) -> None:
    """Each of the tool's four number fields: a value with a comma is used, one out of range is
    refused with the range, and the field's starting value clears the message."""
    def days(stay=0.2, participation=0.3, working_days=22) -> str:
        return fmt_number((729 + stay * 404) * working_days * participation * FREE_SUM)

    assert tool.locator(".ovop-number input").count() == 4
    lab.check_number_field(   # 729 + 12.5 % of 404 migrants = 779.5 people, shown as typed
        tool, t("territory.control.migrant_stay_share"), good="12,5", bad="150",
        allowed="от 0 % до 100 %", back="20",
        used=lambda: (expect(reserve).to_contain_text(f"= {fmt_number(779.5)} чел."),
                      expect(reserve).to_contain_text("12,5%")))
    expect(reserve).to_contain_text("= 810 чел.")
    lab.check_number_field(
        tool, t("territory.control.participation"), good="12,5", bad="2",
        allowed="от 5 % до 100 %", back="30",
        used=lambda: expect(total).to_contain_text(f"за год: {days(participation=0.125)} "))
    label = t("territory.control.working_days")
    lab.type_number(lab.number_input(tool, label), "12,5")   # days are whole
    expect(tool.locator(".ovop-error")).to_contain_text(
        t("checks.not_whole", field=label, value="12,5"))
    lab.check_number_field(
        tool, label, good="20", bad="40", allowed="от 1 до 31", back="22",
        used=lambda: expect(total).to_contain_text(f"за год: {days(working_days=20)} "))
    hours = fmt_number((729 + 0.2 * 404) * 22 * 0.3 * FREE_SUM * 7.5)
    lab.check_number_field(
        tool, t("territory.control.hours_per_day"), good="7,5", bad="13",
        allowed="от 1 до 12", back="8",
        used=lambda: expect(total).to_contain_text(f"({hours} человеко-часов)"))
    expect(total).to_contain_text(f"за год: {days()} ")
