"""The test command on a machine without a browser: it stops at once, before any tier runs,
with one line saying how to get one (where it may, as root with apt-get, it installs Debian's
chromium itself: see the root conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_run(tmp_path, *args, **env):
    """``python -m pytest ARGS`` in the repository with an empty PATH (no browser, no
    apt-get): (exit code, output, seconds)."""
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    environ = {k: v for k, v in os.environ.items() if k != "OVOP_BROWSER"}
    environ.update(PATH=str(empty), **env)
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=ROOT, env=environ,
                         capture_output=True, text=True, timeout=120)
    return run.returncode, run.stdout + run.stderr, time.monotonic() - start


def test_without_a_browser_make_test_stops_before_any_tier_with_one_line(tmp_path):
    code, out, seconds = pytest_run(tmp_path)          # what `make test` runs
    assert code == 4 and seconds < 60, out
    lines = [line for line in out.splitlines() if "Chromium" in line]
    assert len(lines) == 1, out
    assert "sudo apt-get install chromium" in lines[0] and "OVOP_BROWSER" in lines[0]
    assert "passed" not in out and "failed" not in out   # no tier ran


def test_a_browser_named_in_ovop_browser_is_used_and_a_wrong_name_stops(tmp_path):
    real = next((p for p in ("/usr/bin/chromium", "/usr/bin/google-chrome") if Path(p).exists()),
                None)
    if real is None:
        pytest.fail("no browser on this machine: the session's preflight should have stopped")
    code, out, _ = pytest_run(tmp_path, "tests/browser", "--collect-only", OVOP_BROWSER=real)
    assert code == 0, out
    code, out, _ = pytest_run(tmp_path, "tests/browser", "--collect-only",
                              OVOP_BROWSER=str(tmp_path / "no-such-browser"))
    assert code == 4 and "OVOP_BROWSER" in out


def test_a_run_without_the_browser_tests_needs_no_browser(tmp_path):
    code, out, _ = pytest_run(tmp_path, "tests/test_fmt.py", "--collect-only")
    assert code == 0, out
    code, out, _ = pytest_run(tmp_path, "-m", "not browser", "tests/browser", "--collect-only")
    assert code in (0, 5), out    # everything deselected: no browser asked for
