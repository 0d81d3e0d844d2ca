"""The ``ovop-course`` command (also ``python -m ovop_course``).

Sub-commands: ``lab`` starts JupyterLab on the course's start page; ``app`` serves every
tool as a Voila page without code (:mod:`ovop_course.app`); the trainer's commands
(nbgrader workflow) are added by :mod:`ovop_course.grading.cli`. Help and errors are in Russian.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from .errors import OvopError
from .i18n import t

START_PAGE = "notebooks/00_start.ipynb"
LAB_SETTINGS = Path(__file__).resolve().parent / "lab_settings"


class RussianHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse help with Russian section titles."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups,
                                 prefix if prefix is not None else "Использование: ")


def _russian_argparse() -> None:
    """Translate argparse's own fixed phrases (it uses gettext, with no Russian catalogue)."""
    words = {
        "usage: ": "Использование: ",
        "positional arguments": "аргументы",
        "options": "параметры",
        "show this help message and exit": "показать эту справку и выйти",
        "the following arguments are required: %s": "не хватает обязательных аргументов: %s",
        "unrecognized arguments: %s": "неизвестные аргументы: %s",
        "invalid choice: %(value)r (choose from %(choices)s)":
            "неверный выбор: %(value)r (выберите из %(choices)s)",
        "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
        "expected one argument": "ожидается одно значение",
        "invalid %(type)s value: %(value)r": "неверное значение %(type)s: %(value)r",
    }
    argparse._ = lambda text: words.get(text, text)  # argparse looks up _ at call time


def build_parser() -> argparse.ArgumentParser:
    _russian_argparse()
    parser = argparse.ArgumentParser(
        prog="ovop-course",
        description="Курс «Одно Село Один Продукт» (ОСОП): запуск курса и команды тренера.",
        formatter_class=RussianHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", title="команды", metavar="КОМАНДА")
    lab = commands.add_parser(
        "lab", help="открыть курс в JupyterLab (стартовая страница — модуль 0)",
        formatter_class=RussianHelpFormatter,
    )
    lab.add_argument("--port", type=int, default=8888, help="порт сервера (по умолчанию 8888)")
    lab.add_argument("--no-browser", action="store_true", help="не открывать браузер")
    lab.add_argument("--token", default=None, help="токен доступа (по умолчанию — без токена, "
                     "сервер слушает только этот компьютер)")
    lab.add_argument("--trainer", action="store_true",
                     help="тренеру: с инструментами nbgrader (создание заданий, formgrader)")
    lab.set_defaults(func=_run_lab)
    app = commands.add_parser(
        "app", help="инструменты курса без кода: страницы Voilà, по одной на инструмент, "
        "и стартовая страница со ссылками (для работы тренера с производителями)",
        formatter_class=RussianHelpFormatter,
    )
    app.add_argument("--port", type=int, default=8866, help="порт сервера (по умолчанию 8866)")
    app.add_argument("--no-browser", action="store_true", help="не открывать браузер")
    app.set_defaults(func=_run_app)
    try:
        from .grading.cli import add_commands
    except ImportError:  # the grading layer is optional at import time
        pass
    else:
        add_commands(commands, RussianHelpFormatter)
    return parser


def course_root() -> Path:
    """The folder with the course's notebooks: the clone this package sits in, else here."""
    clone = Path(__file__).resolve().parent.parent
    return clone if (clone / START_PAGE).is_file() else Path.cwd()


# JupyterLab extensions no trainee needs, each with English labels: Voila's «Render with
# Voilà» button, the debugger's «Enable Debugger», the cell toolbar (its move and delete buttons
# break a graded cell by one click); and, for a trainee, nbgrader's (Validate, Create
# Assignment, Formgrader: the trainer's, run by `ovop-course` commands here).
NOT_FOR_ANYONE = ("@voila-dashboards/jupyterlab-preview", "@jupyterlab/debugger-extension",
                  "@jupyterlab/cell-toolbar-extension")
TRAINERS_ONLY = ("@jupyter/nbgrader",)


def trainee_page_config(trainer: bool = False) -> dict:
    """JupyterLab's page config for the course: the extensions it leaves out
    (:data:`NOT_FOR_ANYONE`, and for a trainee :data:`TRAINERS_ONLY` too)."""
    names = NOT_FOR_ANYONE if trainer else NOT_FOR_ANYONE + TRAINERS_ONLY
    return {"disabledExtensions": {name: True for name in names}}


def lab_settings(trainer: bool = False) -> Path:
    """The folder of JupyterLab's settings for the course (``--LabApp.app_settings_dir``):
    ``lab_settings/overrides.json`` (Russian interface, no news pop-up, no cell-merge
    shortcut) and the page config of :func:`trainee_page_config`, written at each start into
    a new temporary folder of this user's alone (``tempfile.mkdtemp``: no other account can
    prepare it)."""
    folder = Path(tempfile.mkdtemp(prefix=f"ovop-lab-{'trainer' if trainer else 'trainee'}-"))
    (folder / "overrides.json").write_text(
        (LAB_SETTINGS / "overrides.json").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "page_config.json").write_text(json.dumps(trainee_page_config(trainer)),
                                             encoding="utf-8")
    return folder


def lab_command(port: int = 8888, no_browser: bool = False, token: str | None = None,
                trainer: bool = False) -> list[str]:
    """The JupyterLab command line that opens the course at module 0.

    JupyterLab's interface is in Russian, its news pop-up is off, and what could confuse a
    trainee or break a graded cell is left out (:func:`lab_settings`; ``trainer``: nbgrader's
    tools kept); as root (a container image) the server is allowed to run.
    """
    cmd = [
        sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={course_root()}",
        f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
        f"--LabApp.default_url=/lab/tree/{START_PAGE}",  # LabApp overrides ServerApp's
        f"--LabApp.app_settings_dir={lab_settings(trainer)}",
        f"--IdentityProvider.token={token or ''}",
    ]
    if no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def _run_lab(args: argparse.Namespace) -> int:
    """Start JupyterLab; on POSIX it replaces this process, so Ctrl+C reaches it directly."""
    cmd = lab_command(args.port, args.no_browser, args.token, args.trainer)
    if os.name == "posix":
        os.execv(cmd[0], cmd)
    import subprocess

    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0


def _run_app(args: argparse.Namespace) -> int:
    """Start the course's tools as Voila pages (:mod:`ovop_course.app`)."""
    from . import app

    return app.run(args.port, args.no_browser)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args) or 0
    except OvopError as e:
        print(f"Ошибка: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl+C: a line saying so, not a traceback
        print(t("cli.interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
