"""Start, wait for and stop a Jupyter server in tests, isolated from the real home folder.

Shared by the browser tier (``conftest.py``) and ``tests/test_cli.py``. Jupyter writes to
``~/.local/share/jupyter``, ``~/.ipython`` and ``~/.jupyter``; :func:`isolated_env` points
HOME and every Jupyter folder into a temporary folder so a test run leaves no trace there.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

# Settings of the test server: no "Jupyter news" pop-up, no update check, no autosave (running
# a course notebook must not write outputs into the repository), and every cell attached to
# the page so that a DOM query sees all outputs.
TEST_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def free_port() -> int:
    """A TCP port that is free now (the OS picks it when binding port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(home: Path) -> dict[str, str]:
    """The current environment with HOME, Jupyter's and IPython's folders inside ``home``.

    Also: the kernel draws charts without a display (MPLBACKEND=Agg) and the trainee's workbook
    goes to ``home/ovop_workbook.json``; JupyterLab's user settings are :data:`TEST_SETTINGS`.
    The server's config file lets it run as root (test machines and containers often do, and
    ``ovop-course lab`` has no --allow-root option) and keeps the checkpoints it makes of every
    opened file in ``home/checkpoints``, not in the repository's ``.ipynb_checkpoints``.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "IPYTHON", "OVOP_WORKBOOK"))}
    settings = home / "lab-settings"
    files = {settings / f"{name}.jupyterlab-settings": values
             for name, values in TEST_SETTINGS.items()}
    files[home / ".jupyter/jupyter_server_config.json"] = {
        "ServerApp": {"allow_root": True},
        "FileCheckpoints": {"checkpoint_dir": str(home / "checkpoints")},
    }
    for path, values in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env.update(
        HOME=str(home), IPYTHONDIR=str(home / ".ipython"),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / ".local/share/jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / ".local/share/jupyter/runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
        OVOP_WORKBOOK=str(home / "ovop_workbook.json"), MPLBACKEND="Agg",
    )
    return env


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start ``cmd`` in its own process group (so :func:`stop` reaches its children too)."""
    out = log.open("wb")
    try:
        return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    finally:
        out.close()  # the child holds its own copy


def get(url: str, token: str, timeout: float = 5) -> tuple[int, str]:
    """GET ``url`` with the server's token; (HTTP status, final URL after redirects)."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as e:
        return e.code, url


def wait_until_up(url: str, token: str, proc: subprocess.Popen, log: Path,
                  timeout: float = 60) -> float:
    """Poll ``url`` until it answers 200; return the seconds waited.

    Raises AssertionError with the server's log if the process exits or ``timeout`` passes.
    """
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited with code {proc.returncode} before "
                                 f"answering {url}. Its log:\n{tail(log)}")
        try:
            if get(url, token, timeout=2)[0] == 200:
                return time.monotonic() - began
        except OSError:
            pass  # not listening yet
        time.sleep(0.25)
    raise AssertionError(f"{url} did not answer 200 within {timeout:.0f} s. "
                         f"Server log:\n{tail(log)}")


def stop(proc: subprocess.Popen, grace: float = 15) -> None:
    """Stop the process group started by :func:`start`: SIGTERM, then SIGKILL after ``grace`` s.

    The group is the server and, for ``ovop-course lab``, the wrapper that started it. Kernels
    run in sessions of their own: the server shuts them down on SIGTERM, and ipykernel exits by
    itself when its server is gone.
    """
    _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and (proc.poll() is None or _signal_group(proc, 0)):
        time.sleep(0.1)  # the server shuts its kernels down, then exits
    _signal_group(proc, signal.SIGKILL)
    proc.wait(timeout=grace)


def _signal_group(proc: subprocess.Popen, sig: int) -> bool:
    """Send ``sig`` to the process group of ``proc``; False if the group no longer exists."""
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return False
    return True


def tail(log: Path, chars: int = 4000) -> str:
    """The end of a log file (what a failure message should show)."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else "(no log)"
    return text[-chars:]
