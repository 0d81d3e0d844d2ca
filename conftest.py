"""Test-session set-up shared by every tier (package, notebooks, grading, browser).

Kernels started by nbval inherit this environment: figures render headless (Agg) and a
notebook that saves a workbook writes into a temporary folder, never into the user's home,
and nothing is kept in the user's cache folder (``OVOP_CACHE=off``: a test that counts
drawings draws; the tests of the cache set their own folder).
"""

import os
import tempfile
from pathlib import Path


def pytest_configure(config):
    scratch = Path(tempfile.mkdtemp(prefix="ovop-tests-"))
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["OVOP_WORKBOOK"] = str(scratch / "workbook.json")
    os.environ["OVOP_CACHE"] = "off"
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
