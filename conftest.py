"""Test-session set-up shared by every tier (package, notebooks, grading, browser).

Kernels started by nbval inherit this environment: figures render headless (Agg) and a
notebook that saves a workbook writes into a temporary folder, never into the user's home,
and nothing is kept in the user's cache folder (``OVOP_CACHE=off``: a test that counts
drawings draws; the tests of the cache set their own folder).

Before any test runs, a run that includes the browser tests finds a Chromium-family browser
(:func:`find_browser`; ``OVOP_BROWSER`` names one); where there is none and the session may
install one (root with apt-get), it installs Debian's chromium with the other Debian packages
the tests need (:data:`DEBIAN_PACKAGES`), else it stops at once with one line saying how to get
one — not after the other tiers have run.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
            "microsoft-edge", "microsoft-edge-stable", "msedge")
# Debian's browser, the fonts a 1366×768 screenshot needs (Cyrillic, emoji), the grading sandbox
DEBIAN_PACKAGES = ("chromium", "fonts-dejavu-core", "fonts-noto-color-emoji", "bubblewrap")
NO_BROWSER = ("Браузерным тестам нужен Chromium, Google Chrome или Edge: установите "
              "(sudo apt-get install {packages}) или укажите путь к нему в OVOP_BROWSER "
              "и запустите make test снова.")


def pytest_configure(config):
    scratch = Path(tempfile.mkdtemp(prefix="ovop-tests-"))
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["OVOP_WORKBOOK"] = str(scratch / "workbook.json")
    os.environ["OVOP_CACHE"] = "off"
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    browser, grading = selects(config, "browser"), selects(config, "grading")
    if (browser and find_browser() is None) or (grading and shutil.which("bwrap") is None):
        install_debian_packages()
    if browser:
        os.environ["OVOP_BROWSER"] = str(browser_or_exit())


def selects(config, tier: str) -> bool:
    """Whether the selected paths (or, with none, the test paths) hold ``tests/<tier>`` and
    the marker expression does not leave it out."""
    if f"not {tier}" in (config.option.markexpr or ""):
        return False
    folder = ROOT / "tests" / tier
    args = [a.split("::")[0] for a in config.args if not a.startswith("-")]
    paths = [Path(a).resolve() for a in args] or [ROOT / p for p in config.getini("testpaths")]
    return any(p == folder or folder in p.parents or p in folder.parents for p in paths)


def find_browser() -> Path | None:
    """``OVOP_BROWSER`` if it names a program, else the first Chromium-family browser on PATH
    (Debian's chromium, Chromium, Google Chrome, Edge)."""
    named = os.environ.get("OVOP_BROWSER")
    if named:
        return Path(named) if Path(named).is_file() else None
    found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    return Path(found) if found else None


def install_debian_packages() -> None:
    """:data:`DEBIAN_PACKAGES` with apt-get, where the session may (root, apt-get on PATH,
    no browser named in ``OVOP_BROWSER``); elsewhere nothing."""
    if os.geteuid() != 0 or not shutil.which("apt-get") or os.environ.get("OVOP_BROWSER"):
        return
    print("== для тестов ставлю пакеты Debian: " + " ".join(DEBIAN_PACKAGES), flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES], env=env, check=False,
                   stdout=subprocess.DEVNULL)


def browser_or_exit() -> Path:
    """The browser, else the run stops at once with one line saying how to get one."""
    found = find_browser()
    if found is None:
        pytest.exit(NO_BROWSER.format(packages=" ".join(DEBIAN_PACKAGES)), returncode=4)
    return found
