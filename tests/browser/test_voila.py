"""The «Свои данные» panel in Voila (the course's app mode) at 1366×768.

Voila runs a lesson notebook and shows only its outputs: the tools. The grid of the panel
(ipydatagrid) must render and take typed cells there as in JupyterLab.
"""

from __future__ import annotations

import sys

import pytest
from labserver import free_port, isolated_env, start, stop, wait_until_up
from playwright.sync_api import expect
from test_own_data_panel import open_tab, type_cell

from ovop_course.i18n import catalogue
from ovop_course.schemas import TABLES

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/02_territory.ipynb"
COLUMNS = list(TABLES["lesson/villages"].model_fields)


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Voila serving the course folder (its own HOME, workbook and a free port)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    home = tmp_path_factory.mktemp("voila-home")
    port, log = free_port(), home / "voila.log"
    cmd = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}",
           "--Voila.ip=127.0.0.1", f"--Voila.root_dir={root}", "--show_tracebacks=False"]
    proc = start(cmd, isolated_env(home), log)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/voila/render/{NOTEBOOK}", "", proc, log,
                      timeout=120)
        yield f"http://127.0.0.1:{port}", home
    finally:
        stop(proc)


def test_own_data_panel_works_in_voila(browser, voila):
    url, home = voila
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(f"{url}/voila/render/{NOTEBOOK}")
        tool = page.locator(".ovop-tool.ovop-tool-territory").nth(1)   # «Ваш айыл аймак»
        reserve = tool.locator(".ovop-territory-reserve")
        expect(reserve).to_contain_text("= 810 чел.")
        panel = tool.locator(".ovop-own-data")
        panel.get_by_text("Свои данные", exact=False).first.click()
        villages = open_tab(panel, "territory", "villages")
        expect(villages.locator(".ovop-own-head")).to_contain_text(
            catalogue("ru")["own_data.column.population"])
        villages.locator(".ovop-own-example").click()
        open_tab(panel, "territory", "calendar").locator(".ovop-own-example").click()
        villages = open_tab(panel, "territory", "villages")
        type_cell(page, villages, COLUMNS, 1, "underemployed", "178")
        panel.locator(".ovop-own-apply").click()
        expect(panel.locator(".ovop-own-message")).to_contain_text("Применено")
        expect(reserve).to_contain_text("= 710 чел.")
        for element in page.locator(".ovop-own-grid:visible, .ovop-tool").all():
            box = element.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, box
        assert "Traceback" not in page.inner_text("body")
        page.screenshot(path=str(home / "voila.png"))
    finally:
        context.close()
