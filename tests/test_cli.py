"""The ``ovop-course`` command: Russian help, the lab command line, and a real ``lab`` start."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from browser.labserver import free_port, get, isolated_env, start, stop, wait_until_up

from ovop_course.cli import START_PAGE, lab_command

REPO = Path(__file__).resolve().parents[1]


def test_help_is_russian_and_lists_lab():
    done = subprocess.run([sys.executable, "-m", "ovop_course", "--help"],
                          check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Использование" in done.stdout
    assert "lab" in done.stdout


def test_lab_command_opens_module_0_from_the_course_folder(monkeypatch):
    monkeypatch.delenv("OVOP_DATA_DIR", raising=False)
    cmd = lab_command(port=8123, no_browser=True, token="secret")
    assert f"--ServerApp.root_dir={REPO}" in cmd
    assert f"--LabApp.default_url=/lab/tree/{START_PAGE}" in cmd
    assert {"--ServerApp.port=8123", "--IdentityProvider.token=secret", "--no-browser"} <= set(cmd)
    assert "--no-browser" not in lab_command()


@pytest.mark.slow
def test_lab_subcommand_serves_jupyterlab(tmp_path):
    port, token = free_port(), secrets.token_hex(8)
    log = tmp_path / "lab.log"
    proc = start([sys.executable, "-m", "ovop_course", "lab", "--no-browser",
                  "--port", str(port), "--token", token], isolated_env(tmp_path), log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/lab", token, proc, log)
        assert get(f"{base}/", token) == (200, f"{base}/lab/tree/{START_PAGE}")
    finally:
        stop(proc)
    assert proc.returncode is not None


def test_ctrl_c_ends_a_command_with_a_line_not_a_traceback(monkeypatch, capsys):
    from ovop_course import cli

    def interrupted(_args):
        raise KeyboardInterrupt

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    args = parser.parse_args(["lab"])
    monkeypatch.setattr(args, "func", interrupted, raising=False)
    monkeypatch.setattr(parser, "parse_args", lambda argv=None: args)
    assert cli.main(["lab"]) == 130
    err = capsys.readouterr().err
    assert "Ctrl+C" in err and "Traceback" not in err
