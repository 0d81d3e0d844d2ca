"""Fixtures of the real-browser tier: one JupyterLab server and one Chromium per test session.

The server is started with the course's own command (:func:`ovop_course.cli.lab_command`,
what ``ovop-course lab`` and ``make lab`` run) plus what a test needs: a free port, a token,
no browser, and the app object exposed to the page (``window.jupyterapp``). HOME and Jupyter's
folders are temporary; their config allows running as root and turns off the news pop-up and
autosave (see :mod:`labserver`). The browser is Debian's
Chromium driven by Playwright; never ``playwright install``. Its window is the trainers'
laptop screen, 1366 × 768 (``SCREEN``).

Screenshots go to ``artifacts/screenshots/`` in the repository (ignored by git); a failing
browser test leaves one named ``FAILED-<test>.png``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest
from labpage import LabPage
from labserver import free_port, isolated_env, start, stop, wait_until_up

from ovop_course.cli import lab_command

# Found (or installed) before any test runs by the root conftest.py (find_browser)
CHROMIUM = Path(os.environ.get("OVOP_BROWSER", "/usr/bin/chromium"))
SCREEN = {"width": 1366, "height": 768}   # the trainers' laptops
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@dataclass(frozen=True)
class LabServer:
    """A running JupyterLab: its base URL (no trailing slash), token, root folder and log."""

    url: str
    token: str
    root: Path
    log: Path

    def page_url(self, path: str = "/") -> str:
        """``url + path`` with the token as query parameter (how a browser logs in)."""
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> LabServer:
    """JupyterLab serving the course folder, started by the course's lab command."""
    home = tmp_path_factory.mktemp("lab-home")
    port, token = free_port(), secrets.token_hex(16)
    cmd = lab_command(port=port, no_browser=True, token=token)
    cmd.append("--LabApp.expose_app_in_browser=True")
    root = Path(next(a.split("=", 1)[1] for a in cmd if a.startswith("--ServerApp.root_dir=")))
    log = home / "server.log"
    proc = start(cmd, isolated_env(home), log)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/status", token, proc, log)
        yield LabServer(url=f"http://127.0.0.1:{port}", token=token, root=root, log=log)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def browser():
    """The session's headless Chromium-family browser (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def lab(browser, lab_server, request) -> LabPage:
    """A fresh page (own browser context) on the server; screenshot saved if the test fails."""
    context = browser.new_context(viewport=dict(SCREEN))
    context.set_default_timeout(30_000)
    page = LabPage(context.new_page(), lab_server)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        page.screenshot(f"FAILED-{request.node.name}")
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (the ``lab`` fixture reads ``rep_call``)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
