"""One function per nbgrader action, run through nbgrader's Python API in this process (a
grading worker's, :mod:`.workers`; a trainee's kernel in :mod:`.sandbox`).

Every action returns an :class:`Outcome`: whether nbgrader finished without error and its
captured (English) log, which callers save to a file and turn into a Russian message.
Running in-process costs nbgrader's start-up (~3 s) once per command instead of once per
trainee. Each action gets a fresh nbgrader object, so one failed action never leaks state
into the next; nbgrader's warnings (SQLAlchemy's among them) stay out of the terminal.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import OvopError
from ..i18n import t
from .course import Course, prepare_process
from .roster import login


@dataclass(frozen=True)
class Outcome:
    """What one nbgrader action did: ``ok`` and nbgrader's log (with the traceback, if any)."""

    ok: bool
    log: str

    def detail(self) -> str:
        """The last three error lines of the log: what went wrong, for a message to the
        trainer."""
        lines = [ln.strip() for ln in self.log.splitlines() if ln.strip()]
        errors = [ln for ln in lines if "ERROR" in ln or "Error" in ln]
        return "\n".join((errors or lines)[-3:])


def _run(action, *args, **kwargs) -> Outcome:
    """Call an nbgrader API method (or an app's ``start`` via capture_log) quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = action(*args, **kwargs)
    text = "\n".join(part for part in (result.get("log"), result.get("error")) if part)
    return Outcome(bool(result.get("success")), text)


def generate(course: Course, assignment: str) -> Outcome:
    """``nbgrader generate_assignment --force``: solutions/A → exercises/A and the gradebook."""
    return _run(course.api().generate_assignment, assignment, force=True, create=True)


def validate(course: Course, notebook: Path, invert: bool = False) -> dict:
    """``nbgrader validate [--invert]`` of one notebook: nbgrader's result dictionary.

    Without ``invert`` a good solution gives ``{}`` (else ``failed`` lists cells);
    with ``invert`` an unanswered exercise gives ``{}`` (else ``passed`` lists cells).
    """
    from nbgrader.validator import Validator

    prepare_process()
    validator = Validator(config=course.config({"Validator": {"invert": invert}}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return validator.validate(str(notebook))


def exchange_folder(course: Course) -> Path:
    """The exchange folder the course's settings name (not checked)."""
    from nbgrader.exchange.default.exchange import Exchange

    return Path(Exchange(config=course.config()).root)


def exchange_root(course: Course) -> Path:
    """The exchange folder, checked to be usable; created when OVOP_EXCHANGE names it."""
    root = exchange_folder(course)
    if os.environ.get("OVOP_EXCHANGE") and not root.exists():
        with contextlib.suppress(OSError):  # if it cannot be made, the check below says so
            root.mkdir(parents=True)
    if not (root.is_dir() and os.access(root, os.W_OK | os.X_OK)):
        raise OvopError(t("grading.no_exchange", root=root))
    return root


def _exchange_action(course: Course, kind: str, overrides: dict | None = None,
                     assignment_dir: str | None = None, **attrs) -> Outcome:
    """Run an nbgrader exchange action (``Submit``, ``Collect``…) on the checked exchange."""
    from nbgrader.utils import capture_log

    exchange_root(course)
    api = course.api(overrides)
    for name, value in attrs.items():
        setattr(api.coursedir, name, value)
    app = getattr(api.exchange, kind)(coursedir=api.coursedir, authenticator=api.authenticator,
                                      parent=api)
    if assignment_dir:
        app.assignment_dir = assignment_dir
    return _run(capture_log, app)


def release(course: Course, assignment: str) -> Outcome:
    """``nbgrader release_assignment --force``: exercises/A into the exchange for trainees."""
    overrides = {"ExchangeReleaseAssignment": {"force": True}}
    return _exchange_action(course, "ReleaseAssignment", overrides, assignment_id=assignment)


def submit(course: Course, assignment: str, student: str, notebooks: list[Path]) -> Outcome:
    """``nbgrader submit A --student ID``: hand in notebooks for a trainee (one computer).

    A lone notebook is renamed to the assignment's notebook name (a file that came back by
    e-mail is often called ``m01_concept (1).ipynb``). ``student`` must be a login
    (:func:`.roster.login`): nbgrader builds the exchange's file name from it.
    """
    login(student)
    expected = course.notebooks(assignment)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / assignment
        folder.mkdir()
        for path in notebooks:
            name = f"{expected[0]}.ipynb" if len(notebooks) == len(expected) == 1 else path.name
            shutil.copyfile(path, folder / name)
        return _exchange_action(course, "Submit", assignment_dir=tmp,
                                assignment_id=assignment, student_id=student)


def collect(course: Course, assignment: str, check_owner: bool = True) -> Outcome:
    """``nbgrader collect A --update``: the newest submission of every trainee into submitted/.

    A newer submission replaces the collected one (nbgrader's default keeps the old one).
    Every trainee's work is collected even where the settings name one student (a JupyterHub
    image may set ``CourseDirectory.student_id`` to the logged-in user, the trainer included).
    ``check_owner=False`` when every trainee submits from one computer account.
    """
    overrides = {"ExchangeCollect": {"check_owner": check_owner, "update": True}}
    return _exchange_action(course, "Collect", overrides, assignment_id=assignment,
                            student_id="*")


def autograde(course: Course, assignment: str, student: str, timeout: int | None = None,
              sandbox: bool = True) -> Outcome:
    """``nbgrader autograde A --student ID --force``; ``timeout`` seconds per cell if given.

    With ``sandbox`` (the rule; ``grade --no-sandbox`` only where none can be made) the
    trainee's kernel runs in :mod:`.sandbox`, which sees neither the course folder nor the
    exchange; nbgrader's own steps around it run here. The metadata check is
    :mod:`.metadata`'s (the same check, faster) unless the course's settings list
    Autograde's preprocessors themselves.
    """
    from .metadata import autograde_preprocessors

    settings = {"Execute": {"timeout": timeout} if timeout else {}}
    if sandbox:
        settings["Execute"]["kernel_manager_class"] = (
            "ovop_course.grading.sandbox.SandboxedKernelManager")
        settings["SandboxedKernelManager"] = {
            "hidden": [str(course.root), str(exchange_folder(course)), *_gradebook_file(course)]}
    api = course.api(settings, defaults={"Autograde": autograde_preprocessors()})
    return _run(api.autograde, assignment, student, force=True, create=True)


def _gradebook_file(course: Course) -> list[str]:
    """The gradebook's file if it is SQLite's and lives outside the course folder (the
    settings may put it anywhere)."""
    url = course.config().CourseDirectory.db_url
    if not url.startswith("sqlite:///"):
        return []
    path = Path(url.removeprefix("sqlite:///").split("?")[0]).resolve()
    return [] if course.root.resolve() in path.parents else [str(path)]


def generate_feedback(course: Course, assignment: str, student: str) -> Outcome:
    """``nbgrader generate_feedback A --student ID``: HTML feedback in feedback/ID/A/, with no
    hidden test's code (:mod:`.hidden`)."""
    from .hidden import feedback_preprocessors

    api = course.api(defaults={"GenerateFeedback": feedback_preprocessors()})
    return _run(api.generate_feedback, assignment, student, force=True)


def release_feedback(course: Course, assignment: str, student: str) -> Outcome:
    """``nbgrader release_feedback A --student ID``: the feedback into the exchange (checked
    to be usable by the caller, :func:`exchange_root`)."""
    return _run(course.api().release_feedback, assignment, student)
