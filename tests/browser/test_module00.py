"""Module 0 in JupyterLab: Run All works, the form creates the workbook, the menus it names exist.

The form is filled in as a trainee does (typing, clicking), on a 1366×768 screen, in Russian and
in English; the test leaves the workbook of the test server in Russian (other modules' tests
read its language).
"""

from __future__ import annotations

import re

import nbformat
import pytest
from playwright.sync_api import expect

from ovop_course.i18n import catalogue
from ovop_course.workbook import load_workbook, update_workbook

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/00_start.ipynb"
SMALL_SCREEN = {"width": 1366, "height": 768}
# «**Ядро → Прервать выполнение ядра** (Kernel → Interrupt Kernel)» in module 0's text
MENU_PAIR = re.compile(r"\*\*([^*\n]+?) → ([^*\n]+?)\*\* \(([^()\n]+?) → ([^()\n]+?)\)")


def menu_paths(root) -> list[tuple[str, str]]:
    nb = nbformat.read(root / NOTEBOOK, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return [(menu, item) for menu, item, _, _ in MENU_PAIR.findall(text)]


def fits(locator) -> bool:
    """The element shows all of its content without scrolling sideways, inside the window."""
    return locator.evaluate(
        "e => e.scrollWidth <= e.clientWidth + 1"
        " && e.getBoundingClientRect().right <= window.innerWidth")


def test_module00_runs_and_its_menus_exist_in_the_russian_lab(lab):
    saved = (lab.server.root / NOTEBOOK).read_bytes()
    lab.page.set_viewport_size(SMALL_SCREEN)
    lab.open_and_run(NOTEBOOK, workspace="module00")
    expect(lab.page.locator(".ovop-tool.ovop-tool-start")).to_be_visible()

    paths = menu_paths(lab.server.root)
    assert len(paths) >= 3
    bar = lab.page.locator("#jp-MainMenu")
    for menu, item in paths:
        bar.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
        opened = lab.page.locator(".lm-Menu:visible .lm-Menu-itemLabel")
        expect(opened.get_by_text(item, exact=True)).to_have_count(1)
        lab.page.keyboard.press("Escape")

    assert lab.failures() == []
    assert (lab.server.root / NOTEBOOK).read_bytes() == saved, "the test changed the notebook"


def test_module00_form_creates_the_workbook_in_russian_and_english(lab):
    workbook = lab.server.log.parent / "ovop_workbook.json"   # HOME of the test server
    lab.page.set_viewport_size(SMALL_SCREEN)
    lab.open_and_run(NOTEBOOK, workspace="module00-form")
    form = lab.page.locator(".ovop-tool.ovop-tool-start")
    save, message = form.locator(".ovop-start-save"), form.locator(".ovop-error")
    form.scroll_into_view_if_needed()
    try:
        if not workbook.exists():
            expect(form.locator(".ovop-start-status")).to_contain_text("Тетради ещё нет")
            save.click()
            expect(message).to_contain_text(
                "заполните: «имя слушателя», «айыл аймак», «область»")
            assert not workbook.exists()
            form.locator(".ovop-start-trainee input").fill("Тест Тестов")
            form.locator(".ovop-start-aiyl_aimak input").fill("Чычырканак")
            form.locator(".ovop-start-region input").fill("Иссык-Кульская область")
            lab.screenshot("module00-form-filled", form)
            save.click()
            expect(message).to_contain_text("Рабочая тетрадь создана")
        wb = load_workbook(workbook)
        status = form.locator(".ovop-start-status")
        expect(status).to_contain_text(wb.trainee)
        expect(status).to_contain_text("не перезапишет")
        expect(form.locator(".ovop-start-trainee")).to_be_hidden()
        expect(save).to_have_text("Сохранить язык")
        assert fits(form)
        lab.screenshot("module00-form-ru", form)

        form.locator(".ovop-start-language select").select_option(label="English")
        save.click()
        expect(message).to_contain_text("Language of the tools saved: English")
        expect(form.locator("h3")).to_have_text(catalogue("en")["start.title"])
        expect(status).to_contain_text("language of the tools: English")
        assert load_workbook(workbook).language == "en"
        assert fits(form)
        lab.screenshot("module00-form-en", form)

        form.locator(".ovop-start-language select").select_option(label="Русский")
        save.click()
        expect(message).to_contain_text("Язык инструментов сохранён: Русский")
        after = load_workbook(workbook)
        assert (after.language, after.trainee, after.created_at) == ("ru", wb.trainee,
                                                                     wb.created_at)
    finally:   # the other modules' tests expect Russian tools
        if workbook.exists() and load_workbook(workbook).language != "ru":
            update_workbook(lambda w: setattr(w, "language", "ru"), workbook)
    assert lab.failures() == []
