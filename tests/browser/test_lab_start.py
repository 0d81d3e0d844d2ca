"""``ovop-course lab`` serves JupyterLab, and its default URL opens module 0."""

from __future__ import annotations

import re

import pytest
from labserver import get
from playwright.sync_api import expect

from ovop_course.cli import START_PAGE

pytestmark = pytest.mark.browser


def test_lab_page_answers(lab_server):
    status, _ = get(f"{lab_server.url}/lab", lab_server.token)
    assert status == 200


def test_server_root_opens_module_0(lab):
    lab.goto("/")
    lab.page.wait_for_url(re.compile(rf"/lab/tree/{re.escape(START_PAGE)}"))
    lab.wait_for_notebook(START_PAGE)
    assert lab.current_path() == START_PAGE
    tab = lab.page.locator("#jp-main-dock-panel .lm-TabBar-tab.jp-mod-current")
    expect(tab).to_have_count(1)
    expect(tab).to_contain_text(START_PAGE.rsplit("/", 1)[-1])
    expect(lab.page.locator(".jp-NotebookPanel:visible .jp-Cell").first).to_be_visible()
    lab.screenshot("lab-start-module0")


def test_interface_is_in_russian(lab):
    lab.goto("/lab")
    lab.page.wait_for_selector("#jp-MainMenu")
    expect(lab.page.locator("#jp-MainMenu")).to_contain_text("Файл")
