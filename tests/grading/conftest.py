"""Fixtures of the grading tier: an isolated Jupyter home for the tests of one module.

nbgrader and Jupyter write to ~/.local/share/jupyter (the submission cache), ~/.jupyter and
~/.ipython; the exchange folder is where trainees fetch and submit. All of them live in a
temporary folder for the tests of one module (module scope: the costly workflow runs once).
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def jupyter_home(tmp_path_factory):
    """HOME, Jupyter's folders and the exchange (OVOP_EXCHANGE) in a temporary folder."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("JUPYTER_CONFIG_DIR", str(home / ".jupyter"))
        mp.setenv("JUPYTER_DATA_DIR", str(home / ".local" / "share" / "jupyter"))
        mp.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
        mp.setenv("IPYTHONDIR", str(home / ".ipython"))
        mp.setenv("OVOP_EXCHANGE", str(home / "exchange"))
        for name in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
            mp.delenv(name, raising=False)
        yield home
