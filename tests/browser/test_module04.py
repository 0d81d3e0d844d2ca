"""Module 4 in JupyterLab: Run All works and the ideas tool answers its controls; on a
1366 × 768 screen every column of the scores table is in sight (why an idea was rejected
too), the number fields refuse a value out of range with the range, and the score editor starts
on the first idea and says why when a click has nothing to write."""

from __future__ import annotations

import re
from html import unescape

import pytest
from playwright.sync_api import expect

import ovop_course
from ovop_course.fmt import fmt_percent, fmt_typed
from ovop_course.i18n import t
from ovop_course.steps import ideas
from ovop_course.ui.ideas import IdeasTool

pytestmark = pytest.mark.browser


NOTEBOOK = "notebooks/04_ideas.ipynb"


def test_module04_runs_and_ideas_tool_follows_controls(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    lab.open_and_run(NOTEBOOK, workspace="module04")

    tools = lab.page.locator(".ovop-tool.ovop-tool-ideas")
    expect(tools).to_have_count(2)  # the lesson case and «your aiyl aimak» (panel); the Python
    # way is text to copy (tests/test_module_content.py runs it and checks what it shows)
    tool = tools.first
    summary = tool.locator(".ovop-ideas-summary")
    expect(summary).to_contain_text("Прошли отсев 3 из 8 идей. Короткий список (3)")
    expect(tool.locator("img")).to_have_count(1)
    picture = tool.locator("img").get_attribute("src")
    lab.screenshot("module04-tool-before", tool)
    lab.check_layout(tool)
    lab.check_layout(tools.nth(1))
    expect(tool.locator(".ovop-ideas-scores tr.ovop-reasons")).to_have_count(5)   # rejected
    check_number_fields(lab, tool, summary)

    # Shortlist of 2: the nectar (3rd) drops out and the picture is drawn again.
    top_n = tool.locator(".widget-slider", has_text=t("ideas.control.top_n"))
    top_n.locator(".noUi-handle").focus()
    lab.page.keyboard.press("ArrowLeft")
    expect(lab.number_input(tool, t("ideas.control.top_n"))).to_have_value("2")
    expect(summary).to_contain_text("Короткий список (2)")
    expect(summary).not_to_contain_text("нектар")
    assert tool.locator("img").get_attribute("src") != picture

    # Switching a knock-out rule off warns that it breaks an OVOP principle; jam comes back.
    tool.locator(".widget-checkbox", has_text=t("ideas.knockout.easy_copy")).locator(
        "input").click()
    expect(tool.locator(".ovop-warning")).to_contain_text(t("ideas.rules_off_head"))
    expect(tool.locator(".ovop-ideas-table")).to_contain_text(t("ideas.status.passed"))
    lab.screenshot("module04-tool-after", tool)

    # An own score through the editor: nectar's demand 4 → 5, marked ✎ in the table. The
    # editor starts on the first idea; a click that changes nothing says so.
    tool.locator(".jupyter-widget-Collapse-header", has_text=t("ideas.head.overrides")).click()
    nectar = "Облепиховый нектар с мёдом, 0,5 л (sb_juice)"
    expect(tool.locator("select").nth(0).locator("option:checked")).to_have_text(nectar)
    first_criterion = ideas.criterion_name(ideas.CRITERIA[0])
    expect(tool).to_contain_text(t("ideas.editor.from_data", score=4))
    tool.locator("button", has_text=t("ideas.editor.apply")).click()
    expect(tool.locator(".ovop-error")).to_contain_text(t(
        "ideas.editor.unchanged", idea=nectar, criterion=first_criterion,
        score=t("ideas.editor.auto")))
    tool.locator("select").nth(0).select_option(label=nectar)
    tool.locator("select").nth(1).select_option(label=t("ideas.criterion.demand"))
    expect(tool).to_contain_text(t("ideas.editor.from_data", score=4))
    tool.locator(".widget-toggle-buttons button", has_text="5").click()
    tool.locator("button", has_text=t("ideas.editor.apply")).click()
    expect(tool.locator("textarea")).to_have_value(
        f"sb_juice; {t('ideas.criterion.demand')}; 5")
    expect(tool.locator(".ovop-ideas-table")).to_contain_text("5✎")
    expect(tool.locator(".ovop-error")).to_have_text("")
    lab.screenshot("module04-tool-own-score", tool)

    panel = tools.nth(1)   # no tables in the cell, none applied yet: the lesson case
    expect(panel.locator(".ovop-own-data")).to_contain_text(t("own_data.origin.lesson"))
    expect(panel.locator(".ovop-ideas-summary")).to_contain_text(
        "Прошли отсев 3 из 8 идей. Короткий список (3)")
    lab.check_layout()
    lab.screenshot("module04-end")
    assert lab.failures() == [], "changing the controls raised an error"
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"


def shown_by(tool: IdeasTool, **values) -> tuple[str, list[str]]:
    """The summary line and the «В первых N» column the lesson tool shows for ``values`` (the
    same tool built in the test's process, set to the same values)."""
    tool.set(**values)
    summary = unescape(re.sub(r"<[^>]+>", "", IdeasTool._summary_html(tool.result)))
    shares = [fmt_percent(row.stability_share, 0) if row.eligible else "—"
              for row in tool.result.table.itertuples()]
    return summary, shares


def check_number_fields(lab, tool, summary) -> None:
    """The eight weights (whole, 0–5), the length of the shortlist (1–8) and the spread of the
    weights (0–50 %): a value as a trainee types it gives what the tool computes for it, a value
    out of range is refused with the range, and the starting value clears the message."""
    here = ovop_course.tool("ideas")
    shares = tool.locator(".ovop-ideas-scores tr.ovop-idea td:nth-child(12)")

    def used(**values):
        text, column = shown_by(here, **values)
        return lambda: (expect(summary).to_have_text(text), expect(shares).to_have_text(column))

    assert tool.locator(".ovop-number input").count() == len(ideas.CRITERIA) + 2
    first = ideas.criterion_name(ideas.CRITERIA[0])
    lab.type_number(lab.number_input(tool, first), "2,5")   # weights are whole
    expect(tool.locator(".ovop-error")).to_contain_text(
        t("checks.not_whole", field=first, value="2,5"))
    for key in ideas.CRITERIA:
        start = fmt_typed(ideas.DEFAULT_WEIGHTS[key])
        lab.check_number_field(tool, ideas.criterion_name(key), good="2", bad="6",
                               allowed="от 0 до 5", back=start, used=used(**{f"w_{key}": 2}))
        here.set(**{f"w_{key}": ideas.DEFAULT_WEIGHTS[key]})
    lab.check_number_field(tool, t("ideas.control.top_n"), good="2", bad="9",
                           allowed="от 1 до 8", back="3", used=used(top_n=2))
    here.set(top_n=3)
    picture = tool.locator("img").get_attribute("src")
    lab.check_number_field(   # the chart is drawn again for ±12.5 %, not for ±10 % or ±15 %
        tool, t("ideas.control.spread"), good="12,5", bad="60", allowed="от 0 % до 50 %",
        back="30", used=lambda: (used(spread=0.125)(),
                                 expect(tool.locator("img")).not_to_have_attribute("src", picture)))
    expect(summary).to_contain_text("Прошли отсев 3 из 8 идей. Короткий список (3)")
