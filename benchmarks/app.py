"""App mode's time to ready: from a tool page's request until the tool's widgets are visible.

``ovop-course app`` runs with its own HOME, Jupyter folders, workbook and cache folder on a free
port. Once its kernels are heated, Debian's Chromium (Playwright; never ``playwright install``)
opens every registered tool's page, each in a new browser context (nothing cached), a few
seconds apart as a trainer does, so that each view finds a heated kernel. The figure is the
median over the views (target in ``report.TARGETS``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ovop_course.app import PAGE
from ovop_course.ui import tool_names

from .stats import median

BROWSER = os.environ.get("OVOP_BROWSER", "/usr/bin/chromium")
PAUSE = 6  # s between page views: a used kernel is replaced (app.FILL_DELAY + its start)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server():
    """The app's base URL while it runs (stopped with its kernels afterwards)."""
    with tempfile.TemporaryDirectory(prefix="ovop-app-bench-") as home:
        env = {**os.environ, "HOME": home, "IPYTHONDIR": f"{home}/.ipython",
               "JUPYTER_CONFIG_DIR": f"{home}/.jupyter", "JUPYTER_DATA_DIR": f"{home}/data",
               "JUPYTER_RUNTIME_DIR": f"{home}/runtime", "OVOP_CACHE": f"{home}/cache",
               "OVOP_WORKBOOK": f"{home}/ovop_workbook.json"}
        port, log = _free_port(), Path(home) / "app.log"
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "ovop_course", "app", "--no-browser",
                                     "--port", str(port)], env=env, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_for(lambda: f"Kernel pool of {PAGE} is filled" in log.read_text("utf-8"))
            yield f"http://127.0.0.1:{port}"
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def _wait_for(ready, timeout: float = 120) -> None:
    """Poll ``ready()`` until it is true; RuntimeError after ``timeout`` seconds."""
    began = time.monotonic()
    while not ready():
        if time.monotonic() - began > timeout:
            raise RuntimeError("ovop-course app did not heat its kernels in time")
        time.sleep(0.25)
    time.sleep(2)  # the heated kernels import the tool modules


def ready_seconds(browser, url: str, name: str) -> float:
    """Seconds from the request of ``name``'s page until its tool is visible."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        began = time.perf_counter()
        page.goto(f"{url}/voila/render/{PAGE}?name={name}", wait_until="commit")
        page.locator(f".ovop-tool-{name}").first.wait_for(state="visible", timeout=60_000)
        return time.perf_counter() - began
    finally:
        context.close()


def run(quick: bool = False) -> list[dict]:
    """The median time to ready over a view of every tool's page (three with ``quick``)."""
    from playwright.sync_api import sync_playwright

    names = tool_names()[:3] if quick else tool_names()
    seconds = []
    with app_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=BROWSER, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"])
        for name in names:
            seconds.append(ready_seconds(browser, url, name))
            time.sleep(PAUSE)
        browser.close()
    return [{"page": "tool", "views": len(seconds), "ready_seconds": median(seconds),
             "max_seconds": max(seconds)}]
