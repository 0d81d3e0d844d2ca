"""App mode (``ovop-course app``) in a browser at 1366×768 with the network cut.

The server is started by the course's own command, with its own HOME and workbook and a free
port. Every request to a host other than this computer is aborted and recorded: none may be
made. The start page links every registered tool; a tool's page shows the tool (from a kernel
Voila heated in advance), a control changes the result, and the «Свои данные» panel takes typed
cells and a round trip through its Excel template; nothing reaches past the window's edges.
"""

from __future__ import annotations

import re
import sys
import time
from urllib.parse import urlsplit

import pytest
from labserver import free_port, isolated_env, start, stop, tail, wait_until_up
from playwright.sync_api import expect
from test_own_data_panel import (
    CASES,
    MIGRANT_STAY_SHARE,
    Edit,
    changed,
    expect_shown,
    open_tab,
    template_of,
    territory_shown,
    type_cell,
)

from ovop_course.app import PAGE, label
from ovop_course.fmt import fmt_number
from ovop_course.i18n import catalogue
from ovop_course.steps import territory
from ovop_course.ui import tool_names
from ovop_course.ui._own_data import header, table_title
from ovop_course.workbook import load_workbook

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1366, 768
WORDS = catalogue("ru")
LOCAL = {"127.0.0.1", "localhost"}
HEATED = re.compile(r"Using pre-heated kernel: ([0-9a-f-]+) for " + re.escape(PAGE))
CASE = CASES["02_territory"]


class App:
    """The running app: base URL (no trailing slash), HOME, log and workbook file."""

    def __init__(self, url, home):
        self.url, self.home = url, home
        self.log, self.workbook = home / "app.log", home / "ovop_workbook.json"

    def tool_url(self, name: str) -> str:
        return f"{self.url}/voila/render/{PAGE}?name={name}"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, count: int = 1, timeout: float = 90) -> None:
        """Wait until the server's log says ``text`` at least ``count`` times."""
        began = time.monotonic()
        while self.log_text().count(text) < count:
            assert time.monotonic() - began < timeout, f"no «{text}» in:\n{tail(self.log)}"
            time.sleep(0.25)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """``ovop-course app`` serving on a free port, until its heated kernels are ready."""
    home = tmp_path_factory.mktemp("app-home")
    port = free_port()
    running = App(f"http://127.0.0.1:{port}", home)
    proc = start([sys.executable, "-m", "ovop_course", "app", "--no-browser", "--port",
                  str(port)], isolated_env(home), running.log)
    try:
        wait_until_up(f"{running.url}/", "", proc, running.log, timeout=120)
        running.wait_for_log(f"Kernel pool of {PAGE} is filled")
        yield running
    finally:
        stop(proc)


@pytest.fixture
def workbook(app):
    """A trainee's new workbook for each test (module 0 filled in), removed afterwards."""
    load_workbook(app.workbook, create_if_missing={
        "trainee": "Тест", "aiyl_aimak": "Чычырканак", "region": "Иссык-Кульская область"})
    yield app.workbook
    app.workbook.unlink(missing_ok=True)


@pytest.fixture
def offline(browser, app):
    """A page at 1366×768 that reaches this computer only: (page, the other URLs asked for)."""
    outside: list[str] = []

    def cut(route):
        if urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    context.set_default_timeout(60_000)
    context.route("**/*", cut)
    page = context.new_page()
    yield page, outside
    page.screenshot(path=str(app.home / "last.png"))
    context.close()


def out_of_view(page) -> list[str]:
    """What reaches past the window's left or right edge: a sideways scroll of the page, or
    a shown part of a tool or of the start page (of a grid, its box: the grid clips the
    canvas it draws on)."""
    return page.evaluate("""width => {
        const found = [];
        const scroll = document.documentElement.scrollWidth;
        if (scroll > width) found.push(`the page is ${scroll} px wide`);
        for (const e of document.querySelectorAll('.ovop-tool, .ovop-tool *, .ovop-app-tool')) {
            if (e.parentElement.closest('.ovop-own-grid')) continue;
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && (r.left < 0 || r.right > width + 0.5))
                found.push(`${e.tagName}.${e.className}: ${r.left}…${r.right}`);
        }
        return found;
    }""", WIDTH)


def reserve_text(count_not_employed: bool = False) -> str:
    """The labour reserve the territory tool must show for the lesson case, from the step's
    own functions."""
    totals = territory.aimak_totals(CASE.lesson()["villages"])
    reserve = territory.labour_reserve(totals, MIGRANT_STAY_SHARE, count_not_employed)
    unit = WORDS["territory.num.reserve_formula"].rsplit("{r}", 1)[1]
    return f"= {fmt_number(reserve)}{unit}"


def heated_kernel_of_last_view(app) -> str:
    """The id of the heated kernel the server gave the latest page view."""
    found = HEATED.findall(app.log_text())
    assert found, f"no page view was given a heated kernel:\n{tail(app.log)}"
    return found[-1]


