"""The course without internet: ``make wheelhouse`` gathers every package the course needs;
on a machine without internet, ``make`` (the first step of ``make lab`` and ``make test``)
installs the course into a new environment from that folder alone (``pip install
--no-index``), and the environment runs a lesson and a tool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "notebooks" / "02_territory.ipynb"

pytestmark = pytest.mark.slow

RUN_LESSON_AND_TOOL = f"""
import nbformat
from nbclient import NotebookClient
nb = nbformat.read({str(LESSON)!r}, as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3").execute(cwd={str(LESSON.parent)!r})
errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
assert not errors, errors
from ovop_course.ui import make_tool
tool = make_tool("technology", lesson=True)
assert tool.error is None and tool.result is not None
import sys
print("OK", sys.prefix)
"""


def offline_env(home: Path) -> dict[str, str]:
    """No pip configuration, index or extra folder of this machine; a home of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", HOME=str(home),
               JUPYTER_DATA_DIR=str(home / "jupyter"), JUPYTER_CONFIG_DIR=str(home / "jcfg"),
               OVOP_WORKBOOK=str(home / "workbook.json"))
    return env


def test_the_course_installs_from_the_wheelhouse_alone_and_runs(tmp_path):
    wheels = tmp_path / "wheelhouse"
    make = subprocess.run(["make", "-s", "wheelhouse", f"WHEELHOUSE={wheels}",
                           f"BIN={Path(sys.executable).parent}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert make.returncode == 0, make.stderr[-3000:]
    names = {p.name.split("-")[0].lower() for p in wheels.glob("*.whl")}
    assert {"ovop_course", "jupyterlab", "pandas", "matplotlib", "nbgrader"} <= names

    venv, home = tmp_path / "venv", tmp_path / "home"
    home.mkdir()
    env = offline_env(home)
    install = subprocess.run(["make", "-s", f"VENV={venv}", f"WHEELHOUSE={wheels}",
                              f"PYTHON={sys.executable}", f"{venv}/.installed-stamp"], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=1200)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-3000:]
    run = subprocess.run([str(venv / "bin" / "python"), "-c", RUN_LESSON_AND_TOOL], env=env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"OK {venv}" in run.stdout    # the new environment's Python, not this one's
