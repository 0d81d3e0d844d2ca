"""Trainees: a CSV file (one row per trainee) into nbgrader's gradebook.

The file is UTF-8 CSV with the columns ``id`` (login: the name of the trainee's folder and,
on JupyterHub, of their account), ``last_name``, ``first_name`` and ``email`` (the last three
may be empty). A row for a login that is already in the gradebook updates the names.

>>> TraineeRow(id="aibek.s", last_name="Сыдыков").id
'aibek.s'
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pydantic import Field, field_validator

from ..errors import OvopError
from ..i18n import t
from ..schemas import Row
from .course import Course

_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def login(value: object) -> str:
    """A trainee's login as every command takes it (the roster, ``submit``, ``grade``): Latin
    letters, digits, «.», «_» and «-», beginning with a letter or a digit — it names the
    trainee's folders, so no path (``../solutions``), no spaces and no Cyrillic.

    >>> login("aibek.s")
    'aibek.s'
    """
    if not isinstance(value, str) or not _LOGIN.fullmatch(value) or value in {".", ".."}:
        raise OvopError(t("grading.bad_login", login=value))
    return value


class TraineeRow(Row):
    """One trainee in the roster file."""

    id: str = Field(min_length=1)
    last_name: str | None = None
    first_name: str | None = None
    email: str | None = None

    @field_validator("id")
    @classmethod
    def _login(cls, value: str) -> str:
        try:
            return login(value)
        except OvopError as e:
            raise ValueError(str(e)) from None


def read_trainees(path: Path) -> list[TraineeRow]:
    """The validated rows of a roster file; every problem is named with its line (Russian)."""
    from ..data import read_rows  # pandas: only when a roster is read

    rows = read_rows(Path(path), TraineeRow)
    duplicates = sorted(login for login, n in Counter(r.id for r in rows).items() if n > 1)
    if duplicates:
        raise OvopError(t("grading.duplicate_logins", file=path, logins=", ".join(duplicates)))
    return rows


def add_trainees(course: Course, rows: list[TraineeRow]) -> tuple[int, int]:
    """Put the trainees into the gradebook; return (added, updated)."""
    with course.gradebook() as gb:
        known = {s.id for s in gb.students}
        for row in rows:
            gb.update_or_create_student(row.id, **row.model_dump(exclude={"id"}))
    added = sum(row.id not in known for row in rows)  # logins are unique (read_trainees)
    return added, len(rows) - added


def trainees(course: Course) -> list[TraineeRow]:
    """Everyone in the gradebook, sorted by last name, first name and login."""
    with course.gradebook() as gb:
        rows = [TraineeRow(id=s.id, last_name=s.last_name, first_name=s.first_name,
                           email=s.email) for s in gb.students]
    return sorted(rows, key=lambda r: (r.last_name or "", r.first_name or "", r.id))
