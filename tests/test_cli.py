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


# --- ovop-course app: the tools as Voila pages ----------------------------------------------

def test_help_lists_app_and_its_options():
    from ovop_course.cli import build_parser

    parser = build_parser()
    assert "app" in parser.format_help()
    args = parser.parse_args(["app", "--port", "9001", "--no-browser"])
    assert (args.port, args.no_browser) == (9001, True)
    assert parser.parse_args(["app"]).port == 8866


def test_app_command_heats_caps_and_culls_kernels_offline(tmp_path):
    from ovop_course import app

    cmd = app.app_command(tmp_path, port=8123, no_browser=True)
    assert cmd[:3] == [sys.executable, "-m", "voila"]
    options = dict(a.split("=", 1) for a in cmd[3:] if "=" in a)
    assert options["--Voila.root_dir"] == str(tmp_path)
    assert options["--port"] == "8123" and options["--Voila.ip"] == "127.0.0.1"
    assert options["--VoilaConfiguration.template"] == app.TEMPLATE
    assert options["--VoilaConfiguration.preheat_kernel"] == "True"
    assert int(options["--VoilaConfiguration.default_pool_size"]) == app.POOL_SIZE >= 1
    assert int(options["--MappingKernelManager.cull_idle_timeout"]) > 0
    assert options["--Voila.mathjax_url"] == options["--Voila.mathjax_config"] == "null"
    assert "--no-browser" in cmd and "--no-browser" not in app.app_command(tmp_path)


def test_app_pages_come_from_the_registry(tmp_path, monkeypatch):
    """One page for every tool, its template without links to the internet, and the start
    page with a link per registered tool; a notebook left from before is removed."""
    import nbformat

    from ovop_course import app
    from ovop_course.ui import tool_names

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    (tmp_path / "ovop_course_app").mkdir()
    (tmp_path / "ovop_course_app" / "old_tool.ipynb").write_text("{}", encoding="utf-8")
    folder = app.write_app()
    assert [p.name for p in folder.iterdir()] == [app.PAGE]
    page = nbformat.read(folder / app.PAGE, as_version=4)
    code = [c.source for c in page.cells if c.cell_type == "code"]
    assert code == ["import ovop_course.app\novop_course.app.tool_page()"]
    assert page.metadata.kernelspec.language == "python"
    template = tmp_path / "voila" / "templates" / app.TEMPLATE
    start = (template / "tree-lab.html").read_text(encoding="utf-8")
    assert start == (template / "tree.html").read_text(encoding="utf-8")
    assert "Инструменты курса ОСОП" in start and "https://" not in start
    assert [f"name={n}" in start for n in tool_names()] == [True] * len(tool_names())
    assert start.index("name=start") < start.index("name=territory") < start.index(
        "name=technology")                                      # course order
    assert "cdn" not in (template / "index.html.j2").read_text(encoding="utf-8")


def test_app_step_labels():
    from ovop_course.app import label

    assert (label("territory"), label("technology")) == ("Шаг 1", "Шаг 6")
    assert (label("start"), label("concept_quiz")) == ("Модуль 0", "Модуль 1")
    assert label("not_a_tool") == ""


def test_a_page_view_gets_the_tool_it_names(monkeypatch):
    from ovop_course.app import tool_page
    from ovop_course.errors import OvopError

    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "name=concept_quiz")
    assert tool_page().name == "concept_quiz"
    monkeypatch.setenv("QUERY_STRING", "name=nope")
    with pytest.raises(OvopError, match="Инструмент «nope» не найден"):
        tool_page()


def test_app_subcommand_runs_the_app(monkeypatch):
    from ovop_course import app, cli

    started = []
    monkeypatch.setattr(app, "run", lambda port, no_browser: started.append((port, no_browser)))
    assert cli.main(["app", "--port", "9002", "--no-browser"]) == 0
    assert started == [(9002, True)]


def test_the_lab_leaves_out_for_a_trainee_what_confuses_or_breaks_graded_cells():
    import json

    from ovop_course.cli import lab_command, lab_settings, trainee_page_config

    trainee = trainee_page_config()["disabledExtensions"]
    for name in ("@jupyter/nbgrader", "@voila-dashboards/jupyterlab-preview",
                 "@jupyterlab/debugger-extension", "@jupyterlab/cell-toolbar-extension"):
        assert trainee[name] is True
    trainer = trainee_page_config(trainer=True)["disabledExtensions"]
    assert "@jupyter/nbgrader" not in trainer and "@jupyterlab/cell-toolbar-extension" in trainer
    for kind in (False, True):
        folder = lab_settings(kind)
        written = json.loads((folder / "page_config.json").read_text(encoding="utf-8"))
        assert written == trainee_page_config(kind)
        shortcuts = json.loads((folder / "overrides.json").read_text(encoding="utf-8"))[
            "@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
        assert {s["command"] for s in shortcuts if s["disabled"]} >= {"notebook:merge-cells"}
        settings = next(a for a in lab_command(trainer=kind) if "app_settings_dir" in a)
        assert json.loads((Path(settings.split("=", 1)[1]) / "page_config.json").read_text(
            encoding="utf-8")) == trainee_page_config(kind)
