"""The step 6 costing tool in JupyterLab at 1366 × 768: a notebook of one cell shows it; a new
price typed into its price field (as a Russian speaker types it, «230» then «215,5») changes
the unit margin, break-even, working capital and NPV shown and redraws the tornado; a price out
of range is refused with the range; every table column is in sight with each tab open, no
label is cut, no traceback — in Russian and in English.

The tool alone, not module 7's Run All (tests/browser/test_module07.py): the test writes a
notebook of one cell into a temporary folder under ``artifacts/`` (the lab server serves the
course folder, and ``artifacts/`` is ignored by git) and removes it afterwards.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from ovop_course.i18n import catalogue, t

pytestmark = pytest.mark.browser

CELL = 'import ovop_course; ovop_course.tool("technology", lesson=True)'
KEYS = ("margin", "break-even", "working-capital", "npv")


@pytest.fixture
def notebook(lab) -> str:
    """A notebook of one cell that shows the tool, in a fresh folder the server serves."""
    folder = Path(tempfile.mkdtemp(prefix="technology-", dir=_artifacts(lab.server.root)))
    path = folder / "technology.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    yield path.relative_to(lab.server.root).as_posix()
    shutil.rmtree(folder, ignore_errors=True)


def _artifacts(root: Path) -> Path:
    folder = root / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


def number(tool, key: str):
    """The bold number of one of the key numbers (its note is under it, in small print)."""
    return tool.locator(f".ovop-tech-summary .ovop-tech-{key} b")


def shown(tool) -> dict[str, str]:
    """The key numbers as the page shows them, each with its note."""
    return {key: tool.locator(f".ovop-tech-summary .ovop-tech-{key}").inner_text()
            for key in KEYS}


def tornado_source(lab, tool) -> str:
    image = tool.locator(".ovop-tech-tabs img.ovop-tech-tornado")
    lab.wait_until_drawn(image)
    return image.get_attribute("src")


def test_a_typed_price_changes_the_key_numbers_and_the_tornado(lab, notebook):
    lab.open_and_run(notebook, workspace="technology-tool")
    tool = lab.page.locator(".ovop-tool.ovop-tool-technology")
    expect(tool).to_have_count(1)
    expect(tool.locator(".ovop-tech-summary")).to_contain_text(t("technology.key.cost"))
    chart = tool.locator(".ovop-tech-tabs img:visible")
    expect(chart).to_have_count(1)                 # only the open tab's chart is drawn
    source = tornado_source(lab, tool)
    before = shown(tool)
    tool.locator("h3").scroll_into_view_if_needed()
    lab.screenshot("technology-tool-before")
    lab.check_layout(tool)                         # every tab: columns in sight, labels whole
    for tab in lab.each_tab(tool):                 # each tab draws its chart when opened
        expect(chart).to_have_count(1)
        lab.wait_until_drawn(chart, timeout=10_000)
        lab.screenshot(f"technology-tab-{tab + 1}", tool.locator(".ovop-tech-tabs"))

    field = lab.number_input(tool, t("technology.control.price_som"))
    expect(field).to_have_count(1)
    message = tool.locator(".ovop-error")
    lab.type_number(field, "230")
    expect(message).to_have_text("")
    expect(number(tool, "price")).to_have_text(re.compile(r"^230,0\s+сом$"))
    after = shown(tool)
    for key in KEYS:
        assert after[key] != before[key], key
    lab.page.wait_for_function(
        "([img, old]) => img.getAttribute('src') !== old",
        arg=[tool.locator(".ovop-tech-tabs img.ovop-tech-tornado").element_handle(), source])
    assert tornado_source(lab, tool) != source

    # a decimal comma is read as Russians write it; a price out of range names the range
    lab.type_number(field, "215,5")
    expect(message).to_have_text("")
    expect(field).to_have_value("215,5")
    expect(number(tool, "price")).to_have_text(re.compile(r"^215,5\s+сом$"))
    kept = shown(tool)
    lab.type_number(field, "0")
    expect(message).to_contain_text("от 0,1 до 10")
    assert shown(tool) == kept                      # the last good result stays
    lab.type_number(field, "201,6")
    expect(message).to_have_text("")
    expect(number(tool, "price")).to_have_text(re.compile(r"^201,6\s+сом$"))
    assert shown(tool) == before

    # a price at or below the variable cost: the course's message, not a traceback
    lab.type_number(field, "100")
    expect(message).to_contain_text("не покрывает переменные затраты")
    lab.type_number(field, "201,6")
    expect(message).to_have_text("")

    lab.check_layout(tool)
    tool.locator("h3").scroll_into_view_if_needed()
    lab.screenshot("technology-tool-after")
    assert lab.failures() == [], "changing the price raised an error"
    assert lab.tracebacks() == []


def test_the_tool_in_english_fits_the_screen(lab, notebook):
    with lab.tools_in("en", notebook, workspace="technology-tool-en"):
        tool = lab.page.locator(".ovop-tool.ovop-tool-technology")
        expect(tool).to_contain_text(catalogue("en")["technology.key.cost"])
        lab.check_layout(tool)
        text = tool.locator(".ovop-tech-summary").inner_text()
        assert not re.search("[А-Яа-яЁё]{4,}", text.replace("Облепиховый нектар с мёдом", "")), \
            text
        lab.screenshot("technology-tool-en", tool)