def test_start_page_links_every_tool_offline(app, offline):
    page, outside = offline
    page.goto(f"{app.url}/")
    expect(page.locator("h1")).to_have_text(WORDS["app.start_title"])
    links = page.locator("a.ovop-app-tool")
    expect(links).to_have_count(len(tool_names()))
    names = [urlsplit(a.get_attribute("href")).query.removeprefix("name=") for a in links.all()]
    assert sorted(names) == tool_names()
    assert names[:3] == ["start", "concept_quiz", "territory"]      # course order
    texts = dict(zip(names, links.all_inner_texts()))
    assert texts["territory"].split("\n") == [WORDS["app.step"].format(number=1),
                                              WORDS["territory.title"]]
    assert texts["start"].split("\n") == [WORDS["app.module"].format(number=0),
                                          WORDS["start.title"]]
    ideas = WORDS["ideas.title"]                                    # «Шаг 3. …» said once
    assert texts["ideas"].split("\n") == [label("ideas"), ideas.removeprefix("Шаг 3. ")]
    assert all(href.startswith(f"/voila/render/{PAGE}?name=")
               for href in (a.get_attribute("href") for a in links.all()))
    assert out_of_view(page) == []
    assert outside == []


def test_a_tool_page_is_ready_from_a_heated_kernel_and_a_control_changes_the_result(
        app, workbook, offline):
    page, outside = offline
    page.goto(f"{app.url}/")
    views = len(HEATED.findall(app.log_text()))
    page.locator("a.ovop-app-tool", has_text=WORDS["territory.title"]).click()
    tool = page.locator(".ovop-tool.ovop-tool-territory")
    expect(tool).to_be_visible(timeout=60_000)   # how fast: make bench («app»), not a test
    assert len(HEATED.findall(app.log_text())) == views + 1, "not a heated kernel"
    reserve = tool.locator(".ovop-territory-reserve")
    expect(reserve).to_contain_text(reserve_text())
    tool.get_by_text(WORDS["territory.control.count_not_employed"]).click()
    expect(reserve).to_contain_text(reserve_text(count_not_employed=True))
    assert reserve_text(count_not_employed=True) != reserve_text()
    assert out_of_view(page) == []
    assert "Traceback" not in page.inner_text("body")
    page.get_by_text(WORDS["app.back"]).click()
    expect(page.locator("h1")).to_have_text(WORDS["app.start_title"])
    assert outside == []


def test_own_data_typed_and_excel_round_trip_in_the_app(app, workbook, offline, tmp_path):
    """Typed cells applied, then the template downloaded (it holds them), changed in one cell
    and uploaded; a page view after that, from a kernel heated before the data were saved,
    starts from the workbook's data."""
    page, outside = offline
    columns = CASE.tool.own_tables["villages"].columns
    page.goto(app.tool_url("territory"))
    tool = page.locator(".ovop-tool.ovop-tool-territory")
    reserve = tool.locator(".ovop-territory-reserve")
    expect(reserve).to_contain_text(reserve_text(), timeout=60_000)   # the page's start
    panel = tool.locator(".ovop-own-data")
    panel.get_by_text(WORDS["own_data.title"].split("·")[0].strip()).first.click()
    for table in CASE.lesson():
        open_tab(panel, "territory", table).locator(".ovop-own-example").click()
    for edit in CASE.typed:
        type_cell(page, open_tab(panel, "territory", edit.table), columns, edit.row,
                  edit.column, edit.text)
    panel.locator(".ovop-own-apply").click()
    expect(panel.locator(".ovop-own-message")).to_contain_text(WORDS["own_data.applied"])
    expect_shown(tool, territory_shown(changed(CASE, CASE.typed)))
    assert out_of_view(page) == []

    book = template_of(panel)                       # the trainee's rows, typed just now
    sheet = book[table_title("territory", "villages")]
    assert [c.value for c in sheet[1]] == [header(c) for c in columns]
    where = (2, columns.index("underemployed") + 1)
    assert sheet.cell(*where).value == 178
    sheet.cell(*where).value = 78
    upload = tmp_path / "мой аймак.xlsx"
    book.save(upload)
    with page.expect_file_chooser() as chooser:
        panel.locator(".ovop-own-upload").click()
    chooser.value.set_files(str(upload))
    expect(panel.locator(".ovop-own-message")).to_contain_text(
        WORDS["own_data.uploaded"].format(file=upload.name))
    trip = changed(CASE, (*CASE.typed, Edit("villages", 1, "underemployed", 78)))
    expect_shown(tool, territory_shown(trip))
    saved_at = len(app.log_text())

    page.goto(app.tool_url("territory"))
    tool = page.locator(".ovop-tool.ovop-tool-territory")
    expect(tool.locator(".ovop-own-data")).to_contain_text(WORDS["own_data.origin.workbook"])
    expect_shown(tool, territory_shown(trip))
    kernel = heated_kernel_of_last_view(app)
    assert f"Kernel started: {kernel}" in app.log_text()[:saved_at], \
        "the view's kernel was not heated before the data were saved"
    assert "Traceback" not in page.inner_text("body")
    assert outside == []
