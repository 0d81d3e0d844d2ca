"""The trainer's course folder and nbgrader's settings for it.

A course folder holds ``nbgrader_config.py``, ``solutions/<assignment>/`` (sources with solutions
and hidden tests) and ``exercises/<assignment>/`` (generated). nbgrader adds ``gradebook.db``,
``submitted/``, ``autograded/`` and ``feedback/``; this tool adds ``ovop_grading/`` (the
grading status of each submission and the grading logs).

Settings are read the way nbgrader reads them: ``nbgrader_config.py`` in the Jupyter config
folders (system first, then the user's), then the course folder's own file; choices made on
the command line (a timeout, for example) come last.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import OvopError
from ..i18n import t

CONFIG_FILE = "nbgrader_config.py"
STATUS_FOLDER = "ovop_grading"
GRADEBOOK_WAIT = 60  # seconds a gradebook write waits for another one (see gradebook_url)


@dataclass(frozen=True)
class Course:
    """A course folder. ``overrides`` below are nbgrader settings for one command, such as
    ``{"Execute": {"timeout": 10}}``."""

    root: Path

    @classmethod
    def find(cls, folder: str | Path | None = None) -> Course:
        """The course in ``folder`` (default: the current folder); it must hold
        nbgrader_config.py."""
        root = Path(folder or os.getcwd()).resolve()
        if not (root / CONFIG_FILE).is_file():
            raise OvopError(t("grading.no_course", folder=root))
        return cls(root)

    def config(self, overrides: dict | None = None, defaults: dict | None = None):
        """nbgrader's settings for this course (a traitlets Config): ``defaults``, then the
        settings files (which may change them), then ``overrides``."""
        from jupyter_core.paths import jupyter_config_path
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader

        config = Config(defaults or {})
        for folder in [*reversed(jupyter_config_path()), str(self.root)]:
            if (Path(folder) / CONFIG_FILE).is_file():
                try:
                    config.merge(PyFileConfigLoader(CONFIG_FILE, path=folder).load_config())
                except Exception as e:  # noqa: BLE001 (any typo in the trainer's Python file)
                    raise OvopError(t("grading.bad_config", file=Path(folder) / CONFIG_FILE,
                                      detail=e)) from None
        config.CourseDirectory.root = str(self.root)
        config.merge(Config(overrides or {}))
        config.CourseDirectory.db_url = gradebook_url(
            config.CourseDirectory.get("db_url") or f"sqlite:///{self.root / 'gradebook.db'}")
        return config

    @cached_property
    def coursedir(self):
        """nbgrader's CourseDirectory (folder names, course id) for the course's settings."""
        from nbgrader.coursedir import CourseDirectory

        return CourseDirectory(config=self.config())

    def api(self, overrides: dict | None = None, defaults: dict | None = None):
        """An nbgrader API object working on this course, quiet on the terminal."""
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        prepare_process()
        config = self.config(overrides, defaults)
        return NbGraderAPI(CourseDirectory(config=config), config=config)

    @contextmanager
    def gradebook(self):
        """nbgrader's gradebook of this course (created on first use), closed afterwards."""
        from nbgrader.api import Gradebook

        prepare_process()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy's warnings about nbgrader's models
            with Gradebook(self.coursedir.db_url, self.course_id) as gb:
                yield gb

    @property
    def source_dir(self) -> Path:
        return self.root / self.coursedir.source_directory

    @property
    def release_dir(self) -> Path:
        return self.root / self.coursedir.release_directory

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id

    @property
    def status_dir(self) -> Path:
        return self.root / STATUS_FOLDER

    def assignments(self) -> list[str]:
        """Names of the assignments in solutions/ (folders holding at least one notebook)."""
        if not self.source_dir.is_dir():
            return []
        return sorted(p.name for p in self.source_dir.iterdir()
                      if p.is_dir() and any(p.glob("*.ipynb")))

    def require(self, assignment: str) -> str:
        """``assignment`` if the course has it, else an OvopError naming the known ones."""
        known = self.assignments()
        if assignment not in known:
            raise OvopError(t("grading.unknown_assignment", name=assignment,
                              known=", ".join(known) or "—", folder=self.source_dir))
        return assignment

    def notebooks(self, assignment: str) -> list[str]:
        """The notebook names (without .ipynb) that make up ``assignment``."""
        return sorted(p.stem for p in (self.source_dir / assignment).glob("*.ipynb"))

    def student_path(self, kind: str, student: str, assignment: str) -> Path:
        """``submitted``, ``autograded`` or ``feedback`` folder of one trainee's assignment;
        OvopError for a login that is not one (:func:`.roster.login`) or a path that would
        lead out of that folder."""
        from .roster import login

        base = self.root / getattr(self.coursedir, f"{kind}_directory")
        path = base / login(student) / assignment
        if base.resolve() not in path.resolve().parents:
            raise OvopError(t("grading.bad_login", login=student))
        return path

    def submitted_students(self, assignment: str) -> list[str]:
        """Trainees who have a collected submission of ``assignment``."""
        folder = self.root / self.coursedir.submitted_directory
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def gradebook_url(url: str) -> str:
    """The gradebook's ``url`` with a busy timeout if it is SQLite's: a write that finds the
    database locked waits up to GRADEBOOK_WAIT seconds instead of failing at once.

    Workers grading at once (:mod:`.workers`) each write the gradebook through nbgrader, which
    opens it for a few statements at a time (the student, the submission, each notebook's
    cells and grades) and never while a notebook runs; so one write waits at most for
    another's short transaction, and SQLite's own lock serializes them. A file lock of ours
    could not: nbgrader opens the database itself, in the middle of its autograde. pysqlite
    waits 5 s by default, which a busy two-core machine can exceed. A timeout the URL already
    gives, and a database other than SQLite, are left as they are.

    >>> gradebook_url("sqlite:////srv/course/gradebook.db")
    'sqlite:////srv/course/gradebook.db?timeout=60'
    >>> gradebook_url("postgresql://server/gradebook")
    'postgresql://server/gradebook'
    """
    if not url.startswith("sqlite:") or "timeout=" in url:
        return url
    return f"{url}{'&' if '?' in url else '?'}timeout={GRADEBOOK_WAIT}"


def prepare_process() -> None:
    """Make nbgrader work from any shell and keep its English log off the trainer's terminal.

    nbgrader calls the ``alembic`` program when it creates a gradebook: it lives beside this
    Python, which is not on PATH when the course's virtualenv is not activated. nbgrader's
    log is captured per action (see :mod:`.runner`) and written to the course's log files.
    """
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    logging.getLogger("traitlets").propagate = False
